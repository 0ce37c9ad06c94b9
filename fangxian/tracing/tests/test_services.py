"""Searches, the second ring, one-step placement, reveals: what they write and audit."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from fangxian.accounts.roles import Role
from fangxian.audit.models import AuditEntry
from fangxian.quarantine.models import OrderBatch, QuarantineOrder
from fangxian.tracing import services
from fangxian.tracing.models import Contact, Search
from fangxian.tracing.tests.conftest import WINDOW, H, M, stay
from tests import factories

PURPOSE = "确诊病例张三的密接排查"


def _search(scenario, tracer, **overrides) -> Search:
    arguments = {
        "actor": tracer,
        "purpose": PURPOSE,
        "person": scenario.subject,
        "window": WINDOW,
        "days": 14,
    } | overrides
    return services.search_run(**arguments)


def _names(search, ring):
    names = {p.pk: n for n, p in search_people(search)}
    return sorted(
        names.get(c.person_id) or c.phone or c.name for c in search.contacts.filter(ring=ring)
    )


def search_people(search):
    from fangxian.people.models import Person

    ids = search.contacts.values_list("person_id", flat=True)
    return [(p.name, p) for p in Person.objects.filter(pk__in=ids)]


def test_a_search_stores_the_first_ring_and_is_audited_with_its_purpose(scenario, tracer):
    search = _search(scenario, tracer)

    assert search.ring1_count == 8
    assert _names(search, 1) == sorted(
        ["李四", "李四", "王五", "13900000002", "周九", "陈三", "过客甲", "褚四"]
    )
    entry = AuditEntry.objects.get(object_type="tracing.search", object_id=str(search.pk))
    assert (entry.action, entry.actor, entry.person_id) == ("create", tracer, scenario.subject.pk)
    assert entry.detail["purpose"] == PURPOSE
    assert entry.detail["ring1"] == 8


def test_a_search_needs_a_purpose(scenario, tracer):
    with pytest.raises(ValidationError) as refused:
        _search(scenario, tracer, purpose="  ")

    assert "purpose" in refused.value.message_dict
    assert not Search.objects.exists()


def test_a_search_by_phone_belongs_to_the_tracers_region(scenario, tracer):
    search = _search(scenario, tracer, person=None, phone="13900000002")

    assert search.region == scenario.town["town"]
    assert search.subject_label == "139****0002"
    # The phone was at the shop at T+3h, no exit: T+1h .. T+5h. The subject left at T+1h, 李四
    # at T+2h, 周九 came at T+1h30m, the other phone at T+3h01m.
    assert _names(search, 1) == sorted(["张三", "李四", "周九", "13900000003"])


def test_a_tracer_cannot_search_a_person_outside_their_regions(scenario, town):
    village_tracer = factories.make_user(role=Role.TRACER, region=town["beiqi"], username="t2")

    with pytest.raises(PermissionDenied):
        _search(scenario, village_tracer)


def test_the_second_ring_adds_the_contacts_of_the_contacts(scenario, tracer):
    T = scenario.base
    # 李四 (ring 1) was at 菜市场 with 卫五 two days before; the subject was not.
    stay(scenario.places["C"], T - 40 * H, T - 39 * H, person=scenario.people["李四"])
    stay(scenario.places["C"], T - 40 * H + 10 * M, phone="13500000001")
    search = _search(scenario, tracer)

    assert services.search_second_ring_request(actor=tracer, search=search)
    search = services.search_second_ring(actor=tracer, search_id=search.pk)

    assert search.ring2_status == Search.Ring2.DONE
    assert search.ring2_done == search.ring2_subjects == 6  # ring-1 people with a record or phone
    ring2 = list(search.contacts.filter(ring=2).select_related("through_person"))
    found = {(c.phone or c.person.name, c.where, c.through_masked) for c in ring2}
    # The subject and ring-1 people are never added again.
    assert ("13500000001", "菜市场", "李四") in found
    assert not {c.person_id for c in ring2} & {scenario.subject.pk}
    assert not {c.person_id for c in ring2 if c.person_id} & set(
        search.contacts.filter(ring=1).values_list("person_id", flat=True)
    )
    assert search.ring2_count == len(ring2)
    audit = AuditEntry.objects.filter(object_id=str(search.pk), action="update")
    assert [e.detail.get("ring2") for e in audit.order_by("id")] == [None, len(ring2)]


def test_the_second_ring_stops_at_the_cap_and_says_so(scenario, tracer):
    T = scenario.base
    for n in range(5):
        stay(scenario.places["C"], T - 40 * H, T - 39 * H, person=scenario.people["李四"])
        stay(scenario.places["C"], T - 40 * H + n * M, phone=f"1350000000{n}")
    search = _search(scenario, tracer)
    services.search_second_ring_request(actor=tracer, search=search, cap=3)

    search = services.search_second_ring(actor=tracer, search_id=search.pk)

    assert search.ring2_status == Search.Ring2.CAPPED
    assert search.contacts.filter(ring=2).count() == search.ring2_count == 3


def test_the_second_ring_is_asked_for_once(scenario, tracer):
    search = _search(scenario, tracer)

    assert services.search_second_ring_request(actor=tracer, search=search)
    assert not services.search_second_ring_request(actor=tracer, search=search)


def test_placing_everyone_found_makes_one_pending_batch_for_hq(scenario, tracer, hq_user):
    # 王五 is already under an order: left out.
    factories.make_order(person=scenario.people["王五"], actor=hq_user)
    search = _search(scenario, tracer)

    placed = services.search_place_under_monitoring(
        actor=tracer,
        search=search,
        kind=factories.quarantine_kind("home_monitoring"),
        reason=factories.order_reason(),
    )

    batch = OrderBatch.objects.get()
    assert (placed.batch, placed.placed, placed.already_under_order) == (batch, 4, 1)
    assert (batch.status, batch.size, batch.basis, batch.placed_by) == (
        OrderBatch.Status.PENDING,
        4,
        PURPOSE,
        tracer,
    )
    orders = QuarantineOrder.objects.filter(batch=batch)
    assert sorted(o.person.name for o in orders) == ["周九", "李四", "褚四", "陈三"]
    assert {o.status for o in orders} == {QuarantineOrder.Status.PENDING}
    assert {o.kind.code for o in orders} == {"home_monitoring"}
    search.refresh_from_db()
    assert search.batch == batch
    entry = AuditEntry.objects.filter(object_type="tracing.search", action="update").get()
    assert entry.detail == {"purpose": PURPOSE, "batch": batch.pk, "placed": 4}


def test_placing_twice_finds_nobody_left(scenario, tracer):
    search = _search(scenario, tracer)
    terms = {
        "kind": factories.quarantine_kind("home_monitoring"),
        "reason": factories.order_reason(),
    }
    services.search_place_under_monitoring(actor=tracer, search=search, **terms)

    with pytest.raises(ValidationError):
        services.search_place_under_monitoring(actor=tracer, search=search, **terms)
    assert OrderBatch.objects.count() == 1


def test_revealing_a_contact_is_audited(scenario, tracer):
    search = _search(scenario, tracer)
    contact = search.contacts.get(person=scenario.people["周九"])

    full = services.contact_reveal(actor=tracer, contact=contact)

    assert full["id_number"] == scenario.people["周九"].id_number
    entry = AuditEntry.objects.get(action="view_full", object_type="tracing.contact")
    assert (entry.person_id, entry.detail["purpose"]) == (scenario.people["周九"].pk, PURPOSE)


def test_contacts_keep_their_overlap(scenario, tracer):
    search = _search(scenario, tracer)
    contact = search.contacts.get(via=Contact.Via.VEHICLE, person=scenario.people["褚四"])

    assert contact.overlap_from == scenario.base + 60 * H
    assert contact.overlap_until == scenario.base + 61 * H
    assert contact.passage_id == scenario.passages["same_plate"].pk
    assert contact.overlap_until - contact.overlap_from == timedelta(hours=1)


def test_placing_both_rings_includes_the_second(scenario, tracer):
    search = _search(scenario, tracer)
    services.search_second_ring_request(actor=tracer, search=search)
    search = services.search_second_ring(actor=tracer, search_id=search.pk)
    ring2_people = set(
        search.contacts.filter(ring=2, person__isnull=False).values_list("person_id", flat=True)
    )
    assert ring2_people  # 赵六 and 卫五, through 王五 and 褚四

    placed = services.search_place_under_monitoring(
        actor=tracer,
        search=search,
        kind=factories.quarantine_kind("home_monitoring"),
        reason=factories.order_reason(),
        rings=2,
    )

    placed_people = set(
        QuarantineOrder.objects.filter(batch=placed.batch).values_list("person_id", flat=True)
    )
    assert ring2_people <= placed_people
    assert placed.placed == 5 + len(ring2_people)
