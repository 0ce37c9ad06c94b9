"""The JSON endpoint for devices at places: idempotent by client id, errors in Chinese naming
the field, scoped to manage_places, CSRF-protected (session authentication)."""

import json
import threading
import uuid

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from conftest import login
from fangxian.checkpoints.codes import code_issue
from fangxian.places.models import Scan
from fangxian.places.services import place_close, scan_record

URL = "/places/api/scans/"


def _post(client, body):
    return client.post(URL, json.dumps(body), content_type="application/json")


def _body(shop, **fields):
    return {"place": shop.pk, "client_id": str(uuid.uuid4()), "phone": "13812345678"} | fields


def test_the_url_is_the_documented_one():
    assert reverse("places:api-scan-create") == URL


def test_the_same_client_id_twice_answers_the_same_record(client, cadre, shop):
    login(client, cadre)
    body = _body(shop)
    first, second = _post(client, body), _post(client, body)
    assert (first.status_code, second.status_code) == (201, 200)
    assert first.json()["id"] == second.json()["id"] == Scan.objects.get().pk
    assert (first.json()["created"], second.json()["created"]) == (True, False)
    scan = Scan.objects.get()
    assert (scan.source, scan.recorded_by, scan.direction) == ("device", cadre, "in")


def test_the_place_may_be_given_by_its_token_and_a_second_scan_is_an_exit(client, cadre, shop):
    login(client, cadre)
    assert _post(client, _body(shop, place=shop.token)).json()["direction"] == "in"
    assert _post(client, _body(shop, place=shop.token)).json()["direction"] == "out"


def test_errors_are_chinese_and_name_the_field(client, cadre, shop):
    login(client, cadre)
    response = _post(
        client, _body(shop, phone="12345", client_id="not-a-uuid", direction="sideways")
    )
    assert response.status_code == 400
    errors = response.json()["errors"]
    assert errors["phone"][0].startswith("手机号：")
    assert errors["client_id"][0].startswith("客户端编号：")
    assert errors["direction"][0].startswith("方向：")
    assert (
        _post(client, {"client_id": str(uuid.uuid4())})
        .json()["errors"]["place"][0]
        .startswith("场所：")
    )
    missing = _post(client, _body(shop, phone=""))
    assert missing.json()["errors"]["phone"][0] == "手机号：请填写手机号或个人码。"
    assert not Scan.objects.exists()


def test_a_closed_place_is_refused_naming_the_place(client, cadre, shop, hq_user):
    place_close(actor=hq_user, place=shop, reason="消杀")
    login(client, cadre)
    response = _post(client, _body(shop))
    assert response.status_code == 400
    assert response.json()["errors"]["place"] == ["场所：该场所暂停营业，本次未登记。"]


def test_a_future_time_is_refused_and_a_past_one_kept(client, cadre, shop):
    login(client, cadre)
    future = _post(client, _body(shop, occurred_at="2099-01-01T08:00:00+08:00"))
    assert future.json()["errors"]["occurred_at"][0].startswith("时间：")
    past = _post(client, _body(shop, occurred_at="2026-02-03T23:40:00+08:00"))
    assert past.status_code == 201
    assert Scan.objects.get().day.isoformat() == "2026-02-03"


def test_a_personal_code_is_recorded_and_never_answered(
    client, cadre, shop, wafang_person, grid_worker
):
    code = code_issue(actor=grid_worker, person=wafang_person)
    login(client, cadre)
    response = _post(client, _body(shop, phone="", code=code.token))
    assert response.status_code == 201
    assert wafang_person.name not in response.content.decode()
    assert Scan.objects.get().person == wafang_person
    bad = _post(client, _body(shop, phone="", code="no-such-code"))
    assert bad.json()["errors"]["code"] == ["个人码：此码无法使用。"]


def test_a_place_outside_the_scope_answers_404(client, cadre, beiqi_shop):
    login(client, cadre)
    assert _post(client, _body(beiqi_shop)).status_code == 404
    assert _post(client, _body(beiqi_shop, place=beiqi_shop.token)).status_code == 404
    assert not Scan.objects.exists()


def test_a_client_id_of_another_place_is_refused(client, cadre, shop, town, hq_user):
    from fangxian.places.services import place_create

    other = place_create(actor=hq_user, region=town["wafang"], name="瓦房药店", kind="pharmacy")
    login(client, cadre)
    body = _body(shop)
    assert _post(client, body).status_code == 201
    assert _post(client, body | {"place": other.pk}).status_code == 409


def test_the_endpoint_requires_the_csrf_token(cadre, shop):
    client = Client(enforce_csrf_checks=True)
    client.force_login(cadre)
    assert _post(client, _body(shop)).status_code == 403
    client.get(reverse("places:place-list"))
    token = client.cookies["csrftoken"].value
    response = client.post(
        URL,
        json.dumps(_body(shop)),
        content_type="application/json",
        headers={"X-CSRFToken": token},
    )
    assert response.status_code == 201


@pytest.mark.django_db(transaction=True)
def test_two_racing_calls_with_one_client_id_make_one_scan(shop):
    """The insert is tried first: the loser of the race meets the unique constraint and
    answers the winner's scan."""
    if connection.vendor == "sqlite":
        pytest.skip("SQLite serialises writers: no race to lose")
    client_id = uuid.uuid4()
    results = []

    def record():
        try:
            results.append(
                scan_record(place=shop, client_id=client_id, phone="13812345678", source="device")
            )
        finally:
            connection.close()

    threads = [threading.Thread(target=record) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert Scan.objects.count() == 1
    assert sorted(created for _, created in results) == [False, False, False, True]
    assert {scan.pk for scan, _ in results} == {Scan.objects.get().pk}


def test_a_device_scan_costs_a_few_queries(client, cadre, shop, django_assert_max_num_queries):
    login(client, cadre)
    # session, user, roles, place, direction, insert, and the session's refresh (each write
    # in a savepoint here, inside the test's transaction)
    with django_assert_max_num_queries(11):
        assert _post(client, _body(shop)).status_code == 201
