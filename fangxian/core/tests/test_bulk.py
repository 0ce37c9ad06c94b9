from datetime import date, timedelta

import pytest
from django.db import transaction
from django.utils import timezone

from fangxian.audit.models import AuditEntry
from fangxian.core.bulk import insert_rows
from fangxian.screening.models import Trip
from tests import factories

pytestmark = pytest.mark.django_db(transaction=True)


def test_rows_get_their_ids_in_order_and_defaults_for_the_rest(town):
    people = [
        factories.make_person(region=town["wafang"], name=f"甲{n}", id_number=None)
        for n in range(3)
    ]
    before = timezone.now()
    rows = [
        (p.id, p.region_id, "湖北省武汉市", date(2020, 1, 20) + timedelta(days=n), ["42"])
        for n, p in enumerate(people)
    ]
    with transaction.atomic():
        first = insert_rows(
            Trip, ["person_id", "region_id", "origin_text", "arrived_on", "via_codes"], rows
        )
        second = insert_rows(Trip, ["person_id", "region_id", "origin_text"], [rows[0][:3]])
    assert len(first) == 3 and len(second) == 1 and max(first) < second[0]
    trips = Trip.objects.in_bulk(first + second)
    for trip_id, person in zip(first, people, strict=True):
        trip = trips[trip_id]
        assert trip.person_id == person.id
        assert trip.origin_text == "湖北省武汉市"
        assert trip.via_codes == ["42"]
        assert trip.transport == "" and trip.departed_on is None
        assert trip.created_at >= before
    assert [trips[i].arrived_on for i in first] == [
        date(2020, 1, 20),
        date(2020, 1, 21),
        date(2020, 1, 22),
    ]
    assert trips[second[0]].via_codes == [] and trips[second[0]].arrived_on is None
    # Django's own writes carry on from where the bulk insert stopped.
    later = Trip.objects.create(person=people[0], region=town["wafang"], origin_text="x")
    assert later.id > second[0]


def test_json_and_datetimes_round_trip(town):
    at = timezone.now() - timedelta(days=3)
    with transaction.atomic():
        (entry_id,) = insert_rows(
            AuditEntry,
            ["at", "action", "detail", "region_id"],
            [(at, AuditEntry.Action.CREATE, {"import": 7, "名": "张三"}, town["wafang"].id)],
        )
    entry = AuditEntry.objects.get(pk=entry_id)
    assert entry.at == at and entry.detail == {"import": 7, "名": "张三"} and entry.changes == {}


def test_outside_a_transaction_it_refuses(town):
    with pytest.raises(RuntimeError):
        insert_rows(Trip, ["origin_text"], [("x",)])
