"""A roster in, checked against the ledger, previewed, committed whole."""

import json
from datetime import date
from io import StringIO

import openpyxl
import pytest
from django.core.management import call_command
from django.urls import reverse

from fangxian.accounts.roles import Role
from fangxian.audit.models import AuditEntry
from fangxian.imports import services
from fangxian.imports.models import ImportJob, ImportRow
from fangxian.people import idnumber
from fangxian.people.models import Person
from tests import factories


def _number(sequence: int, birth: date = date(1988, 3, 9)) -> str:
    return idnumber.make("530113", birth, sequence)


def _roster(path, rows, *, title=True):
    """A sheet as villages send it: title, 填报单位 line, header, data, signature footer."""
    book = openpyxl.Workbook()
    sheet = book.active
    if title:
        sheet.append(["乌龙镇返乡人员排查登记表"])
        sheet.merge_cells("A1:F1")
        sheet.append(["填报单位：瓦房村", None, None, "填报日期：2020年2月3日"])
    sheet.append(["序号", "姓名", "性别", "身份证号码", "联系电话", "现住址（村组）"])
    for index, row in enumerate(rows, start=1):
        sheet.append([index, *row])
    sheet.append([])
    sheet.append(["填表人：张三", None, None, "审核人：李四"])
    book.save(path)
    return path


@pytest.fixture
def hq(town):
    return factories.make_user(role=Role.HQ, region=town["town"], username="hq-import")


def _check(hq, town, path, **kwargs):
    job = services.import_create(
        actor=hq, region=town["town"], path=path, original_name=path.name, **kwargs
    )
    return services.import_check(job=job, actor=hq)


def test_check_finds_the_header_under_the_title_and_stages_new_people(tmp_path, hq, town):
    path = _roster(
        tmp_path / "roster.xlsx",
        [
            ["王芳", "女", _number(2), "138 1234 5678", "瓦房村黄包谷地组3号"],
            ["赵强", "男", _number(3), "13900001111", "碑棋社区"],
        ],
    )
    job = _check(hq, town, path)
    assert job.status == ImportJob.Status.CHECKED
    assert job.header_row == 3
    assert job.counts[ImportRow.Action.CREATE] == 2
    assert Person.objects.count() == 0  # nothing saved before the commit
    rows = {r.row_number: r for r in job.rows.all()}
    assert rows[4].values["region_id"] == town["group"].pk
    assert rows[4].values["phone"] == "13812345678"
    assert rows[5].values["region_id"] == town["beiqi"].pk


def test_errors_name_the_spreadsheet_row_and_the_column(tmp_path, hq, town):
    wrong_check = _number(4)[:-1] + ("0" if _number(4)[-1] != "0" else "1")
    path = _roster(
        tmp_path / "roster.xlsx",
        [
            ["王芳", "女", _number(2), "13812345678", "瓦房村"],
            ["钱七", "男", wrong_check, "13812345678", "瓦房村"],
            ["孙八", "男", float(_number(5)), "13812345678", "瓦房村"],
            ["", "男", _number(7), "", "瓦房村"],
        ],
    )
    job = _check(hq, town, path)
    errors = services.import_errors(job=job)
    assert {(e["row"], e["column"]) for e in errors} == {
        (5, "身份证号码"),
        (6, "身份证号码"),
        (7, "姓名"),
    }
    excel = next(e for e in errors if e["row"] == 6)
    assert "Excel" in excel["message"]
    assert job.counts[ImportRow.Action.CREATE] == 1


def test_sex_that_contradicts_the_id_number_is_an_error(tmp_path, hq, town):
    path = _roster(tmp_path / "roster.xlsx", [["王芳", "男", _number(2), "", "瓦房村"]])
    errors = services.import_errors(job=_check(hq, town, path))
    assert [(e["row"], e["column"]) for e in errors] == [(4, "性别")]


def test_duplicates_inside_the_file_are_listed_not_imported_twice(tmp_path, hq, town):
    path = _roster(
        tmp_path / "roster.xlsx",
        [
            ["王芳", "女", _number(2), "", "瓦房村"],
            ["王芳", "女", _number(2), "", "瓦房村"],
        ],
    )
    job = _check(hq, town, path)
    assert (job.counts[ImportRow.Action.CREATE], job.counts[ImportRow.Action.DUPLICATE]) == (1, 1)


def test_commit_saves_all_new_people_and_audits_each(tmp_path, hq, town):
    path = _roster(
        tmp_path / "roster.xlsx",
        [
            ["王芳", "女", _number(2), "13812345678", "瓦房村黄包谷地组"],
            ["赵强", "男", _number(3), "", "碑棋社区"],
        ],
    )
    job = services.import_commit(job=_check(hq, town, path), actor=hq)
    assert job.status == ImportJob.Status.COMMITTED
    wang = Person.objects.get(name="王芳")
    assert (wang.region, wang.sex, wang.name_initials, wang.id_tail) == (
        town["group"],
        "F",
        "wf",
        _number(2)[-4:],
    )
    assert (
        AuditEntry.objects.filter(
            action=AuditEntry.Action.CREATE, object_type="people.person"
        ).count()
        == 2
    )


def test_a_known_person_is_an_update_with_the_changed_fields(tmp_path, hq, town):
    known = factories.make_person(
        region=town["wafang_1"], name="王芳", id_number=_number(2), phone="13800000000"
    )
    path = _roster(
        tmp_path / "roster.xlsx", [["王芳", "女", _number(2), "13812345678", "瓦房村黄包谷地组"]]
    )
    job = _check(hq, town, path)
    row = job.rows.get()
    assert row.action == ImportRow.Action.UPDATE
    assert set(row.changes) == {"phone", "region_id"}
    services.import_commit(job=job, actor=hq)
    known.refresh_from_db()
    assert (known.phone, known.region) == ("13812345678", town["group"])


def test_rerunning_a_committed_roster_changes_nothing(tmp_path, hq, town):
    path = _roster(tmp_path / "roster.xlsx", [["王芳", "女", _number(2), "13812345678", "瓦房村"]])
    services.import_commit(job=_check(hq, town, path), actor=hq)
    again = _check(hq, town, path)
    assert again.counts[ImportRow.Action.UNCHANGED] == 1
    assert Person.objects.count() == 1


def test_a_grid_worker_cannot_update_a_person_of_another_village(
    tmp_path, town, grid_worker, beiqi_person
):
    path = _roster(tmp_path / "roster.xlsx", [["李四", "", beiqi_person.id_number, "", "瓦房村"]])
    job = services.import_create(
        actor=grid_worker, region=town["wafang_1"], path=path, original_name="r.xlsx"
    )
    job = services.import_check(job=job, actor=grid_worker)
    assert job.counts[ImportRow.Action.ERROR] == 1
    assert Person.objects.get(pk=beiqi_person.pk).region == town["beiqi_1"]


def test_csv_in_gbk_is_read(tmp_path, hq, town):
    path = tmp_path / "roster.csv"
    path.write_bytes(
        f"姓名,身份证号,联系电话,现住址\n王芳,{_number(2)},13812345678,瓦房村\n".encode("gbk")
    )
    job = _check(hq, town, path)
    assert (job.encoding, job.counts[ImportRow.Action.CREATE]) == ("gb18030", 1)


def test_command_prints_the_preview_as_json_and_saves_only_with_commit(tmp_path, hq, town):
    path = _roster(
        tmp_path / "roster.xlsx",
        [
            ["王芳", "女", _number(2), "", "瓦房村"],
            ["钱七", "男", float(_number(5)), "", "瓦房村"],
        ],
    )
    out = StringIO()
    call_command(
        "import_roster",
        str(path),
        "--region",
        town["town"].code,
        "--user",
        hq.username,
        "--json",
        stdout=out,
    )
    report = json.loads(out.getvalue())
    assert (report["create"], report["update"], report["duplicates"]) == (1, 0, [])
    assert report["errors"][0]["row"] == 5 and report["errors"][0]["column"] == "身份证号码"
    assert Person.objects.count() == 0
    call_command(
        "import_roster",
        str(path),
        "--region",
        town["town"].code,
        "--user",
        hq.username,
        "--commit",
        stdout=StringIO(),
    )
    assert Person.objects.count() == 1


def test_a_column_the_importer_did_not_recognise_can_be_assigned(client, tmp_path, hq, town):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["人员", "身份证号", "现住址"])
    sheet.append(["王芳", _number(2), "瓦房村"])
    path = tmp_path / "r.xlsx"
    book.save(path)
    job = services.import_create(actor=hq, region=town["town"], path=path, original_name="r.xlsx")
    job = services.import_check(job=job, actor=hq)
    assert job.status == ImportJob.Status.FAILED
    assert "姓名" in job.problem
    client.force_login(hq)
    response = client.post(
        reverse("imports:import-mapping", kwargs={"job_id": job.pk}),
        {"col-0": "name", "col-1": "id_number", "col-2": "address"},
    )
    job.refresh_from_db()
    assert response.status_code == 302
    assert (job.status, job.counts[ImportRow.Action.CREATE]) == (ImportJob.Status.CHECKED, 1)
    assert job.mapping == {"name": 0, "id_number": 1, "address": 2}


def _returnee_roster(path, rows):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["乌龙镇返乡人员排查登记表"])
    sheet.append(["填报单位：瓦房村", None, None, "填报日期：2020年2月3日"])
    sheet.append(
        [
            "序号",
            "姓名",
            "身份证号码",
            "现住址",
            "从何地返回",
            "返回时间",
            "交通方式",
            "车次/航班/车牌",
        ]
    )
    for index, row in enumerate(rows, start=1):
        sheet.append([index, *row])
    book.save(path)
    return path


def test_travel_columns_become_classified_trips_once(tmp_path, hq, town):
    from fangxian.screening.models import KeyArea, Trip

    KeyArea.objects.create(
        region=town["town"],
        division_code="42",
        name="湖北省",
        label="湖北",
        starts_on=date(2020, 1, 10),
    )
    path = _returnee_roster(
        tmp_path / "r.xlsx",
        [
            ["王芳", _number(2), "瓦房村", "湖北省武汉市", "1月20日", "火车", "G1234"],
            ["赵强", _number(3), "碑棋社区", "广东省深圳市", "2020.1.25", "自驾", "粤B12345"],
            ["孙八", _number(5), "瓦房村", "", "", "", ""],
        ],
    )
    job = _check(hq, town, path)
    assert job.year == 2020  # from the 填报日期 line, for 1月20日
    assert job.counts["trips"] == 2
    services.import_commit(job=job, actor=hq)
    trips = {t.person.name: t for t in Trip.objects.select_related("person")}
    assert set(trips) == {"王芳", "赵强"}
    assert (trips["王芳"].arrived_on, trips["王芳"].transport, trips["王芳"].transport_number) == (
        date(2020, 1, 20),
        "train",
        "G1234",
    )
    assert trips["王芳"].category == Trip.Category.KEY_AREA
    assert "湖北" in trips["王芳"].category_reason
    assert trips["赵强"].category == Trip.Category.OUT_OF_PROVINCE
    again = _check(hq, town, path)
    assert again.counts["trips"] == 0
    assert again.counts[ImportRow.Action.UNCHANGED] == 3


def test_a_legacy_xls_roster_is_read(tmp_path, hq, town):
    """Counties still send Excel 97-2003 files: one written by xlwt, as old Excel writes them,
    with the ID column as text in one row and as a number (damaged) in another."""
    import xlwt

    book = xlwt.Workbook(encoding="utf-8")
    sheet = book.add_sheet("返乡人员")
    sheet.write_merge(0, 0, 0, 4, "乌龙镇返乡人员排查登记表")
    for column, header in enumerate(["序号", "姓名", "身份证号码", "联系电话", "现住址"]):
        sheet.write(2, column, header)
    for column, value in enumerate([1, "王芳", _number(2), "13812345678", "瓦房村黄包谷地组"]):
        sheet.write(3, column, value)
    for column, value in enumerate([2, "钱七", float(_number(5)), "", "瓦房村"]):
        sheet.write(4, column, value)
    path = tmp_path / "roster.xls"
    book.save(str(path))
    job = _check(hq, town, path)
    assert (job.file_format, job.header_row) == ("xls", 3)
    assert job.counts[ImportRow.Action.CREATE] == 1
    assert [(e["row"], e["column"]) for e in services.import_errors(job=job)] == [(5, "身份证号码")]
