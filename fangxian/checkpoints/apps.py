from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CheckpointsConfig(AppConfig):
    name = "fangxian.checkpoints"
    label = "checkpoints"
    verbose_name = _("Checkpoints")

    def ready(self) -> None:
        from fangxian.checkpoints.codes import code_merge_handler
        from fangxian.checkpoints.models import PassagePerson
        from fangxian.checkpoints.views.codes import person_code_panel
        from fangxian.people.merging import fk_handler, register_merge_handler
        from fangxian.people.panels import register_person_panel

        register_person_panel(person_code_panel)  # the personal code on the person's page
        register_merge_handler(code_merge_handler())  # codes follow the surviving person
        register_merge_handler(fk_handler(PassagePerson))  # so do their passages
