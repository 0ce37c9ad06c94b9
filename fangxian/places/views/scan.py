"""The public scan page a place's poster opens: /p/<token>/ (no login, no app).

Light for a weak network: its own small template with inline CSS and a few lines of script,
no Bootstrap, no htmx. One round trip to record: the POST answers with the result itself (no
redirect), and a repeated POST (same client id) shows the same result without a second record.
"""

import uuid

from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt

from fangxian.places import selectors
from fangxian.places.forms import ScanPageForm
from fangxian.places.models import Place, Scan
from fangxian.places.nonce import make_nonce, nonce_valid
from fangxian.places.services import scan_record


def _form(place: Place, data=None) -> ScanPageForm:
    client_id = uuid.uuid4()
    initial = {"client_id": client_id, "nonce": make_nonce(token=place.token, client_id=client_id)}
    return ScanPageForm(data, initial=initial)


def _page(request: HttpRequest, place: Place, form: ScanPageForm, *, status: int = 200, **extra):
    context = {"place": place, "form": form, **extra}
    return render(request, "places/scan.html", context, status=status)


# The page is public and carries no session: the signed nonce bound to the place and the client
# id protects the form instead of the CSRF cookie (which a first visit would not have yet).
@csrf_exempt
@never_cache
def scan_view(request: HttpRequest, token: str) -> HttpResponse:
    place = selectors.place_by_token(token=token)
    if place is None:
        return render(request, "places/scan_invalid.html", status=404)
    if not place.is_open:
        return render(request, "places/scan_closed.html", {"place": place})
    if request.method != "POST":
        return _page(request, place, _form(place))
    form = ScanPageForm(request.POST)
    if not form.is_valid():
        if "client_id" in form.errors or "nonce" in form.errors:
            return _expired(request, place)
        # Keep the client id and nonce typed with: a corrected resend is the same attempt.
        return _page(request, place, form, status=400)
    client_id = form.cleaned_data["client_id"]
    if not nonce_valid(nonce=form.cleaned_data["nonce"], token=place.token, client_id=client_id):
        return _expired(request, place)
    person = None
    if form.cleaned_data["code"].strip():
        person = selectors.person_by_code(text=form.cleaned_data["code"])
        if person is None:
            return _page(
                request,
                place,
                _form(place),
                status=400,
                refused=_("This personal code cannot be used. Enter your mobile number instead."),
                forget_code=True,
            )
    try:
        scan, _created = scan_record(
            place=place,
            client_id=client_id,
            person=person,
            phone=form.cleaned_data["phone"],
            source=Scan.Source.PAGE,
        )
    except ValidationError as error:  # closed meanwhile
        return _page(request, place, _form(place), status=400, refused=error.messages[0])
    if scan.place_id != place.pk:  # the id was used for another place: show nothing of it
        return _expired(request, place)
    context = {"place": place, "scan": scan, "at": timezone.localtime(scan.occurred_at)}
    return render(request, "places/scan_result.html", context)


def _expired(request: HttpRequest, place: Place) -> HttpResponse:
    """A tampered, foreign or expired form: nothing recorded; a fresh form to send again."""
    message = _("This page has expired. Scan the code again, or send the form below.")
    return _page(request, place, _form(place), status=400, refused=message)
