"""Shared fixtures: the personas of STYLE §9 over a slice of 乌龙镇."""

import pytest

from fangxian.accounts.roles import Role
from tests import factories


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def town(db):
    return factories.make_township()


@pytest.fixture
def hq_user(town):
    return factories.make_user(role=Role.HQ, region=town["town"], username="hq", full_name="指挥部")


@pytest.fixture
def grid_worker(town):
    return factories.make_user(
        role=Role.GRID_WORKER, region=town["wafang_1"], username="grid", full_name="网格员"
    )


@pytest.fixture
def outsider(town):
    """A grid worker of another village (碑棋社区)."""
    return factories.make_user(
        role=Role.GRID_WORKER, region=town["beiqi_1"], username="outsider", full_name="外村网格员"
    )


@pytest.fixture
def wafang_person(town):
    return factories.make_person(
        region=town["wafang_1"], name="张三", id_number=factories.valid_id_number(sequence=123)
    )


@pytest.fixture
def beiqi_person(town):
    return factories.make_person(
        region=town["beiqi_1"], name="李四", id_number=factories.valid_id_number(sequence=124)
    )


def login(client, user):
    client.force_login(user)
    return client


@pytest.fixture(autouse=True)
def _tasks_run_at_once(settings):
    """Background tasks run in the request that enqueues them (the worker is tested apart)."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
