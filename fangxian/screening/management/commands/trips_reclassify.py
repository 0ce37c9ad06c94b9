import json

from django.core.management.base import BaseCommand, CommandError
from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from fangxian.regions.models import Region
from fangxian.screening.trips import trips_reclassify


class Command(BaseCommand):
    help = (
        "Classify every trip again against the current key areas (`fangxian trips reclassify`). "
        "Key-area changes do this by themselves; run it daily so that trips without dates follow "
        "key areas whose end date has passed."
    )

    def add_arguments(self, parser):
        parser.add_argument("--region", help="only the trips under this unit (code or path)")
        parser.add_argument("--json", action="store_true", help="print the result as JSON")

    def handle(self, *args, region: str | None = None, **options):
        unit = None
        if region:
            unit = Region.objects.filter(Q(code=region) | Q(path=region)).first()
            if unit is None:
                raise CommandError(_("No unit with the code %(code)s.") % {"code": region})
        changed = trips_reclassify(region=unit)
        if options["json"]:
            self.stdout.write(json.dumps({"reclassified": changed}))
        else:
            message = ngettext(
                "%(count)s trip changed category or reason.",
                "%(count)s trips changed category or reason.",
                changed,
            )
            self.stdout.write(message % {"count": changed})
