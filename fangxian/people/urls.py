from django.urls import path

from fangxian.people import api
from fangxian.people.views import exports, households, merges, persons, regions

app_name = "people"

urlpatterns = [
    path("regions/<str:code>/", regions.region_detail_view, name="region-detail"),
    path("people/", persons.person_list_view, name="person-list"),
    path("people/export/", exports.person_export_view, name="person-export"),
    path("people/<int:person_id>/", persons.person_detail_view, name="person-detail"),
    path("people/<int:person_id>/full/", persons.person_reveal_view, name="person-reveal"),
    path("people/<int:person_id>/edit/", persons.person_edit_view, name="person-edit"),
    path("people/duplicates/", merges.duplicate_list_view, name="duplicate-list"),
    path("people/merge/", merges.person_merge_view, name="person-merge"),
    path("people/merges/", merges.merge_list_view, name="merge-list"),
    path("people/merges/<int:merge_id>/undo/", merges.merge_undo_view, name="merge-undo"),
    path("people/id-check/", persons.id_number_check_view, name="id-check"),
    path("households/new/", households.household_create_view, name="household-create"),
    path(
        "households/<int:household_id>/", households.household_detail_view, name="household-detail"
    ),
    path(
        "households/<int:household_id>/people/new/",
        persons.person_create_view,
        name="person-create",
    ),
    path("api/people/", api.person_list_api, name="api-person-list"),
    path("api/people/<int:person_id>/", api.person_detail_api, name="api-person-detail"),
    path("api/regions/<str:code>/", api.region_detail_api, name="api-region-detail"),
]
