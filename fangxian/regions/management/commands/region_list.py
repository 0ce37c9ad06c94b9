from django.core.management.base import BaseCommand, CommandError
from django.db.models import Q
from django.utils.translation import gettext as _

from fangxian.regions.models import Region


class Command(BaseCommand):
    help = "Print the children of a unit, one per line as code<TAB>name."

    def add_arguments(self, parser):
        parser.add_argument("code", help="the unit's code (12 digits, or trimmed: 530113105)")

    def handle(self, *args, code: str, **options):
        region = Region.objects.filter(Q(code=code) | Q(path=code)).first()
        if region is None:
            raise CommandError(
                _("No unit with the code %(code)s; bootstrap it first.") % {"code": code}
            )
        for child in Region.objects.filter(parent=region).order_by("path"):
            self.stdout.write(f"{child.code}\t{child.short_name}")
