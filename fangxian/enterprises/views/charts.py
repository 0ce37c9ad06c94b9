"""The township's live charts (实时图表): the page, and the JSON its charts load."""

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils import timezone

from fangxian.accounts.roles import Capability
from fangxian.enterprises import figures
from fangxian.enterprises.scope import enterprise_capability_required
from fangxian.enterprises.views.registry import _region_filter

VIEW = Capability.VIEW_ENTERPRISES


@enterprise_capability_required(VIEW)
def charts_view(request: HttpRequest) -> HttpResponse:
    region = _region_filter(request)
    context = {
        "region": region,
        "data_query": f"?region={region.code}" if region is not None else "",
    }
    return render(request, "enterprises/charts.html", context)


@enterprise_capability_required(VIEW)
def charts_data_view(request: HttpRequest) -> JsonResponse:
    data = figures.chart_data(
        user=request.user, today=timezone.localdate(), region=_region_filter(request)
    )
    data["as_of"] = timezone.localtime().strftime("%H:%M")
    return JsonResponse(data)
