"""Writes for door-to-door screening campaigns (拉网式排查): open a campaign, record a visit.

"逐户上门排查，挨家挨户核对户口簿、身份证，一个一个地清点在家人员": a campaign covers some regions for a
period; a grid worker records one visit per household, member by member. A household is covered
when it has a visit with outcome SEEN inside the period (see `selectors.households_to_visit`).
"""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from fangxian.accounts.roles import Capability
from fangxian.audit.services import Action, audit_record
from fangxian.people.models import Household, Person
from fangxian.regions import divisions
from fangxian.regions.models import Region
from fangxian.screening.models import Campaign, Trip, Visit, VisitPerson
from fangxian.screening.trips import key_area_rules, trip_classify, trip_places, trip_record

# A campaign covers a whole township or some of its villages.
CAMPAIGN_LEVELS = (Region.Level.TOWNSHIP, Region.Level.VILLAGE)
# 37.3 °C or more counts as fever (the rule checkpoints and clinics used).
FEVER_FROM = Decimal("37.3")
TEMPERATURE_RANGE = (Decimal("34.0"), Decimal("43.0"))


def campaign_bounds(campaign: Campaign) -> tuple[datetime, datetime]:
    """The campaign's period as aware datetimes [start, end), in the local time zone: a visit at
    23:30 on the last day counts, one at 00:10 the day after does not."""
    zone = timezone.get_current_timezone()
    start = datetime.combine(campaign.starts_on, time.min, tzinfo=zone)
    end = datetime.combine(campaign.ends_on + timedelta(days=1), time.min, tzinfo=zone)
    return start, end


def _outermost(regions: list[Region]) -> list[Region]:
    """Drop regions that another chosen region already covers (the township covers its villages)."""
    kept: list[Region] = []
    for region in sorted({r.pk: r for r in regions}.values(), key=lambda r: len(r.path)):
        if not any(region.path.startswith(outer.path) for outer in kept):
            kept.append(region)
    return sorted(kept, key=lambda r: r.path)


@transaction.atomic
def campaign_create(
    *, actor: Any, name: str, regions: list[Region], starts_on: date, ends_on: date
) -> Campaign:
    """Open a screening campaign over a township or some villages, for a period.

    Only for users who may manage campaigns over every chosen region (PermissionDenied
    otherwise; views never let it come to that). A village chosen together with its township is
    dropped: the township covers it. Audited.
    """
    if not regions:
        raise ValidationError({"regions": _("Choose the township or at least one village.")})
    if any(not actor.can_at(Capability.MANAGE_CAMPAIGNS, region) for region in regions):
        raise PermissionDenied
    if any(region.level not in CAMPAIGN_LEVELS for region in regions):
        raise ValidationError({"regions": _("A campaign covers a township or villages.")})
    if starts_on and ends_on and ends_on < starts_on:
        raise ValidationError({"ends_on": _("The campaign cannot end before it starts.")})
    kept = _outermost(regions)
    campaign = Campaign(name=name.strip(), starts_on=starts_on, ends_on=ends_on, created_by=actor)
    campaign.full_clean()
    campaign.save()
    campaign.regions.set(kept)
    audit_record(
        actor=actor,
        action=Action.CREATE,
        obj=campaign,
        region=kept[0] if len(kept) == 1 else kept[0].parent,
        detail={
            "regions": [region.code for region in kept],
            "starts_on": starts_on.isoformat(),
            "ends_on": ends_on.isoformat(),
        },
    )
    return campaign


@dataclass
class _Finding:
    person: Person
    presence: str
    away_at: str
    fever: bool
    temperature: Decimal | None
    returned_from: str
    arrived_on: date | None


def _finding(
    entry: dict[str, Any], household: Household, today: date, also: frozenset[int] = frozenset()
) -> _Finding:
    """Check one member's row of the visit form; errors name the person. `also`: people who
    may be recorded though no longer members (found at the visit, moved out since)."""
    person = entry["person"]
    name = person.name
    if person.household_id != household.pk and person.pk not in also:
        raise ValidationError(_("%(name)s is not a member of this household.") % {"name": name})
    presence = entry.get("presence") or VisitPerson.Presence.HOME
    if presence not in VisitPerson.Presence.values:
        raise ValidationError(_("%(name)s: choose at home, away or back.") % {"name": name})
    away_at = (entry.get("away_at") or "").strip()
    returned_from = (entry.get("returned_from") or "").strip()
    arrived_on = entry.get("arrived_on")
    if presence == VisitPerson.Presence.AWAY and not away_at:
        raise ValidationError(_("%(name)s is away: say where.") % {"name": name})
    if presence == VisitPerson.Presence.RETURNED and not returned_from:
        raise ValidationError(_("%(name)s is back: say where from.") % {"name": name})
    if presence == VisitPerson.Presence.RETURNED and arrived_on and arrived_on > today:
        raise ValidationError(_("%(name)s: the arrival date is in the future.") % {"name": name})
    temperature = entry.get("temperature")
    if temperature is not None:
        temperature = Decimal(temperature).quantize(Decimal("0.1"))
        low, high = TEMPERATURE_RANGE
        if not low <= temperature <= high:
            raise ValidationError(
                _("%(name)s: a temperature of %(value)s °C cannot be right.")
                % {"name": name, "value": temperature}
            )
    fever = bool(entry.get("fever")) or (temperature is not None and temperature >= FEVER_FROM)
    return _Finding(
        person=person,
        presence=presence,
        away_at=away_at if presence == VisitPerson.Presence.AWAY else "",
        fever=fever,
        temperature=temperature,
        returned_from=returned_from if presence == VisitPerson.Presence.RETURNED else "",
        arrived_on=arrived_on if presence == VisitPerson.Presence.RETURNED else None,
    )


@transaction.atomic
def visit_record(
    *,
    actor: Any,
    campaign: Campaign,
    household: Household,
    outcome: str,
    people: list[dict[str, Any]],
    notes: str = "",
    visited_at: datetime | None = None,
) -> Visit:
    """Record a visit to a household during a campaign, in one transaction.

    `people` holds one dict per member found out about: person, presence (home, away,
    returned), away_at, fever, temperature, returned_from, arrived_on. A member back from
    elsewhere gets a Trip (through `trips.trip_record`, source VISIT) linked to their row; a
    temperature of 37.3 °C or more sets the fever flag (alerts come later). NOBODY_HOME takes no
    people: the household stays on the list, marked "visit again". The actor must be able to
    edit people where the household lives (PermissionDenied otherwise); the visit must fall in
    the campaign's period and the household in its regions. One audit entry names the people.
    """
    visited_at = visited_at or timezone.now()
    if not actor.can_at(Capability.EDIT_PEOPLE, household.region):
        raise PermissionDenied
    campaign_paths = list(campaign.regions.values_list("path", flat=True))
    if not any(household.region.path.startswith(path) for path in campaign_paths):
        raise ValidationError(_("This household is not in the campaign's regions."))
    start, end = campaign_bounds(campaign)
    if not start <= visited_at < end:
        raise ValidationError(
            _("The campaign runs from %(start)s to %(end)s: visits can be recorded only then.")
            % {"start": campaign.starts_on.isoformat(), "end": campaign.ends_on.isoformat()}
        )
    if outcome not in Visit.Outcome.values:
        raise ValidationError({"outcome": _("Choose whether anybody was at home.")})
    if outcome == Visit.Outcome.NOBODY_HOME and people:
        raise ValidationError(_("Nobody was at home: there is nobody to record."))
    today = timezone.localdate(visited_at)
    findings = [_finding(entry, household, today) for entry in people]
    if len({f.person.pk for f in findings}) != len(findings):
        raise ValidationError(_("Each member can be recorded only once per visit."))

    visit = Visit(
        campaign=campaign,
        household=household,
        region_id=household.region_id,
        outcome=outcome,
        visited_at=visited_at,
        visited_by=actor,
        notes=notes.strip(),
    )
    visit.full_clean()
    visit.save()
    rows = []
    for finding in findings:
        trip = None
        if finding.presence == VisitPerson.Presence.RETURNED:
            trip = trip_record(
                actor=actor,
                person=finding.person,
                origin_text=finding.returned_from,
                arrived_on=finding.arrived_on,
                source=Trip.Source.VISIT,
            )
        rows.append(
            VisitPerson(
                visit=visit,
                person=finding.person,
                presence=finding.presence,
                away_at=finding.away_at,
                fever=finding.fever,
                temperature=finding.temperature,
                trip=trip,
            )
        )
    VisitPerson.objects.bulk_create(rows)
    audit_record(
        actor=actor,
        action=Action.CREATE,
        obj=visit,
        detail={
            "campaign": campaign.pk,
            "household": household.pk,
            "outcome": outcome,
            "people": [f.person.pk for f in findings],
            "away": [f.person.pk for f in findings if f.presence == VisitPerson.Presence.AWAY],
            "returned": [r.person_id for r in rows if r.trip_id],
            "fever": [f.person.pk for f in findings if f.fever],
        },
    )
    return visit


# --- correcting a visit ----------------------------------------------------------------------


def visit_can_correct(*, actor: Any, visit: Visit, today: date | None = None) -> bool:
    """Whether `actor` may correct a saved visit: whoever manages campaigns where the household
    lives (HQ), at any time; the worker who recorded it, while they still edit people there and
    the campaign is under way. The visit's household must be loaded."""
    region = visit.household.region
    if actor.can_at(Capability.MANAGE_CAMPAIGNS, region):
        return True
    today = today or timezone.localdate()
    campaign = visit.campaign
    return (
        visit.visited_by_id == actor.pk
        and actor.can_at(Capability.EDIT_PEOPLE, region)
        and campaign.starts_on <= today <= campaign.ends_on
    )


def _snapshot(row: VisitPerson | None) -> dict[str, str]:
    """A member's row as the audit entry shows it (text, comparable before and after)."""
    if row is None:
        return {}
    trip = row.trip
    return {
        "presence": row.presence,
        "away_at": row.away_at,
        "returned_from": trip.origin_text if trip else "",
        "arrived_on": str(trip.arrived_on or "") if trip else "",
        "fever": str(row.fever),
        "temperature": "" if row.temperature is None else str(row.temperature),
    }


def _finding_snapshot(finding: _Finding) -> dict[str, str]:
    return {
        "presence": finding.presence,
        "away_at": finding.away_at,
        "returned_from": finding.returned_from,
        "arrived_on": str(finding.arrived_on or ""),
        "fever": str(finding.fever),
        "temperature": "" if finding.temperature is None else str(finding.temperature),
    }


def _trip_correct(
    *, actor: Any, trip: Trip, origin_text: str, arrived_on: date | None, today: date
) -> Trip:
    """Correct where a trip recorded at a visit came from and when it arrived: the origin is
    resolved and the trip classified again. Audited with before and after; unchanged, nothing
    is written."""
    before = {"origin_text": trip.origin_text, "arrived_on": trip.arrived_on}
    origin = trip_places(origin_text=origin_text)["origin"]
    trip.origin_text = origin_text.strip()
    trip.origin_code = origin.code if origin else ""
    trip.arrived_on = arrived_on
    after = {"origin_text": trip.origin_text, "arrived_on": trip.arrived_on}
    changed = sorted(name for name in before if before[name] != after[name])
    if not changed:
        return trip
    if trip.departed_on and arrived_on and trip.departed_on > arrived_on:
        raise ValidationError(_("The arrival cannot be before the departure."))
    trip_classify(trip, key_area_rules(), today=today, tables=divisions.default_tables())
    trip.full_clean()
    trip.save(
        update_fields=["origin_text", "origin_code", "arrived_on", "category", "category_reason"]
    )
    audit_record(
        actor=actor,
        action=Action.UPDATE,
        obj=trip,
        person_id=trip.person_id,
        changes={name: [str(before[name] or ""), str(after[name] or "")] for name in changed},
    )
    return trip


def _trip_delete(*, actor: Any, trip: Trip) -> None:
    """Delete a trip a visit recorded, now that the corrected visit says otherwise. Audited on
    the person's history."""
    audit_record(actor=actor, action=Action.DELETE, obj=trip, person_id=trip.person_id)
    trip.delete()


def _correct_row(
    actor: Any, visit: Visit, row: VisitPerson | None, finding: _Finding, today: date
) -> None:
    """Bring one member's row (and the trip it recorded) in line with the corrected finding."""
    returned = finding.presence == VisitPerson.Presence.RETURNED
    trip = row.trip if row is not None else None
    if trip is not None and not returned:
        _trip_delete(actor=actor, trip=trip)  # recorded by this visit, which now says otherwise
        trip = None
    elif trip is not None:
        trip = _trip_correct(
            actor=actor,
            trip=trip,
            origin_text=finding.returned_from,
            arrived_on=finding.arrived_on,
            today=today,
        )
    elif returned:
        trip = trip_record(
            actor=actor,
            person=finding.person,
            origin_text=finding.returned_from,
            arrived_on=finding.arrived_on,
            source=Trip.Source.VISIT,
            today=today,
        )
    fields = ["presence", "away_at", "fever", "temperature", "trip"]
    new = row is None
    row = row or VisitPerson(visit=visit, person=finding.person)
    row.presence, row.away_at = finding.presence, finding.away_at
    row.fever, row.temperature, row.trip = finding.fever, finding.temperature, trip
    row.full_clean()
    if new:
        row.save()
    else:
        row.save(update_fields=fields)


@transaction.atomic
def visit_correct(
    *,
    actor: Any,
    visit: Visit,
    outcome: str,
    people: list[dict[str, Any]],
    notes: str = "",
    today: date | None = None,
) -> Visit:
    """Correct a saved visit: its outcome, notes and members' rows, as `visit_record` takes
    them. The visit keeps its time and its visitor, so the household still counts once and
    coverage follows the corrected outcome. A member no longer back from elsewhere loses the
    trip this visit recorded; a corrected origin or arrival re-classifies it. Members found at
    the visit may be kept though they have moved out since. Only those `visit_can_correct`
    lets (PermissionDenied otherwise; views never let it come to that). One audit entry with
    before and after of every changed field; nothing is written when nothing changed."""
    visit = (
        Visit.objects.select_for_update()
        .select_related("campaign", "household__region")
        .get(pk=visit.pk)
    )
    today = today or timezone.localdate()
    if not visit_can_correct(actor=actor, visit=visit, today=today):
        raise PermissionDenied
    if outcome not in Visit.Outcome.values:
        raise ValidationError({"outcome": _("Choose whether anybody was at home.")})
    if outcome == Visit.Outcome.NOBODY_HOME and people:
        raise ValidationError(_("Nobody was at home: there is nobody to record."))
    rows = {row.person_id: row for row in visit.people.select_related("trip")}
    found_on = timezone.localdate(visit.visited_at)
    findings = [
        _finding(entry, visit.household, found_on, also=frozenset(rows)) for entry in people
    ]
    if len({f.person.pk for f in findings}) != len(findings):
        raise ValidationError(_("Each member can be recorded only once per visit."))

    changes: dict[str, list[str]] = {}
    notes = notes.strip()
    for name, value in (("outcome", outcome), ("notes", notes)):
        if getattr(visit, name) != value:
            changes[name] = [getattr(visit, name), value]
    kept = {finding.person.pk for finding in findings}
    for person_id, row in rows.items():
        if person_id not in kept:
            changes |= {f"p{person_id}.{k}": [v, ""] for k, v in _snapshot(row).items()}
    altered = []
    for finding in findings:
        before, after = _snapshot(rows.get(finding.person.pk)), _finding_snapshot(finding)
        if before != after:
            altered.append(finding)
        changes |= {
            f"p{finding.person.pk}.{name}": [before.get(name, ""), value]
            for name, value in after.items()
            if before.get(name, "") != value
        }
    if not changes:
        return visit

    for person_id, row in rows.items():
        if person_id not in kept:
            if row.trip is not None:
                _trip_delete(actor=actor, trip=row.trip)
            row.delete()
    for finding in altered:
        _correct_row(actor, visit, rows.get(finding.person.pk), finding, today)
    visit.outcome, visit.notes = outcome, notes
    visit.full_clean()
    visit.save(update_fields=["outcome", "notes"])
    audit_record(
        actor=actor,
        action=Action.UPDATE,
        obj=visit,
        changes=changes,
        detail={"campaign": visit.campaign_id, "household": visit.household_id},
    )
    return visit
