from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class QuarantineConfig(AppConfig):
    name = "fangxian.quarantine"
    label = "quarantine"
    verbose_name = _("Quarantine and health monitoring")

    def ready(self) -> None:
        from fangxian.people.merging import register_merge_handler
        from fangxian.quarantine.merging import order_merge_handler

        register_merge_handler(order_merge_handler())  # orders follow a person through merges
