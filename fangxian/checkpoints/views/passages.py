"""Registering passages on a phone at the checkpoint, correcting them, and listing them."""

from datetime import date

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from fangxian.accounts.decorators import capability_required
from fangxian.accounts.roles import Capability
from fangxian.checkpoints import plates, selectors
from fangxian.checkpoints.codes import code_resolve
from fangxian.checkpoints.forms import PassageForm, PeopleFormSet, passage_input
from fangxian.checkpoints.models import Passage
from fangxian.checkpoints.services import passage_register
from fangxian.core.paging import keyset_page

REGISTER = Capability.REGISTER_PASSAGES


def _parse_day(text: str) -> date | None:
    try:
        return date.fromisoformat(text) if text else None
    except ValueError:
        return None


def _initial_people(request: HttpRequest) -> list[dict]:
    """A scanned personal code opens the form with its token in the first row."""
    token = request.GET.get("code", "").strip()
    return [{"code": token}] if token else []


def _register(
    request: HttpRequest, checkpoint, *, corrects: Passage | None = None, initial=None, kept=None
):
    """The form and the people rows; on a valid POST, one service call. (form, people, result)"""
    form = PassageForm(request.POST or None, checkpoint=checkpoint, initial=initial or {})
    people = PeopleFormSet(
        request.POST or None,
        prefix="people",
        user=request.user,
        kept_rows=kept,
        initial=None if request.POST else (initial or {}).get("people") or _initial_people(request),
    )
    if request.method != "POST" or not (form.is_valid() & people.is_valid()):
        return form, people, None
    try:
        result = passage_register(
            actor=request.user,
            checkpoint=checkpoint,
            client_id=form.cleaned_data["client_id"],
            data=passage_input(form, people),
            corrects=corrects,
        )
    except ValidationError as error:
        for field, messages_ in error.message_dict.items():
            form.add_error(field if field in form.fields else None, messages_)
        return form, people, None
    return form, people, result


@capability_required(REGISTER)
def passage_create_view(request: HttpRequest, checkpoint_id: int) -> HttpResponse:
    """The phone form. Its client id is made when the form is shown and kept in the phone's
    draft (static/js/visit_draft.js), so sending it again after a lost answer registers once."""
    checkpoint = selectors.checkpoint_get(
        user=request.user, checkpoint_id=checkpoint_id, capability=REGISTER
    )
    form, people, result = _register(request, checkpoint)
    if result is not None:
        if result.counted:
            messages.success(request, _("Passage counted (nothing to register in full)."))
        elif result.passage.key_area:
            messages.warning(
                request,
                _("Passage registered. From a key area: the destination's grid workers are told."),
            )
        else:
            messages.success(request, _("Passage registered."))
        # The next passage's form; `saved` clears the phone's draft of this one.
        url = reverse("checkpoints:passage-create", kwargs={"checkpoint_id": checkpoint.pk})
        return redirect(f"{url}?saved=1")
    context = {
        "checkpoint": checkpoint,
        "form": form,
        "people": people,
        "draft_sent": request.GET.get("saved") == "1",
    }
    return render(request, "checkpoints/passage_form.html", context)


@capability_required(REGISTER)
def passage_correct_view(request: HttpRequest, passage_id: int) -> HttpResponse:
    """A correction is a new passage that references the old one; only the latest is corrected."""
    old = selectors.passage_get(user=request.user, passage_id=passage_id)
    if not selectors.passage_is_latest(passage=old):
        raise Http404
    rows = selectors.passage_people(passages=[old])[old.pk]
    initial = {
        "direction": old.direction,
        "plate": old.plate,
        "plate_other": old.plate_kind == Passage.PlateKind.OTHER,
        "origin_text": old.origin_text,
        "destination_text": old.destination_text,
        "destination_region": old.destination_region.code if old.destination_region else None,
        "purpose": old.purpose,
        "decision": old.decision,
        "decision_reason": old.decision_reason,
        "occurred_at": old.occurred_at,
        # Identifiers are not put on the form: the hidden `keep` carries them over.
        "people": [
            {
                "keep": str(row.pk),
                "name": row.name,
                "temperature": row.temperature,
                "code_colour": row.code_colour,
                "code_verified": row.code_verified,
            }
            for row in rows
        ],
    }
    kept = {str(row.pk): row for row in rows}
    form, people, result = _register(
        request, old.checkpoint, corrects=old, initial=initial, kept=kept
    )
    if result is not None:
        messages.success(request, _("Correction saved; the list shows the corrected passage."))
        return redirect("checkpoints:passage-detail", passage_id=result.passage.pk)
    context = {
        "checkpoint": old.checkpoint,
        "form": form,
        "people": people,
        "corrects": old,
        "kept": kept,
    }
    return render(request, "checkpoints/passage_form.html", context)


@capability_required(REGISTER)
def passage_detail_view(request: HttpRequest, passage_id: int) -> HttpResponse:
    passage = selectors.passage_get(user=request.user, passage_id=passage_id)
    context = {
        "passage": passage,
        "rows": selectors.passage_people(passages=[passage])[passage.pk],
        "is_latest": selectors.passage_is_latest(passage=passage),
    }
    return render(request, "checkpoints/passage_detail.html", context)


@capability_required(REGISTER)
def passage_list_view(request: HttpRequest) -> HttpResponse:
    """The passages behind a figure (checkpoint, day or up to a day, figure), newest first,
    paged by key and never counted; identifiers masked."""
    checkpoint = None
    if request.GET.get("checkpoint"):
        try:
            checkpoint_id = int(request.GET["checkpoint"])
        except ValueError:
            raise Http404 from None
        checkpoint = selectors.checkpoint_get(
            user=request.user, checkpoint_id=checkpoint_id, capability=REGISTER
        )
    figure = request.GET.get("figure", "")
    figure = figure if figure in selectors.FIGURES else ""
    day = _parse_day(request.GET.get("day", ""))
    until = _parse_day(request.GET.get("until", ""))
    plate = plates.normalize(request.GET.get("plate", ""))
    passages = selectors.passage_list(
        user=request.user, checkpoint=checkpoint, day=day, until=until, figure=figure, plate=plate
    )
    page = keyset_page(passages, after=request.GET.get("after"), size=30, newest_first=True)
    people = selectors.passage_people(passages=page.items)
    context = {
        "page": page,
        "rows": [(passage, people[passage.pk]) for passage in page.items],
        "checkpoint": checkpoint,
        "day": day,
        "until": until,
        "figure": figure,
        "plate": plate,
        "query": request.GET.copy(),
    }
    context["query"].pop("after", None)
    return render(request, "checkpoints/passage_list.html", context)


@capability_required(REGISTER)
def person_lookup_view(request: HttpRequest) -> HttpResponse:
    """Live: the ledger's person behind an ID number or personal code typed or scanned, masked."""
    # The form's inputs send their own names (people-0-code, people-0-id_number).
    fields = {key.rsplit("-", 1)[-1]: value.strip() for key, value in request.GET.items()}
    token = fields.get("code", "").rstrip("/").rsplit("/", 1)[-1]
    number = fields.get("id_number", "")
    person = None
    if token:
        person = code_resolve(user=request.user, token=token)
    elif number:
        person = selectors.person_by_document(user=request.user, number=number)
    context = {"person": person, "asked": bool(token or number)}
    return render(request, "checkpoints/_lookup.html", context)
