from django.urls import path

from fangxian.reports.views import (
    daily,
    dashboard,
    figures,
    home,
    instructions,
    settings,
    unit,
)

app_name = "reports"

urlpatterns = [
    path("", home.reports_home_view, name="home"),
    path("settings/", settings.settings_view, name="settings"),
    path("settings/indicator/", settings.indicator_edit_view, name="indicator-edit"),
    path("settings/wording/", settings.wording_view, name="wording"),
    path("settings/units/generate/", settings.units_generate_view, name="units-generate"),
    path("settings/units/new/", settings.unit_create_view, name="unit-create"),
    path("settings/units/<int:unit_id>/", settings.unit_edit_view, name="unit-edit"),
    path("units/<int:unit_id>/", unit.unit_form_view, name="unit-form"),
    path("sent/<int:unit_report_id>/", unit.unit_report_view, name="unit-report"),
    path("completeness/", figures.completeness_view, name="completeness"),
    path("figures/", figures.figures_view, name="figures"),
    path("figures/units/", figures.figure_units_view, name="figure-units"),
    path("figures/records/", figures.figure_records_view, name="figure-records"),
    path("instructions/", instructions.instruction_list_view, name="instruction-list"),
    path("instructions/new/", instructions.instruction_create_view, name="instruction-create"),
    path(
        "instructions/<int:instruction_id>/",
        instructions.instruction_detail_view,
        name="instruction-detail",
    ),
    path("tasks/", instructions.receipt_list_view, name="receipt-list"),
    path("tasks/<int:receipt_id>/", instructions.receipt_respond_view, name="receipt-respond"),
    path("daily/", daily.daily_view, name="daily"),
    path("daily/download/", daily.daily_download_view, name="daily-download"),
    path("dashboard/", dashboard.dashboard_view, name="dashboard"),
    path("dashboard/data/", dashboard.dashboard_data_view, name="dashboard-data"),
    path("dashboard/xlsx/", dashboard.dashboard_xlsx_view, name="dashboard-xlsx"),
]
