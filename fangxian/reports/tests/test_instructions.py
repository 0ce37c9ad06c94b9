"""Instructions (指令): HQ issues to some or all units, units answer, HQ sees who is silent; the
next-day tasks of the 日报."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from fangxian.reports.document import daily_document
from fangxian.reports.models import InstructionReceipt, ReportingUnit, UnitKind
from fangxian.reports.services import DONE, REPORT_BACK, instruction_issue, receipt_respond


@pytest.fixture
def beiqi_unit(town):
    return ReportingUnit.objects.create(
        kind=UnitKind.VILLAGE, name="碑棋社区", region=town["beiqi"]
    )


def tomorrow():
    return timezone.localdate() + timedelta(days=1)


def test_an_instruction_to_all_reaches_every_active_unit(hq_user, town, wafang_unit, beiqi_unit):
    ReportingUnit.objects.create(
        kind=UnitKind.OTHER, name="停用单位", region=town["beiqi"], is_active=False
    )
    instruction = instruction_issue(
        actor=hq_user, region=town["town"], title="消杀", body="全面消杀", due_on=tomorrow()
    )
    assert instruction.all_units
    assert set(instruction.receipts.values_list("unit__name", flat=True)) == {"瓦房村", "碑棋社区"}


def test_a_unit_acknowledges_reports_back_and_finishes(
    hq_user, town, wafang_unit, cadre, beiqi_unit
):
    instruction = instruction_issue(
        actor=hq_user,
        region=town["town"],
        title="排查",
        body="排查返乡人员",
        due_on=tomorrow(),
        units=[wafang_unit],
    )
    receipt = instruction.receipts.get()
    with pytest.raises(ValidationError, match="反馈：请写明落实情况"):
        receipt_respond(actor=cadre, receipt=receipt, step=REPORT_BACK, text=" ")
    receipt = receipt_respond(actor=cadre, receipt=receipt, step=REPORT_BACK, text="已排查12户")
    assert receipt.acknowledged_at is not None and receipt.done_at is None
    receipt = receipt_respond(actor=cadre, receipt=receipt, step=DONE)
    assert receipt.done_at is not None and receipt.reported_back == "已排查12户"


def test_a_member_of_another_unit_cannot_answer(hq_user, town, beiqi_unit, cadre):
    instruction = instruction_issue(
        actor=hq_user, region=town["town"], title="排查", body="排查", due_on=tomorrow()
    )
    with pytest.raises(ValidationError):
        receipt_respond(actor=cadre, receipt=instruction.receipts.get(), step=DONE)


def test_hq_sees_who_has_not_responded(client, hq_user, town, wafang_unit, beiqi_unit, cadre):
    instruction = instruction_issue(
        actor=hq_user, region=town["town"], title="消杀", body="全面消杀", due_on=tomorrow()
    )
    receipt_respond(
        actor=cadre, receipt=InstructionReceipt.objects.get(unit=wafang_unit), step="acknowledge"
    )
    client.force_login(hq_user)
    page = client.get(
        reverse("reports:instruction-detail", kwargs={"instruction_id": instruction.pk})
    )
    assert [r.unit.name for r in page.context["silent"]] == ["碑棋社区"]


def test_hq_issues_from_the_page_and_the_unit_answers_from_its_list(
    client, hq_user, town, wafang_unit, cadre
):
    client.force_login(hq_user)
    refused = client.post(
        reverse("reports:instruction-create"),
        {"title": "消杀", "body": "全面消杀", "due_on": f"{tomorrow():%Y-%m-%d}"},
    )
    assert "单位：请选择单位，或发给全部单位。" in refused.content.decode()
    client.post(
        reverse("reports:instruction-create"),
        {
            "title": "消杀",
            "body": "全面消杀",
            "due_on": f"{tomorrow():%Y-%m-%d}",
            "units": [wafang_unit.pk],
        },
    )
    receipt = InstructionReceipt.objects.get()
    client.force_login(cadre)
    tasks = client.get(reverse("reports:receipt-list"))
    assert [r.pk for r in tasks.context["receipts"]] == [receipt.pk]
    url = reverse("reports:receipt-respond", kwargs={"receipt_id": receipt.pk})
    client.post(url, {"step": "done", "text": "已完成消杀"})
    receipt.refresh_from_db()
    assert receipt.done_at is not None
    assert list(client.get(reverse("reports:receipt-list")).context["receipts"]) == []


def test_the_daily_report_lists_the_tasks_due_tomorrow(hq_user, town, wafang_unit):
    instruction_issue(
        actor=hq_user, region=town["town"], title="明日消杀", body="全镇消杀", due_on=tomorrow()
    )
    instruction_issue(
        actor=hq_user,
        region=town["town"],
        title="后天排查",
        body="排查",
        due_on=tomorrow() + timedelta(days=1),
    )
    document = daily_document(user=hq_user, region=town["town"], day=timezone.localdate())
    assert document.tasks == [("明日消杀", "全镇消杀")]
