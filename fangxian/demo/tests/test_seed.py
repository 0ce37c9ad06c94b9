"""The demo's seed for enterprises back to work, place codes, checkpoint passages and the
tracer: what a first run shows (fangxian/demo/{enterprises,places,traffic}.py)."""

import json
from collections import Counter
from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.db.models import Count, Q, Sum
from django.utils import timezone

from fangxian.accounts.models import RoleAssignment, User
from fangxian.checkpoints.models import Checkpoint, Notice, Passage, PassageCount, PassagePerson
from fangxian.demo import enterprises as demo_enterprises
from fangxian.demo import places as demo_places
from fangxian.enterprises import uscc
from fangxian.enterprises.models import (
    ApplicationEvent,
    DailyReport,
    Enterprise,
    EnterpriseMembership,
    ResumptionApplication,
    Worker,
)
from fangxian.enterprises.scope import enterprise_scoped
from fangxian.enterprises.selectors import worker_list
from fangxian.places.models import Place, Scan
from fangxian.regions.models import Region
from fangxian.screening.models import Trip
from fangxian.tracing.exposure import first_ring_in_scope

pytestmark = pytest.mark.django_db

PEOPLE = 600
Status = ResumptionApplication.Status


def run_demo(**options) -> str:
    out = StringIO()
    call_command("demo", people=PEOPLE, stdout=out, **options)
    return out.getvalue()


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"  # the applications' plan document


@pytest.fixture
def demo():
    return run_demo(as_json=True)


def test_enterprises_have_valid_codes_and_applications_at_every_stage(demo):
    township = Region.objects.get(short_name="乌龙镇")
    enterprises = Enterprise.objects.filter(region__path__startswith=township.path)
    assert enterprises.count() == len(demo_enterprises.ENTERPRISES)
    for code in enterprises.values_list("uscc", flat=True):
        assert uscc.validate(code) == code
    statuses = Counter(ResumptionApplication.objects.values_list("status", flat=True))
    assert set(statuses) == set(Status.values)
    approved = ResumptionApplication.objects.filter(status=Status.APPROVED).get()
    assert approved.conditions and approved.decided_at and approved.plan_document
    today = timezone.localdate()
    for application in ResumptionApplication.objects.filter(status=Status.REOPENED):
        assert application.reopened_on <= today
        steps = list(application.events.values_list("to_status", flat=True))
        assert steps == [Status.DRAFT, Status.SUBMITTED, Status.APPROVED, Status.REOPENED]
    sent_back = ResumptionApplication.objects.get(status=Status.RESUBMITTED)
    assert Status.CHANGES_REQUESTED in sent_back.events.values_list("to_status", flat=True)
    assert ApplicationEvent.objects.filter(at__gt=timezone.now()).count() == 0
    assert enterprises.filter(supervisor__username="supervisor").exists()


def test_rosters_link_residents_and_flag_those_from_the_key_area(demo):
    township = Region.objects.get(short_name="乌龙镇")
    workers = Worker.objects.select_related("person__region", "trip")
    assert workers.count() == sum(e.workers for e in demo_enterprises.ENTERPRISES)
    assert all(w.person.region.path.startswith(township.path) for w in workers)
    assert len({w.person_id for w in workers}) == workers.count()
    first = Enterprise.objects.get(name=demo_enterprises.ENTERPRISES[0].name)
    hq = User.objects.get(username="hq")
    flagged = worker_list(user=hq, enterprise=first, flagged=True)
    assert flagged.filter(person_category=Trip.Category.KEY_AREA).exists()
    assert flagged.count() < worker_list(user=hq, enterprise=first).count()
    trips = Trip.objects.filter(pk__in=workers.exclude(trip=None).values("trip_id"))
    assert trips.exists() and not trips.exclude(category=Trip.Category.KEY_AREA).exists()


def test_daily_reports_cover_the_past_week_with_one_missing_today(demo):
    today = timezone.localdate()
    enterprises = Enterprise.objects.count()
    by_day = dict(DailyReport.objects.values("day").annotate(n=Count("id")).values_list("day", "n"))
    assert by_day[today] == enterprises - 1
    for back in range(1, demo_enterprises.REPORT_DAYS):
        assert by_day[today - timedelta(days=back)] == enterprises
    missing = Enterprise.objects.exclude(daily_reports__day=today).get()
    assert missing.name == demo_enterprises.MISSING_TODAY
    assert not DailyReport.objects.filter(submitted_at__gt=timezone.now()).exists()
    assert DailyReport.objects.filter(review=DailyReport.Review.CONFIRMED).exists()
    assert DailyReport.objects.filter(abnormal_temperatures__gt=0).exists()


def test_the_enterprise_login_is_its_contact_without_a_region_role(demo):
    contact = User.objects.get(username="enterprise")
    assert not RoleAssignment.objects.filter(user=contact).exists()
    membership = EnterpriseMembership.objects.get(user=contact)
    assert membership.enterprise.name == demo_enterprises.ENTERPRISES[0].name
    assert contact.home_region == membership.enterprise.region
    visible = enterprise_scoped(Enterprise.objects.all(), contact, "view_enterprises")
    assert list(visible) == [membership.enterprise]
    logins = {login["username"]: login for login in json.loads(demo)["logins"]}
    assert membership.enterprise.name in logins["enterprise"]["scopes"][0]
    assert "tracer" in logins


def test_places_with_scans_of_the_past_two_weeks_and_one_closed(demo):
    places = Place.objects.select_related("region")
    assert places.count() == len(demo_places.PLACES)
    closed = places.get(is_open=False)
    assert closed.name == demo_places.CLOSED and closed.closed_reason
    assert len({p.token for p in places}) == places.count()
    assert all(len(p.token) >= 20 and p.token_issued_at for p in places)
    assert len({p.region_id for p in places}) >= 10
    scans = Scan.objects.select_related("place")
    assert 2000 < scans.count() < 20000
    today = timezone.localdate()
    for scan in scans:
        assert scan.region_id == scan.place.region_id
        assert scan.day == timezone.localdate(scan.occurred_at)
        assert today - timedelta(days=demo_places.DAYS) < scan.day <= today
    assert scans.filter(direction=Scan.Direction.OUT).count() > scans.count() / 3
    assert scans.filter(person__isnull=False, phone="").exists()  # personal codes
    assert scans.filter(person__isnull=True).exists()  # visitors outside the ledger
    assert not scans.filter(place=closed, day__gte=timezone.localdate(closed.closed_at)).exists()
    assert not scans.filter(occurred_at__gt=timezone.now()).exists()


def test_the_tracer_finds_contacts_of_the_demo_case(demo):
    case = json.loads(demo)["case"]
    tracer = User.objects.get(username="tracer")
    now = timezone.now()
    found = first_ring_in_scope(
        user=tracer,
        person_ids=[],
        phones=[case["phone"]],
        since=now - timedelta(days=7),
        until=now,
        window=timedelta(minutes=30),
    )
    places = {e.where for e in found if e.via == "place"}
    assert set(case["places"]) <= places
    assert len({e.identity for e in found}) >= len(case["places"]) * 3


def test_checkpoint_passages_keep_the_registration_invariants(demo):
    gate = Checkpoint.objects.get(mode=Checkpoint.Mode.FULL)
    station = Checkpoint.objects.get(mode=Checkpoint.Mode.EXCEPTIONS)
    passages = Passage.objects.select_related("checkpoint").annotate(
        rows=Count("people"), fevers=Count("people", filter=Q(people__fever=True))
    )
    assert 150 < passages.filter(checkpoint=gate).count() < 1000
    assert passages.filter(checkpoint=station).exists()
    for passage in passages:
        assert passage.region_id == passage.checkpoint.region_id
        assert passage.day == timezone.localdate(passage.occurred_at)
        assert (passage.people_count, passage.fever_count) == (passage.rows, passage.fevers)
    assert not passages.filter(corrects__isnull=False).exists()
    turned_back = passages.filter(decision=Passage.Decision.TURNED_BACK)
    assert turned_back.count() >= 5 and not turned_back.filter(decision_reason="").exists()
    handed = passages.get(decision=Passage.Decision.HANDED_OVER)
    assert handed.destination_region_id == gate.region_id and handed.key_area
    assert Notice.objects.filter(passage=handed, region=gate.region).exists()
    assert passages.filter(fever_count=1).exists()
    assert PassagePerson.objects.filter(fever=True).count() == 1
    counted = PassageCount.objects.filter(checkpoint=station)
    assert counted.aggregate(total=Sum("passages"))["total"] > 1000
    assert not PassageCount.objects.filter(checkpoint=gate).exists()


def test_a_rerun_draws_the_seed_again_without_doubling(demo):
    tokens = set(Place.objects.values_list("token", flat=True))
    run_demo()
    assert set(Place.objects.values_list("token", flat=True)) == tokens  # posters stay valid
    assert Enterprise.objects.count() == len(demo_enterprises.ENTERPRISES)
    assert ResumptionApplication.objects.count() == len(demo_enterprises.ENTERPRISES)
    assert EnterpriseMembership.objects.count() == 1
    assert Passage.objects.filter(decision=Passage.Decision.HANDED_OVER).count() == 1
    assert Worker.objects.count() == sum(e.workers for e in demo_enterprises.ENTERPRISES)
