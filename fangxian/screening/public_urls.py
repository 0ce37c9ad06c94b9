"""Public pages (no login): a village's self-report form, which its poster's QR code opens."""

from django.urls import path

from fangxian.screening.views import self_reports

app_name = "report"

urlpatterns = [
    path("<str:code>/", self_reports.self_report_form_view, name="form"),
    path("<str:code>/thanks/", self_reports.self_report_thanks_view, name="thanks"),
]
