"""Writes for monitoring (健康监测): a team member's round of checks, fever alerts and their
handling, the daily call (日回访).

A check belongs to one of the day's check times (`CheckSlot`, 08:00 and 14:00 by default): the
one given, else the one nearest to the time of measurement. A temperature at or above the
threshold (37.3 °C by default, `QuarantineRules`) or a symptom marked as raising an alert opens a
`FeverAlert` in the same transaction, so the doctor and HQ see it at once.
"""

from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from fangxian.accounts.roles import Capability
from fangxian.audit.services import Action, audit_record
from fangxian.quarantine.models import (
    CheckSlot,
    DailyCall,
    FeverAlert,
    FeverAlertEvent,
    HealthCheck,
    QuarantineOrder,
    QuarantineRules,
    Symptom,
)
from fangxian.quarantine.orders import audit_many, require

TEMPERATURE_RANGE = (Decimal("34.0"), Decimal("43.0"))
AlertStatus = FeverAlert.Status
# open → seen → visited → fever clinic or closed; a reading found wrong on sight may close.
ALERT_STEPS = {
    AlertStatus.OPEN: (AlertStatus.SEEN,),
    AlertStatus.SEEN: (AlertStatus.VISITED, AlertStatus.CLOSED),
    AlertStatus.VISITED: (AlertStatus.FEVER_CLINIC, AlertStatus.CLOSED),
}


@dataclass
class CheckEntry:
    """One person's line in a round: the order, the reading, and optionally the check time
    (`slot`; else the nearest) and the moment measured (else the call's `now`). `extra` records a
    re-measurement outside the check times."""

    order: QuarantineOrder
    temperature: Decimal | str | float
    symptoms: list[str] = field(default_factory=list)
    note: str = ""
    slot: CheckSlot | None = None
    measured_at: datetime | None = None
    extra: bool = False


@dataclass
class RoundResult:
    checks: list[HealthCheck]
    alerts: list[FeverAlert]


def nearest_slot(slots: list[CheckSlot], moment: datetime) -> CheckSlot:
    """The check time of the day nearest to `moment` (local time): 10:59 counts for 08:00,
    11:01 for 14:00."""
    local = timezone.localtime(moment)
    minutes = local.hour * 60 + local.minute
    return min(slots, key=lambda slot: abs(slot.time.hour * 60 + slot.time.minute - minutes))


def _temperature(value: Any, name: str) -> Decimal:
    try:
        reading = Decimal(str(value)).quantize(Decimal("0.1"))
    except (InvalidOperation, ValueError) as error:
        raise ValidationError(_("%(name)s: enter the temperature.") % {"name": name}) from error
    low, high = TEMPERATURE_RANGE
    if not low <= reading <= high:
        raise ValidationError(
            _("%(name)s: a temperature of %(value)s °C cannot be right.")
            % {"name": name, "value": reading}
        )
    return reading


def alert_reason(temperature: Decimal, symptoms: list[str], threshold: Decimal, alerting: set):
    """Why a reading raises an alert ("" when it does not): a whole sentence."""
    listed = [s for s in symptoms if s in alerting]
    if temperature >= threshold and listed:
        return _("%(value)s °C and %(symptoms)s") % {
            "value": temperature,
            "symptoms": "、".join(listed),
        }
    if temperature >= threshold:
        return _("%(value)s °C") % {"value": temperature}
    if listed:
        return _("Symptoms: %(symptoms)s") % {"symptoms": "、".join(listed)}
    return ""


@transaction.atomic
def health_checks_record(
    *, actor: Any, entries: list[CheckEntry], now: datetime | None = None
) -> RoundResult:
    """Record a round of checks in one call and one transaction (a team member's people, in a
    row). Each order must be in quarantine and within the actor's `record_health_checks`
    scope; a check time already recorded for that day is refused (send `extra=True` for a
    re-measurement). Alerts open at once. Queries: a fixed handful for the whole round.
    One audit entry per check."""
    now = now or timezone.now()
    if not entries:
        raise ValidationError(_("Nothing to record."))
    rules = QuarantineRules.current()
    slots = list(CheckSlot.objects.filter(is_active=True))
    symptoms = {s.name: s for s in Symptom.objects.filter(is_active=True)}
    alerting = {name for name, s in symptoms.items() if s.raises_alert}
    orders = {
        o.pk: o
        for o in QuarantineOrder.objects.select_related("region", "person").filter(
            pk__in=[e.order.pk for e in entries]
        )
    }
    checks: list[HealthCheck] = []
    reasons: list[str] = []
    for entry in entries:
        order = orders[entry.order.pk]
        name = order.person.name
        if not actor.can_at(Capability.RECORD_HEALTH_CHECKS, order.region):
            raise PermissionDenied
        if order.status != QuarantineOrder.Status.ACTIVE:
            raise ValidationError(_("%(name)s is not in quarantine.") % {"name": name})
        unknown = [s for s in entry.symptoms if s not in symptoms]
        if unknown:
            raise ValidationError(
                _("%(name)s: unknown symptom %(symptom)s.") % {"name": name, "symptom": unknown[0]}
            )
        measured_at = entry.measured_at or now
        if measured_at > now:
            raise ValidationError(_("%(name)s: the time is in the future.") % {"name": name})
        if measured_at < order.activated_at:
            raise ValidationError(
                _("%(name)s: the time is before the quarantine began.") % {"name": name}
            )
        if not entry.extra and not entry.slot and not slots:
            raise ValidationError(_("No check times are set: HQ sets them."))
        slot = None if entry.extra else (entry.slot or nearest_slot(slots, measured_at))
        reading = _temperature(entry.temperature, name)
        checks.append(
            HealthCheck(
                order=order,
                region_id=order.region_id,
                due_on=timezone.localdate(measured_at),
                slot=slot,
                measured_at=measured_at,
                temperature=reading,
                symptoms=list(dict.fromkeys(entry.symptoms)),
                recorded_by=actor,
                note=(entry.note or "").strip()[:200],
            )
        )
        reasons.append(alert_reason(reading, entry.symptoms, rules.fever_threshold, alerting))
    _refuse_taken_slots(checks)
    HealthCheck.objects.bulk_create(checks)
    alerts = FeverAlert.objects.bulk_create(
        [
            FeverAlert(
                order=check.order,
                region_id=check.region_id,
                check_record=check,
                reason=reason,
                raised_at=now,
            )
            for check, reason in zip(checks, reasons, strict=True)
            if reason
        ]
    )
    audit_many(
        actor=actor,
        action=Action.CREATE,
        objects=checks,
        person_of=lambda check: check.order.person_id,
        detail={"alerts": len(alerts)},
        at=now,
    )
    return RoundResult(checks=checks, alerts=alerts)


def _refuse_taken_slots(checks: list[HealthCheck]) -> None:
    """No check time recorded twice, in this round or before (one query)."""
    keys = [(c.order_id, c.due_on, c.slot_id) for c in checks if c.slot_id]
    if len(set(keys)) != len(keys):
        raise ValidationError(_("The round names someone twice for the same check time."))
    if not keys:
        return
    taken = set(
        HealthCheck.objects.filter(
            order_id__in={k[0] for k in keys},
            due_on__in={k[1] for k in keys},
            slot__isnull=False,
        ).values_list("order_id", "due_on", "slot_id")
    )
    clash = [c for c in checks if (c.order_id, c.due_on, c.slot_id) in taken]
    if clash:
        raise ValidationError(
            _("%(name)s has already been checked at %(slot)s today.")
            % {"name": clash[0].order.person.name, "slot": clash[0].slot.time.strftime("%H:%M")}
        )


@transaction.atomic
def alert_advance(
    *, actor: Any, alert: FeverAlert, to_status: str, note: str = "", now: datetime | None = None
) -> FeverAlert:
    """Move an alert one step (open → seen → visited → fever clinic or closed), recording who
    and when. Closing or sending to the fever clinic needs a note."""
    now = now or timezone.now()
    alert = (
        FeverAlert.objects.select_for_update().select_related("region", "order").get(pk=alert.pk)
    )
    require(actor, Capability.RECORD_HEALTH_CHECKS, alert.region)
    if to_status not in ALERT_STEPS.get(alert.status, ()):
        raise ValidationError(
            _("An alert that is %(status)s cannot become %(to)s.")
            % {"status": alert.get_status_display(), "to": AlertStatus(to_status).label}
        )
    note = (note or "").strip()
    if to_status in (AlertStatus.CLOSED, AlertStatus.FEVER_CLINIC) and not note:
        raise ValidationError({"note": _("Say what was found.")})
    before = alert.status
    alert.status = to_status
    alert.save(update_fields=["status"])
    FeverAlertEvent.objects.create(
        alert=alert, from_status=before, to_status=to_status, actor=actor, at=now, note=note[:200]
    )
    audit_record(
        actor=actor,
        action=Action.UPDATE,
        obj=alert,
        person_id=alert.order.person_id,
        detail={"from": before, "to": to_status},
    )
    return alert


@transaction.atomic
def daily_call_record(
    *,
    actor: Any,
    order: QuarantineOrder,
    reached: bool,
    note: str = "",
    called_at: datetime | None = None,
    now: datetime | None = None,
) -> DailyCall:
    """Record the daily call (日回访) to a person in quarantine: reached or not, and what was
    said (needs, mood)."""
    now = now or timezone.now()
    called_at = called_at or now
    order = QuarantineOrder.objects.select_related("region").get(pk=order.pk)
    require(actor, Capability.RECORD_HEALTH_CHECKS, order.region)
    if order.status != QuarantineOrder.Status.ACTIVE:
        raise ValidationError(_("This person is not in quarantine."))
    if called_at > now:
        raise ValidationError(_("The time is in the future."))
    call = DailyCall(
        order=order,
        region_id=order.region_id,
        called_at=called_at,
        reached=reached,
        note=(note or "").strip(),
        called_by=actor,
    )
    call.full_clean()
    call.save()
    audit_record(actor=actor, action=Action.CREATE, obj=call, person_id=order.person_id)
    return call
