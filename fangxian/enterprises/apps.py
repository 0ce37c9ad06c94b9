from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EnterprisesConfig(AppConfig):
    name = "fangxian.enterprises"
    label = "enterprises"
    verbose_name = _("Enterprises back to work")

    def ready(self) -> None:
        from fangxian.enterprises.models import Worker
        from fangxian.people.merging import fk_handler, register_merge_handler

        register_merge_handler(fk_handler(Worker))  # a roster entry follows its person's merges

        from fangxian.enterprises.home import report_due_section
        from fangxian.people.home import register_home_section

        register_home_section(report_due_section)  # "today's report is due at 16:00"
