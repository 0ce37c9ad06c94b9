"""Account services (accounts.services), the password policy and login throttling."""

from datetime import timedelta

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from fangxian.accounts import services
from fangxian.accounts.models import RoleAssignment, User
from fangxian.accounts.passwords import MixedCharactersValidator
from fangxian.accounts.roles import ROLE_CAPABILITIES, Capability, Role, WorkingGroup
from fangxian.audit.models import AuditEntry
from tests import factories

STRONG = "Wulong-2026-town"


@pytest.fixture
def tangdan_village(town):
    township = factories.make_region(path="530113102", short_name="汤丹镇", parent=town["county"])
    return factories.make_region(path="530113102201", short_name="汤丹村", parent=township)


# --- password policy ------------------------------------------------------------------------


@pytest.mark.parametrize("password", ["abcdefghij", "1234567890", "!@#$%^&*()", "张三李四王五"])
def test_password_of_one_kind_of_character_is_refused(password):
    with pytest.raises(ValidationError) as caught:
        MixedCharactersValidator().validate(password)
    assert caught.value.error_list[0].code == "password_not_mixed"


@pytest.mark.parametrize("password", ["abcde12345", "abcde!!!!!", "12345-----", "张三2026"])
def test_password_mixing_two_kinds_is_accepted(password):
    MixedCharactersValidator().validate(password)


def test_password_validator_has_help_text():
    assert MixedCharactersValidator().get_help_text()


@pytest.mark.parametrize(
    ("password", "reason"),
    [
        ("Ab1-xyz", "shorter than 10"),
        ("abcdefghijkl", "letters only"),
        ("password123", "common"),
        ("3141592653589", "digits only"),
    ],
)
def test_password_policy_refuses(password, reason, db):
    with pytest.raises(ValidationError):
        validate_password(password)


def test_password_policy_refuses_a_password_like_the_username(db):
    with pytest.raises(ValidationError):
        validate_password("wangxiaoming1", User(username="wangxiaoming"))


def test_password_policy_accepts_a_long_mixed_password(db):
    validate_password(STRONG)


# --- users ----------------------------------------------------------------------------------


def test_user_create_sets_the_password_and_records_the_actor(hq_user, town):
    user = services.user_create(
        actor=hq_user,
        username="zhaoliu",
        password=STRONG,
        full_name="赵六",
        role=Role.GRID_WORKER,
        region=town["wafang_1"],
    )
    assert user.check_password(STRONG)
    assert user.home_region == town["wafang_1"]
    assert list(user.role_assignments.values_list("role", "region")) == [
        (Role.GRID_WORKER, town["wafang_1"].pk)
    ]
    entry = AuditEntry.objects.get(object_type="accounts.user", object_id=str(user.pk))
    assert (entry.actor, entry.action, entry.detail) == (
        hq_user,
        AuditEntry.Action.CREATE,
        {"username": "zhaoliu"},
    )


def test_user_create_with_a_weak_password_saves_nothing(hq_user, town):
    users, entries = User.objects.count(), AuditEntry.objects.count()
    with pytest.raises(ValidationError):
        services.user_create(
            actor=hq_user,
            username="zhaoliu",
            password="123",
            full_name="赵六",
            role=Role.GRID_WORKER,
            region=town["wafang_1"],
        )
    assert (User.objects.count(), AuditEntry.objects.count()) == (users, entries)


def test_user_update_records_only_the_changed_fields(hq_user, grid_worker):
    services.user_update(
        actor=hq_user, user=grid_worker, full_name="网格员甲", phone=grid_worker.phone
    )
    grid_worker.refresh_from_db()
    assert grid_worker.full_name == "网格员甲"
    assert AuditEntry.objects.get(action=AuditEntry.Action.UPDATE).changes == {
        "fields": ["full_name"]
    }


def test_user_update_without_changes_writes_nothing(hq_user, grid_worker):
    services.user_update(actor=hq_user, user=grid_worker, full_name=grid_worker.full_name)
    assert not AuditEntry.objects.filter(action=AuditEntry.Action.UPDATE).exists()


def test_user_set_password_enforces_the_policy(hq_user, grid_worker):
    with pytest.raises(ValidationError):
        services.user_set_password(actor=hq_user, user=grid_worker, password="abc")
    grid_worker.refresh_from_db()
    assert grid_worker.check_password(factories.PASSWORD)


def test_user_set_password_is_audited_without_the_password(hq_user, grid_worker):
    services.user_set_password(actor=hq_user, user=grid_worker, password=STRONG)
    entry = AuditEntry.objects.get(action=AuditEntry.Action.UPDATE)
    assert entry.changes == {"fields": ["password"]}
    assert STRONG not in str(entry.changes) + str(entry.detail)


# --- roles ----------------------------------------------------------------------------------


def test_role_assign_inside_the_scope(hq_user, grid_worker, town):
    assignment = services.role_assign(
        actor=hq_user, user=grid_worker, role=Role.MEDIC, region=town["beiqi"]
    )
    entry = AuditEntry.objects.get(object_type="accounts.roleassignment")
    assert (entry.actor, entry.region, entry.detail["role"]) == (hq_user, town["beiqi"], "medic")
    assert assignment.user == grid_worker


def test_role_assign_outside_the_scope_is_permission_denied(hq_user, grid_worker, tangdan_village):
    with pytest.raises(PermissionDenied):
        services.role_assign(
            actor=hq_user, user=grid_worker, role=Role.MEDIC, region=tangdan_village
        )
    assert not RoleAssignment.objects.filter(region=tangdan_village).exists()


def test_role_assign_by_a_user_without_manage_users_is_permission_denied(grid_worker, town):
    other = factories.make_user()
    with pytest.raises(PermissionDenied):
        services.role_assign(
            actor=grid_worker, user=other, role=Role.GRID_WORKER, region=town["wafang_1"]
        )
    assert not other.role_assignments.exists()


def test_role_assign_refuses_a_working_group_for_a_non_hq_role(hq_user, grid_worker, town):
    with pytest.raises(ValidationError):
        services.role_assign(
            actor=hq_user,
            user=grid_worker,
            role=Role.MEDIC,
            region=town["wafang"],
            working_group=WorkingGroup.MEDICAL,
        )


def test_role_assign_accepts_a_working_group_for_hq(hq_user, town):
    user = factories.make_user()
    assignment = services.role_assign(
        actor=hq_user,
        user=user,
        role=Role.HQ,
        region=town["town"],
        working_group=WorkingGroup.MEDICAL,
    )
    assert assignment.working_group == "medical"


def test_role_assign_refuses_the_same_role_twice(hq_user, grid_worker, town):
    with pytest.raises(ValidationError):
        services.role_assign(
            actor=hq_user, user=grid_worker, role=Role.GRID_WORKER, region=town["wafang_1"]
        )
    assert grid_worker.role_assignments.count() == 1


def test_role_revoke_outside_the_scope_is_permission_denied(hq_user, tangdan_village):
    user = factories.make_user(role=Role.GRID_WORKER, region=tangdan_village)
    with pytest.raises(PermissionDenied):
        services.role_revoke(actor=hq_user, assignment=user.role_assignments.get())
    assert user.role_assignments.exists()


def test_role_revoke_deletes_and_audits(hq_user, grid_worker, town):
    services.role_revoke(actor=hq_user, assignment=grid_worker.role_assignments.get())
    assert not grid_worker.role_assignments.exists()
    entry = AuditEntry.objects.get(action=AuditEntry.Action.DELETE)
    assert (entry.region, entry.detail) == (
        town["wafang_1"],
        {"user": "grid", "role": "grid_worker"},
    )


# --- roles and capabilities -----------------------------------------------------------------


def test_every_role_has_a_capability_set():
    assert set(ROLE_CAPABILITIES) == set(Role.values)
    assert all(caps <= set(Capability.ALL) for caps in ROLE_CAPABILITIES.values())


def test_only_hq_manages_users():
    assert [r for r, caps in ROLE_CAPABILITIES.items() if Capability.MANAGE_USERS in caps] == [
        Role.HQ
    ]


def test_full_pii_always_comes_with_the_masked_view():
    for caps in ROLE_CAPABILITIES.values():
        if Capability.VIEW_FULL_PII in caps or Capability.EDIT_PEOPLE in caps:
            assert Capability.VIEW_PEOPLE in caps


def test_has_capability_and_can_at(grid_worker, town):
    assert grid_worker.has_capability(Capability.VIEW_FULL_PII)
    assert not grid_worker.has_capability(Capability.MANAGE_USERS)
    assert grid_worker.can_at(Capability.EDIT_PEOPLE, town["group"])
    assert not grid_worker.can_at(Capability.EDIT_PEOPLE, town["wafang_2"])


def test_role_labels_name_region_and_role(grid_worker):
    assert len(grid_worker.role_labels) == 1
    assert grid_worker.role_labels[0].startswith("第一网格 · ")


# --- login throttling -----------------------------------------------------------------------


def _fail(username, ip="10.0.0.1", *, minutes_ago=0):
    AuditEntry.objects.create(
        action=AuditEntry.Action.LOGIN_FAILED,
        username=username,
        ip_address=ip,
        at=timezone.now() - timedelta(minutes=minutes_ago),
    )


def test_not_throttled_below_the_limit(db, settings):
    for _ in range(settings.LOGIN_FAILURE_LIMIT - 1):
        _fail("grid")
    assert not services.login_is_throttled(username="grid", ip_address="10.0.0.9")


def test_throttled_at_the_limit_for_that_username(db, settings):
    for _ in range(settings.LOGIN_FAILURE_LIMIT):
        _fail("grid")
    assert services.login_is_throttled(username="grid", ip_address="10.0.0.9")
    assert not services.login_is_throttled(username="other", ip_address="10.0.0.9")


def test_throttled_for_an_address_at_its_own_limit(db, settings):
    settings.LOGIN_FAILURE_LIMIT_PER_ADDRESS = 12
    for n in range(12):
        _fail(f"user{n}", ip="10.0.0.7")
    assert services.login_is_throttled(username="fresh", ip_address="10.0.0.7")
    assert not services.login_is_throttled(username="fresh", ip_address="10.0.0.8")


def test_failures_outside_the_window_are_forgotten(db, settings):
    for _ in range(settings.LOGIN_FAILURE_LIMIT):
        _fail("grid", minutes_ago=settings.LOGIN_FAILURE_WINDOW_MINUTES + 1)
    assert not services.login_is_throttled(username="grid", ip_address=None)
