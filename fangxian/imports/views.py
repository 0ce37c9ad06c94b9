"""Upload → check (preview) → commit, and the rejected rows as Excel."""

import tempfile
from functools import wraps
from pathlib import Path

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_htmx.http import HttpResponseClientRefresh

from fangxian.accounts.decorators import capability_required
from fangxian.accounts.roles import Capability
from fangxian.audit.services import Action, audit_record
from fangxian.core.paging import keyset_page
from fangxian.enterprises.scope import has_enterprise_capability
from fangxian.enterprises.selectors import enterprise_get, enterprise_list
from fangxian.imports import rejected, selectors, services, tasks, worker_rows
from fangxian.imports.forms import FileForm, UploadForm
from fangxian.imports.headers import FIELD_SYNONYMS
from fangxian.imports.models import ImportJob, ImportRow
from fangxian.imports.reading import column_letter
from fangxian.regions.models import Region
from fangxian.regions.scope import get_scoped_or_404
from fangxian.regions.selectors import indented_region_choices


def importer_required(view):
    """Log in first; then those who edit people somewhere, or keep an enterprise's records (its
    contact imports its roster), else 404. Which jobs they reach is the selectors' business."""

    @wraps(view)
    @login_required
    def wrapped(request, *args, **kwargs):
        user = request.user
        if not (
            user.has_capability(Capability.EDIT_PEOPLE)
            or has_enterprise_capability(user, Capability.KEEP_ENTERPRISE_RECORDS)
        ):
            raise Http404
        return view(request, *args, **kwargs)

    return wrapped


def _regions(user) -> list[tuple[str, str]]:
    return indented_region_choices(
        user=user, capability=Capability.EDIT_PEOPLE, min_level=Region.Level.TOWNSHIP
    )


@capability_required(Capability.EDIT_PEOPLE)
def import_list_view(request: HttpRequest) -> HttpResponse:
    page = keyset_page(
        selectors.import_list(user=request.user), after=request.GET.get("after"), newest_first=True
    )
    return render(request, "imports/import_list.html", {"page": page})


def _enterprises(user) -> list[tuple[str, str]]:
    """Enterprises whose roster the user may import (a worker roster, 返岗人员花名册)."""
    rows = enterprise_list(user=user, capability=Capability.MANAGE_ENTERPRISES)
    return [(str(e.pk), f"{e.name} · {e.region.short_name}") for e in rows.order_by("name")[:500]]


@capability_required(Capability.EDIT_PEOPLE)
def import_upload_view(request: HttpRequest) -> HttpResponse:
    form = UploadForm(
        request.POST or None,
        request.FILES or None,
        regions=_regions(request.user),
        enterprises=_enterprises(request.user),
    )
    if request.method == "POST" and form.is_valid():
        region = get_scoped_or_404(
            Region.objects, request.user, Capability.EDIT_PEOPLE, code=form.cleaned_data["region"]
        )
        enterprise = None
        if form.cleaned_data.get("enterprise"):
            enterprise = enterprise_get(
                user=request.user,
                enterprise_id=form.cleaned_data["enterprise"],
                capability=Capability.MANAGE_ENTERPRISES,
            )
        target = ImportJob.Target.WORKERS if enterprise else ImportJob.Target.PEOPLE
        if form.cleaned_data.get("target") in (
            ImportJob.Target.ORDERS,
            ImportJob.Target.ENTERPRISES,
        ):
            target = form.cleaned_data["target"]
        try:
            job = _job_create(
                request,
                form,
                region=region,
                target=target,
                enterprise=enterprise,
                source_unit=form.cleaned_data.get("source_unit", ""),
            )
        except PermissionDenied:
            if target == ImportJob.Target.ENTERPRISES:
                form.add_error(None, _("You cannot manage the enterprises of this region."))
            else:
                form.add_error(None, _("You cannot place quarantine orders in this region."))
        except ValidationError as error:
            form.add_error(None, error)
        else:
            return redirect("imports:import-detail", job_id=job.pk)
    return render(request, "imports/import_upload.html", {"form": form})


def _job_create(request: HttpRequest, form: FileForm, **options) -> ImportJob:
    """Keep the uploaded file (services.import_create) and start its check in the background."""
    upload = form.cleaned_data["file"]
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / Path(upload.name).name
        with path.open("wb") as handle:
            for chunk in upload.chunks():
                handle.write(chunk)
        job = services.import_create(
            actor=request.user,
            path=path,
            original_name=upload.name,
            year=form.cleaned_data["year"],
            **options,
        )
    tasks.import_check_task.enqueue(job_id=job.pk, actor_id=request.user.pk)
    return job


@login_required
def roster_upload_view(request: HttpRequest, enterprise_id: int) -> HttpResponse:
    """An enterprise's roster (返岗人员花名册) from Excel, opened from its roster page: by its own
    contact, or by township staff who manage it. No other target, no other enterprise (404)."""
    enterprise = enterprise_get(user=request.user, enterprise_id=enterprise_id)
    if not worker_rows.import_allowed(actor=request.user, enterprise=enterprise):
        raise Http404
    form = FileForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            job = _job_create(
                request,
                form,
                region=enterprise.region,
                target=ImportJob.Target.WORKERS,
                enterprise=enterprise,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            return redirect("imports:import-detail", job_id=job.pk)
    context = {
        "form": form,
        "enterprise": enterprise,
        "jobs": selectors.roster_imports(user=request.user, enterprise=enterprise),
        "columns": worker_rows.TEMPLATE_COLUMNS,
    }
    return render(request, "imports/roster_upload.html", context)


@importer_required
def import_detail_view(request: HttpRequest, job_id: int) -> HttpResponse:
    job = selectors.import_get(user=request.user, job_id=job_id)
    if request.htmx and request.GET.get("progress"):
        # The progress poll: the number of rows done while working, a reload once finished.
        if not job.is_working:
            return HttpResponseClientRefresh()
        return render(request, "imports/import_detail.html#progress", {"job": job})
    context = {
        "job": job,
        "creates": services.import_preview(job=job, action=ImportRow.Action.CREATE, limit=50),
        "updates": services.import_preview(job=job, action=ImportRow.Action.UPDATE, limit=50),
        "errors": services.import_errors(job=job)[:200],
        "can_commit": job.status == ImportJob.Status.CHECKED,
        "is_orders": job.target == ImportJob.Target.ORDERS,
        "is_enterprises": job.target == ImportJob.Target.ENTERPRISES,
        "is_workers": job.target == ImportJob.Target.WORKERS,
        "can_download_rejected": request.user.can_at(Capability.VIEW_FULL_PII, job.region),
        "columns": _mapping_rows(job),
        "field_choices": FIELD_CHOICES,
    }
    return render(request, "imports/import_detail.html", context)


def _mapping_rows(job: ImportJob) -> list[dict]:
    """One row per column of the sheet: its letter, header and the field it feeds."""
    field_of = {index: field for field, index in job.mapping.items()}
    return [
        {"index": i, "letter": column_letter(i), "header": header, "field": field_of.get(i, "")}
        for i, header in enumerate(job.headers)
    ]


FIELD_CHOICES = [(field, synonyms[0]) for field, synonyms in FIELD_SYNONYMS.items()]


@importer_required
@require_POST
def import_mapping_view(request: HttpRequest, job_id: int) -> HttpResponse:
    """Check the file again with the columns the user assigned."""
    job = selectors.import_get(user=request.user, job_id=job_id)
    if job.status == ImportJob.Status.COMMITTED:
        raise Http404
    chosen = {
        int(k.removeprefix("col-")): v for k, v in request.POST.items() if k.startswith("col-")
    }
    # Every field the check had assigned is unassigned unless chosen again.
    overrides: dict[str, int | None] = dict.fromkeys(job.mapping) | {
        field: index
        for index, field in chosen.items()
        if field in FIELD_SYNONYMS and 0 <= index < len(job.headers)
    }
    job.status = ImportJob.Status.UPLOADED
    job.save(update_fields=["status"])
    tasks.import_check_task.enqueue(job_id=job.pk, actor_id=request.user.pk, mapping=overrides)
    messages.success(request, _("Checking again with your columns."))
    return redirect("imports:import-detail", job_id=job.pk)


@importer_required
@require_POST
def import_commit_view(request: HttpRequest, job_id: int) -> HttpResponse:
    job = selectors.import_get(user=request.user, job_id=job_id)
    try:
        job = services.import_commit(job=job, actor=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request, _("Saved: %(created)s created, %(updated)s updated.") % job.counts
        )
    return redirect("imports:import-detail", job_id=job.pk)


@importer_required
def import_rejected_view(request: HttpRequest, job_id: int) -> FileResponse:
    """The rows that were not imported, as they were (full ID numbers, to be fixed), with a column
    saying what is wrong: a full export, so it needs the full-data right and is audited."""
    job = selectors.import_get(user=request.user, job_id=job_id)
    if not request.user.can_at(Capability.VIEW_FULL_PII, job.region):
        raise Http404
    handle = tempfile.TemporaryFile()  # noqa: SIM115 (FileResponse closes it)
    count = rejected.write_rejected(job=job, stream=handle)
    audit_record(
        actor=request.user,
        action=Action.EXPORT,
        obj=job,
        region=job.region,
        detail={"rejected_rows": count, "full": True},
    )
    handle.seek(0)
    name = f"{Path(job.original_name).stem}-{_('rejected rows')}.xlsx"
    return FileResponse(handle, as_attachment=True, filename=name)
