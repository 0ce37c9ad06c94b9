"""The township's 日报 for a day: the web page and the .docx download."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from fangxian.accounts.decorators import capability_required
from fangxian.reports import selectors
from fangxian.reports.document import daily_document, daily_docx
from fangxian.reports.selectors import MANAGE
from fangxian.reports.views.unit import requested_day

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


@capability_required(MANAGE)
def daily_view(request: HttpRequest) -> HttpResponse:
    region = selectors.report_region(user=request.user, code=request.GET.get("region", ""))
    day = requested_day(request)
    document = daily_document(user=request.user, region=region, day=day)
    context = {
        "region": region,
        "day": day,
        "document": document,
        "regions": selectors.region_choices(user=request.user),
    }
    return render(request, "reports/daily.html", context)


@capability_required(MANAGE)
def daily_download_view(request: HttpRequest) -> HttpResponse:
    region = selectors.report_region(user=request.user, code=request.GET.get("region", ""))
    day = requested_day(request)
    document = daily_document(user=request.user, region=region, day=day)
    response = HttpResponse(daily_docx(document), content_type=DOCX)
    filename = f"daily-{region.code}-{day:%Y%m%d}.docx"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
