from django.urls import path

from fangxian.places.views import api, figures, places

app_name = "places"

urlpatterns = [
    # HQ and village cadres (manage_places): places, their posters, figures and scans.
    path("", places.place_list_view, name="place-list"),
    path("new/", places.place_create_view, name="place-create"),
    path("<int:place_id>/", places.place_detail_view, name="place-detail"),
    path("<int:place_id>/edit/", places.place_edit_view, name="place-edit"),
    path("<int:place_id>/close/", places.place_close_view, name="place-close"),
    path("<int:place_id>/reopen/", places.place_reopen_view, name="place-reopen"),
    path("<int:place_id>/reissue/", places.place_reissue_view, name="place-reissue"),
    path("<int:place_id>/poster/", places.place_poster_view, name="place-poster"),
    path("posters/<str:code>/", places.village_posters_view, name="village-posters"),
    path("figures/", figures.figures_view, name="figures"),
    path("scans/", figures.scan_list_view, name="scan-list"),
    # The device endpoint (session + CSRF, like checkpoints').
    path("api/scans/", api.scan_create_api, name="api-scan-create"),
]
