"""Searches and their contacts, read-only: they are written by the audited services only."""

from django.contrib import admin

from fangxian.tracing.models import Contact, Search


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Search)
class SearchAdmin(ReadOnlyAdmin):
    list_display = ["id", "created_by", "created_at", "purpose", "ring1_count", "ring2_status"]
    list_select_related = ["created_by"]
    raw_id_fields = ["person", "region", "batch"]


@admin.register(Contact)
class ContactAdmin(ReadOnlyAdmin):
    list_display = ["id", "search", "ring", "via", "where", "overlap_from", "overlap_until"]
    list_select_related = ["search"]
    raw_id_fields = ["search", "person", "place", "passage", "through_person"]
