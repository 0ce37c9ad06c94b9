from django.urls import path

from fangxian.screening.views import campaigns, exports, key_areas, self_reports, trips, visits

app_name = "screening"

urlpatterns = [
    # Door-to-door screening campaigns (拉网式排查) and their coverage.
    path("campaigns/", campaigns.campaign_list_view, name="campaign-list"),
    path("campaigns/new/", campaigns.campaign_create_view, name="campaign-create"),
    path("campaigns/<int:campaign_id>/", campaigns.campaign_detail_view, name="campaign-detail"),
    path(
        "campaigns/<int:campaign_id>/regions/<str:code>/",
        campaigns.campaign_region_view,
        name="campaign-region",
    ),
    path(
        "campaigns/<int:campaign_id>/regions/<str:code>/export/",
        exports.coverage_export_view,
        name="coverage-export",
    ),
    path(
        "campaigns/<int:campaign_id>/regions/<str:code>/to-visit/export/",
        exports.to_visit_export_view,
        name="to-visit-export",
    ),
    path(
        "campaigns/<int:campaign_id>/regions/<str:code>/visits/export/",
        exports.visit_export_view,
        name="visit-export",
    ),
    path(
        "campaigns/<int:campaign_id>/households/<int:household_id>/visit/",
        visits.visit_create_view,
        name="visit-create",
    ),
    path(
        "campaigns/<int:campaign_id>/regions/<str:code>/visits/",
        visits.visit_list_view,
        name="visit-list",
    ),
    path(
        "campaigns/<int:campaign_id>/visits/<int:visit_id>/",
        visits.visit_edit_view,
        name="visit-edit",
    ),
    # Returnees (返乡人员): trips, and the key areas (重点地区) that classify them.
    path("returnees/", trips.returnee_list_view, name="returnee-list"),
    path("returnees/export/", exports.returnee_export_view, name="returnee-export"),
    path("people/<int:person_id>/trips/new/", trips.trip_create_view, name="trip-create"),
    path("trips/places/", trips.trip_places_view, name="trip-places"),
    path("key-areas/", key_areas.key_area_list_view, name="key-area-list"),
    path("key-areas/new/", key_areas.key_area_create_view, name="key-area-create"),
    path("key-areas/<int:key_area_id>/", key_areas.key_area_edit_view, name="key-area-edit"),
    path("key-areas/<int:key_area_id>/end/", key_areas.key_area_end_view, name="key-area-end"),
    path(
        "key-areas/<int:key_area_id>/delete/",
        key_areas.key_area_delete_view,
        name="key-area-delete",
    ),
    # Self-reports (自主申报) from the public form: verified by the place's grid workers.
    path("self-reports/", self_reports.self_report_list_view, name="self-report-list"),
    path(
        "self-reports/<int:report_id>/",
        self_reports.self_report_detail_view,
        name="self-report-detail",
    ),
    path(
        "self-reports/<int:report_id>/verify/",
        self_reports.self_report_verify_view,
        name="self-report-verify",
    ),
    path(
        "self-reports/<int:report_id>/reject/",
        self_reports.self_report_reject_view,
        name="self-report-reject",
    ),
    path(
        "self-reports/poster/<str:code>/",
        self_reports.self_report_poster_view,
        name="self-report-poster",
    ),
]
