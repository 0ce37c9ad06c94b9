"""Routes of the team's phone pages (the day's round, alerts, calls, errands and care)."""

from django.urls import path

from fangxian.quarantine.views import alerts, errands, rounds, today

urlpatterns: list = [
    path("today/", today.today_view, name="today"),
    path("round/", rounds.round_view, name="round"),
    path("round/<int:order_id>/call/", rounds.call_view, name="call"),
    path("alerts/", alerts.alert_list_view, name="alert-list"),
    path("alerts/<int:alert_id>/", alerts.alert_detail_view, name="alert-detail"),
    path("alerts/<int:alert_id>/advance/", alerts.alert_advance_view, name="alert-advance"),
    path("errands/", errands.errand_list_view, name="errand-list"),
    path("errands/new/<int:order_id>/", errands.errand_create_view, name="errand-create"),
    path("errands/<int:errand_id>/advance/", errands.errand_advance_view, name="errand-advance"),
    path("care/<int:order_id>/", errands.care_view, name="care"),
]
