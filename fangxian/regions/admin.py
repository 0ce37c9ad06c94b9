from django.contrib import admin

from fangxian.regions.models import Region


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):
    list_display = ["code", "short_name", "name", "level", "kind", "vintage", "is_local"]
    list_filter = ["level", "is_local", "vintage"]
    search_fields = ["code", "name", "short_name"]
    raw_id_fields = ["parent"]
    readonly_fields = ["path"]
