"""Screening lists as .xlsx rosters (screening.exports): the returnee register, masked for
everyone who sees the list and full for those allowed; a campaign's coverage and the households
it has not yet visited and its visits, which hold no ID numbers. Audited either way."""

import tempfile
from collections.abc import Callable

from django.http import FileResponse, Http404, HttpRequest
from django.utils import timezone
from django.views.decorators.cache import never_cache

from fangxian.accounts.decorators import capability_required
from fangxian.accounts.roles import Capability
from fangxian.core.xlsx import CONTENT_TYPE
from fangxian.people.selectors import person_export_full_allowed
from fangxian.regions.models import Region
from fangxian.regions.scope import get_scoped_or_404
from fangxian.screening import exports, selectors
from fangxian.screening.models import Trip
from fangxian.screening.views.trips import parse_since

# Small exports stay in memory; a township's whole register goes to a temporary file on disk.
SPOOL_BYTES = 4 * 1024 * 1024


def _send(write: Callable[..., exports.RosterExport], **arguments) -> FileResponse:
    """Write to a temporary file (the audit entry needs the row count, known only once the file
    is written), then send it."""
    stream = tempfile.SpooledTemporaryFile(SPOOL_BYTES)  # noqa: SIM115 (FileResponse closes it)
    try:
        export = write(stream=stream, day=timezone.localdate(), **arguments)
    except BaseException:
        stream.close()
        raise
    stream.seek(0)
    return FileResponse(
        stream, as_attachment=True, filename=export.filename, content_type=CONTENT_TYPE
    )


@never_cache
@capability_required(Capability.VIEW_PEOPLE)
def returnee_export_view(request: HttpRequest) -> FileResponse:
    category = request.GET.get("category", "")
    category = category if category in Trip.Category.values else ""
    region = None
    if request.GET.get("region"):
        region = get_scoped_or_404(
            Region.objects.select_related("parent__parent"),
            request.user,
            code=request.GET["region"],
        )
    full = request.GET.get("full") == "1"
    # Full numbers without the right: no file at all, rather than a masked one that could pass
    # for the full one.
    if full and not person_export_full_allowed(user=request.user, region=region):
        raise Http404
    return _send(
        exports.returnee_list_export,
        actor=request.user,
        category=category,
        since=parse_since(request.GET.get("since", "")),
        region=region,
        full=full,
    )


def _campaign_and_region(request: HttpRequest, campaign_id: int, code: str):
    """As the coverage page: a visible campaign, a region in scope that it covers, else 404."""
    campaign = selectors.campaign_get(user=request.user, campaign_id=campaign_id)
    region = get_scoped_or_404(
        Region.objects.select_related("parent__parent"),
        request.user,
        selectors.SCREENING,
        code=code,
    )
    if not selectors.campaign_covers(campaign=campaign, region=region):
        raise Http404
    return campaign, region


@never_cache
@capability_required(selectors.SCREENING)
def coverage_export_view(request: HttpRequest, campaign_id: int, code: str) -> FileResponse:
    campaign, region = _campaign_and_region(request, campaign_id, code)
    return _send(exports.coverage_export, actor=request.user, campaign=campaign, region=region)


@never_cache
@capability_required(selectors.SCREENING)
def to_visit_export_view(request: HttpRequest, campaign_id: int, code: str) -> FileResponse:
    campaign, region = _campaign_and_region(request, campaign_id, code)
    return _send(exports.to_visit_export, actor=request.user, campaign=campaign, region=region)


@never_cache
@capability_required(selectors.SCREENING)
def visit_export_view(request: HttpRequest, campaign_id: int, code: str) -> FileResponse:
    campaign, region = _campaign_and_region(request, campaign_id, code)
    return _send(exports.visit_list_export, actor=request.user, campaign=campaign, region=region)
