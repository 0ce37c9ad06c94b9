from django.urls import path

from fangxian.imports import views

app_name = "imports"

urlpatterns = [
    path("", views.import_list_view, name="import-list"),
    path("new/", views.import_upload_view, name="import-upload"),
    # An enterprise's roster (返岗人员花名册), opened from its roster page, its contact included.
    path("enterprise/<int:enterprise_id>/new/", views.roster_upload_view, name="roster-upload"),
    path("<int:job_id>/", views.import_detail_view, name="import-detail"),
    path("<int:job_id>/columns/", views.import_mapping_view, name="import-mapping"),
    path("<int:job_id>/commit/", views.import_commit_view, name="import-commit"),
    path("<int:job_id>/rejected.xlsx", views.import_rejected_view, name="import-rejected"),
]
