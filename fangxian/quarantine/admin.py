"""The settings HQ edits without code: kinds and periods, reasons, the team, check times,
symptoms, the fever threshold. Orders and everything about people change only through the
audited services, never here."""

from django.contrib import admin

from fangxian.quarantine.models import (
    CheckSlot,
    OrderReason,
    QuarantineKind,
    QuarantineRules,
    Symptom,
    TeamRole,
)


@admin.register(QuarantineKind)
class QuarantineKindAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "default_days", "needs_room", "is_active", "position"]
    list_editable = ["default_days", "is_active", "position"]

    def has_delete_permission(self, request, obj=None):
        return False  # orders point at kinds: retire one with "in use" instead


@admin.register(OrderReason)
class OrderReasonAdmin(admin.ModelAdmin):
    list_display = ["name", "is_active", "position"]
    list_editable = ["is_active", "position"]

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(TeamRole)
class TeamRoleAdmin(admin.ModelAdmin):
    list_display = ["name", "account_role", "required", "position"]
    list_editable = ["account_role", "required", "position"]


@admin.register(CheckSlot)
class CheckSlotAdmin(admin.ModelAdmin):
    list_display = ["name", "time", "is_active"]
    list_editable = ["time", "is_active"]


@admin.register(Symptom)
class SymptomAdmin(admin.ModelAdmin):
    list_display = ["name", "raises_alert", "is_active", "position"]
    list_editable = ["raises_alert", "is_active", "position"]


@admin.register(QuarantineRules)
class QuarantineRulesAdmin(admin.ModelAdmin):
    list_display = ["__str__", "fever_threshold", "check_grace_minutes"]

    def has_add_permission(self, request):
        return not QuarantineRules.objects.exists()

    def has_delete_permission(self, request, obj=None):
        return False
