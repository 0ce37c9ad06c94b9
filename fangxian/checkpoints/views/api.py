"""The JSON endpoint for checkpoint devices: POST /checkpoints/api/passages/.

Authentication is the session (a device logs in as its checkpoint worker), so CSRF protection
stays on: the device sends the `csrftoken` cookie's value in `X-CSRFToken`, as our htmx pages do.
Exempting the endpoint from CSRF would be safe only with a token in a header that a browser never
adds by itself; we have no such token, so we do not exempt it (docs/architecture.md).

Idempotent by `client_id` (a UUID the device makes once per passage): the first call answers 201,
a retry 200 with the same id, and nothing is written twice. Validation is the form's
(forms.PassageForm and PassagePersonForm); errors come back in Chinese, each naming its field.
"""

import json
import uuid

from django.core.exceptions import ValidationError
from django.http import HttpRequest, JsonResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from fangxian.accounts.decorators import capability_required
from fangxian.accounts.roles import Capability
from fangxian.checkpoints import selectors
from fangxian.checkpoints.forms import PassageForm, PeopleFormSet, passage_input
from fangxian.checkpoints.services import passage_register

PASSAGE_FIELDS = (
    "client_id",
    "direction",
    "plate",
    "plate_other",
    "origin_text",
    "destination_text",
    "destination_region",
    "purpose",
    "decision",
    "decision_reason",
    "occurred_at",
)
PERSON_FIELDS = (
    "code",
    "id_number",
    "name",
    "phone",
    "temperature",
    "code_colour",
    "code_verified",
)


def _error(status: int, errors: dict[str, list[str]]) -> JsonResponse:
    return JsonResponse(
        {"errors": errors}, status=status, json_dumps_params={"ensure_ascii": False}
    )


def _form_data(body: dict) -> dict[str, str]:
    """The JSON body as the forms' POST data (people as a formset of `people-N-field`)."""
    data = {name: body[name] for name in PASSAGE_FIELDS if body.get(name) not in (None, "")}
    for name in ("plate_other",):
        if data.get(name) is False:
            data.pop(name)
    people = body.get("people") or []
    if not isinstance(people, list):
        people = []
    data |= {"people-TOTAL_FORMS": str(len(people)), "people-INITIAL_FORMS": "0"}
    for index, person in enumerate(people[:12]):
        if not isinstance(person, dict):
            continue
        for name in PERSON_FIELDS:
            value = person.get(name)
            if value in (None, "", False):
                continue
            data[f"people-{index}-{name}"] = "on" if value is True else str(value)
    return {key: str(value) if not isinstance(value, str) else value for key, value in data.items()}


def _labelled(form, prefix: str = "") -> dict[str, list[str]]:
    """Errors keyed by field, each message starting with the field's label: 车牌号：…"""
    found: dict[str, list[str]] = {}
    for name, errors in form.errors.items():
        label = form.fields[name].label if name in form.fields else ""
        key = f"{prefix}{name}" if name != "__all__" else (prefix.rstrip(".") or "__all__")
        found[key] = [f"{label}：{error}" if label else str(error) for error in errors]
    return found


@capability_required(Capability.REGISTER_PASSAGES)
@require_POST
def passage_create_api(request: HttpRequest) -> JsonResponse:
    try:
        body = json.loads(request.body or b"{}")
    except (ValueError, UnicodeDecodeError):
        return _error(400, {"__all__": [_("The request body is not valid JSON.")]})
    if not isinstance(body, dict):
        return _error(400, {"__all__": [_("The request body must be a JSON object.")]})
    try:
        checkpoint_id = int(body.get("checkpoint"))
    except (TypeError, ValueError):
        return _error(400, {"checkpoint": [_("Checkpoint: give the checkpoint's number.")]})
    checkpoint = selectors.checkpoint_get(
        user=request.user, checkpoint_id=checkpoint_id, capability=Capability.REGISTER_PASSAGES
    )
    data = _form_data(body)
    if "client_id" not in data:
        return _error(400, {"client_id": [_("Client id: send a UUID made once per passage.")]})
    form = PassageForm(data, checkpoint=checkpoint)
    people = PeopleFormSet(data, prefix="people", user=request.user)
    valid = form.is_valid() & people.is_valid()
    if not valid:
        errors = _labelled(form)
        for index, person_form in enumerate(people.forms):
            errors |= _labelled(person_form, prefix=f"people.{index}.")
        if people.non_form_errors():
            errors["people"] = list(people.non_form_errors())
        return _error(400, errors)
    try:
        result = passage_register(
            actor=request.user,
            checkpoint=checkpoint,
            client_id=form.cleaned_data["client_id"],
            data=passage_input(form, people),
        )
    except ValidationError as error:
        return _error(
            400,
            {
                field: [
                    f"{form.fields[field].label}：{m}" if field in form.fields else m for m in ms
                ]
                for field, ms in error.message_dict.items()
            },
        )
    passage = result.passage
    if passage is not None and passage.checkpoint_id != checkpoint.pk:
        # The id was already used for another checkpoint's passage: never show it here.
        return _error(409, {"client_id": [_("Client id: already used for another passage.")]})
    return JsonResponse(
        {
            "id": passage.pk if passage is not None else None,
            "client_id": str(uuid.UUID(str(form.cleaned_data["client_id"]))),
            "counted_only": result.counted,
            "created": result.created,
            "key_area": passage.key_area if passage is not None else False,
            "decision": passage.decision if passage is not None else "released",
        },
        status=201 if result.created else 200,
    )
