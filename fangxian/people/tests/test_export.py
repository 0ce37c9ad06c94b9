"""The people list as an .xlsx roster: layout, masking, scope, the full export's rule, the audit
entry and a fixed number of queries (DOMAIN §4: lists leaked through WeChat groups)."""

import io
from datetime import date, timedelta
from urllib.parse import quote

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse, reverse_lazy
from django.utils import timezone
from django.utils.translation import gettext as _

from fangxian.accounts.roles import Role
from fangxian.audit.models import AuditEntry
from fangxian.core.xlsx import CONTENT_TYPE
from fangxian.people import exports, idnumber, selectors
from fangxian.people.idnumber import age_on
from fangxian.people.models import Person
from tests import factories
from tests.assertions import assert_xlsx_rows, load_xlsx

URL = reverse_lazy("people:person-export")
FIRST_ROW = 4  # title, 填报单位/填报日期, headers
BIRTH = date(1985, 6, 15)


@pytest.fixture
def zhang(town):
    """张三, head of a 瓦房村 household, with a resident ID and a mobile."""
    household = factories.make_household(
        region=town["wafang_1"], head_name="张三", address="瓦房村3号"
    )
    return factories.make_person(
        household=household,
        name="张三",
        id_number=factories.valid_id_number(birth=BIRTH, sequence=123),
        phone="13812345678",
        relation=Person.Relation.HEAD,
    )


@pytest.fixture
def li(town):
    """李四 of 碑棋社区, outside the grid worker's scope."""
    return factories.make_person(
        region=town["beiqi_1"],
        name="李四",
        id_number=factories.valid_id_number(birth=BIRTH, sequence=124),
        phone="13987654321",
    )


def _download(client, **params) -> bytes:
    response = client.get(URL, params)
    assert response.status_code == 200
    assert response["Content-Type"] == CONTENT_TYPE
    return b"".join(response.streaming_content)


def _ledger_row(number, person, *, id_number, phone, units="第一网格", home="张三 / 瓦房村3号"):
    return [
        number,
        "瓦房村",
        units,
        home,
        person.name,
        person.get_sex_display(),
        person.birth_date,
        age_on(person.birth_date, timezone.localdate()),
        person.get_document_type_display(),
        id_number,
        phone,
        person.get_relation_display() or None,
    ]


def _exports():
    return AuditEntry.objects.filter(action=AuditEntry.Action.EXPORT)


# --- layout ---------------------------------------------------------------------------------


def test_the_roster_opens_with_a_merged_title_then_unit_and_date(hq_user, town, zhang):
    stream = io.BytesIO()
    export = exports.person_list_export(
        actor=hq_user, stream=stream, region=town["wafang"], day=date(2026, 11, 23)
    )
    sheet = load_xlsx(stream.getvalue())
    title = _("%(region)s people ledger") % {"region": "瓦房村"}
    assert sheet["A1"].value == title
    assert sheet["A1"].font.b
    assert sheet["A1"].alignment.horizontal == "center"
    assert "A1:L1" in {str(cells) for cells in sheet.merged_cells.ranges}
    assert sheet["A2"].value == _("Reporting unit: %(unit)s") % {"unit": "瓦房村村民委员会"}
    assert sheet["G2"].value == _("Reporting date: %(date)s") % {"date": "2026年11月23日"}
    assert sheet.freeze_panes == f"A{FIRST_ROW}"
    assert export.filename == f"{title}-2026-11-23.xlsx"


def test_the_headers_follow_the_ledger(hq_user, town):
    stream = io.BytesIO()
    exports.person_list_export(actor=hq_user, stream=stream, day=date(2026, 11, 23))
    headers = [str(c.header) for c in exports.ledger_columns()]
    assert_xlsx_rows(stream.getvalue(), [[_("No."), *headers]], start_row=3)
    assert {"村(社区)", "姓名", "证件号码", "出生日期"} <= set(headers)  # already translated


def test_a_grid_workers_roster_is_titled_with_village_and_grid(grid_worker, town):
    stream = io.BytesIO()
    exports.person_list_export(actor=grid_worker, stream=stream, day=date(2026, 11, 23))
    sheet = load_xlsx(stream.getvalue())
    assert sheet["A1"].value == _("%(region)s people ledger") % {"region": "瓦房村第一网格"}
    assert sheet["A2"].value == _("Reporting unit: %(unit)s") % {"unit": "瓦房村村民委员会第一网格"}


def test_rows_are_numbered_in_ledger_order(client, hq_user, town, zhang, li):
    in_group = factories.make_person(region=town["group"], name="王五")
    client.force_login(hq_user)
    sheet = load_xlsx(_download(client))
    rows = list(sheet.iter_rows(min_row=FIRST_ROW, max_col=5, values_only=True))
    # 碑棋社区 (001) before 瓦房村 (214); in 瓦房村 the grid before its villager group.
    assert [(r[0], r[4]) for r in rows] == [(1, "李四"), (2, "张三"), (3, "王五")]
    assert rows[2][2] == "第一网格 · 黄包谷地组"
    assert in_group.region.short_name == "黄包谷地组"


# --- masking and the full export ------------------------------------------------------------


def test_a_grid_worker_gets_masked_id_numbers_and_phones(client, grid_worker, zhang):
    client.force_login(grid_worker)
    content = _download(client)
    expected = _ledger_row(1, zhang, id_number=zhang.id_number_masked, phone="138****5678")
    assert_xlsx_rows(content, [expected], start_row=FIRST_ROW)


def test_hq_gets_full_id_numbers_and_phones_with_full(client, hq_user, zhang):
    client.force_login(hq_user)
    content = _download(client, full="1")
    expected = _ledger_row(1, zhang, id_number=zhang.id_number, phone="13812345678")
    assert_xlsx_rows(content, [expected], start_row=FIRST_ROW)


def test_hq_gets_masked_numbers_without_full(client, hq_user, zhang):
    client.force_login(hq_user)
    sheet = load_xlsx(_download(client))
    assert sheet.cell(FIRST_ROW, 10).value == zhang.id_number_masked


def test_id_numbers_and_phones_are_text_cells(client, hq_user, zhang):
    client.force_login(hq_user)
    sheet = load_xlsx(_download(client, full="1"))
    for cell in (sheet.cell(FIRST_ROW, 10), sheet.cell(FIRST_ROW, 11)):
        assert cell.data_type == "s"
        assert cell.number_format == "@"
    assert sheet.cell(FIRST_ROW, 10).value == zhang.id_number  # not 5.30113E+17


def test_a_grid_worker_asking_for_full_numbers_gets_404(client, grid_worker, zhang):
    client.force_login(grid_worker)
    response = client.get(URL, {"full": "1"})
    assert response.status_code == 404
    assert not _exports().exists()


def test_the_service_refuses_a_full_export_without_the_capability(grid_worker):
    with pytest.raises(PermissionDenied):
        exports.person_list_export(
            actor=grid_worker, stream=io.BytesIO(), full=True, day=date(2026, 11, 23)
        )


def test_full_export_needs_the_capability_over_everything_exported(town):
    user = factories.make_user(role=Role.HQ, region=town["wafang"])
    # The same user also works a 碑棋社区 grid, where they may not export full numbers.
    user.role_assignments.create(role=Role.GRID_WORKER, region=town["beiqi_1"])
    assert selectors.person_export_full_allowed(user=user, region=town["wafang_1"])
    assert not selectors.person_export_full_allowed(user=user, region=town["beiqi"])
    assert not selectors.person_export_full_allowed(user=user)


def test_the_list_offers_the_full_export_only_to_those_allowed(client, hq_user, grid_worker):
    filters = {"q": "zs", "after": "5", "full": "1"}  # position and full= are not filters
    client.force_login(grid_worker)
    body = client.get(reverse("people:person-list"), filters).content.decode()
    assert f'href="{URL}?q=zs"' in body
    assert "full=1" not in body
    client.force_login(hq_user)
    body = client.get(reverse("people:person-list"), filters).content.decode()
    assert f'href="{URL}?q=zs&amp;full=1"' in body


def test_a_live_search_refreshes_the_filters_of_the_export_buttons(client, hq_user, town):
    client.force_login(hq_user)
    response = client.get(
        reverse("people:person-list"),
        {"q": "zs", "region": town["wafang"].code},
        headers={"HX-Request": "true"},
    )
    body = response.content.decode()
    assert "<html" not in body  # the partial alone
    assert f'href="{URL}?q=zs&amp;region={town["wafang"].code}"' in body


# --- scope and filters ----------------------------------------------------------------------


def test_people_outside_the_scope_never_appear(client, grid_worker, zhang, li):
    client.force_login(grid_worker)
    sheet = load_xlsx(_download(client))
    names = [row[0] for row in sheet.iter_rows(min_row=FIRST_ROW, min_col=5, values_only=True)]
    assert names == ["张三"]


def test_a_grid_worker_filtering_on_another_village_gets_404(client, grid_worker, town, li):
    client.force_login(grid_worker)
    assert client.get(URL, {"region": town["beiqi"].code}).status_code == 404


def test_the_region_filter_limits_the_roster(client, hq_user, town, zhang, li):
    client.force_login(hq_user)
    sheet = load_xlsx(_download(client, region=town["beiqi"].code))
    names = [row[0] for row in sheet.iter_rows(min_row=FIRST_ROW, min_col=5, values_only=True)]
    assert names == ["李四"]


def test_the_search_filters_the_roster(client, hq_user, town, zhang, li):
    factories.make_person(region=town["wafang_1"], name="张小明")
    client.force_login(hq_user)
    sheet = load_xlsx(_download(client, q="zs"))
    names = [row[0] for row in sheet.iter_rows(min_row=FIRST_ROW, min_col=5, values_only=True)]
    assert names == ["张三"]


def test_volunteers_get_404(client, town, zhang):
    client.force_login(factories.make_user(role=Role.VOLUNTEER, region=town["wafang"]))
    assert client.get(URL).status_code == 404


def test_the_file_name_is_chinese_in_utf8(client, hq_user, town):
    client.force_login(hq_user)
    response = client.get(URL, {"region": town["wafang"].code})
    name = _("%(region)s people ledger") % {"region": "瓦房村"}
    name += f"-{timezone.localdate().isoformat()}.xlsx"
    assert response["Content-Disposition"] == f"attachment; filename*=utf-8''{quote(name)}"
    assert "no-store" in response["Cache-Control"]


# --- audit ----------------------------------------------------------------------------------


def test_each_export_writes_one_audit_entry_with_filter_rows_and_full(client, hq_user, town, zhang):
    factories.make_person(region=town["wafang_1"], name="张小明")
    client.force_login(hq_user)
    _download(client, q="z", region=town["wafang"].code, full="1")
    entry = _exports().get()
    assert entry.actor == hq_user
    assert entry.region == town["wafang"]
    assert entry.detail == {
        "filter": {"q": "z", "region": town["wafang"].code},
        "rows": 2,
        "full": True,
    }


def test_a_masked_export_is_audited_too(client, grid_worker, town, zhang):
    client.force_login(grid_worker)
    _download(client)
    entry = _exports().get()
    assert entry.region == town["wafang_1"]
    assert entry.detail == {"filter": {"q": "", "region": ""}, "rows": 1, "full": False}


def test_a_search_by_a_whole_id_number_is_logged_masked(client, hq_user, zhang):
    client.force_login(hq_user)
    content = _download(client, q=zhang.id_number)
    assert load_xlsx(content).cell(FIRST_ROW, 5).value == "张三"
    assert _exports().get().detail["filter"]["q"] == zhang.id_number_masked


# --- cost -----------------------------------------------------------------------------------

_serial = iter(range(10**6))


def _add_people(region, count):
    for _n in range(count):
        n = next(_serial)
        factories.make_person(
            region=region,
            name=f"居民{n}",
            id_number=idnumber.make("530113", date(1950, 1, 1) + timedelta(days=n), n % 1000),
        )


def test_export_costs_the_same_for_5_and_60_people(
    client, hq_user, town, django_assert_num_queries
):
    client.force_login(hq_user)
    _add_people(town["wafang_1"], 3)
    _add_people(town["group"], 2)
    _download(client)  # warm up: anything cached per process is cached now
    with CaptureQueriesContext(connection) as few:
        _download(client)
    _add_people(town["wafang_2"], 30)
    _add_people(town["beiqi_1"], 25)
    with django_assert_num_queries(len(few.captured_queries)):
        content = _download(client)
    assert load_xlsx(content).max_row == FIRST_ROW - 1 + 60
