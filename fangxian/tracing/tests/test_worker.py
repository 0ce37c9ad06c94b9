"""The real background path: the second ring enqueued on the database backend, run by
`db_worker`."""

import pytest
from django.core.management import call_command

from fangxian.tracing import services, tasks
from fangxian.tracing.models import Search
from fangxian.tracing.tests.conftest import WINDOW


@pytest.mark.django_db(transaction=True)
def test_the_database_worker_runs_the_second_ring(settings, scenario, tracer):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    search = services.search_run(
        actor=tracer, purpose="密接排查", person=scenario.subject, window=WINDOW, days=14
    )
    services.search_second_ring_request(actor=tracer, search=search)
    tasks.search_second_ring_task.enqueue(search_id=search.pk, actor_id=tracer.pk)
    search.refresh_from_db()
    assert search.ring2_status == Search.Ring2.QUEUED  # not run in this process

    call_command("db_worker", "--batch", "--no-startup-delay", "--queue-name", "*", verbosity=0)

    search.refresh_from_db()
    assert search.ring2_status == Search.Ring2.DONE
    assert search.ring2_done == search.ring2_subjects == 6
    assert search.contacts.filter(ring=2).count() == search.ring2_count > 0
