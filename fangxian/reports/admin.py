from django import forms
from django.contrib import admin

from fangxian.reports import computed
from fangxian.reports.models import (
    DailyReport,
    Indicator,
    Instruction,
    InstructionReceipt,
    Reminder,
    ReportDeadline,
    ReportingUnit,
    ReportRevision,
    ReportValue,
    ReportWording,
    UnitKind,
)


class IndicatorAdminForm(forms.ModelForm):
    computation = forms.ChoiceField(required=False)
    unit_kinds = forms.MultipleChoiceField(
        choices=UnitKind.choices, widget=forms.CheckboxSelectMultiple
    )

    class Meta:
        model = Indicator
        fields = [
            "name",
            "code",
            "unit",
            "kind",
            "computation",
            "semantics",
            "unit_kinds",
            "position",
            "is_active",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["computation"].choices = [("", "—"), *computed.choices()]
        self.fields["computation"].label = Indicator._meta.get_field("computation").verbose_name


@admin.register(Indicator)
class IndicatorAdmin(admin.ModelAdmin):
    form = IndicatorAdminForm
    list_display = [
        "name",
        "code",
        "unit",
        "kind",
        "computation",
        "semantics",
        "position",
        "is_active",
    ]
    list_editable = ["position", "is_active"]
    list_filter = ["kind", "is_active"]


@admin.register(ReportingUnit)
class ReportingUnitAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "region", "reports_from", "is_active"]
    list_filter = ["kind", "is_active"]
    raw_id_fields = ["region"]
    filter_horizontal = ["members"]
    search_fields = ["name"]


@admin.register(ReportDeadline)
class ReportDeadlineAdmin(admin.ModelAdmin):
    list_display = ["region", "deadline"]
    raw_id_fields = ["region"]


@admin.register(ReportWording)
class ReportWordingAdmin(admin.ModelAdmin):
    list_display = ["__str__", "title", "updated_at"]
    raw_id_fields = ["region"]


class ReadOnlyAdmin(admin.ModelAdmin):
    """Reports change through the unit's form (a correction with a reason), never here."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ReportValueInline(admin.TabularInline):
    model = ReportValue
    can_delete = False
    extra = 0
    readonly_fields = ["indicator", "value"]


@admin.register(DailyReport)
class DailyReportAdmin(ReadOnlyAdmin):
    list_display = ["unit", "day", "status", "on_time", "submitted_by", "submitted_at"]
    list_filter = ["status", "on_time", "day"]
    inlines = [ReportValueInline]


@admin.register(ReportRevision)
class ReportRevisionAdmin(ReadOnlyAdmin):
    list_display = ["report", "number", "by", "at", "reason"]


@admin.register(Reminder)
class ReminderAdmin(ReadOnlyAdmin):
    list_display = ["unit", "day", "created_at"]


class ReceiptInline(admin.TabularInline):
    model = InstructionReceipt
    extra = 0
    can_delete = False
    readonly_fields = ["unit", "acknowledged_at", "reported_back", "reported_back_at", "done_at"]
    exclude = ["acknowledged_by"]


@admin.register(Instruction)
class InstructionAdmin(ReadOnlyAdmin):
    list_display = ["title", "region", "due_on", "issued_by", "issued_at"]
    inlines = [ReceiptInline]
