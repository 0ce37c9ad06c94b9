from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ScreeningConfig(AppConfig):
    name = "fangxian.screening"
    label = "screening"
    verbose_name = _("Screening and returnees")

    def ready(self) -> None:
        from fangxian.people.merging import fk_handler, register_merge_handler
        from fangxian.people.panels import register_person_panel
        from fangxian.screening.models import SelfReport, Trip
        from fangxian.screening.views.trips import person_trips_panel

        register_person_panel(person_trips_panel)  # the person's trips on their page
        register_merge_handler(fk_handler(Trip))  # trips follow a person through merges
        register_merge_handler(fk_handler(SelfReport))  # so do their self-reports
