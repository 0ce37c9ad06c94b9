"""The core of the exposure search on the hand-built scenario (conftest.scenario)."""

from datetime import timedelta

from fangxian.places.models import Scan
from fangxian.tracing.exposure import first_ring, first_ring_in_scope
from fangxian.tracing.tests.conftest import WINDOW, H, M, stay


def _found(exposures, scenario):
    """{(who, where): (from, until) relative to T in minutes}."""
    names = {p.pk: name for name, p in scenario.people.items()}
    T = scenario.base
    return {
        (
            names.get(e.person_id) or e.phone or e.name,
            e.where,
        ): (
            int((e.overlap_from - T).total_seconds() // 60),
            int((e.overlap_until - T).total_seconds() // 60),
        )
        for e in exposures
    }


def _ring(scenario, **overrides):
    arguments = {
        "person_ids": [scenario.subject.pk],
        "phones": [scenario.subject.phone],
        "since": scenario.base - timedelta(days=1),
        "until": scenario.base + timedelta(days=4),
        "window": WINDOW,
    } | overrides
    return first_ring(**arguments)


EXPECTED_IN_TOWN = {
    ("李四", "超市"): (30, 120),
    ("王五", "超市"): (-120, -120),
    ("13900000002", "超市"): (180, 180),
    ("周九", "超市"): (90, 90),
    ("李四", "药店"): (25 * 60, 26 * 60),
    ("陈三", "瓦房卡点 云A12345"): (60 * 60, 60 * 60),
    ("过客甲", "瓦房卡点 云A12345"): (60 * 60, 60 * 60),
    ("褚四", "瓦房卡点 云A12345"): (60 * 60, 61 * 60),
}


def test_first_ring_finds_exactly_the_people_who_overlapped(scenario):
    found = _found(_ring(scenario), scenario)

    assert found == EXPECTED_IN_TOWN | {("冯二", "汤丹超市"): (72 * 60, 72 * 60)}


def test_each_exposure_says_how_and_where(scenario):
    exposures = {(e.person_id, e.where): e for e in _ring(scenario)}
    at_the_shop = exposures[(scenario.people["李四"].pk, "超市")]
    in_the_car = exposures[(scenario.people["褚四"].pk, "瓦房卡点 云A12345")]
    stranger = next(e for e in exposures.values() if e.name == "过客甲")

    assert (at_the_shop.via, at_the_shop.place_id, at_the_shop.passage_id) == (
        "place",
        scenario.places["A"].pk,
        None,
    )
    assert (in_the_car.via, in_the_car.passage_id) == (
        "vehicle",
        scenario.passages["same_plate"].pk,
    )
    assert (stranger.person_id, stranger.document_number) == (None, "A1234567")


def test_the_tracers_scope_leaves_out_another_townships_scans(scenario, tracer):
    exposures = first_ring_in_scope(
        user=tracer,
        person_ids=[scenario.subject.pk],
        phones=[scenario.subject.phone],
        since=scenario.base - timedelta(days=1),
        until=scenario.base + timedelta(days=4),
        window=WINDOW,
    )

    assert _found(exposures, scenario) == EXPECTED_IN_TOWN


def test_a_subject_known_only_by_phone_is_found_through_their_scans(scenario):
    T = scenario.base
    stay(scenario.places["C"], T + 90 * H, phone="13600000009")
    stay(scenario.places["C"], T + 91 * H, T + 92 * H, person=scenario.people["郑一"])

    found = _found(_ring(scenario, person_ids=[], phones=["13600000009"]), scenario)

    assert found == {("郑一", "菜市场"): (91 * 60, 92 * 60)}


def test_the_period_limits_the_subjects_visits(scenario):
    T = scenario.base
    found = _found(_ring(scenario, since=T + 20 * H, until=T + 30 * H), scenario)

    assert found == {("李四", "药店"): (25 * 60, 26 * 60)}


def test_a_wider_window_reaches_further(scenario):
    found = _found(_ring(scenario, window=3 * H), scenario)

    assert found[("赵六", "超市")] == (-180, -121)
    assert found[("吴十", "药店")] == (21 * 60, 21 * 60 + 59)
    assert found[("卫五", "瓦房卡点 云A12345")] == (60 * 60, 63 * 60)


def test_a_subject_without_scans_or_passages_finds_nobody(scenario, django_assert_num_queries):
    with django_assert_num_queries(2):  # their scans, their passages
        assert _ring(scenario, person_ids=[scenario.people["卫五"].pk + 1000], phones=[]) == []


def test_the_number_of_queries_does_not_grow_with_the_visits(
    scenario, django_assert_max_num_queries
):
    with django_assert_max_num_queries(5):
        few = _ring(scenario)
    T = scenario.base
    for day in range(2, 30):
        stay(
            scenario.places["A"],
            T - day * 24 * H,
            T - day * 24 * H + 30 * M,
            person=scenario.subject,
        )
        stay(scenario.places["B"], T - day * 24 * H + 5 * H, person=scenario.subject)
        stay(scenario.places["A"], T - day * 24 * H + 10 * M, person=scenario.people["卫五"])

    with django_assert_max_num_queries(5):
        many = _ring(scenario, since=T - timedelta(days=31))

    assert len(many) == len(few) + 28
    assert Scan.objects.filter(person=scenario.subject).count() > 80
