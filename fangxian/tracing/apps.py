from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TracingConfig(AppConfig):
    name = "fangxian.tracing"
    label = "tracing"
    verbose_name = _("Exposure search")

    def ready(self) -> None:
        from fangxian.people.panels import register_person_panel
        from fangxian.tracing.views import person_tracing_panel

        register_person_panel(person_tracing_panel)  # start a search from the person's page
