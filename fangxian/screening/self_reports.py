"""Returnees' self-reports (自主申报): the public form's guards, the reads, the writes and the
retention purge.

The public form needs no login, so it is guarded three ways, none needing a session or a new
server: a sum to solve signed with a TimestampSigner (valid 30 minutes), a honeypot field, and
rate limits counted on the reports themselves (per client, by a salted hash of the address, and
per village). A report waits for a grid worker of its place; verifying it attaches it to the
person with the same document number, or registers a new person, and records the trip.
"""

import secrets
from datetime import date, datetime, timedelta
from typing import Any

from django.core import signing
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _

from fangxian.accounts.roles import Capability
from fangxian.audit.context import Client, current_client
from fangxian.audit.services import Action, audit_record
from fangxian.core.masking import mask_id_number, mask_phone
from fangxian.imports.placing import Placer, Unit
from fangxian.people import idnumber, names
from fangxian.people.models import Person
from fangxian.people.services import person_identity, person_update
from fangxian.regions.models import Region
from fangxian.regions.scope import get_scoped_or_404, overlap_q, scoped
from fangxian.screening.models import SelfReport, Trip
from fangxian.screening.trips import trip_record

CHALLENGE_SALT = "fangxian.screening.self_report.challenge"
CHALLENGE_MAX_AGE = 30 * 60  # seconds
THANKS_SALT = "fangxian.screening.self_report.thanks"
THANKS_MAX_AGE = 60 * 60
CLIENT_SALT = "fangxian.screening.self_report.client"
PER_CLIENT_PER_HOUR = 5
PER_VILLAGE_PER_HOUR = 200
PLACE_LEVELS = (Region.Level.GRID, Region.Level.GROUP)
# The documents the public form takes: what returnees carry. GB 11643 applies to the first two,
# as in the people ledger (people.services.ID_FORMAT_DOCUMENTS).
PUBLIC_DOCUMENT_TYPES = (
    Person.DocumentType.RESIDENT_ID,
    Person.DocumentType.HKMT_RESIDENCE,
    Person.DocumentType.HK_MACAU_PERMIT,
    Person.DocumentType.TAIWAN_PERMIT,
    Person.DocumentType.PASSPORT,
)
# What the public form's notice promises (_self_report_notice.html): a report not verified is
# deleted this many days after it was sent; a verified one joins the ledger and its rules.
RETENTION_DAYS = 30


# --- guards of the public form -----------------------------------------------------------


def challenge_new() -> tuple[str, str]:
    """(question, signed token): a small sum such as "3 + 4 = ?", its terms signed with the
    time, so the answer is checked later without a session."""
    first, second = secrets.randbelow(9) + 1, secrets.randbelow(9) + 1
    token = signing.TimestampSigner(salt=CHALLENGE_SALT).sign(f"{first}:{second}")
    return f"{first} + {second} = ?", token


def challenge_question(token: str) -> str | None:
    """The question of a still valid token (to show it again), else None."""
    try:
        first, second = _terms(token)
    except signing.BadSignature:
        return None
    return f"{first} + {second} = ?"


def _terms(token: str) -> tuple[int, int]:
    value = signing.TimestampSigner(salt=CHALLENGE_SALT).unsign(token, max_age=CHALLENGE_MAX_AGE)
    first, second = value.split(":")
    return int(first), int(second)


def challenge_check(*, token: str, answer: Any) -> None:
    """ValidationError with a plain message when the sum is wrong, expired or tampered with."""
    try:
        first, second = _terms(token)
    except signing.SignatureExpired:
        raise ValidationError(
            _("The question has expired (it is valid for 30 minutes): answer the new one.")
        ) from None
    except (signing.BadSignature, ValueError):
        raise ValidationError(_("The question could not be checked: answer the new one.")) from None
    if answer is None or int(answer) != first + second:
        raise ValidationError(_("The answer to the question is wrong: try the new one."))


def client_hash(address: str | None) -> str:
    """A salted hash of the client's address: enough to count reports, not to know who sent
    them (the address itself is not kept)."""
    return salted_hmac(CLIENT_SALT, address or "unknown", algorithm="sha256").hexdigest()


def self_report_rate_limited(*, village: Region, client: str, now=None) -> bool:
    """Whether this client (5 an hour) or this village (200 an hour) has sent too many."""
    since = (now or timezone.now()) - timedelta(hours=1)
    recent = SelfReport.objects.filter(created_at__gte=since)
    if recent.filter(client_hash=client).count() >= PER_CLIENT_PER_HOUR:
        return True
    village_reports = recent.filter(region__path__startswith=village.path)
    return village_reports.count() >= PER_VILLAGE_PER_HOUR


# --- reads --------------------------------------------------------------------------------


def village_for_form(code: str) -> Region:
    """The village of a poster's code (404 for anything that is not a village)."""
    return get_object_or_404(Region, code=code, level=Region.Level.VILLAGE)


def village_units(village: Region) -> QuerySet[Region]:
    """The grids and villager groups of a village, for the optional dropdown."""
    return Region.objects.filter(path__startswith=village.path, level__in=PLACE_LEVELS).order_by(
        "path"
    )


def self_report_place(*, village: Region, address: str) -> Region:
    """The group or grid that the address names, else the village itself."""
    units = [Unit(r.id, r.path, r.short_name, r.level) for r in village_units(village)]
    root = Unit(village.id, village.path, village.short_name, village.level)
    placed = Placer(units, root=root).place([address]).unit
    if placed is None or placed.id == village.id:
        return village
    return Region.objects.get(pk=placed.id)


def poster_villages(*, user: Any) -> QuerySet[Region]:
    """The villages whose poster the user may print: those that share ground with the places
    where they edit people (a grid worker's village included)."""
    villages = Region.objects.filter(level=Region.Level.VILLAGE).order_by("path")
    paths = user.region_paths_for(Capability.EDIT_PEOPLE)
    return villages if paths is None else villages.filter(overlap_q(paths))


def poster_village(*, user: Any, code: str) -> Region:
    """The village of a code (of the village, or of a grid or group in it), when the user may
    print its poster; 404 otherwise."""
    region = get_object_or_404(Region, code=code, level__gte=Region.Level.VILLAGE)
    village_path = region.path[: Region.PATH_LENGTH[Region.Level.VILLAGE]]
    return get_object_or_404(poster_villages(user=user), path=village_path)


def self_report_list(*, user: Any, status: str = SelfReport.Status.PENDING) -> QuerySet:
    """Reports of the places where the user may edit people, newest first; masked on display."""
    reports = scoped(
        SelfReport.objects.select_related("region__parent"), user, Capability.EDIT_PEOPLE
    )
    return reports.filter(status=status).order_by("-created_at", "-id")


def self_report_get(*, user: Any, report_id: int) -> SelfReport:
    """One report in the user's scope (404 elsewhere)."""
    return get_scoped_or_404(
        SelfReport.objects.select_related("region__parent", "reviewed_by", "person", "trip"),
        user,
        Capability.EDIT_PEOPLE,
        pk=report_id,
    )


def self_report_full(*, user: Any, report_id: int) -> tuple[SelfReport, bool]:
    """The report for review, and whether its ID number and phone are shown in full: only with
    VIEW_FULL_PII at its place, and every such read leaves an audit entry."""
    report = self_report_get(user=user, report_id=report_id)
    full = user.can_at(Capability.VIEW_FULL_PII, report.region)
    if full:
        audit_record(
            actor=user,
            action=Action.VIEW_FULL,
            obj=report,
            person_id=report.person_id,
            detail={"fields": ["id_number", "phone"]},
        )
    return report, full


def masked(report: SelfReport) -> dict[str, str]:
    return {"id_number": mask_id_number(report.id_number), "phone": mask_phone(report.phone)}


def thanks_token(report: SelfReport) -> str:
    return signing.TimestampSigner(salt=THANKS_SALT).sign(str(report.pk))


def thanks_name(token: str) -> str | None:
    """The name on a just-sent report (all the thank-you page repeats), or None."""
    try:
        report_id = int(signing.TimestampSigner(salt=THANKS_SALT).unsign(token, THANKS_MAX_AGE))
    except (signing.BadSignature, ValueError):
        return None
    report = SelfReport.objects.filter(pk=report_id).only("name").first()
    return report.name if report else None


# --- writes -------------------------------------------------------------------------------


def _identity(document_type: str, id_number: str) -> dict[str, Any]:
    """The normalised number (and, for resident IDs and residence permits, birth date and sex)
    through the people ledger's rules: GB 11643 where the ledger applies it, else the number as
    typed, normalised. ValidationError on the id_number field otherwise."""
    if document_type not in PUBLIC_DOCUMENT_TYPES:
        raise ValidationError({"document_type": _("Choose the type of your document.")})
    if not idnumber.normalize(id_number):
        raise ValidationError({"id_number": _("Enter the document number.")})
    return person_identity(document_type=document_type, id_number=id_number)


@transaction.atomic
def self_report_submit(
    *,
    village: Region,
    client: str,
    name: str,
    id_number: str,
    phone: str,
    document_type: str = Person.DocumentType.RESIDENT_ID,
    address: str,
    origin_text: str,
    unit: Region | None = None,
    departed_on: date | None = None,
    arrived_on: date | None = None,
    transport: str = "",
    transport_number: str = "",
    companions: str = "",
    fever: bool = False,
    symptoms: str = "",
) -> SelfReport:
    """Save a report from the public form as pending, placed in the unit chosen, else in the
    group or grid its address names, else in the village. Audited without an actor."""
    if departed_on and arrived_on and departed_on > arrived_on:
        raise ValidationError({"arrived_on": _("The arrival cannot be before the departure.")})
    identity = _identity(document_type, id_number)
    if unit is not None and not unit.path.startswith(village.path):
        raise ValidationError({"unit": _("Choose a grid or group of this village.")})
    report = SelfReport(
        region=unit or self_report_place(village=village, address=address),
        name=name.strip(),
        document_type=document_type,
        id_number=identity["id_number"],
        phone=idnumber.normalize(phone),
        address=address.strip(),
        origin_text=origin_text.strip(),
        departed_on=departed_on,
        arrived_on=arrived_on,
        transport=transport,
        transport_number=idnumber.normalize(transport_number).upper(),
        companions=companions.strip(),
        fever=fever,
        symptoms=symptoms.strip(),
        client_hash=client,
    )
    report.full_clean()
    report.save()
    # The sender's address is kept neither on the report nor in the audit trail (only the hash).
    token = current_client.set(Client())
    try:
        audit_record(actor=None, action=Action.CREATE, obj=report, username="self-report")
    finally:
        current_client.reset(token)
    return report


def _check_pending(report: SelfReport) -> None:
    if report.status != SelfReport.Status.PENDING:
        raise ValidationError(_("This report has already been dealt with."))


def _existing_person(document_type: str, number: str) -> Person | None:
    person = (
        Person.objects.select_related("region")
        .filter(document_type=document_type, id_number=number)
        .first()
    )
    while person is not None and person.merged_into_id:
        person = Person.objects.select_related("region").get(pk=person.merged_into_id)
    return person


def _new_person(report: SelfReport, document_type: str, identity: dict[str, Any]) -> Person:
    person = Person(
        household=None,
        region=report.region,
        name=report.name,
        document_type=document_type,
        phone=report.phone,
        notes=_("Registered from a self-report."),
        **identity,
    )
    person.name_pinyin, person.name_initials = names.pinyin_keys(person.name)
    person.id_tail = person.id_number[-4:]
    person.full_clean()
    person.save()
    return person


@transaction.atomic
def self_report_verify(*, actor: Any, report: SelfReport, today: date | None = None) -> SelfReport:
    """Accept a report: attach it to the person with the same document number (filling an empty
    phone), or register a new person (no household) in the report's place; then record the
    trip as a self-reported one. A person the reviewer may not edit is not revealed: the
    reviewer is asked to turn to HQ. Audited."""
    report = SelfReport.objects.select_for_update().select_related("region").get(pk=report.pk)
    _check_pending(report)
    document_type = report.document_type
    identity = _identity(document_type, report.id_number)
    person = _existing_person(document_type, identity["id_number"])
    if person is not None and not actor.can_at(Capability.EDIT_PEOPLE, person.region):
        raise ValidationError(
            _(
                "A person with this ID number is already registered outside your area: "
                "ask HQ to verify this report."
            )
        )
    if person is None:
        person = _new_person(report, document_type, identity)
        audit_record(actor=actor, action=Action.CREATE, obj=person, detail={"from": "self_report"})
    elif not person.phone and report.phone:
        person = person_update(actor=actor, person=person, phone=report.phone)
    trip = trip_record(
        actor=actor,
        person=person,
        origin_text=report.origin_text,
        departed_on=report.departed_on,
        arrived_on=report.arrived_on,
        transport=report.transport,
        transport_number=report.transport_number,
        companions=report.companions,
        source=Trip.Source.SELF_REPORT,
        today=today,
    )
    report.status = SelfReport.Status.VERIFIED
    report.person, report.trip = person, trip
    report.reviewed_by, report.reviewed_at = actor, timezone.now()
    report.save(update_fields=["status", "person", "trip", "reviewed_by", "reviewed_at"])
    audit_record(
        actor=actor,
        action=Action.UPDATE,
        obj=report,
        person_id=person.pk,
        changes={"status": [SelfReport.Status.PENDING, SelfReport.Status.VERIFIED]},
    )
    return report


@transaction.atomic
def self_report_reject(*, actor: Any, report: SelfReport, reason: str) -> SelfReport:
    """Turn a report down (a prank, a duplicate sent twice, someone not from here), with the
    reason. Audited."""
    report = SelfReport.objects.select_for_update().get(pk=report.pk)
    _check_pending(report)
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": _("Say why the report is rejected.")})
    report.status = SelfReport.Status.REJECTED
    report.reject_reason = reason[:200]
    report.reviewed_by, report.reviewed_at = actor, timezone.now()
    report.save(update_fields=["status", "reject_reason", "reviewed_by", "reviewed_at"])
    audit_record(
        actor=actor,
        action=Action.UPDATE,
        obj=report,
        changes={"status": [SelfReport.Status.PENDING, SelfReport.Status.REJECTED]},
        detail={"reason": report.reject_reason},
    )
    return report


# --- retention ------------------------------------------------------------------------------


def self_reports_purge(*, now: datetime | None = None) -> int:
    """Delete the reports that were never verified (pending or rejected) and were sent more than
    RETENTION_DAYS ago, as the public form's notice promises; verified reports have become
    ledger records and stay. One audit entry with the count and the cut-off, no personal data
    (and none when nothing was due). Returns the number deleted. Run daily
    (`fangxian manage purge_self_reports`)."""
    cutoff = (now or timezone.now()) - timedelta(days=RETENTION_DAYS)
    with transaction.atomic():
        due = SelfReport.objects.filter(created_at__lt=cutoff).exclude(
            status=SelfReport.Status.VERIFIED
        )
        _total, by_model = due.delete()
        count = by_model.get(SelfReport._meta.label, 0)
        if count:
            audit_record(
                actor=None,
                action=Action.DELETE,
                username="purge_self_reports",
                detail={
                    "object_type": "screening.selfreport",
                    "count": count,
                    "sent_before": cutoff.isoformat(),
                    "retention_days": RETENTION_DAYS,
                },
            )
    return count
