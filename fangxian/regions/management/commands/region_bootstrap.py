import time

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from fangxian.regions.codes import DivisionCodeError
from fangxian.regions.services import region_bootstrap


class Command(BaseCommand):
    help = "Create a township (9-digit code) or every township of a county (6-digit code) from the NBS division codes."

    def add_arguments(self, parser):
        parser.add_argument(
            "code", help="9-digit township code or 6-digit county code, e.g. 530113105"
        )

    def handle(self, *args, code: str, **options):
        started = time.monotonic()
        try:
            result = region_bootstrap(code=code)
        except DivisionCodeError as error:
            raise CommandError(
                _("No county or township has the code %(code)s in the division tables.")
                % {"code": code}
            ) from error
        except FileNotFoundError as error:
            raise CommandError(
                _("Division tables not found at %(path)s; run 'make setup' first.")
                % {"path": error}
            ) from error
        self.stdout.write(
            _(
                "%(name)s (%(code)s): %(total)s units, %(created)s created, %(updated)s updated in %(seconds).1f s."
            )
            % {
                "name": result.root.name,
                "code": result.root.code,
                "total": result.total,
                "created": result.created,
                "updated": result.updated,
                "seconds": time.monotonic() - started,
            }
        )
