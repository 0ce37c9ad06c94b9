"""Importing a roster in a browser: upload, see the check, save, download the rejected rows."""

from datetime import date
from io import BytesIO

import openpyxl
import pytest
from playwright.sync_api import expect

from fangxian.accounts.roles import Role
from fangxian.imports.models import ImportJob
from fangxian.people import idnumber
from fangxian.people.models import Person
from tests import factories

pytestmark = pytest.mark.browser


def _roster(path):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["乌龙镇返乡人员排查登记表"])
    sheet.append(["填报单位：瓦房村", None, "填报日期：2020年2月3日"])
    sheet.append(["序号", "姓名", "身份证号码", "联系电话", "现住址"])
    sheet.append(
        [1, "王芳", idnumber.make("530113", date(1990, 1, 2), 2), "13812345678", "瓦房村黄包谷地组"]
    )
    sheet.append([2, "钱七", float(idnumber.make("530113", date(1991, 1, 2), 5)), "", "瓦房村"])
    book.save(path)
    return path


def test_hq_uploads_checks_and_saves_a_roster(page, log_in, live_server, town, tmp_path):
    hq = factories.make_user(role=Role.HQ, region=town["town"], username="hq-browser")
    log_in(page, hq)
    page.goto(f"{live_server.url}/imports/new/")
    page.set_input_files("input[name=file]", str(_roster(tmp_path / "名单.xlsx")))
    page.select_option("select[name=region]", town["town"].code)
    page.get_by_test_id("upload").click()

    expect(page.get_by_test_id("count-create")).to_have_text("1")
    expect(page.get_by_test_id("count-error")).to_have_text("1")
    errors = page.get_by_test_id("import-errors")
    expect(errors).to_contain_text("5")  # the spreadsheet row of 钱七
    expect(errors).to_contain_text("身份证号码")
    assert Person.objects.count() == 0

    with page.expect_download() as download:
        page.get_by_test_id("download-rejected").click()
    assert download.value.suggested_filename.endswith(".xlsx")
    rejected = openpyxl.load_workbook(BytesIO(download.value.path().read_bytes())).active
    assert [c.value for c in rejected[2]][:3] == [5, "2", "钱七"]

    page.get_by_test_id("commit").click()
    expect(page.get_by_test_id("import-status")).to_have_text("已导入")
    assert list(Person.objects.values_list("name", "region")) == [("王芳", town["group"].pk)]
    assert ImportJob.objects.get().status == ImportJob.Status.COMMITTED


def test_hq_imports_a_quarantine_list_as_pending_orders(page, log_in, live_server, town, tmp_path):
    import importlib

    from django.apps import apps

    from fangxian.quarantine.models import OrderBatch

    # The live server's tests empty the tables, the kinds and reasons seeded by migration too.
    importlib.import_module("fangxian.quarantine.migrations.0002_default_settings").seed(apps, None)
    hq = factories.make_user(role=Role.HQ, region=town["town"], username="hq-list")
    number = idnumber.make("530113", date(1990, 1, 2), 2)
    factories.make_person(region=town["wafang_1"], name="王芳", id_number=number)
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["东川区隔离管控名单"])
    sheet.append(["序号", "姓名", "身份证号码", "管控类型", "原因", "开始日期", "天数"])
    sheet.append([1, "王芳", number, "居家隔离", "密切接触者", "2020-02-03", 14])
    sheet.append([2, "赵六", idnumber.make("530113", date(1991, 1, 2), 5), "居家隔离", "密接"])
    book.save(tmp_path / "隔离名单.xlsx")

    log_in(page, hq)
    page.goto(f"{live_server.url}/imports/new/")
    page.set_input_files("input[name=file]", str(tmp_path / "隔离名单.xlsx"))
    page.select_option("select[name=region]", town["town"].code)
    page.select_option("select[name=target]", "orders")
    page.fill("input[name=source_unit]", "东川区疾控中心")
    page.get_by_test_id("upload").click()

    expect(page.get_by_test_id("import-target")).to_contain_text("东川区疾控中心")
    expect(page.get_by_test_id("count-create")).to_have_text("1")
    expect(page.get_by_test_id("count-error")).to_have_text("1")
    expect(page.get_by_test_id("import-creates")).to_contain_text("居家隔离")
    page.get_by_test_id("commit").click()
    expect(page.get_by_test_id("orders-placed")).to_contain_text("1")
    batch = OrderBatch.objects.get()
    assert (batch.status, batch.source_unit, batch.size) == ("pending", "东川区疾控中心", 1)
