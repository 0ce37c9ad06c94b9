from django.contrib import admin

from fangxian.places.models import Place


@admin.register(Place)
class PlaceAdmin(admin.ModelAdmin):
    """Places for the back office. Scans are not here: they are append-only records read
    through the scoped pages (figures, scan lists, the exposure search)."""

    list_display = ("name", "kind", "region", "is_open", "created_at")
    list_filter = ("kind", "is_open")
    search_fields = ("name", "address")
    raw_id_fields = ("region", "created_by")
    readonly_fields = ("token", "token_issued_at", "closed_at", "created_by", "created_at")
