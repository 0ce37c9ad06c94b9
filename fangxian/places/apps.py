from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PlacesConfig(AppConfig):
    name = "fangxian.places"
    label = "places"
    verbose_name = _("Place codes")

    def ready(self) -> None:
        from fangxian.people.home import register_home_section
        from fangxian.people.merging import fk_handler, register_merge_handler
        from fangxian.places.home import counters_home_section
        from fangxian.places.models import Scan

        register_home_section(counters_home_section)  # live counters: scans, places, checkpoints
        register_merge_handler(fk_handler(Scan))  # a person's scans follow their merges
