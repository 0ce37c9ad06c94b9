"""The twice-daily round on a phone (健康监测): every person the member answers for, one line
each (temperature, symptom toggles), one submit for the whole round; and the daily call
(日回访) to one person."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from fangxian.accounts.decorators import capability_required
from fangxian.accounts.roles import Capability
from fangxian.quarantine.checks import (
    CheckEntry,
    daily_call_record,
    health_checks_record,
    nearest_slot,
)
from fangxian.quarantine.forms_team import CheckRowForm, DailyCallForm
from fangxian.quarantine.models import CheckSlot, QuarantineOrder
from fangxian.quarantine.selectors import alert_list, check_slots, symptom_choices, team_round
from fangxian.regions.scope import get_scoped_or_404

RECORD = Capability.RECORD_HEALTH_CHECKS


def _slot(slots: list[CheckSlot], chosen: str | None, now) -> CheckSlot | None:
    """The check time the page records: the one the page was opened for (a round begun at
    10:55 and sent at 11:05 stays the morning's), else the nearest to now."""
    by_id = {str(slot.pk): slot for slot in slots}
    if chosen in by_id:
        return by_id[chosen]
    return nearest_slot(slots, now) if slots else None


def _draft_key(user, slot: CheckSlot | None, now) -> str:
    day = timezone.localdate(now).isoformat()
    return f"fangxian.round.{user.pk}.{day}.{slot.pk if slot else 0}"


def _row_errors(rows: list[CheckRowForm]) -> list[str]:
    """Each error as a sentence naming the person and the field, for the summary on top."""
    found = []
    for row in rows:
        person = row.order.person.name
        for name, errors in row.errors.items():
            field = row.fields[name].label if name in row.fields else ""
            sentence = (
                _("%(person)s, %(field)s: %(message)s") if field else _("%(person)s: %(message)s")
            )
            found += [
                sentence % {"person": person, "field": field, "message": message}
                for message in errors
            ]
    return found


@capability_required(RECORD)
def round_view(request: HttpRequest) -> HttpResponse:
    """GET: the round for the current check time; POST: record every line filled in, all or
    nothing, through `health_checks_record` (a fixed number of queries for the round)."""
    now = timezone.now()
    slots = check_slots()
    slot = _slot(slots, request.POST.get("slot") or request.GET.get("slot"), now)
    orders = list(team_round(user=request.user, now=now))
    symptoms = [symptom.name for symptom in symptom_choices()]
    data = request.POST if request.method == "POST" else None
    rows = [CheckRowForm(data, order=o, symptoms=symptoms) for o in orders if not o.checked]
    problems: list[str] = []
    if data is not None:
        filled = [row for row in rows if not row.is_empty]
        if not filled:
            problems.append(_("Enter at least one person's temperature."))
        elif all([row.is_valid() for row in filled]):  # a list: check every line
            entries = [
                CheckEntry(
                    order=row.order,
                    temperature=row.cleaned_data["temperature"],
                    symptoms=row.cleaned_data["symptoms"],
                    slot=slot,
                )
                for row in filled
            ]
            try:
                result = health_checks_record(actor=request.user, entries=entries, now=now)
            except ValidationError as error:
                problems += error.messages
            else:
                messages.success(
                    request, _("%(count)s checks recorded.") % {"count": len(result.checks)}
                )
                alerts = ",".join(str(alert.pk) for alert in result.alerts)
                query = f"?slot={slot.pk if slot else ''}&sent=1&alerts={alerts}"
                return redirect(reverse("quarantine:round") + query)
        else:
            problems += _row_errors(filled)
    raised = []
    if request.GET.get("alerts"):
        ids = [int(part) for part in request.GET["alerts"].split(",") if part.isdigit()]
        raised = list(alert_list(user=request.user, unresolved=False).filter(pk__in=ids))
    context = {
        "slot": slot,
        "done": [order for order in orders if order.checked],
        "rows": rows,
        "problems": problems,
        "raised": raised,
        "draft_key": _draft_key(request.user, slot, now),
        "sent": request.GET.get("sent") == "1",
    }
    return render(request, "quarantine/round.html", context)


@capability_required(RECORD)
def call_view(request: HttpRequest, order_id: int) -> HttpResponse:
    """The daily call (日回访) to one person: reached or not, and a note."""
    order = get_scoped_or_404(
        QuarantineOrder.objects.select_related("person", "region__parent"),
        request.user,
        RECORD,
        pk=order_id,
    )
    form = DailyCallForm(request.POST if request.method == "POST" else None)
    if form.is_bound and form.is_valid():
        try:
            daily_call_record(actor=request.user, order=order, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request, _("Daily call to %(person)s recorded.") % {"person": order.person.name}
            )
            return redirect("quarantine:round")
    calls = order.calls.select_related("called_by").order_by("-called_at", "-id")[:5]
    return render(
        request, "quarantine/call_form.html", {"order": order, "form": form, "calls": calls}
    )
