"""Recording door-to-door visits (campaigns.visit_record) and the visit form on the phone."""

from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from fangxian.audit.models import AuditEntry
from fangxian.screening import selectors
from fangxian.screening.campaigns import campaign_create, visit_record
from fangxian.screening.models import Trip, Visit, VisitPerson
from tests import factories

SHANGHAI = ZoneInfo("Asia/Shanghai")
DURING = datetime(2020, 2, 3, 10, 30, tzinfo=SHANGHAI)
HOME, AWAY, RETURNED = (
    VisitPerson.Presence.HOME,
    VisitPerson.Presence.AWAY,
    VisitPerson.Presence.RETURNED,
)


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


def _record(actor, campaign, household, people=(), **fields):
    return visit_record(
        actor=actor,
        campaign=campaign,
        household=household,
        **(
            {
                "outcome": Visit.Outcome.SEEN,
                "people": list(people),
                "notes": "",
                "visited_at": DURING,
            }
            | fields
        ),
    )


# --- visit_record ---------------------------------------------------------------------------


def test_a_visit_records_each_member_and_a_trip_for_the_returnee(
    grid_worker, campaign, household, members
):
    head, sister, brother = members
    visit = _record(
        grid_worker,
        campaign,
        household,
        [
            {"person": head, "presence": HOME, "temperature": Decimal("36.5")},
            {"person": sister, "presence": AWAY, "away_at": "昆明打工"},
            {
                "person": brother,
                "presence": RETURNED,
                "returned_from": "湖北省武汉市",
                "arrived_on": date(2020, 1, 20),
                "fever": True,
            },
        ],
        notes="户口簿已核对",
    )

    rows = {row.person: row for row in visit.people.select_related("trip")}
    assert (visit.region, visit.visited_by, visit.notes) == (
        household.region,
        grid_worker,
        "户口簿已核对",
    )
    assert (rows[head].presence, rows[head].temperature, rows[head].fever) == (
        HOME,
        Decimal("36.5"),
        False,
    )
    assert (rows[sister].presence, rows[sister].away_at, rows[sister].trip) == (
        AWAY,
        "昆明打工",
        None,
    )
    trip = rows[brother].trip
    assert rows[brother].fever is True
    assert (trip.person, trip.origin_text, trip.arrived_on, trip.source) == (
        brother,
        "湖北省武汉市",
        date(2020, 1, 20),
        Trip.Source.VISIT,
    )
    assert trip.recorded_by == grid_worker


def test_a_visit_is_audited_with_the_people_it_found(grid_worker, campaign, household, members):
    head, sister, _brother = members
    visit = _record(
        grid_worker,
        campaign,
        household,
        [
            {"person": head, "presence": HOME, "temperature": Decimal("37.8")},
            {"person": sister, "presence": AWAY, "away_at": "昆明"},
        ],
    )
    entry = AuditEntry.objects.get(object_type="screening.visit")
    assert (entry.actor, entry.object_id, entry.region) == (
        grid_worker,
        str(visit.pk),
        household.region,
    )
    assert entry.detail["people"] == [head.pk, sister.pk]
    assert entry.detail["fever"] == [head.pk]
    assert entry.detail["away"] == [sister.pk]


@pytest.mark.parametrize(
    "temperature, fever", [("37.2", False), ("37.3", True), ("38.5", True), (None, False)]
)
def test_a_temperature_of_37_3_or_more_is_fever(
    grid_worker, campaign, household, members, temperature, fever
):
    value = Decimal(temperature) if temperature else None
    visit = _record(
        grid_worker, campaign, household, [{"person": members[0], "temperature": value}]
    )
    assert visit.people.get().fever is fever


def test_nobody_home_records_no_people(grid_worker, campaign, household, members):
    visit = _record(grid_worker, campaign, household, outcome=Visit.Outcome.NOBODY_HOME)
    assert visit.outcome == Visit.Outcome.NOBODY_HOME
    assert not visit.people.exists()
    with pytest.raises(ValidationError):
        _record(
            grid_worker,
            campaign,
            household,
            [{"person": members[0]}],
            outcome=Visit.Outcome.NOBODY_HOME,
        )


@pytest.mark.parametrize(
    "entry, message",
    [
        ({"presence": AWAY}, "张大户"),  # away: where?
        ({"presence": RETURNED}, "张大户"),  # back: from where?
        ({"presence": RETURNED, "returned_from": "武汉", "arrived_on": date(2020, 2, 4)}, "张大户"),
        ({"temperature": Decimal("3.7")}, "3.7"),
        ({"presence": "asleep"}, "张大户"),
    ],
)
def test_a_member_row_that_cannot_be_right_saves_nothing(
    grid_worker, campaign, household, members, entry, message
):
    with pytest.raises(ValidationError) as error:
        _record(grid_worker, campaign, household, [{"person": members[0], **entry}])
    assert message in str(error.value)
    assert not Visit.objects.exists()
    assert not Trip.objects.exists()


def test_a_trip_is_not_kept_when_a_later_member_is_refused(
    grid_worker, campaign, household, members
):
    with pytest.raises(ValidationError):
        _record(
            grid_worker,
            campaign,
            household,
            [
                {"person": members[0], "presence": RETURNED, "returned_from": "湖北省武汉市"},
                {"person": members[1], "presence": AWAY},
            ],
        )
    assert not Trip.objects.exists()


def test_a_person_of_another_household_cannot_be_recorded(grid_worker, campaign, household, town):
    neighbour = factories.make_person(region=town["wafang_1"], name="邻居")
    with pytest.raises(ValidationError):
        _record(grid_worker, campaign, household, [{"person": neighbour}])


def test_a_member_is_recorded_once_per_visit(grid_worker, campaign, household, members):
    with pytest.raises(ValidationError):
        _record(grid_worker, campaign, household, [{"person": members[0]}] * 2)


@pytest.mark.parametrize(
    "visited_at",
    [
        datetime(2020, 1, 31, 23, 59, tzinfo=SHANGHAI),
        datetime(2020, 2, 8, 0, 1, tzinfo=SHANGHAI),
    ],
)
def test_a_visit_outside_the_period_is_refused(grid_worker, campaign, household, visited_at):
    with pytest.raises(ValidationError):
        _record(grid_worker, campaign, household, visited_at=visited_at)


def test_a_visit_late_on_the_last_day_counts(grid_worker, campaign, household):
    _record(
        grid_worker, campaign, household, visited_at=datetime(2020, 2, 7, 23, 50, tzinfo=SHANGHAI)
    )
    assert not selectors.households_to_visit(user=grid_worker, campaign=campaign).exists()


def test_a_household_outside_the_campaign_is_refused(hq_user, town):
    campaign = campaign_create(
        actor=hq_user,
        name="碑棋社区排查",
        regions=[town["beiqi"]],
        starts_on=date(2020, 2, 1),
        ends_on=date(2020, 2, 7),
    )
    household = factories.make_household(region=town["wafang_1"])
    with pytest.raises(ValidationError):
        _record(hq_user, campaign, household)


def test_a_grid_worker_cannot_record_another_grids_household(grid_worker, campaign, town):
    other = factories.make_household(region=town["wafang_2"])
    with pytest.raises(PermissionDenied):
        _record(grid_worker, campaign, other)
    assert not Visit.objects.exists()


# --- the visit form -------------------------------------------------------------------------


@pytest.fixture
def open_campaign(hq_user, town):
    today = timezone.localdate()
    return campaign_create(
        actor=hq_user,
        name="本周排查",
        regions=[town["town"]],
        starts_on=today,
        ends_on=today,
    )


@pytest.fixture
def grid_client(client, grid_worker):
    client.force_login(grid_worker)
    return client


def _url(campaign, household):
    return reverse("screening:visit-create", args=[campaign.pk, household.pk])


def _post_data(members, outcome="seen", **rows):
    presence = {f"p{person.pk}-presence": "home" for person in members}
    return {"outcome": outcome, "notes": ""} | presence | rows


def test_the_form_lists_each_member(grid_client, open_campaign, household, members):
    response = grid_client.get(_url(open_campaign, household))
    body = response.content.decode()
    assert response.status_code == 200
    assert all(person.name in body for person in members)
    assert f'name="p{members[2].pk}-returned_from"' in body


def test_saving_the_form_returns_to_the_list_without_the_household(
    grid_client, open_campaign, household, members, town
):
    brother = members[2]
    data = _post_data(
        members,
        **{
            f"p{brother.pk}-presence": "returned",
            f"p{brother.pk}-returned_from": "湖北省武汉市",
            f"p{brother.pk}-arrived_on": "2020-01-20",
            f"p{brother.pk}-fever": "on",
            f"p{brother.pk}-temperature": "37.9",
        },
    )
    response = grid_client.post(_url(open_campaign, household), data, follow=True)

    list_url = reverse("screening:campaign-region", args=[open_campaign.pk, town["wafang_1"].code])
    assert response.redirect_chain == [(f"{list_url}?saved={household.pk}", 302)]
    assert f'data-draft-sent="fangxian.visit-draft.{open_campaign.pk}.{household.pk}"' in (
        response.content.decode()
    )
    body = response.content.decode()
    assert "张大户" in next(str(m) for m in response.context["messages"])
    assert _url(open_campaign, household) not in body
    row = VisitPerson.objects.get(person=brother)
    assert (row.presence, row.fever, row.temperature) == ("returned", True, Decimal("37.9"))
    assert row.trip.origin_text == "湖北省武汉市"
    assert VisitPerson.objects.count() == 3


def test_nobody_home_keeps_the_household_marked_visit_again(
    grid_client, open_campaign, household, members
):
    data = {"outcome": "nobody_home", "notes": "锁门"}  # the members' rows may be left out
    response = grid_client.post(_url(open_campaign, household), data, follow=True)
    body = response.content.decode()
    assert _url(open_campaign, household) in body
    assert 'data-testid="visit-again"' in body
    assert Visit.objects.get().outcome == Visit.Outcome.NOBODY_HOME
    assert not VisitPerson.objects.exists()


def test_a_row_with_an_error_shows_it_and_saves_nothing(
    grid_client, open_campaign, household, members
):
    sister = members[1]
    data = _post_data(members, **{f"p{sister.pk}-presence": "away"})  # away, but where?
    response = grid_client.post(_url(open_campaign, household), data)
    assert response.status_code == 200
    assert "张小妹" in response.content.decode()
    assert response.context["form"].non_field_errors()
    assert not Visit.objects.exists()


def test_a_bad_temperature_is_a_field_error(grid_client, open_campaign, household, members):
    data = _post_data(members, **{f"p{members[0].pk}-temperature": "hot"})
    response = grid_client.post(_url(open_campaign, household), data)
    assert response.status_code == 200
    assert f'data-field-error="p{members[0].pk}-temperature"' in response.content.decode()
    assert not Visit.objects.exists()


def test_grid_worker_gets_404_for_another_grids_household(
    grid_client, open_campaign, town, members
):
    other = factories.make_household(region=town["wafang_2"])
    assert grid_client.get(_url(open_campaign, other)).status_code == 404
    assert grid_client.post(_url(open_campaign, other), {"outcome": "seen"}).status_code == 404
    assert not Visit.objects.exists()


def test_outsider_gets_404_for_the_household(client, outsider, open_campaign, household):
    client.force_login(outsider)
    assert client.get(_url(open_campaign, household)).status_code == 404


def test_a_household_outside_the_campaign_is_404(grid_client, hq_user, household, town):
    today = timezone.localdate()
    beiqi_only = campaign_create(
        actor=hq_user, name="碑棋", regions=[town["beiqi"]], starts_on=today, ends_on=today
    )
    assert grid_client.get(_url(beiqi_only, household)).status_code == 404


def test_the_form_of_an_ended_campaign_says_so_and_has_no_save(
    grid_client, hq_user, town, household
):
    ended = campaign_create(
        actor=hq_user,
        name="上一轮",
        regions=[town["town"]],
        starts_on=date(2020, 2, 1),
        ends_on=date(2020, 2, 7),
    )
    body = grid_client.get(_url(ended, household)).content.decode()
    assert "2020-02-07" in body
    assert 'data-testid="save-visit"' not in body
    response = grid_client.post(_url(ended, household), {"outcome": "nobody_home"})
    assert response.status_code == 200
    assert response.context["form"].non_field_errors()
    assert not Visit.objects.exists()


def test_a_record_merged_into_another_is_not_a_member_to_visit(
    grid_client, open_campaign, household, members
):
    twin = factories.make_person(household=household, name="张大户", id_number=None)
    twin.merged_into = members[0]
    twin.save(update_fields=["merged_into"])
    response = grid_client.get(_url(open_campaign, household))
    assert [form.person for form in response.context["members"]] == members
