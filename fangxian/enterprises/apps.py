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
