"""The people list as an .xlsx roster: masked for everyone who sees the list, full for those
allowed, audited either way (people.exports)."""

import tempfile

from django.http import FileResponse, Http404, HttpRequest
from django.utils import timezone
from django.views.decorators.cache import never_cache

from fangxian.accounts.decorators import capability_required
from fangxian.accounts.roles import Capability
from fangxian.core.xlsx import CONTENT_TYPE
from fangxian.people import exports, selectors
from fangxian.regions.models import Region
from fangxian.regions.scope import get_scoped_or_404

# Small exports stay in memory; a township's whole ledger goes to a temporary file on disk.
SPOOL_BYTES = 4 * 1024 * 1024


@never_cache
@capability_required(Capability.VIEW_PEOPLE)
def person_export_view(request: HttpRequest) -> FileResponse:
    q = request.GET.get("q", "").strip()
    region = None
    if request.GET.get("region"):
        region = get_scoped_or_404(
            Region.objects.select_related("parent__parent"),
            request.user,
            code=request.GET["region"],
        )
    full = request.GET.get("full") == "1"
    # Full numbers without the right: no file at all (404, as for any page that is not theirs),
    # rather than a masked file that could pass for the full one.
    if full and not selectors.person_export_full_allowed(user=request.user, region=region):
        raise Http404
    # The row count is known only once the file is written, and the audit entry needs it: write
    # to a temporary file, audit, then send the file.
    stream = tempfile.SpooledTemporaryFile(SPOOL_BYTES)  # noqa: SIM115 (FileResponse closes it)
    try:
        export = exports.person_list_export(
            actor=request.user,
            stream=stream,
            q=q,
            region=region,
            full=full,
            day=timezone.localdate(),
        )
    except BaseException:
        stream.close()
        raise
    stream.seek(0)
    return FileResponse(
        stream, as_attachment=True, filename=export.filename, content_type=CONTENT_TYPE
    )
