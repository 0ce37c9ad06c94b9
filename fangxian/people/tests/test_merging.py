"""Two records of one person become one, lose nothing, and can be separated again."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from fangxian.audit.models import AuditEntry
from fangxian.people import merging, selectors
from fangxian.people.models import Person, PersonMerge
from fangxian.screening.models import Trip
from tests import factories


@pytest.fixture
def trips_follow_merges():
    merging.register_merge_handler(merging.fk_handler(Trip))
    yield
    merging._handlers.pop("screening.Trip", None)


def _without_id(**fields) -> Person:
    person = factories.make_person(**fields)
    Person.objects.filter(pk=person.pk).update(id_number="", id_tail="", birth_date=None, sex="")
    person.refresh_from_db()
    return person


@pytest.fixture
def pair(town):
    """王芳 with her ID number, and a second 王芳 typed in later without one, same phone."""
    kept = factories.make_person(
        region=town["wafang_1"],
        name="王芳",
        phone="13811112222",
        id_number=factories.valid_id_number(sequence=222),
    )
    twin = _without_id(region=town["wafang_1"], name="王芳", phone="13811112222")
    return kept, twin


def _trip(person) -> Trip:
    return Trip.objects.create(
        person=person,
        region=person.region,
        origin_text="湖北省武汉市",
        source=Trip.Source.MANUAL,
        arrived_on=date(2020, 1, 20),
    )


def test_same_name_and_phone_without_an_id_number_is_a_likely_duplicate(hq_user, pair):
    groups = selectors.likely_duplicates(user=hq_user)
    assert [[p.pk for p in g] for g in groups] == [[pair[0].pk, pair[1].pk]]


def test_two_records_that_both_have_id_numbers_are_not_listed(hq_user, town):
    for sequence in (301, 303):
        factories.make_person(
            region=town["wafang_1"],
            name="赵强",
            phone="13900000000",
            id_number=factories.valid_id_number(sequence=sequence),
        )
    assert selectors.likely_duplicates(user=hq_user) == []


def test_same_name_and_birth_date_in_one_village_is_a_likely_duplicate(hq_user, town):
    a = factories.make_person(
        region=town["wafang_1"],
        name="钱七",
        phone="",
        id_number=factories.valid_id_number(sequence=305),
    )
    b = _without_id(region=town["wafang_2"], name="钱七", phone="")
    Person.objects.filter(pk=b.pk).update(birth_date=a.birth_date)
    groups = selectors.likely_duplicates(user=hq_user)
    assert [{p.pk for p in g} for g in groups] == [{a.pk, b.pk}]


def test_a_grid_worker_sees_no_duplicates_of_another_village(outsider, pair):
    assert selectors.likely_duplicates(user=outsider) == []


def test_merge_moves_linked_records_and_keeps_both_originals(hq_user, pair, trips_follow_merges):
    kept, twin = pair
    trip = _trip(twin)
    merge = merging.person_merge(
        actor=hq_user, survivor=kept, merged=twin, reason="同一人，电话相同"
    )
    trip.refresh_from_db()
    twin.refresh_from_db()
    assert trip.person == kept
    assert twin.merged_into == kept  # kept, marked, out of the lists
    assert twin not in selectors.person_list(user=hq_user)
    assert merge.moved["screening.Trip"] == [trip.pk]
    assert AuditEntry.objects.filter(person_id=twin.pk, action=AuditEntry.Action.UPDATE).exists()


def test_merge_fills_what_the_survivor_lacks(hq_user, town):
    kept = _without_id(region=town["wafang_1"], name="孙八", phone="13700000000")
    number = factories.valid_id_number(sequence=307)
    other = factories.make_person(region=town["wafang_1"], name="孙八", phone="", id_number=number)
    merging.person_merge(actor=hq_user, survivor=kept, merged=other, reason="同一人")
    kept.refresh_from_db()
    assert (kept.id_number, kept.id_tail, kept.birth_date is not None) == (
        number,
        number[-4:],
        True,
    )


def test_records_with_different_id_numbers_are_refused(hq_user, town):
    a = factories.make_person(
        region=town["wafang_1"], name="周九", id_number=factories.valid_id_number(sequence=309)
    )
    b = factories.make_person(
        region=town["wafang_1"], name="周九", id_number=factories.valid_id_number(sequence=311)
    )
    with pytest.raises(ValidationError):
        merging.person_merge(actor=hq_user, survivor=a, merged=b, reason="同一人")
    assert not PersonMerge.objects.exists()


def test_undo_puts_both_records_back(hq_user, town, trips_follow_merges):
    kept = _without_id(region=town["wafang_1"], name="孙八", phone="13700000000")
    number = factories.valid_id_number(sequence=313)
    other = factories.make_person(region=town["wafang_1"], name="孙八", phone="", id_number=number)
    trip = _trip(other)
    merge = merging.person_merge(actor=hq_user, survivor=kept, merged=other, reason="同一人")
    merging.person_merge_undo(actor=hq_user, merge=merge)
    kept.refresh_from_db()
    other.refresh_from_db()
    trip.refresh_from_db()
    assert (kept.id_number, other.id_number, other.merged_into) == ("", number, None)
    assert trip.person == other
    with pytest.raises(ValidationError):
        merging.person_merge_undo(actor=hq_user, merge=merge)


def test_merge_page_merges_and_a_grid_worker_cannot_reach_another_village(
    client, hq_user, outsider, pair
):
    kept, twin = pair
    client.force_login(outsider)
    url = reverse("people:person-merge")
    data = {"survivor": kept.pk, "merged": twin.pk, "reason": "同一人"}
    assert client.post(url, data).status_code == 404
    client.force_login(hq_user)
    assert client.post(url, data).status_code == 302
    twin.refresh_from_db()
    assert twin.merged_into == kept


def test_the_merged_record_says_where_it_went(client, hq_user, pair):
    kept, twin = pair
    merging.person_merge(actor=hq_user, survivor=kept, merged=twin, reason="同一人")
    client.force_login(hq_user)
    body = client.get(twin.get_absolute_url()).content.decode()
    assert 'data-testid="merged-notice"' in body
    assert kept.get_absolute_url() in body
