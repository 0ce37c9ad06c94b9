"""The registry of computed indicators: another app registers a figure and HQ uses it
without code; the helpers add days and standing levels up."""

from datetime import date

from fangxian.reports import computed
from fangxian.reports.computed import NEW, Computation, running_levels
from fangxian.reports.forms import IndicatorForm
from fangxian.reports.models import Indicator, ReportValue
from fangxian.reports.services import report_submit

from .conftest import at
from .test_services import reported


def test_an_app_registers_a_figure_that_an_indicator_then_snapshots(
    monkeypatch, wafang_unit, cadre, days
):
    def count(region, first, last):
        # Two records in one of the region's grids, one in another, every day asked for.
        return {(f"{region.path}01", last): 2, (f"{region.path}02", last): 1}

    monkeypatch.setitem(
        computed._registry,
        "checkpoints.people_registered",
        Computation(
            key="checkpoints.people_registered",
            label="卡点登记人员",
            semantics=NEW,
            count=count,
            records=lambda region, first, last: Indicator.objects.none(),
            describe=str,
            capability="register_passages",
        ),
    )
    assert ("checkpoints.people_registered", "卡点登记人员 [checkpoints.people_registered]") in (
        computed.choices()
    )
    form = IndicatorForm(
        {
            "name": "卡点登记人员",
            "code": "checkpoint_people_registered",
            "unit": "人次",
            "kind": "computed",
            "computation": "checkpoints.people_registered",
            "semantics": "new",
            "unit_kinds": ["village"],
            "position": "40",
            "is_active": "on",
        }
    )
    assert form.is_valid(), form.errors
    indicator = form.save()
    sent = report_submit(
        actor=cadre, unit=wafang_unit, day=days[0], values=reported(), now=at(days[0], 9)
    )
    assert ReportValue.objects.get(report=sent.report, indicator=indicator).value == 3


def test_an_indicator_must_mean_what_its_computation_gives(wafang_unit):
    form = IndicatorForm(
        {
            "name": "居家隔离",
            "code": "home_again",
            "unit": "人",
            "kind": "computed",
            "computation": "quarantine.standing.home",
            "semantics": "new",
            "unit_kinds": ["village"],
            "position": "1",
        }
    )
    assert not form.is_valid()
    assert form.errors["semantics"] == ["当日数值含义：该统计口径给出的是“当日末现有数”。"]


def test_standing_levels_carry_over_days_with_starts_and_ends():
    d1, d2, d3 = date(2020, 2, 1), date(2020, 2, 2), date(2020, 2, 3)
    levels = running_levels(
        base={"a": 2},
        starts={("a", d2): 1, ("b", d1): 1},
        ends={("a", d3): 3},
        first=d1,
        last=d3,
    )
    assert levels == {("a", d1): 2, ("a", d2): 3, ("b", d1): 1, ("b", d2): 1, ("b", d3): 1}
