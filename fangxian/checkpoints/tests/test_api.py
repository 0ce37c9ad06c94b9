"""The JSON endpoint for checkpoint devices: idempotent by client id, validated like the form,
errors in Chinese naming the field, scoped, and CSRF-protected (session authentication)."""

import json
import uuid

from django.test import Client
from django.urls import reverse

from conftest import login
from fangxian.checkpoints.models import Passage, PassagePerson
from tests import factories

URL = "/checkpoints/api/passages/"


def _post(client, body):
    return client.post(URL, json.dumps(body), content_type="application/json")


def _body(checkpoint, **fields):
    return {
        "checkpoint": checkpoint.pk,
        "client_id": str(uuid.uuid4()),
        "direction": "in",
        "decision": "released",
        "plate": "云A12345",
        "people": [
            {"name": "王五", "temperature": 36.5, "code_colour": "green", "code_verified": True}
        ],
    } | fields


def test_the_url_is_the_documented_one():
    assert reverse("checkpoints:api-passage-create") == URL


def test_the_same_client_id_twice_answers_the_same_record(client, staff, checkpoint):
    login(client, staff)
    body = _body(checkpoint)
    first = _post(client, body)
    second = _post(client, body)
    assert (first.status_code, second.status_code) == (201, 200)
    assert first.json()["id"] == second.json()["id"] == Passage.objects.get().pk
    assert PassagePerson.objects.count() == 1


def test_errors_are_chinese_and_name_the_field(client, staff, checkpoint):
    login(client, staff)
    response = _post(
        client,
        _body(
            checkpoint,
            plate="云A1O345",
            decision="turned_back",
            people=[{"temperature": 50}],
        ),
    )
    assert response.status_code == 400
    errors = response.json()["errors"]
    assert errors["plate"][0].startswith("车牌号：")
    assert errors["people.0.temperature"][0].startswith("体温（°C）：")
    assert not Passage.objects.exists()


def test_a_missing_reason_for_turning_back_is_refused(client, staff, checkpoint):
    login(client, staff)
    response = _post(client, _body(checkpoint, decision="turned_back"))
    assert response.status_code == 400
    assert response.json()["errors"]["decision_reason"][0].startswith("处置理由：")


def test_a_checkpoint_outside_the_scope_answers_404(client, checkpoint, town):
    other_staff = factories.make_user(role="checkpoint_staff", region=town["beiqi"])
    login(client, other_staff)
    assert _post(client, _body(checkpoint)).status_code == 404
    assert not Passage.objects.exists()


def test_a_ledger_person_is_found_by_id_number_and_answered_masked(
    client, staff, checkpoint, wafang_person
):
    login(client, staff)
    body = _body(checkpoint, people=[{"id_number": wafang_person.id_number}])
    response = _post(client, body)
    assert response.status_code == 201
    assert wafang_person.id_number not in response.content.decode()
    assert Passage.objects.get().people.get().person == wafang_person


def test_the_endpoint_requires_the_csrf_token(staff, checkpoint):
    client = Client(enforce_csrf_checks=True)
    client.force_login(staff)
    assert _post(client, _body(checkpoint)).status_code == 403
    client.get(reverse("checkpoints:passage-create", args=[checkpoint.pk]))
    token = client.cookies["csrftoken"].value
    response = client.post(
        URL,
        json.dumps(_body(checkpoint)),
        content_type="application/json",
        headers={"X-CSRFToken": token},
    )
    assert response.status_code == 201


def test_a_counted_only_passage_answers_without_an_id(client, staff, checkpoint):
    checkpoint.mode = "exceptions"
    checkpoint.save()
    login(client, staff)
    body = _body(checkpoint)
    first, second = _post(client, body), _post(client, body)
    assert (first.status_code, second.status_code) == (201, 200)
    assert first.json()["counted_only"] and first.json()["id"] is None
    assert not Passage.objects.exists()


def test_a_time_in_the_future_is_refused(client, staff, checkpoint):
    login(client, staff)
    response = _post(client, _body(checkpoint, occurred_at="2099-01-01T08:00:00+08:00"))
    assert response.status_code == 400
    assert response.json()["errors"]["occurred_at"][0].startswith("时间：")


def test_a_device_sends_the_time_of_the_passage(client, staff, checkpoint):
    login(client, staff)
    response = _post(client, _body(checkpoint, occurred_at="2026-02-03T23:40:00+08:00"))
    assert response.status_code == 201
    passage = Passage.objects.get()
    assert passage.day.isoformat() == "2026-02-03"
