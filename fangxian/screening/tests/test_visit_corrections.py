"""Correcting a saved visit (campaigns.visit_correct) and its page, reached from the visits list."""

import re
from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from fangxian.accounts.roles import Role
from fangxian.audit.models import AuditEntry
from fangxian.screening import selectors
from fangxian.screening.campaigns import campaign_create, visit_correct, visit_record
from fangxian.screening.models import Trip, Visit, VisitPerson
from tests import factories

SHANGHAI = ZoneInfo("Asia/Shanghai")
DURING = datetime(2020, 2, 3, 10, 30, tzinfo=SHANGHAI)
OPEN_DAY, AFTER_END = date(2020, 2, 4), date(2020, 2, 8)
HOME, AWAY, RETURNED = "home", "away", "returned"


@pytest.fixture
def campaign(hq_user, town):
    return campaign_create(
        actor=hq_user,
        name="第一轮拉网排查",
        regions=[town["town"]],
        starts_on=date(2020, 2, 1),
        ends_on=date(2020, 2, 7),
    )


@pytest.fixture
def household(town):
    return factories.make_household(region=town["wafang_1"], head_name="张大户")


@pytest.fixture
def members(household):
    return [
        factories.make_person(household=household, name=name, id_number=None)
        for name in ("张大户", "张小妹", "张小弟")
    ]


def _rows(members, **presence):
    """One row per member, at home unless `presence` names them (by index: p0, p1, p2)."""
    return [
        {"person": person, "presence": HOME} | presence.get(f"p{index}", {})
        for index, person in enumerate(members)
    ]


@pytest.fixture
def visit(grid_worker, campaign, household, members):
    return visit_record(
        actor=grid_worker,
        campaign=campaign,
        household=household,
        outcome=Visit.Outcome.SEEN,
        people=_rows(
            members,
            p2={
                "presence": RETURNED,
                "returned_from": "湖北省武汉市",
                "arrived_on": date(2020, 1, 20),
            },
        ),
        visited_at=DURING,
    )


def _correct(actor, visit, members, today=OPEN_DAY, outcome=Visit.Outcome.SEEN, **rows):
    people = _rows(members, **rows) if outcome == Visit.Outcome.SEEN else []
    return visit_correct(
        actor=actor, visit=visit, outcome=outcome, people=people, notes="", today=today
    )


# --- the service ------------------------------------------------------------------------------


def test_the_recorder_corrects_a_member_and_the_audit_has_before_and_after(
    grid_worker, visit, members
):
    sister = members[1]
    _correct(
        grid_worker,
        visit,
        members,
        p1={"presence": AWAY, "away_at": "昆明打工"},
        p2={"presence": RETURNED, "returned_from": "湖北省武汉市", "arrived_on": date(2020, 1, 20)},
    )

    row = VisitPerson.objects.get(visit=visit, person=sister)
    assert (row.presence, row.away_at) == (AWAY, "昆明打工")
    entry = AuditEntry.objects.filter(object_type="screening.visit", action="update").get()
    assert entry.changes == {
        f"p{sister.pk}.presence": [HOME, AWAY],
        f"p{sister.pk}.away_at": ["", "昆明打工"],
    }
    assert entry.actor == grid_worker


def test_a_correction_that_changes_nothing_writes_nothing(grid_worker, visit, members):
    before = AuditEntry.objects.count()
    _correct(
        grid_worker,
        visit,
        members,
        p2={"presence": RETURNED, "returned_from": "湖北省武汉市", "arrived_on": date(2020, 1, 20)},
    )
    assert AuditEntry.objects.count() == before


def test_a_member_no_longer_back_loses_the_trip_the_visit_recorded(grid_worker, visit, members):
    trip = Trip.objects.get(person=members[2])
    _correct(grid_worker, visit, members)  # everybody at home after all

    assert not Trip.objects.filter(pk=trip.pk).exists()
    assert VisitPerson.objects.get(visit=visit, person=members[2]).trip is None
    deleted = AuditEntry.objects.get(object_type="screening.trip", action="delete")
    assert deleted.person_id == members[2].pk


def test_a_corrected_origin_reclassifies_the_same_trip(hq_user, grid_worker, visit, members, town):
    trip = Trip.objects.get(person=members[2])
    assert trip.origin_code == "4201"
    _correct(
        grid_worker,
        visit,
        members,
        p2={"presence": RETURNED, "returned_from": "广东深圳", "arrived_on": date(2020, 1, 22)},
    )
    trip.refresh_from_db()
    assert (trip.origin_text, trip.origin_code, trip.arrived_on) == (
        "广东深圳",
        "4403",
        date(2020, 1, 22),
    )
    assert trip.category == Trip.Category.OUT_OF_PROVINCE
    assert Trip.objects.filter(person=members[2]).count() == 1


def test_a_member_found_back_at_the_correction_gets_a_trip(grid_worker, visit, members):
    _correct(
        grid_worker,
        visit,
        members,
        p0={"presence": RETURNED, "returned_from": "湖北省", "arrived_on": date(2020, 1, 25)},
        p2={"presence": RETURNED, "returned_from": "湖北省武汉市", "arrived_on": date(2020, 1, 20)},
    )
    row = VisitPerson.objects.get(visit=visit, person=members[0])
    assert row.trip.origin_text == "湖北省"
    assert row.trip.source == Trip.Source.VISIT


def test_a_temperature_corrected_to_37_3_sets_fever(grid_worker, visit, members):
    _correct(
        grid_worker,
        visit,
        members,
        p0={"temperature": Decimal("37.3")},
        p2={"presence": RETURNED, "returned_from": "湖北省武汉市", "arrived_on": date(2020, 1, 20)},
    )
    row = VisitPerson.objects.get(visit=visit, person=members[0])
    assert (row.fever, row.temperature) == (True, Decimal("37.3"))


def test_seen_corrected_to_nobody_home_puts_the_household_back_on_the_list(
    grid_worker, hq_user, visit, members, campaign, household, town
):
    _correct(grid_worker, visit, members, outcome=Visit.Outcome.NOBODY_HOME)

    visit.refresh_from_db()
    assert visit.outcome == Visit.Outcome.NOBODY_HOME
    assert not VisitPerson.objects.filter(visit=visit).exists()
    assert not Trip.objects.exists()
    to_visit = selectors.households_to_visit(user=hq_user, campaign=campaign)
    assert list(to_visit) == [household]
    assert to_visit.get().visit_again


def test_a_corrected_visit_still_counts_its_household_once(
    grid_worker, hq_user, visit, members, campaign, town
):
    factories.make_household(region=town["wafang_1"], head_name="李家")
    _correct(grid_worker, visit, members, p1={"presence": AWAY, "away_at": "昆明"})
    _correct(grid_worker, visit, members, p1={"presence": HOME})

    figures = selectors.coverage(campaign=campaign, user=hq_user, region=town["wafang_1"])
    assert (figures.visited, figures.total) == (1, 2)
    assert Visit.objects.count() == 1


def test_an_error_in_a_row_saves_nothing(grid_worker, visit, members):
    with pytest.raises(ValidationError) as error:
        _correct(grid_worker, visit, members, p1={"presence": AWAY})  # away, but where?
    assert "张小妹" in str(error.value)
    assert VisitPerson.objects.get(visit=visit, person=members[1]).presence == HOME
    assert Trip.objects.count() == 1


def test_a_refused_row_leaves_the_returnees_trip_alone(grid_worker, visit, members):
    """The whole correction commits or nothing does: a refused row does not let the other rows'
    changes (here: the returnee now at home, which would delete the trip) through."""
    with pytest.raises(ValidationError):
        _correct(grid_worker, visit, members, p1={"temperature": Decimal("50")})
    assert Trip.objects.filter(person=members[2]).exists()
    assert VisitPerson.objects.get(visit=visit, person=members[2]).presence == RETURNED


def test_another_worker_of_the_grid_cannot_correct(town, visit, members):
    colleague = factories.make_user(role=Role.GRID_WORKER, region=town["wafang_1"])
    with pytest.raises(PermissionDenied):
        _correct(colleague, visit, members)


def test_the_recorder_cannot_correct_after_the_campaign_ended(grid_worker, visit, members):
    with pytest.raises(PermissionDenied):
        _correct(grid_worker, visit, members, today=AFTER_END)


def test_hq_corrects_after_the_campaign_ended(hq_user, visit, members):
    _correct(hq_user, visit, members, today=AFTER_END, p1={"presence": AWAY, "away_at": "昆明"})
    assert VisitPerson.objects.get(visit=visit, person=members[1]).presence == AWAY


def test_a_member_found_at_the_visit_who_moved_out_can_stay_on_it(
    grid_worker, visit, members, town
):
    elsewhere = factories.make_household(region=town["wafang_1"])
    members[1].household = elsewhere
    members[1].save(update_fields=["household"])
    _correct(
        grid_worker,
        visit,
        members,
        p1={"presence": AWAY, "away_at": "昆明"},
        p2={"presence": RETURNED, "returned_from": "湖北省武汉市", "arrived_on": date(2020, 1, 20)},
    )
    assert VisitPerson.objects.get(visit=visit, person=members[1]).presence == AWAY


def test_a_person_of_another_household_cannot_be_added(grid_worker, visit, members, town):
    stranger = factories.make_person(region=town["wafang_1"], name="路人", id_number=None)
    with pytest.raises(ValidationError):
        _correct(grid_worker, visit, [*members, stranger])


# --- the pages --------------------------------------------------------------------------------


@pytest.fixture
def open_campaign(hq_user, town):
    today = timezone.localdate()
    return campaign_create(
        actor=hq_user, name="本周排查", regions=[town["town"]], starts_on=today, ends_on=today
    )


@pytest.fixture
def open_visit(grid_worker, open_campaign, household, members):
    return visit_record(
        actor=grid_worker,
        campaign=open_campaign,
        household=household,
        outcome=Visit.Outcome.SEEN,
        people=_rows(members, p1={"presence": AWAY, "away_at": "昆明打工"}),
        notes="户口簿已核对",
    )


def _edit_url(visit):
    return reverse("screening:visit-edit", args=[visit.campaign_id, visit.pk])


def _post_data(members, **rows):
    return (
        {"outcome": "seen", "notes": "户口簿已核对"}
        | {f"p{person.pk}-presence": "home" for person in members}
        | rows
    )


def test_the_form_opens_filled_in_with_what_was_saved(client, grid_worker, open_visit, members):
    client.force_login(grid_worker)
    response = client.get(_edit_url(open_visit))
    body = response.content.decode()
    assert response.status_code == 200
    assert 'value="昆明打工"' in body
    assert "户口簿已核对" in body
    assert re.search(rf'name="p{members[1].pk}-presence" value="away"[^>]*checked', body)
    assert 'data-testid="save-visit"' in body
    assert "data-draft-key" not in body  # drafts are for new visits only


def test_saving_the_form_corrects_the_visit_and_returns_to_the_visits(
    client, grid_worker, open_visit, members, town
):
    client.force_login(grid_worker)
    data = _post_data(members, **{f"p{members[0].pk}-temperature": "38.2"})
    response = client.post(_edit_url(open_visit), data, follow=True)

    list_url = reverse("screening:visit-list", args=[open_visit.campaign_id, town["wafang_1"].code])
    assert response.redirect_chain == [(list_url, 302)]
    assert "张大户" in next(str(m) for m in response.context["messages"])
    assert VisitPerson.objects.get(visit=open_visit, person=members[1]).presence == HOME
    assert VisitPerson.objects.get(visit=open_visit, person=members[0]).fever is True
    assert Visit.objects.count() == 1


def test_a_row_with_an_error_shows_it_and_saves_nothing(client, grid_worker, open_visit, members):
    client.force_login(grid_worker)
    data = _post_data(members, **{f"p{members[2].pk}-presence": "returned"})  # from where?
    response = client.post(_edit_url(open_visit), data)
    assert response.status_code == 200
    assert "张小弟" in str(response.context["form"].non_field_errors())
    assert VisitPerson.objects.get(visit=open_visit, person=members[1]).presence == AWAY


def test_a_colleague_sees_the_visit_read_only_and_cannot_post(client, town, open_visit, members):
    colleague = factories.make_user(role=Role.GRID_WORKER, region=town["wafang_1"])
    client.force_login(colleague)
    body = client.get(_edit_url(open_visit)).content.decode()
    assert 'data-testid="not-correctable"' in body
    assert 'data-testid="save-visit"' not in body
    response = client.post(_edit_url(open_visit), _post_data(members))
    assert response.status_code == 200
    assert response.context["form"].non_field_errors()
    assert VisitPerson.objects.get(visit=open_visit, person=members[1]).presence == AWAY


def test_hq_may_correct_the_visit(client, hq_user, open_visit, members):
    client.force_login(hq_user)
    response = client.post(_edit_url(open_visit), _post_data(members))
    assert response.status_code == 302
    assert VisitPerson.objects.get(visit=open_visit, person=members[1]).presence == HOME


def test_outsider_gets_404_for_the_visit(client, outsider, open_visit, members):
    client.force_login(outsider)
    assert client.get(_edit_url(open_visit)).status_code == 404
    assert client.post(_edit_url(open_visit), _post_data(members)).status_code == 404
    assert VisitPerson.objects.get(visit=open_visit, person=members[1]).presence == AWAY


def test_a_visit_under_another_campaigns_url_is_404(client, grid_worker, hq_user, open_visit, town):
    other = campaign_create(
        actor=hq_user,
        name="另一轮",
        regions=[town["town"]],
        starts_on=timezone.localdate(),
        ends_on=timezone.localdate(),
    )
    client.force_login(grid_worker)
    url = reverse("screening:visit-edit", args=[other.pk, open_visit.pk])
    assert client.get(url).status_code == 404


def test_the_visits_list_links_each_visit_to_its_correction(client, grid_worker, open_visit, town):
    client.force_login(grid_worker)
    coverage = client.get(
        reverse("screening:campaign-region", args=[open_visit.campaign_id, town["wafang_1"].code])
    ).content.decode()
    list_url = reverse("screening:visit-list", args=[open_visit.campaign_id, town["wafang_1"].code])
    assert list_url in coverage
    body = client.get(list_url).content.decode()
    assert "张大户" in body
    assert _edit_url(open_visit) in body


def test_the_visits_list_of_another_village_is_404(client, grid_worker, open_visit, town):
    client.force_login(grid_worker)
    url = reverse("screening:visit-list", args=[open_visit.campaign_id, town["beiqi_1"].code])
    assert client.get(url).status_code == 404


def test_the_visit_form_of_a_visited_household_links_to_its_visit(
    client, grid_worker, open_visit, household
):
    client.force_login(grid_worker)
    url = reverse("screening:visit-create", args=[open_visit.campaign_id, household.pk])
    body = client.get(url).content.decode()
    assert 'data-testid="earlier-visit"' in body
    assert _edit_url(open_visit) in body
