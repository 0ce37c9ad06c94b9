from django.contrib import admin

from fangxian.enterprises.models import ReportingRules


@admin.register(ReportingRules)
class ReportingRulesAdmin(admin.ModelAdmin):
    list_display = ["region", "deadline", "updated_at"]
    raw_id_fields = ["region"]
    readonly_fields = ["updated_by"]
