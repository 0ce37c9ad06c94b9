"""The order list as .xlsx: masked for everyone who sees the list, full for those allowed."""

import tempfile

from django.http import FileResponse, Http404, HttpRequest
from django.utils import timezone
from django.views.decorators.cache import never_cache

from fangxian.accounts.decorators import capability_required
from fangxian.accounts.roles import Capability
from fangxian.core.xlsx import CONTENT_TYPE
from fangxian.quarantine.exports import order_export_full_allowed, order_list_export
from fangxian.quarantine.views.orders import list_filters

SPOOL_BYTES = 4 * 1024 * 1024


@never_cache
@capability_required(Capability.VIEW_QUARANTINE)
def order_export_view(request: HttpRequest) -> FileResponse:
    filters = list_filters(request)
    full = request.GET.get("full") == "1"
    # Full numbers without the right: no file at all, rather than a masked one that could pass
    # for the full one.
    if full and not order_export_full_allowed(user=request.user, region=filters["region"]):
        raise Http404
    stream = tempfile.SpooledTemporaryFile(SPOOL_BYTES)  # noqa: SIM115 (FileResponse closes it)
    try:
        export = order_list_export(
            actor=request.user, stream=stream, full=full, day=timezone.localdate(), **filters
        )
    except BaseException:
        stream.close()
        raise
    stream.seek(0)
    return FileResponse(
        stream, as_attachment=True, filename=export.filename, content_type=CONTENT_TYPE
    )
