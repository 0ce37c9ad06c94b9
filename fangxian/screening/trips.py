"""Writes for returnees' travel: recording trips, keeping the key-area list, re-classifying.

A trip's category and reason are derived data: `classify.classify_trip` computes them from the
trip and the key areas that apply where the trip was recorded (those of the trip's region and of
the regions above it), and every change of the list re-classifies the trips under it, so nobody
retypes anything. The reason is stored as a sentence in the site language (LANGUAGE_CODE),
whatever the language of the request that caused it.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from fangxian.audit.services import Action, audit_record, audit_record_many
from fangxian.core.bulk import insert_rows
from fangxian.people import idnumber
from fangxian.regions import divisions
from fangxian.regions.models import Region
from fangxian.screening import classify
from fangxian.screening.models import KeyArea, Trip

RECLASSIFY_CHUNK = 2000

# (reason code, whether the key area has an end date) -> message. Whole sentences: the period
# of a key area is part of the sentence, never a fragment glued in.
REASON_MESSAGES = {
    (classify.FROM_KEY_AREA, False): gettext_lazy(
        "%(label)s returnee: came back from %(origin)s; %(area)s is a key area since %(since)s."
    ),
    (classify.FROM_KEY_AREA, True): gettext_lazy(
        "%(label)s returnee: came back from %(origin)s while %(area)s was a key area "
        "(%(since)s to %(until)s)."
    ),
    (classify.FROM_KEY_AREA_UNDATED, False): gettext_lazy(
        "%(label)s returnee: came back from %(origin)s, in the key area %(area)s; "
        "the travel dates are not recorded."
    ),
    (classify.FROM_KEY_AREA_UNDATED, True): gettext_lazy(
        "%(label)s returnee: came back from %(origin)s, in the key area %(area)s "
        "(until %(until)s); the travel dates are not recorded."
    ),
    (classify.VIA_KEY_AREA_DATED, False): gettext_lazy(
        "Passed through %(label)s: travelled through %(via)s; %(area)s is a key area since "
        "%(since)s."
    ),
    (classify.VIA_KEY_AREA_DATED, True): gettext_lazy(
        "Passed through %(label)s: travelled through %(via)s while %(area)s was a key area "
        "(%(since)s to %(until)s)."
    ),
    (classify.VIA_KEY_AREA_UNDATED, False): gettext_lazy(
        "Passed through %(label)s: travelled through %(via)s, in the key area %(area)s; "
        "the travel dates are not recorded."
    ),
    (classify.VIA_KEY_AREA_UNDATED, True): gettext_lazy(
        "Passed through %(label)s: travelled through %(via)s, in the key area %(area)s "
        "(until %(until)s); the travel dates are not recorded."
    ),
    (classify.FROM_OTHER_PROVINCE, False): gettext_lazy(
        "Came into %(home)s from another province: from %(origin)s."
    ),
    (classify.FROM_HOME_PROVINCE, False): gettext_lazy(
        "Returned from within the province: from %(origin)s."
    ),
    (classify.ORIGIN_UNKNOWN, False): gettext_lazy(
        "The place they came from could not be recognised: correct it to classify the trip."
    ),
}


# --- reasons and rules ----------------------------------------------------------------------


def reason_text(reason: classify.Reason, tables: divisions.DivisionTables | None = None) -> str:
    """The reason as a sentence in the current language, names and dates filled in."""
    tables = tables or divisions.default_tables()
    params = dict(reason.params)
    for key in ("origin", "via"):
        if key in params:
            params[key] = divisions.division_name(params[key], tables)
    if "province" in params:
        params["home"] = divisions.PROVINCE_ABBREVIATIONS.get(
            params["province"], divisions.division_name(params["province"], tables)
        )
    for key in ("since", "until"):
        if isinstance(params.get(key), date):
            params[key] = date_format(params[key], "DATE_FORMAT")
    message = REASON_MESSAGES[(reason.code, params.get("until") is not None)]
    return (str(message) % params)[: Trip._meta.get_field("category_reason").max_length]


def _rule(area: KeyArea) -> classify.KeyAreaRule:
    return classify.KeyAreaRule(
        code=area.division_code,
        name=area.name,
        label=area.label,
        starts_on=area.starts_on,
        ends_on=area.ends_on,
    )


def key_area_rules() -> list[tuple[str, classify.KeyAreaRule]]:
    """Every key area as (the path of the region whose list it is on, rule). One query."""
    areas = KeyArea.objects.select_related("region").only(
        "division_code", "name", "label", "starts_on", "ends_on", "region__path"
    )
    return [(area.region.path, _rule(area)) for area in areas]


def _applying(rules: Iterable[tuple[str, classify.KeyAreaRule]], region_path: str):
    return [rule for path, rule in rules if region_path.startswith(path)]


def trip_classify(trip: Trip, rules, *, today: date, tables) -> bool:
    """Set the trip's category and reason from `rules` (key_area_rules()); whether they changed.
    The trip's region must be loaded. No queries: for code that builds many trips at once."""
    return _classify(trip, rules, today=today, tables=tables)


def _classify(trip: Trip, rules, *, today: date, tables) -> bool:
    """Set the trip's category and reason; whether they changed."""
    category, text = _category(
        trip.origin_code,
        tuple(trip.via_codes or ()),
        trip.departed_on,
        trip.arrived_on,
        trip.region.path,
        rules=rules,
        today=today,
        tables=tables,
    )
    changed = (trip.category, trip.category_reason) != (category, text)
    trip.category, trip.category_reason = category, text
    return changed


def _category(
    origin_code: str,
    via_codes: tuple[str, ...],
    departed_on: date | None,
    arrived_on: date | None,
    region_path: str,
    *,
    rules,
    today: date,
    tables,
) -> tuple[str, str]:
    """(category, reason sentence) of a trip with these facts, recorded at `region_path`."""
    facts = classify.TripFacts(
        origin_code=origin_code,
        via_codes=via_codes,
        departed_on=departed_on,
        arrived_on=arrived_on,
    )
    category, reason = classify.classify_trip(
        facts, _applying(rules, region_path), home_province=region_path[:2], today=today
    )
    with translation.override(settings.LANGUAGE_CODE):
        return category, reason_text(reason, tables)


# --- trips ----------------------------------------------------------------------------------


def trip_places(*, origin_text: str, via_text: str = "") -> dict[str, Any]:
    """What the texts resolve to: {"origin": Division or None, "via": [Division, …]}."""
    tables = divisions.default_tables()
    return {
        "origin": divisions.resolve(origin_text, tables),
        "via": divisions.resolve_many(via_text, tables),
    }


@transaction.atomic
def trip_record(
    *,
    actor: Any,
    person: Any,
    origin_text: str,
    arrived_on: date | None = None,
    departed_on: date | None = None,
    transport: str = "",
    transport_number: str = "",
    via_text: str = "",
    companions: str = "",
    source: str,
    today: date | None = None,
) -> Trip:
    """Record one journey of a person back into the township, in the person's region.

    The texts are kept as typed; the origin and the places passed through are also resolved to
    division codes (an origin nobody can place keeps an empty code and is classified OTHER with
    a reason that says so). The trip is classified against the key areas in force where the
    person lives. Audited (create, on the person's history).
    """
    if departed_on and arrived_on and departed_on > arrived_on:
        raise ValidationError({"arrived_on": _("The arrival cannot be before the departure.")})
    tables = divisions.default_tables()
    places = trip_places(origin_text=origin_text, via_text=via_text)
    trip = Trip(
        person=person,
        region=person.region,
        origin_text=origin_text.strip(),
        origin_code=places["origin"].code if places["origin"] else "",
        via_text=via_text.strip(),
        via_codes=[place.code for place in places["via"]],
        departed_on=departed_on,
        arrived_on=arrived_on,
        transport=transport,
        transport_number=idnumber.normalize(transport_number).upper(),
        companions=companions.strip(),
        source=source,
        recorded_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    _classify(trip, key_area_rules(), today=today or timezone.localdate(), tables=tables)
    trip.full_clean()
    trip.save()
    audit_record(actor=actor, action=Action.CREATE, obj=trip, person_id=person.pk)
    return trip


@transaction.atomic
def trip_correct(
    *,
    actor: Any,
    trip: Trip,
    origin_text: str,
    arrived_on: date | None,
    today: date | None = None,
) -> Trip:
    """Correct where a trip came from and when it arrived (a visit corrected after saving):
    the origin is resolved and the trip classified again. Audited with the changed fields;
    nothing is written when nothing changed."""
    before = {"origin_text": trip.origin_text, "arrived_on": trip.arrived_on}
    origin = trip_places(origin_text=origin_text)["origin"]
    trip.origin_text = origin_text.strip()
    trip.origin_code = origin.code if origin else ""
    trip.arrived_on = arrived_on
    after = {"origin_text": trip.origin_text, "arrived_on": trip.arrived_on}
    changed = {name for name in before if before[name] != after[name]}
    if not changed:
        return trip
    if trip.departed_on and arrived_on and trip.departed_on > arrived_on:
        raise ValidationError({"arrived_on": _("The arrival cannot be before the departure.")})
    tables = divisions.default_tables()
    _classify(trip, key_area_rules(), today=today or timezone.localdate(), tables=tables)
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


@transaction.atomic
def trip_delete(*, actor: Any, trip: Trip) -> None:
    """Delete a trip recorded by mistake (a visit corrected: the member was not back after
    all). Audited on the person's history."""
    audit_record(actor=actor, action=Action.DELETE, obj=trip, person_id=trip.person_id)
    trip.delete()


# The columns an imported trip sets (the rest take their defaults).
BULK_TRIP_FIELDS = (
    "person_id",
    "region_id",
    "origin_text",
    "origin_code",
    "via_text",
    "via_codes",
    "departed_on",
    "arrived_on",
    "transport",
    "transport_number",
    "companions",
    "source",
    "category",
    "category_reason",
    "recorded_by_id",
)


def trips_record_many(
    *,
    actor: Any,
    items: Iterable[tuple[int, int, dict[str, Any]]],
    source: str,
    today: date | None = None,
    detail: dict | None = None,
) -> int:
    """Record many trips at once (an imported roster); returns how many. `items` are
    (person id, region id, the trip's fields as `trip_record` takes them, dates as date
    objects). Places are resolved and trips classified once per distinct set of facts, the key
    areas read once, and the trips and their audit entries (with `detail`) written as plain rows
    in bulk: a fixed number of queries per chunk. Runs inside the caller's transaction."""
    today = today or timezone.localdate()
    tables = divisions.default_tables()
    rules = key_area_rules()
    items = list(items)
    paths = dict(
        Region.objects.filter(id__in={region_id for _, region_id, _ in items}).values_list(
            "id", "path"
        )
    )
    recorded_by = actor.pk if getattr(actor, "is_authenticated", False) else None
    places: dict[tuple[str, str], dict[str, Any]] = {}
    categories: dict[tuple, tuple[str, str]] = {}
    rows = []
    for person_id, region_id, fields in items:
        origin, via = fields["origin_text"].strip(), fields.get("via_text", "").strip()
        if (origin, via) not in places:
            places[origin, via] = trip_places(origin_text=origin, via_text=via)
        found = places[origin, via]
        origin_code = found["origin"].code if found["origin"] else ""
        via_codes = [place.code for place in found["via"]]
        departed, arrived = fields.get("departed_on"), fields.get("arrived_on")
        facts = (origin_code, tuple(via_codes), departed, arrived, paths[region_id])
        if facts not in categories:
            categories[facts] = _category(*facts, rules=rules, today=today, tables=tables)
        rows.append(
            (
                person_id,
                region_id,
                origin,
                origin_code,
                via,
                via_codes,
                departed,
                arrived,
                fields.get("transport", ""),
                idnumber.normalize(fields.get("transport_number", "")).upper(),
                fields.get("companions", "").strip(),
                source,
                *categories[facts],
                recorded_by,
            )
        )
    ids = insert_rows(Trip, BULK_TRIP_FIELDS, rows)
    audit_record_many(
        actor=actor,
        action=Action.CREATE,
        object_type=Trip._meta.label_lower,
        entries=(
            (trip_id, f"{row[2]} → {row[7] or ''}", row[0], row[1])
            for trip_id, row in zip(ids, rows, strict=True)
        ),
        detail=detail,
    )
    return len(ids)


def trips_reclassify(*, region: Region | None = None, today: date | None = None) -> int:
    """Recompute the category and reason of every trip (under `region` when given) from the
    current key areas; returns how many changed.

    Runs in chunks of RECLASSIFY_CHUNK trips by id: per chunk one read and, when something
    changed, one bulk update, so the number of queries grows with the chunks, not the trips.
    """
    today = today or timezone.localdate()
    tables = divisions.default_tables()
    rules = key_area_rules()
    trips = Trip.objects.select_related("region").only(
        "origin_code",
        "via_codes",
        "departed_on",
        "arrived_on",
        "category",
        "category_reason",
        "region__path",
    )
    if region is not None:
        trips = trips.filter(region__path__startswith=region.path)
    changed_count, after = 0, 0
    while chunk := list(trips.filter(pk__gt=after).order_by("pk")[:RECLASSIFY_CHUNK]):
        changed = [trip for trip in chunk if _classify(trip, rules, today=today, tables=tables)]
        if changed:
            Trip.objects.bulk_update(changed, ["category", "category_reason"])
        changed_count += len(changed)
        after = chunk[-1].pk
    return changed_count


# --- key areas ------------------------------------------------------------------------------


@dataclass
class KeyAreaChange:
    """A change of the key-area list. `reclassified` is the number of trips whose category or
    reason changed: filled in once the change is committed (None until then)."""

    key_area: KeyArea
    reclassified: int | None = None


def _reclassify_after_commit(change: KeyAreaChange, region: Region, today: date | None) -> None:
    def run() -> None:
        change.reclassified = trips_reclassify(region=region, today=today)

    transaction.on_commit(run)


def _fill_area(key_area: KeyArea) -> None:
    place = divisions.division(key_area.division_code, divisions.default_tables())
    if place is None:
        raise ValidationError({"division_code": _("This is not a known division code.")})
    key_area.name = place.full_name
    key_area.label = (
        key_area.label.strip() or (divisions.short_names(place.name) or [place.name])[-1]
    )
    key_area.notes = key_area.notes.strip()


def _check_overlap(key_area: KeyArea) -> None:
    others = KeyArea.objects.filter(region=key_area.region, division_code=key_area.division_code)
    if key_area.pk:
        others = others.exclude(pk=key_area.pk)
    if key_area.ends_on is not None:
        others = others.filter(starts_on__lte=key_area.ends_on)
    others = others.exclude(ends_on__lt=key_area.starts_on)
    if others.exists():
        raise ValidationError(
            _("%(area)s is already a key area for part of this period: change that entry instead.")
            % {"area": key_area.name}
        )


@transaction.atomic
def key_area_create(
    *,
    actor: Any,
    region: Region,
    division_code: str,
    starts_on: date,
    ends_on: date | None = None,
    label: str = "",
    notes: str = "",
    today: date | None = None,
) -> KeyAreaChange:
    """Put a province, city or county on `region`'s key-area list from `starts_on`. The name is
    the official one; the label defaults to its short form (湖北省 → 湖北). Audited; after the
    commit the trips under `region` are re-classified."""
    key_area = KeyArea(
        region=region,
        division_code=division_code,
        starts_on=starts_on,
        ends_on=ends_on,
        label=label,
        notes=notes,
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    _fill_area(key_area)
    key_area.full_clean()
    _check_overlap(key_area)
    key_area.save()
    audit_record(actor=actor, action=Action.CREATE, obj=key_area)
    change = KeyAreaChange(key_area=key_area)
    _reclassify_after_commit(change, region, today)
    return change


KEY_AREA_FIELDS = ("division_code", "starts_on", "ends_on", "label", "notes")


@transaction.atomic
def key_area_update(
    *, actor: Any, key_area: KeyArea, today: date | None = None, **fields: Any
) -> KeyAreaChange:
    """Change a key area (any of KEY_AREA_FIELDS); ending one is setting `ends_on`. Audited with
    the changed fields; after the commit the trips under its region are re-classified."""
    unknown = set(fields) - set(KEY_AREA_FIELDS)
    if unknown:
        raise TypeError(f"key_area_update: unknown fields {sorted(unknown)}")
    before = {name: getattr(key_area, name) for name in (*KEY_AREA_FIELDS, "name")}
    for name, value in fields.items():
        setattr(key_area, name, value)
    if "division_code" in fields and fields["division_code"] != before["division_code"]:
        key_area.label = fields.get("label", "")
    _fill_area(key_area)
    changed = {name for name in before if getattr(key_area, name) != before[name]}
    change = KeyAreaChange(key_area=key_area)
    if not changed:
        change.reclassified = 0
        return change
    key_area.full_clean()
    _check_overlap(key_area)
    key_area.save()
    audit_record(
        actor=actor,
        action=Action.UPDATE,
        obj=key_area,
        changes={
            name: [str(before[name]), str(getattr(key_area, name))] for name in sorted(changed)
        },
    )
    _reclassify_after_commit(change, key_area.region, today)
    return change


def key_area_end(
    *, actor: Any, key_area: KeyArea, ends_on: date | None = None, today: date | None = None
) -> KeyAreaChange:
    """Stop counting a key area after `ends_on` (default: today). Trips that fell in its period
    keep their category; later ones lose it."""
    today = today or timezone.localdate()
    return key_area_update(
        actor=actor,
        key_area=key_area,
        ends_on=ends_on or max(today, key_area.starts_on),
        today=today,
    )


@transaction.atomic
def key_area_delete(*, actor: Any, key_area: KeyArea, today: date | None = None) -> KeyAreaChange:
    """Remove a key area entered by mistake (to stop one counting, end it instead). Audited;
    after the commit the trips under its region are re-classified."""
    audit_record(actor=actor, action=Action.DELETE, obj=key_area)
    region = key_area.region
    key_area.delete()
    change = KeyAreaChange(key_area=key_area)
    _reclassify_after_commit(change, region, today)
    return change
