from django.urls import path

from fangxian.enterprises.views import charts, registry, reports, resumption, workers

app_name = "enterprises"

urlpatterns = [
    # The registry (企业台账) and enterprise accounts.
    path("", registry.enterprise_list_view, name="enterprise-list"),
    path("new/", registry.enterprise_create_view, name="enterprise-create"),
    path("deadline/", registry.deadline_view, name="deadline"),
    path("<int:enterprise_id>/", registry.enterprise_detail_view, name="enterprise-detail"),
    path("<int:enterprise_id>/edit/", registry.enterprise_edit_view, name="enterprise-edit"),
    path("<int:enterprise_id>/accounts/new/", registry.account_create_view, name="account-create"),
    # Resumption (复工复产).
    path("resumption/", resumption.application_list_view, name="application-list"),
    path(
        "<int:enterprise_id>/resumption/",
        resumption.application_detail_view,
        name="application-detail",
    ),
    path(
        "<int:enterprise_id>/resumption/edit/",
        resumption.application_edit_view,
        name="application-edit",
    ),
    path(
        "<int:enterprise_id>/resumption/submit/",
        resumption.application_submit_view,
        name="application-submit",
    ),
    path(
        "<int:enterprise_id>/resumption/review/",
        resumption.application_review_view,
        name="application-review",
    ),
    path(
        "<int:enterprise_id>/resumption/reopen/",
        resumption.application_reopen_view,
        name="application-reopen",
    ),
    path(
        "<int:enterprise_id>/resumption/plan/",
        resumption.application_document_view,
        name="application-document",
    ),
    # Worker rosters (返岗人员花名册).
    path("<int:enterprise_id>/workers/", workers.worker_list_view, name="worker-list"),
    path("<int:enterprise_id>/workers/new/", workers.worker_create_view, name="worker-create"),
    path("workers/<int:worker_id>/", workers.worker_detail_view, name="worker-detail"),
    path("workers/<int:worker_id>/place/", workers.worker_place_view, name="worker-place"),
    # Daily reports (每日线上上报).
    path("<int:enterprise_id>/reports/new/", reports.report_form_view, name="report-form"),
    path("reports/", reports.report_list_view, name="report-list"),
    path("reports/status/", reports.report_status_view, name="report-status"),
    path("reports/<int:daily_report_id>/", reports.report_detail_view, name="report-detail"),
    path(
        "reports/<int:daily_report_id>/review/",
        reports.report_review_view,
        name="report-review",
    ),
    # Live charts (实时图表).
    path("charts/", charts.charts_view, name="charts"),
    path("charts/data.json", charts.charts_data_view, name="charts-data"),
]
