"""Placing, approving, changing and ending quarantine orders (quarantine.orders)."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from fangxian.accounts.roles import Role
from fangxian.audit.models import AuditEntry
from fangxian.people.merging import person_merge
from fangxian.people.models import Person
from fangxian.quarantine import appeals, approvals
from fangxian.quarantine import orders as services
from fangxian.quarantine.models import (
    OrderBatch,
    OrderEvent,
    QuarantineOrder,
    SupervisionAlert,
)
from fangxian.quarantine.tests.conftest import NOW, at, resident
from tests import factories

Status = QuarantineOrder.Status
Source = QuarantineOrder.Source


def place(person, actor, **fields):
    return factories.make_order(person=person, actor=actor, now=NOW, **fields)


def test_an_order_starts_at_once_with_the_kinds_default_period(hq_user, wafang_person):
    order = place(wafang_person, hq_user)
    assert order.status == Status.ACTIVE
    assert order.activated_at == NOW
    assert order.starts_on == date(2020, 2, 3)
    assert order.planned_end_on == date(2020, 2, 17)  # 14 days
    assert order.region_id == wafang_person.region_id
    assert len(order.door_token) >= 20


def test_placing_records_an_event_and_an_audit_entry(hq_user, wafang_person):
    order = place(wafang_person, hq_user)
    event = OrderEvent.objects.get(order=order)
    assert (event.action, event.from_status, event.to_status) == ("placed", "", "active")
    assert event.actor == hq_user and event.reason == "疾控中心密接名单"
    entry = AuditEntry.objects.get(object_type="quarantine.quarantineorder")
    assert entry.person_id == wafang_person.pk and entry.actor == hq_user


def test_hq_changes_the_default_period_without_code(hq_user, wafang_person):
    kind = factories.quarantine_kind("home")
    kind.default_days = 21
    kind.save()
    assert place(wafang_person, hq_user).planned_end_on == date(2020, 2, 24)


def test_the_period_can_be_given_and_a_later_start_waits(hq_user, wafang_person):
    order = place(wafang_person, hq_user, days=7, starts_on=date(2020, 2, 5))
    assert order.planned_end_on == date(2020, 2, 12)
    assert order.status == Status.PENDING
    with pytest.raises(ValidationError):
        services.order_activate(actor=hq_user, order=order, reason="到家", now=NOW)
    started = services.order_activate(actor=hq_user, order=order, reason="到家", now=at(5, 8))
    assert started.status == Status.ACTIVE


def test_an_order_needs_what_it_rests_on(hq_user, wafang_person):
    with pytest.raises(ValidationError):
        place(wafang_person, hq_user, basis="  ")


def test_a_list_from_another_unit_names_the_unit(hq_user, wafang_person):
    with pytest.raises(ValidationError):
        place(wafang_person, hq_user, source=Source.OUTSIDE_LIST)


def test_a_person_cannot_hold_two_open_orders(hq_user, wafang_person):
    place(wafang_person, hq_user)
    with pytest.raises(ValidationError):
        place(wafang_person, hq_user)
    assert QuarantineOrder.objects.count() == 1


def test_the_database_refuses_a_second_open_order_too(hq_user, wafang_person):
    order = place(wafang_person, hq_user)
    second = QuarantineOrder(
        person=wafang_person,
        region=order.region,
        kind=order.kind,
        reason=order.reason,
        basis="x",
        source=Source.MANUAL,
        starts_on=order.starts_on,
        planned_end_on=order.planned_end_on,
        status=Status.PENDING,
        placed_by=hq_user,
        placed_at=NOW,
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        second.save()


def test_an_ended_order_makes_room_for_a_new_one(hq_user, wafang_person):
    order = place(wafang_person, hq_user)
    services.order_cancel(actor=hq_user, order=order, reason="登记错人", now=NOW)
    assert place(wafang_person, hq_user).status == Status.ACTIVE


def test_a_grid_worker_cannot_place_orders(grid_worker, wafang_person):
    with pytest.raises(PermissionDenied):
        place(wafang_person, grid_worker)


def test_a_village_cadre_places_orders_only_in_their_village(
    village_cadre, wafang_person, beiqi_person
):
    assert place(wafang_person, village_cadre).status == Status.ACTIVE
    with pytest.raises(PermissionDenied):
        place(beiqi_person, village_cadre)


def test_the_trip_must_be_the_persons(hq_user, wafang_person, beiqi_person):
    from fangxian.screening.models import Trip

    trip = Trip.objects.create(
        person=beiqi_person, region=beiqi_person.region, origin_text="武汉", source="manual"
    )
    with pytest.raises(ValidationError):
        place(wafang_person, hq_user, trip=trip)


# --- a second approver (item 8) ----------------------------------------------------------------


def outside(person, actor):
    return place(person, actor, source=Source.OUTSIDE_LIST, source_unit="县交通局")


def test_an_order_from_another_units_list_waits_for_a_second_approver(
    hq_user, hq_second, wafang_person
):
    order = outside(wafang_person, hq_user)
    assert (order.status, order.needs_approval) == (Status.PENDING, True)
    with pytest.raises(ValidationError):
        services.order_activate(actor=hq_user, order=order, reason="x", now=NOW)
    approved = approvals.order_approve(actor=hq_second, order=order, note="核实名单", now=NOW)
    assert approved.status == Status.ACTIVE and approved.approved_by == hq_second


def test_the_one_who_placed_it_cannot_approve_it(hq_user, wafang_person):
    order = outside(wafang_person, hq_user)
    with pytest.raises(ValidationError):
        approvals.order_approve(actor=hq_user, order=order, note="ok", now=NOW)


def test_the_approver_must_come_from_another_unit(hq_user, hq_second, town, wafang_person):
    colleague = factories.make_user(role=Role.HQ, region=town["town"], unit="卫生院")
    order = outside(wafang_person, hq_second)
    with pytest.raises(ValidationError):
        approvals.order_approve(actor=colleague, order=order, note="ok", now=NOW)


def test_a_village_cadre_cannot_approve(hq_user, village_cadre, wafang_person):
    order = outside(wafang_person, hq_user)
    with pytest.raises(PermissionDenied):
        approvals.order_approve(actor=village_cadre, order=order, note="ok", now=NOW)


def bulk(actor, people, **fields):
    defaults = {
        "kind": factories.quarantine_kind(),
        "reason": factories.order_reason(),
        "basis": "县疾控密接名单第3批",
        "source": Source.HEALTH_LIST,
        "source_unit": "东川区疾控中心",
        "now": NOW,
    }
    return services.orders_place_bulk(actor=actor, people=people, **(defaults | fields))


@pytest.fixture
def villagers(town):
    return [resident(region=town["wafang_1"], name=f"村民{i}") for i in range(5)] + [
        resident(region=town["beiqi_1"], name="居民")
    ]


def test_a_bulk_order_is_pending_until_a_second_person_approves(hq_user, hq_second, villagers):
    batch = bulk(hq_user, villagers)
    assert batch.size == 6 and batch.region.short_name == "乌龙镇"
    statuses = set(QuarantineOrder.objects.filter(batch=batch).values_list("status", flat=True))
    assert statuses == {Status.PENDING}
    approvals.order_batch_approve(actor=hq_second, batch=batch, note="已核", now=at(3, 10))
    orders = QuarantineOrder.objects.filter(batch=batch)
    assert set(orders.values_list("status", flat=True)) == {Status.ACTIVE}
    assert set(orders.values_list("approved_by", flat=True)) == {hq_second.pk}
    assert OrderEvent.objects.filter(action="approved").count() == 6


def test_a_bulk_order_raises_a_supervision_alert_and_one_batch_audit_entry(
    hq_user, villagers, inspector
):
    from fangxian.quarantine.selectors import supervision_alerts

    batch = bulk(hq_user, villagers)
    alert = SupervisionAlert.objects.get(batch=batch)
    assert "6" in alert.message
    assert list(supervision_alerts(user=inspector)) == [alert]
    entry = AuditEntry.objects.get(object_type="quarantine.orderbatch")
    assert entry.detail["count"] == 6 and entry.detail["unit"] == "东川区疾控中心"
    order_entries = AuditEntry.objects.filter(object_type="quarantine.quarantineorder")
    assert set(order_entries.values_list("object_id", flat=True)) == {
        str(pk) for pk in batch.orders.values_list("pk", flat=True)
    }
    assert set(order_entries.values_list("person_id", flat=True)) == {p.pk for p in villagers}
    appeals.supervision_alert_mark_seen(actor=inspector, alert=alert, now=NOW)
    assert list(supervision_alerts(user=inspector)) == []


def test_the_placer_cannot_approve_their_own_batch(hq_user, villagers):
    batch = bulk(hq_user, villagers)
    with pytest.raises(ValidationError):
        approvals.order_batch_approve(actor=hq_user, batch=batch, note="ok", now=NOW)


def test_a_rejected_batch_cancels_its_orders(hq_user, hq_second, villagers):
    batch = bulk(hq_user, villagers)
    approvals.order_batch_reject(actor=hq_second, batch=batch, note="名单有误", now=NOW)
    assert batch.orders.filter(status=Status.CANCELLED).count() == 6
    batch.refresh_from_db()
    assert batch.status == OrderBatch.Status.REJECTED
    with pytest.raises(ValidationError):
        approvals.order_batch_approve(actor=hq_second, batch=batch, note="ok", now=NOW)


def test_a_bulk_order_is_all_or_nothing(hq_user, villagers):
    place(villagers[2], hq_user)
    with pytest.raises(ValidationError, match=villagers[2].name):
        bulk(hq_user, villagers)
    assert not OrderBatch.objects.exists()
    assert QuarantineOrder.objects.count() == 1


def test_a_bulk_order_refuses_people_outside_the_scope(village_cadre, villagers):
    with pytest.raises(PermissionDenied):
        bulk(village_cadre, villagers)  # the last one lives in 碑棋社区
    assert not QuarantineOrder.objects.exists()


def test_a_bulk_order_takes_a_fixed_number_of_queries(
    hq_user, villagers, town, django_assert_max_num_queries
):
    more = villagers + [resident(region=town["wafang_2"], name=f"甲{i}") for i in range(20)]
    hq_user.region_paths_for("x")  # warm the role cache, as a request would
    with django_assert_max_num_queries(16):
        bulk(hq_user, more)


# --- life cycle -------------------------------------------------------------------------------


def test_a_release_needs_a_doctor(hq_user, doctor, wafang_person):
    order = place(wafang_person, hq_user)
    end = at(17, 9)
    with pytest.raises(ValidationError):
        services.order_release(actor=hq_user, order=order, note="期满", now=end)
    released = services.order_release(actor=doctor, order=order, note="期满无症状", now=end)
    assert released.status == Status.RELEASED
    assert released.released_by_doctor == doctor and released.ended_at == end


def test_a_release_waits_for_the_end_of_the_period(hq_user, doctor, wafang_person):
    order = place(wafang_person, hq_user)
    with pytest.raises(ValidationError):
        services.order_release(actor=doctor, order=order, note="x", now=at(16, 9))
    services.order_change_period(
        actor=hq_user, order=order, planned_end_on=date(2020, 2, 16), reason="新规", now=NOW
    )
    assert services.order_release(actor=doctor, order=order, note="x", now=at(16, 9)).status == (
        Status.RELEASED
    )
    changed = OrderEvent.objects.get(order=order, action="period_changed")
    assert changed.detail == {"old": "2020-02-17", "new": "2020-02-16"}


def test_the_period_cannot_end_before_it_starts(hq_user, wafang_person):
    order = place(wafang_person, hq_user)
    with pytest.raises(ValidationError):
        services.order_change_period(
            actor=hq_user, order=order, planned_end_on=order.starts_on, reason="x", now=NOW
        )


def test_a_transfer_to_hospital_ends_the_order(hq_user, doctor, wafang_person):
    order = place(wafang_person, hq_user)
    moved = services.order_transfer(
        actor=doctor, order=order, hospital="东川区人民医院", reason="发热待查", now=at(5, 11)
    )
    assert (moved.status, moved.hospital) == (Status.TRANSFERRED, "东川区人民医院")
    events = list(order.events.values_list("from_status", "to_status"))
    assert events == [("", "active"), ("active", "transferred")]
    with pytest.raises(ValidationError):
        services.order_release(actor=doctor, order=order, note="x", now=at(20, 9))


def test_a_grid_worker_cannot_cancel(grid_worker, hq_user, wafang_person):
    order = place(wafang_person, hq_user)
    with pytest.raises(PermissionDenied):
        services.order_cancel(actor=grid_worker, order=order, reason="x", now=NOW)


# --- appeals ------------------------------------------------------------------------------------


def test_an_appeal_is_decided_on_record_by_someone_else(
    hq_user, hq_second, grid_worker, wafang_person
):
    order = place(wafang_person, hq_user)
    appeal = appeals.appeal_lodge(actor=grid_worker, order=order, text="未去过武汉", now=NOW)
    with pytest.raises(ValidationError):
        appeals.appeal_decide(actor=hq_user, appeal=appeal, upheld=True, decision="x", now=NOW)
    decided = appeals.appeal_decide(
        actor=hq_second, appeal=appeal, upheld=True, decision="行程核实有误", now=NOW
    )
    assert decided.status == "upheld" and decided.decided_by == hq_second


# --- merging ----------------------------------------------------------------------------------


def no_number_duplicate(town):
    """A second record of 张三 entered without an ID number (so the two may be merged)."""
    duplicate = resident(region=town["wafang_1"], name="张三")
    Person.objects.filter(pk=duplicate.pk).update(id_number="", id_tail="")
    duplicate.refresh_from_db()
    return duplicate


def test_orders_follow_the_surviving_record(hq_user, town, wafang_person):
    duplicate = no_number_duplicate(town)
    order = place(duplicate, hq_user)
    person_merge(actor=hq_user, survivor=wafang_person, merged=duplicate, reason="同一人")
    order.refresh_from_db()
    assert order.person_id == wafang_person.pk


def test_a_merge_of_two_people_under_open_orders_is_refused(hq_user, town, wafang_person):
    duplicate = no_number_duplicate(town)
    place(duplicate, hq_user)
    place(wafang_person, hq_user)
    with pytest.raises(ValidationError):
        person_merge(actor=hq_user, survivor=wafang_person, merged=duplicate, reason="同一人")
    assert QuarantineOrder.objects.filter(person=duplicate).count() == 1


def test_rooms_are_given_only_while_beds_are_free(hq_user, town, wafang_person, beiqi_person):
    from fangxian.quarantine.errands import site_create

    site = site_create(actor=hq_user, region=town["town"], name="镇卫生院隔离点", rooms=["101"])
    room = site.rooms.get()
    order = place(wafang_person, hq_user, kind="centralised", room=room)
    assert order.room == room
    with pytest.raises(ValidationError, match="101"):
        place(beiqi_person, hq_user, kind="centralised", room=room)
    assert not QuarantineOrder.objects.filter(person=beiqi_person).exists()  # rolled back
    home = place(beiqi_person, hq_user)
    services.order_cancel(actor=hq_user, order=order, reason="转走", now=NOW)
    with pytest.raises(ValidationError):  # a free room, but home quarantine takes none
        services.order_assign_room(actor=hq_user, order=home, room=room, reason="x", now=NOW)


def test_the_approval_lists_show_others_work_only(hq_user, hq_second, villagers, beiqi_person):
    from fangxian.quarantine import selectors

    batch = bulk(hq_user, villagers[:3])
    single = outside(beiqi_person, hq_user)
    assert list(selectors.batches_to_approve(user=hq_second)) == [batch]
    assert list(selectors.orders_to_approve(user=hq_second)) == [single]
    assert list(selectors.batches_to_approve(user=hq_user)) == []
    assert list(selectors.orders_to_approve(user=hq_user)) == []
    approvals.order_batch_approve(actor=hq_second, batch=batch, note="已核", now=NOW)
    assert list(selectors.batches_to_approve(user=hq_second)) == []


def test_decided_appeals_stay_listed(hq_user, hq_second, grid_worker, wafang_person):
    from fangxian.quarantine import selectors

    order = place(wafang_person, hq_user)
    appeal = appeals.appeal_lodge(actor=grid_worker, order=order, text="已在外地", now=NOW)
    assert list(selectors.appeal_list(user=grid_worker)) == [appeal]
    appeals.appeal_decide(
        actor=hq_second, appeal=appeal, upheld=False, decision="行程属实", now=NOW
    )
    assert list(selectors.appeal_list(user=grid_worker)) == []
    assert list(selectors.appeal_list(user=grid_worker, open_only=False)) == [appeal]
