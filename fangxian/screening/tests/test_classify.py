"""The pure classification rules: examples from 2020, then properties."""

from datetime import date, timedelta

from hypothesis import given
from hypothesis import strategies as st

from fangxian.screening import classify
from fangxian.screening.classify import KeyAreaRule, TripFacts, classify_trip, most_pressing
from fangxian.screening.models import Trip

HUBEI = KeyAreaRule(code="42", name="湖北省", label="湖北", starts_on=date(2020, 1, 10))
WENZHOU = KeyAreaRule(
    code="3303",
    name="浙江省温州市",
    label="温州",
    starts_on=date(2020, 2, 1),
    ends_on=date(2020, 2, 29),
)
TODAY = date(2020, 2, 10)


def category_of(trip, areas=(HUBEI,), today=TODAY):
    return classify_trip(trip, areas, home_province="53", today=today)


def test_the_categories_are_the_models_in_the_same_order():
    assert list(classify.CATEGORIES) == Trip.Category.values


def test_arrival_from_wuhan_after_hubei_became_a_key_area_is_key_area():
    category, reason = category_of(TripFacts(origin_code="4201", arrived_on=date(2020, 1, 20)))
    assert category == classify.KEY_AREA
    assert reason.code == classify.FROM_KEY_AREA
    assert reason.params == {
        "origin": "4201",
        "area": "湖北省",
        "label": "湖北",
        "since": date(2020, 1, 10),
        "until": None,
    }


def test_arrival_before_the_key_area_started_is_only_out_of_province():
    category, _ = category_of(TripFacts(origin_code="4201", arrived_on=date(2020, 1, 9)))
    assert category == classify.OUT_OF_PROVINCE


def test_a_journey_on_the_road_when_the_key_area_started_counts():
    trip = TripFacts(origin_code="4201", departed_on=date(2020, 1, 8), arrived_on=date(2020, 1, 11))
    assert category_of(trip)[0] == classify.KEY_AREA


def test_departure_after_the_key_area_ended_does_not_count():
    trip = TripFacts(
        origin_code="330302", departed_on=date(2020, 3, 1), arrived_on=date(2020, 3, 2)
    )
    assert category_of(trip, (WENZHOU,))[0] == classify.OUT_OF_PROVINCE
    trip = TripFacts(
        origin_code="330302", departed_on=date(2020, 2, 29), arrived_on=date(2020, 3, 2)
    )
    assert category_of(trip, (WENZHOU,))[0] == classify.KEY_AREA


def test_a_trip_without_dates_counts_while_the_key_area_is_in_force():
    undated = TripFacts(origin_code="4201")
    category, reason = category_of(undated)
    assert (category, reason.code) == (classify.KEY_AREA, classify.FROM_KEY_AREA_UNDATED)
    assert category_of(undated, today=date(2020, 1, 1))[0] == classify.OUT_OF_PROVINCE
    assert category_of(TripFacts(origin_code="3303"), (WENZHOU,), today=date(2020, 3, 1))[0] == (
        classify.OUT_OF_PROVINCE
    )


def test_passing_through_wuhan_is_via_key_area():
    trip = TripFacts(origin_code="4403", via_codes=("4201",), arrived_on=date(2020, 1, 25))
    category, reason = category_of(trip)
    assert category == classify.VIA_KEY_AREA
    assert reason.code == classify.VIA_KEY_AREA_DATED
    assert (reason.params["via"], reason.params["label"]) == ("4201", "湖北")


def test_coming_from_a_key_area_beats_passing_through_one():
    trip = TripFacts(origin_code="4201", via_codes=("3303",), arrived_on=date(2020, 2, 5))
    assert category_of(trip, (HUBEI, WENZHOU))[0] == classify.KEY_AREA


def test_guangdong_is_out_of_province():
    category, reason = category_of(TripFacts(origin_code="4403", arrived_on=date(2020, 1, 25)))
    assert (category, reason.code, reason.params) == (
        classify.OUT_OF_PROVINCE,
        classify.FROM_OTHER_PROVINCE,
        {"origin": "4403", "province": "53"},
    )


def test_kunming_is_other():
    category, reason = category_of(TripFacts(origin_code="5301", arrived_on=date(2020, 1, 25)))
    assert (category, reason.code) == (classify.OTHER, classify.FROM_HOME_PROVINCE)


def test_an_unplaced_origin_is_other_and_says_so():
    category, reason = category_of(TripFacts(origin_code="", arrived_on=date(2020, 1, 25)))
    assert (category, reason.code) == (classify.OTHER, classify.ORIGIN_UNKNOWN)


def test_an_origin_coarser_than_the_key_area_does_not_count():
    wuhan = KeyAreaRule(code="4201", name="湖北省武汉市", label="武汉", starts_on=date(2020, 1, 1))
    trip = TripFacts(origin_code="42", arrived_on=date(2020, 1, 25))
    assert category_of(trip, (wuhan,))[0] == classify.OUT_OF_PROVINCE
    trip = TripFacts(origin_code="420106", arrived_on=date(2020, 1, 25))
    assert category_of(trip, (wuhan,))[0] == classify.KEY_AREA


def test_the_most_specific_key_area_gives_the_reason():
    wuhan = KeyAreaRule(code="4201", name="湖北省武汉市", label="武汉", starts_on=date(2020, 1, 1))
    _, reason = category_of(
        TripFacts(origin_code="420106", arrived_on=date(2020, 1, 25)), (HUBEI, wuhan)
    )
    assert reason.params["label"] == "武汉"


def test_a_person_takes_their_most_pressing_trips_category():
    assert most_pressing([classify.OTHER, classify.VIA_KEY_AREA, classify.OUT_OF_PROVINCE]) == (
        classify.VIA_KEY_AREA
    )
    assert most_pressing([]) == ""
    assert most_pressing(["", classify.OTHER]) == classify.OTHER


# --- properties -----------------------------------------------------------------------------

days = st.dates(min_value=date(2019, 6, 1), max_value=date(2021, 6, 1))
codes = st.sampled_from(["", "42", "4201", "420106", "4403", "5301", "530113", "3303", "330302"])
maybe_days = st.none() | days


@st.composite
def trips(draw):
    return TripFacts(
        origin_code=draw(codes),
        via_codes=tuple(draw(st.lists(codes.filter(bool), max_size=3))),
        departed_on=draw(maybe_days),
        arrived_on=draw(maybe_days),
    )


@st.composite
def areas(draw):
    starts_on = draw(days)
    ends_on = draw(st.none() | st.dates(min_value=starts_on, max_value=date(2021, 6, 1)))
    code = draw(st.sampled_from(["42", "4201", "3303", "5301"]))
    return KeyAreaRule(code=code, name=code, label=code, starts_on=starts_on, ends_on=ends_on)


@given(trips(), st.lists(areas(), max_size=4), days)
def test_every_trip_gets_one_category_and_a_known_reason(trip, key_areas, today):
    category, reason = classify_trip(trip, key_areas, home_province="53", today=today)
    assert category in classify.CATEGORIES
    assert reason.code in classify.REASONS


@given(trips(), st.lists(areas(), max_size=4), areas(), days)
def test_adding_a_key_area_never_makes_a_trip_less_pressing(trip, key_areas, extra, today):
    before, _ = classify_trip(trip, key_areas, home_province="53", today=today)
    after, _ = classify_trip(trip, [*key_areas, extra], home_province="53", today=today)
    assert classify.CATEGORIES.index(after) <= classify.CATEGORIES.index(before)


@given(trips(), days)
def test_without_key_areas_only_the_province_matters(trip, today):
    category, _ = classify_trip(trip, [], home_province="53", today=today)
    if trip.origin_code and not trip.origin_code.startswith("53"):
        assert category == classify.OUT_OF_PROVINCE
    else:
        assert category == classify.OTHER


@given(trips(), areas(), days)
def test_a_key_area_counts_only_for_trips_overlapping_its_period(trip, area, today):
    category, _ = classify_trip(trip, [area], home_province="53", today=today)
    if category in (classify.KEY_AREA, classify.VIA_KEY_AREA):
        period = classify.trip_period(trip)
        if period is None:
            assert area.in_force_on(today)
        else:
            first, last = period
            assert last >= area.starts_on
            assert area.ends_on is None or first <= area.ends_on


@given(days, st.integers(min_value=0, max_value=30))
def test_swapped_dates_read_as_the_same_journey(day, length):
    later = day + timedelta(days=length)
    assert classify.trip_period(TripFacts(departed_on=later, arrived_on=day)) == (day, later)
