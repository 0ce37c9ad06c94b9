"""Daily online reports (每日线上上报): one per enterprise and day, before the township's deadline.

Submitting again the same day changes the report (decision: the enterprise corrects its own
figures rather than being refused): the figures it had are kept as a DailyReportRevision, the
revision number goes up, and a supervisor's confirmation is reset, since it confirmed other
figures. A report counts as late when its FIRST submission came after the deadline; correcting
an on-time report later does not make it late.
"""

from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from fangxian.accounts.roles import Capability
from fangxian.audit.services import Action, audit_record
from fangxian.enterprises.models import DailyReport, DailyReportRevision, Enterprise
from fangxian.enterprises.scope import can_on
from fangxian.enterprises.services import deadline_for

# How far back a missed day may still be reported (late).
BACKFILL_DAYS = 6


def deadline_at(enterprise: Enterprise, day: date) -> datetime:
    """The moment the day's report is due, in the site's time zone."""
    return timezone.make_aware(datetime.combine(day, deadline_for(enterprise.region)))


def _snapshot(report: DailyReport) -> dict[str, Any]:
    return {
        name: str(value) if isinstance(value, Decimal) else value
        for name in DailyReport.FIGURES
        for value in [getattr(report, name)]
    }


@transaction.atomic
def daily_report_submit(
    *, actor: Any, enterprise: Enterprise, day: date, now: datetime | None = None, **figures: Any
) -> DailyReport:
    """Submit (or correct) the enterprise's report for `day`. Audited."""
    if not can_on(actor, Capability.KEEP_ENTERPRISE_RECORDS, enterprise):
        raise PermissionDenied
    now = now or timezone.now()
    today = timezone.localdate(now)
    if day > today:
        raise ValidationError({"day": _("A report cannot be made for a day still to come.")})
    if day < today - timedelta(days=BACKFILL_DAYS):
        raise ValidationError(
            {"day": _("Reports older than %(days)s days cannot be made.") % {"days": BACKFILL_DAYS}}
        )
    report = DailyReport.objects.select_for_update().filter(enterprise=enterprise, day=day).first()
    if report is None:
        report = DailyReport(
            enterprise=enterprise,
            day=day,
            late=now > deadline_at(enterprise, day),
            submitted_by=actor,
            submitted_at=now,
            **figures,
        )
        report.full_clean()
        report.save()
        audit_record(actor=actor, action=Action.CREATE, obj=report, region=enterprise.region)
        return report
    before = _snapshot(report)
    for name, value in figures.items():
        setattr(report, name, value)
    report.full_clean()
    after = _snapshot(report)
    changed = sorted(name for name in before if before[name] != after[name])
    if not changed:
        return report
    DailyReportRevision.objects.create(
        report=report,
        revision=report.revision,
        figures=before,
        submitted_by=report.submitted_by,
        submitted_at=report.submitted_at,
    )
    report.revision += 1
    report.submitted_by, report.submitted_at = actor, now
    report.review, report.review_comment = DailyReport.Review.PENDING, ""
    report.reviewed_by = report.reviewed_at = None
    report.save()
    audit_record(
        actor=actor,
        action=Action.UPDATE,
        obj=report,
        region=enterprise.region,
        changes={"fields": changed, "revision": [report.revision - 1, report.revision]},
    )
    return report


@transaction.atomic
def daily_report_review(
    *, actor: Any, report: DailyReport, confirm: bool, comment: str = "", now=None
) -> DailyReport:
    """The on-site supervisor (or HQ) confirms the report or comments on it; a comment is
    required when not confirming. Audited."""
    if not can_on(actor, Capability.SUPERVISE_ENTERPRISES, report.enterprise):
        raise PermissionDenied
    comment = comment.strip()
    if not confirm and not comment:
        raise ValidationError({"comment": _("Write the comment for the enterprise.")})
    report.review = DailyReport.Review.CONFIRMED if confirm else DailyReport.Review.COMMENTED
    report.review_comment = comment[:300]
    report.reviewed_by, report.reviewed_at = actor, now or timezone.now()
    report.save(update_fields=["review", "review_comment", "reviewed_by", "reviewed_at"])
    audit_record(
        actor=actor,
        action=Action.UPDATE,
        obj=report,
        region=report.enterprise.region,
        changes={"review": [report.review]},
    )
    return report
