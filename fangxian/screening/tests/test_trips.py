"""Recording trips, classifying them against the key areas, and the returnees' pages."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from fangxian.audit.models import AuditEntry
from fangxian.screening import selectors, trips
from fangxian.screening.models import KeyArea, Trip
from fangxian.screening.trips import trip_record, trips_reclassify
from tests import factories

TODAY = date(2020, 2, 10)


@pytest.fixture
def hubei(town, hq_user):
    return KeyArea.objects.create(
        region=town["town"],
        division_code="42",
        name="湖北省",
        label="湖北",
        starts_on=date(2020, 1, 10),
    )


def record(person, origin, *, actor=None, **fields):
    fields.setdefault("arrived_on", date(2020, 1, 20))
    return trip_record(
        actor=actor,
        person=person,
        origin_text=origin,
        source=Trip.Source.MANUAL,
        today=TODAY,
        **fields,
    )


# --- services -------------------------------------------------------------------------------


def test_arrival_from_wuhan_is_a_hubei_returnee(wafang_person, hubei, hq_user):
    trip = record(wafang_person, "湖北省武汉市", actor=hq_user)
    assert (trip.origin_code, trip.region, trip.category) == (
        "4201",
        wafang_person.region,
        Trip.Category.KEY_AREA,
    )
    assert trip.category_reason.startswith("湖北返乡人员")
    assert "湖北省武汉市" in trip.category_reason
    assert "2020年1月10日" in trip.category_reason


def test_passing_through_wuhan_is_via_key_area(wafang_person, hubei):
    trip = record(wafang_person, "广东深圳", via_text="武汉、长沙")
    assert trip.via_codes == ["4201", "4301"]
    assert trip.category == Trip.Category.VIA_KEY_AREA
    assert trip.category_reason.startswith("经停湖北")


def test_guangdong_is_from_outside_the_province(wafang_person, hubei):
    trip = record(wafang_person, "广东深圳")
    assert trip.category == Trip.Category.OUT_OF_PROVINCE
    assert trip.category_reason.startswith("省外入滇人员")


def test_kunming_is_another_returnee(wafang_person, hubei):
    trip = record(wafang_person, "昆明")
    assert (trip.origin_code, trip.category) == ("5301", Trip.Category.OTHER)


def test_an_origin_nobody_can_place_is_kept_as_typed_and_says_so(wafang_person, hubei):
    trip = record(wafang_person, "外地打工")
    assert (trip.origin_code, trip.origin_text, trip.category) == ("", "外地打工", "other")
    assert "未能识别" in trip.category_reason


def test_a_trip_cannot_arrive_before_it_left(wafang_person):
    with pytest.raises(ValidationError) as error:
        record(wafang_person, "武汉", departed_on=date(2020, 1, 21), arrived_on=date(2020, 1, 20))
    assert "arrived_on" in error.value.message_dict


def test_recording_a_trip_is_audited_on_the_persons_history(wafang_person, grid_worker):
    trip = record(wafang_person, "武汉", actor=grid_worker, transport_number=" g１２３ ")
    entry = AuditEntry.objects.get(object_type="screening.trip", object_id=str(trip.pk))
    assert (entry.action, entry.person_id, entry.actor) == ("create", wafang_person.pk, grid_worker)
    assert (trip.transport_number, trip.recorded_by) == ("G123", grid_worker)


def test_key_areas_of_another_township_do_not_apply(wafang_person, town):
    tangdan = factories.make_region(path="530113102", short_name="汤丹镇", parent=town["county"])
    KeyArea.objects.create(
        region=tangdan, division_code="42", name="湖北省", label="湖北", starts_on=date(2020, 1, 1)
    )
    assert record(wafang_person, "武汉").category == Trip.Category.OUT_OF_PROVINCE


def test_a_county_list_applies_to_its_townships(wafang_person, town):
    KeyArea.objects.create(
        region=town["county"],
        division_code="42",
        name="湖北省",
        label="湖北",
        starts_on=date(2020, 1, 1),
    )
    assert record(wafang_person, "武汉").category == Trip.Category.KEY_AREA


def test_changing_the_key_area_list_reclassifies_without_retyping(
    wafang_person, beiqi_person, town
):
    from_wuhan = record(wafang_person, "武汉")
    from_shenzhen = record(beiqi_person, "深圳")
    assert from_wuhan.category == Trip.Category.OUT_OF_PROVINCE
    KeyArea.objects.create(
        region=town["town"],
        division_code="42",
        name="湖北省",
        label="湖北",
        starts_on=date(2020, 1, 10),
    )
    assert trips_reclassify(today=TODAY) == 1
    from_wuhan.refresh_from_db()
    from_shenzhen.refresh_from_db()
    assert from_wuhan.category == Trip.Category.KEY_AREA
    assert from_shenzhen.category == Trip.Category.OUT_OF_PROVINCE
    assert trips_reclassify(today=TODAY) == 0  # nothing left to change


def test_reclassify_under_a_region_leaves_the_rest(wafang_person, beiqi_person, town):
    wafang_trip = record(wafang_person, "武汉")
    beiqi_trip = record(beiqi_person, "武汉")
    KeyArea.objects.create(
        region=town["town"],
        division_code="42",
        name="湖北省",
        label="湖北",
        starts_on=date(2020, 1, 1),
    )
    assert trips_reclassify(region=town["wafang"], today=TODAY) == 1
    beiqi_trip.refresh_from_db()
    wafang_trip.refresh_from_db()
    assert (wafang_trip.category, beiqi_trip.category) == ("key_area", "out_of_province")


def test_reclassify_costs_queries_per_chunk_not_per_trip(
    town, hubei, monkeypatch, django_assert_num_queries
):
    for n in range(5):
        person = factories.make_person(region=town["wafang_1"], name=f"居民{n}")
        record(person, "武汉" if n % 2 else "深圳")
    Trip.objects.update(category="", category_reason="")
    monkeypatch.setattr(trips, "RECLASSIFY_CHUNK", 2)
    # key areas; then per chunk of 2 (3 chunks): read + bulk update; then the empty read.
    with django_assert_num_queries(1 + 3 * 2 + 1):
        assert trips_reclassify(today=TODAY) == 5


# --- selectors ------------------------------------------------------------------------------


def test_a_grid_worker_sees_only_their_villages_returnees(
    wafang_person, beiqi_person, grid_worker, hq_user, hubei
):
    mine = record(wafang_person, "武汉")
    record(beiqi_person, "武汉")
    assert list(selectors.returnee_list(user=grid_worker)) == [mine]
    assert selectors.returnee_list(user=hq_user).count() == 2


def test_returnee_list_filters_by_category_date_and_region(
    wafang_person, beiqi_person, hq_user, town, hubei
):
    wuhan = record(wafang_person, "武汉", arrived_on=date(2020, 1, 20))
    shenzhen = record(beiqi_person, "深圳", arrived_on=date(2020, 2, 1))
    assert list(selectors.returnee_list(user=hq_user, category="key_area")) == [wuhan]
    assert list(selectors.returnee_list(user=hq_user, since=date(2020, 1, 25))) == [shenzhen]
    assert list(selectors.returnee_list(user=hq_user, region=town["beiqi"])) == [shenzhen]


def test_category_counts_count_trips_and_people_in_scope(
    wafang_person, beiqi_person, grid_worker, hq_user, hubei
):
    record(wafang_person, "武汉")
    record(wafang_person, "武昌")
    record(beiqi_person, "深圳")
    counts = {
        row["category"]: (row["trips"], row["people"])
        for row in selectors.category_counts(user=hq_user)
    }
    assert counts == {
        "key_area": (2, 1),
        "via_key_area": (0, 0),
        "out_of_province": (1, 1),
        "other": (0, 0),
    }
    mine = {row["category"]: row["people"] for row in selectors.category_counts(user=grid_worker)}
    assert mine["out_of_province"] == 0


def test_a_person_takes_their_most_pressing_trips_category(wafang_person, hq_user, hubei):
    assert selectors.person_category(user=hq_user, person=wafang_person) == ""
    record(wafang_person, "昆明")
    record(wafang_person, "深圳", via_text="武汉")
    assert selectors.person_category(user=hq_user, person=wafang_person) == "via_key_area"


# --- pages ----------------------------------------------------------------------------------


def test_the_returnee_list_shows_masked_ids_reasons_and_counts(
    client, hq_user, wafang_person, hubei
):
    record(wafang_person, "湖北武汉")
    client.force_login(hq_user)
    response = client.get(reverse("screening:returnee-list"))
    text = response.content.decode()
    assert wafang_person.id_number_masked in text
    assert wafang_person.id_number not in text
    assert "湖北返乡人员" in text
    assert response.context["counts"][0]["people"] == 1


def test_the_returnee_list_filters_by_category(client, hq_user, wafang_person, beiqi_person, hubei):
    record(wafang_person, "武汉")
    record(beiqi_person, "深圳")
    client.force_login(hq_user)
    response = client.get(reverse("screening:returnee-list"), {"category": "out_of_province"})
    assert [trip.person for trip in response.context["page"].items] == [beiqi_person]


def test_a_grid_worker_gets_404_for_another_villages_returnees(client, grid_worker, town):
    client.force_login(grid_worker)
    url = reverse("screening:returnee-list")
    assert client.get(url, {"region": town["beiqi"].code}).status_code == 404


def test_the_returnee_list_costs_the_same_for_2_and_60_trips(
    client, hq_user, town, hubei, django_assert_max_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def add(count):
        for n in range(count):
            person = factories.make_person(region=town["wafang_1"], name=f"返乡{n}")
            record(person, "武汉")

    add(2)
    client.force_login(hq_user)
    url = reverse("screening:returnee-list")
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    add(58)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(url)
    assert len(response.context["page"].items) == 50


def test_a_grid_worker_adds_a_trip_from_the_persons_page(client, grid_worker, wafang_person, hubei):
    client.force_login(grid_worker)
    detail = client.get(wafang_person.get_absolute_url()).content.decode()
    url = reverse("screening:trip-create", args=[wafang_person.pk])
    assert url in detail
    response = client.post(
        url,
        {
            "origin_text": "湖北武汉",
            "departed_on": "2020-01-19",
            "arrived_on": "2020-01-20",
            "transport": "train",
            "transport_number": "g1234",
            "via_text": "",
            "companions": "妻子",
        },
    )
    assert response.status_code == 302
    trip = Trip.objects.get(person=wafang_person)
    assert (trip.category, trip.source, trip.transport_number) == ("key_area", "manual", "G1234")
    detail = client.get(wafang_person.get_absolute_url()).content.decode()
    assert "湖北返乡人员" in detail and "G1234" in detail


def test_the_trip_form_keeps_the_input_when_the_dates_are_wrong(client, grid_worker, wafang_person):
    client.force_login(grid_worker)
    url = reverse("screening:trip-create", args=[wafang_person.pk])
    response = client.post(
        url, {"origin_text": "武汉", "departed_on": "2020-01-21", "arrived_on": "2020-01-20"}
    )
    assert response.status_code == 200
    assert not Trip.objects.exists()
    assert 'value="武汉"' in response.content.decode()


def test_a_grid_worker_gets_404_adding_a_trip_to_another_villages_person(
    client, outsider, wafang_person
):
    client.force_login(outsider)
    url = reverse("screening:trip-create", args=[wafang_person.pk])
    assert client.get(url).status_code == 404
    assert client.post(url, {"origin_text": "武汉"}).status_code == 404
    assert not Trip.objects.exists()


def test_checkpoint_staff_see_trips_but_cannot_add_one(client, town, wafang_person, hubei):
    staff = factories.make_user(role="checkpoint_staff", region=town["wafang"])
    record(wafang_person, "武汉")
    client.force_login(staff)
    detail = client.get(wafang_person.get_absolute_url()).content.decode()
    assert "湖北返乡人员" in detail
    assert reverse("screening:trip-create", args=[wafang_person.pk]) not in detail
    url = reverse("screening:trip-create", args=[wafang_person.pk])
    assert client.get(url).status_code == 404


def test_the_places_typed_are_checked_live(client, grid_worker):
    client.force_login(grid_worker)
    url = reverse("screening:trip-places")
    found = client.get(url, {"origin_text": "湖北武昌", "via_text": "长沙"}).content.decode()
    assert "湖北省武汉市武昌区" in found and "湖南省长沙市" in found
    unknown = client.get(url, {"origin_text": "鼓楼区"})
    assert 'data-testid="origin-unknown"' in unknown.content.decode()
