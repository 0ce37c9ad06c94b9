from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    name = "fangxian.audit"
    label = "audit"
    verbose_name = _("Audit log")

    def ready(self) -> None:
        from fangxian.audit import receivers  # noqa: F401  (login events)
