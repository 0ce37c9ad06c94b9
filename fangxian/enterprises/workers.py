"""Worker rosters (返岗人员花名册, 一人一档): each returning worker linked to the people ledger by
ID number, their journey recorded as a screening trip (so key areas classify it), and the
township's one-step placement under quarantine or health monitoring (hooks.py)."""

from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from fangxian.accounts.roles import Capability
from fangxian.audit.services import Action, audit_record
from fangxian.enterprises import hooks
from fangxian.enterprises.models import Enterprise, Worker, WorkerPlacement
from fangxian.enterprises.scope import can_on
from fangxian.people import names
from fangxian.people.models import Person
from fangxian.people.services import person_identity
from fangxian.screening.models import Trip
from fangxian.screening.trips import trip_correct, trip_record

KEEP = Capability.KEEP_ENTERPRISE_RECORDS
WORKER_FIELDS = (
    "department",
    "post",
    "whereabouts",
    "planned_return_on",
    "returned_on",
    "transport",
    "via_text",
    "passed_key_area",
    "met_key_area_people",
    "contact_notes",
    "health",
    "family_returning",
    "reported_to_village",
)
# Transport on the roster → on the trip (the trip has fewer kinds).
TRIP_TRANSPORT = {
    Worker.Transport.TRAIN: Trip.Transport.TRAIN,
    Worker.Transport.PLANE: Trip.Transport.PLANE,
    Worker.Transport.BUS: Trip.Transport.BUS,
    Worker.Transport.CAR: Trip.Transport.CAR,
    Worker.Transport.COMPANY: Trip.Transport.OTHER,
    Worker.Transport.OTHER: Trip.Transport.OTHER,
}


def _require(actor: Any, capability: str, enterprise: Enterprise) -> None:
    if not can_on(actor, capability, enterprise):
        raise PermissionDenied


def _ledger_person(
    *, actor: Any, enterprise: Enterprise, name: str, document_type: str, id_number: str, phone: str
) -> Person:
    """The ledger's person with this document, or a new one in the enterprise's village.

    The number is checked by the ledger's own rules (people.services.person_identity: GB 11643,
    residence permits). A new person has no household, like one registered from a self-report:
    the village's staff place them later. An existing record is linked only when the name
    matches, so a mistyped number cannot attach someone else."""
    identity = person_identity(document_type=document_type, id_number=id_number)
    person = (
        Person.objects.filter(document_type=document_type, id_number=identity["id_number"])
        .select_related("region")
        .first()
    )
    while person is not None and person.merged_into_id:
        person = Person.objects.select_related("region").get(pk=person.merged_into_id)
    if person is not None:
        if person.name != name.strip():
            raise ValidationError(
                {"name": _("The name does not match the ledger's record of this ID number.")}
            )
        return person
    person = Person(
        household=None,
        region=enterprise.region,
        name=name.strip(),
        document_type=document_type,
        phone=phone,
        notes=_("Registered from the roster of %(enterprise)s.") % {"enterprise": enterprise},
        **identity,
    )
    person.name_pinyin, person.name_initials = names.pinyin_keys(person.name)
    person.id_tail = person.id_number[-4:]
    person.full_clean()
    person.save()
    audit_record(
        actor=actor, action=Action.CREATE, obj=person, detail={"from": "enterprise_roster"}
    )
    return person


def _travelled(worker: Worker) -> bool:
    return bool(worker.whereabouts.strip()) and worker.transport != Worker.Transport.LOCAL


def _record_trip(actor: Any, worker: Worker, today: date | None) -> Trip:
    return trip_record(
        actor=actor,
        person=worker.person,
        origin_text=worker.whereabouts,
        arrived_on=worker.returned_on,
        transport=TRIP_TRANSPORT.get(worker.transport, ""),
        via_text=worker.via_text,
        companions=worker.family_returning,
        source=Trip.Source.MANUAL,
        today=today,
    )


@transaction.atomic
def worker_add(
    *,
    actor: Any,
    enterprise: Enterprise,
    name: str,
    document_type: str,
    id_number: str,
    phone: str = "",
    today: date | None = None,
    **fields: Any,
) -> Worker:
    """Put a worker on the roster. Where they spent the holiday (unless local) is recorded as a
    trip back, classified against the key areas: the roster shows the category and reason.
    All or nothing; audited."""
    _require(actor, KEEP, enterprise)
    person = _ledger_person(
        actor=actor,
        enterprise=enterprise,
        name=name,
        document_type=document_type,
        id_number=id_number,
        phone=phone,
    )
    if Worker.objects.filter(enterprise=enterprise, person=person).exists():
        raise ValidationError({"id_number": _("This person is already on the roster.")})
    worker = Worker(enterprise=enterprise, person=person, created_by=actor, **fields)
    worker.full_clean(exclude=["trip"])
    if _travelled(worker):
        worker.trip = _record_trip(actor, worker, today)
    worker.save()
    audit_record(
        actor=actor,
        action=Action.CREATE,
        obj=worker,
        region=enterprise.region,
        person_id=person.pk,
    )
    return worker


@transaction.atomic
def worker_update(
    *, actor: Any, worker: Worker, today: date | None = None, **fields: Any
) -> Worker:
    """Change a roster entry; a changed holiday place or return date corrects the trip (and
    its classification), or records one when there was none. Audited with the fields."""
    _require(actor, KEEP, worker.enterprise)
    changed = [name for name, value in fields.items() if getattr(worker, name) != value]
    if not changed:
        return worker
    for name in changed:
        setattr(worker, name, fields[name])
    worker.full_clean(exclude=["trip"])
    if {"whereabouts", "returned_on", "transport"} & set(changed) and _travelled(worker):
        if worker.trip is not None:
            trip_correct(
                actor=actor,
                trip=worker.trip,
                origin_text=worker.whereabouts,
                arrived_on=worker.returned_on,
                today=today,
            )
        else:
            worker.trip = _record_trip(actor, worker, today)
            changed.append("trip")
    worker.save(update_fields=[*changed, "updated_at"])
    audit_record(
        actor=actor,
        action=Action.UPDATE,
        obj=worker,
        region=worker.enterprise.region,
        person_id=worker.person_id,
        changes={"fields": sorted(changed)},
    )
    return worker


@transaction.atomic
def worker_place(*, actor: Any, worker: Worker, kind: str, reason: str) -> WorkerPlacement:
    """Place a worker under quarantine or health monitoring in one step (the township:
    manage_enterprises over the enterprise). The quarantine app's registered handler makes the
    order; without one the request is recorded for the quarantine team. Audited."""
    _require(actor, Capability.MANAGE_ENTERPRISES, worker.enterprise)
    if not reason.strip():
        raise ValidationError({"reason": _("Give the reason for the placement.")})
    basis = _("Returning worker of %(enterprise)s") % {"enterprise": worker.enterprise}
    reference = hooks.place(
        actor=actor, person=worker.person, kind=kind, reason=reason.strip(), basis=basis
    )
    placement = WorkerPlacement(
        worker=worker,
        kind=kind,
        reason=reason.strip(),
        status=WorkerPlacement.Status.PLACED if reference else WorkerPlacement.Status.REQUESTED,
        reference=(reference or "")[:60],
        requested_by=actor,
    )
    placement.full_clean()
    placement.save()
    audit_record(
        actor=actor,
        action=Action.CREATE,
        obj=placement,
        region=worker.enterprise.region,
        person_id=worker.person_id,
        detail={"kind": kind, "status": placement.status, "reference": placement.reference},
    )
    return placement
