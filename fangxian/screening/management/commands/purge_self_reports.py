import json

from django.core.management.base import BaseCommand
from django.utils.translation import ngettext

from fangxian.screening.self_reports import RETENTION_DAYS, self_reports_purge


class Command(BaseCommand):
    help = (
        f"Delete self-reports that were never verified and were sent more than {RETENTION_DAYS} "
        "days ago, as the public form promises (`fangxian manage purge_self_reports`). "
        "Verified reports have joined the people ledger and stay. Run it daily."
    )

    def add_arguments(self, parser):
        parser.add_argument("--json", action="store_true", help="print the result as JSON")

    def handle(self, *args, **options):
        deleted = self_reports_purge()
        if options["json"]:
            self.stdout.write(json.dumps({"deleted": deleted}))
            return
        message = ngettext(
            "%(count)s unverified self-report older than %(days)s days deleted.",
            "%(count)s unverified self-reports older than %(days)s days deleted.",
            deleted,
        )
        self.stdout.write(message % {"count": deleted, "days": RETENTION_DAYS})
