"""`fangxian manage remind_reports [--date YYYY-MM-DD]`: record a reminder for each unit whose
daily report is missing (run after the deadline; no SMS is sent)."""

from django.core.management.base import BaseCommand, CommandError
from django.utils.dateparse import parse_date
from django.utils.translation import gettext as _

from fangxian.reports.services import reminders_record


class Command(BaseCommand):
    help = "Record reminders for the units whose daily report is missing."

    def add_arguments(self, parser):
        parser.add_argument("--date", default="", help="YYYY-MM-DD (default: today)")

    def handle(self, *args, **options):
        day = None
        if options["date"]:
            day = parse_date(options["date"])
            if day is None:
                raise CommandError(_("Date: write it as YYYY-MM-DD."))
        count = reminders_record(day=day)
        self.stdout.write(_("%(count)s reminders recorded.") % {"count": count})
