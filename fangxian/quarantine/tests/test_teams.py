"""Teams (四包一), sites and rooms, door tokens and scope (quarantine.orders, selectors)."""

import pytest
from django.core.exceptions import ValidationError
from django.http import Http404

from fangxian.accounts.roles import ROLE_CAPABILITIES, Capability, Role
from fangxian.quarantine import selectors
from fangxian.quarantine.errands import rooms_add, site_create
from fangxian.quarantine.models import QuarantineKind, TeamMember, TeamRole
from fangxian.quarantine.orders import order_cancel
from fangxian.quarantine.teams import team_member_assign, team_member_end
from fangxian.quarantine.tests.conftest import NOW, at, resident
from tests import factories


def role(name):
    return TeamRole.objects.get(name=name)


@pytest.fixture
def order(hq_user, wafang_person):
    return factories.make_order(person=wafang_person, actor=hq_user, now=NOW)


@pytest.fixture
def full_team(hq_user, village_cadre, doctor, police, order):
    for name, user in (
        ("镇干部", hq_user),
        ("村干部", village_cadre),
        ("医生", doctor),
        ("民警", police),
    ):
        team_member_assign(actor=hq_user, order=order, team_role=role(name), user=user, now=NOW)
    return order


def test_the_default_team_is_the_four_of_sibaoyi(db):
    assert list(TeamRole.objects.values_list("name", "account_role")) == [
        ("镇干部", ""),
        ("村干部", Role.VILLAGE_CADRE),
        ("医生", Role.MEDIC),
        ("民警", Role.POLICE),
    ]


def test_only_doctors_sign_releases_and_only_hq_approves():
    signers = [r for r, caps in ROLE_CAPABILITIES.items() if Capability.SIGN_RELEASE in caps]
    approvers = [
        r for r, caps in ROLE_CAPABILITIES.items() if Capability.APPROVE_QUARANTINE in caps
    ]
    assert (signers, approvers) == ([Role.MEDIC], [Role.HQ])


def test_a_team_member_must_hold_the_role_the_team_place_asks_for(hq_user, police, order):
    with pytest.raises(ValidationError):
        team_member_assign(actor=hq_user, order=order, team_role=role("医生"), user=police, now=NOW)


def test_a_team_member_must_work_in_the_persons_area(hq_user, outsider, order):
    with pytest.raises(ValidationError):
        team_member_assign(
            actor=hq_user, order=order, team_role=role("镇干部"), user=outsider, now=NOW
        )


def test_a_replaced_member_stays_on_record(hq_user, town, doctor, order):
    other = factories.make_user(role=Role.MEDIC, region=town["wafang"], full_name="陈医生")
    team_member_assign(actor=hq_user, order=order, team_role=role("医生"), user=doctor, now=NOW)
    team_member_assign(actor=hq_user, order=order, team_role=role("医生"), user=other, now=at(4, 9))
    assert list(selectors.order_team(user=hq_user, order=order).values_list("user", flat=True)) == [
        other.pk
    ]
    assert TeamMember.objects.get(user=doctor).ended_at == at(4, 9)


def test_orders_without_a_full_team_are_listed(hq_user, full_team, beiqi_person):
    other = factories.make_order(person=beiqi_person, actor=hq_user, now=NOW)
    assert list(selectors.orders_without_full_team(user=hq_user)) == [other]
    member = TeamMember.objects.get(order=full_team, team_role__name="民警")
    team_member_end(actor=hq_user, member=member, now=at(4, 9))
    assert set(selectors.orders_without_full_team(user=hq_user)) == {full_team, other}


def test_a_team_place_hq_makes_optional_does_not_count(hq_user, full_team, beiqi_person):
    TeamRole.objects.create(name="网格员", required=False, position=9)
    assert list(selectors.orders_without_full_team(user=hq_user)) == []


def test_the_load_per_cadre_counts_orders_and_households(hq_user, village_cadre, full_team, town):
    household = factories.make_household(region=town["wafang_2"])
    for name in ("甲", "乙"):
        person = resident(household=household, name=name)
        order = factories.make_order(person=person, actor=hq_user, now=NOW)
        team_member_assign(
            actor=hq_user, order=order, team_role=role("村干部"), user=village_cadre, now=NOW
        )
    load = {
        row["user__username"]: (row["orders"], row["households"])
        for row in selectors.team_load(user=hq_user)
    }
    assert load == {"cadre": (3, 2), "hq": (1, 1), "doctor": (1, 1), "police": (1, 1)}
    assert selectors.team_load(user=hq_user)[0]["user__username"] == "cadre"


def test_the_load_leaves_out_ended_orders(hq_user, full_team):
    order_cancel(actor=hq_user, order=full_team, reason="错登", now=at(4, 9))
    assert selectors.team_load(user=hq_user) == []


def test_a_cadre_sees_the_households_they_answer_for(village_cadre, full_team, wafang_person):
    assert list(selectors.team_orders(user=village_cadre)) == [full_team]
    assert list(selectors.team_households(user=village_cadre)) == [wafang_person.household]


def test_a_team_members_round_puts_those_still_to_check_first(doctor, hq_user, full_team, town):
    from fangxian.quarantine.checks import CheckEntry, health_checks_record

    person = resident(region=town["wafang_2"], name="后查")
    second = factories.make_order(person=person, actor=hq_user, now=NOW)
    team_member_assign(actor=hq_user, order=second, team_role=role("医生"), user=doctor, now=NOW)
    health_checks_record(
        actor=doctor, entries=[CheckEntry(order=full_team, temperature="36.5")], now=at(3, 14)
    )
    rows = list(selectors.team_round(user=doctor, now=at(3, 14, 30)))
    assert [(row.pk, row.checked) for row in rows] == [(second.pk, False), (full_team.pk, True)]


# --- door token and scope --------------------------------------------------------------------


def test_the_door_token_opens_the_order_for_staff_in_scope_only(grid_worker, outsider, order):
    assert selectors.order_by_door_token(user=grid_worker, token=order.door_token) == order
    with pytest.raises(Http404):
        selectors.order_by_door_token(user=outsider, token=order.door_token)
    with pytest.raises(Http404):
        selectors.order_by_door_token(user=grid_worker, token="")


def test_volunteers_and_checkpoint_staff_see_no_orders(volunteer, town, order):
    checkpoint = factories.make_user(role=Role.CHECKPOINT_STAFF, region=town["town"])
    assert list(selectors.order_list(user=volunteer)) == []
    assert list(selectors.order_list(user=checkpoint)) == []


def test_a_renewed_token_stops_the_old_code_at_once(hq_user, grid_worker, order):
    from fangxian.quarantine.orders import order_door_token_renew

    old = order.door_token
    renewed = order_door_token_renew(actor=hq_user, order=order, reason="公示牌被拍照外传", now=NOW)
    assert renewed.door_token != old
    with pytest.raises(Http404):
        selectors.order_by_door_token(user=grid_worker, token=old)
    assert selectors.order_by_door_token(user=grid_worker, token=renewed.door_token) == order
    assert order.events.filter(action="token_renewed").exists()


def test_the_notice_names_the_period_and_whom_to_ask(hq_user, outsider, full_team):
    notice = selectors.order_notice(user=hq_user, order_id=full_team.pk)
    assert notice.order.planned_end_on == full_team.planned_end_on
    assert [m.team_role.name for m in notice.team] == ["镇干部", "村干部", "医生", "民警"]
    with pytest.raises(Http404):
        selectors.order_notice(user=outsider, order_id=full_team.pk)


def test_every_order_gets_its_own_token(hq_user, order, beiqi_person):
    other = factories.make_order(person=beiqi_person, actor=hq_user, now=NOW)
    assert order.door_token != other.door_token


# --- sites --------------------------------------------------------------------------------------


def test_site_occupancy_and_free_rooms_are_counted_by_the_database(
    hq_user, town, django_assert_num_queries
):
    site = site_create(
        actor=hq_user, region=town["town"], name="镇卫生院隔离点", rooms=["101", "102"]
    )
    rooms_add(actor=hq_user, site=site, numbers=["201"], beds=2)
    site_create(actor=hq_user, region=town["town"], name="备用点")
    rooms = {room.number: room for room in site.rooms.all()}
    people = [resident(region=town["wafang_1"], name=f"集{i}") for i in range(3)]
    for person, number in zip(people, ["101", "201", "201"], strict=True):
        factories.make_order(
            person=person, actor=hq_user, kind="centralised", room=rooms[number], now=NOW
        )
    hq_user.region_paths_for("x")
    with django_assert_num_queries(1):
        figures = {
            s.name: (s.room_count, s.beds, s.occupied, s.free_rooms)
            for s in selectors.site_occupancy(user=hq_user)
        }
    assert figures == {"镇卫生院隔离点": (3, 4, 3, 1), "备用点": (0, 0, 0, 0)}
    assert [r.number for r in selectors.free_rooms(user=hq_user, site=site)] == ["102"]


def test_a_room_number_is_not_added_twice(hq_user, town):
    site = site_create(actor=hq_user, region=town["town"], name="点", rooms=["101"])
    with pytest.raises(ValidationError):
        rooms_add(actor=hq_user, site=site, numbers=["101"])


def test_centralised_quarantine_is_the_kind_that_needs_a_room(db):
    assert list(QuarantineKind.objects.filter(needs_room=True).values_list("code", flat=True)) == [
        "centralised"
    ]
