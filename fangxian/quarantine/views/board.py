"""The HQ board (隔离管控看板): the township's (or a village's) figures today per child unit and
in total, each a link to the rows behind it; the team load (四包一) and orders without a full
team."""

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from fangxian.accounts.decorators import capability_required
from fangxian.accounts.roles import Capability
from fangxian.core.paging import keyset_page
from fangxian.quarantine import board, hq, selectors
from fangxian.quarantine.models import FeverAlert, QuarantineKind, QuarantineOrder

VIEW = Capability.VIEW_QUARANTINE

LABELS = {
    "active": gettext_lazy("In quarantine"),
    "pending": gettext_lazy("Pending"),
    "released_today": gettext_lazy("Released today"),
    "transferred_today": gettext_lazy("Transferred to hospital today"),
    "due_release_tomorrow": gettext_lazy("Due for release tomorrow"),
    "overdue_checks": gettext_lazy("Overdue checks"),
    "open_alerts": gettext_lazy("Open fever alerts"),
    "open_errands": gettext_lazy("Open errands"),
}


def figure_labels(kinds) -> dict[str, str]:
    """A label for every figure of the board, the per-kind ones included."""
    names = {kind.code: kind.name for kind in kinds}
    labels = {name: str(label) for name, label in LABELS.items()}
    for code, name in names.items():
        labels[f"{code}:active"] = _("%(kind)s: in quarantine") % {"kind": name}
        labels[f"{code}:pending"] = _("%(kind)s: pending") % {"kind": name}
    return labels


def _region(request: HttpRequest):
    region = hq.board_region(user=request.user, code=request.GET.get("region", ""))
    if region is None:
        raise Http404
    return region


@capability_required(VIEW)
def board_view(request: HttpRequest) -> HttpResponse:
    region = _region(request)
    figures = board.board(user=request.user, region=region)
    labels = figure_labels(figures.kinds)
    context = {
        "board": figures,
        "columns": [(name, labels[name]) for name in figures.names],
        "rows": [
            (row.region, [(name, row.counts[name]) for name in figures.names])
            for row in figures.rows
        ],
        "totals": [(name, labels[name], figures.totals[name]) for name in figures.names],
    }
    template = "quarantine/board.html#table" if request.htmx else "quarantine/board.html"
    return render(request, template, context)


@capability_required(VIEW)
def board_list_view(request: HttpRequest) -> HttpResponse:
    region = _region(request)
    figure = request.GET.get("figure", "active")
    rows = board.board_list(user=request.user, region=region, figure=figure)
    rows = rows.select_related("region__parent__parent")
    labels = figure_labels(QuarantineKind.objects.all())
    model = rows.model
    context = {
        "region": region,
        "figure": figure,
        "label": labels.get(figure, figure),
        "page": keyset_page(rows, after=request.GET.get("after")),
        "of_orders": model is QuarantineOrder,
        "of_alerts": model is FeverAlert,
    }
    return render(request, "quarantine/board_list.html", context)


@capability_required(VIEW)
def team_load_view(request: HttpRequest) -> HttpResponse:
    region = _region(request)
    incomplete = selectors.orders_without_full_team(user=request.user, region=region)
    context = {
        "region": region,
        "load": selectors.team_load(user=request.user, region=region),
        "page": keyset_page(incomplete, after=request.GET.get("after")),
    }
    return render(request, "quarantine/board_team_load.html", context)
