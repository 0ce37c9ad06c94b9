from django.urls import path

from fangxian.tracing import views

app_name = "tracing"

urlpatterns = [
    path("", views.search_list_view, name="search-list"),
    path("new/", views.search_create_view, name="search-create"),
    path("<int:search_id>/", views.search_detail_view, name="search-detail"),
    path(
        "<int:search_id>/second-ring/",
        views.search_second_ring_view,
        name="search-second-ring",
    ),
    path("<int:search_id>/export/", views.search_export_view, name="search-export"),
    path("<int:search_id>/place/", views.search_place_view, name="search-place"),
    path("contacts/<int:contact_id>/reveal/", views.contact_reveal_view, name="contact-reveal"),
]
