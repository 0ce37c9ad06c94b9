import json

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import ngettext

from fangxian.places.retention import PURGE_BATCH, scans_purge


class Command(BaseCommand):
    help = (
        "Delete place-code scans older than the retention period, in batches "
        "(`fangxian manage purge_scans --older-than-days N`). The day figures hold no personal "
        "data and stay. Run it daily."
    )

    def add_arguments(self, parser):
        parser.add_argument("--older-than-days", type=int, required=True)
        parser.add_argument("--batch", type=int, default=PURGE_BATCH)
        parser.add_argument("--json", action="store_true", help="print the result as JSON")

    def handle(self, *args, **options):
        days = options["older_than_days"]
        try:
            deleted = scans_purge(older_than_days=days, batch=options["batch"])
        except ValidationError as error:
            raise CommandError(error.messages[0]) from error
        if options["json"]:
            self.stdout.write(json.dumps({"deleted": deleted}))
            return
        message = ngettext(
            "%(count)s scan older than %(days)s days deleted.",
            "%(count)s scans older than %(days)s days deleted.",
            deleted,
        )
        self.stdout.write(message % {"count": deleted, "days": days})
