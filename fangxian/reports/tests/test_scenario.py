"""A township over three days: records made through the services (visits, trips, orders, a
fever), units reporting (one late, one missing, one corrected), then every figure of the
aggregation and of the 日报 (.docx read back) checked against counts this test keeps itself."""

import io
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from docx import Document

from fangxian.accounts.roles import Role
from fangxian.quarantine.checks import CheckEntry, health_checks_record
from fangxian.quarantine.orders import order_transfer
from fangxian.reports.completeness import completeness
from fangxian.reports.document import daily_document, daily_docx
from fangxian.reports.figures import aggregate
from fangxian.reports.models import DailyReport, Indicator, ReportingUnit, UnitKind
from fangxian.reports.services import report_submit, units_generate_villages
from fangxian.screening.campaigns import campaign_create, visit_record
from fangxian.screening.models import Trip
from tests import factories

from .conftest import at

VILLAGES = ("wafang", "beiqi")
GRID = {"wafang": "wafang_1", "beiqi": "beiqi_1"}


@dataclass
class Ledger:
    """What the test made, counted by itself: {(village, day index): {code: n}}."""

    new: dict = field(default_factory=lambda: defaultdict(lambda: defaultdict(int)))
    orders: list = field(default_factory=list)  # (village, kind code, start index, end index)
    reported: dict = field(default_factory=lambda: defaultdict(lambda: defaultdict(int)))

    def standing(self, village: str, code: str, index: int) -> int:
        return sum(
            1
            for v, kind, start, end in self.orders
            if v == village and kind == code and start <= index and (end is None or end > index)
        )


STANDING = {
    "home_quarantine": "home",
    "centralised_quarantine": "centralised",
    "health_monitoring": "home_monitoring",
}


class Township:
    def __init__(self, town, hq, cadre, days):
        self.town, self.hq, self.cadre, self.days = town, hq, cadre, days
        self.ledger = Ledger()
        self.campaign = campaign_create(
            actor=hq, regions=[town["town"]], name="拉网排查", starts_on=days[0], ends_on=days[-1]
        )
        self.people = {v: [] for v in VILLAGES}
        self.order_of = {}

    def household(self, village: str, members: int):
        household = factories.make_household(region=self.town[GRID[village]])
        people = [
            factories.make_person(household=household, name=f"{village}{n}") for n in range(members)
        ]
        self.people[village] += people
        return household, people

    def visit(self, village: str, index: int, hour: int = 10, count: bool = True):
        """A visit: two at home (screened), one away."""
        household, people = self.household(village, 3)
        visit_record(
            actor=self.hq,
            campaign=self.campaign,
            household=household,
            outcome="seen",
            people=[
                {"person": people[0]},
                {"person": people[1], "presence": "home"},
                {"person": people[2], "presence": "away", "away_at": "昆明"},
            ],
            visited_at=at(self.days[index], hour),
        )
        if count:
            self.ledger.new[(village, index)]["households_visited"] += 1
            self.ledger.new[(village, index)]["people_screened"] += 2

    def nobody_home(self, village: str, index: int):
        household, _people = self.household(village, 1)
        visit_record(
            actor=self.hq,
            campaign=self.campaign,
            household=household,
            outcome="nobody_home",
            people=[],
            visited_at=at(self.days[index], 11),
        )

    def trip(self, village: str, index: int | None, category: str):
        person = factories.make_person(region=self.town[GRID[village]], name="返乡")
        Trip.objects.create(
            person=person,
            region=person.region,
            origin_text="湖北武汉",
            arrived_on=self.days[index] if index is not None else None,
            source=Trip.Source.MANUAL,
            category=category,
        )
        if index is not None:
            counts = self.ledger.new[(village, index)]
            counts["returnees"] += 1
            counts[f"returnees_{category}"] += 1

    def order(self, village: str, index: int, kind: str):
        person = factories.make_person(region=self.town[GRID[village]], name="隔离")
        order = factories.make_order(
            person=person, actor=self.hq, kind=kind, now=at(self.days[index], 9)
        )
        self.ledger.orders.append([village, kind, index, None])
        self.order_of[order.pk] = len(self.ledger.orders) - 1
        return order

    def transfer(self, order, index: int):
        order_transfer(
            actor=self.hq,
            order=order,
            hospital="县医院",
            reason="转院",
            now=at(self.days[index], 11),
        )
        self.ledger.orders[self.order_of[order.pk]][3] = index

    def fever(self, village: str, order, index: int):
        health_checks_record(
            actor=self.hq,
            entries=[CheckEntry(order=order, temperature="38.5")],
            now=at(self.days[index], 8, 5),
        )
        self.ledger.new[(village, index)]["fevers"] += 1


def _reported_values(unit_key: str, index: int) -> dict[str, Decimal]:
    base = {"wafang": 1, "beiqi": 2, "combat": 10}[unit_key]
    codes = [
        "slogans",
        "leaflets",
        "broadcasts",
        "disinfected",
        "rubbish",
        "money_donated",
        "goods_donated",
    ]
    return {code: Decimal(base + position * (index + 1)) for position, code in enumerate(codes)}


@pytest.fixture
def scenario(town, hq_user, cadre, days):
    world = Township(town, hq_user, cadre, days)
    units = {}
    assert units_generate_villages(actor=hq_user, region=town["town"], starts_on=days[0]) == 2
    units["wafang"] = ReportingUnit.objects.get(region=town["wafang"])
    units["beiqi"] = ReportingUnit.objects.get(region=town["beiqi"])
    units["combat"] = ReportingUnit.objects.create(
        kind=UnitKind.COMBAT_UNIT, name="瓦房作战单元", region=town["wafang"], reports_from=days[0]
    )
    beiqi_cadre = factories.make_user(role=Role.VILLAGE_CADRE, region=town["beiqi"])
    units["wafang"].members.add(cadre)
    units["combat"].members.add(cadre)
    units["beiqi"].members.add(beiqi_cadre)
    members = {"wafang": cadre, "combat": cadre, "beiqi": beiqi_cadre}
    indicators = {i.code: i for i in Indicator.objects.all()}
    village_of = {"wafang": "wafang", "beiqi": "beiqi", "combat": "wafang"}

    def send(unit_key, index, hour, minute=0):
        values = _reported_values(unit_key, index)
        report_submit(
            actor=members[unit_key],
            unit=units[unit_key],
            day=days[index],
            values={indicators[code].pk: value for code, value in values.items()},
            now=at(days[index], hour, minute),
        )
        for code, value in values.items():
            world.ledger.reported[(village_of[unit_key], index)][code] += value

    # Day 1: everything on time.
    for _n in range(2):
        world.visit("wafang", 0)
    world.visit("beiqi", 0)
    world.nobody_home("beiqi", 0)
    world.trip("wafang", 0, "key_area")
    world.trip("beiqi", 0, "out_of_province")
    world.trip("beiqi", None, "other")  # undated: never a day's figure
    first_order = world.order("wafang", 0, "home")
    world.order("beiqi", 0, "home_monitoring")
    send("wafang", 0, 15)
    send("combat", 0, 15, 10)
    send("beiqi", 0, 15, 30)
    # Day 2: a fever; 碑棋社区 misses the deadline, the combat unit does not report.
    for _n in range(3):
        world.visit("wafang", 1)
    world.visit("beiqi", 1)
    world.trip("wafang", 1, "key_area")
    world.trip("wafang", 1, "via_key_area")
    world.order("wafang", 1, "home")
    world.fever("wafang", first_order, 1)
    send("wafang", 1, 15)
    send("beiqi", 1, 17, 30)
    # Day 3: a transfer; all on time; then a correction and records after the reports.
    world.visit("wafang", 2)
    for _n in range(2):
        world.visit("beiqi", 2)
    world.trip("beiqi", 2, "key_area")
    world.order("beiqi", 2, "home")
    world.transfer(first_order, 2)
    send("wafang", 2, 15)
    send("beiqi", 2, 15)
    send("combat", 2, 15, 20)
    corrected = _reported_values("wafang", 2) | {"slogans": Decimal(40)}
    report_submit(
        actor=cadre,
        unit=units["wafang"],
        day=days[2],
        values={indicators[code].pk: value for code, value in corrected.items()},
        reason="标语数量填错",
        now=at(days[2], 18),
    )
    world.ledger.reported[("wafang", 2)]["slogans"] += (
        Decimal(40) - _reported_values("wafang", 2)["slogans"]
    )
    world.visit("wafang", 2, hour=20, count=False)  # after the report: not in its snapshot
    world.order("wafang", 2, "home")  # idem
    world.ledger.orders.pop()
    return {"world": world, "units": units, "indicators": indicators}


def _expected(ledger: Ledger, village: str, indicator: Indicator, first: int, last: int):
    """(value, cumulative) the test expects for a village over day indices first..last."""
    if indicator.code in STANDING:
        level = ledger.standing(village, STANDING[indicator.code], last)
        return Decimal(level), Decimal(level)
    table = ledger.reported if indicator.kind == Indicator.Kind.REPORTED else ledger.new

    def of(index):
        return Decimal(table[(village, index)][indicator.code])

    return (
        sum((of(i) for i in range(first, last + 1)), Decimal(0)),
        sum((of(i) for i in range(last + 1)), Decimal(0)),
    )


def test_the_records_made_every_kind_of_figure(scenario):
    ledger = scenario["world"].ledger
    totals = defaultdict(int)
    for counts in ledger.new.values():
        for code, n in counts.items():
            totals[code] += n
    assert all(totals[code] > 0 for code in ("households_visited", "returnees", "fevers"))
    assert ledger.standing("wafang", "home", 2) == 1  # one placed on day 2, one transferred


@pytest.mark.parametrize(("first", "last"), [(2, 2), (0, 2), (1, 1), (0, 0)])
def test_every_figure_of_the_aggregation_matches_the_records(
    scenario, hq_user, town, days, first, last
):
    ledger = scenario["world"].ledger
    figures = aggregate(user=hq_user, region=town["town"], first=days[first], last=days[last])
    rows = {row.region.short_name: row for row in figures.rows}
    assert set(rows) == {"瓦房村", "碑棋社区"}
    checked = 0
    for indicator in figures.indicators:
        total = (Decimal(0), Decimal(0))
        for village, name in (("wafang", "瓦房村"), ("beiqi", "碑棋社区")):
            expected = _expected(ledger, village, indicator, first, last)
            cell = rows[name].cells[indicator.pk]
            assert (cell.value, cell.cumulative) == expected, (indicator.code, village)
            total = (total[0] + expected[0], total[1] + expected[1])
            checked += 1
        cell = figures.totals[indicator.pk]
        assert (cell.value, cell.cumulative) == total, indicator.code
    assert checked == 2 * Indicator.objects.filter(is_active=True).count()


def test_the_county_and_the_village_see_the_same_totals(scenario, hq_user, town, days):
    township = aggregate(user=hq_user, region=town["town"], first=days[0], last=days[2])
    county = aggregate(user=hq_user, region=town["county"], first=days[0], last=days[2])
    assert [row.region for row in county.rows] == [town["town"]]
    assert county.totals == township.totals == county.rows[0].cells
    village = aggregate(user=hq_user, region=town["wafang"], first=days[0], last=days[2])
    # 瓦房村's units report at the village itself: one row for them, no grid rows with figures.
    assert village.rows[0].region is None
    wafang_row = next(r for r in township.rows if r.region == town["wafang"])
    assert village.totals == wafang_row.cells


def test_a_grid_worker_of_the_village_gets_no_figures_of_the_township(
    scenario, grid_worker, town, days
):
    figures = aggregate(user=grid_worker, region=town["town"], first=days[0], last=days[2])
    assert all(cell.value == 0 for cell in figures.totals.values())


def test_completeness_and_timeliness_count_the_late_and_the_missing(scenario, hq_user, town, days):
    result = completeness(user=hq_user, region=town["town"], first=days[0], last=days[2])
    assert (result.total.expected, result.total.received, result.total.on_time) == (9, 8, 7)
    assert (result.total.completeness, result.total.timeliness) == (88, 77)
    by_unit = {line.unit.name: line.rate for line in result.units}
    assert (by_unit["碑棋社区"].received, by_unit["碑棋社区"].on_time) == (3, 2)
    assert (by_unit["瓦房作战单元"].received, by_unit["瓦房作战单元"].expected) == (2, 3)
    day2 = dict(result.by_day)[days[1]]
    assert (day2.expected, day2.received, day2.on_time) == (3, 2, 1)
    chased = {(unit.name, state) for unit, state in result.missing_or_late(days[1])}
    assert chased == {("碑棋社区", "late"), ("瓦房作战单元", "missing")}


def test_a_corrected_report_counts_once_and_keeps_its_history(scenario, days):
    report = DailyReport.objects.get(unit=scenario["units"]["wafang"], day=days[2])
    assert report.status == DailyReport.Status.CORRECTED
    assert report.on_time  # timeliness is the first send's
    assert [r.reason for r in report.revisions.all()] == ["", "标语数量填错"]
    assert report.revisions.all()[1].values["slogans"] == "40"
    assert DailyReport.objects.filter(unit=scenario["units"]["wafang"], day=days[2]).count() == 1


def test_sending_again_without_a_reason_is_refused(scenario, days):
    unit = scenario["units"]["beiqi"]
    indicators = scenario["indicators"]
    member = unit.members.get()
    values = {indicators[c].pk: v for c, v in _reported_values("beiqi", 2).items()}
    with pytest.raises(ValidationError) as refused:
        report_submit(actor=member, unit=unit, day=days[2], values=values, now=at(days[2], 19))
    assert "原因" in str(refused.value)


def _sentences(ledger, figures_indicators, day_index, day: date) -> list[str]:
    label = f"{day.month}月{day.day}日"
    sentences = []
    for indicator in figures_indicators:
        value = sum(_expected(ledger, v, indicator, day_index, day_index)[0] for v in VILLAGES)
        cumulative = sum(_expected(ledger, v, indicator, day_index, day_index)[1] for v in VILLAGES)
        if indicator.semantics == Indicator.Semantics.LEVEL:
            sentences.append(
                f"截至{label}，全镇现有{indicator.name}{int(cumulative)}{indicator.unit}。"
            )
        else:
            sentences.append(
                f"截至{label}，全镇累计{indicator.name}{int(cumulative)}{indicator.unit}，"
                f"其中今日新增{int(value)}{indicator.unit}。"
            )
    return sentences


def _expected_row(ledger, village, indicators, index) -> list[str]:
    cells = []
    for indicator in indicators:
        value, cumulative = _expected(ledger, village, indicator, index, index)
        cells.append(str(int(value)))
        if indicator.semantics != Indicator.Semantics.LEVEL:
            cells.append(str(int(cumulative)))
    return cells


@pytest.mark.parametrize("index", [1, 2])
def test_every_figure_of_the_docx_matches_the_records(scenario, hq_user, town, days, index):
    ledger = scenario["world"].ledger
    indicators = list(Indicator.objects.filter(is_active=True))
    document = daily_document(user=hq_user, region=town["town"], day=days[index])
    word = Document(io.BytesIO(daily_docx(document)))
    texts = [p.text for p in word.paragraphs]
    assert texts[0] == "乌龙镇疫情防控工作日报"
    assert texts[1] == f"{days[index].year}年{days[index].month}月{days[index].day}日"
    received = {1: (3, 2, 1), 2: (3, 3, 3)}[index]
    assert (
        f"今日应报单位{received[0]}个，已报{received[1]}个，其中按时上报{received[2]}个。"
        in texts[2]
    )
    for sentence in _sentences(ledger, indicators, index, days[index]):
        assert sentence in texts
    table = word.tables[0]
    rows = [[cell.text for cell in row.cells] for row in table.rows]
    # In code order: 碑棋社区 (001) before 瓦房村 (214).
    assert rows[1] == ["碑棋社区", *_expected_row(ledger, "beiqi", indicators, index)]
    assert rows[2] == ["瓦房村", *_expected_row(ledger, "wafang", indicators, index)]
    totals = [
        str(int(Decimal(a) + Decimal(b))) for a, b in zip(rows[1][1:], rows[2][1:], strict=True)
    ]
    assert rows[3] == ["合计", *totals]


def test_the_command_line_writes_the_same_document(scenario, town, days, tmp_path, hq_user):
    out = tmp_path / "daily.docx"
    call_command("report_daily", region=town["town"].code, date=f"{days[2]:%Y-%m-%d}", out=str(out))
    from_cli = Document(str(out))
    from_web = Document(
        io.BytesIO(daily_docx(daily_document(user=hq_user, region=town["town"], day=days[2])))
    )
    assert [p.text for p in from_cli.paragraphs] == [p.text for p in from_web.paragraphs]
    assert [[c.text for c in r.cells] for r in from_cli.tables[0].rows] == [
        [c.text for c in r.cells] for r in from_web.tables[0].rows
    ]
