"""Accountable decisions on the pages: a list placed in bulk (preview, then pending), the second
approver's page, the supervision role's alerts and appeals."""

import pytest
from django.urls import reverse
from django.utils import timezone

from conftest import login
from fangxian.core.masking import mask_id_number
from fangxian.quarantine.models import Appeal, OrderBatch, QuarantineOrder, SupervisionAlert
from fangxian.quarantine.tests.conftest import resident
from tests import factories

BULK = reverse("quarantine:bulk-place")
APPROVALS = reverse("quarantine:approval-list")


def _terms(**fields) -> dict:
    return {
        "kind": factories.quarantine_kind().pk,
        "reason": factories.order_reason().pk,
        "basis": "县疾控密接名单第3批",
        "source": "health_list",
        "source_unit": "县疾控中心",
        "starts_on": timezone.localdate().isoformat(),
    } | fields


@pytest.fixture
def listed(town, hq_user):
    """Two people of 瓦房村 free to place, one already under an order."""
    free = [resident(region=town["wafang_1"], name=name) for name in ("赵一", "钱二")]
    held = resident(region=town["wafang_2"], name="孙三")
    factories.make_order(person=held, actor=hq_user)
    return {"free": free, "held": held}


def test_the_preview_splits_found_already_under_an_order_and_unknown(client, hq_user, listed):
    unknown = factories.valid_id_number(sequence=999)
    numbers = [p.id_number for p in listed["free"]] + [listed["held"].id_number, unknown]
    response = login(client, hq_user).post(BULK, _terms(numbers="\n".join(numbers)))
    preview = response.context["preview"]
    assert {p.pk for p in preview.found} == {p.pk for p in listed["free"]}
    assert [p.pk for p in preview.already] == [listed["held"].pk]
    assert preview.not_found == [mask_id_number(unknown)]
    not_found = response.content.decode().split('data-testid="preview-not-found"')[1]
    assert mask_id_number(unknown) in not_found.split("</div></div>")[0]
    assert not OrderBatch.objects.exists()


def test_people_of_another_village_are_not_found_by_a_village_cadre(client, village_cadre, town):
    stranger = resident(region=town["beiqi_1"], name="外村人")
    response = login(client, village_cadre).post(BULK, _terms(numbers=stranger.id_number))
    assert response.context["preview"].found == []


def test_confirming_places_a_pending_list_and_alerts_supervision(client, hq_user, listed):
    ids = [p.pk for p in listed["free"]]
    response = login(client, hq_user).post(BULK, _terms(person=ids, confirm="1"))
    batch = OrderBatch.objects.get()
    assert response.url == reverse("quarantine:batch-detail", kwargs={"batch_id": batch.pk})
    orders = QuarantineOrder.objects.filter(batch=batch)
    assert sorted(orders.values_list("status", flat=True)) == ["pending", "pending"]
    assert SupervisionAlert.objects.filter(batch=batch).exists()


def test_a_list_naming_someone_under_an_order_cannot_be_confirmed(client, hq_user, listed):
    ids = [listed["free"][0].pk, listed["held"].pk]
    login(client, hq_user).post(BULK, _terms(person=ids, confirm="1"))
    assert not OrderBatch.objects.exists()


@pytest.fixture
def batch(hq_user, listed):
    from fangxian.quarantine.orders import orders_place_bulk

    return orders_place_bulk(
        actor=hq_user,
        people=listed["free"],
        kind=factories.quarantine_kind(),
        reason=factories.order_reason(),
        basis="名单",
        source="health_list",
        source_unit="县疾控中心",
    )


def test_the_second_hq_person_sees_the_list_to_approve_and_the_placer_does_not(
    client, hq_user, hq_second, batch
):
    assert [b.pk for b in login(client, hq_second).get(APPROVALS).context["batches"]] == [batch.pk]
    assert list(login(client, hq_user).get(APPROVALS).context["batches"]) == []


def test_approving_a_list_starts_its_orders(client, hq_second, batch):
    url = reverse("quarantine:batch-approve", kwargs={"batch_id": batch.pk})
    response = login(client, hq_second).post(url, {"note": "已电话核实"})
    assert response.url == APPROVALS
    assert set(batch.orders.values_list("status", flat=True)) == {"active"}


def test_approving_without_grounds_is_refused_next_to_the_field(client, hq_second, batch):
    url = reverse("quarantine:batch-approve", kwargs={"batch_id": batch.pk})
    response = login(client, hq_second).post(url, {"note": ""})
    assert response.context["form"].errors["note"]
    batch.refresh_from_db()
    assert batch.status == OrderBatch.Status.PENDING


def test_refusing_a_list_cancels_its_orders(client, hq_second, batch):
    url = reverse("quarantine:batch-reject", kwargs={"batch_id": batch.pk})
    login(client, hq_second).post(url, {"note": "名单来源不明"})
    assert set(batch.orders.values_list("status", flat=True)) == {"cancelled"}


def test_the_placer_cannot_approve_their_own_list(client, hq_user, batch):
    url = reverse("quarantine:batch-approve", kwargs={"batch_id": batch.pk})
    response = login(client, hq_user).post(url, {"note": "自批"})
    assert response.status_code == 200
    assert response.context["form"].non_field_errors()
    batch.refresh_from_db()
    assert batch.status == OrderBatch.Status.PENDING


def test_the_inspector_sees_the_alert_and_marks_it_seen(client, inspector, batch):
    client = login(client, inspector)
    page = client.get(reverse("quarantine:supervision-list")).context["page"]
    [alert] = page.items
    client.post(reverse("quarantine:supervision-seen", kwargs={"supervision_alert_id": alert.pk}))
    alert.refresh_from_db()
    assert alert.seen_by == inspector
    assert client.get(reverse("quarantine:supervision-list")).context["page"].items == []


def test_a_grid_worker_has_no_supervision_page(client, grid_worker, batch):
    assert login(client, grid_worker).get(reverse("quarantine:supervision-list")).status_code == 404


@pytest.fixture
def order(hq_user, wafang_person):
    return factories.make_order(person=wafang_person, actor=hq_user)


def test_a_grid_worker_records_an_appeal_from_the_order_page(client, grid_worker, order):
    url = reverse("quarantine:appeal-lodge", kwargs={"order_id": order.pk})
    login(client, grid_worker).post(url, {"text": "本人称从未去过武汉"})
    appeal = Appeal.objects.get(order=order)
    assert (appeal.recorded_by, appeal.status) == (grid_worker, Appeal.Status.OPEN)


def test_another_hq_person_decides_an_appeal_and_it_stays_listed(client, hq_user, hq_second, order):
    appeal = Appeal.objects.create(
        order=order,
        region=order.region,
        text="不是密接",
        lodged_at=timezone.now(),
        recorded_by=hq_user,
    )
    client = login(client, hq_second)
    url = reverse("quarantine:appeal-decide", kwargs={"appeal_id": appeal.pk})
    client.post(url, {"upheld": "1", "decision": "经核实非密接，撤销隔离"})
    appeal.refresh_from_db()
    assert (appeal.status, appeal.decided_by) == (Appeal.Status.UPHELD, hq_second)
    listed = client.get(reverse("quarantine:appeal-list"), {"all": "1"}).context["page"].items
    assert [a.pk for a in listed] == [appeal.pk]


def test_the_placer_is_not_offered_to_decide_the_appeal(client, hq_user, order):
    Appeal.objects.create(
        order=order, region=order.region, text="不服", lodged_at=timezone.now(), recorded_by=hq_user
    )
    [row] = login(client, hq_user).get(reverse("quarantine:appeal-list")).context["rows"]
    assert row["can_decide"] is False


def test_the_list_form_offers_returnees_from_key_areas(client, hq_user, town):
    from fangxian.screening.models import Trip

    person = resident(region=town["wafang_1"], name="返乡人")
    Trip.objects.create(
        person=person,
        region=person.region,
        origin_text="湖北武汉",
        arrived_on=timezone.localdate(),
        source=Trip.Source.MANUAL,
        category=Trip.Category.KEY_AREA,
        category_reason="湖北返乡",
    )
    response = login(client, hq_user).get(BULK)
    assert [trip.person_id for trip in response.context["returnees"]] == [person.pk]
    assert f'name="person" value="{person.pk}"' in response.content.decode()
