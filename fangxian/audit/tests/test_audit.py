"""The audit trail: append-only entries, login records and throttling, the operation log page."""

from datetime import datetime, timedelta

import pytest
from django.contrib.admin.sites import site
from django.db import DatabaseError, connection, transaction
from django.forms.forms import NON_FIELD_ERRORS
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from fangxian.accounts.roles import Role
from fangxian.audit.models import AppendOnlyError, AuditEntry
from fangxian.audit.services import Action, audit_record
from fangxian.people import selectors
from fangxian.regions.models import Region
from tests import factories

LOGIN_URL = reverse("accounts:login")
LOG_URL = reverse("audit:log")


@pytest.fixture
def entry(hq_user, wafang_person):
    return audit_record(actor=hq_user, action=Action.VIEW_FULL, obj=wafang_person)


# --- append-only ----------------------------------------------------------------------------


def test_saving_an_entry_again_is_refused(entry):
    entry.object_repr = "改写"
    with pytest.raises(AppendOnlyError):
        entry.save()
    entry.refresh_from_db()
    assert entry.object_repr == "张三"


def test_deleting_an_entry_is_refused(entry):
    with pytest.raises(AppendOnlyError):
        entry.delete()
    assert AuditEntry.objects.filter(pk=entry.pk).exists()


def test_queryset_update_is_refused(entry):
    with pytest.raises(AppendOnlyError):
        AuditEntry.objects.filter(pk=entry.pk).update(object_repr="改写")


def test_queryset_delete_is_refused(entry):
    with pytest.raises(AppendOnlyError):
        AuditEntry.objects.all().delete()
    assert AuditEntry.objects.count() == 1


def test_bulk_update_is_refused(entry):
    entry.object_repr = "改写"
    with pytest.raises(AppendOnlyError):
        AuditEntry.objects.bulk_update([entry], ["object_repr"])


def test_raw_sql_update_is_refused_by_the_database(entry):
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            "UPDATE audit_auditentry SET object_repr = %s WHERE id = %s", ["改写", entry.pk]
        )
    assert AuditEntry.objects.get(pk=entry.pk).object_repr == "张三"


def test_admin_refuses_add_change_and_delete(entry, django_user_model):
    admin = django_user_model.objects.create_superuser(username="root", password="x")
    request = RequestFactory().get("/")
    request.user = admin
    model_admin = site._registry[AuditEntry]
    assert not model_admin.has_add_permission(request)
    assert not model_admin.has_change_permission(request, entry)
    assert not model_admin.has_delete_permission(request, entry)


def test_admin_pages_refuse_add_change_and_delete(client, entry, django_user_model):
    admin = django_user_model.objects.create_superuser(username="root", password="x")
    client.force_login(admin)
    add = reverse("admin:audit_auditentry_add")
    change = reverse("admin:audit_auditentry_change", args=[entry.pk])
    delete = reverse("admin:audit_auditentry_delete", args=[entry.pk])
    assert client.get(add).status_code == 403
    assert client.post(change, {"object_repr": "改写"}).status_code == 403
    assert client.post(delete, {"post": "yes"}).status_code == 403
    assert AuditEntry.objects.get(pk=entry.pk).object_repr == "张三"


# --- logins ---------------------------------------------------------------------------------


def _login(client, username, password=factories.PASSWORD):
    return client.post(LOGIN_URL, {"username": username, "password": password})


def test_login_is_recorded(client, grid_worker):
    assert _login(client, "grid").status_code == 302
    entry = AuditEntry.objects.get(action=Action.LOGIN)
    assert (entry.actor, entry.username, entry.ip_address) == (grid_worker, "grid", "127.0.0.1")


def test_failed_login_is_recorded_with_the_username_tried(client, grid_worker):
    assert _login(client, "grid", "wrong-password-1").status_code == 200
    entry = AuditEntry.objects.get(action=Action.LOGIN_FAILED)
    assert (entry.actor, entry.username, entry.ip_address) == (None, "grid", "127.0.0.1")


def test_failed_login_for_an_unknown_username_is_recorded(client, db):
    _login(client, "nobody", "wrong-password-1")
    assert AuditEntry.objects.get(action=Action.LOGIN_FAILED).username == "nobody"


def test_logout_is_recorded(client, grid_worker):
    _login(client, "grid")
    client.post(reverse("accounts:logout"))
    entry = AuditEntry.objects.get(action=Action.LOGOUT)
    assert entry.actor == grid_worker


def test_login_after_the_failure_limit_is_refused_even_with_the_right_password(
    client, grid_worker, settings
):
    for _ in range(settings.LOGIN_FAILURE_LIMIT):
        _login(client, "grid", "wrong-password-1")
    response = _login(client, "grid")
    assert response.status_code == 200
    assert response.context["form"].has_error(NON_FIELD_ERRORS, "throttled")
    assert "_auth_user_id" not in client.session
    assert not AuditEntry.objects.filter(action=Action.LOGIN).exists()


def test_login_one_failure_below_the_limit_succeeds(client, grid_worker, settings):
    for _ in range(settings.LOGIN_FAILURE_LIMIT - 1):
        _login(client, "grid", "wrong-password-1")
    assert _login(client, "grid").status_code == 302


def test_attempts_while_locked_are_logged_as_refused_not_as_failures(client, grid_worker, settings):
    for _ in range(settings.LOGIN_FAILURE_LIMIT + 2):
        _login(client, "grid", "wrong-password-1")
    entries = AuditEntry.objects.filter(username="grid")
    assert entries.filter(action=Action.LOGIN_FAILED).count() == settings.LOGIN_FAILURE_LIMIT
    assert entries.filter(action=Action.LOGIN_REFUSED).count() == 2


def test_retrying_while_locked_does_not_extend_the_lock(client, grid_worker, settings):
    """Refused attempts do not count, so the lock ends one window after the last real failure."""
    started = timezone.now() - timedelta(minutes=settings.LOGIN_FAILURE_WINDOW_MINUTES + 1)
    for _ in range(settings.LOGIN_FAILURE_LIMIT):
        AuditEntry.objects.create(action=Action.LOGIN_FAILED, username="grid", at=started)
    for _ in range(10):
        AuditEntry.objects.create(action=Action.LOGIN_REFUSED, username="grid")
    assert _login(client, "grid").status_code == 302


def test_throttling_one_username_leaves_another_able_to_log_in(
    client, grid_worker, outsider, settings
):
    for _ in range(settings.LOGIN_FAILURE_LIMIT):
        _login(client, "grid", "wrong-password-1")
    assert _login(client, "outsider").status_code == 302


def test_failures_older_than_the_window_do_not_count(client, grid_worker, settings):
    long_ago = timezone.now() - timedelta(minutes=settings.LOGIN_FAILURE_WINDOW_MINUTES + 1)
    for _ in range(settings.LOGIN_FAILURE_LIMIT):
        AuditEntry.objects.create(action=Action.LOGIN_FAILED, username="grid", at=long_ago)
    assert _login(client, "grid").status_code == 302


# --- the operation log page -----------------------------------------------------------------


@pytest.fixture
def tangdan(town):
    """Another township of 东川区 (汤丹镇) with one village, one grid and one person."""
    township = factories.make_region(path="530113102", short_name="汤丹镇", parent=town["county"])
    village = factories.make_region(path="530113102201", short_name="汤丹村", parent=township)
    grid = factories.make_region(path="53011310220101", short_name="第一网格", parent=village)
    person = factories.make_person(
        region=grid, name="汤丹王二", id_number=factories.valid_id_number(sequence=777)
    )
    return {"township": township, "grid": grid, "person": person}


def _rows(response):
    return list(response.context["page"].items)


def test_hq_sees_the_operation_log(client, hq_user, grid_worker, wafang_person):
    selectors.person_full_record(user=grid_worker, person_id=wafang_person.pk)
    client.force_login(hq_user)
    response = client.get(LOG_URL)
    assert response.status_code == 200
    assert [(e.action, e.actor) for e in _rows(response)] == [(Action.VIEW_FULL, grid_worker)]


def test_operation_log_leaves_out_logins(client, hq_user, grid_worker):
    _login(client, "grid")
    client.force_login(hq_user)
    assert _rows(client.get(LOG_URL)) == []
    logins = _rows(client.get(reverse("audit:login-log")))
    assert [(e.action, e.username) for e in logins] == [
        (Action.LOGIN, "hq"),  # force_login sends user_logged_in too
        (Action.LOGIN, "grid"),
    ]


def test_operation_log_filters_by_user(client, hq_user, grid_worker, wafang_person, beiqi_person):
    selectors.person_full_record(user=grid_worker, person_id=wafang_person.pk)
    selectors.person_full_record(user=hq_user, person_id=beiqi_person.pk)
    client.force_login(hq_user)
    rows = _rows(client.get(LOG_URL, {"user": "grid"}))
    assert [e.actor for e in rows] == [grid_worker]


def test_operation_log_filters_by_full_name(client, hq_user, grid_worker, wafang_person):
    selectors.person_full_record(user=grid_worker, person_id=wafang_person.pk)
    selectors.person_full_record(user=hq_user, person_id=wafang_person.pk)
    client.force_login(hq_user)
    rows = _rows(client.get(LOG_URL, {"user": grid_worker.full_name}))
    assert [e.actor for e in rows] == [grid_worker]


def test_person_page_links_auditors_to_the_records_history(client, hq_user, wafang_person):
    client.force_login(hq_user)
    body = client.get(wafang_person.get_absolute_url()).content.decode()
    assert f"{LOG_URL}?person={wafang_person.pk}" in body


def test_operation_log_filter_by_unknown_user_shows_nothing(client, hq_user, wafang_person):
    selectors.person_full_record(user=hq_user, person_id=wafang_person.pk)
    client.force_login(hq_user)
    assert _rows(client.get(LOG_URL, {"user": "nobody"})) == []


def test_operation_log_filters_by_person(client, hq_user, wafang_person, beiqi_person):
    selectors.person_full_record(user=hq_user, person_id=wafang_person.pk)
    selectors.person_full_record(user=hq_user, person_id=beiqi_person.pk)
    client.force_login(hq_user)
    rows = _rows(client.get(LOG_URL, {"person": beiqi_person.pk}))
    assert [e.person_id for e in rows] == [beiqi_person.pk]


def test_operation_log_filters_by_date_in_local_time(client, hq_user, town, wafang_person):
    tz = timezone.get_current_timezone()
    for moment in [
        datetime(2022, 3, 31, 23, 59, tzinfo=tz),
        datetime(2022, 4, 1, 0, 0, tzinfo=tz),
        datetime(2022, 4, 2, 23, 59, tzinfo=tz),
        datetime(2022, 4, 3, 0, 0, tzinfo=tz),
    ]:
        AuditEntry.objects.create(
            action=Action.VIEW_FULL,
            actor=hq_user,
            region=town["wafang_1"],
            person_id=wafang_person.pk,
            object_repr=moment.isoformat(),
            at=moment,
        )
    client.force_login(hq_user)
    rows = _rows(client.get(LOG_URL, {"day_from": "2022-04-01", "day_to": "2022-04-02"}))
    assert sorted(e.at.astimezone(tz).strftime("%m-%d %H:%M") for e in rows) == [
        "04-01 00:00",
        "04-02 23:59",
    ]


def test_operation_log_is_404_for_a_grid_worker(client, grid_worker):
    client.force_login(grid_worker)
    assert client.get(LOG_URL).status_code == 404
    assert client.get(reverse("audit:login-log")).status_code == 404


def test_operation_log_is_visible_to_an_inspector(client, town):
    inspector = factories.make_user(role=Role.INSPECTOR, region=town["wafang"])
    client.force_login(inspector)
    assert client.get(LOG_URL).status_code == 200


def test_operation_log_leaves_out_another_townships_entries(client, hq_user, tangdan, db):
    tangdan_hq = factories.make_user(role=Role.HQ, region=tangdan["township"])
    selectors.person_full_record(user=tangdan_hq, person_id=tangdan["person"].pk)
    audit_record(actor=tangdan_hq, action=Action.UPDATE, obj=tangdan_hq)  # no region
    client.force_login(hq_user)
    response = client.get(LOG_URL)
    assert _rows(response) == []
    assert "汤丹王二" not in response.content.decode()


def test_operation_log_of_a_village_inspector_leaves_out_the_other_village(
    client, town, hq_user, wafang_person, beiqi_person
):
    inspector = factories.make_user(role=Role.INSPECTOR, region=town["wafang"])
    selectors.person_full_record(user=hq_user, person_id=wafang_person.pk)
    selectors.person_full_record(user=hq_user, person_id=beiqi_person.pk)
    client.force_login(inspector)
    response = client.get(LOG_URL)
    assert [e.person_id for e in _rows(response)] == [wafang_person.pk]
    assert "李四" not in response.content.decode()


def test_login_log_shows_logins_of_users_working_in_the_scope_only(
    client, hq_user, grid_worker, tangdan
):
    factories.make_user(role=Role.HQ, region=tangdan["township"], username="tangdan")
    _login(client, "grid")
    _login(client, "tangdan")
    client.force_login(hq_user)
    rows = _rows(client.get(reverse("audit:login-log")))
    assert {e.username for e in rows} == {"grid", "hq"}


def test_regions_outside_the_scope_are_not_named_in_the_log(client, hq_user, tangdan):
    audit_record(actor=None, action=Action.CREATE, region=Region.objects.get(path="530113102201"))
    client.force_login(hq_user)
    assert "汤丹村" not in client.get(LOG_URL).content.decode()


def test_login_log_shows_failed_logins_against_accounts_in_the_scope_only(
    client, hq_user, grid_worker, tangdan
):
    factories.make_user(role=Role.HQ, region=tangdan["township"], username="tangdan")
    _login(client, "grid", "wrong-password-1")
    _login(client, "tangdan", "wrong-password-1")
    _login(client, "nobody-here", "wrong-password-1")
    client.force_login(hq_user)
    failed = [e for e in _rows(client.get(reverse("audit:login-log"))) if e.action != Action.LOGIN]
    assert [(e.username, e.action) for e in failed] == [("grid", Action.LOGIN_FAILED)]
