"""The page a place's poster opens: /p/<token>/ (public, no login)."""

from django.urls import path

from fangxian.places.views import scan

app_name = "scan"

urlpatterns = [path("<str:token>/", scan.scan_view, name="place")]
