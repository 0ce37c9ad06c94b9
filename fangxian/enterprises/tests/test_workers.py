"""The roster: workers linked to the ledger by ID number, their journey classified, and the
one-step placement through the hook the quarantine app registers."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from fangxian.enterprises import hooks, selectors, workers
from fangxian.enterprises.models import Worker, WorkerPlacement
from fangxian.people.models import Person
from fangxian.screening.models import KeyArea, Trip
from tests import factories

RESIDENT = Person.DocumentType.RESIDENT_ID


@pytest.fixture
def hubei(town):
    return KeyArea.objects.create(
        region=town["town"],
        division_code="42",
        name="湖北省",
        label="湖北",
        starts_on=date(2020, 1, 10),
    )


def _add(actor, enterprise, **fields):
    defaults = {
        "name": "王小二",
        "document_type": RESIDENT,
        "id_number": factories.valid_id_number(sequence=777),
        "department": "生产部",
        "post": "操作工",
    }
    return workers.worker_add(actor=actor, enterprise=enterprise, **(defaults | fields))


def test_a_new_worker_is_registered_in_the_ledger_with_its_rules(contact, wafang_enterprise):
    worker = _add(contact, wafang_enterprise)
    person = worker.person
    assert person.region == wafang_enterprise.region
    assert person.birth_date == date(1985, 6, 15) and person.sex
    assert person.name_initials == "wxe"


def test_a_wrong_id_number_is_refused_and_nothing_is_written(contact, wafang_enterprise):
    number = factories.valid_id_number(sequence=778)
    broken = number[:-1] + ("0" if number[-1] != "0" else "1")
    with pytest.raises(ValidationError) as caught:
        _add(contact, wafang_enterprise, id_number=broken)
    assert "id_number" in caught.value.message_dict
    assert not Person.objects.exists() and not Worker.objects.exists()


def test_a_known_resident_is_linked_not_duplicated(contact, wafang_enterprise, beiqi_person):
    worker = _add(contact, wafang_enterprise, name="李四", id_number=beiqi_person.id_number)
    assert worker.person == beiqi_person
    assert Person.objects.count() == 1


def test_a_known_number_with_another_name_is_refused(contact, wafang_enterprise, beiqi_person):
    with pytest.raises(ValidationError) as caught:
        _add(contact, wafang_enterprise, name="李五", id_number=beiqi_person.id_number)
    assert "name" in caught.value.message_dict


def test_the_same_person_is_not_listed_twice(contact, wafang_enterprise):
    _add(contact, wafang_enterprise)
    with pytest.raises(ValidationError):
        _add(contact, wafang_enterprise)


def test_a_worker_back_from_a_key_area_is_flagged_with_the_reason(
    contact, wafang_enterprise, hubei
):
    worker = _add(
        contact,
        wafang_enterprise,
        whereabouts="湖北武汉",
        returned_on=date(2020, 2, 10),
        transport=Worker.Transport.TRAIN,
        today=date(2020, 2, 12),
    )
    assert worker.trip.category == Trip.Category.KEY_AREA
    assert "湖北" in worker.trip.category_reason
    local = _add(
        contact,
        wafang_enterprise,
        name="赵六",
        id_number=factories.valid_id_number(sequence=779),
        whereabouts="本地",
        transport=Worker.Transport.LOCAL,
    )
    assert local.trip is None
    flagged = selectors.worker_list(user=contact, enterprise=wafang_enterprise, flagged=True)
    assert [w.pk for w in flagged] == [worker.pk]
    assert flagged[0].person_category == Trip.Category.KEY_AREA


def test_a_worker_who_met_key_area_people_is_flagged(contact, wafang_enterprise):
    worker = _add(contact, wafang_enterprise, met_key_area_people=True, contact_notes="同车")
    flagged = selectors.worker_list(user=contact, enterprise=wafang_enterprise, flagged=True)
    assert list(flagged) == [worker]


def test_correcting_the_holiday_place_reclassifies_the_trip(contact, wafang_enterprise, hubei):
    worker = _add(contact, wafang_enterprise, whereabouts="云南昆明", returned_on=date(2020, 2, 3))
    assert worker.trip.category != Trip.Category.KEY_AREA
    worker = workers.worker_update(
        actor=contact, worker=worker, whereabouts="湖北孝感", today=date(2020, 2, 5)
    )
    worker.trip.refresh_from_db()
    assert worker.trip.category == Trip.Category.KEY_AREA


def test_without_a_quarantine_handler_placement_is_recorded_as_a_request(
    hq_user, contact, wafang_enterprise
):
    hooks.unregister_placement_handler()
    worker = _add(contact, wafang_enterprise)
    placement = workers.worker_place(
        actor=hq_user, worker=worker, kind=WorkerPlacement.Kind.MONITORING, reason="湖北返岗"
    )
    assert placement.status == WorkerPlacement.Status.REQUESTED
    assert placement.reference == ""


def test_a_registered_handler_places_the_worker_in_one_step(hq_user, contact, wafang_enterprise):
    calls = []

    def handler(**kwargs):
        calls.append(kwargs)
        return "quarantine.QuarantineOrder:41"

    worker = _add(contact, wafang_enterprise)
    hooks.register_placement_handler(handler)
    try:
        placement = workers.worker_place(
            actor=hq_user, worker=worker, kind=WorkerPlacement.Kind.QUARANTINE, reason="密接"
        )
    finally:
        hooks.unregister_placement_handler()
    assert placement.status == WorkerPlacement.Status.PLACED
    assert placement.reference == "quarantine.QuarantineOrder:41"
    assert calls[0]["person"] == worker.person and calls[0]["kind"] == "quarantine"


def test_a_handler_that_refuses_leaves_no_record(hq_user, contact, wafang_enterprise):
    def handler(**kwargs):
        raise ValidationError("已在隔离中")

    worker = _add(contact, wafang_enterprise)
    hooks.register_placement_handler(handler)
    try:
        with pytest.raises(ValidationError):
            workers.worker_place(actor=hq_user, worker=worker, kind="quarantine", reason="密接")
    finally:
        hooks.unregister_placement_handler()
    assert not WorkerPlacement.objects.exists()


def test_the_enterprise_cannot_place_its_workers(contact, wafang_enterprise):
    worker = _add(contact, wafang_enterprise)
    with pytest.raises(PermissionDenied):
        workers.worker_place(actor=contact, worker=worker, kind="quarantine", reason="x")


def test_the_contact_adds_a_worker_on_the_phone_form(client, contact, wafang_enterprise, hubei):
    client.force_login(contact)
    url = reverse("enterprises:worker-create", args=[wafang_enterprise.pk])
    number = factories.valid_id_number(sequence=780)
    yesterday = timezone.localdate() - timedelta(days=1)
    response = client.post(
        url,
        {
            "name": "孙七",
            "document_type": RESIDENT,
            "id_number": number,
            "department": "包装",
            "whereabouts": "湖北武汉",
            "returned_on": yesterday.isoformat(),
            "transport": "train",
            "health": "well",
        },
    )
    assert response.status_code == 302
    roster = client.get(reverse("enterprises:worker-list", args=[wafang_enterprise.pk]))
    text = roster.content.decode()
    assert "孙七" in text and number not in text and number[-4:] in text
    assert 'data-testid="flag"' in text


def test_the_phone_form_names_the_wrong_field(client, contact, wafang_enterprise):
    client.force_login(contact)
    url = reverse("enterprises:worker-create", args=[wafang_enterprise.pk])
    response = client.post(
        url, {"name": "孙七", "document_type": RESIDENT, "id_number": "123", "health": "well"}
    )
    assert response.status_code == 200
    assert response.context["form"].errors["id_number"]


def test_a_person_on_a_roster_cannot_be_deleted(contact, wafang_enterprise, hq_user):
    from django.db import IntegrityError, transaction

    from fangxian.people.services import person_delete

    worker = _add(contact, wafang_enterprise)
    with pytest.raises(IntegrityError), transaction.atomic():
        person_delete(actor=hq_user, person=worker.person)
        # SQLite and PostgreSQL check deferred foreign keys at commit: check them now.
        from django.db import connection

        connection.check_constraints()
    assert Person.objects.filter(pk=worker.person_id).exists()


def test_the_roster_shows_the_person_category_from_any_of_their_trips(
    client, contact, hq_user, wafang_enterprise, wafang_person, hubei
):
    """The person came back from 湖北 (a trip the village recorded); the roster entry itself says
    nothing of a journey, yet the roster flags them with the reason."""
    from fangxian.screening.trips import trip_record

    trip_record(
        actor=hq_user,
        person=wafang_person,
        origin_text="湖北武汉",
        arrived_on=date(2020, 2, 1),
        source=Trip.Source.MANUAL,
        today=date(2020, 2, 2),
    )
    worker = _add(contact, wafang_enterprise, name="张三", id_number=wafang_person.id_number)
    assert worker.trip is None
    flagged = selectors.worker_list(user=contact, enterprise=wafang_enterprise, flagged=True)
    assert list(flagged) == [worker]
    client.force_login(contact)
    text = client.get(reverse("enterprises:worker-list", args=[wafang_enterprise.pk])).content
    assert b'data-testid="flag"' in text
    assert "湖北返乡人员".encode() in text
