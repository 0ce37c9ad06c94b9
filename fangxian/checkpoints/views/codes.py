"""Personal codes (个人码): the panel on the person's page, issue and revoke, and the page the
QR code opens (/c/<token>/), which tells only staff within scope whose code it is."""

import segno
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from fangxian.accounts.decorators import capability_required
from fangxian.accounts.roles import Capability
from fangxian.checkpoints import codes, selectors
from fangxian.people.selectors import person_get

EDIT = Capability.EDIT_PEOPLE


def code_url(request: HttpRequest, token: str) -> str:
    return request.build_absolute_uri(reverse("code:resolve", kwargs={"token": token}))


def person_code_panel(request: HttpRequest, person) -> tuple[str, dict] | None:
    """The person's code on their page (registered in CheckpointsConfig.ready)."""
    if not request.user.can_at(Capability.VIEW_PEOPLE, person.region):
        return None
    code = codes.code_active(person=person)
    context = {
        "person": person,
        "code": code,
        "can_edit": request.user.can_at(EDIT, person.region),
    }
    if code is not None:
        url = code_url(request, code.token)
        context["qr"] = segno.make(url, error="m").svg_inline(scale=5, title=_("Personal code"))
    return "checkpoints/_person_code.html", context


def _editable_person(request: HttpRequest, person_id: int):
    person = person_get(user=request.user, person_id=person_id)
    if not request.user.can_at(EDIT, person.region):
        raise Http404
    return person


@capability_required(EDIT)
@require_POST
def code_issue_view(request: HttpRequest, person_id: int) -> HttpResponse:
    """Issue a code, or reissue: the old one stops working at once."""
    person = _editable_person(request, person_id)
    codes.code_issue(actor=request.user, person=person)
    messages.success(request, _("Personal code issued; any earlier code no longer works."))
    return redirect(person)


@capability_required(EDIT)
@require_POST
def code_revoke_view(request: HttpRequest, person_id: int) -> HttpResponse:
    person = _editable_person(request, person_id)
    try:
        codes.code_revoke(actor=request.user, person=person)
    except ValidationError as error:
        messages.error(request, error.messages[0])
    else:
        messages.success(request, _("Personal code revoked."))
    return redirect(person)


def code_resolve_view(request: HttpRequest, token: str) -> HttpResponse:
    """What opening a personal code's URL shows. Staff who may see the person get them, masked,
    and the checkpoints where they may register a passage; anyone else a neutral page that says
    nothing about the person, not even whether the code exists."""
    person = codes.code_resolve(user=request.user, token=token)
    if person is None:
        return render(request, "checkpoints/code_neutral.html")
    checkpoints = selectors.checkpoint_list(
        user=request.user, capability=Capability.REGISTER_PASSAGES
    ).filter(is_active=True)
    context = {"person": person, "token": token, "checkpoints": checkpoints}
    return render(request, "checkpoints/code_person.html", context)
