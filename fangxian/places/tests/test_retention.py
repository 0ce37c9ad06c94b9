import uuid
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.utils import timezone

from fangxian.audit.models import AuditEntry
from fangxian.places.models import Scan
from fangxian.places.retention import scans_purge
from fangxian.places.services import scan_record

pytestmark = pytest.mark.django_db


def _scan(place, *, days_ago: float, phone: str = "13800138000"):
    at = timezone.now() - timedelta(days=days_ago)
    return scan_record(
        place=place, client_id=uuid.uuid4(), phone=phone, occurred_at=at, source="device"
    )[0]


def test_purge_deletes_only_scans_past_the_period_with_their_corrections(shop):
    old = [_scan(shop, days_ago=30 + n) for n in range(5)]
    kept = [_scan(shop, days_ago=n) for n in range(3)]
    correction = Scan.objects.create(
        place=shop,
        region=shop.region,
        phone=old[0].phone,
        direction=old[0].direction,
        occurred_at=timezone.now(),  # made recently, about an old scan: goes with it
        day=timezone.localdate(),
        source="staff",
        corrects=old[0],
        withdrawn=True,
    )

    deleted = scans_purge(older_than_days=28, batch=2)

    assert deleted == 5
    left = set(Scan.objects.values_list("id", flat=True))
    assert left == {scan.id for scan in kept}
    assert correction.id not in left
    entry = AuditEntry.objects.filter(detail__purge="places.scan").get()
    assert entry.detail == {"purge": "places.scan", "deleted": 5, "older_than_days": 28}


def test_purge_refuses_to_delete_everything(shop):
    _scan(shop, days_ago=0)
    with pytest.raises(ValidationError):
        scans_purge(older_than_days=0)
    assert Scan.objects.count() == 1


def test_the_command_prints_the_count(shop, capsys):
    _scan(shop, days_ago=40)
    _scan(shop, days_ago=1)
    call_command("purge_scans", "--older-than-days", "28", "--json")
    assert capsys.readouterr().out.strip() == '{"deleted": 1}'
    assert Scan.objects.count() == 1
