"""Retention of scans (场所码扫码记录): kept for the period the exposure search needs, then deleted.

The period is the township's to set (the 14 days of an exposure search plus a margin; 28 is the
usual choice); `fangxian manage purge_scans --older-than-days N`, run daily, deletes what is
older. The figures do not need the scans: `reports.FigureDay` keeps the day counts, which hold
no personal data. On PostgreSQL at tens of millions of rows the table can be partitioned by
month instead, and retention becomes dropping a partition (docs/architecture.md, Places).
"""

from datetime import datetime, timedelta
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from fangxian.audit.services import Action, audit_record
from fangxian.places.models import Scan

PURGE_BATCH = 5000


def scans_purge(
    *,
    older_than_days: int,
    actor: Any = None,
    now: datetime | None = None,
    batch: int = PURGE_BATCH,
) -> int:
    """Delete scans made more than `older_than_days` ago, `batch` ids per transaction so that
    the table is never locked for long, oldest first (ids grow with time, so each batch reads
    the primary key from its start). Corrections of a purged scan go with it. One audit entry
    with the count and no personal data."""
    if older_than_days < 1:
        raise ValidationError(_("Keep at least one day of scans."))
    cutoff = (now or timezone.now()) - timedelta(days=older_than_days)
    deleted = 0
    while True:
        with transaction.atomic():
            ids = list(
                Scan.objects.filter(occurred_at__lt=cutoff)
                .order_by("id")
                .values_list("id", flat=True)[:batch]
            )
            if not ids:
                break
            Scan.objects.filter(corrects_id__in=ids).exclude(id__in=ids).delete()
            deleted += Scan.objects.filter(id__in=ids).delete()[1].get(Scan._meta.label, 0)
    audit_record(
        actor=actor,
        action=Action.DELETE,
        detail={"purge": "places.scan", "deleted": deleted, "older_than_days": older_than_days},
    )
    return deleted
