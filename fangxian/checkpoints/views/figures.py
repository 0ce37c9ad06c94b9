"""Checkpoint figures for HQ (item 6 of issue 5): per checkpoint and per village or township,
for a chosen day and cumulative up to it; each figure links to the passages behind it."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from fangxian.accounts.decorators import capability_required
from fangxian.accounts.roles import Capability
from fangxian.checkpoints import selectors
from fangxian.checkpoints.views.passages import _parse_day


@capability_required(Capability.MANAGE_CHECKPOINTS)
def figures_view(request: HttpRequest) -> HttpResponse:
    day = _parse_day(request.GET.get("day", "")) or timezone.localdate()
    rows, regions = selectors.checkpoint_figures(user=request.user, day=day)
    context = {
        "day": day,
        "rows": rows,
        "regions": regions,
        "figures": selectors.FIGURE_NAMES,
    }
    return render(request, "checkpoints/figures.html", context)
