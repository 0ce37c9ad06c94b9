"""HQ reads: completeness and timeliness, the figures by village for a day or a range, and the
drill-down of a figure to the unit reports and (computed ones) to the records."""

from datetime import timedelta

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from fangxian.accounts.decorators import capability_required
from fangxian.core.paging import keyset_page
from fangxian.regions.scope import region_in_scope
from fangxian.reports import computed, selectors
from fangxian.reports.completeness import completeness
from fangxian.reports.figures import aggregate, figure_reports
from fangxian.reports.models import Indicator
from fangxian.reports.selectors import MANAGE
from fangxian.reports.views.unit import requested_day

MAX_DAYS = 92  # a quarter: ranges beyond are asked for in pieces


def _period(request: HttpRequest, default_days: int = 0):
    last = requested_day(request, "last", default=requested_day(request, "day"))
    first = requested_day(request, "first", default=last - timedelta(days=default_days))
    if first > last or (last - first).days >= MAX_DAYS:
        raise Http404
    return first, last


def _context(request: HttpRequest, default_days: int = 0) -> dict:
    region = selectors.report_region(user=request.user, code=request.GET.get("region", ""))
    first, last = _period(request, default_days)
    return {
        "region": region,
        "first": first,
        "last": last,
        "regions": selectors.region_choices(user=request.user),
    }


@capability_required(MANAGE)
def completeness_view(request: HttpRequest) -> HttpResponse:
    context = _context(request, default_days=6)
    result = completeness(
        user=request.user, region=context["region"], first=context["first"], last=context["last"]
    )
    context |= {"result": result, "chase": result.missing_or_late(context["last"])}
    return render(request, "reports/completeness.html", context)


@capability_required(MANAGE)
def figures_view(request: HttpRequest) -> HttpResponse:
    context = _context(request)
    figures = aggregate(
        user=request.user, region=context["region"], first=context["first"], last=context["last"]
    )
    context |= {
        "figures": figures,
        "rows": [
            (row.region, [(i, row.cells[i.pk]) for i in figures.indicators]) for row in figures.rows
        ],
        "totals": [(i, figures.totals[i.pk]) for i in figures.indicators],
        "first_text": f"{context['first']:%Y-%m-%d}",
        "last_text": f"{context['last']:%Y-%m-%d}",
    }
    return render(request, "reports/figures.html", context)


def _indicator(request: HttpRequest, *, computed_only: bool = False) -> Indicator:
    """The indicator asked for by its code, or the first in use (of the computed ones)."""
    indicators = Indicator.objects.filter(is_active=True)
    if computed_only:
        indicators = indicators.filter(kind=Indicator.Kind.COMPUTED)
    wanted = request.GET.get("indicator", "")
    indicator = indicators.filter(code=wanted).first() if wanted else indicators.first()
    if indicator is None:
        raise Http404
    return indicator


@capability_required(MANAGE)
def figure_units_view(request: HttpRequest) -> HttpResponse:
    context = _context(request)
    indicator = _indicator(request)
    cumulative = request.GET.get("cumulative") == "1"
    rows = figure_reports(
        user=request.user,
        region=context["region"],
        indicator=indicator,
        first=context["first"],
        last=context["last"],
        cumulative=cumulative,
    )
    context |= {
        "indicator": indicator,
        "cumulative": cumulative,
        "rows": rows,
        "computation": computed.get(indicator.computation),
    }
    return render(request, "reports/figure_units.html", context)


@capability_required(MANAGE)
def figure_records_view(request: HttpRequest) -> HttpResponse:
    """The records behind a computed figure, now (the live figure; the reports hold the
    snapshot): of an indicator (`indicator=code`) or of a computation (`key=...`, from the
    dashboard). Needs the computation's own capability over the region too."""
    context = _context(request)
    key = request.GET.get("key", "")  # the dashboard names the computation itself
    indicator = None if key else _indicator(request, computed_only=True)
    computation = computed.get(key or indicator.computation)
    region = context["region"]
    if computation is None or not region_in_scope(region, request.user, computation.capability):
        raise Http404
    rows = computation.records(region, context["first"], context["last"])
    page = keyset_page(rows.order_by("id"), after=request.GET.get("after"))
    context |= {
        "indicator": indicator,
        "title": indicator.name if indicator else computation.label,
        "which": f"indicator={indicator.code}" if indicator else f"key={computation.key}",
        "page": page,
        "lines": [computation.describe(row) for row in page.items],
    }
    return render(request, "reports/figure_records.html", context)
