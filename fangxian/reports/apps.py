from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "fangxian.reports"
    label = "reports"
    verbose_name = _("Daily reports and instructions")

    def ready(self) -> None:
        from fangxian.people.home import register_home_section
        from fangxian.reports import computations, computations_ops
        from fangxian.reports.views.home import instructions_home_section, reports_home_section

        computations.register_all()  # screening's and quarantine's figures
        computations_ops.register_all()  # checkpoints', enterprises' and place scans'
        register_home_section(reports_home_section)  # "your daily report is due at 16:00"
        register_home_section(instructions_home_section)  # open instructions of one's units
