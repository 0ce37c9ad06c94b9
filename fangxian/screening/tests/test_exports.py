"""Screening lists as .xlsx rosters: the returnee register (layout, masking, the full export's
rule, scope, filters), a campaign's coverage and its households not yet visited, the audit entry
of each and a fixed number of queries."""

import io
from datetime import date, datetime, timedelta
from urllib.parse import quote
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from fangxian.accounts.roles import Role
from fangxian.audit.models import AuditEntry
from fangxian.core.xlsx import CONTENT_TYPE
from fangxian.people import idnumber
from fangxian.screening import exports
from fangxian.screening.campaigns import campaign_create
from fangxian.screening.models import Trip, Visit, VisitPerson
from tests import factories
from tests.assertions import assert_xlsx_rows, load_xlsx, xlsx_text

RETURNEES = reverse("screening:returnee-export")
FIRST_ROW = 4  # title, 填报单位/填报日期, headers
DAY = date(2026, 11, 23)
SHANGHAI = ZoneInfo("Asia/Shanghai")


def _trip(person, **fields) -> Trip:
    values = {
        "region": person.region,
        "origin_text": "湖北省武汉市",
        "arrived_on": date(2020, 1, 20),
        "transport": Trip.Transport.TRAIN,
        "transport_number": "G1234",
        "via_text": "贵阳",
        "companions": "妻子",
        "source": Trip.Source.MANUAL,
        "category": Trip.Category.KEY_AREA,
        "category_reason": "从重点地区返回",
    }
    return Trip.objects.create(person=person, **(values | fields))


@pytest.fixture
def zhang(town):
    """张三 of 瓦房村 第一网格, back from 武汉 by train."""
    person = factories.make_person(
        region=town["wafang_1"],
        name="张三",
        id_number=factories.valid_id_number(sequence=123),
        phone="13812345678",
    )
    _trip(person)
    return person


@pytest.fixture
def li(town):
    """李四 of 碑棋社区, outside the grid worker's scope, back from 上海."""
    person = factories.make_person(
        region=town["beiqi_1"],
        name="李四",
        id_number=factories.valid_id_number(sequence=124),
        phone="13987654321",
    )
    _trip(person, origin_text="上海市", category=Trip.Category.OUT_OF_PROVINCE)
    return person


def _download(client, url=RETURNEES, **params) -> bytes:
    response = client.get(url, params)
    assert response.status_code == 200
    assert response["Content-Type"] == CONTENT_TYPE
    assert "no-store" in response["Cache-Control"]
    return b"".join(response.streaming_content)


def _names(content: bytes, column: int = 2) -> list:
    sheet = load_xlsx(content)
    return [r[0] for r in sheet.iter_rows(min_row=FIRST_ROW, min_col=column, values_only=True)]


def _exports():
    return AuditEntry.objects.filter(action=AuditEntry.Action.EXPORT)


def _returnee_row(number, person, *, id_number, phone):
    return [
        number,
        person.name,
        person.get_sex_display(),
        id_number,
        phone,
        "瓦房村 · 第一网格",
        "湖北省武汉市",
        date(2020, 1, 20),
        Trip.Transport.TRAIN.label,
        "G1234",
        "贵阳",
        "妻子",
        Trip.Category.KEY_AREA.label,
        "从重点地区返回",
    ]


# --- returnees: layout ----------------------------------------------------------------------


def test_the_register_opens_with_a_merged_title_then_unit_and_date(hq_user, town, zhang):
    stream = io.BytesIO()
    export = exports.returnee_list_export(
        actor=hq_user, stream=stream, region=town["wafang"], day=DAY
    )
    sheet = load_xlsx(stream.getvalue())
    title = _("%(region)s returnee screening register") % {"region": "瓦房村"}
    assert sheet["A1"].value == title
    assert sheet["A1"].font.b
    assert "A1:N1" in {str(cells) for cells in sheet.merged_cells.ranges}
    assert sheet["A2"].value == _("Reporting unit: %(unit)s") % {"unit": "瓦房村村民委员会"}
    assert sheet["H2"].value == _("Reporting date: %(date)s") % {"date": "2026年11月23日"}
    assert export.filename == f"{title}-2026-11-23.xlsx"
    assert export.rows == 1


def test_the_headers_follow_the_paper_register(hq_user):
    stream = io.BytesIO()
    exports.returnee_list_export(actor=hq_user, stream=stream, day=DAY)
    headers = [str(c.header) for c in exports.returnee_columns()]
    assert_xlsx_rows(stream.getvalue(), [[_("No."), *headers]], start_row=3)
    assert headers[:4] == ["姓名", "性别", "证件号码", "联系电话"]  # already translated


def test_returnees_are_numbered_by_village_and_arrival(client, hq_user, town, zhang, li):
    _trip(zhang, arrived_on=date(2020, 1, 25), origin_text="孝感")
    client.force_login(hq_user)
    sheet = load_xlsx(_download(client))
    rows = list(sheet.iter_rows(min_row=FIRST_ROW, max_col=7, values_only=True))
    # 碑棋社区 (001) before 瓦房村 (214); in a village, earliest arrival first.
    assert [(r[0], r[1], r[6]) for r in rows] == [
        (1, "李四", "上海市"),
        (2, "张三", "湖北省武汉市"),
        (3, "张三", "孝感"),
    ]


# --- returnees: masking and the full export -------------------------------------------------


def test_a_grid_worker_gets_masked_id_numbers_and_phones(client, grid_worker, zhang):
    client.force_login(grid_worker)
    expected = _returnee_row(1, zhang, id_number=zhang.id_number_masked, phone="138****5678")
    assert_xlsx_rows(_download(client), [expected], start_row=FIRST_ROW)


def test_hq_gets_full_id_numbers_and_phones_with_full(client, hq_user, zhang):
    client.force_login(hq_user)
    expected = _returnee_row(1, zhang, id_number=zhang.id_number, phone="13812345678")
    assert_xlsx_rows(_download(client, full="1"), [expected], start_row=FIRST_ROW)


def test_hq_gets_masked_numbers_without_full(client, hq_user, zhang):
    client.force_login(hq_user)
    assert load_xlsx(_download(client)).cell(FIRST_ROW, 4).value == zhang.id_number_masked


def test_id_numbers_and_phones_are_text_cells(client, hq_user, zhang):
    client.force_login(hq_user)
    sheet = load_xlsx(_download(client, full="1"))
    for cell in (sheet.cell(FIRST_ROW, 4), sheet.cell(FIRST_ROW, 5)):
        assert cell.data_type == "s"
        assert cell.number_format == "@"
    assert sheet.cell(FIRST_ROW, 4).value == zhang.id_number  # not 5.30113E+17


def test_a_grid_worker_asking_for_full_numbers_gets_404(client, grid_worker, zhang):
    client.force_login(grid_worker)
    assert client.get(RETURNEES, {"full": "1"}).status_code == 404
    assert not _exports().exists()


def test_the_service_refuses_a_full_export_without_the_capability(grid_worker):
    with pytest.raises(PermissionDenied):
        exports.returnee_list_export(actor=grid_worker, stream=io.BytesIO(), full=True, day=DAY)


def test_the_list_offers_the_full_export_only_to_those_allowed(client, hq_user, grid_worker):
    filters = {"category": "key_area", "after": "5", "full": "1"}  # position and full= go
    client.force_login(grid_worker)
    body = client.get(reverse("screening:returnee-list"), filters).content.decode()
    assert f'href="{RETURNEES}?category=key_area"' in body
    assert 'data-testid="export-full"' not in body
    client.force_login(hq_user)
    body = client.get(reverse("screening:returnee-list"), filters).content.decode()
    assert f'href="{RETURNEES}?category=key_area&amp;full=1"' in body


# --- returnees: scope and filters -----------------------------------------------------------


def test_returnees_outside_the_scope_never_appear(client, grid_worker, zhang, li):
    client.force_login(grid_worker)
    content = _download(client)
    assert _names(content) == ["张三"]
    assert "李四" not in xlsx_text(content)


def test_a_grid_worker_filtering_on_another_village_gets_404(client, grid_worker, town, li):
    client.force_login(grid_worker)
    assert client.get(RETURNEES, {"region": town["beiqi"].code}).status_code == 404


def test_the_filters_of_the_list_limit_the_register(client, hq_user, town, zhang, li):
    _trip(zhang, arrived_on=date(2020, 2, 10), category=Trip.Category.OTHER, origin_text="昆明")
    client.force_login(hq_user)
    assert _names(_download(client, region=town["beiqi"].code)) == ["李四"]
    assert _names(_download(client, category="key_area")) == ["张三"]
    content = _download(client, since="2020-02-01")
    assert _names(content, column=7) == ["昆明"]


def test_volunteers_get_404(client, town, zhang):
    client.force_login(factories.make_user(role=Role.VOLUNTEER, region=town["wafang"]))
    assert client.get(RETURNEES).status_code == 404


def test_the_file_name_is_chinese_in_utf8(client, hq_user, town):
    client.force_login(hq_user)
    response = client.get(RETURNEES, {"region": town["wafang"].code})
    name = _("%(region)s returnee screening register") % {"region": "瓦房村"}
    name += f"-{timezone.localdate().isoformat()}.xlsx"
    assert response["Content-Disposition"] == f"attachment; filename*=utf-8''{quote(name)}"


# --- returnees: audit -----------------------------------------------------------------------


def test_each_export_writes_one_audit_entry_with_filter_rows_and_full(client, hq_user, town, zhang):
    _trip(zhang, origin_text="孝感")
    client.force_login(hq_user)
    params = {"category": "key_area", "since": "2020-01-01", "region": town["wafang"].code}
    _download(client, full="1", **params)
    entry = _exports().get()
    assert entry.actor == hq_user
    assert entry.region == town["wafang"]
    assert entry.detail == {"filter": params, "rows": 2, "full": True, "list": "returnees"}


def test_a_masked_export_is_audited_too(client, grid_worker, town, zhang):
    client.force_login(grid_worker)
    _download(client)
    entry = _exports().get()
    assert entry.region == town["wafang_1"]
    assert entry.detail == {
        "filter": {"category": "", "since": "", "region": ""},
        "rows": 1,
        "full": False,
        "list": "returnees",
    }


# --- campaign coverage and households not yet visited ---------------------------------------


@pytest.fixture
def households(town):
    """瓦房村 第一网格: 3 (one in its group), 第二网格: 1; 碑棋社区 第一网格: 2."""
    make = factories.make_household
    return {
        "w1a": make(region=town["wafang_1"], head_name="甲", address="瓦房村1号"),
        "w1b": make(region=town["wafang_1"], head_name="乙", address="瓦房村2号"),
        "w1g": make(region=town["group"], head_name="丙", address="黄包谷地3号"),
        "w2": make(region=town["wafang_2"], head_name="丁", address="瓦房村9号"),
        "b1a": make(region=town["beiqi_1"], head_name="戊", address="碑棋1号"),
        "b1b": make(region=town["beiqi_1"], head_name="己", address="碑棋2号"),
    }


@pytest.fixture
def campaign(hq_user, town):
    return campaign_create(
        actor=hq_user,
        name="拉网排查",
        regions=[town["town"]],
        starts_on=date(2020, 2, 1),
        ends_on=date(2020, 2, 7),
    )


def _visit(campaign, household, actor, outcome=Visit.Outcome.SEEN):
    return Visit.objects.create(
        campaign=campaign,
        household=household,
        region=household.region,
        outcome=outcome,
        visited_at=datetime(2020, 2, 2, 10, tzinfo=SHANGHAI),
        visited_by=actor,
    )


def _coverage_url(campaign, region, name="screening:coverage-export"):
    return reverse(name, args=[campaign.pk, region.code])


def test_coverage_lists_each_village_with_its_rate(client, hq_user, town, households, campaign):
    _visit(campaign, households["w1a"], hq_user)
    _visit(campaign, households["b1a"], hq_user)
    _visit(campaign, households["b1b"], hq_user)
    client.force_login(hq_user)
    content = _download(client, _coverage_url(campaign, town["town"]))
    sheet = load_xlsx(content)
    title = _("%(region)s coverage of %(campaign)s") % {"region": "乌龙镇", "campaign": "拉网排查"}
    assert sheet["A1"].value == title
    headers = [_("No."), *[str(c.header) for c in exports.coverage_columns()]]
    assert_xlsx_rows(
        content,
        [headers, [1, "碑棋社区", 2, 2, 1], [2, "瓦房村", 4, 1, 0.25]],
        start_row=3,
    )
    assert sheet.cell(FIRST_ROW, 5).number_format == "0%"


def test_coverage_rates_are_rounded_down(client, hq_user, town, campaign):
    made = [factories.make_household(region=town["wafang_1"]) for _n in range(3)]
    for household in made[:2]:
        _visit(campaign, household, hq_user)
    client.force_login(hq_user)
    sheet = load_xlsx(_download(client, _coverage_url(campaign, town["wafang"])))
    assert sheet.cell(FIRST_ROW, 5).value == 0.66  # 2 of 3: 66%, as the page says


def test_a_grid_workers_coverage_is_their_grid(client, grid_worker, town, households, campaign):
    _visit(campaign, households["w1b"], grid_worker)
    client.force_login(grid_worker)
    content = _download(client, _coverage_url(campaign, town["wafang_1"]))
    assert_xlsx_rows(content, [[1, "第一网格", 3, 1, 0.33]], start_row=FIRST_ROW)
    entry = _exports().get()
    assert entry.region == town["wafang_1"]
    assert entry.detail == {
        "filter": {"campaign": campaign.pk, "region": town["wafang_1"].code},
        "rows": 1,
        "full": False,
        "list": "coverage",
    }


def test_a_grid_worker_gets_404_for_another_villages_coverage(client, grid_worker, town, campaign):
    client.force_login(grid_worker)
    for name in ("screening:coverage-export", "screening:to-visit-export"):  # visits: below
        assert client.get(_coverage_url(campaign, town["beiqi"], name)).status_code == 404
    assert not _exports().exists()


def test_households_not_yet_visited_hold_no_id_numbers(
    client, grid_worker, town, households, campaign
):
    head = factories.make_person(
        household=households["w1a"], name="甲", id_number=factories.valid_id_number(sequence=7)
    )
    _visit(campaign, households["w1b"], grid_worker)
    _visit(campaign, households["w1g"], grid_worker, outcome=Visit.Outcome.NOBODY_HOME)
    client.force_login(grid_worker)
    url = _coverage_url(campaign, town["wafang_1"], "screening:to-visit-export")
    content = _download(client, url)
    headers = [_("No."), *[str(c.header) for c in exports.to_visit_columns()]]
    assert_xlsx_rows(
        content,
        [
            headers,
            [1, "甲", "瓦房村1号", "第一网格"],
            [2, "丙", "黄包谷地3号", "第一网格", _("Yes")],
        ],
        start_row=3,
    )
    text = xlsx_text(content)
    assert head.id_number not in text
    assert head.id_number_masked not in text
    assert "戊" not in text  # 碑棋社区: out of scope
    entry = _exports().get()
    assert entry.detail["list"] == "to_visit"
    assert entry.detail["rows"] == 2


def test_the_coverage_page_offers_its_exports(client, grid_worker, town, campaign):
    client.force_login(grid_worker)
    body = client.get(reverse("screening:campaign-detail", args=[campaign.pk])).content.decode()
    assert _coverage_url(campaign, town["wafang_1"]) in body
    assert _coverage_url(campaign, town["wafang_1"], "screening:to-visit-export") in body
    assert _coverage_url(campaign, town["wafang_1"], "screening:visit-export") in body


def test_visits_are_listed_with_what_they_found(client, grid_worker, town, households, campaign):
    members = [
        factories.make_person(household=households["w1a"], name=name, id_number=number)
        for name, number in [
            ("甲", factories.valid_id_number(sequence=11)),
            ("甲妻", factories.valid_id_number(sequence=12)),
            ("甲子", factories.valid_id_number(sequence=13)),
        ]
    ]
    visit = _visit(campaign, households["w1a"], grid_worker)
    presence = VisitPerson.Presence
    for person, where, fever in zip(
        members,
        [presence.HOME, presence.RETURNED, presence.AWAY],
        [True, False, False],
        strict=True,
    ):
        VisitPerson.objects.create(visit=visit, person=person, presence=where, fever=fever)
    _visit(campaign, households["w1b"], grid_worker, outcome=Visit.Outcome.NOBODY_HOME)
    _visit(campaign, households["b1a"], grid_worker)  # 碑棋社区: not under the grid
    client.force_login(grid_worker)
    content = _download(client, _coverage_url(campaign, town["wafang_1"], "screening:visit-export"))
    headers = [_("No."), *[str(c.header) for c in exports.visit_columns()]]
    at = datetime(2020, 2, 2, 10, tzinfo=SHANGHAI).replace(tzinfo=None)  # wall-clock time
    assert_xlsx_rows(
        content,
        [
            headers,
            [1, "甲 / 瓦房村1号", at, "网格员", Visit.Outcome.SEEN.label, 1, 1, 1, 1],
            [2, "乙 / 瓦房村2号", at, "网格员", Visit.Outcome.NOBODY_HOME.label, 0, 0, 0, 0],
        ],
        start_row=3,
    )
    assert members[0].id_number not in xlsx_text(content)
    entry = _exports().get()
    assert entry.detail["list"] == "visits"
    assert entry.detail["rows"] == 2


def test_a_grid_worker_gets_404_for_another_villages_visits(client, grid_worker, town, campaign):
    client.force_login(grid_worker)
    url = _coverage_url(campaign, town["beiqi"], "screening:visit-export")
    assert client.get(url).status_code == 404


# --- cost -----------------------------------------------------------------------------------

_serial = iter(range(10**6))


def _add_returnees(region, count):
    for _n in range(count):
        n = next(_serial)
        person = factories.make_person(
            region=region,
            name=f"居民{n}",
            id_number=idnumber.make("530113", date(1950, 1, 1) + timedelta(days=n), n % 1000),
        )
        _trip(person)


def _assert_same_cost(client, url, grow):
    _download(client, url)  # warm up: anything cached per process is cached now
    with CaptureQueriesContext(connection) as few:
        _download(client, url)
    grow()
    with CaptureQueriesContext(connection) as many:
        content = _download(client, url)
    assert len(many.captured_queries) == len(few.captured_queries)
    return content


def test_the_register_costs_the_same_for_5_and_50_returnees(client, hq_user, town):
    client.force_login(hq_user)
    _add_returnees(town["wafang_1"], 3)
    _add_returnees(town["group"], 2)

    def grow():
        _add_returnees(town["wafang_2"], 25)
        _add_returnees(town["beiqi_1"], 20)

    content = _assert_same_cost(client, RETURNEES, grow)
    assert load_xlsx(content).max_row == FIRST_ROW - 1 + 50


def test_households_to_visit_cost_the_same_for_5_and_50(client, hq_user, town, campaign):
    client.force_login(hq_user)
    for _n in range(5):
        factories.make_household(region=town["group"])

    def grow():
        for _n in range(45):
            factories.make_household(region=town["wafang_1"])

    url = _coverage_url(campaign, town["wafang"], "screening:to-visit-export")
    content = _assert_same_cost(client, url, grow)
    assert load_xlsx(content).max_row == FIRST_ROW - 1 + 50


def test_visits_cost_the_same_for_5_and_50(client, hq_user, town, campaign):
    client.force_login(hq_user)

    def add(count, region):
        for _n in range(count):
            visit = _visit(campaign, factories.make_household(region=region), hq_user)
            person = factories.make_person(household=visit.household, region=region)
            VisitPerson.objects.create(
                visit=visit, person=person, presence=VisitPerson.Presence.HOME
            )

    add(5, town["group"])
    url = _coverage_url(campaign, town["wafang"], "screening:visit-export")
    content = _assert_same_cost(client, url, lambda: add(45, town["wafang_2"]))
    assert load_xlsx(content).max_row == FIRST_ROW - 1 + 50
