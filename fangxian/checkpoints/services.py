"""Writes for checkpoints: setting them up, the rota, registering passages, notices, retention.

A passage is registered by `passage_register`, whatever sent it (the phone form, a correction,
a checkpoint device through the JSON endpoint): one transaction, idempotent by the client's id.
"""

import uuid
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from fangxian.audit.services import Action, audit_record, audit_record_many
from fangxian.checkpoints.handover import handover_after_commit
from fangxian.checkpoints.models import (
    FEVER_THRESHOLD,
    Checkpoint,
    CountedPassage,
    Direction,
    Notice,
    Passage,
    PassageCount,
    PassagePerson,
    Shift,
    ShiftMember,
)
from fangxian.regions import divisions
from fangxian.screening import classify
from fangxian.screening.trips import key_area_rules, reason_text

CHECKPOINT_FIELDS = ("region", "name", "level", "kind", "location", "staffed_by", "mode")


# --- checkpoints and the rota ---------------------------------------------------------------


@transaction.atomic
def checkpoint_create(*, actor: Any, **fields: Any) -> Checkpoint:
    """Set up a checkpoint (HQ). Audited."""
    checkpoint = Checkpoint(**fields)
    checkpoint.full_clean()
    checkpoint.save()
    audit_record(actor=actor, action=Action.CREATE, obj=checkpoint)
    return checkpoint


@transaction.atomic
def checkpoint_update(*, actor: Any, checkpoint: Checkpoint, **fields: Any) -> Checkpoint:
    """Change a checkpoint; the audit entry names the changed fields."""
    changes = {
        name: [str(getattr(checkpoint, name)), str(value)]
        for name, value in fields.items()
        if getattr(checkpoint, name) != value
    }
    for name, value in fields.items():
        setattr(checkpoint, name, value)
    checkpoint.full_clean()
    if changes:
        checkpoint.save(update_fields=[*changes, "updated_at"])
        audit_record(actor=actor, action=Action.UPDATE, obj=checkpoint, changes=changes)
    return checkpoint


@transaction.atomic
def shift_create(
    *, actor: Any, checkpoint: Checkpoint, starts_at: datetime, ends_at: datetime
) -> Shift:
    """Add a shift to the checkpoint's rota."""
    if ends_at <= starts_at:
        raise ValidationError({"ends_at": _("The shift must end after it starts.")})
    shift = Shift(checkpoint=checkpoint, starts_at=starts_at, ends_at=ends_at)
    shift.full_clean()
    shift.save()
    audit_record(actor=actor, action=Action.CREATE, obj=shift, region=checkpoint.region)
    return shift


@transaction.atomic
def shift_member_add(*, actor: Any, shift: Shift, user: Any, duty: str) -> ShiftMember:
    """Put a person on a shift with a duty (医务, 公安, 干部, 志愿者 …)."""
    if ShiftMember.objects.filter(shift=shift, user=user).exists():
        raise ValidationError({"user": _("This person is already on the shift.")})
    member = ShiftMember(shift=shift, user=user, duty=duty)
    member.full_clean()
    member.save()
    audit_record(actor=actor, action=Action.CREATE, obj=member, region=shift.checkpoint.region)
    return member


@transaction.atomic
def shift_member_remove(*, actor: Any, member: ShiftMember) -> None:
    region = member.shift.checkpoint.region
    audit_record(actor=actor, action=Action.DELETE, obj=member, region=region)
    member.delete()


# --- passages -------------------------------------------------------------------------------


@dataclass(frozen=True)
class PersonEntry:
    """One person in a passage as the form or the endpoint read them: `person` is a record of
    the ledger found through the user's scope (by ID number or personal code), or None."""

    name: str
    person: Any = None
    document_number: str = ""
    phone: str = ""
    temperature: Decimal | None = None
    code_colour: str = ""
    code_verified: bool = False

    @property
    def fever(self) -> bool:
        return self.temperature is not None and self.temperature >= Decimal(str(FEVER_THRESHOLD))


@dataclass(frozen=True)
class PassageInput:
    direction: str
    decision: str
    people: tuple[PersonEntry, ...]
    occurred_at: datetime | None = None
    plate: str = ""
    plate_kind: str = ""
    origin_text: str = ""
    destination_text: str = ""
    destination_region: Any = None
    purpose: str = ""
    decision_reason: str = ""


@dataclass(frozen=True)
class Registered:
    """What `passage_register` did: the passage (None when only counted), whether this call
    created it (False for a retry of the same client id), whether it was only counted."""

    passage: Passage | None
    created: bool
    counted: bool = False


def key_area_check(*, checkpoint: Checkpoint, origin_text: str, day: date) -> tuple[str, bool, str]:
    """(origin code, from a key area?, reason sentence) through screening's classification and
    the key areas that apply where the checkpoint is. The plate plays no part in it."""
    tables = divisions.default_tables()
    origin = divisions.resolve(origin_text, tables) if origin_text.strip() else None
    code = origin.code if origin else ""
    path = checkpoint.region.path
    rules = [rule for rule_path, rule in key_area_rules() if path.startswith(rule_path)]
    category, reason = classify.classify_trip(
        classify.TripFacts(origin_code=code, arrived_on=day),
        rules,
        home_province=path[:2],
        today=day,
    )
    if category != classify.KEY_AREA:
        return code, False, ""
    with translation.override(settings.LANGUAGE_CODE):
        return code, True, reason_text(reason, tables)


def is_exception(data: PassageInput, *, key_area: bool) -> bool:
    """Whether a passage must be registered in full at a checkpoint in exceptions mode: a
    fever, key-area travel, a health code not verified green, or anything but 放行."""
    if key_area or data.decision != Passage.Decision.RELEASED:
        return True
    return any(
        entry.fever or not entry.code_verified or entry.code_colour != "green"
        for entry in data.people
    )


def validate_passage(*, checkpoint: Checkpoint, data: PassageInput) -> None:
    """The rules the form and the endpoint share; errors name the field, in Chinese."""
    errors: dict[str, str] = {}
    if not data.people:
        errors["people"] = _("Register at least one person.")
    if data.decision == Passage.Decision.TURNED_BACK and not data.decision_reason.strip():
        errors["decision_reason"] = _("Say why they were turned back.")
    if data.decision == Passage.Decision.HANDED_OVER:
        region = data.destination_region
        if region is None:
            errors["destination_region"] = _(
                "Choose the village of destination: it receives the hand-over."
            )
        elif not region.path.startswith(checkpoint.region.path[:9]):
            errors["destination_region"] = _("Choose a village of this township.")
    if errors:
        raise ValidationError(errors)


def passage_register(
    *,
    actor: Any,
    checkpoint: Checkpoint,
    client_id: uuid.UUID,
    data: PassageInput,
    corrects: Passage | None = None,
    now: datetime | None = None,
) -> Registered:
    """Register a passage, or only count it (exceptions mode, nothing exceptional).

    Idempotent: a second call with the same `client_id` returns what the first made and writes
    nothing (a unique constraint settles two calls racing). A key-area arrival leaves a notice
    for the destination's grid workers; a hand-over calls the handlers registered in
    `handover.py` after commit. Audited: one entry for the passage, one per ledger person.
    """
    found = _already(client_id)
    if found is not None:
        return found
    validate_passage(checkpoint=checkpoint, data=data)
    occurred_at = data.occurred_at or now or timezone.now()
    day = timezone.localdate(occurred_at)
    origin_code, key_area, key_reason = key_area_check(
        checkpoint=checkpoint, origin_text=data.origin_text, day=day
    )
    try:
        with transaction.atomic():
            if (
                corrects is None
                and checkpoint.mode == Checkpoint.Mode.EXCEPTIONS
                and not is_exception(data, key_area=key_area)
            ):
                _count(checkpoint=checkpoint, client_id=client_id, day=day, data=data)
                return Registered(passage=None, created=True, counted=True)
            passage = _save(
                actor=actor,
                checkpoint=checkpoint,
                client_id=client_id,
                data=data,
                occurred_at=occurred_at,
                day=day,
                origin_code=origin_code,
                key_area=key_area,
                key_reason=key_reason,
                corrects=corrects,
            )
    except IntegrityError:
        found = _already(client_id)
        if found is None:
            raise
        return found
    return Registered(passage=passage, created=True)


def _already(client_id: uuid.UUID) -> Registered | None:
    passage = Passage.objects.filter(client_id=client_id).first()
    if passage is not None:
        return Registered(passage=passage, created=False)
    if CountedPassage.objects.filter(client_id=client_id).exists():
        return Registered(passage=None, created=False, counted=True)
    return None


def _count(*, checkpoint: Checkpoint, client_id: uuid.UUID, day: date, data: PassageInput):
    """Add one passage and its people to the day's counter, in the database (no read first)."""
    CountedPassage.objects.create(client_id=client_id)
    kind = PassageCount.Kind.VEHICLE if data.plate else PassageCount.Kind.ON_FOOT
    key = {"checkpoint": checkpoint, "day": day, "direction": data.direction, "kind": kind}
    increment = {"passages": F("passages") + 1, "people": F("people") + len(data.people)}
    if PassageCount.objects.filter(**key).update(**increment):
        return
    try:
        with transaction.atomic():
            PassageCount.objects.create(
                region=checkpoint.region, passages=1, people=len(data.people), **key
            )
    except IntegrityError:  # another request created the row meanwhile
        PassageCount.objects.filter(**key).update(**increment)


def _save(
    *,
    actor: Any,
    checkpoint: Checkpoint,
    client_id: uuid.UUID,
    data: PassageInput,
    occurred_at: datetime,
    day: date,
    origin_code: str,
    key_area: bool,
    key_reason: str,
    corrects: Passage | None,
) -> Passage:
    passage = Passage(
        client_id=client_id,
        checkpoint=checkpoint,
        region=checkpoint.region,
        occurred_at=occurred_at,
        day=day,
        direction=data.direction,
        plate=data.plate,
        plate_kind=data.plate_kind,
        origin_text=data.origin_text.strip(),
        origin_code=origin_code,
        destination_text=data.destination_text.strip(),
        destination_region=data.destination_region,
        purpose=data.purpose.strip(),
        decision=data.decision,
        decision_reason=data.decision_reason.strip(),
        key_area=key_area,
        key_area_reason=key_reason[:200],
        people_count=len(data.people),
        fever_count=sum(1 for entry in data.people if entry.fever),
        corrects=corrects,
        recorded_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    passage.full_clean(exclude=["client_id"])
    passage.save()
    rows = [
        PassagePerson(
            passage=passage,
            person=entry.person,
            name=(entry.person.name if entry.person is not None else entry.name.strip())[:50],
            document_number=entry.document_number,
            phone=entry.phone,
            temperature=entry.temperature,
            fever=entry.fever,
            code_colour=entry.code_colour,
            code_verified=entry.code_verified,
            occurred_at=occurred_at,
        )
        for entry in data.people
    ]
    PassagePerson.objects.bulk_create(rows)
    audit_record(
        actor=actor,
        action=Action.CREATE,
        obj=passage,
        detail={"decision": passage.decision, "people": len(rows), "corrects": passage.corrects_id},
    )
    known = [row.person for row in rows if row.person is not None]
    if known:
        audit_record_many(
            actor=actor,
            action=Action.CREATE,
            object_type=Passage._meta.label_lower,
            entries=((passage.pk, str(passage), p.pk, p.region_id) for p in known),
        )
    handed_over = passage.decision == Passage.Decision.HANDED_OVER
    if handed_over or (key_area and data.direction == Direction.IN):
        _notify(passage=passage, rows=rows, key_reason=key_reason)
    if handed_over and corrects is None:
        handover_after_commit(passage)
    return passage


def _notify(*, passage: Passage, rows: list[PassagePerson], key_reason: str) -> Notice:
    """A notice for the grid workers of the destination (the checkpoint's place without one):
    a hand-over for quarantine, or an arrival from a key area. Written in the site language."""
    region = passage.destination_region or passage.region
    params = {
        "names": "、".join(row.name for row in rows),
        "checkpoint": passage.checkpoint.name,
        "origin": passage.origin_text,
        "destination": passage.destination_text or region.short_name,
        "reason": key_reason,
        "decision_reason": passage.decision_reason,
    }
    with translation.override(settings.LANGUAGE_CODE):
        if passage.decision == Passage.Decision.HANDED_OVER:
            text = _(
                "%(names)s handed over for quarantine at %(checkpoint)s, going to "
                "%(destination)s: %(decision_reason)s %(reason)s"
            )
        else:
            text = _(
                "%(names)s came in at %(checkpoint)s from %(origin)s, going to "
                "%(destination)s. %(reason)s"
            )
        text = text % params
    return Notice.objects.create(region=region, passage=passage, text=text.strip()[:300])


@transaction.atomic
def notice_mark_read(*, actor: Any, notice: Notice) -> Notice:
    if notice.read_at is None:
        notice.read_at, notice.read_by = timezone.now(), actor
        notice.save(update_fields=["read_at", "read_by"])
    return notice


# --- retention ------------------------------------------------------------------------------

PURGE_BATCH = 2000


def passages_purge(
    *,
    older_than_days: int,
    actor: Any = None,
    now: datetime | None = None,
    batch: int = PURGE_BATCH,
) -> int:
    """Delete passages (with their people, notices and corrections) that happened more than
    `older_than_days` ago, in batches of `batch` ids, each its own transaction, so the table is
    never locked for long; the client ids of counted-only passages go too. The day counters
    hold no personal data and stay for the figures. One audit entry with the count."""
    if older_than_days < 1:
        raise ValidationError(_("Keep at least one day of passages."))
    cutoff = (now or timezone.now()) - timedelta(days=older_than_days)
    deleted = 0
    while True:
        with transaction.atomic():
            ids = list(
                Passage.objects.filter(occurred_at__lt=cutoff)
                .order_by("id")
                .values_list("id", flat=True)[:batch]
            )
            if not ids:
                break
            PassagePerson.objects.filter(passage_id__in=ids).delete()
            Notice.objects.filter(passage_id__in=ids).delete()
            per_model = Passage.objects.filter(id__in=ids).delete()[1]
            deleted += per_model.get(Passage._meta.label, 0)
    CountedPassage.objects.filter(created_at__lt=cutoff).delete()
    audit_record(
        actor=actor,
        action=Action.DELETE,
        detail={
            "purge": "checkpoints.passage",
            "deleted": deleted,
            "older_than_days": older_than_days,
        },
    )
    return deleted
