"""Quarantine and health monitoring (隔离管控): settings HQ edits, orders, sites, teams, checks,
alerts, errands and care. Split by theme; import the models from here."""

from fangxian.quarantine.models.care import (
    CareRecord,
    DailyCall,
    Errand,
    ErrandItem,
    FeverAlert,
    FeverAlertEvent,
    HealthCheck,
)
from fangxian.quarantine.models.config import (
    CheckSlot,
    OrderReason,
    QuarantineKind,
    QuarantineRules,
    Symptom,
    TeamRole,
)
from fangxian.quarantine.models.orders import (
    Appeal,
    OrderBatch,
    OrderEvent,
    QuarantineOrder,
    Room,
    Site,
    SupervisionAlert,
    TeamMember,
    new_door_token,
)

__all__ = [
    "Appeal",
    "CareRecord",
    "CheckSlot",
    "DailyCall",
    "Errand",
    "ErrandItem",
    "FeverAlert",
    "FeverAlertEvent",
    "HealthCheck",
    "OrderBatch",
    "OrderEvent",
    "OrderReason",
    "QuarantineKind",
    "QuarantineOrder",
    "QuarantineRules",
    "Room",
    "Site",
    "SupervisionAlert",
    "Symptom",
    "TeamMember",
    "TeamRole",
    "new_door_token",
]
