"""Writes for daily reports and instructions: each owns its transaction and audits itself."""

from dataclasses import dataclass
from datetime import date, datetime, time
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.template import Context, Engine, TemplateSyntaxError
from django.utils import timezone
from django.utils.translation import gettext as _

from fangxian.audit.models import AuditEntry
from fangxian.audit.services import audit_record
from fangxian.regions.models import Region
from fangxian.regions.scope import region_in_scope
from fangxian.reports import computed
from fangxian.reports.models import (
    DailyReport,
    Indicator,
    Instruction,
    InstructionReceipt,
    Reminder,
    ReportDeadline,
    ReportingUnit,
    ReportRevision,
    ReportValue,
    ReportWording,
    UnitKind,
)
from fangxian.reports.selectors import (
    MANAGE,
    active_indicators,
    deadline_at,
    indicators_for,
    unit_may_submit,
)

Action = AuditEntry.Action


def _require(actor: Any, capability: str, region: Region) -> None:
    if not region_in_scope(region, actor, capability):
        raise ValidationError(_("You may not do this for %(region)s.") % {"region": region})


def computed_values(*, unit: ReportingUnit, day: date, indicators: list[Indicator]) -> dict:
    """{indicator id: live value} of the unit's computed indicators on `day`: one computation
    per computed indicator (a handful), each a GROUP BY over the unit's region."""
    return {
        i.pk: Decimal(computed.value(i.computation, region=unit.region, day=day))
        for i in indicators
        if i.is_computed
    }


@dataclass
class Submitted:
    report: DailyReport
    created: bool  # False: the submission corrected the existing report


@transaction.atomic
def report_submit(
    *,
    actor: Any,
    unit: ReportingUnit,
    day: date,
    values: dict[int, Decimal],
    reason: str = "",
    refresh_computed: bool = False,
    now: datetime | None = None,
) -> Submitted:
    """Send a unit's report of `day`: the reported `values` ({indicator id: value}) as entered,
    the computed indicators snapshotted from the records now.

    One report per unit and day: the unit's row is locked, so two sends cannot both create it,
    and a second send is a correction, which needs a `reason`, keeps the computed snapshot
    unless `refresh_computed`, and appends a revision. Timeliness is the first send's (against
    the deadline of the unit's township). Audited.
    """
    now = now or timezone.now()
    unit = ReportingUnit.objects.select_for_update().select_related("region").get(pk=unit.pk)
    if not unit_may_submit(user=actor, unit=unit):
        raise ValidationError(_("You are not a member of this unit."))
    if day > timezone.localdate(now):
        raise ValidationError({"day": _("Day: a report cannot be sent for a day to come.")})
    indicators = indicators_for(unit, active_indicators())
    reported = [i for i in indicators if not i.is_computed]
    missing = [i.name for i in reported if values.get(i.pk) is None]
    if missing:
        raise ValidationError(
            _("%(names)s: enter a figure (0 if none).") % {"names": "、".join(missing)}
        )
    negative = [i.name for i in reported if values[i.pk] < 0]
    if negative:
        raise ValidationError(
            _("%(names)s: a figure cannot be negative.") % {"names": "、".join(negative)}
        )
    report = DailyReport.objects.filter(unit=unit, day=day).first()
    created = report is None
    if created:
        report = DailyReport.objects.create(
            unit=unit,
            day=day,
            status=DailyReport.Status.SUBMITTED,
            submitted_by=actor,
            submitted_at=now,
            on_time=now <= deadline_at(unit.region, day),
        )
        snapshot = computed_values(unit=unit, day=day, indicators=indicators)
    else:
        reason = reason.strip()
        if not reason:
            raise ValidationError({"reason": _("Reason: say why the report is corrected.")})
        report.status = DailyReport.Status.CORRECTED
        report.corrected_at = now
        report.save(update_fields=["status", "corrected_at"])
        kept = {
            row.indicator_id: row.value
            for row in ReportValue.objects.filter(report=report, indicator__kind="computed")
        }
        live = computed_values(unit=unit, day=day, indicators=indicators)
        snapshot = live if refresh_computed else {k: kept.get(k, v) for k, v in live.items()}
    current = {i.pk: values[i.pk] for i in reported} | snapshot
    ReportValue.objects.filter(report=report).delete()
    ReportValue.objects.bulk_create(
        ReportValue(report=report, indicator_id=pk, value=value) for pk, value in current.items()
    )
    codes = {i.pk: i.code for i in indicators}
    number = report.revisions.count() + 1
    ReportRevision.objects.create(
        report=report,
        number=number,
        values={codes[pk]: str(value) for pk, value in current.items()},
        reason=reason,
        by=actor,
        at=now,
    )
    audit_record(
        actor=actor,
        action=Action.CREATE if created else Action.UPDATE,
        obj=report,
        region=unit.region,
        detail={"revision": number, "reason": reason} if not created else {"revision": 1},
    )
    return Submitted(report=report, created=created)


def reminders_record(*, day: date | None = None, now: datetime | None = None) -> int:
    """Record a reminder for every active unit whose report of `day` (default: today) is not in
    (`fangxian manage remind_reports`, run after the deadline). Idempotent: one reminder per
    unit and day. Returns how many were recorded now. Two queries."""
    now = now or timezone.now()
    day = day or timezone.localdate(now)
    sent = DailyReport.objects.filter(unit=OuterRef("pk"), day=day)
    reminded = Reminder.objects.filter(unit=OuterRef("pk"), day=day)
    due = list(
        ReportingUnit.objects.filter(is_active=True, reports_from__lte=day)
        .exclude(Exists(sent))
        .exclude(Exists(reminded))
        .values_list("pk", flat=True)
    )
    Reminder.objects.bulk_create(
        [Reminder(unit_id=pk, day=day, created_at=now) for pk in due], ignore_conflicts=True
    )
    return len(due)


@transaction.atomic
def units_generate_villages(*, actor: Any, region: Region, starts_on: date | None = None) -> int:
    """Create a reporting unit of kind village for every village under `region` that has none.
    Two queries and one insert; audited with the count."""
    _require(actor, MANAGE, region)
    villages = Region.objects.filter(
        path__startswith=region.path, level=Region.Level.VILLAGE
    ).exclude(Exists(ReportingUnit.objects.filter(region=OuterRef("pk"), kind=UnitKind.VILLAGE)))
    units = [
        ReportingUnit(
            kind=UnitKind.VILLAGE,
            name=village.short_name,
            region=village,
            reports_from=starts_on or timezone.localdate(),
        )
        for village in villages.order_by("path")
    ]
    ReportingUnit.objects.bulk_create(units)
    audit_record(
        actor=actor,
        action=Action.CREATE,
        region=region,
        detail={"reporting_units": len(units), "kind": UnitKind.VILLAGE},
    )
    return len(units)


@transaction.atomic
def unit_save(*, actor: Any, unit: ReportingUnit, members: list[Any]) -> ReportingUnit:
    """Create or change a reporting unit and set its members (HQ over its region). Audited."""
    _require(actor, MANAGE, unit.region)
    created = unit.pk is None
    unit.full_clean()
    unit.save()
    unit.members.set(members)
    audit_record(
        actor=actor,
        action=Action.CREATE if created else Action.UPDATE,
        obj=unit,
        region=unit.region,
        detail={"members": len(members)},
    )
    return unit


@transaction.atomic
def deadline_set(*, actor: Any, region: Region, deadline: time) -> ReportDeadline:
    """Set the daily deadline of a township (or of a village). Audited."""
    _require(actor, MANAGE, region)
    setting, _created = ReportDeadline.objects.update_or_create(
        region=region, defaults={"deadline": deadline}
    )
    audit_record(
        actor=actor,
        action=Action.UPDATE,
        obj=setting,
        region=region,
        detail={"deadline": f"{deadline:%H:%M}"},
    )
    return setting


ENGINE = Engine()  # the built-in tags and filters only, no template loaders


def wording_check(text: str, field: str, label: str) -> None:
    try:
        ENGINE.from_string(text).render(Context({}))
    except TemplateSyntaxError as error:
        raise ValidationError(
            {
                field: _("%(field)s: the template does not read: %(error)s")
                % {"field": label, "error": error}
            }
        ) from error


@transaction.atomic
def wording_save(*, actor: Any, region: Region, title: str, body: str) -> ReportWording:
    """Save the wording of a region's 日报 after checking that both texts render. Audited."""
    _require(actor, MANAGE, region)
    wording_check(title, "title", _("Title"))
    wording_check(body, "body", _("Text"))
    wording, _created = ReportWording.objects.update_or_create(
        region=region, defaults={"title": title, "body": body}
    )
    audit_record(actor=actor, action=Action.UPDATE, obj=wording, region=region)
    return wording


@transaction.atomic
def indicator_save(*, actor: Any, indicator: Indicator) -> Indicator:
    """Create or change an indicator (HQ anywhere). Audited."""
    created = indicator.pk is None
    indicator.full_clean()
    indicator.save()
    audit_record(actor=actor, action=Action.CREATE if created else Action.UPDATE, obj=indicator)
    return indicator


@transaction.atomic
def instruction_issue(
    *,
    actor: Any,
    region: Region,
    title: str,
    body: str,
    due_on: date,
    units: list[ReportingUnit] | None = None,
    now: datetime | None = None,
) -> Instruction:
    """Send an instruction to `units`, or to every active unit under `region` (None). One
    receipt per unit, inserted at once. Audited."""
    _require(actor, MANAGE, region)
    now = now or timezone.now()
    targets = units
    if targets is None:
        targets = list(
            ReportingUnit.objects.filter(region__path__startswith=region.path, is_active=True)
        )
    if any(not unit.region.path.startswith(region.path) for unit in targets):
        raise ValidationError({"units": _("Units: choose units of the region.")})
    if not targets:
        raise ValidationError({"units": _("Units: there is no unit to send it to.")})
    instruction = Instruction(
        region=region,
        title=title.strip(),
        body=body.strip(),
        due_on=due_on,
        all_units=units is None,
        issued_by=actor,
        issued_at=now,
    )
    instruction.full_clean()
    instruction.save()
    InstructionReceipt.objects.bulk_create(
        InstructionReceipt(instruction=instruction, unit=unit) for unit in targets
    )
    audit_record(
        actor=actor,
        action=Action.CREATE,
        obj=instruction,
        detail={"units": len(targets)},
    )
    return instruction


ACKNOWLEDGE, REPORT_BACK, DONE = "acknowledge", "report_back", "done"


@transaction.atomic
def receipt_respond(
    *,
    actor: Any,
    receipt: InstructionReceipt,
    step: str,
    text: str = "",
    now: datetime | None = None,
) -> InstructionReceipt:
    """A unit acknowledges an instruction, reports back on it, or marks it done. Reporting back
    or finishing acknowledges too. Audited."""
    now = now or timezone.now()
    receipt = InstructionReceipt.objects.select_for_update().get(pk=receipt.pk)
    if not unit_may_submit(user=actor, unit=receipt.unit):
        raise ValidationError(_("You are not a member of this unit."))
    fields = []
    if receipt.acknowledged_at is None:
        receipt.acknowledged_at, receipt.acknowledged_by = now, actor
        fields += ["acknowledged_at", "acknowledged_by"]
    if step == REPORT_BACK:
        if not text.strip():
            raise ValidationError({"text": _("Report back: write what was done.")})
        receipt.reported_back, receipt.reported_back_at = text.strip(), now
        fields += ["reported_back", "reported_back_at"]
    elif step == DONE:
        if text.strip():
            receipt.reported_back, receipt.reported_back_at = text.strip(), now
            fields += ["reported_back", "reported_back_at"]
        receipt.done_at = now
        fields.append("done_at")
    elif step != ACKNOWLEDGE:
        raise ValidationError(_("Unknown step."))
    if fields:
        receipt.save(update_fields=fields)
    audit_record(
        actor=actor,
        action=Action.UPDATE,
        obj=receipt,
        region=receipt.unit.region,
        detail={"step": step},
    )
    return receipt
