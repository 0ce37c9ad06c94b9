"""User administration pages: HQ manages accounts and roles inside its township only."""

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from fangxian.accounts.models import RoleAssignment, User
from fangxian.accounts.roles import Role
from fangxian.audit.models import AuditEntry
from tests import factories

STRONG = "Wulong-2026-town"


@pytest.fixture
def hq_client(client, hq_user):
    client.force_login(hq_user)
    return client


@pytest.fixture
def tangdan_village(town):
    township = factories.make_region(path="530113102", short_name="汤丹镇", parent=town["county"])
    return factories.make_region(path="530113102201", short_name="汤丹村", parent=township)


@pytest.fixture
def worker(town):
    return factories.make_user(role=Role.GRID_WORKER, region=town["wafang_1"], username="w1")


def _create_form(town, **overrides):
    return {
        "username": "zhaoliu",
        "full_name": "赵六",
        "phone": "13800000001",
        "unit": "瓦房村委会",
        "password": STRONG,
        "role": Role.GRID_WORKER,
        "region": town["wafang"].code,
        "working_group": "",
    } | overrides


def _messages(response):
    return [str(m) for m in get_messages(response.wsgi_request)]


def test_hq_creates_a_user_with_a_role_at_a_village(hq_client, hq_user, town):
    response = hq_client.post(reverse("accounts:user-create"), _create_form(town))
    user = User.objects.get(username="zhaoliu")
    assert response.status_code == 302
    assert response.url == reverse("accounts:user-detail", kwargs={"user_id": user.pk})
    assert user.check_password(STRONG)
    assert (user.full_name, user.phone, user.unit) == ("赵六", "13800000001", "瓦房村委会")
    assignment = user.role_assignments.get()
    assert (assignment.role, assignment.region) == (Role.GRID_WORKER, town["wafang"])
    actions = set(AuditEntry.objects.filter(actor=hq_user).values_list("object_type", flat=True))
    assert actions >= {"accounts.user", "accounts.roleassignment"}


def test_user_create_with_a_weak_password_shows_an_error_and_saves_nothing(hq_client, town):
    response = hq_client.post(
        reverse("accounts:user-create"), _create_form(town, password="12345678")
    )
    assert response.status_code == 200
    assert response.context["form"].non_field_errors()
    assert not User.objects.filter(username="zhaoliu").exists()


def test_user_create_refused_at_the_role_step_leaves_no_account_behind(hq_client, town):
    # A working group belongs to HQ roles only: the role is refused after the account was made.
    form = _create_form(town, working_group="medical")
    response = hq_client.post(reverse("accounts:user-create"), form)
    assert response.status_code == 200
    assert response.context["form"].non_field_errors()
    assert not User.objects.filter(username="zhaoliu").exists()
    assert not AuditEntry.objects.filter(object_type="accounts.user").exists()


def test_user_create_with_a_taken_username_is_refused(hq_client, town, worker):
    response = hq_client.post(reverse("accounts:user-create"), _create_form(town, username="W1"))
    assert "username" in response.context["form"].errors
    assert User.objects.filter(username__iexact="w1").count() == 1


def test_user_create_at_a_region_outside_the_scope_is_refused(hq_client, tangdan_village, town):
    response = hq_client.post(
        reverse("accounts:user-create"), _create_form(town, region=tangdan_village.code)
    )
    assert response.status_code in (200, 404)
    assert not User.objects.filter(username="zhaoliu").exists()
    assert not RoleAssignment.objects.filter(region=tangdan_village).exists()


def test_user_create_form_offers_only_regions_in_scope(hq_client, tangdan_village, town):
    choices = dict(
        hq_client.get(reverse("accounts:user-create")).context["form"]["region"].field.choices
    )
    assert town["wafang"].code in choices
    assert town["wafang_1"].code in choices
    assert tangdan_village.code not in choices
    assert town["group"].code not in choices  # roles stop at grid level


def test_hq_assigns_another_role(hq_client, town, worker):
    url = reverse("accounts:role-assign", kwargs={"user_id": worker.pk})
    response = hq_client.post(url, {"role": Role.MEDIC, "region": town["beiqi"].code})
    assert response.status_code == 302
    assert set(worker.role_assignments.values_list("role", "region__path")) == {
        (Role.GRID_WORKER, town["wafang_1"].path),
        (Role.MEDIC, town["beiqi"].path),
    }


def test_assigning_the_same_role_twice_shows_an_error(hq_client, town, worker):
    url = reverse("accounts:role-assign", kwargs={"user_id": worker.pk})
    response = hq_client.post(url, {"role": Role.GRID_WORKER, "region": town["wafang_1"].code})
    assert _messages(response)
    assert worker.role_assignments.count() == 1


def test_hq_cannot_assign_a_role_outside_its_scope(hq_client, tangdan_village, worker):
    url = reverse("accounts:role-assign", kwargs={"user_id": worker.pk})
    response = hq_client.post(url, {"role": Role.MEDIC, "region": tangdan_village.code})
    assert response.status_code in (302, 404)
    assert not RoleAssignment.objects.filter(region=tangdan_village).exists()


def test_hq_revokes_a_role(hq_client, hq_user, town, worker):
    medic = RoleAssignment.objects.create(user=worker, role=Role.MEDIC, region=town["beiqi"])
    url = reverse("accounts:role-revoke", kwargs={"user_id": worker.pk, "assignment_id": medic.pk})
    assert hq_client.post(url).status_code == 302
    assert list(worker.role_assignments.values_list("role", flat=True)) == [Role.GRID_WORKER]
    entry = AuditEntry.objects.get(action=AuditEntry.Action.DELETE)
    assert (entry.actor, entry.region, entry.detail["role"]) == (hq_user, town["beiqi"], "medic")


def test_revoke_needs_post(hq_client, worker):
    assignment = worker.role_assignments.get()
    url = reverse(
        "accounts:role-revoke", kwargs={"user_id": worker.pk, "assignment_id": assignment.pk}
    )
    assert hq_client.get(url).status_code == 405
    assert worker.role_assignments.exists()


def test_hq_cannot_revoke_a_role_held_outside_its_scope(hq_client, tangdan_village, worker):
    elsewhere = RoleAssignment.objects.create(user=worker, role=Role.MEDIC, region=tangdan_village)
    url = reverse(
        "accounts:role-revoke", kwargs={"user_id": worker.pk, "assignment_id": elsewhere.pk}
    )
    assert hq_client.post(url).status_code == 404
    assert RoleAssignment.objects.filter(pk=elsewhere.pk).exists()


def test_hq_resets_a_password(hq_client, worker):
    url = reverse("accounts:user-password", kwargs={"user_id": worker.pk})
    assert hq_client.post(url, {"password": STRONG}).status_code == 302
    worker.refresh_from_db()
    assert worker.check_password(STRONG)


@pytest.mark.parametrize("weak", ["short-1", "1234567890", "abcdefghijkl", "password123"])
def test_password_reset_refuses_a_weak_password(hq_client, worker, weak):
    url = reverse("accounts:user-password", kwargs={"user_id": worker.pk})
    response = hq_client.post(url, {"password": weak})
    assert _messages(response)
    worker.refresh_from_db()
    assert worker.check_password(factories.PASSWORD)
    assert not AuditEntry.objects.filter(action=AuditEntry.Action.UPDATE).exists()


def test_hq_updates_user_details(hq_client, worker):
    url = reverse("accounts:user-detail", kwargs={"user_id": worker.pk})
    form = {"user-full_name": "网格员甲", "user-phone": "", "user-unit": "", "user-is_active": "on"}
    assert hq_client.post(url, form).status_code == 302
    worker.refresh_from_db()
    assert worker.full_name == "网格员甲"
    entry = AuditEntry.objects.get(action=AuditEntry.Action.UPDATE)
    assert entry.changes == {"fields": ["full_name"]}


def test_user_list_shows_users_in_scope_only(hq_client, worker, tangdan_village):
    factories.make_user(role=Role.GRID_WORKER, region=tangdan_village, username="tangdan1")
    users = {u.username for u in hq_client.get(reverse("accounts:user-list")).context["page"].items}
    assert "w1" in users
    assert "tangdan1" not in users


def test_user_detail_of_a_user_outside_the_scope_is_404(hq_client, tangdan_village):
    stranger = factories.make_user(role=Role.GRID_WORKER, region=tangdan_village)
    url = reverse("accounts:user-detail", kwargs={"user_id": stranger.pk})
    assert hq_client.get(url).status_code == 404


def test_password_reset_of_a_user_outside_the_scope_is_404(hq_client, tangdan_village):
    stranger = factories.make_user(role=Role.GRID_WORKER, region=tangdan_village)
    url = reverse("accounts:user-password", kwargs={"user_id": stranger.pk})
    assert hq_client.post(url, {"password": STRONG}).status_code == 404
    stranger.refresh_from_db()
    assert stranger.check_password(factories.PASSWORD)


@pytest.mark.parametrize(
    ("name", "kwargs", "method"),
    [
        ("accounts:user-list", {}, "get"),
        ("accounts:user-create", {}, "get"),
        ("accounts:user-detail", {"user_id": None}, "get"),
        ("accounts:role-assign", {"user_id": None}, "post"),
        ("accounts:user-password", {"user_id": None}, "post"),
    ],
)
def test_grid_worker_gets_404_on_the_user_pages(client, grid_worker, worker, name, kwargs, method):
    client.force_login(grid_worker)
    url = reverse(name, kwargs={k: worker.pk for k in kwargs})
    assert getattr(client, method)(url).status_code == 404


def test_anonymous_visitor_is_sent_to_log_in(client, db):
    response = client.get(reverse("accounts:user-list"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:login"))


# --- accounts that reach beyond the manager's regions ---------------------------------------


@pytest.fixture
def county_hq_with_village_role(town):
    """A county HQ who also holds a role in 瓦房村: visible to the township HQ, not theirs to run."""
    user = factories.make_user(role=Role.HQ, region=town["county"], username="county")
    RoleAssignment.objects.create(user=user, role=Role.VILLAGE_LEADER, region=town["wafang"])
    return user


def test_township_hq_cannot_reset_the_password_of_a_county_account(
    hq_client, county_hq_with_village_role
):
    url = reverse("accounts:user-password", kwargs={"user_id": county_hq_with_village_role.pk})
    response = hq_client.post(url, {"password": "Another-2026-pass"})
    county_hq_with_village_role.refresh_from_db()
    assert response.status_code == 404
    assert county_hq_with_village_role.check_password(factories.PASSWORD)


def test_township_hq_cannot_edit_or_deactivate_a_county_account(
    hq_client, county_hq_with_village_role
):
    url = reverse("accounts:user-detail", kwargs={"user_id": county_hq_with_village_role.pk})
    response = hq_client.post(url, {"user-full_name": "改名", "user-is_active": ""})
    county_hq_with_village_role.refresh_from_db()
    assert response.status_code == 200
    assert county_hq_with_village_role.is_active
    assert county_hq_with_village_role.full_name != "改名"
    assert 'data-testid="not-manageable"' in response.content.decode()


def test_user_page_lists_only_the_roles_inside_the_viewers_regions(
    hq_client, county_hq_with_village_role
):
    url = reverse("accounts:user-detail", kwargs={"user_id": county_hq_with_village_role.pk})
    response = hq_client.get(url)
    assert [a.role for a in response.context["assignments"]] == [Role.VILLAGE_LEADER]
    assert response.context["roles_elsewhere"] == 1


def test_township_hq_cannot_touch_a_staff_account_with_a_village_role(hq_client, town):
    admin = factories.make_user(role=Role.VOLUNTEER, region=town["wafang"], username="ops")
    admin.is_staff = True
    admin.save(update_fields=["is_staff"])
    url = reverse("accounts:user-password", kwargs={"user_id": admin.pk})
    assert hq_client.post(url, {"password": "Another-2026-pass"}).status_code == 404


def test_an_account_without_roles_stays_reachable_through_its_home_region(hq_client, town):
    hq_client.post(reverse("accounts:user-create"), _create_form(town))
    user = User.objects.get(username="zhaoliu")
    assignment = user.role_assignments.get()
    hq_client.post(
        reverse("accounts:role-revoke", kwargs={"user_id": user.pk, "assignment_id": assignment.pk})
    )
    assert not user.role_assignments.exists()
    response = hq_client.get(reverse("accounts:user-detail", kwargs={"user_id": user.pk}))
    assert response.status_code == 200
    assert user in list(hq_client.get(reverse("accounts:user-list")).context["page"].items)
