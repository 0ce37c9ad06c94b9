"""The command dashboard (指挥大屏): the page, its data as JSON (fetched again every 60 s) and
each chart's data as .xlsx. HQ (`manage_reports`) over the region asked for; 404 outside."""

import io

from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from fangxian.accounts.decorators import capability_required
from fangxian.core.xlsx import CONTENT_TYPE, Column, write_roster
from fangxian.reports import selectors
from fangxian.reports.dashboard import dashboard_charts, dashboard_data
from fangxian.reports.selectors import MANAGE

REFRESH_SECONDS = 60


def _region(request: HttpRequest):
    return selectors.report_region(user=request.user, code=request.GET.get("region", ""))


@capability_required(MANAGE)
def dashboard_view(request: HttpRequest) -> HttpResponse:
    region = _region(request)
    data = dashboard_data(user=request.user, region=region, today=timezone.localdate())
    context = {
        "region": region,
        "regions": selectors.region_choices(user=request.user),
        "data": data,
        "refresh_seconds": REFRESH_SECONDS,
        "labels": {
            "vs_yesterday": _("vs yesterday"),
            "cumulative": _("cumulative"),
            "standing": _("standing"),
            "image": _("Image"),
            "excel": _("Excel"),
            "no_change": _("no change"),
            "missing_units": _("Not yet reported"),
            "refresh_failed": _("Refresh failed; retrying in a minute"),
            "completeness": {
                "expected": _("Units expected to report"),
                "received": _("Reports received"),
                "on_time": _("On time"),
                "late": _("Late"),
                "missing": _("Missing"),
            },
        },
    }
    return render(request, "reports/dashboard.html", context)


@capability_required(MANAGE)
def dashboard_data_view(request: HttpRequest) -> JsonResponse:
    region = _region(request)
    data = dashboard_data(user=request.user, region=region, today=timezone.localdate())
    return JsonResponse(data, json_dumps_params={"ensure_ascii": False})


@capability_required(MANAGE)
def dashboard_xlsx_view(request: HttpRequest) -> HttpResponse:
    """One chart's figures as a table (aggregated figures only, no personal data)."""
    region = _region(request)
    today = timezone.localdate()
    _summary, charts = dashboard_charts(user=request.user, region=region, today=today)
    wanted = request.GET.get("chart", "") or charts[0].name
    chart = next((c for c in charts if c.name == wanted), None)
    if chart is None:
        raise Http404
    headers, rows = chart.table()
    stream = io.BytesIO()
    write_roster(
        stream,
        title=f"{region.short_name}{chart.title}",
        unit=region.name,
        day=today,
        columns=[Column(header=headers[0], width=14), *[Column(header=h) for h in headers[1:]]],
        rows=rows,
        sheet_name=chart.title,
    )
    stream.seek(0)
    filename = f"{region.short_name}{chart.title}-{today.isoformat()}.xlsx"
    return FileResponse(stream, as_attachment=True, filename=filename, content_type=CONTENT_TYPE)
