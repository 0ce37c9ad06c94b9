from django.urls import path

from fangxian.screening.views import campaigns, key_areas, trips, visits

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
        "campaigns/<int:campaign_id>/households/<int:household_id>/visit/",
        visits.visit_create_view,
        name="visit-create",
    ),
    # Returnees (返乡人员): trips, and the key areas (重点地区) that classify them.
    path("returnees/", trips.returnee_list_view, name="returnee-list"),
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
]
