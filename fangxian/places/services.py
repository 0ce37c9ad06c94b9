"""Writes for place codes (场所码): registering places, closing and reopening them, withdrawing
their code, and recording scans.

`scan_record` is the one way a scan is written, whatever sends it (the public scan page, the
device endpoint, the demo). A scan is its own record (append-only, with its source and who
recorded it), so no audit entry is written per scan: ingest stays one insert. Every change to a
place is audited.
"""

import secrets
import uuid
from datetime import datetime, timedelta
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from fangxian.audit.services import Action, audit_record
from fangxian.places.models import Place, Scan
from fangxian.places.phones import normalize_mobile

PLACE_FIELDS = ("region", "name", "kind", "address", "contact_name", "contact_phone")
# A second scan of the same place within this time is the exit of the first.
EXIT_WINDOW = timedelta(hours=12)
FUTURE_MINUTES = 10  # a device's clock may run a little ahead; more is a mistake


def new_token() -> str:
    """22 random URL-safe characters: unguessable, and nothing about the place in the QR code."""
    return secrets.token_urlsafe(16)


# --- places ---------------------------------------------------------------------------------


@transaction.atomic
def place_create(*, actor: Any, **fields: Any) -> Place:
    """Register a place (village, name, kind, address, contact) with a fresh code. Audited."""
    place = Place(
        **fields,
        token=new_token(),
        token_issued_at=timezone.now(),
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    place.full_clean()
    place.save()
    audit_record(actor=actor, action=Action.CREATE, obj=place)
    return place


@transaction.atomic
def place_update(*, actor: Any, place: Place, **fields: Any) -> Place:
    """Change a place's details; the audit entry names the changed fields."""
    changes = {
        name: [str(getattr(place, name)), str(value)]
        for name, value in fields.items()
        if getattr(place, name) != value
    }
    for name, value in fields.items():
        setattr(place, name, value)
    place.full_clean()
    if changes:
        place.save(update_fields=[*changes, "updated_at"])
        audit_record(actor=actor, action=Action.UPDATE, obj=place, changes=changes)
    return place


@transaction.atomic
def place_close(*, actor: Any, place: Place, reason: str) -> Place:
    """暂停营业: the scan page shows the place closed, with the reason, and records nothing."""
    reason = reason.strip()
    if not reason:
        raise ValidationError({"closed_reason": _("Say why the place is closed.")})
    if not place.is_open:
        raise ValidationError(_("This place is already closed."))
    place.is_open, place.closed_reason, place.closed_at = False, reason[:200], timezone.now()
    place.save(update_fields=["is_open", "closed_reason", "closed_at", "updated_at"])
    audit_record(
        actor=actor,
        action=Action.UPDATE,
        obj=place,
        changes={"is_open": ["True", "False"]},
        detail={"reason": place.closed_reason},
    )
    return place


@transaction.atomic
def place_reopen(*, actor: Any, place: Place) -> Place:
    """Open a closed place again: its code records scans once more."""
    if place.is_open:
        raise ValidationError(_("This place is open."))
    place.is_open, place.closed_reason, place.closed_at = True, "", None
    place.save(update_fields=["is_open", "closed_reason", "closed_at", "updated_at"])
    audit_record(
        actor=actor, action=Action.UPDATE, obj=place, changes={"is_open": ["False", "True"]}
    )
    return place


@transaction.atomic
def place_code_reissue(*, actor: Any, place: Place) -> Place:
    """Withdraw the place's code and issue a new one: posters printed before stop working at
    once (their token no longer exists). Audited; the tokens themselves are not logged."""
    place.token, place.token_issued_at = new_token(), timezone.now()
    place.save(update_fields=["token", "token_issued_at", "updated_at"])
    audit_record(actor=actor, action=Action.UPDATE, obj=place, detail={"code_reissued": True})
    return place


# --- scans ----------------------------------------------------------------------------------


def uncorrected(scans):
    """Scans that no later scan corrects (lists, figures and the exit rule read these)."""
    return scans.filter(~Exists(Scan.objects.filter(corrects_id=OuterRef("pk"))))


def next_direction(*, place: Place, person: Any, phone: str, at: datetime) -> str:
    """Exit when the latest uncorrected, not withdrawn scan of the same person (or phone) at
    this place within EXIT_WINDOW before `at` is an entry; else entry. One query, along the
    (place, occurred_at) index."""
    who = Q(person=person) if person is not None else Q(phone=phone)
    latest = (
        uncorrected(
            Scan.objects.filter(
                who,
                place=place,
                occurred_at__gte=at - EXIT_WINDOW,
                occurred_at__lte=at,
                withdrawn=False,
            )
        )
        .order_by("-occurred_at", "-id")
        .values_list("direction", flat=True)
        .first()
    )
    return Scan.Direction.OUT if latest == Scan.Direction.IN else Scan.Direction.IN


def validate_scan(
    *, place: Place, person: Any, phone: str, direction: str | None, occurred_at: datetime | None
) -> str:
    """The rules every scan meets, errors naming the field (in Chinese); the phone normalized."""
    errors: dict[str, str] = {}
    if not place.is_open:
        errors["place"] = _("This place is closed for now: nothing was recorded.")
    normalized = ""
    if phone:
        normalized = normalize_mobile(phone) or ""
        if not normalized:
            errors["phone"] = _("Enter an 11-digit mainland mobile number, e.g. 13812345678.")
    elif person is None:
        errors["phone"] = _("Give a mobile number or a personal code.")
    if direction is not None and direction not in Scan.Direction.values:
        errors["direction"] = _("Direction is “in” or “out”.")
    if occurred_at is not None and occurred_at > timezone.now() + timedelta(minutes=FUTURE_MINUTES):
        errors["occurred_at"] = _("The time is in the future.")
    if errors:
        raise ValidationError(errors)
    return normalized


def scan_record(
    *,
    place: Place,
    client_id: uuid.UUID,
    person: Any = None,
    phone: str = "",
    direction: str | None = None,
    occurred_at: datetime | None = None,
    source: str,
    recorded_by: Any = None,
) -> tuple[Scan, bool]:
    """Record a scan of `place`: (the scan, whether this call created it).

    Idempotent by `client_id`: a retry returns the scan the first call made and writes nothing
    (the unique constraint settles two calls racing; the insert is tried first and the existing
    row read only when it fails, so the common path is one query for the direction and one
    insert). Without `direction`, a scan is an exit when the same person's (or phone's) latest
    scan here within 12 hours is an entry (`next_direction`). `region` is the place's and `day`
    the local date (TIME_ZONE) of `occurred_at`. A closed place, a missing or malformed phone
    raise ValidationError naming the field.
    """
    phone = validate_scan(
        place=place, person=person, phone=phone, direction=direction, occurred_at=occurred_at
    )
    at = occurred_at or timezone.now()
    if direction is None:
        direction = next_direction(place=place, person=person, phone=phone, at=at)
    scan = Scan(
        client_id=client_id,
        place=place,
        region_id=place.region_id,
        person=person,
        phone=phone,
        direction=direction,
        occurred_at=at,
        day=timezone.localdate(at),
        source=source,
        recorded_by=recorded_by if getattr(recorded_by, "is_authenticated", False) else None,
    )
    # Field rules only: the foreign keys come as objects and the database holds the constraints
    # (each validated here would cost a query on the hottest path of the product).
    scan.full_clean(
        exclude=["client_id", "place", "region", "person", "recorded_by", "corrects"],
        validate_unique=False,
        validate_constraints=False,
    )
    try:
        with transaction.atomic():
            scan.save(force_insert=True)
    except IntegrityError:
        found = Scan.objects.filter(client_id=client_id).first()
        if found is None:
            raise
        return found, False
    return scan, True
