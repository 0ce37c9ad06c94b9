"""The place-code benchmarks run at tiny sizes, so `make bench` cannot rot: the hand-written SQL
gives first_ring's answer (on tracing's hand-built scenario and on generated data), the exposure
case reports its entries, and the ingest case drives both endpoints through a server, replays
client ids without writing and reports a floor ratio."""

from datetime import timedelta

import pytest
from django.conf import global_settings
from django.db import connection

from bench import exposure_sql
from bench.exposure_data import ExposureSizes, build_districts, new_layout, pick_subjects
from bench.harness import Result
from bench.ingest_server import Server
from bench.places_case import IngestSizes, bench_exposure, bench_scan_ingest
from fangxian.places.models import Scan
from fangxian.tracing.exposure import PLACE, first_ring
from fangxian.tracing.tests.conftest import scenario, tracer  # noqa: F401 (fixtures)

TINY = ExposureSizes(people=1000, places=20, subjects=5)


def _place_contacts(exposures) -> set:
    return {(e.identity, e.place_id) for e in exposures if e.via == PLACE}


@pytest.mark.django_db
def test_the_hand_written_sql_finds_first_rings_contacts_in_tracings_scenario(scenario):  # noqa: F811
    subject = scenario.subject
    period = {
        "since": scenario.base - timedelta(days=1),
        "until": scenario.base + timedelta(days=4),
    }
    window = timedelta(hours=2)
    expected = _place_contacts(
        first_ring(person_ids=[subject.pk], phones=[subject.phone], window=window, **period)
    )
    by_hand = exposure_sql.contacts(
        person_ids=[subject.pk], phones=[subject.phone], window=window, **period
    )
    assert by_hand == expected
    people, places = scenario.people, scenario.places
    assert by_hand == {
        (("person", people["李四"].pk), places["A"].pk),
        (("person", people["王五"].pk), places["A"].pk),
        (("phone", "13900000002"), places["A"].pk),
        (("person", people["周九"].pk), places["A"].pk),
        (("person", people["李四"].pk), places["B"].pk),
        (("person", people["冯二"].pk), places["D"].pk),
    }


@pytest.mark.django_db
def test_generated_districts_have_contiguous_ids_and_the_sql_agrees_with_first_ring(town):
    layout = new_layout(TINY, town["town"])
    build_districts(layout, 2)
    assert layout.scans() == Scan.objects.count() > 0
    subjects = pick_subjects(layout)
    assert len(subjects) == TINY.subjects
    since, until = (
        Scan.objects.order_by("occurred_at").first().occurred_at,
        Scan.objects.order_by("occurred_at").last().occurred_at,
    )
    found = 0
    for person_id, phone in subjects:
        asked = {"person_ids": [person_id], "phones": [phone], "since": since, "until": until}
        mine = _place_contacts(first_ring(window=timedelta(hours=2), **asked))
        assert exposure_sql.contacts(window=timedelta(hours=2), **asked) == mine
        found += len(mine)
    assert found > 0


@pytest.mark.django_db
def test_the_exposure_case_reports_both_sizes_and_the_growth(town):
    small, large, growth = bench_exposure(TINY, township=town["town"])
    assert small.name.startswith("exposure_first_ring_") and small.name != large.name
    for result in (small, large, growth):
        assert result.value > 0 and result.baseline > 0 and not result.higher_is_better
    assert growth.ratio == pytest.approx(large.value / small.value, rel=0.05)
    assert "contact-place pairs" in large.description


@pytest.mark.django_db(transaction=True)
def test_the_ingest_case_drives_both_endpoints_and_replays_without_writing(town, request):
    if connection.vendor == "sqlite":
        # The test database lives in memory: another process cannot reach it, so the test server
        # in this process (one client: it shares one connection between its threads).
        server = Server(base_url=request.getfixturevalue("live_server").url)
        settings = request.getfixturevalue("settings")
        settings.ROOT_URLCONF = "bench.ingest_urls"
        settings.PASSWORD_HASHERS = global_settings.PASSWORD_HASHERS  # the case's, as a server's
        sizes = IngestSizes(clients=1, requests=12, replay=6)
    else:
        server, sizes = None, IngestSizes(clients=2, requests=12, workers=2, threads=2, replay=6)
    before = Scan.objects.count()
    rate, latency = bench_scan_ingest(sizes, region=town["town"], server=server)
    warm = 5
    phases = 2 * warm + 5 * sizes.requests  # warm-ups, then minimal and product alternating
    assert Scan.objects.count() - before == phases * sizes.clients
    assert rate.higher_is_better and rate.unit == "req/s" and rate.target == 0.60
    assert rate.ratio == pytest.approx(rate.value / rate.baseline, rel=0.05)
    assert "0 rows written" in rate.description
    assert latency.unit == "ms" and latency.value > 0 and latency.baseline > 0


def test_a_floor_passes_at_or_above_its_target_and_a_cost_at_or_below():
    def result(ratio: float, higher: bool) -> Result:
        return Result("r", "", 1.0, 1.0, ratio, 0.6, "x", 0.0, higher_is_better=higher)

    assert result(0.6, True).passed and not result(0.59, True).passed
    assert result(0.6, False).passed and not result(0.61, False).passed
