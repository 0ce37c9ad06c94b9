"""Sending reports (once per unit and day, corrections with a reason, snapshots), deadlines,
reminders, village units, wording checks, and the cost of the figures."""

from datetime import time
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from fangxian.accounts.roles import Role
from fangxian.audit.models import AuditEntry
from fangxian.reports.completeness import completeness
from fangxian.reports.figures import aggregate
from fangxian.reports.models import (
    DailyReport,
    Indicator,
    Reminder,
    ReportingUnit,
    ReportValue,
    UnitKind,
)
from fangxian.reports.services import (
    deadline_set,
    reminders_record,
    report_submit,
    units_generate_villages,
    wording_save,
)
from fangxian.screening.models import Trip
from tests import factories

from .conftest import at


def reported(value: int = 1) -> dict[int, Decimal]:
    return {i.pk: Decimal(value) for i in Indicator.objects.filter(kind=Indicator.Kind.REPORTED)}


def trip(region, day):
    person = factories.make_person(region=region)
    return Trip.objects.create(
        person=person,
        region=region,
        origin_text="湖北武汉",
        arrived_on=day,
        source=Trip.Source.MANUAL,
        category=Trip.Category.KEY_AREA,
    )


def value_of(report, code: str) -> Decimal:
    return ReportValue.objects.get(report=report, indicator__code=code).value


def test_a_second_send_is_a_correction_and_never_a_second_report(wafang_unit, cadre, days):
    first = report_submit(
        actor=cadre, unit=wafang_unit, day=days[0], values=reported(3), now=at(days[0], 15)
    )
    second = report_submit(
        actor=cadre,
        unit=wafang_unit,
        day=days[0],
        values=reported(5),
        reason="数字有误",
        now=at(days[0], 16, 30),
    )
    assert (first.created, second.created) == (True, False)
    assert second.report.pk == first.report.pk
    assert DailyReport.objects.filter(unit=wafang_unit, day=days[0]).count() == 1
    assert value_of(second.report, "slogans") == 5
    assert ReportValue.objects.filter(report=first.report, indicator__code="slogans").count() == 1
    assert second.report.on_time  # the first send was before 16:00
    actions = list(
        AuditEntry.objects.filter(object_type="reports.dailyreport").values_list(
            "action", flat=True
        )
    )
    assert sorted(actions) == ["create", "update"]


def test_a_correction_without_a_reason_is_refused_and_changes_nothing(wafang_unit, cadre, days):
    report_submit(
        actor=cadre, unit=wafang_unit, day=days[0], values=reported(3), now=at(days[0], 9)
    )
    with pytest.raises(ValidationError) as refused:
        report_submit(
            actor=cadre, unit=wafang_unit, day=days[0], values=reported(9), now=at(days[0], 10)
        )
    assert refused.value.message_dict == {"reason": ["更正原因：请说明为什么更正日报。"]}
    report = DailyReport.objects.get(unit=wafang_unit, day=days[0])
    assert value_of(report, "slogans") == 3
    assert report.revisions.count() == 1


def test_the_snapshot_stays_when_records_come_later_unless_asked_again(
    wafang_unit, cadre, days, town
):
    trip(town["wafang_1"], days[0])
    sent = report_submit(
        actor=cadre, unit=wafang_unit, day=days[0], values=reported(), now=at(days[0], 15)
    )
    trip(town["wafang_2"], days[0])  # recorded after the report
    assert value_of(sent.report, "returnees") == 1
    report_submit(
        actor=cadre,
        unit=wafang_unit,
        day=days[0],
        values=reported(),
        reason="补报",
        now=at(days[0], 20),
    )
    assert value_of(sent.report, "returnees") == 1
    report_submit(
        actor=cadre,
        unit=wafang_unit,
        day=days[0],
        values=reported(),
        reason="按台账更新",
        refresh_computed=True,
        now=at(days[0], 21),
    )
    assert value_of(sent.report, "returnees") == 2


def test_a_report_for_a_day_to_come_is_refused(wafang_unit, cadre, days):
    with pytest.raises(ValidationError, match="未来"):
        report_submit(
            actor=cadre, unit=wafang_unit, day=days[2], values=reported(), now=at(days[1], 9)
        )


def test_missing_and_negative_figures_are_refused_naming_them(wafang_unit, cadre, days):
    values = reported()
    slogans = Indicator.objects.get(code="slogans")
    with pytest.raises(ValidationError, match="张贴悬挂标语：请填写数字"):
        report_submit(
            actor=cadre,
            unit=wafang_unit,
            day=days[0],
            values={k: v for k, v in values.items() if k != slogans.pk},
        )
    with pytest.raises(ValidationError, match="张贴悬挂标语：数字不能为负数"):
        report_submit(
            actor=cadre, unit=wafang_unit, day=days[0], values=values | {slogans.pk: Decimal(-1)}
        )
    assert not DailyReport.objects.exists()


def test_someone_outside_the_unit_cannot_send_its_report(wafang_unit, town, days):
    stranger = factories.make_user(role=Role.VILLAGE_CADRE, region=town["wafang"])
    with pytest.raises(ValidationError, match="不是该单位的成员"):
        report_submit(actor=stranger, unit=wafang_unit, day=days[0], values=reported())


def test_the_township_deadline_decides_timeliness(wafang_unit, cadre, hq_user, town, days):
    deadline_set(actor=hq_user, region=town["town"], deadline=time(18, 0))
    sent = report_submit(
        actor=cadre, unit=wafang_unit, day=days[0], values=reported(), now=at(days[0], 17, 30)
    )
    late = report_submit(
        actor=cadre, unit=wafang_unit, day=days[1], values=reported(), now=at(days[1], 18, 1)
    )
    assert (sent.report.on_time, late.report.on_time) == (True, False)


def test_a_village_hq_cannot_set_the_township_deadline(town, days):
    village_hq = factories.make_user(role=Role.HQ, region=town["wafang"])
    with pytest.raises(ValidationError):
        deadline_set(actor=village_hq, region=town["town"], deadline=time(18, 0))


def test_reminders_are_recorded_once_for_the_missing_reports(wafang_unit, cadre, town, days):
    beiqi = ReportingUnit.objects.create(
        kind=UnitKind.VILLAGE, name="碑棋社区", region=town["beiqi"], reports_from=days[0]
    )
    report_submit(actor=cadre, unit=wafang_unit, day=days[1], values=reported(), now=at(days[1], 9))
    assert reminders_record(day=days[1], now=at(days[1], 16, 5)) == 1
    assert reminders_record(day=days[1], now=at(days[1], 17)) == 0
    assert list(Reminder.objects.values_list("unit", "day")) == [(beiqi.pk, days[1])]
    call_command("remind_reports", date=f"{days[2]:%Y-%m-%d}")
    assert Reminder.objects.filter(day=days[2]).count() == 2


def test_village_units_are_made_once_from_the_tree(hq_user, town):
    assert units_generate_villages(actor=hq_user, region=town["town"]) == 2
    assert units_generate_villages(actor=hq_user, region=town["town"]) == 0
    assert set(ReportingUnit.objects.values_list("name", flat=True)) == {"瓦房村", "碑棋社区"}


def test_a_wording_that_does_not_render_is_refused(hq_user, town):
    with pytest.raises(ValidationError) as refused:
        wording_save(
            actor=hq_user, region=town["town"], title="日报", body="{% for f in figures %}"
        )
    assert list(refused.value.message_dict) == ["body"]
    assert refused.value.message_dict["body"][0].startswith("正文：模板无法解析")


def _township_with(n_villages: int, n_days: int, town, days, first_number: int = 300):
    """Villages with a unit each, reporting every day of the range."""
    cadre = factories.make_user(role=Role.VILLAGE_CADRE, region=town["town"])
    start = days[2].toordinal() - n_days + 1
    for number in range(n_villages):
        village = factories.make_region(
            path=f"530113105{first_number + number:03d}",
            short_name=f"新村{number}",
            parent=town["town"],
        )
        unit = ReportingUnit.objects.create(
            kind=UnitKind.VILLAGE, name=village.short_name, region=village, reports_from=days[0]
        )
        unit.members.add(cadre)
        for offset in range(n_days):
            day = type(days[0]).fromordinal(start + offset)
            report_submit(actor=cadre, unit=unit, day=day, values=reported(), now=at(day, 9))


def test_the_figures_cost_the_same_queries_for_more_villages_and_days(hq_user, town, days):
    _township_with(1, 1, town, days)
    hq_user.region_paths_for("manage_reports")  # the roles, read once per request
    with CaptureQueriesContext(connection) as small:
        aggregate(user=hq_user, region=town["town"], first=days[0], last=days[2])
        completeness(user=hq_user, region=town["town"], first=days[0], last=days[2])
    _township_with(4, 3, town, days, first_number=310)
    with CaptureQueriesContext(connection) as big:
        figures = aggregate(user=hq_user, region=town["town"], first=days[0], last=days[2])
        completeness(user=hq_user, region=town["town"], first=days[0], last=days[2])
    assert len(big) == len(small) == 5  # indicators, children, values; units, reports
    slogans = Indicator.objects.get(code="slogans")
    assert figures.totals[slogans.pk].value == 1 + 4 * 3
