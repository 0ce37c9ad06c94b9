import json

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import ngettext

from fangxian.checkpoints.services import PURGE_BATCH, passages_purge


class Command(BaseCommand):
    help = (
        "Delete checkpoint passages older than the retention period, with their people and "
        "notices, in batches (`fangxian manage purge_passages --older-than-days N`). The day "
        "counters hold no personal data and stay. Run it daily."
    )

    def add_arguments(self, parser):
        parser.add_argument("--older-than-days", type=int, required=True)
        parser.add_argument("--batch", type=int, default=PURGE_BATCH)
        parser.add_argument("--json", action="store_true", help="print the result as JSON")

    def handle(self, *args, **options):
        days = options["older_than_days"]
        try:
            deleted = passages_purge(older_than_days=days, batch=options["batch"])
        except ValidationError as error:
            raise CommandError(error.messages[0]) from error
        if options["json"]:
            self.stdout.write(json.dumps({"deleted": deleted}))
            return
        message = ngettext(
            "%(count)s passage older than %(days)s days deleted.",
            "%(count)s passages older than %(days)s days deleted.",
            deleted,
        )
        self.stdout.write(message % {"count": deleted, "days": days})
