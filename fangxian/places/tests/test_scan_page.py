"""The public scan page /p/<token>/: no login; a phone or a personal code records an entry,
the next scan an exit; forged, withdrawn, tampered, expired and replayed requests record
nothing new; a closed place says so."""

import re
import uuid

import pytest
from django.core import signing

from fangxian.checkpoints.codes import code_issue, code_revoke
from fangxian.places import nonce
from fangxian.places.models import Scan
from fangxian.places.services import place_close, place_code_reissue

PHONE = "13812345678"


def _fields(client, url) -> dict[str, str]:
    """The hidden fields of the form the page shows."""
    text = client.get(url).content.decode()
    return dict(re.findall(r'name="(client_id|nonce)" value="([^"]*)"', text))


def _send(client, place, **data):
    url = f"/p/{place.token}/"
    fields = _fields(client, url) | data
    return client.post(url, fields)


def test_the_page_needs_no_login_and_carries_no_bootstrap(client, shop):
    response = client.get(f"/p/{shop.token}/")
    text = response.content.decode()
    assert response.status_code == 200
    assert "瓦房超市" in text and "瓦房村" in text
    assert "bootstrap" not in text and "htmx" not in text
    assert len(response.content) < 8000  # light on a weak network


def test_a_phone_records_an_entry_then_an_exit(client, shop):
    first = _send(client, shop, phone="138 1234 5678").content.decode()
    assert "已登记进入 瓦房超市" in first
    second = _send(client, shop, phone=PHONE).content.decode()
    assert "已登记离开 瓦房超市" in second
    scans = list(Scan.objects.order_by("id").values_list("direction", "phone", "source"))
    assert scans == [("in", PHONE, "page"), ("out", PHONE, "page")]


def test_a_bad_phone_is_refused_in_chinese_and_the_form_kept(client, shop):
    response = _send(client, shop, phone="12345")
    text = response.content.decode()
    assert response.status_code == 400
    assert "请输入11位手机号" in text
    assert not Scan.objects.exists()


@pytest.mark.parametrize("token", ["no-such-token", "x" * 40])
def test_a_forged_code_gets_the_neutral_page_and_404(client, shop, token):
    response = client.get(f"/p/{token}/")
    assert response.status_code == 404
    assert "场所码无效或已停用" in response.content.decode()
    assert client.post(f"/p/{token}/", {"phone": PHONE}).status_code == 404
    assert not Scan.objects.exists()


def test_a_withdrawn_code_stops_working(client, shop, hq_user):
    old = shop.token
    fields = _fields(client, f"/p/{old}/")
    place_code_reissue(actor=hq_user, place=shop)
    response = client.post(f"/p/{old}/", fields | {"phone": PHONE})
    assert response.status_code == 404
    assert "场所码无效或已停用" in response.content.decode()
    assert not Scan.objects.exists()


def test_a_tampered_nonce_is_refused(client, shop):
    fields = _fields(client, f"/p/{shop.token}/")
    fields["nonce"] = fields["nonce"][:-2] + "xx"
    response = client.post(f"/p/{shop.token}/", fields | {"phone": PHONE})
    assert response.status_code == 400
    assert "请重新扫码" in response.content.decode()
    assert not Scan.objects.exists()


def test_a_nonce_for_another_client_id_is_refused(client, shop):
    fields = _fields(client, f"/p/{shop.token}/")
    fields["client_id"] = str(uuid.uuid4())
    assert client.post(f"/p/{shop.token}/", fields | {"phone": PHONE}).status_code == 400
    assert not Scan.objects.exists()


def test_an_expired_nonce_is_refused(client, shop, monkeypatch):
    client_id = uuid.uuid4()
    old = nonce.make_nonce(token=shop.token, client_id=client_id)
    # Verify 31 minutes later: the signer's clock is moved, not the database's.
    real = signing.time.time
    monkeypatch.setattr(signing.time, "time", lambda: real() + 31 * 60)
    response = client.post(
        f"/p/{shop.token}/", {"client_id": str(client_id), "nonce": old, "phone": PHONE}
    )
    assert response.status_code == 400
    assert "请重新扫码" in response.content.decode()
    assert not Scan.objects.exists()


def test_a_replayed_post_records_once_and_shows_the_same_result(client, shop):
    fields = _fields(client, f"/p/{shop.token}/") | {"phone": PHONE}
    first = client.post(f"/p/{shop.token}/", fields).content.decode()
    again = client.post(f"/p/{shop.token}/", fields).content.decode()
    assert Scan.objects.count() == 1
    assert "已登记进入" in first and "已登记进入" in again


def test_a_closed_place_says_so_and_records_nothing(client, shop, hq_user):
    fields = _fields(client, f"/p/{shop.token}/")
    place_close(actor=hq_user, place=shop, reason="店主居家隔离")
    page = client.get(f"/p/{shop.token}/").content.decode()
    assert "暂停营业" in page and "店主居家隔离" in page
    answer = client.post(f"/p/{shop.token}/", fields | {"phone": PHONE}).content.decode()
    assert "暂停营业" in answer
    assert not Scan.objects.exists()


def test_a_personal_code_records_the_person_without_naming_them(
    client, shop, wafang_person, grid_worker
):
    code = code_issue(actor=grid_worker, person=wafang_person)
    text = _send(client, shop, code=code.token).content.decode()
    assert "已登记进入" in text and wafang_person.name not in text
    scan = Scan.objects.get()
    assert scan.person == wafang_person and scan.phone == ""


def test_a_revoked_or_unknown_personal_code_is_refused(client, shop, wafang_person, grid_worker):
    code = code_issue(actor=grid_worker, person=wafang_person)
    code_revoke(actor=grid_worker, person=wafang_person)
    for token in (code.token, "not-a-code"):
        response = _send(client, shop, code=token)
        assert response.status_code == 400
        assert "个人码无法使用" in response.content.decode()
    assert not Scan.objects.exists()


def test_the_personal_code_page_offers_to_save_the_code(client, wafang_person, grid_worker):
    code = code_issue(actor=grid_worker, person=wafang_person)
    text = client.get(f"/c/{code.token}/").content.decode()
    assert 'data-testid="save-code"' in text and wafang_person.name not in text


def test_a_scan_costs_a_few_queries(client, shop, django_assert_max_num_queries):
    fields = _fields(client, f"/p/{shop.token}/") | {"phone": PHONE}
    # the place, the direction, the insert (in its savepoint)
    with django_assert_max_num_queries(5):
        response = client.post(f"/p/{shop.token}/", fields)
    assert "已登记进入" in response.content.decode()
