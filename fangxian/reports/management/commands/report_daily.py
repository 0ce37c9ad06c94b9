"""`fangxian report daily --region CODE --date YYYY-MM-DD --out FILE.docx`: write a township's
日报 (for a scheduled job that sends it upward). Run at the console: every region is visible."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from django.utils.dateparse import parse_date
from django.utils.translation import gettext as _

from fangxian.regions.models import Region
from fangxian.reports.document import daily_document, daily_docx
from fangxian.reports.selectors import Operator


class Command(BaseCommand):
    help = "Write the daily report (日报) of a township as a .docx."

    def add_arguments(self, parser):
        parser.add_argument("--region", required=True, help="the region's code")
        parser.add_argument("--date", default="", help="YYYY-MM-DD (default: today)")
        parser.add_argument("--out", required=True, help="the .docx file to write")

    def handle(self, *args, **options):
        region = Region.objects.filter(code=options["region"]).first()
        if region is None:
            raise CommandError(
                _("Region: no region has the code %(code)s.") % {"code": options["region"]}
            )
        day = parse_date(options["date"]) if options["date"] else timezone.localdate()
        if day is None:
            raise CommandError(_("Date: write it as YYYY-MM-DD."))
        document = daily_document(user=Operator(), region=region, day=day)
        out = Path(options["out"])
        out.write_bytes(daily_docx(document))
        self.stdout.write(_("Written: %(path)s") % {"path": out})
