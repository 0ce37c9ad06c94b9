"""Figures that sum themselves from the reports (实时图表): counted in the database, one GROUP BY
per figure whatever the number of enterprises, each row with the URL of the list behind it."""

from datetime import date, timedelta
from typing import Any
from urllib.parse import urlencode

from django.db.models import Count, Exists, OuterRef, Q, Sum
from django.urls import reverse

from fangxian.accounts.roles import Capability
from fangxian.enterprises.models import DailyReport, Enterprise, ResumptionApplication
from fangxian.enterprises.scope import enterprise_scoped
from fangxian.regions.models import Region

VIEW = Capability.VIEW_ENTERPRISES
Status = ResumptionApplication.Status
APPLIED = (
    Status.SUBMITTED,
    Status.CHANGES_REQUESTED,
    Status.RESUBMITTED,
    Status.APPROVED,
    Status.REOPENED,
)
APPROVED = (Status.APPROVED, Status.REOPENED)
REPORT_SUMS = ("workers_on_site", "returned_today", "abnormal_temperatures", "in_isolation")
GROUPINGS = {"village": ("region__code", "region__short_name"), "industry": ("industry", None)}


def _url(name: str, **params: Any) -> str:
    query = urlencode({k: v for k, v in params.items() if v not in (None, "")})
    return f"{reverse(name)}?{query}" if query else reverse(name)


def _enterprises(user: Any, region: Region | None):
    rows = enterprise_scoped(Enterprise.objects.all(), user, VIEW)
    return rows.filter(region__path__startswith=region.path) if region is not None else rows


def _reports(user: Any, region: Region | None):
    rows = enterprise_scoped(DailyReport.objects.all(), user, VIEW, prefix="enterprise__")
    if region is not None:
        rows = rows.filter(enterprise__region__path__startswith=region.path)
    return rows


def _filter_of(grouping: str, key: str) -> dict[str, str]:
    return {"region": key} if grouping == "village" else {"industry": key}


def _label(grouping: str, row: dict[str, Any]) -> str:
    if grouping == "village":
        return row["region__short_name"]
    return str(Enterprise.Industry(row["industry"]).label)


def application_figures(*, user: Any, region: Region | None = None) -> dict[str, list[dict]]:
    """Registered, applied, approved and reopened enterprises by village and by industry
    (HQ's view of 复工复产): two GROUP BYs."""
    counts = {
        "registered": Count("id"),
        "applied": Count("id", filter=Q(application__status__in=APPLIED)),
        "approved": Count("id", filter=Q(application__status__in=APPROVED)),
        "reopened": Count("id", filter=Q(application__status=Status.REOPENED)),
    }
    result = {}
    for grouping, (key, label) in GROUPINGS.items():
        fields = [key, label] if label else [key]
        rows = _enterprises(user, region).values(*fields).annotate(**counts).order_by(key)
        result[grouping] = [
            {
                "key": row[key],
                "label": _label(grouping, row),
                **{name: row[name] for name in counts},
                "urls": {
                    "registered": _url(
                        "enterprises:enterprise-list", **_filter_of(grouping, row[key])
                    ),
                    "applied": _url(
                        "enterprises:application-list", **_filter_of(grouping, row[key])
                    ),
                    "approved": _url(
                        "enterprises:application-list",
                        status=Status.APPROVED,
                        **_filter_of(grouping, row[key]),
                    ),
                    "reopened": _url(
                        "enterprises:application-list",
                        status=Status.REOPENED,
                        **_filter_of(grouping, row[key]),
                    ),
                },
            }
            for row in rows
        ]
    return result


def _today_by(grouping: str, user: Any, region: Region | None, today: date) -> list[dict]:
    key, label = GROUPINGS[grouping]
    fields = [key, label] if label else [key]
    reported = Exists(DailyReport.objects.filter(enterprise=OuterRef("pk"), day=today))
    enterprises = (
        _enterprises(user, region)
        .annotate(reported=reported)
        .values(*fields)
        .annotate(total=Count("id"), missing=Count("id", filter=Q(reported=False)))
        .order_by(key)
    )
    report_key = f"enterprise__{key}"
    sums = {
        row[report_key]: row
        for row in _reports(user, region)
        .filter(day=today)
        .values(report_key)
        .annotate(**{name: Sum(name) for name in REPORT_SUMS})
        .order_by()
    }
    rows = []
    for row in enterprises:
        figures = sums.get(row[key], {})
        where = _filter_of(grouping, row[key])
        rows.append(
            {
                "key": row[key],
                "label": _label(grouping, row),
                "total": row["total"],
                "missing": row["missing"],
                **{name: figures.get(name) or 0 for name in REPORT_SUMS},
                "urls": {
                    "missing": _url(
                        "enterprises:enterprise-list", missing=today.isoformat(), **where
                    ),
                    "reports": _url("enterprises:report-list", day=today.isoformat(), **where),
                    "abnormal": _url(
                        "enterprises:report-list", day=today.isoformat(), abnormal=1, **where
                    ),
                },
            }
        )
    return rows


def chart_data(
    *, user: Any, today: date, region: Region | None = None, days: int = 30
) -> dict[str, Any]:
    """Everything the township's live charts draw, for the last `days` days up to `today`."""
    first = today - timedelta(days=days - 1)
    day_list = [first + timedelta(days=n) for n in range(days)]
    code = region.code if region is not None else ""
    reopened = dict(
        enterprise_scoped(
            ResumptionApplication.objects.filter(reopened_on__isnull=False),
            user,
            VIEW,
            prefix="enterprise__",
        )
        .filter(
            **({"enterprise__region__path__startswith": region.path} if region is not None else {})
        )
        .values("reopened_on")
        .annotate(n=Count("id"))
        .values_list("reopened_on", "n")
    )
    before = sum(n for day, n in reopened.items() if day < first)
    cumulative, running = [], before
    for day in day_list:
        running += reopened.get(day, 0)
        cumulative.append(running)
    per_day = {
        row["day"]: row
        for row in _reports(user, region)
        .filter(day__gte=first, day__lte=today)
        .values("day")
        .annotate(reports=Count("id"), **{name: Sum(name) for name in REPORT_SUMS})
        .order_by()
    }
    series = {
        name: [(per_day.get(d) or {}).get(name) or 0 for d in day_list] for name in REPORT_SUMS
    }
    return {
        "today": today.isoformat(),
        "days": [d.isoformat() for d in day_list],
        "reopened": cumulative,
        "reopened_url": _url("enterprises:application-list", status=Status.REOPENED, region=code),
        "day_urls": [
            _url("enterprises:report-list", day=d.isoformat(), region=code) for d in day_list
        ],
        "abnormal_urls": [
            _url("enterprises:report-list", day=d.isoformat(), abnormal=1, region=code)
            for d in day_list
        ],
        **series,
        "by_village": _today_by("village", user, region, today),
        "by_industry": _today_by("industry", user, region, today),
    }
