"""A township's enterprise list (企业台账) imported: checked, previewed, committed through the
enterprise rules with one audit entry per enterprise naming the import."""

import json
from io import StringIO

import openpyxl
import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.urls import reverse

from fangxian.accounts.roles import Role
from fangxian.audit.models import AuditEntry
from fangxian.enterprises.models import Enterprise
from fangxian.imports import enterprise_rows, rejected, services
from fangxian.imports.models import ImportJob, ImportRow
from fangxian.imports.tests.builders import full_width
from tests import factories

HEADER = ["序号", "企业名称", "统一社会信用代码", "地址", "所在村(社区)", "所属行业", "员工人数"]
HEADER += ["联系人", "联系电话", "防疫负责人", "防疫负责人电话"]
PEOPLE = ["王厂长", "13812345678", "李主任", "13987654321"]
FARM_STAY_PEOPLE = ["赵老板", full_width("13600001111"), "赵老板", "13600001111"]


def _code(sequence: int) -> str:
    return factories.valid_uscc(sequence=sequence)


def _bad_check(code: str) -> str:
    wrong = next(c for c in "0123456789" if c != code[-1])
    return code[:-1] + wrong


def _list(path, rows):
    """A list as townships keep it: a merged title, a 填报单位 line, the header, the rows, a blank
    row and a signature footer."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["乌龙镇企业复工复产台账"])
    sheet.merge_cells("A1:K1")
    sheet.append(["填报单位：乌龙镇经济发展办公室", None, None, None, "填报日期：2020年2月8日"])
    sheet.append(HEADER)
    for index, row in enumerate(rows, start=1):
        sheet.append([index, *row])
    sheet.append([])
    sheet.append(["填表人：张干事", None, None, "审核人：李主任"])
    book.save(path)
    return path


@pytest.fixture
def hq(town):
    return factories.make_user(role=Role.HQ, region=town["town"], username="hq-enterprises")


@pytest.fixture
def registered(town, hq):
    """An enterprise of 瓦房村 already in the registry, which the list updates."""
    return factories.make_enterprise(
        region=town["wafang"],
        created_by=hq,
        name="瓦房砖厂",
        uscc=_code(1),
        address="瓦房村黄包谷地组",
        workers_count=20,
        contact_name="王厂长",
        contact_phone="13812345678",
        prevention_lead_name="李主任",
        prevention_lead_phone="13987654321",
    )


@pytest.fixture
def messy(tmp_path, registered):
    rows = [
        # 1 (row 4): the registered brick works with more workers, its code full-width → update.
        ["瓦房砖厂", full_width(_code(1)), "瓦房村黄包谷地组", "", "制造业", "35人", *PEOPLE],
        # 2 (row 5): a new supermarket in 碑棋社区, placed from the village column → create.
        ["碑棋便民超市", _code(2), "碑棋街12号", "碑棋社区", "超市", 8, *PEOPLE],
        # 3 (row 6): a wrong check character → error on the code column.
        ["乌龙饭店", _bad_check(_code(3)), "瓦房村", "", "餐饮", "6", *PEOPLE],
        # 4 (row 7): a code Excel turned into a number → error.
        ["瓦房养殖场", 9.15301131e17, "瓦房村", "", "养殖", "12", *PEOPLE],
        # 5 (row 8): a village not in 乌龙镇 → error on the village column.
        ["汤丹建材", _code(5), "汤丹镇", "汤丹村", "建筑", "3", *PEOPLE],
        # 6 (row 9): the supermarket again → duplicate.
        ["碑棋便民超市", _code(2), "碑棋街12号", "碑棋社区", "超市", "8", *PEOPLE],
        # 7 (row 10): a new farm with a negative size → error.
        ["碑棋种植合作社", _code(7), "碑棋社区", "", "种养殖", "-4", *PEOPLE],
        # 8 (row 11): a new farm stay of an industry we do not know (→ 其他), no size, full-width
        # digits in its phone → create.
        ["瓦房农家乐", _code(8), "瓦房村二组", "", "其他行业", "", *FARM_STAY_PEOPLE],
    ]
    return _list(tmp_path / "企业台账.xlsx", rows)


def _checked(actor, region, path):
    job = services.import_create(
        actor=actor,
        region=region,
        path=path,
        original_name=path.name,
        target=ImportJob.Target.ENTERPRISES,
    )
    return services.import_check(job=job, actor=actor)


def test_the_check_counts_each_kind_of_row_of_a_messy_list(hq, town, messy):
    job = _checked(hq, town["town"], messy)

    assert job.status == ImportJob.Status.CHECKED
    assert job.header_row == 3
    assert {k: job.counts[k] for k in ("create", "update", "unchanged", "error", "duplicate")} == {
        "create": 2,
        "update": 1,
        "unchanged": 0,
        "error": 4,
        "duplicate": 1,
    }
    update = job.rows.get(action=ImportRow.Action.UPDATE)
    assert update.row_number == 4
    assert update.changes == {"workers_count": [20, 35]}


def test_errors_name_the_row_the_column_and_the_rule(hq, town, messy):
    job = _checked(hq, town["town"], messy)
    errors = {(e["row"], e["column"]): e["message"] for e in services.import_errors(job=job)}

    assert "校验码" in errors[(6, "统一社会信用代码")]
    assert "数字" in errors[(7, "统一社会信用代码")]
    assert "乌龙镇" in errors[(8, "所在村(社区)")]
    assert errors[(9, "")] == "与第 5 行的统一社会信用代码重复。"
    assert "-4" in errors[(10, "员工人数")]
    duplicate = job.rows.get(action=ImportRow.Action.DUPLICATE)
    assert duplicate.row_number == 9


def test_rows_are_placed_and_industries_mapped(hq, town, messy):
    job = _checked(hq, town["town"], messy)
    created = {r.values["name"]: r.values for r in job.rows.filter(action=ImportRow.Action.CREATE)}

    assert created["碑棋便民超市"]["region_id"] == town["beiqi"].pk
    assert created["碑棋便民超市"]["industry"] == Enterprise.Industry.COMMERCE
    assert created["瓦房农家乐"]["region_id"] == town["wafang"].pk
    assert created["瓦房农家乐"]["industry"] == Enterprise.Industry.OTHER
    assert created["瓦房农家乐"]["phone"] == "13600001111"


@pytest.mark.parametrize(
    ("said", "industry"),
    [
        ("工业", "industry"),
        ("机械制造", "industry"),
        ("商贸", "commerce"),
        ("零售", "commerce"),
        ("餐饮", "catering"),
        ("建筑施工", "construction"),
        ("种植", "farming"),
        ("生猪养殖", "farming"),
        ("种养殖", "farming"),
        ("文化传媒", "other"),
        ("", "other"),
    ],
)
def test_industry_is_mapped_from_labels_and_common_words(said, industry):
    assert enterprise_rows.industry_of(said) == industry


def test_commit_creates_and_updates_enterprises_with_audit_entries(hq, town, messy, registered):
    job = _checked(hq, town["town"], messy)
    job = services.import_commit(job=job, actor=hq)

    assert job.status == ImportJob.Status.COMMITTED
    assert job.counts["created"] == 2
    assert job.counts["updated"] == 1
    registered.refresh_from_db()
    assert registered.workers_count == 35
    market = Enterprise.objects.get(uscc=_code(2))
    assert market.region == town["beiqi"]
    assert market.industry == Enterprise.Industry.COMMERCE
    assert market.workers_count == 8
    assert market.contact_name == "王厂长"
    assert market.prevention_lead_phone == "13987654321"
    assert market.created_by == hq
    farm = Enterprise.objects.get(uscc=_code(8))
    assert farm.workers_count == 0
    entries = AuditEntry.objects.filter(object_type="enterprises.enterprise")
    assert sorted((e.action, e.detail.get("import")) for e in entries) == sorted(
        [("create", job.pk), ("create", job.pk), ("update", job.pk)]
    )
    assert entries.get(action="update").changes == {"fields": ["workers_count"]}
    assert not Enterprise.objects.filter(name__in=["乌龙饭店", "瓦房养殖场", "汤丹建材"]).exists()


def test_rejected_rows_download_with_their_error_column(hq, town, messy):
    job = _checked(hq, town["town"], messy)
    path = messy.parent / "rejected.xlsx"
    with path.open("wb") as handle:
        rejected.write_rejected(job=job, stream=handle)
    sheet = openpyxl.load_workbook(path).active
    rows = [[c for c in row] for row in sheet.iter_rows(values_only=True)]

    assert len(rows) == 1 + 5
    assert any("校验码" in str(cell) for cell in rows[1])


def test_commit_is_all_or_nothing(hq, town, messy, registered):
    job = _checked(hq, town["town"], messy)
    # Someone registers the supermarket's code by hand between the check and the commit.
    factories.make_enterprise(region=town["beiqi"], name="别的店", uscc=_code(2), created_by=hq)

    with pytest.raises(ValidationError):
        services.import_commit(job=job, actor=hq)

    registered.refresh_from_db()
    assert registered.workers_count == 20
    assert not Enterprise.objects.filter(uscc=_code(8)).exists()
    job.refresh_from_db()
    assert job.status == ImportJob.Status.CHECKED


def test_a_list_without_changes_is_unchanged(hq, town, tmp_path, registered):
    path = _list(
        tmp_path / "l.xlsx",
        [["瓦房砖厂", _code(1), "瓦房村黄包谷地组", "瓦房村", "工业", 20, *PEOPLE]],
    )
    job = _checked(hq, town["town"], path)

    assert job.counts["unchanged"] == 1
    assert job.counts["update"] == 0


def test_the_command_checks_as_json_and_saves_with_commit(hq, town, messy):
    def run(*extra):
        out = StringIO()
        call_command(
            "import_roster",
            str(messy),
            "--into",
            "enterprises",
            "--region",
            town["town"].code,
            "--user",
            hq.username,
            "--json",
            *extra,
            stdout=out,
        )
        return json.loads(out.getvalue())

    preview = run()
    assert (preview["create"], preview["update"], preview["committed"]) == (2, 1, False)
    assert {e["row"] for e in preview["errors"]} == {6, 7, 8, 10}
    assert [d["row"] for d in preview["duplicates"]] == [9]
    assert not Enterprise.objects.filter(uscc=_code(2)).exists()

    saved = run("--commit")
    assert saved["committed"] is True
    assert Enterprise.objects.filter(uscc=_code(2)).exists()


def test_a_village_cadre_of_wafang_cannot_import_into_beiqi(tmp_path, town, registered):
    cadre = factories.make_user(role=Role.VILLAGE_CADRE, region=town["wafang"], username="cadre")
    path = _list(
        tmp_path / "l.xlsx",
        [
            ["瓦房农家乐", _code(8), "瓦房村二组", "", "餐饮", "5", *PEOPLE],
            ["碑棋便民超市", _code(2), "碑棋街12号", "碑棋社区", "超市", "8", *PEOPLE],
        ],
    )

    with pytest.raises(PermissionDenied):
        services.import_create(
            actor=cadre,
            region=town["beiqi"],
            path=path,
            original_name=path.name,
            target=ImportJob.Target.ENTERPRISES,
        )
    job = _checked(cadre, town["wafang"], path)
    errors = services.import_errors(job=job)
    assert job.counts["create"] == 1
    assert [e["row"] for e in errors] == [5]


def test_an_enterprise_of_another_village_is_not_updated_by_a_cadre(tmp_path, town):
    cadre = factories.make_user(role=Role.VILLAGE_CADRE, region=town["wafang"], username="cadre")
    factories.make_enterprise(region=town["beiqi"], name="碑棋商店", uscc=_code(9))
    path = _list(
        tmp_path / "l.xlsx",
        [["碑棋商店", _code(9), "瓦房村", "瓦房村", "商贸", "5", *PEOPLE]],
    )
    job = _checked(cadre, town["wafang"], path)

    assert job.counts["error"] == 1
    assert "碑棋社区" in services.import_errors(job=job)[0]["message"]


def test_the_upload_page_imports_an_enterprise_list(client, hq, town, messy):
    client.force_login(hq)
    with messy.open("rb") as handle:
        response = client.post(
            reverse("imports:import-upload"),
            {"file": handle, "region": town["town"].code, "target": "enterprises"},
        )
    job = ImportJob.objects.get()
    assert response.status_code == 302
    assert job.target == ImportJob.Target.ENTERPRISES

    page = client.get(reverse("imports:import-detail", kwargs={"job_id": job.pk}))
    assert "碑棋便民超市" in page.content.decode()
    assert 'data-testid="import-target"' in page.content.decode()
