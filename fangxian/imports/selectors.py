"""Reads of imports, limited to the regions where the reader may edit people."""

from django.db.models import QuerySet

from fangxian.imports.models import ImportJob
from fangxian.regions.scope import get_scoped_or_404, scoped

EDIT_PEOPLE = "edit_people"


def import_list(*, user) -> QuerySet[ImportJob]:
    return scoped(ImportJob.objects.select_related("region", "created_by"), user, EDIT_PEOPLE)


def import_get(*, user, job_id: int) -> ImportJob:
    return get_scoped_or_404(
        ImportJob.objects.select_related("region"), user, EDIT_PEOPLE, pk=job_id
    )
