from django.contrib import admin
from django.urls import include, path

from fangxian.people.views.regions import home_view

admin.site.site_header = "防线 Fangxian"
admin.site.site_title = "防线 Fangxian"

urlpatterns = [
    path("", home_view, name="home"),
    path("accounts/", include("fangxian.accounts.urls")),
    path("audit/", include("fangxian.audit.urls")),
    path("imports/", include("fangxian.imports.urls")),
    path("screening/", include("fangxian.screening.urls")),
    path("quarantine/", include("fangxian.quarantine.urls")),
    path("enterprises/", include("fangxian.enterprises.urls")),
    path("report/", include("fangxian.screening.public_urls")),  # public: no login
    path("checkpoints/", include("fangxian.checkpoints.urls")),
    path("reports/", include("fangxian.reports.urls")),
    path("tracing/", include("fangxian.tracing.urls")),
    path("c/", include("fangxian.checkpoints.code_urls")),  # personal codes: neutral to outsiders
    path("places/", include("fangxian.places.urls")),
    path("p/", include("fangxian.places.public_urls")),  # place codes' scan page: public
    path("admin/", admin.site.urls),
    path("", include("fangxian.people.urls")),
]
