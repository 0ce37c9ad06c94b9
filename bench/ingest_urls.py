"""The URLconf of the scan-ingest benchmark's server: the product's URLs, plus the baseline it is
measured against, a minimal Django view that inserts one Scan row from the same JSON.

The baseline goes through the same server, the same middleware (sessions, CSRF, authentication,
the idle-session refresh) and the same authentication (a logged-in session; CSRF token in
X-CSRFToken, not exempted), so what the comparison leaves is the product's own work: validation,
scope, the person lookup, idempotence and whatever else the endpoint does per scan.
"""

import json

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, JsonResponse
from django.urls import path
from django.utils import timezone
from django.views.decorators.http import require_POST

from fangxian.places.models import Place, Scan
from fangxian.urls import urlpatterns as product_urlpatterns

# Place id → its region id, read once per place per worker process: the baseline writes one row
# and reads nothing else per request.
_REGION_OF_PLACE: dict[int, int] = {}


@login_required
@require_POST
def scan_insert_minimal(request: HttpRequest) -> JsonResponse:
    body = json.loads(request.body)
    place_id = int(body["place"])
    if place_id not in _REGION_OF_PLACE:
        _REGION_OF_PLACE[place_id] = Place.objects.values_list("region_id", flat=True).get(
            pk=place_id
        )
    now = timezone.now()
    scan = Scan.objects.create(
        client_id=body["client_id"],
        place_id=place_id,
        region_id=_REGION_OF_PLACE[place_id],
        phone=body.get("phone", ""),
        direction=body.get("direction") or Scan.Direction.IN,
        occurred_at=now,
        day=timezone.localdate(now),
        source=Scan.Source.DEVICE,
        recorded_by_id=request.user.pk,
    )
    return JsonResponse({"id": scan.pk}, status=201)


urlpatterns = [
    path("bench/minimal-scan/", scan_insert_minimal, name="bench-minimal-scan"),
    *product_urlpatterns,
]
