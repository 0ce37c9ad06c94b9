from django.contrib import admin

from fangxian.audit.models import AuditEntry


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    """Read-only: nobody adds, changes or deletes audit entries from the admin."""

    list_display = [
        "at",
        "username",
        "action",
        "object_type",
        "object_repr",
        "region",
        "ip_address",
    ]
    list_filter = ["action", "object_type"]
    search_fields = ["username", "object_repr", "object_id"]
    date_hierarchy = "at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
