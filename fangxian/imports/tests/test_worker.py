"""The real background path: a check enqueued on the database backend, run by `db_worker`."""

import pytest
from django.core.management import call_command

from fangxian.accounts.roles import Role
from fangxian.imports import services, tasks
from fangxian.imports.models import ImportJob, ImportRow
from fangxian.imports.tests.test_people_import import _number, _roster
from tests import factories


@pytest.mark.django_db(transaction=True)
def test_the_database_worker_runs_an_enqueued_check(tmp_path, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    town = factories.make_township()
    hq = factories.make_user(role=Role.HQ, region=town["town"], username="hq-worker")
    path = _roster(tmp_path / "r.xlsx", [["王芳", "女", _number(2), "", "瓦房村"]])
    job = services.import_create(actor=hq, region=town["town"], path=path, original_name="r.xlsx")
    tasks.import_check_task.enqueue(job_id=job.pk, actor_id=hq.pk)
    job.refresh_from_db()
    assert job.status == ImportJob.Status.UPLOADED  # queued, not run in this process

    call_command("db_worker", "--batch", "--no-startup-delay", "--queue-name", "*", verbosity=0)

    job.refresh_from_db()
    assert (job.status, job.progress) == (ImportJob.Status.CHECKED, 1)
    assert job.counts[ImportRow.Action.CREATE] == 1
