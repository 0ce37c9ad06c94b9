"""The second ring runs in the background worker: it can reach a large part of a town.

Arguments are ids, not objects: the task may run in another process, later.
"""

from django_tasks import task

from fangxian.accounts.models import User
from fangxian.tracing import services


@task()
def search_second_ring_task(*, search_id: int, actor_id: int) -> None:
    try:
        services.search_second_ring(actor=User.objects.get(pk=actor_id), search_id=search_id)
    except Exception:
        services.search_second_ring_failed(search_id=search_id)  # the page stops waiting
        raise
