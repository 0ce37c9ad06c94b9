"""Place codes on a phone: a resident opens a place's scan page, enters a phone number and is
told the entry was recorded; scanning again is one tap and records the exit; a personal code
saved on the phone is used instead of the number. HQ registers a place and opens its poster."""

import pytest
import segno
from playwright.sync_api import expect

from fangxian.checkpoints.codes import code_issue
from fangxian.places.models import Place, Scan
from fangxian.places.services import place_create

pytestmark = pytest.mark.browser


@pytest.fixture
def shop(town, hq_user):
    return place_create(actor=hq_user, region=town["wafang"], name="瓦房超市", kind="supermarket")


def test_a_resident_scans_in_and_out_with_a_phone_number(phone_page, live_server, shop):
    page = phone_page
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(f"{live_server.url}/p/{shop.token}/")
    expect(page.get_by_role("heading")).to_have_text("瓦房超市")
    page.get_by_test_id("phone").fill("1381234567")  # one digit short
    page.get_by_test_id("submit").click()
    expect(page.get_by_test_id("phone-error")).to_contain_text("请输入11位手机号")
    assert not Scan.objects.exists()
    page.get_by_test_id("phone").fill("13812345678")
    assert page.get_by_test_id("submit").bounding_box()["height"] >= 44  # one thumb
    page.get_by_test_id("submit").click()
    expect(page.get_by_test_id("scan-result")).to_contain_text("已登记进入 瓦房超市")

    # The next scan: the number is remembered on the phone, one tap.
    page.goto(f"{live_server.url}/p/{shop.token}/")
    expect(page.get_by_test_id("phone")).to_have_value("13812345678")
    page.get_by_test_id("submit").click()
    expect(page.get_by_test_id("scan-result")).to_contain_text("已登记离开 瓦房超市")
    scans = list(Scan.objects.order_by("id").values_list("direction", "phone"))
    assert scans == [("in", "13812345678"), ("out", "13812345678")]
    assert errors == []


def test_a_personal_code_saved_on_the_phone_is_used(
    phone_page, live_server, shop, wafang_person, grid_worker
):
    code = code_issue(actor=grid_worker, person=wafang_person)
    page = phone_page
    page.goto(f"{live_server.url}/c/{code.token}/")
    page.get_by_test_id("save-code").click()
    expect(page.get_by_test_id("code-saved")).to_be_visible()
    page.goto(f"{live_server.url}/p/{shop.token}/")
    expect(page.get_by_text("正在使用本机保存的个人码")).to_be_visible()
    page.get_by_test_id("submit").click()
    result = page.get_by_test_id("scan-result")
    expect(result).to_contain_text("已登记进入 瓦房超市")
    expect(result).not_to_contain_text(wafang_person.name)
    assert Scan.objects.get().person == wafang_person


def test_hq_registers_a_place_and_opens_its_poster(page, log_in, live_server, hq_user, town):
    page = log_in(page, hq_user)
    page.goto(f"{live_server.url}/places/")
    page.get_by_test_id("place-create").click()
    page.locator("#id_region").select_option(label="瓦房村")
    page.locator("#id_name").fill("瓦房农贸市场")
    page.locator("#id_kind").select_option("market")
    page.locator("#id_address").fill("瓦房村口")
    page.get_by_test_id("save").click()
    expect(page.get_by_role("alert")).to_contain_text("场所已登记")
    place = Place.objects.get()
    page.get_by_test_id("poster").click()
    poster = page.get_by_test_id("poster")
    expect(poster).to_contain_text("瓦房农贸市场")
    expect(poster).to_contain_text("请使用手机相机扫码登记进出")
    expect(page.get_by_test_id("qr").locator("svg")).to_have_count(1)
    assert page.get_by_test_id("qr").locator("svg").bounding_box()["width"] > 300
    # The code holds the place's scan URL: the drawn modules are segno's for that URL.
    expected = segno.make(f"{live_server.url}/p/{place.token}/", error="m").svg_inline(scale=10)
    drawn = page.get_by_test_id("qr").locator("svg path").get_attribute("d")
    assert f'd="{drawn}"' in expected
