"""Place figures (issue 5, item 6): scans per place, village and township for a day, counted in
the database with a fixed number of queries, the latest uncorrected scans only, each figure
opening the scans behind it; and the home page's live counters."""

import random
import uuid
from collections import Counter
from datetime import datetime, time, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from conftest import login
from fangxian.places.models import Place, Scan
from fangxian.places.selectors import place_figures
from fangxian.places.services import place_close, place_create, scan_record
from tests import factories


def _at(day, hour):
    return timezone.make_aware(datetime.combine(day, time(hour)))


@pytest.fixture
def scene(town, hq_user, wafang_person):
    """Three places in two villages; scans today and yesterday by phones and a person; one scan
    withdrawn by a correction. Returns the places and the rows made."""
    today = timezone.localdate()
    yesterday = today - timedelta(days=1)
    shop = place_create(actor=hq_user, region=town["wafang"], name="瓦房超市", kind="supermarket")
    market = place_create(actor=hq_user, region=town["wafang"], name="瓦房集市", kind="market")
    pharmacy = place_create(actor=hq_user, region=town["beiqi"], name="碑棋药店", kind="pharmacy")
    place_close(actor=hq_user, place=market, reason="消杀")
    rng = random.Random(5)
    phones = [f"1380000{n:04d}" for n in range(6)]
    made = []
    now = timezone.now()
    for day in (yesterday, today):
        for hour in range(8, 20):
            # Today's scans a few seconds apart before now (never in the future).
            at = _at(day, hour) if day == yesterday else now - timedelta(seconds=10 * hour)
            place = rng.choice([shop, pharmacy])
            who = rng.choice([*phones, None])
            scan, _ = scan_record(
                place=place,
                client_id=uuid.uuid4(),
                person=wafang_person if who is None else None,
                phone=who or "",
                occurred_at=at,
                source="page",
            )
            made.append(scan)
    wrong = made[-1]
    Scan.objects.create(
        place=wrong.place,
        region=wrong.region,
        phone=wrong.phone,
        person=wrong.person,
        direction=wrong.direction,
        occurred_at=wrong.occurred_at,
        day=wrong.day,
        source="staff",
        corrects=wrong,
        withdrawn=True,
    )
    counted = [scan for scan in made if scan is not wrong]
    return {"shop": shop, "market": market, "pharmacy": pharmacy, "scans": counted}


def _expected(scans):
    directions = Counter(scan.direction for scan in scans)
    people = {f"p{scan.person_id}" if scan.person_id else scan.phone for scan in scans}
    return (directions["in"], directions["out"], len(people))


def _row(row):
    return (row.entries, row.exits, row.people)


def test_the_figures_match_the_rows_made(scene, hq_user, town, django_assert_max_num_queries):
    today = timezone.localdate()
    todays = [scan for scan in scene["scans"] if scan.day == today]
    with django_assert_max_num_queries(8):  # with the role look-up
        figures = place_figures(user=hq_user, day=today)
    villages = {row.region.code: row for row in figures.villages}
    wafang = [scan for scan in todays if scan.region_id == town["wafang"].pk]
    beiqi = [scan for scan in todays if scan.region_id == town["beiqi"].pk]
    assert _row(villages[town["wafang"].code]) == _expected(wafang)
    assert _row(villages[town["beiqi"].code]) == _expected(beiqi)
    assert _row(figures.total) == _expected(todays)
    assert [_row(row) for row in figures.townships] == [_expected(todays)]
    assert figures.townships[0].label == "乌龙镇"
    wafang_row = villages[town["wafang"].code]
    assert (wafang_row.places_open, wafang_row.places_closed) == (1, 1)
    assert (figures.total.places_open, figures.total.places_closed) == (2, 1)
    series = {row.label: _row(row) for row in figures.series}
    yesterday = today - timedelta(days=1)
    assert series[yesterday.isoformat()] == _expected(
        [scan for scan in scene["scans"] if scan.day == yesterday]
    )
    assert len(figures.series) == 7 and figures.places == []


def test_a_village_shows_its_places(scene, hq_user, town, django_assert_max_num_queries):
    today = timezone.localdate()
    with django_assert_max_num_queries(10):
        figures = place_figures(user=hq_user, day=today, area=town["wafang"])
    rows = {row.place.pk: row for row in figures.places}
    shop_scans = [s for s in scene["scans"] if s.day == today and s.place_id == scene["shop"].pk]
    assert _row(rows[scene["shop"].pk]) == _expected(shop_scans)
    assert _row(rows[scene["market"].pk]) == (0, 0, 0)
    assert scene["pharmacy"].pk not in rows


def test_the_query_count_does_not_grow_with_places_and_scans(
    scene, hq_user, town, django_assert_max_num_queries
):
    for number in range(20):
        place = place_create(
            actor=hq_user, region=town["beiqi"], name=f"商店{number}", kind="supermarket"
        )
        scan_record(place=place, client_id=uuid.uuid4(), phone="13900000000", source="page")
    with django_assert_max_num_queries(10):
        place_figures(user=hq_user, day=timezone.localdate(), area=town["beiqi"])


def test_a_village_cadre_counts_their_village_only(scene, town):
    cadre = factories.make_user(role="village_cadre", region=town["wafang"])
    today = timezone.localdate()
    figures = place_figures(user=cadre, day=today)
    assert [row.region for row in figures.villages] == [town["wafang"]]
    wafang = [s for s in scene["scans"] if s.day == today and s.region_id == town["wafang"].pk]
    assert _row(figures.total) == _expected(wafang)


def test_each_figure_opens_the_scans_behind_it(client, scene, hq_user, town):
    today = timezone.localdate()
    login(client, hq_user)
    page = client.get(reverse("places:figures")).content.decode()
    link = (
        f"{reverse('places:scan-list')}?region={town['wafang'].code}"
        f"&amp;day={today.isoformat()}&amp;figure=entries"
    )
    assert link in page
    listed = client.get(link.replace("&amp;", "&")).content.decode()
    entries = [
        s
        for s in scene["scans"]
        if s.day == today and s.region_id == town["wafang"].pk and s.direction == "in"
    ]
    assert listed.count('data-testid="scan-row"') == len(entries)
    for scan in entries:
        if scan.phone:
            assert scan.phone not in listed and scan.phone_masked in listed


def test_the_scan_list_is_paged_by_key(client, hq_user, town):
    shop = place_create(actor=hq_user, region=town["wafang"], name="超市", kind="supermarket")
    for number in range(55):
        scan_record(place=shop, client_id=uuid.uuid4(), phone=f"1390000{number:04d}", source="page")
    login(client, hq_user)
    first = client.get(reverse("places:scan-list"), {"place": shop.pk}).context
    assert len(first["page"].items) == 50 and first["page"].has_next
    second = client.get(
        reverse("places:scan-list"), {"place": shop.pk, "after": first["page"].next_after}
    ).context
    assert len(second["page"].items) == 5


def test_the_home_page_counts_scans_places_and_checkpoints(client, scene, hq_user, town):
    checkpoint = factories.make_checkpoint(region=town["wafang"], name="瓦房卡点")
    factories.register_passage(
        checkpoint=checkpoint,
        actor=hq_user,
        plate="云A11111",
        people=[{"name": "甲"}, {"name": "乙"}],
    )
    today = timezone.localdate()
    todays = [scan for scan in scene["scans"] if scan.day == today]
    login(client, hq_user)
    page = client.get("/").content.decode()
    assert 'data-testid="home-counters"' in page
    assert f'data-testid="counter-scans">{len(todays)}<' in page
    assert f'data-testid="counter-scan-people">{_expected(todays)[2]}<' in page
    assert 'data-testid="counter-places-open">2<' in page
    assert 'data-testid="counter-places-closed">1<' in page
    assert 'data-testid="counter-passages">1<' in page
    assert 'data-testid="counter-people">2<' in page
    assert 'data-testid="counter-vehicles">1<' in page


def test_the_counters_are_for_those_who_manage_places_or_checkpoints(client, town, scene):
    grid_worker = factories.make_user(role="grid_worker", region=town["wafang_1"])
    login(client, grid_worker)
    assert 'data-testid="home-counters"' not in client.get("/", follow=True).content.decode()
    cadre = factories.make_user(role="village_cadre", region=town["wafang"])
    login(client, cadre)
    page = client.get("/").content.decode()
    assert 'data-testid="counter-scans"' in page and 'data-testid="counter-passages"' not in page
    assert 'data-testid="counter-places-open">1<' in page  # 瓦房村's only


def test_a_place_kind_is_one_of_the_list():
    assert "rented_housing" in Place.Kind.values
