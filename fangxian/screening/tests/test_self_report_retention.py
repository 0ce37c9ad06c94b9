"""What the public form promises about keeping data, and the purge that keeps the promise."""

from datetime import datetime, timedelta
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command
from django.urls import reverse

from fangxian.audit.models import AuditEntry
from fangxian.screening import self_reports
from fangxian.screening.models import SelfReport
from tests import factories

NOW = datetime(2026, 3, 1, 9, 0, tzinfo=ZoneInfo("Asia/Shanghai"))
PERIOD = timedelta(days=self_reports.RETENTION_DAYS)


def _report(town, *, sent: datetime, status=SelfReport.Status.PENDING, **fields) -> SelfReport:
    report = SelfReport.objects.create(
        region=town["wafang_1"],
        name="赵六",
        id_number=factories.valid_id_number(),
        phone="13812345678",
        address="第一网格3号",
        origin_text="湖北武汉",
        status=status,
        **fields,
    )
    SelfReport.objects.filter(pk=report.pk).update(created_at=sent)  # auto_now_add otherwise
    return report


def test_the_notice_names_a_concrete_period(client, town):
    response = client.get(reverse("report:form", kwargs={"code": town["wafang"].code}))
    notice = response.content.decode()
    assert "未核实的申报在提交 30 天后删除" in notice
    assert "核实后并入人员台账" in notice


def test_unverified_reports_past_the_period_are_deleted(town):
    old_pending = _report(town, sent=NOW - PERIOD - timedelta(minutes=1))
    old_rejected = _report(
        town, sent=NOW - PERIOD - timedelta(days=5), status=SelfReport.Status.REJECTED
    )
    fresh = _report(town, sent=NOW - PERIOD + timedelta(minutes=1))

    assert self_reports.self_reports_purge(now=NOW) == 2

    remaining = set(SelfReport.objects.values_list("pk", flat=True))
    assert remaining == {fresh.pk}
    assert old_pending.pk not in remaining and old_rejected.pk not in remaining


def test_verified_reports_stay_as_part_of_the_ledger(town):
    verified = _report(town, sent=NOW - PERIOD * 3, status=SelfReport.Status.VERIFIED)
    assert self_reports.self_reports_purge(now=NOW) == 0
    assert SelfReport.objects.filter(pk=verified.pk).exists()


def test_the_purge_writes_one_audit_entry_with_the_count_and_no_personal_data(town):
    for _ in range(3):
        _report(town, sent=NOW - PERIOD - timedelta(days=1))

    self_reports.self_reports_purge(now=NOW)

    entry = AuditEntry.objects.get(action=AuditEntry.Action.DELETE)
    assert entry.detail["count"] == 3
    text = f"{entry.object_repr} {entry.detail} {entry.changes} {entry.username}"
    assert "赵六" not in text and "13812345678" not in text and "湖北" not in text
    assert entry.person_id is None


def test_a_purge_with_nothing_due_writes_nothing(town):
    _report(town, sent=NOW - timedelta(days=1))
    assert self_reports.self_reports_purge(now=NOW) == 0
    assert not AuditEntry.objects.filter(action=AuditEntry.Action.DELETE).exists()


def test_the_audit_trail_of_a_report_does_not_keep_the_name(town):
    """A report's audit entries outlive it: they name it by number, not by the sender's name."""
    report = self_reports.self_report_submit(
        village=town["wafang"],
        client="x",
        name="赵六",
        id_number=factories.valid_id_number(sequence=790),
        phone="13812345678",
        address="黄包谷地组5号",
        origin_text="湖北武汉",
    )
    entry = AuditEntry.objects.get(object_type="screening.selfreport")
    assert "赵六" not in entry.object_repr
    assert str(report.pk) in entry.object_repr


@pytest.mark.django_db
def test_the_command_purges_and_says_how_many(town):
    _report(town, sent=datetime.now(tz=ZoneInfo("UTC")) - PERIOD - timedelta(days=1))
    out = StringIO()
    call_command("purge_self_reports", stdout=out)
    assert "1" in out.getvalue()
    assert not SelfReport.objects.exists()
    out = StringIO()
    call_command("purge_self_reports", "--json", stdout=out)
    assert out.getvalue().strip() == '{"deleted": 0}'
