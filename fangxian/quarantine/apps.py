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

        from fangxian.people.panels import register_person_panel
        from fangxian.quarantine.views.orders import person_orders_panel

        register_person_panel(person_orders_panel)  # the person's orders on their page

        from fangxian.people.home import register_home_section
        from fangxian.quarantine.views.today import today_home_section

        register_home_section(today_home_section)  # a team member's to-do list for the day

        from fangxian.checkpoints.handover import register_handover_handler
        from fangxian.enterprises.hooks import register_placement_handler
        from fangxian.quarantine.handover import on_handover, place_worker

        register_handover_handler(on_handover)  # 卡点移交: a pending order for the ledger's people
        register_placement_handler(place_worker)  # an enterprise's worker placed in one step
