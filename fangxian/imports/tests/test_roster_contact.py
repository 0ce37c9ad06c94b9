"""An enterprise's own contact (企业联络员: no region role, one EnterpriseMembership) imports their
enterprise's worker roster (返岗人员花名册): upload → check → commit, and nothing else."""

from datetime import date

import openpyxl
import pytest
from django.urls import reverse

from fangxian.accounts.roles import Role
from fangxian.enterprises.models import Worker
from fangxian.imports.models import ImportJob
from tests import factories

HEADER = ["序号", "姓名", "身份证号", "部门", "岗位", "联系电话", "所赴城市", "返回时间", "交通工具",
          "预计返岗日期", "是否去过或经停湖北", "是否发热"]  # fmt: skip


def _number(sequence: int) -> str:
    return factories.valid_id_number(sequence=sequence, birth=date(1991, 3, 4))


def _roster(path, rows):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["瓦房砖厂返岗人员花名册"])
    sheet.append(["填报单位：瓦房砖厂  填报日期：2020年2月10日"])
    sheet.append(HEADER)
    for row in rows:
        sheet.append(row)
    book.save(path)
    return path


GOOD_ROWS = [
    [1, "赵一", _number(601), "生产部", "操作工", "13800000601", "湖北武汉", "2月8日", "高铁",
     "2020.2.12", "是", "否"],
    [2, "赵二", _number(602), "包装", "", "", "", "", "", "2020/2/11", "否", "否"],
]  # fmt: skip


@pytest.fixture
def wafang_enterprise(town):
    return factories.make_enterprise(region=town["wafang"], name="瓦房砖厂")


@pytest.fixture
def beiqi_enterprise(town):
    return factories.make_enterprise(region=town["beiqi"], name="碑棋超市")


@pytest.fixture
def contact(wafang_enterprise):
    return factories.make_enterprise_contact(
        enterprise=wafang_enterprise, username="brick", full_name="砖厂联络员"
    )


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def messy(tmp_path):
    return _roster(
        tmp_path / "花名册.xlsx",
        [
            *GOOD_ROWS,
            [3, "赵三", _number(603)[:15] + "000", "生产部", "", "", "", "", "", "", "", ""],
            [4, "赵四", _number(604), "生产部", "", "", "", "", "", "2月30日", "", ""],
            [5, "赵一", _number(601), "生产部", "", "", "", "", "", "", "", ""],
        ],
    )


@pytest.fixture
def fixed(tmp_path):
    return _roster(tmp_path / "花名册-改.xlsx", GOOD_ROWS)


def _upload(client, enterprise, path):
    with path.open("rb") as handle:
        return client.post(reverse("imports:roster-upload", args=[enterprise.pk]), {"file": handle})


def test_the_roster_page_offers_the_import_to_the_contact(client, contact, wafang_enterprise):
    client.force_login(contact)
    page = client.get(reverse("enterprises:worker-list", args=[wafang_enterprise.pk]))
    assert reverse("imports:roster-upload", args=[wafang_enterprise.pk]) in page.content.decode()
    upload = client.get(reverse("imports:roster-upload", args=[wafang_enterprise.pk]))
    assert upload.status_code == 200
    assert set(upload.context["form"].fields) == {"file", "year"}  # no target, no enterprise


def test_the_contact_uploads_a_messy_roster_sees_the_errors_then_commits_a_fixed_one(
    client, contact, wafang_enterprise, messy, fixed
):
    client.force_login(contact)
    response = _upload(client, wafang_enterprise, messy)
    job = ImportJob.objects.get()
    assert response.status_code == 302 and response.url == reverse(
        "imports:import-detail", args=[job.pk]
    )
    assert job.target == ImportJob.Target.WORKERS and job.enterprise == wafang_enterprise
    assert job.status == ImportJob.Status.CHECKED and job.created_by == contact
    page = client.get(response.url)
    errors = {(e["row"], e["column"]) for e in page.context["errors"]}
    assert errors == {(6, "身份证号"), (7, "预计返岗日期"), (8, "")}
    text = page.content.decode()
    assert "预计返岗日期" in text
    assert 'data-testid="download-rejected"' not in text  # the full-data export is not theirs
    assert _number(601) not in text  # masked in the preview
    assert not Worker.objects.exists()

    _upload(client, wafang_enterprise, fixed)
    corrected = ImportJob.objects.latest("id")
    assert corrected.counts["error"] == 0 and corrected.counts["create"] == 2
    response = client.post(reverse("imports:import-commit", args=[corrected.pk]))
    assert response.status_code == 302
    corrected.refresh_from_db()
    assert corrected.status == ImportJob.Status.COMMITTED
    workers = Worker.objects.filter(enterprise=wafang_enterprise).select_related("person")
    assert {w.person.name for w in workers} == {"赵一", "赵二"}
    assert all(w.person.region == wafang_enterprise.region for w in workers)
    assert 'data-testid="roster-saved"' in client.get(response.url).content.decode()


def test_the_error_messages_are_in_chinese_and_name_the_field(
    client, contact, wafang_enterprise, messy
):
    client.force_login(contact)
    _upload(client, wafang_enterprise, messy)
    errors = client.get(reverse("imports:import-detail", args=[ImportJob.objects.get().pk]))
    by_row = {e["row"]: e["message"] for e in errors.context["errors"]}
    assert "日期" in by_row[7] and "身份证" in by_row[6] and "第 4 行" in by_row[8]
    assert all(not message.isascii() for message in by_row.values())


def test_a_contact_cannot_reach_another_enterprise_or_its_jobs(
    client, contact, hq_user, beiqi_enterprise, wafang_enterprise, fixed
):
    client.force_login(hq_user)
    _upload(client, beiqi_enterprise, fixed)
    theirs = ImportJob.objects.get(enterprise=beiqi_enterprise)
    client.force_login(contact)
    assert (
        client.get(reverse("imports:roster-upload", args=[beiqi_enterprise.pk])).status_code == 404
    )
    assert _upload(client, beiqi_enterprise, fixed).status_code == 404
    for name in ("import-detail", "import-rejected"):
        assert client.get(reverse(f"imports:{name}", args=[theirs.pk])).status_code == 404
    for name in ("import-commit", "import-mapping"):
        assert client.post(reverse(f"imports:{name}", args=[theirs.pk])).status_code == 404
    theirs.refresh_from_db()
    assert theirs.status == ImportJob.Status.CHECKED
    assert ImportJob.objects.count() == 1 and not Worker.objects.exists()


def test_a_contact_cannot_import_into_the_ledger_orders_or_the_registry(
    client, contact, wafang_enterprise, fixed
):
    client.force_login(contact)
    for target in ("people", "orders", "enterprises"):
        with fixed.open("rb") as handle:
            response = client.post(
                reverse("imports:import-upload"),
                {"file": handle, "region": wafang_enterprise.region.code, "target": target},
            )
        assert response.status_code == 404
    assert client.get(reverse("imports:import-list")).status_code == 404
    assert not ImportJob.objects.exists()


def test_a_contact_does_not_see_a_people_import_of_their_own_village(
    client, contact, hq_user, wafang_enterprise
):
    job = ImportJob.objects.create(
        target=ImportJob.Target.PEOPLE,
        region=wafang_enterprise.region,
        created_by=hq_user,
        file="imports/p.xlsx",
        original_name="p.xlsx",
        status=ImportJob.Status.CHECKED,
    )
    client.force_login(contact)
    assert client.get(reverse("imports:import-detail", args=[job.pk])).status_code == 404


def test_the_contact_sees_the_roster_imports_township_staff_made_for_their_enterprise(
    client, contact, town, wafang_enterprise, fixed
):
    cadre = factories.make_user(role=Role.VILLAGE_CADRE, region=town["wafang"], username="c")
    client.force_login(cadre)
    assert _upload(client, wafang_enterprise, fixed).status_code == 302
    job = ImportJob.objects.get()
    client.force_login(contact)
    page = client.get(reverse("imports:roster-upload", args=[wafang_enterprise.pk]))
    assert [j.pk for j in page.context["jobs"]] == [job.pk]
    assert client.get(reverse("imports:import-detail", args=[job.pk])).status_code == 200


def test_region_users_keep_their_imports(client, town, wafang_enterprise, fixed, grid_worker):
    leader = factories.make_user(role=Role.VILLAGE_LEADER, region=town["wafang"], username="l")
    client.force_login(leader)  # views enterprises, does not manage them
    assert (
        client.get(reverse("imports:roster-upload", args=[wafang_enterprise.pk])).status_code == 404
    )
    page = client.get(reverse("enterprises:worker-list", args=[wafang_enterprise.pk]))
    assert 'data-testid="roster-import"' not in page.content.decode()
    client.force_login(grid_worker)
    assert client.get(reverse("imports:import-list")).status_code == 200
    assert (
        client.get(reverse("imports:roster-upload", args=[wafang_enterprise.pk])).status_code == 404
    )
    job = ImportJob.objects.create(
        target=ImportJob.Target.PEOPLE,
        region=town["wafang_1"],
        created_by=grid_worker,
        file="imports/p.xlsx",
        original_name="p.xlsx",
        status=ImportJob.Status.CHECKED,
    )
    assert client.get(reverse("imports:import-detail", args=[job.pk])).status_code == 200
