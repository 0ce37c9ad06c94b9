"""Sessions end after inactivity; activity pushes the end forward at most once a minute."""

import time
from datetime import timedelta

from django.contrib.sessions.models import Session
from django.urls import reverse
from django.utils import timezone

from fangxian.accounts.middleware import REFRESHED_KEY


def _session(client) -> Session:
    return Session.objects.get(session_key=client.session.session_key)


def test_a_request_after_a_minute_of_quiet_pushes_the_expiry_forward(client, grid_worker):
    client.force_login(grid_worker)
    session = client.session
    session[REFRESHED_KEY] = int(time.time()) - 120
    session.save()
    Session.objects.filter(session_key=session.session_key).update(
        expire_date=timezone.now() + timedelta(minutes=5)
    )
    client.get(reverse("people:person-list"))
    assert _session(client).expire_date > timezone.now() + timedelta(minutes=25)


def test_requests_within_a_minute_do_not_rewrite_the_session(client, grid_worker):
    client.force_login(grid_worker)
    client.get(reverse("people:person-list"))
    soon = timezone.now() + timedelta(minutes=5)
    Session.objects.filter(session_key=client.session.session_key).update(expire_date=soon)
    client.get(reverse("people:person-list"))
    assert _session(client).expire_date == soon


def test_an_idle_session_has_ended(client, grid_worker):
    client.force_login(grid_worker)
    Session.objects.filter(session_key=client.session.session_key).update(
        expire_date=timezone.now() - timedelta(seconds=1)
    )
    response = client.get(reverse("people:person-list"))
    assert response.status_code == 302
    assert reverse("accounts:login") in response.url
