"""Writes of the exposure search: run a search (ring 1 at once), the second ring (a background
job with a cap), placing the people found under monitoring in one step, revealing a contact.

Every search is audited with its purpose; so are the second ring, each reveal and the placement.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from fangxian.accounts.roles import Capability
from fangxian.audit.services import Action, audit_record
from fangxian.core.masking import mask_phone
from fangxian.people.models import Person
from fangxian.quarantine.models import OrderBatch, OrderReason, QuarantineKind, QuarantineOrder
from fangxian.quarantine.orders import orders_place_bulk
from fangxian.regions.scope import region_in_scope, scope_roots, scoped
from fangxian.tracing.exposure import Exposure, first_ring_in_scope, identity_of
from fangxian.tracing.models import DEFAULT_RING2_CAP, Contact, Search

TRACE = Capability.TRACE_EXPOSURE
RING2_CHUNK = 50  # ring-1 people searched per step of the second ring (one progress update)
OPEN_ORDERS = (QuarantineOrder.Status.PENDING, QuarantineOrder.Status.ACTIVE)


def _contacts(search: Search, ring: int, exposures: list[Exposure]) -> list[Contact]:
    return [
        Contact(
            search=search,
            ring=ring,
            person_id=e.person_id,
            phone=e.phone,
            name=e.name,
            document_number=e.document_number,
            via=e.via,
            place_id=e.place_id,
            passage_id=e.passage_id,
            where=e.where[:120],
            overlap_from=e.overlap_from,
            overlap_until=e.overlap_until,
            through_person_id=e.through_person_id if ring == 2 else None,
            through_phone=e.through_phone if ring == 2 else "",
        )
        for e in exposures
    ]


def _purpose(purpose: str) -> str:
    purpose = (purpose or "").strip()
    if not purpose:
        raise ValidationError(
            {"purpose": _("State the purpose of the search (e.g. the case it is for).")}
        )
    return purpose


@transaction.atomic
def search_run(
    *,
    actor: Any,
    purpose: str,
    person: Person | None = None,
    phone: str = "",
    window: timedelta,
    days: int,
    now: datetime | None = None,
) -> Search:
    """Search who overlapped with a person of the ledger (read through the actor's scope by
    the caller) or a phone number over the last `days`, within `window` of each visit; store
    ring 1 as contacts. One audit entry with the purpose. The scans and passages read are
    those in the actor's trace_exposure scope."""
    now = now or timezone.now()
    purpose = _purpose(purpose)
    phone = (phone or "").strip()
    if (person is None) == (not phone):
        raise ValidationError({"phone": _("Choose a person of the ledger or type a phone number.")})
    if person is not None:
        if not region_in_scope(person.region, actor, TRACE):
            raise PermissionDenied
        region = person.region
    else:
        region = scope_roots(actor, TRACE).order_by("path").first()
        if region is None:
            raise PermissionDenied
    search = Search(
        region=region,
        created_by=actor,
        created_at=now,
        purpose=purpose,
        person=person,
        phone=phone,
        since=now - timedelta(days=days),
        until=now,
        window_minutes=int(window.total_seconds() // 60),
    )
    search.full_clean()
    search.save()
    exposures = first_ring_in_scope(
        user=actor,
        person_ids=[person.pk] if person is not None else [],
        phones=[p for p in (phone, person.phone if person is not None else "") if p],
        since=search.since,
        until=search.until,
        window=window,
    )
    Contact.objects.bulk_create(_contacts(search, 1, exposures), batch_size=1000)
    search.ring1_count = len(exposures)
    search.save(update_fields=["ring1_count"])
    audit_record(
        actor=actor,
        action=Action.CREATE,
        obj=search,
        person_id=person.pk if person is not None else None,
        detail={
            "purpose": purpose,
            "subject": search.subject_label,
            "days": days,
            "window_minutes": search.window_minutes,
            "ring1": len(exposures),
        },
    )
    return search


def search_second_ring_request(*, actor: Any, search: Search, cap: int = DEFAULT_RING2_CAP) -> bool:
    """Queue the second ring (once: False if it is queued, running or done already)."""
    with transaction.atomic():
        search = Search.objects.select_for_update().get(pk=search.pk)
        if search.ring2_status:
            return False
        search.ring2_status = Search.Ring2.QUEUED
        search.ring2_cap = cap
        search.save(update_fields=["ring2_status", "ring2_cap"])
        audit_record(
            actor=actor,
            action=Action.UPDATE,
            obj=search,
            detail={"purpose": search.purpose, "second_ring": True, "cap": cap},
        )
    return True


def search_second_ring(*, actor: Any, search_id: int) -> Search:
    """Contacts of the ring-1 contacts (the background job). Searches RING2_CHUNK of them at a
    time, saving the contacts and the progress after each step (the page polls them), and
    stops at the cap. People already found (the subject, ring 1) are not added again."""
    search = Search.objects.select_related("person").get(pk=search_id)
    ring1 = list(
        search.contacts.filter(ring=1)
        .values_list("person_id", "phone", "document_number", "name")
        .distinct()
    )
    known = {identity_of(p, phone, document or name) for p, phone, document, name in ring1}
    # People registered at a checkpoint with neither a record nor a phone cannot be searched.
    subjects = sorted((key for key in known if key[0] != "typed"), key=str)
    if search.person_id is not None:
        known.add(identity_of(search.person_id, ""))
    if search.phone:
        known.add(identity_of(None, search.phone))
    Search.objects.filter(pk=search.pk).update(
        ring2_status=Search.Ring2.RUNNING, ring2_subjects=len(subjects), ring2_done=0
    )
    window = timedelta(minutes=search.window_minutes)
    added, capped = 0, False
    for start in range(0, len(subjects), RING2_CHUNK):
        chunk = subjects[start : start + RING2_CHUNK]
        exposures = first_ring_in_scope(
            user=actor,
            person_ids=[value for kind, value in chunk if kind == "person"],
            phones=[value for kind, value in chunk if kind == "phone"],
            since=search.since,
            until=search.until,
            window=window,
        )
        new = [e for e in exposures if e.identity not in known]
        if added + len(new) > search.ring2_cap:
            new, capped = new[: search.ring2_cap - added], True
        with transaction.atomic():
            Contact.objects.bulk_create(_contacts(search, 2, new), batch_size=1000)
            added += len(new)
            Search.objects.filter(pk=search.pk).update(
                ring2_done=min(start + RING2_CHUNK, len(subjects)), ring2_count=added
            )
        if capped:
            break
    status = Search.Ring2.CAPPED if capped else Search.Ring2.DONE
    Search.objects.filter(pk=search.pk).update(
        ring2_status=status, ring2_count=added, ring2_finished_at=timezone.now()
    )
    search.refresh_from_db()
    audit_record(
        actor=actor,
        action=Action.UPDATE,
        obj=search,
        detail={"purpose": search.purpose, "ring2": added, "capped": capped},
    )
    return search


def search_second_ring_failed(*, search_id: int) -> None:
    Search.objects.filter(pk=search_id).update(
        ring2_status=Search.Ring2.FAILED, ring2_finished_at=timezone.now()
    )


@dataclass(frozen=True)
class Placement:
    """What one-step placement did: the pending batch, and who was left out and why."""

    batch: OrderBatch
    placed: int
    already_under_order: int
    outside_scope: int


@transaction.atomic
def search_place_under_monitoring(
    *,
    actor: Any,
    search: Search,
    kind: QuarantineKind,
    reason: OrderReason,
    rings: int = 1,
    now: datetime | None = None,
) -> Placement:
    """Place the ledger people found (ring 1, or rings 1 and 2) under `kind` in one step: ONE
    pending `OrderBatch` (quarantine.orders.orders_place_bulk) that a second HQ person approves,
    resting on the search's purpose. Leaves out people already under an open order and those
    whose record lies outside the tracer's scope. The tracer needs trace_exposure only."""
    person_ids = set(
        search.contacts.filter(ring__lte=rings, person__isnull=False).values_list(
            "person_id", flat=True
        )
    )
    people = list(
        scoped(
            Person.objects.filter(pk__in=person_ids, merged_into__isnull=True), actor, TRACE
        ).order_by("id")
    )
    held = set(
        QuarantineOrder.objects.filter(
            person_id__in=[p.pk for p in people], status__in=OPEN_ORDERS
        ).values_list("person_id", flat=True)
    )
    chosen = [p for p in people if p.pk not in held]
    if not chosen:
        raise ValidationError(_("Nobody found is left to place under monitoring."))
    batch = orders_place_bulk(
        actor=actor,
        people=chosen,
        kind=kind,
        reason=reason,
        basis=search.purpose,
        source=QuarantineOrder.Source.HEALTH_LIST,
        source_unit=str(search),
        now=now,
        capability=TRACE,
    )
    Search.objects.filter(pk=search.pk).update(batch=batch)
    search.batch = batch
    audit_record(
        actor=actor,
        action=Action.UPDATE,
        obj=search,
        detail={"purpose": search.purpose, "batch": batch.pk, "placed": len(chosen)},
    )
    return Placement(
        batch=batch,
        placed=len(chosen),
        already_under_order=len(held),
        outside_scope=len(person_ids) - len(people),
    )


def contact_reveal(*, actor: Any, contact: Contact) -> dict[str, str]:
    """The contact's full ID number and phone (view_full_pii over the search's region; the
    caller has read the contact through the scope). Audited."""
    if not actor.can_at(Capability.VIEW_FULL_PII, contact.search.region):
        raise PermissionDenied
    person = contact.person
    audit_record(
        actor=actor,
        action=Action.VIEW_FULL,
        obj=contact,
        region=contact.search.region,
        person_id=contact.person_id,
        detail={"fields": ["id_number", "phone"], "purpose": contact.search.purpose},
    )
    return {
        "id_number": person.id_number if person is not None else contact.document_number,
        "phone": contact.phone or (person.phone if person is not None else ""),
        "phone_masked": mask_phone(contact.phone),
    }
