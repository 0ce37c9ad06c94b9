"""HQ and village pages of orders: the person-page panel, placing an order, the list, the
order's page and its actions (each refused with the reason next to its field)."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from conftest import login
from fangxian.quarantine.models import OrderEvent, QuarantineOrder, TeamMember, TeamRole
from fangxian.quarantine.tests.conftest import resident
from tests import factories

Status = QuarantineOrder.Status


def detail(order) -> str:
    return reverse("quarantine:order-detail", kwargs={"order_id": order.pk})


def action(name: str, order) -> str:
    return reverse(f"quarantine:order-{name}", kwargs={"order_id": order.pk})


@pytest.fixture
def order(hq_user, wafang_person):
    return factories.make_order(person=wafang_person, actor=hq_user)


@pytest.fixture
def ended_period_order(hq_user, wafang_person):
    """An order whose 14 days end today: a doctor may release it."""
    starts = timezone.localdate() - timedelta(days=14)
    return factories.make_order(person=wafang_person, actor=hq_user, starts_on=starts)


# --- the panel on the person's page and placing an order -------------------------------------


def test_person_page_lists_the_orders_and_offers_hq_to_place_one(client, hq_user, order):
    response = login(client, hq_user).get(order.person.get_absolute_url())
    text = response.content.decode()
    assert 'data-testid="person-orders"' in text
    assert "居家隔离" in text
    assert reverse("quarantine:order-create", kwargs={"person_id": order.person_id}) in text


def test_a_grid_worker_sees_the_orders_but_cannot_place_one(client, grid_worker, order):
    response = login(client, grid_worker).get(order.person.get_absolute_url())
    text = response.content.decode()
    assert 'data-testid="order-row"' in text
    assert 'data-testid="order-place"' not in text


def test_the_order_form_prefills_the_period_of_the_chosen_kind(client, hq_user, wafang_person):
    kind = factories.quarantine_kind("centralised")
    kind.default_days = 21
    kind.save()
    url = reverse("quarantine:order-create", kwargs={"person_id": wafang_person.pk})
    response = login(client, hq_user).get(url, {"kind": kind.pk}, HTTP_HX_REQUEST="true")
    assert response.context["form"].initial["days"] == 21
    assert b"<html" not in response.content  # the form partial only


def test_placing_an_order_from_the_form_starts_it_and_records_who_and_why(
    client, hq_user, wafang_person
):
    url = reverse("quarantine:order-create", kwargs={"person_id": wafang_person.pk})
    response = login(client, hq_user).post(
        url,
        {
            "kind": factories.quarantine_kind().pk,
            "reason": factories.order_reason().pk,
            "basis": "与确诊病例同乘G1234",
            "source": "manual",
            "starts_on": timezone.localdate().isoformat(),
            "days": "14",
        },
    )
    order = QuarantineOrder.objects.get(person=wafang_person)
    assert response.url == detail(order)
    assert order.status == Status.ACTIVE
    assert order.planned_end_on == timezone.localdate() + timedelta(days=14)
    event = OrderEvent.objects.get(order=order)
    assert (event.actor, event.reason) == (hq_user, "与确诊病例同乘G1234")


def test_a_list_from_another_unit_without_its_unit_is_refused_next_to_the_field(
    client, hq_user, wafang_person
):
    url = reverse("quarantine:order-create", kwargs={"person_id": wafang_person.pk})
    response = login(client, hq_user).post(
        url,
        {
            "kind": factories.quarantine_kind().pk,
            "reason": factories.order_reason().pk,
            "basis": "名单",
            "source": "outside_list",
            "starts_on": timezone.localdate().isoformat(),
        },
    )
    assert response.status_code == 200
    assert response.context["form"].errors["source_unit"] == ["请填写发来名单的单位。"]
    assert not QuarantineOrder.objects.exists()


def test_a_grid_worker_cannot_open_the_order_form(client, grid_worker, wafang_person):
    url = reverse("quarantine:order-create", kwargs={"person_id": wafang_person.pk})
    assert login(client, grid_worker).get(url).status_code == 404


# --- the list ---------------------------------------------------------------------------------


def test_the_list_filters_by_status_and_masks_the_numbers(client, hq_user, town, order):
    other = factories.make_order(
        person=resident(region=town["beiqi_1"], name="碑棋人"), actor=hq_user
    )
    QuarantineOrder.objects.filter(pk=other.pk).update(status=Status.CANCELLED)
    response = login(client, hq_user).get(reverse("quarantine:order-list"), {"status": "active"})
    text = response.content.decode()
    assert [o.pk for o in response.context["page"].items] == [order.pk]
    assert order.person.id_number not in text
    assert order.person.id_number_masked in text


def test_the_list_answers_404_for_a_village_outside_the_scope(client, grid_worker, town):
    response = login(client, grid_worker).get(
        reverse("quarantine:order-list"), {"region": town["beiqi"].code}
    )
    assert response.status_code == 404


# --- the order's page -------------------------------------------------------------------------


def test_the_order_page_shows_history_team_and_checks(client, hq_user, doctor, order):
    TeamMember.objects.create(
        order=order,
        region=order.region,
        team_role=TeamRole.objects.get(name="医生"),
        user=doctor,
        assigned_by=hq_user,
        assigned_at=timezone.now(),
    )
    response = login(client, hq_user).get(detail(order))
    text = response.content.decode()
    assert 'data-testid="event-row"' in text
    assert "李医生" in text
    assert 'data-testid="order-checks"' in text


def test_the_order_page_is_404_outside_the_scope(client, outsider, order):
    assert login(client, outsider).get(detail(order)).status_code == 404


def test_cancelling_without_a_reason_shows_the_error_next_to_the_reason(client, hq_user, order):
    response = login(client, hq_user).post(action("cancel", order), {"reason": ""})
    assert response.status_code == 200
    assert response.context["failed"] == "cancel"
    assert response.context["forms"]["cancel"].errors["reason"]
    order.refresh_from_db()
    assert order.status == Status.ACTIVE


def test_cancelling_with_a_reason_ends_the_order_on_record(client, hq_user, order):
    response = login(client, hq_user).post(action("cancel", order), {"reason": "登记错人"})
    assert response.url == detail(order)
    order.refresh_from_db()
    assert order.status == Status.CANCELLED
    assert order.events.get(action="cancelled").reason == "登记错人"


def test_hq_is_told_why_it_cannot_release_and_cannot_post_a_release(
    client, hq_user, ended_period_order
):
    client = login(client, hq_user)
    text = client.get(detail(ended_period_order)).content.decode()
    assert 'data-testid="release-refused"' in text
    assert client.post(action("release", ended_period_order), {"note": "期满"}).status_code == 404


def test_a_doctor_cannot_release_before_the_planned_end(client, doctor, order):
    response = login(client, doctor).post(action("release", order), {"note": "无症状"})
    assert response.status_code == 200
    assert "请先调整期限" in response.context["forms"]["release"].non_field_errors()[0]


def test_a_doctor_releases_at_the_end_of_the_period_and_signs_it(
    client, doctor, ended_period_order
):
    response = login(client, doctor).post(
        action("release", ended_period_order), {"note": "期满，两次核酸阴性"}
    )
    assert response.url == detail(ended_period_order)
    ended_period_order.refresh_from_db()
    assert ended_period_order.status == Status.RELEASED
    assert ended_period_order.released_by_doctor == doctor


def test_changing_the_period_needs_a_later_end_than_the_start(client, hq_user, order):
    response = login(client, hq_user).post(
        action("period", order),
        {"planned_end_on": (order.starts_on - timedelta(days=1)).isoformat(), "reason": "改"},
    )
    assert response.status_code == 200
    assert response.context["failed"] == "period"
    order.refresh_from_db()
    assert order.planned_end_on == order.starts_on + timedelta(days=14)


def test_assigning_a_doctor_puts_them_on_the_team(client, hq_user, doctor, order):
    role = TeamRole.objects.get(name="医生")
    url = reverse("quarantine:team-assign", kwargs={"order_id": order.pk, "team_role_id": role.pk})
    response = login(client, hq_user).post(url, {f"role{role.pk}-user": doctor.pk})
    assert response.url == detail(order)
    assert TeamMember.objects.get(order=order, ended_at__isnull=True).user == doctor


def test_a_police_officer_is_not_offered_as_the_doctor(client, hq_user, police, order):
    role = TeamRole.objects.get(name="医生")
    url = reverse("quarantine:team-assign", kwargs={"order_id": order.pk, "team_role_id": role.pk})
    response = login(client, hq_user).post(url, {f"role{role.pk}-user": police.pk})
    assert response.status_code == 200
    assert not TeamMember.objects.exists()


def test_taking_a_member_off_the_team_keeps_them_on_record(client, hq_user, police, order):
    member = TeamMember.objects.create(
        order=order,
        region=order.region,
        team_role=TeamRole.objects.get(name="民警"),
        user=police,
        assigned_by=hq_user,
        assigned_at=timezone.now(),
    )
    url = reverse("quarantine:team-member-end", kwargs={"team_member_id": member.pk})
    login(client, hq_user).post(url)
    member.refresh_from_db()
    assert member.ended_at is not None


def test_replacing_the_door_code_changes_the_token(client, hq_user, order):
    before = order.door_token
    login(client, hq_user).post(action("token", order), {"reason": "公示牌被拍照外传"})
    order.refresh_from_db()
    assert order.door_token != before


def test_a_second_hq_person_approves_an_order_from_another_unit(
    client, hq_user, hq_second, wafang_person
):
    pending = factories.make_order(
        person=wafang_person, actor=hq_user, source="outside_list", source_unit="县交通局"
    )
    response = login(client, hq_second).post(action("approve", pending), {"note": "核实名单"})
    assert response.url == detail(pending)
    pending.refresh_from_db()
    assert (pending.status, pending.approved_by) == (Status.ACTIVE, hq_second)


def test_the_placer_cannot_approve_their_own_order(client, hq_user, wafang_person):
    pending = factories.make_order(
        person=wafang_person, actor=hq_user, source="outside_list", source_unit="县交通局"
    )
    response = login(client, hq_user).post(action("approve", pending), {"note": "自批"})
    assert response.status_code == 200
    assert response.context["forms"]["approve"].non_field_errors()
    pending.refresh_from_db()
    assert pending.approved_at is None


def test_the_placer_is_told_the_order_waits_for_someone_else(client, hq_user, wafang_person):
    pending = factories.make_order(
        person=wafang_person, actor=hq_user, source="outside_list", source_unit="县交通局"
    )
    text = login(client, hq_user).get(detail(pending)).content.decode()
    assert 'data-testid="waiting-approval"' in text
    assert 'data-testid="action-approve"' not in text


def test_a_pending_order_cannot_start_before_its_day(client, hq_user, wafang_person):
    later = factories.make_order(
        person=wafang_person, actor=hq_user, starts_on=timezone.localdate() + timedelta(days=1)
    )
    response = login(client, hq_user).post(action("activate", later), {"reason": "已到家"})
    assert response.context["forms"]["activate"].non_field_errors()
    later.refresh_from_db()
    assert later.status == Status.PENDING


def test_a_doctor_transfers_a_person_to_hospital(client, doctor, order):
    login(client, doctor).post(
        action("transfer", order), {"hospital": "区人民医院", "reason": "发热38.6℃"}
    )
    order.refresh_from_db()
    assert (order.status, order.hospital) == (Status.TRANSFERRED, "区人民医院")


def test_a_grid_worker_cannot_transfer(client, grid_worker, order):
    response = login(client, grid_worker).post(
        action("transfer", order), {"hospital": "区人民医院", "reason": "发热"}
    )
    assert response.status_code == 404


def test_a_centralised_order_is_given_a_room_from_its_page(client, hq_user, town, wafang_person):
    from fangxian.quarantine.errands import site_create

    site = site_create(actor=hq_user, region=town["town"], name="镇隔离点", rooms=["8"])
    centralised = factories.make_order(person=wafang_person, actor=hq_user, kind="centralised")
    room = site.rooms.get()
    login(client, hq_user).post(action("room", centralised), {"room": room.pk, "reason": "入住"})
    centralised.refresh_from_db()
    assert centralised.room == room


def test_the_order_page_counts_open_fever_alerts(client, hq_user, doctor, order):
    from fangxian.quarantine.checks import CheckEntry, health_checks_record

    health_checks_record(actor=doctor, entries=[CheckEntry(order=order, temperature="38.4")])
    response = login(client, hq_user).get(detail(order))
    assert response.context["care"].open_alerts == 1


def test_the_order_form_starts_today_in_the_format_date_inputs_read(client, hq_user, wafang_person):
    url = reverse("quarantine:order-create", kwargs={"person_id": wafang_person.pk})
    text = login(client, hq_user).get(url).content.decode()
    assert f'value="{timezone.localdate().isoformat()}"' in text
