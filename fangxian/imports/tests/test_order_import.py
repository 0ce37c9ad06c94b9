"""A county's quarantine list (隔离名单) imported: checked against the ledger and HQ's lists,
previewed, committed as pending batches that a second HQ person must approve."""

import importlib
import json
from datetime import date
from io import BytesIO, StringIO

import openpyxl
import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.urls import reverse

from fangxian.accounts.roles import Role
from fangxian.audit.models import AuditEntry
from fangxian.imports import services
from fangxian.imports.models import ImportJob, ImportRow
from fangxian.imports.tests.builders import full_width
from fangxian.quarantine.approvals import order_batch_approve
from fangxian.quarantine.models import (
    OrderBatch,
    OrderReason,
    QuarantineKind,
    QuarantineOrder,
    SupervisionAlert,
)
from fangxian.quarantine.orders import order_place
from tests import factories

UNIT = "东川区疾控中心"
HEADER = ["序号", "姓名", "性别", "身份证号码", "联系电话", "现住址", "管控类型"]
HEADER += ["原因", "开始日期", "天数", "备注"]


def _number(sequence: int) -> str:
    return factories.valid_id_number(sequence=sequence, birth=date(1986, 5, 7))


def _list(path, rows):
    """A list as counties send it: a merged title, a 填报单位 line, the header, the rows, a
    blank row and the signature footer."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["东川区密切接触者隔离管控名单"])
    sheet.merge_cells("A1:K1")
    sheet.append([f"填报单位：{UNIT}", None, None, None, "填报日期：2020年2月3日"])
    sheet.append(HEADER)
    for index, row in enumerate(rows, start=1):
        sheet.append([index, *(row[i] for i in range(len(HEADER) - 1))])
    sheet.append([])
    sheet.append(["填表人：王医生", None, None, "审核人：李主任", None, "联系电话：0871-62345678"])
    book.save(path)
    return path


@pytest.fixture(autouse=True)
def _quarantine_settings(db):
    """The kinds and reasons the data migration seeds (again: a transactional test elsewhere may
    have emptied the tables)."""
    importlib.import_module("fangxian.quarantine.migrations.0002_default_settings").seed(apps, None)


@pytest.fixture
def hq(town):
    return factories.make_user(role=Role.HQ, region=town["town"], username="hq-orders")


@pytest.fixture
def hq_second(town):
    return factories.make_user(role=Role.HQ, region=town["town"], username="hq2", unit="卫生院")


@pytest.fixture
def ledger(town):
    """People of 瓦房村 and 碑棋社区 already in the ledger, by name."""
    wafang, beiqi = town["wafang_1"], town["beiqi_1"]
    where = {"李四": beiqi, "孙八": beiqi}
    return {
        name: factories.make_person(
            region=where.get(name, wafang), name=name, id_number=_number(sequence)
        )
        for sequence, name in enumerate(
            ["张三", "李四", "王五", "钱七", "孙八", "周九", "吴十", "郑十一"], start=10
        )
    }


def _row(name, number, kind, reason, starts_on, *, days=None, notes=None) -> dict:
    """A data row as {column index after 序号: value}: 姓名 性别 身份证号码 联系电话 现住址
    管控类型 原因 开始日期 天数 备注."""
    return dict(
        enumerate([name, None, number, None, "瓦房村", kind, reason, starts_on, days, notes])
    )


def _sex(number: str) -> str:
    return "男" if int(number[16]) % 2 else "女"


def _kind(name):
    return QuarantineKind.objects.get(name=name)


def _reason(name):
    return OrderReason.objects.get(name=name)


@pytest.fixture
def messy(tmp_path, hq, ledger):
    """The list of the issue: full-width digits, an ID Excel turned into a number, an unknown
    person, a kind that could be two, a duplicate, a reason not on HQ's list, people already
    under an order, dates in three spellings."""
    order_place(
        actor=hq,
        person=ledger["周九"],
        kind=_kind("居家隔离"),
        reason=_reason("其他"),
        basis="县通报",
    )
    order_place(
        actor=hq,
        person=ledger["吴十"],
        kind=_kind("集中隔离"),
        reason=_reason("其他"),
        basis="县通报",
    )
    n = {name: person.id_number for name, person in ledger.items()}
    rows = [
        _row("张三", full_width(n["张三"]), "居家隔离", "密切接触者", "2月3日", notes="已通知")
        | {1: _sex(n["张三"]), 3: "138 1234 5678"},
        _row("李四", n["李四"], "集中隔离医学观察", "密接", date(2020, 2, 3), days=14),
        _row("王五", float(n["王五"]), "居家隔离", "密切接触者", "2020-02-03"),
        _row("赵六", _number(90), "居家隔离", "密切接触者", "2020-02-03"),
        _row("钱七", n["钱七"], "居家观察", "密切接触者", "2020-02-03"),
        _row("张三", n["张三"], "居家隔离", "密切接触者", "2020-02-03"),
        _row("孙八", n["孙八"], "居家隔离", "发热", "2020-02-03"),
        _row("周九", n["周九"], "居家隔离", "密切接触者", "2020-02-03"),
        _row("吴十", n["吴十"], "居家健康监测", "密切接触者", "2020-02-03"),
        _row("郑十一", n["郑十一"], "居家隔离", "密切接触者", "2020.2.3", days=""),
    ]
    return _list(tmp_path / "隔离名单.xlsx", rows)


def _check(actor, region, path, unit=UNIT):
    job = services.import_create(
        actor=actor,
        region=region,
        path=path,
        original_name=path.name,
        target=ImportJob.Target.ORDERS,
        source_unit=unit,
    )
    return services.import_check(job=job, actor=actor)


def _errors(job):
    return {(e["row"], e["column"]): e["message"] for e in services.import_errors(job=job)}


def test_the_check_counts_each_kind_of_row_of_a_messy_list(hq, town, messy):
    job = _check(hq, town["town"], messy)
    assert (job.status, job.header_row, job.year) == (ImportJob.Status.CHECKED, 3, 2020)
    assert {a: job.counts[a] for a in ImportRow.Action.values} == {
        "create": 3,
        "update": 0,
        "unchanged": 1,
        "error": 5,
        "duplicate": 1,
    }
    assert not QuarantineOrder.objects.exclude(person__name__in=["周九", "吴十"]).exists()
    staged = {r.row_number: r for r in job.rows.filter(action=ImportRow.Action.CREATE)}
    assert sorted(staged) == [4, 5, 13]
    assert (staged[4].values["kind"], staged[4].values["starts_on"]) == ("居家隔离", "2020-02-03")
    assert (staged[5].values["kind"], staged[5].values["reason"]) == ("集中隔离", "密切接触者")
    assert staged[5].values["days"] == 14 and staged[13].values["days"] is None
    assert job.rows.get(action=ImportRow.Action.UNCHANGED).row_number == 11


def test_errors_name_the_row_the_column_and_what_to_do(hq, town, messy):
    errors = _errors(_check(hq, town["town"], messy))
    assert set(errors) == {
        (6, "身份证号码"),
        (7, ""),
        (8, "管控类型"),
        (9, ""),
        (10, "原因"),
        (12, ""),
    }
    assert "Excel" in errors[(6, "身份证号码")]
    assert "乌龙镇" in errors[(7, "")] and "请先在台账中登记" in errors[(7, "")]
    assert "居家观察" in errors[(8, "管控类型")]
    assert "居家隔离、集中隔离、居家健康监测" in errors[(8, "管控类型")]
    assert "第 4 行" in errors[(9, "")]
    assert "密切接触者、次密切接触者" in errors[(10, "原因")]
    assert "集中隔离" in errors[(12, "")]


def test_commit_places_one_pending_batch_per_kind_reason_and_period(hq, town, messy, ledger):
    job = services.import_commit(job=_check(hq, town["town"], messy), actor=hq)
    assert job.status == ImportJob.Status.COMMITTED
    assert (job.counts["created"], len(job.counts["batches"])) == (3, 2)
    batches = OrderBatch.objects.filter(pk__in=job.counts["batches"])
    people = {
        b.pk: sorted(b.orders.values_list("person__name", flat=True))
        for b in batches.order_by("id")
    }
    assert sorted(people.values()) == [["张三", "郑十一"], ["李四"]]
    assert {(b.status, b.source, b.source_unit) for b in batches} == {
        (OrderBatch.Status.PENDING, "outside_list", UNIT)
    }
    orders = QuarantineOrder.objects.filter(batch__in=batches).select_related("kind")
    assert {(o.status, o.needs_approval, o.starts_on) for o in orders} == {
        (QuarantineOrder.Status.PENDING, True, date(2020, 2, 3))
    }
    li = orders.get(person=ledger["李四"])
    assert (li.kind.name, li.planned_end_on) == ("集中隔离", date(2020, 2, 17))
    assert SupervisionAlert.objects.filter(batch__in=batches).count() == 2
    entry = AuditEntry.objects.filter(object_type="imports.importjob").order_by("-id").first()
    assert entry.detail["orders"] == 3 and entry.detail["unit"] == UNIT


def test_a_batch_from_the_list_starts_only_with_a_second_hq_person(hq, hq_second, town, messy):
    job = services.import_commit(job=_check(hq, town["town"], messy), actor=hq)
    batch = OrderBatch.objects.get(pk=job.counts["batches"][0])
    with pytest.raises(ValidationError):
        order_batch_approve(actor=hq, batch=batch, note="名单核实")
    order_batch_approve(actor=hq_second, batch=batch, note="名单核实")
    assert set(batch.orders.values_list("status", flat=True)) == {QuarantineOrder.Status.ACTIVE}


def test_an_order_placed_between_check_and_commit_refuses_the_whole_list(hq, town, messy, ledger):
    job = _check(hq, town["town"], messy)
    order_place(
        actor=hq, person=ledger["张三"], kind=_kind("居家隔离"), reason=_reason("其他"), basis="x"
    )
    with pytest.raises(ValidationError):
        services.import_commit(job=job, actor=hq)
    job.refresh_from_db()
    assert job.status == ImportJob.Status.CHECKED and job.problem
    assert not OrderBatch.objects.exists()


def test_a_village_cadre_finds_only_the_people_of_the_village(tmp_path, town, ledger):
    cadre = factories.make_user(role=Role.VILLAGE_CADRE, region=town["wafang"])
    path = _list(
        tmp_path / "l.xlsx",
        [
            _row(name, ledger[name].id_number, "居家隔离", "密切接触者", "2020-02-03")
            for name in ("张三", "李四")
        ],
    )
    job = _check(cadre, town["wafang"], path)
    assert (job.counts["create"], job.counts["error"]) == (1, 1)
    assert "瓦房村" in _errors(job)[(5, "")]


def test_a_list_needs_the_sending_unit_and_its_columns(tmp_path, hq, town, ledger):
    path = _list(tmp_path / "l.xlsx", [])
    with pytest.raises(ValidationError):
        _check(hq, town["town"], path, unit=" ")
    book = openpyxl.Workbook()
    book.active.append(["姓名", "身份证号码", "现住址"])
    book.save(tmp_path / "people.xlsx")
    job = _check(hq, town["town"], tmp_path / "people.xlsx")
    assert job.status == ImportJob.Status.FAILED
    assert "管控类型" in job.problem and "开始日期" in job.problem


def test_the_rejected_rows_download_with_what_is_wrong(client, hq, town, messy):
    job = _check(hq, town["town"], messy)
    client.force_login(hq)
    response = client.get(reverse("imports:import-rejected", kwargs={"job_id": job.pk}))
    sheet = openpyxl.load_workbook(BytesIO(b"".join(response.streaming_content))).active
    rows = {row[0]: row for row in sheet.iter_rows(min_row=2, values_only=True)}
    assert sorted(rows) == [6, 7, 8, 9, 10, 12]
    assert rows[7][2] == "赵六" and "请先在台账中登记" in rows[7][-1]


def test_the_upload_page_takes_a_quarantine_list_with_its_unit(client, hq, town, messy):
    client.force_login(hq)
    url = reverse("imports:import-upload")
    with messy.open("rb") as handle:
        refused = client.post(
            url, {"file": handle, "region": town["town"].code, "target": "orders"}
        )
    assert "source_unit" in refused.context["form"].errors
    with messy.open("rb") as handle:
        response = client.post(
            url,
            {"file": handle, "region": town["town"].code, "target": "orders", "source_unit": UNIT},
        )
    job = ImportJob.objects.get()
    assert (job.target, job.source_unit, job.status) == ("orders", UNIT, "checked")
    page = client.get(response.url)
    assert page.context["is_orders"] and page.context["creates"][0]["values"]["kind"] == "居家隔离"
    client.post(reverse("imports:import-commit", kwargs={"job_id": job.pk}))
    assert OrderBatch.objects.filter(source_unit=UNIT).count() == 2


def test_the_command_checks_a_list_as_json_and_places_it_with_commit(hq, town, messy):
    def run(*extra):
        out = StringIO()
        call_command(
            "import_roster",
            str(messy),
            "--into",
            "orders",
            "--region",
            town["town"].code,
            "--user",
            hq.username,
            *extra,
            stdout=out,
        )
        return out.getvalue()

    report = json.loads(run("--unit", UNIT, "--json"))
    assert (report["create"], report["unchanged"], report["committed"]) == (3, 1, False)
    assert [d["row"] for d in report["duplicates"]] == [9]
    assert {e["row"] for e in report["errors"]} == {6, 7, 8, 10, 12}
    assert not OrderBatch.objects.exists()
    with pytest.raises(CommandError):
        run("--json")  # no --unit
    report = json.loads(run("--unit", UNIT, "--commit", "--json"))
    assert report["committed"] and len(report["batches"]) == 2
    assert OrderBatch.objects.filter(source_unit=UNIT, status="pending").count() == 2
