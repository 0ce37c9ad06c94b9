"""`fangxian manage refresh_figures [--days N] [--region CODE] [--loop]`: bring the roll-up of the
computed figures (`FigureDay`) up to date.

Once: recount the last N days (default 2: yesterday and today) — after a migration, an import of
old records, or the demo, `--days 60` rebuilds what the dashboard shows. `--loop` is what
`fangxian serve` runs beside the web server: a rebuild of the last `--rebuild-days` days at
start, then today and yesterday every `--every` seconds, and the rebuild again once a night
after 03:00 (records entered or corrected late for older days). A failed round is logged and
retried at the next one, so a database restart does not stop the figures.
"""

import logging
import time
from datetime import timedelta

from django.core.management.base import BaseCommand, CommandError
from django.db import close_old_connections
from django.utils import timezone
from django.utils.translation import gettext as _

from fangxian.regions.models import Region
from fangxian.reports.rollup import figures_refresh

logger = logging.getLogger(__name__)
NIGHTLY_HOUR = 3


class Command(BaseCommand):
    help = "Recount the computed figures of the last days into the roll-up (the dashboard's)."

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, default=2, help="days up to today (default 2)")
        parser.add_argument("--region", default="", help="a region's code (default: all)")
        parser.add_argument("--loop", action="store_true", help="keep refreshing (for serve)")
        parser.add_argument("--every", type=int, default=60, help="seconds between refreshes")
        parser.add_argument("--rebuild-days", type=int, default=30, help="nightly rebuild")

    def handle(self, *args, **options):
        region = None
        if options["region"]:
            region = Region.objects.filter(code=options["region"]).first()
            if region is None:
                raise CommandError(
                    _("Region: no region has the code %(code)s.") % {"code": options["region"]}
                )
            if region.level > Region.Level.VILLAGE:
                raise CommandError(_("Region: give a village or a unit above it."))
        if options["days"] < 1:
            raise CommandError(_("Days: give a number of days of 1 or more."))
        if not options["loop"]:
            self._refresh(region, options["days"])
            return
        self._loop(options["every"], options["rebuild_days"])

    def _refresh(self, region, days: int) -> None:
        today = timezone.localdate()
        done = figures_refresh(first=today - timedelta(days=days - 1), last=today, region=region)
        self.stdout.write(
            _("Figures of %(first)s to %(last)s: %(rows)s rows in %(seconds).1f s.")
            % {"first": done.first, "last": done.last, "rows": done.rows, "seconds": done.seconds}
        )

    def _loop(self, every: int, rebuild_days: int) -> None:
        rebuilt_on = None
        while True:
            started = time.monotonic()
            close_old_connections()
            now = timezone.localtime()
            rebuild = rebuilt_on is None or (rebuilt_on < now.date() and now.hour >= NIGHTLY_HOUR)
            try:
                self._refresh(None, rebuild_days if rebuild else 2)
                if rebuild:
                    rebuilt_on = now.date()
            except Exception:  # a failed round is retried at the next one
                logger.exception("refreshing the figures failed")
            time.sleep(max(1.0, every - (time.monotonic() - started)))
