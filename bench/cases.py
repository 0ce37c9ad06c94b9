"""The benchmarks. Each compares a hot path with a baseline of the same kind of work."""

from pathlib import Path

from django.conf import settings
from django.db.models import Count
from django.template.loader import render_to_string
from django.test import Client, RequestFactory

from bench.harness import Result, compare
from fangxian.accounts.models import User
from fangxian.core.paging import KeysetPage, keyset_page
from fangxian.people import idnumber, selectors
from fangxian.people.models import Person
from fangxian.regions.models import Region
from fangxian.regions.selectors import region_figures
from fangxian.regions.services import region_bootstrap


def _users() -> dict[str, User]:
    return {u.username: u for u in User.objects.filter(username__in=["hq", "grid", "county"])}


def _fresh(user: User) -> User:
    # A new object per call, so the per-request role cache is rebuilt as in a real request.
    return User.objects.get(pk=user.pk)


def bench_keyset_deep_page() -> Result:
    hq = _users()["hq"]
    ids = list(Person.objects.order_by("id").values_list("id", flat=True))
    deep = ids[int(len(ids) * 0.95)]
    return compare(
        "people_list_deep_page",
        "HQ's people list, a page 95% deep (keyset) vs the first page",
        subject=lambda: keyset_page(selectors.person_list(user=_fresh(hq)), after=deep).items,
        baseline=lambda: keyset_page(selectors.person_list(user=_fresh(hq)), after=None).items,
        target=2.0,
    )


def bench_search_initials() -> Result:
    grid = _users()["grid"]
    return compare(
        "search_pinyin_initials_grid",
        "grid worker searches 'zs' (scoped, pinyin initials) vs the same user's unfiltered first page",
        subject=lambda: (
            keyset_page(selectors.person_list(user=_fresh(grid), q="zs"), after=None).items
        ),
        baseline=lambda: keyset_page(selectors.person_list(user=_fresh(grid)), after=None).items,
        target=3.0,
    )


def bench_search_id_tail() -> Result:
    hq = _users()["hq"]
    sample = Person.objects.order_by("id")[1000]
    return compare(
        "search_id_last4_township",
        "HQ searches the last 4 ID digits across the township vs an exact 18-digit lookup",
        subject=lambda: (
            keyset_page(selectors.person_list(user=_fresh(hq), q=sample.id_tail), after=None).items
        ),
        baseline=lambda: (
            keyset_page(
                selectors.person_list(user=_fresh(hq), q=sample.id_number), after=None
            ).items
        ),
        target=4.0,
    )


def bench_region_counts() -> Result:
    hq = _users()["hq"]
    town = Region.objects.get(path="530113105")

    def township_page_figures():
        user = _fresh(hq)
        return region_figures(region=town, user=user, counters=selectors.ledger_counters(user=user))

    return compare(
        "region_page_counts_township",
        "all figures of the township page (units, households, people per village and in total, "
        "scoped) vs one unscoped GROUP BY region of all people",
        subject=township_page_figures,
        baseline=lambda: list(
            Person.objects.values("region_id").annotate(n=Count("id")).order_by()
        ),
        target=8.0,
    )


def bench_people_page_http() -> Result:
    grid = _users()["grid"]
    client = Client()
    client.force_login(grid)
    rows = list(
        Person.objects.select_related("region__parent__parent", "household").order_by("id")[:51]
    )
    page = KeysetPage(items=rows[:50], next_after=rows[49].id, after=None)
    request = RequestFactory().get("/people/")
    request.user = grid
    request.htmx = False

    return compare(
        "people_page_http_grid",
        "a grid worker's people page over HTTP (session, scope, query, template) vs rendering "
        "the same template with 50 preloaded rows",
        subject=lambda: client.get("/people/"),
        baseline=lambda: render_to_string(
            "people/person_list.html", {"page": page, "q": "", "region": None}, request=request
        ),
        target=2.5,
    )


def bench_bootstrap_rerun() -> Result:
    villages_csv = Path(settings.DIVISIONS_DIR) / "villages.csv"

    def scan() -> int:
        with villages_csv.open(encoding="utf-8") as handle:
            return sum(1 for line in handle if line.startswith("530113"))

    return compare(
        "region_bootstrap_county_rerun",
        "rerun `region bootstrap 530113` (whole county, idempotent) vs one scan of the village table",
        subject=lambda: region_bootstrap(code="530113"),
        baseline=scan,
        target=3.0,
        repeat=5,
    )


def bench_idnumber_parse() -> Result:
    from datetime import date

    from stdnum.cn import ric

    numbers = [
        idnumber.make("530113", date(1999 + i % 25, 1 + i % 12, 1 + i % 28), i % 1000)
        for i in range(5000)
    ]
    return compare(
        "idnumber_parse_5000",
        "parse 5,000 ID numbers (normalise, area, date, check) vs python-stdnum's cn.ric.validate",
        subject=lambda: [idnumber.parse(n) for n in numbers],
        baseline=lambda: [ric.validate(n) for n in numbers],
        target=3.0,
        repeat=5,
    )


def run_all() -> list[Result]:
    """Every group of cases, or only those FANGXIAN_BENCH_ONLY names (comma-separated:
    foundation, import, quarantine, reports, places)."""
    import os

    from bench.import_case import bench_import
    from bench.places_case import bench_exposure, bench_scan_ingest
    from bench.quarantine_case import bench_quarantine
    from bench.reports_case import bench_reports

    rows = int(os.environ.get("FANGXIAN_BENCH_IMPORT_ROWS", "100000"))
    groups = {
        "foundation": lambda: [
            bench_keyset_deep_page(),
            bench_search_initials(),
            bench_search_id_tail(),
            bench_region_counts(),
            bench_people_page_http(),
            bench_bootstrap_rerun(),
            bench_idnumber_parse(),
        ],
        "import": lambda: bench_import(rows),
        "quarantine": bench_quarantine,
        "reports": bench_reports,  # the command dashboard at county scale (its own county)
        # Last: its exposure data adds up to a million people to the demo township.
        "places": lambda: [*bench_scan_ingest(), *bench_exposure()],
    }
    only = [name for name in os.environ.get("FANGXIAN_BENCH_ONLY", "").split(",") if name]
    unknown = set(only) - set(groups)
    if unknown:
        raise SystemExit(f"FANGXIAN_BENCH_ONLY: no such group {sorted(unknown)}; {list(groups)}")
    return [result for name, run in groups.items() if not only or name in only for result in run()]
