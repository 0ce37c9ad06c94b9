"""Region scope (regions.scope): the one place that decides what a user can see."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.http import Http404

from fangxian.accounts.models import RoleAssignment
from fangxian.accounts.roles import Capability, Role
from fangxian.people.models import Person
from fangxian.regions.models import Region
from fangxian.regions.scope import (
    get_scoped_or_404,
    region_in_scope,
    scope_q,
    scope_roots,
    scoped,
)
from tests import factories


@pytest.fixture
def people(town):
    return {
        key: factories.make_person(region=town[key], name=name)
        for key, name in [("wafang_1", "张三"), ("wafang_2", "王五"), ("beiqi_1", "李四")]
    }


def _names(user, capability=Capability.VIEW_PEOPLE):
    return sorted(p.name for p in scoped(Person.objects.all(), user, capability))


def test_grid_worker_sees_only_their_grid(grid_worker, people):
    assert _names(grid_worker) == ["张三"]


def test_hq_sees_the_whole_township(hq_user, people):
    assert _names(hq_user) == sorted(["张三", "王五", "李四"])


def test_scope_is_the_union_of_several_assignments(town, people):
    user = factories.make_user(role=Role.GRID_WORKER, region=town["wafang_1"])
    RoleAssignment.objects.create(user=user, role=Role.MEDIC, region=town["beiqi"])
    assert _names(user) == sorted(["张三", "李四"])


def test_a_role_over_a_village_covers_its_grids_and_groups(town, people):
    cadre = factories.make_user(role=Role.VILLAGE_CADRE, region=town["wafang"])
    group_person = factories.make_person(region=town["group"], name="赵六")
    assert _names(cadre) == sorted(["张三", "王五", group_person.name])


def test_superuser_is_unrestricted(people, django_user_model):
    admin = django_user_model.objects.create_superuser(username="root", password="x")
    assert _names(admin) == sorted(["张三", "王五", "李四"])
    assert region_in_scope(people["beiqi_1"].region, admin)


def test_anonymous_user_gets_nothing(people):
    assert _names(AnonymousUser()) == []
    assert not region_in_scope(people["wafang_1"].region, AnonymousUser())


def test_no_user_gets_nothing(people):
    assert _names(None) == []
    assert not region_in_scope(people["wafang_1"].region, None)


def test_user_without_roles_gets_nothing(people):
    assert _names(factories.make_user()) == []


def test_volunteer_has_no_view_people_scope(town, people):
    volunteer = factories.make_user(role=Role.VOLUNTEER, region=town["town"])
    assert _names(volunteer) == []
    assert not region_in_scope(town["wafang_1"], volunteer)
    assert list(scope_roots(volunteer)) == []


def test_scope_depends_on_the_capability_asked_for(town, people):
    staff = factories.make_user(role=Role.CHECKPOINT_STAFF, region=town["wafang"])
    assert _names(staff, Capability.VIEW_PEOPLE) == sorted(["张三", "王五"])
    assert _names(staff, Capability.VIEW_FULL_PII) == []
    assert not region_in_scope(town["wafang_1"], staff, Capability.EDIT_PEOPLE)


def test_capabilities_come_only_from_the_role_that_grants_them(town, people):
    # Full PII in 碑棋社区 (medic) but only masked lookups in 瓦房村 (checkpoint).
    user = factories.make_user(role=Role.CHECKPOINT_STAFF, region=town["wafang"])
    RoleAssignment.objects.create(user=user, role=Role.MEDIC, region=town["beiqi"])
    assert _names(user, Capability.VIEW_FULL_PII) == ["李四"]


def test_get_scoped_or_404_returns_an_object_in_scope(grid_worker, people):
    person = people["wafang_1"]
    assert get_scoped_or_404(Person.objects, grid_worker, pk=person.pk) == person


def test_get_scoped_or_404_404s_out_of_scope(grid_worker, people):
    with pytest.raises(Http404):
        get_scoped_or_404(Person.objects, grid_worker, pk=people["beiqi_1"].pk)


def test_get_scoped_or_404_404s_for_a_missing_row(grid_worker, people):
    with pytest.raises(Http404):
        get_scoped_or_404(Person.objects, grid_worker, pk=10**9)


def test_get_scoped_or_404_404s_without_the_capability(town, people):
    staff = factories.make_user(role=Role.CHECKPOINT_STAFF, region=town["wafang"])
    with pytest.raises(Http404):
        get_scoped_or_404(Person.objects, staff, Capability.VIEW_FULL_PII, pk=people["wafang_1"].pk)


def test_regions_are_scoped_by_their_own_path(grid_worker, town):
    visible = set(scoped(Region.objects.all(), grid_worker))
    assert visible == {town["wafang_1"], town["group"]}


def test_region_in_scope_covers_descendants_only(grid_worker, town):
    assert region_in_scope(town["wafang_1"], grid_worker)
    assert region_in_scope(town["group"], grid_worker)
    assert not region_in_scope(town["wafang"], grid_worker)
    assert not region_in_scope(town["wafang_2"], grid_worker)


def test_scope_roots_are_the_outermost_assigned_regions(town):
    user = factories.make_user(role=Role.GRID_WORKER, region=town["wafang_1"])
    RoleAssignment.objects.create(user=user, role=Role.VILLAGE_CADRE, region=town["wafang"])
    RoleAssignment.objects.create(user=user, role=Role.MEDIC, region=town["beiqi"])
    assert set(scope_roots(user)) == {town["wafang"], town["beiqi"]}


def test_scope_q_with_no_paths_matches_nothing(people):
    assert not Person.objects.filter(scope_q(Person, [])).exists()


def test_scope_q_drops_paths_covered_by_a_shorter_one(town, people):
    q = scope_q(Person, [town["wafang_1"].path, town["wafang"].path])
    assert len(q.children) == 1
    assert sorted(Person.objects.filter(q).values_list("name", flat=True)) == sorted(
        ["张三", "王五"]
    )
