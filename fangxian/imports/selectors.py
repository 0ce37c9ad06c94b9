"""Reads of imports: those in the regions where the reader may edit people, and the worker
rosters (返岗人员花名册) of the enterprises whose records the reader keeps (an enterprise's own
contact, who holds no region role, sees its roster's imports and nothing else)."""

from django.db.models import QuerySet
from django.http import Http404

from fangxian.accounts.roles import Capability
from fangxian.enterprises.models import Enterprise
from fangxian.enterprises.scope import enterprise_scoped
from fangxian.imports.models import ImportJob
from fangxian.regions.scope import scoped

EDIT_PEOPLE = Capability.EDIT_PEOPLE
KEEP = Capability.KEEP_ENTERPRISE_RECORDS


def _in_scope(queryset: QuerySet[ImportJob], user) -> QuerySet[ImportJob]:
    by_region = scoped(queryset, user, EDIT_PEOPLE)
    rosters = enterprise_scoped(
        queryset.filter(target=ImportJob.Target.WORKERS), user, KEEP, prefix="enterprise__"
    )
    return by_region | rosters


def import_list(*, user) -> QuerySet[ImportJob]:
    return _in_scope(ImportJob.objects.select_related("region", "created_by"), user)


def import_get(*, user, job_id: int) -> ImportJob:
    """One import in scope, else 404."""
    try:
        return _in_scope(ImportJob.objects.select_related("region", "enterprise"), user).get(
            pk=job_id
        )
    except ImportJob.DoesNotExist as missing:
        raise Http404 from missing


def roster_imports(*, user, enterprise: Enterprise, limit: int = 10) -> list[ImportJob]:
    """The latest imports of an enterprise's roster, newest first (its upload page lists them)."""
    jobs = import_list(user=user).filter(target=ImportJob.Target.WORKERS, enterprise=enterprise)
    return list(jobs.order_by("-id")[:limit])
