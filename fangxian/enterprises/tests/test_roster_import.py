"""A worker roster (返岗人员花名册) imported from a messy Excel file through the importer."""

from datetime import date

import openpyxl
import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from fangxian.audit.models import AuditEntry
from fangxian.enterprises.models import Worker
from fangxian.imports import services
from fangxian.imports.models import ImportJob, ImportRow
from fangxian.people.models import Person
from fangxian.screening.models import KeyArea, Trip
from tests import factories

HEADER = [
    "序号",
    "姓名",
    "身份证号",
    "部门",
    "岗位",
    "电话",
    "住址",
    "在岗状态",
    "预计返岗日期",
    "所赴城市",
    "返回时间",
    "交通工具",
    "是否去过或经停湖北",
    "接触湖北人员",
    "是否发热",
    "同返家属",
    "是否已向社区报到",
]


def _full_width(value: str) -> str:
    return "".join(chr(ord(c) + 0xFEE0) if "!" <= c <= "~" else c for c in value)


def _number(sequence: int) -> str:
    return factories.valid_id_number(sequence=sequence, birth=date(1992, 4, 5))


def _roster(path, rows):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["瓦房砖厂返岗人员花名册"])
    sheet.append(["填报单位：瓦房砖厂  填报日期：2020年2月10日"])
    sheet.append(HEADER)
    for row in rows:
        sheet.append(row)
    sheet.append(["合计", f"{len(rows)}人"])
    book.save(path)
    return path


@pytest.fixture
def hubei(town):
    return KeyArea.objects.create(
        region=town["town"],
        division_code="42",
        name="湖北省",
        label="湖北",
        starts_on=date(2020, 1, 10),
    )


@pytest.fixture
def messy(tmp_path, beiqi_person):
    good = _number(501)
    return _roster(
        tmp_path / "花名册.xlsx",
        [
            [
                1,
                "王一",
                good,
                "生产部",
                "操作工",
                "13800000501",
                "瓦房村",
                "未返岗",
                "2020.2.12",
                "湖北武汉",
                "2月8日",
                "高铁",
                "是",
                "否",
                "否",
                "妻子",
                "是",
            ],
            [
                2,
                "王二",
                _full_width(_number(502)),
                "包装",
                "",
                _full_width("13800000502"),
                "",
                "在岗",
                "2020/2/11",
                "",
                "",
                "",
                "否",
                "否",
                "否",
                "",
                "否",
            ],
            [
                3,
                "王三",
                float(_number(503)[:15] + "000"),
                "生产部",
                "",
                "",
                "",
                "",
                "",
                "",
                "",
                "",
                "",
                "",
                "",
                "",
                "",
            ],
            [4, "王一", good, "生产部", "", "", "", "", "", "", "", "", "", "", "", "", ""],
            [
                5,
                "李四",
                beiqi_person.id_number,
                "仓库",
                "保管",
                "",
                "碑棋社区",
                "",
                "2月10日",
                "云南昆明",
                "2020年2月9日",
                "自驾",
                "否",
                "有",
                "是",
                "",
                "是",
            ],
            [
                6,
                "王六",
                _number(506),
                "生产部",
                "",
                "",
                "",
                "",
                "2月30日",
                "",
                "",
                "",
                "",
                "",
                "",
                "",
                "",
            ],
        ],
    )


def _check(hq_user, enterprise, path):
    job = services.import_create(
        actor=hq_user,
        region=enterprise.region,
        path=path,
        original_name=path.name,
        target=ImportJob.Target.WORKERS,
        enterprise=enterprise,
    )
    return services.import_check(job=job, actor=hq_user)


def test_messy_rows_are_checked_row_by_row(hq_user, wafang_enterprise, messy):
    job = _check(hq_user, wafang_enterprise, messy)
    assert job.status == ImportJob.Status.CHECKED and job.header_row == 3
    actions = dict(job.rows.values_list("row_number", "action"))
    assert actions == {
        4: ImportRow.Action.CREATE,
        5: ImportRow.Action.CREATE,  # full-width digits are read
        6: ImportRow.Action.ERROR,  # an ID number Excel turned into a number
        7: ImportRow.Action.DUPLICATE,
        8: ImportRow.Action.CREATE,  # 李四 is in the ledger: linked, not created
        9: ImportRow.Action.ERROR,  # 2月30日
    }
    errors = {r.row_number: r.errors for r in job.rows.filter(action=ImportRow.Action.ERROR)}
    assert errors[6][0]["column"] == "身份证号"
    assert errors[9][0]["column"] == "预计返岗日期"
    first = job.rows.get(row_number=4).values["worker"]
    assert first["planned_return_on"] == "2020-02-12" and first["returned_on"] == "2020-02-08"
    assert first["passed_key_area"] is True and first["reported_to_village"] is True
    assert first["department"] == "生产部" and first["transport"] == "train"
    assert job.rows.get(row_number=8).person_id is not None


def test_commit_fills_the_roster_and_classifies_the_journeys(
    hq_user, wafang_enterprise, messy, beiqi_person, hubei
):
    job = services.import_commit(job=_check(hq_user, wafang_enterprise, messy), actor=hq_user)
    assert job.counts["created"] == 3 and job.counts["people_created"] == 2
    assert job.counts["trips_recorded"] == 2
    workers = {w.person.name: w for w in Worker.objects.select_related("person", "trip")}
    assert set(workers) == {"王一", "王二", "李四"}
    assert workers["李四"].person == beiqi_person and Person.objects.count() == 3
    assert workers["王一"].person.region == wafang_enterprise.region
    assert workers["王一"].trip.category == Trip.Category.KEY_AREA
    assert workers["王一"].trip.region == wafang_enterprise.region
    assert workers["李四"].trip.region == beiqi_person.region  # the person's own region
    assert workers["李四"].health == Worker.Health.FEVER and workers["李四"].met_key_area_people
    assert workers["王二"].trip is None
    assert AuditEntry.objects.filter(object_type="enterprises.worker").count() == 3


def test_importing_the_roster_again_updates_instead_of_duplicating(
    hq_user, wafang_enterprise, messy
):
    services.import_commit(job=_check(hq_user, wafang_enterprise, messy), actor=hq_user)
    job = _check(hq_user, wafang_enterprise, messy)
    assert job.counts["update"] == 3 and job.counts["create"] == 0
    services.import_commit(job=job, actor=hq_user)
    assert Worker.objects.count() == 3


def test_only_who_manages_the_enterprise_imports_its_roster(town, beiqi_enterprise, messy):
    cadre = factories.make_user(role="village_cadre", region=town["wafang"])
    with pytest.raises(PermissionDenied):
        _check(cadre, beiqi_enterprise, messy)


def test_the_upload_page_offers_the_enterprises_roster(client, hq_user, wafang_enterprise, messy):
    client.force_login(hq_user)
    form = client.get(reverse("imports:import-upload")).context["form"]
    assert (str(wafang_enterprise.pk), "瓦房砖厂 · 瓦房村") in form.fields["enterprise"].choices
    with messy.open("rb") as handle:
        response = client.post(
            reverse("imports:import-upload"),
            {
                "file": handle,
                "region": wafang_enterprise.region.parent.code,
                "enterprise": wafang_enterprise.pk,
            },
        )
    job = ImportJob.objects.get()
    assert response.status_code == 302
    assert job.target == ImportJob.Target.WORKERS and job.enterprise == wafang_enterprise
    assert job.status == ImportJob.Status.CHECKED  # the check ran (tasks run at once in tests)
