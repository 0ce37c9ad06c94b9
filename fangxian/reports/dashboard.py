"""The command dashboard (指挥大屏): everything it draws, as plain data (JSON for the page, rows
for the Excel download of each chart).

Computed figures come from the roll-up (`rollup.py`): one GROUP BY (path, key) for today,
yesterday and the cumulative figures per child unit, one GROUP BY (key, day) for the trends.
Live states that have no day (orders waiting for approval, fever alerts not yet resolved) are
counted on their tables through their (region, status) indexes; reporting completeness comes
from `completeness.day_summary`. About ten queries in all, whatever the number of villages and days.

Charts are described here once (`Chart`: categories, series, the list behind each point) and
drawn by static/reports/dashboard.js; the Excel download writes the same table. Aggregated
figures only: no personal data ever reaches the dashboard.
"""

from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any
from urllib.parse import urlencode

from django.db.models import Count, Q, Sum
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from fangxian.quarantine.models import FeverAlert, QuarantineOrder
from fangxian.regions.models import Region
from fangxian.regions.scope import scoped
from fangxian.reports import computed
from fangxian.reports.completeness import day_summary
from fangxian.reports.models import Indicator
from fangxian.reports.rollup import child_of, refreshed_as_of, rows_under
from fangxian.reports.selectors import MANAGE

TREND_DAYS = 30
TRAFFIC = ["checkpoints.people", "checkpoints.vehicles", "places.scans", "places.people"]
SCREENING = [
    "screening.returnees.all",
    "screening.returnees.key_area",
    "screening.people_screened",
    "quarantine.fever_alerts",
    "checkpoints.fevers",
]
STANDING = [
    "quarantine.standing.home",
    "quarantine.standing.centralised",
    "quarantine.standing.home_monitoring",
]
CHECKPOINTS = [
    "checkpoints.people",
    "checkpoints.vehicles",
    "checkpoints.turned_back",
    "checkpoints.handed_over",
    "checkpoints.fevers",
]
BY_REGION_PEOPLE = ["screening.returnees.all", "screening.people_screened", *STANDING]
BY_REGION_TRAFFIC = ["checkpoints.people", "checkpoints.turned_back", "places.scans"]


@dataclass
class Series:
    name: str
    data: list[int]
    url: str  # the list behind the series; a point adds its chart's `points[i]` to the query
    stack: str = ""


@dataclass
class Chart:
    name: str  # the chart's id (the Excel download asks for it)
    title: str
    kind: str  # "line", "bar" or "pie"
    category_header: str
    categories: list[str]
    points: list[str] = field(default_factory=list)  # per category, what it adds to the query
    series: list[Series] = field(default_factory=list)
    horizontal: bool = False

    def as_json(self, region: Region) -> dict[str, Any]:
        query = urlencode({"chart": self.name, "region": region.code})
        return {
            "name": self.name,
            "title": self.title,
            "kind": self.kind,
            "horizontal": self.horizontal,
            "categories": self.categories,
            "points": self.points,
            "series": [s.__dict__ for s in self.series],
            "xlsx": f"{reverse('reports:dashboard-xlsx')}?{query}",
        }

    def table(self) -> tuple[list[str], list[list[Any]]]:
        """Headers and rows of the Excel download: one row per category, one column per series."""
        headers = [self.category_header, *[s.name for s in self.series]]
        rows = [
            [category, *[s.data[i] for s in self.series]]
            for i, category in enumerate(self.categories)
        ]
        return headers, rows


@dataclass
class Figures:
    """Values by key from the roll-up: the region's total and each child's."""

    today: dict[str, int] = field(default_factory=dict)
    yesterday: dict[str, int] = field(default_factory=dict)
    cumulative: dict[str, int] = field(default_factory=dict)
    by_child: dict[str, dict[str, int]] = field(default_factory=dict)  # path -> key -> today
    trend: dict[tuple[str, date], int] = field(default_factory=dict)


def _records_url(key: str = "", region: Region | None = None, first=None, last=None) -> str:
    """The records behind a figure (`reports:figure-records`): what is given goes in the query;
    a chart's point adds the rest (its day, or its unit)."""
    query = {"key": key, "region": region.code if region else "", "first": first, "last": last}
    given = urlencode({k: f"{v}" for k, v in query.items() if v})
    return f"{reverse('reports:figure-records')}?{given}"


def _day(on: date) -> str:
    return urlencode({"first": on.isoformat(), "last": on.isoformat()})


def _url(name: str, **params: str) -> str:
    return f"{reverse(name)}?{urlencode(params)}"


def _label(key: str) -> str:
    computation = computed.get(key)
    return str(computation.label) if computation is not None else key


def _read_figures(region: Region, children: list[Region], today: date) -> Figures:
    """Two GROUP BYs over the roll-up under `region`."""
    yesterday = today - timedelta(days=1)
    level = {c.key for c in computed.computations() if c.semantics == computed.LEVEL}
    child_length = Region.PATH_LENGTH.get(region.level + 1, 0)
    figures = Figures(by_child={child.path: {} for child in children})
    grouped = (
        rows_under(region)
        .filter(day__lte=today)
        .values("path", "key")
        .annotate(
            on_today=Sum("value", filter=Q(day=today)),
            on_yesterday=Sum("value", filter=Q(day=yesterday)),
            up_to=Sum("value"),
        )
        .order_by()
    )
    for group in grouped:
        key = group["key"]
        on_today, on_yesterday = group["on_today"] or 0, group["on_yesterday"] or 0
        figures.today[key] = figures.today.get(key, 0) + on_today
        figures.yesterday[key] = figures.yesterday.get(key, 0) + on_yesterday
        up_to = on_today if key in level else group["up_to"] or 0
        figures.cumulative[key] = figures.cumulative.get(key, 0) + up_to
        child = child_of(group["path"], child_length, figures.by_child)
        if child is not None:
            child[key] = child.get(key, 0) + on_today
    first = today - timedelta(days=TREND_DAYS - 1)
    trend = (
        rows_under(region)
        .filter(day__gte=first, day__lte=today)
        .values("key", "day")
        .annotate(n=Sum("value"))
        .order_by()
    )
    figures.trend = {(row["key"], row["day"]): row["n"] for row in trend}
    return figures


def _headlines(indicators: list[Indicator], figures: Figures, region: Region, today: date):
    found = []
    for indicator in indicators:
        key = indicator.computation
        if computed.get(key) is None:
            continue
        on_today, on_yesterday = figures.today.get(key, 0), figures.yesterday.get(key, 0)
        found.append(
            {
                "key": key,
                "code": indicator.code,
                "name": indicator.name,
                "unit": indicator.unit,
                "standing": indicator.semantics == Indicator.Semantics.LEVEL,
                "today": on_today,
                "yesterday": on_yesterday,
                "delta": on_today - on_yesterday,
                "cumulative": figures.cumulative.get(key, 0),
                "url": _records_url(key, region, today, today),
            }
        )
    return found


def _trend_chart(name, title, keys, figures: Figures, region: Region, today: date) -> Chart:
    span = [today - timedelta(days=n) for n in range(TREND_DAYS - 1, -1, -1)]
    chart = Chart(
        name=name,
        title=title,
        kind="line",
        category_header=_("Day"),
        categories=[f"{on:%m-%d}" for on in span],
        points=[_day(on) for on in span],
    )
    for key in keys:
        chart.series.append(
            Series(
                name=_label(key),
                data=[figures.trend.get((key, on), 0) for on in span],
                url=_records_url(key, region),
            )
        )
    return chart


def _by_region_chart(name, title, keys, figures, region, children, today) -> Chart:
    chart = Chart(
        name=name,
        title=title,
        kind="bar",
        category_header=_("Unit"),
        categories=[child.short_name for child in children] or [region.short_name],
        points=[urlencode({"region": place.code}) for place in children or [region]],
        horizontal=True,
    )
    places = children or [region]
    for key in keys:
        values = figures.by_child if children else {region.path: figures.today}
        chart.series.append(
            Series(
                name=_label(key),
                data=[values[place.path].get(key, 0) for place in places],
                url=_records_url(key, first=today, last=today),
                stack="standing" if key in STANDING else "",
            )
        )
    return chart


def _live_counts(user: Any, region: Region) -> dict[str, int]:
    """Orders waiting for approval and fever alerts not yet resolved, now (two queries)."""
    orders = scoped(QuarantineOrder.objects.all(), user, MANAGE).filter(
        region__path__startswith=region.path, status=QuarantineOrder.Status.PENDING
    )
    alerts = scoped(FeverAlert.objects.all(), user, MANAGE).filter(
        region__path__startswith=region.path, status__in=FeverAlert.UNRESOLVED
    )
    return {
        "pending": orders.aggregate(n=Count("pk"))["n"],
        "open_alerts": alerts.aggregate(n=Count("pk"))["n"],
    }


def dashboard_charts(*, user: Any, region: Region, today: date) -> tuple[dict, list[Chart]]:
    """The dashboard's figures (headlines, quarantine, checkpoints, completeness) and charts."""
    yesterday = today - timedelta(days=1)
    as_of = refreshed_as_of(region)
    indicators = list(
        Indicator.objects.filter(is_active=True, kind=Indicator.Kind.COMPUTED).order_by(
            "position", "id"
        )
    )
    children = list(scoped(Region.objects.filter(parent=region), user, MANAGE).order_by("path"))
    if region.level >= Region.Level.VILLAGE:
        children = []  # the roll-up is kept per village: a village is one bar
    figures = _read_figures(region, children, today)
    live = _live_counts(user, region)
    reporting = day_summary(user=user, region=region, day=today)
    rate = reporting.rate
    late = rate.received - rate.on_time
    missing_units = reporting.missing
    board = {"region": region.code}
    quarantine = [
        {
            "key": key,
            "name": _label(key),
            "value": figures.today.get(key, 0),
            "delta": figures.today.get(key, 0) - figures.yesterday.get(key, 0),
            "url": _records_url(key, region, today, today),
        }
        for key in STANDING
    ]
    quarantine += [
        {
            "key": "pending",
            "name": _("Orders waiting for approval"),
            "value": live["pending"],
            "delta": None,
            "url": _url("quarantine:board-list", figure="pending", **board),
        },
        {
            "key": "open_alerts",
            "name": _("Fever alerts not yet resolved"),
            "value": live["open_alerts"],
            "delta": None,
            "url": _url("quarantine:board-list", figure="open_alerts", **board),
        },
    ]
    checkpoints = [
        {
            "key": key,
            "name": _label(key),
            "value": figures.today.get(key, 0),
            "delta": figures.today.get(key, 0) - figures.yesterday.get(key, 0),
            "cumulative": figures.cumulative.get(key, 0),
            "url": _records_url(key, region, today, today),
        }
        for key in CHECKPOINTS
    ]
    completeness_url = _url(
        "reports:completeness", region=region.code, first=f"{today}", last=f"{today}"
    )
    summary = {
        "region": {"code": region.code, "name": region.short_name},
        "today": today.isoformat(),
        "as_of": timezone.localtime(as_of).strftime("%H:%M:%S") if as_of else None,
        "as_of_day": timezone.localtime(as_of).date().isoformat() if as_of else None,
        "headlines": _headlines(indicators, figures, region, today),
        "quarantine": quarantine,
        "checkpoints": checkpoints,
        "completeness": {
            "expected": rate.expected,
            "received": rate.received,
            "on_time": rate.on_time,
            "late": late,
            "missing": rate.expected - rate.received,
            "missing_units": missing_units[:20],
            "url": completeness_url,
        },
    }
    charts = [
        _trend_chart(
            "trend_traffic",
            _("Checkpoints and place scans, per day"),
            TRAFFIC,
            figures,
            region,
            today,
        ),
        _trend_chart(
            "trend_screening",
            _("Returnees, screening and fevers, per day"),
            SCREENING,
            figures,
            region,
            today,
        ),
        _trend_chart(
            "trend_quarantine",
            _("People under quarantine, per day"),
            STANDING,
            figures,
            region,
            today,
        ),
        _by_region_chart(
            "by_region_people",
            _("Today by unit: returnees, screening, quarantine"),
            BY_REGION_PEOPLE,
            figures,
            region,
            children,
            today,
        ),
        _by_region_chart(
            "by_region_traffic",
            _("Today by unit: checkpoints and scans"),
            BY_REGION_TRAFFIC,
            figures,
            region,
            children,
            today,
        ),
        Chart(
            name="checkpoints",
            title=_("Checkpoints: today and yesterday"),
            kind="bar",
            category_header=_("Indicator"),
            categories=[_label(key) for key in CHECKPOINTS],
            points=[urlencode({"key": key}) for key in CHECKPOINTS],
            series=[
                Series(
                    name=_("Today"),
                    data=[figures.today.get(key, 0) for key in CHECKPOINTS],
                    url=_records_url(region=region, first=today, last=today),
                ),
                Series(
                    name=_("Yesterday"),
                    data=[figures.yesterday.get(key, 0) for key in CHECKPOINTS],
                    url=_records_url(region=region, first=yesterday, last=yesterday),
                ),
            ],
            horizontal=True,
        ),
        Chart(
            name="completeness",
            title=_("Daily reports today"),
            kind="pie",
            category_header=_("State"),
            categories=[_("On time"), _("Late"), _("Missing")],
            series=[
                Series(
                    name=_("Units"),
                    data=[rate.on_time, late, rate.expected - rate.received],
                    url=completeness_url,
                )
            ],
        ),
    ]
    return summary, charts


def dashboard_data(*, user: Any, region: Region, today: date) -> dict[str, Any]:
    """The dashboard as JSON-ready data (the page's first paint and its refresh every 60 s)."""
    summary, charts = dashboard_charts(user=user, region=region, today=today)
    return summary | {"charts": [chart.as_json(region) for chart in charts]}
