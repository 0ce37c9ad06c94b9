import csv
import logging

from django.apps import AppConfig
from django.conf import settings
from django.utils.translation import gettext_lazy as _

logger = logging.getLogger(__name__)


class PeopleConfig(AppConfig):
    name = "fangxian.people"
    label = "people"
    verbose_name = _("People ledger")

    def ready(self) -> None:
        from fangxian.people import idnumber

        # Every county of the current NBS tables exists, whatever python-stdnum's table says.
        areas = settings.DIVISIONS_DIR / "areas.csv"
        try:
            with areas.open(encoding="utf-8", newline="") as handle:
                idnumber.register_area_codes({row["code"] for row in csv.DictReader(handle)})
        except OSError:
            logger.warning(
                "NBS county table %s not found; ID area codes rely on stdnum only", areas
            )
