"""Checkpoints', enterprises' and place scans' computed indicators, registered with
`reports.computed`.

Reports sits above these apps (core ← … ← enterprises ← checkpoints ← places ← … ← reports), so it
registers their figures itself, as it does screening's and quarantine's (`computations.py`):
they never import reports. Each count is one or two GROUP BY (record region path, day)
queries; the records of a day are found by the `day` column those apps keep for this (the
local day of the event), and passages also by their time, whose index the day range can use.

- checkpoints (卡点): over the latest passages (a corrected one counts once, as corrected),
  plus the counted-only passages of the day counters (`PassageCount`, exceptions mode) for
  people and vehicles — never for the others: a passage is only counted when nothing about it
  was exceptional. Mirrors `checkpoints.selectors.checkpoint_figures`.
- enterprises (复工复产): enterprises reopened on the day, workers returned and abnormal
  temperatures reported that day, and workers on site at the end of the day from each
  enterprise's latest daily report up to then (a standing figure).
- place scans (场所码): the latest scans not withdrawn, and the distinct people who scanned
  (by person, else by phone) — distinct per record region and day: a person who scanned in two
  villages on one day counts in each, so the sum over villages counts people-villages.
"""

from collections import defaultdict
from datetime import date
from typing import Any

from django.db.models import (
    Case,
    CharField,
    Count,
    Exists,
    F,
    OuterRef,
    Q,
    QuerySet,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Cast, Coalesce, Concat
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from fangxian.accounts.roles import Capability
from fangxian.checkpoints.models import Checkpoint, Passage, PassageCount
from fangxian.checkpoints.selectors import FIGURES, latest_only
from fangxian.enterprises.models import DailyReport, ResumptionApplication
from fangxian.places.models import Place, Scan
from fangxian.regions.models import Region
from fangxian.reports.computed import (
    LEVEL,
    NEW,
    Computation,
    Figures,
    add_up,
    day_end,
    day_start,
    days,
    register,
)


def _under(rows: QuerySet, field: str, region: Region) -> QuerySet:
    """Rows whose `field` (a region foreign key path) lies under `region`; the whole table for
    the root of a refresh (a region with an empty path)."""
    if not region.path:
        return rows
    return rows.filter(**{f"{field}__path__startswith": region.path})


def _days(rows: QuerySet, first: date | None, last: date, field: str = "day") -> QuerySet:
    rows = rows.filter(**{f"{field}__lte": last})
    return rows.filter(**{f"{field}__gte": first}) if first is not None else rows


# --- checkpoints ------------------------------------------------------------------------------


def _passages(region: Region, first: date | None, last: date) -> QuerySet[Passage]:
    """The latest passages of the days, at the checkpoints under `region`: named by id, so the
    index (checkpoint, time) finds a day's rows without reading the others."""
    checkpoints = list(
        _under(Checkpoint.objects.all(), "region", region).values_list("pk", flat=True)
    )
    passages = _days(Passage.objects.filter(checkpoint_id__in=checkpoints), first, last)
    passages = passages.filter(occurred_at__lt=day_end(last))
    if first is not None:
        passages = passages.filter(occurred_at__gte=day_start(first))
    return latest_only(passages)


def _counted(region: Region, first: date | None, last: date) -> QuerySet[PassageCount]:
    return _days(_under(PassageCount.objects.all(), "region", region), first, last)


# figure name -> (what is summed over the latest passages, what over the day counters)
CHECKPOINT_SUMS: dict[str, tuple[Any, Any]] = {
    "people": (Sum("people_count"), Sum("people")),
    "vehicles": (
        Count("pk", filter=FIGURES["vehicles"]),
        Sum("passages", filter=Q(kind="vehicle")),
    ),
    "turned_back": (Count("pk", filter=FIGURES["turned_back"]), None),
    "handed_over": (Sum("people_count", filter=FIGURES["handed_over"]), None),
    "fevers": (Sum("fever_count"), None),
}
CHECKPOINT_LABELS = {
    "people": _("People checked at checkpoints"),
    "vehicles": _("Vehicles checked at checkpoints"),
    "turned_back": _("Parties turned back at checkpoints"),
    "handed_over": _("People handed over for quarantine at checkpoints"),
    "fevers": _("Fevers found at checkpoints"),
}


def _grouped_sum(rows: QuerySet, total: Any) -> Figures:
    grouped = (
        rows.annotate(fx_path=F("region__path"))
        .values("fx_path", "day")
        .annotate(n=Coalesce(total, 0))
        .order_by()
    )
    return add_up(grouped, path="fx_path")


def _checkpoint_counter(name: str):
    on_passages, on_counters = CHECKPOINT_SUMS[name]

    def count(region: Region, first: date | None, last: date) -> Figures:
        figures = _grouped_sum(_passages(region, first, last), on_passages)
        if on_counters is not None:
            for key, n in _grouped_sum(_counted(region, first, last), on_counters).items():
                figures[key] = figures.get(key, 0) + n
        return {key: n for key, n in figures.items() if n}

    def records(region: Region, first: date, last: date) -> QuerySet[Passage]:
        return (
            _passages(region, first, last)
            .filter(FIGURES[name])
            .select_related("checkpoint", "region")
            .order_by("occurred_at", "id")
        )

    return count, records


def _describe_passage(passage: Passage) -> str:
    local = timezone.localtime(passage.occurred_at)
    vehicle = passage.plate or str(_("on foot"))
    return (
        f"{local:%Y-%m-%d %H:%M} · {passage.checkpoint.name} · {vehicle} · "
        f"{passage.get_decision_display()} · {passage.people_count}"
    )


def _checkpoints() -> list[Computation]:
    found = []
    for name, label in CHECKPOINT_LABELS.items():
        count, records = _checkpoint_counter(name)
        found.append(
            Computation(
                key=f"checkpoints.{name}",
                label=label,
                semantics=NEW,
                count=count,
                records=records,
                describe=_describe_passage,
                capability=Capability.REGISTER_PASSAGES,
            )
        )
    return found


# --- enterprises ------------------------------------------------------------------------------


def _reports(region: Region) -> QuerySet[DailyReport]:
    return _under(DailyReport.objects.all(), "enterprise__region", region)


def _report_sum(field: str):
    def count(region: Region, first: date | None, last: date) -> Figures:
        grouped = (
            _days(_reports(region), first, last)
            .values("enterprise__region__path", "day")
            .annotate(n=Coalesce(Sum(field), 0))
            .order_by()
        )
        figures = add_up(grouped, path="enterprise__region__path")
        return {key: n for key, n in figures.items() if n}

    def records(region: Region, first: date, last: date) -> QuerySet[DailyReport]:
        return (
            _days(_reports(region), first, last)
            .filter(**{f"{field}__gt": 0})
            .select_related("enterprise__region")
            .order_by("day", "id")
        )

    def describe(report: DailyReport) -> str:
        enterprise = report.enterprise
        return (
            f"{report.day:%Y-%m-%d} · {enterprise.region} · {enterprise.name} · "
            f"{getattr(report, field)}"
        )

    return count, records, describe


def _on_site_count(region: Region, first: date | None, last: date) -> Figures:
    """Workers on site at the end of each day: each enterprise's latest report up to the day
    (carried forward over the days it does not report). Two queries: the reports of the range,
    and each enterprise's last report before it."""
    first = first or last
    fields = ("enterprise_id", "enterprise__region__path", "day", "workers_on_site")
    in_range = _days(_reports(region), first, last).values_list(*fields)
    latest_day = (
        DailyReport.objects.filter(enterprise=OuterRef("enterprise"), day__lt=first)
        .order_by("-day")
        .values("day")[:1]
    )
    before = _reports(region).filter(day__lt=first, day=latest_day).values_list(*fields)
    by_enterprise: dict[int, dict[date, tuple[str, int]]] = defaultdict(dict)
    starting: dict[int, tuple[str, int]] = {}
    for enterprise, path, _day, workers in before:
        starting[enterprise] = (path, workers)
    for enterprise, path, on, workers in in_range:
        by_enterprise[enterprise][on] = (path, workers)
    figures: Figures = defaultdict(int)
    for enterprise in set(starting) | set(by_enterprise):
        current = starting.get(enterprise)
        reported = by_enterprise.get(enterprise, {})
        for on in days(first, last):
            current = reported.get(on, current)
            if current is not None and current[1]:
                figures[(current[0], on)] += current[1]
    return dict(figures)


def _on_site_records(region: Region, first: date, last: date) -> QuerySet[DailyReport]:
    """Each enterprise's latest report up to `last`, where it counted workers on site."""
    latest_day = (
        DailyReport.objects.filter(enterprise=OuterRef("enterprise"), day__lte=last)
        .order_by("-day")
        .values("day")[:1]
    )
    return (
        _reports(region)
        .filter(day__lte=last, day=latest_day, workers_on_site__gt=0)
        .select_related("enterprise__region")
        .order_by("enterprise__region__path", "id")
    )


def _reopened(region: Region) -> QuerySet[ResumptionApplication]:
    return _under(
        ResumptionApplication.objects.filter(reopened_on__isnull=False),
        "enterprise__region",
        region,
    )


def _reopened_count(region: Region, first: date | None, last: date) -> Figures:
    grouped = (
        _days(_reopened(region), first, last, field="reopened_on")
        .values("enterprise__region__path", "reopened_on")
        .annotate(n=Count("pk"))
        .order_by()
    )
    return add_up(grouped, path="enterprise__region__path", day="reopened_on")


def _describe_reopened(application: ResumptionApplication) -> str:
    enterprise = application.enterprise
    return f"{application.reopened_on:%Y-%m-%d} · {enterprise.region} · {enterprise.name}"


def _enterprises() -> list[Computation]:
    returned_count, returned_records, returned_describe = _report_sum("returned_today")
    abnormal_count, abnormal_records, abnormal_describe = _report_sum("abnormal_temperatures")
    _count, _records, on_site_describe = _report_sum("workers_on_site")
    view = Capability.VIEW_ENTERPRISES
    return [
        Computation(
            key="enterprises.reopened",
            label=_("Enterprises reopened"),
            semantics=NEW,
            count=_reopened_count,
            records=lambda region, first, last: (
                _days(_reopened(region), first, last, field="reopened_on")
                .select_related("enterprise__region")
                .order_by("reopened_on", "id")
            ),
            describe=_describe_reopened,
            capability=view,
        ),
        Computation(
            key="enterprises.workers_returned",
            label=_("Workers returned to enterprises"),
            semantics=NEW,
            count=returned_count,
            records=returned_records,
            describe=returned_describe,
            capability=view,
        ),
        Computation(
            key="enterprises.workers_on_site",
            label=_("Workers on site"),
            semantics=LEVEL,
            count=_on_site_count,
            records=_on_site_records,
            describe=on_site_describe,
            capability=view,
        ),
        Computation(
            key="enterprises.abnormal_temperatures",
            label=_("Abnormal temperatures at enterprises"),
            semantics=NEW,
            count=abnormal_count,
            records=abnormal_records,
            describe=abnormal_describe,
            capability=view,
        ),
    ]


# --- place scans ------------------------------------------------------------------------------


def _scans(region: Region, first: date | None, last: date) -> QuerySet[Scan]:
    """The latest scans (no other scan corrects them) that were not withdrawn. Two queries."""
    # The places' regions named by id, so the index (region, day) finds a day's rows.
    regions = list(
        _under(Place.objects.all(), "region", region).values_list("region_id", flat=True).distinct()
    )
    scans = _days(Scan.objects.filter(withdrawn=False, region_id__in=regions), first, last)
    return scans.filter(~Exists(Scan.objects.filter(corrects_id=OuterRef("pk"))))


# Who scanned: the person of the ledger, else the phone typed (prefixed so they never collide).
SCANNER = Case(
    When(person__isnull=False, then=Concat(Value("p"), Cast("person_id", CharField()))),
    default=Concat(Value("t"), "phone"),
    output_field=CharField(),
)


def _scan_counter(distinct_people: bool):
    def count(region: Region, first: date | None, last: date) -> Figures:
        total = Count(SCANNER, distinct=True) if distinct_people else Count("pk")
        grouped = (
            _scans(region, first, last)
            .annotate(fx_path=F("region__path"))
            .values("fx_path", "day")
            .annotate(n=total)
            .order_by()
        )
        return add_up(grouped, path="fx_path")

    def records(region: Region, first: date, last: date) -> QuerySet[Scan]:
        return (
            _scans(region, first, last)
            .select_related("place", "region")
            .order_by("occurred_at", "id")
        )

    return count, records


def _describe_scan(scan: Scan) -> str:
    local = timezone.localtime(scan.occurred_at)
    who = scan.phone_masked if scan.phone else str(_("personal code"))
    return f"{local:%Y-%m-%d %H:%M} · {scan.place.name} · {scan.get_direction_display()} · {who}"


def _places() -> list[Computation]:
    found = []
    labels = {
        False: ("places.scans", _("Place code scans")),
        True: ("places.people", _("People who scanned place codes (per village and day)")),
    }
    for distinct_people, (key, label) in labels.items():
        count, records = _scan_counter(distinct_people)
        found.append(
            Computation(
                key=key,
                label=label,
                semantics=NEW,
                count=count,
                records=records,
                describe=_describe_scan,
                capability=Capability.MANAGE_PLACES,
            )
        )
    return found


def register_all() -> None:
    for computation in [*_checkpoints(), *_enterprises(), *_places()]:
        register(computation)
