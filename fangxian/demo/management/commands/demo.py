import json
import time

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from fangxian.demo.services import DEFAULT_PEOPLE, DEFAULT_SEED, demo_build


class Command(BaseCommand):
    help = (
        "Build the demo township 乌龙镇 (东川区): 14 villages, 98 grids with their villager groups, "
        "invented households and residents, one demo login per role, and seed data for every "
        "capability (screening, quarantine, checkpoints, enterprises, place codes). Rerunnable."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--people",
            type=int,
            default=DEFAULT_PEOPLE,
            help=f"number of residents to invent (default {DEFAULT_PEOPLE})",
        )
        parser.add_argument(
            "--seed",
            type=int,
            default=DEFAULT_SEED,
            help=f"random seed: the same seed gives the same residents (default {DEFAULT_SEED})",
        )
        parser.add_argument(
            "--json", action="store_true", dest="as_json", help="print the result as JSON"
        )

    def handle(self, *args, people: int, seed: int, as_json: bool, **options):
        if settings.PRODUCTION:
            # The demo replaces the township's residents and resets well-known passwords.
            raise CommandError(_("The demo township cannot be built in production."))
        if people < 1:
            raise CommandError(_("The number of residents must be at least 1."))
        started = time.monotonic()
        try:
            result = demo_build(people=people, seed=seed)
        except (FileNotFoundError, ImproperlyConfigured) as error:
            raise CommandError(
                _("Cannot build the demo township: %(error)s") % {"error": error}
            ) from error
        seconds = time.monotonic() - started
        if as_json:
            self._write_json(result, seconds)
        else:
            self._write_text(result, seconds)

    def _write_text(self, result, seconds: float) -> None:
        self.stdout.write(
            _(
                "Demo township %(name)s ready in %(seconds).1f s: %(villages)s villages and "
                "communities, %(grids)s grids, %(groups)s villager groups, %(households)s "
                "households, %(people)s residents."
            )
            % {
                "name": result.township.short_name,
                "seconds": seconds,
                "villages": result.villages,
                "grids": result.grids,
                "groups": result.groups,
                "households": result.households,
                "people": result.people,
            }
        )
        self.stdout.write("")
        self.stdout.write(
            _("Demo logins, all with the password %(password)s:") % {"password": result.password}
        )
        width = max(len(login.username) for login in result.logins) + 2
        names = max(len(login.full_name) for login in result.logins) + 1
        for login in result.logins:
            # Chinese characters are two columns wide: pad names with ideographic spaces.
            name = login.full_name + "\u3000" * (names - len(login.full_name))
            scopes = "; ".join(login.scopes)
            self.stdout.write(f"  {login.username:<{width}}{name}{scopes}")
        if result.case is not None:
            self.stdout.write("")
            self.stdout.write(
                _(
                    "Exposure search (log in as tracer): %(name)s of %(village)s, phone "
                    "%(phone)s, was at %(places)s in the past days."
                )
                % {
                    "name": result.case.name,
                    "village": result.case.village,
                    "phone": result.case.phone,
                    "places": "、".join(result.case.places),
                }
            )
        self.stdout.write("")
        self.stdout.write(_("Open %(url)s and log in.") % {"url": result.url})

    def _write_json(self, result, seconds: float) -> None:
        payload = {
            "township": result.township.code,
            "villages": result.villages,
            "grids": result.grids,
            "groups": result.groups,
            "households": result.households,
            "people": result.people,
            "seconds": round(seconds, 1),
            "password": result.password,
            "url": result.url,
            "logins": [
                {"username": login.username, "full_name": login.full_name, "scopes": login.scopes}
                for login in result.logins
            ],
            "case": None
            if result.case is None
            else {
                "name": result.case.name,
                "village": result.case.village,
                "phone": result.case.phone,
                "places": list(result.case.places),
            },
        }
        self.stdout.write(json.dumps(payload, ensure_ascii=False, indent=2))
