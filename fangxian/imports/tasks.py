"""Imports run in the background worker, so a big file never holds up a web request.

Arguments are ids, not objects: the task may run in another process, later.
"""

from django_tasks import task

from fangxian.accounts.models import User
from fangxian.imports import services
from fangxian.imports.models import ImportJob


@task()
def import_check_task(*, job_id: int, actor_id: int, mapping: dict | None = None) -> None:
    job = ImportJob.objects.get(pk=job_id)
    overrides = {field: index for field, index in (mapping or {}).items()} or None
    services.import_check(job=job, actor=User.objects.get(pk=actor_id), mapping=overrides)


@task()
def import_commit_task(*, job_id: int, actor_id: int) -> None:
    job = ImportJob.objects.get(pk=job_id)
    services.import_commit(job=job, actor=User.objects.get(pk=actor_id))
