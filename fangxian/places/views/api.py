"""The JSON endpoint for devices at places: POST /places/api/scans/.

Mirrors checkpoints' passage endpoint (fangxian/checkpoints/views/api.py): authentication is the
session, so CSRF protection stays on (the device sends the `csrftoken` cookie's value in
`X-CSRFToken`); the account needs manage_places over the place's region (a village cadre's
device at the market gate, HQ's at a station). Body:

    {"place": id or "token", "client_id": UUID, "code": personal code or "phone": mobile,
     "direction": "in"/"out" (optional: else entry, or exit after an entry), "occurred_at": ISO}

Answers 201 {"id", "direction", "created"} for a new scan, 200 with the same id for a repeated
`client_id`, 400 {"errors": {field: ["字段：…"]}} in Chinese, 404 for a place outside the scope
or unknown. Nothing about the person behind a code is ever answered.
"""

import json

from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, JsonResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from fangxian.accounts.decorators import capability_required
from fangxian.accounts.roles import Capability
from fangxian.places import selectors
from fangxian.places.forms import ScanApiForm
from fangxian.places.models import Place, Scan
from fangxian.places.services import scan_record
from fangxian.regions.scope import scoped

MANAGE = Capability.MANAGE_PLACES
FIELDS = ("client_id", "phone", "code", "direction", "occurred_at")


def _error(status: int, errors: dict[str, list[str]]) -> JsonResponse:
    return JsonResponse(
        {"errors": errors}, status=status, json_dumps_params={"ensure_ascii": False}
    )


def _place(user, value) -> Place:
    """The place by id or token, within the user's scope; Http404 otherwise."""
    places = scoped(Place.objects.select_related("region"), user, MANAGE)
    if isinstance(value, int) and not isinstance(value, bool):
        lookup = {"pk": value}
    elif isinstance(value, str) and value.isdigit():
        lookup = {"pk": int(value)}
    elif isinstance(value, str) and 0 < len(value) <= selectors.TOKEN_MAX:
        lookup = {"token": value}
    else:
        raise Http404
    place = places.filter(**lookup).first()
    if place is None:
        raise Http404
    return place


def _labelled(form) -> dict[str, list[str]]:
    """Errors keyed by field, each message starting with the field's label: 手机号：…"""
    found: dict[str, list[str]] = {}
    for name, errors in form.errors.items():
        label = form.fields[name].label if name in form.fields else ""
        found[name] = [f"{label}：{error}" if label else str(error) for error in errors]
    return found


@capability_required(MANAGE)
@require_POST
def scan_create_api(request: HttpRequest) -> JsonResponse:
    try:
        body = json.loads(request.body or b"{}")
    except (ValueError, UnicodeDecodeError):
        return _error(400, {"__all__": [_("The request body is not valid JSON.")]})
    if not isinstance(body, dict):
        return _error(400, {"__all__": [_("The request body must be a JSON object.")]})
    if body.get("place") in (None, ""):
        return _error(400, {"place": [_("Place: give the place's number or its code.")]})
    try:
        place = _place(request.user, body["place"])
    except Http404:
        return _error(404, {"place": [_("Place: no such place.")]})
    data = {name: str(body[name]) for name in FIELDS if body.get(name) not in (None, "")}
    form = ScanApiForm(data)
    if not form.is_valid():
        return _error(400, _labelled(form))
    person = None
    if form.cleaned_data["code"].strip():
        person = selectors.person_by_code(text=form.cleaned_data["code"])
        if person is None:
            return _error(400, {"code": [_("Personal code: this code cannot be used.")]})
    try:
        scan, created = scan_record(
            place=place,
            client_id=form.cleaned_data["client_id"],
            person=person,
            phone=form.cleaned_data["phone"],
            direction=form.cleaned_data["direction"] or None,
            occurred_at=form.cleaned_data["occurred_at"],
            source=Scan.Source.DEVICE,
            recorded_by=request.user,
        )
    except ValidationError as error:
        labels = {name: f.label for name, f in form.fields.items()} | {"place": _("Place")}
        return _error(
            400,
            {
                field: [f"{labels[field]}：{m}" if field in labels else m for m in ms]
                for field, ms in error.message_dict.items()
            },
        )
    if scan.place_id != place.pk:
        # The id was already used for another place's scan: never show it here.
        return _error(409, {"client_id": [_("Client id: already used for another scan.")]})
    return JsonResponse(
        {"id": scan.pk, "direction": scan.direction, "created": created},
        status=201 if created else 200,
    )
