"""The core of the exposure search (流调): who was at the same places, or in the same vehicle, as
the subject. Pure reads; no scope here (`first_ring`), the callers scope (`first_ring_in_scope`
reads the same querysets through `regions.scope.scoped`).

**Stays.** Scans are paired into stays per person (or phone) and place: an entry and the next
exit within `MAX_STAY` make a stay [entry, exit]; an entry without an exit (or an exit without
an entry) is a moment [t, t]. The subject's stay is widened by the window: [entry - window,
exit + window] (without an exit: entry ± window). A contact is anyone whose stay at the same
place meets the subject's widened stay; the overlap reported is the part of the contact's stay
inside it (for a moment, the moment).

**Vehicles.** Everyone registered in the same passage as the subject (overlap: the passage's
time), and everyone in another passage of the same plate within the window (overlap: from the
earlier passage to the later one). Passages are found through the subject's ledger record (the
people of a passage are indexed by person, not by phone).

**Latest versions only.** A scan or passage that another one `corrects` is replaced by it; a
withdrawn scan counts for nothing.

**Cost.** A fixed number of queries whatever the number of visits, each an index range: the
subject's scans (`(person, occurred_at)`, `(phone, occurred_at)`), the scans at their places
around their stays (`(place, occurred_at)`, one range per stay, merged per place), the subject's
passages (`PassagePerson(person, occurred_at)`), the passages of the same plates around them
(`(plate, occurred_at)`) and their people. The ranges of one query are capped at
`RANGES_PER_QUERY` (SQLite's expression depth): only a subject with more separate stays than
that in the period takes one more query per `RANGES_PER_QUERY` stays.
"""

import bisect
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from functools import reduce
from operator import or_
from typing import Any

from django.db.models import Exists, OuterRef, Q, QuerySet

from fangxian.checkpoints.models import Passage, PassagePerson
from fangxian.places.models import Scan
from fangxian.regions.scope import scoped

TRACE_EXPOSURE = "trace_exposure"
PLACE = "place"
VEHICLE = "vehicle"
MAX_STAY = timedelta(hours=12)  # an exit later than this is not paired with the entry
RANGES_PER_QUERY = 300


@dataclass(frozen=True)
class Exposure:
    """One contact at one place (or in one vehicle) with its overlap. `through_*` is the subject
    (of several) whose stay or passage it overlapped."""

    person_id: int | None
    phone: str
    via: str  # "place" or "vehicle"
    place_id: int | None
    passage_id: int | None
    where: str
    overlap_from: datetime
    overlap_until: datetime
    name: str = ""  # as registered at a checkpoint (people outside the ledger)
    document_number: str = ""
    through_person_id: int | None = None
    through_phone: str = ""

    @property
    def identity(self) -> tuple[str, Any]:
        return identity_of(self.person_id, self.phone, self.document_number or self.name)


def identity_of(person_id: int | None, phone: str, other: str = "") -> tuple[str, Any]:
    """Who a record is about: the ledger's person, else the phone, else what was typed."""
    if person_id is not None:
        return ("person", person_id)
    if phone:
        return ("phone", phone)
    return ("typed", other)


@dataclass
class _Stay:
    person_id: int | None
    phone: str
    place_id: int
    where: str
    start: datetime
    end: datetime
    paired: bool


def latest_scans(scans: QuerySet[Scan]) -> QuerySet[Scan]:
    """Scans that count: not withdrawn, and not replaced by a correction."""
    return scans.filter(withdrawn=False).filter(
        ~Exists(Scan.objects.filter(corrects_id=OuterRef("pk")))
    )


def latest_passages(passages: QuerySet[Passage]) -> QuerySet[Passage]:
    return passages.filter(~Exists(Passage.objects.filter(corrects_id=OuterRef("pk"))))


def first_ring(
    *,
    person_ids: list[int],
    phones: list[str],
    since: datetime,
    until: datetime,
    window: timedelta,
) -> list[Exposure]:
    """Everyone who overlapped with the subject (any of `person_ids` / `phones`) between `since`
    and `until`, at a place within `window` or in the same vehicle. No scope: callers scope."""
    return _first_ring(
        scans=Scan.objects.all(),
        passages=Passage.objects.all(),
        passage_people=PassagePerson.objects.all(),
        person_ids=person_ids,
        phones=phones,
        since=since,
        until=until,
        window=window,
    )


def first_ring_in_scope(
    *,
    user: Any,
    person_ids: list[int],
    phones: list[str],
    since: datetime,
    until: datetime,
    window: timedelta,
) -> list[Exposure]:
    """`first_ring` over the scans and passages in the regions where `user` traces."""
    return _first_ring(
        scans=scoped(Scan.objects.all(), user, TRACE_EXPOSURE),
        passages=scoped(Passage.objects.all(), user, TRACE_EXPOSURE),
        passage_people=scoped(PassagePerson.objects.all(), user, TRACE_EXPOSURE),
        person_ids=person_ids,
        phones=phones,
        since=since,
        until=until,
        window=window,
    )


def _first_ring(
    *,
    scans: QuerySet[Scan],
    passages: QuerySet[Passage],
    passage_people: QuerySet[PassagePerson],
    person_ids: list[int],
    phones: list[str],
    since: datetime,
    until: datetime,
    window: timedelta,
) -> list[Exposure]:
    person_ids = sorted({int(p) for p in person_ids})
    phones = sorted({p for p in phones if p})
    if not person_ids and not phones:
        return []
    found = _by_place(scans, person_ids, phones, since, until, window)
    if person_ids:
        found += _by_vehicle(passages, passage_people, person_ids, phones, since, until, window)
    return _merged(found)


# --- places ---------------------------------------------------------------------------------

_SCAN_FIELDS = ("place_id", "place__name", "person_id", "phone", "direction", "occurred_at")
_CONTACT_FIELDS = ("place_id", "person_id", "phone", "direction", "occurred_at")


def _subject_q(person_ids: list[int], phones: list[str]) -> Q:
    # Written as the partial indexes' conditions, so that the planner uses them.
    parts = []
    if person_ids:
        parts.append(Q(person_id__in=person_ids) & Q(person__isnull=False))
    if phones:
        parts.append(Q(phone__in=phones) & ~Q(phone=""))
    return reduce(or_, parts)


def _by_place(scans, person_ids, phones, since, until, window) -> list[Exposure]:
    subject_rows = (
        latest_scans(scans)
        .filter(_subject_q(person_ids, phones))
        .filter(occurred_at__gte=since - MAX_STAY, occurred_at__lte=until + MAX_STAY)
        .values_list(*_SCAN_FIELDS)
    )
    subject_stays = [
        stay for stay in _stays(subject_rows) if stay.start <= until and stay.end >= since
    ]
    if not subject_stays:
        return []
    # The subject's widened stays per place, sorted by start: (lo, hi, stay).
    windows: dict[int, list[tuple[datetime, datetime, _Stay]]] = defaultdict(list)
    for stay in subject_stays:
        windows[stay.place_id].append((stay.start - window, stay.end + window, stay))
    for rows in windows.values():
        rows.sort(key=lambda row: row[0])
    # A contact's stay meeting a window starts at most MAX_STAY before it and ends at most
    # MAX_STAY after it: read those bands, merged per place.
    bands = _merged_bands(
        (place_id, lo - MAX_STAY, hi + MAX_STAY)
        for place_id, rows in windows.items()
        for lo, hi, _stay in rows
    )
    subject_persons, subject_phones = set(person_ids), set(phones)
    # The places' names came with the subject's scans: no join to the places here.
    names = {stay.place_id: stay.where for stay in subject_stays}
    candidates = []
    for start in range(0, len(bands), RANGES_PER_QUERY):
        chunk = bands[start : start + RANGES_PER_QUERY]
        near = reduce(
            or_, (Q(place_id=p, occurred_at__gte=lo, occurred_at__lte=hi) for p, lo, hi in chunk)
        )
        rows = latest_scans(scans).filter(near).values_list(*_CONTACT_FIELDS)
        candidates += [
            (place_id, names[place_id], person_id, phone, direction, at)
            for place_id, person_id, phone, direction, at in rows
            if person_id not in subject_persons and phone not in subject_phones
        ]
    found = []
    for stay in _stays(candidates):
        rows = windows[stay.place_id]
        last = bisect.bisect_right([lo for lo, _hi, _s in rows], stay.end)
        for lo, hi, subject in rows[:last]:
            if hi < stay.start:
                continue
            found.append(
                Exposure(
                    person_id=stay.person_id,
                    phone=stay.phone,
                    via=PLACE,
                    place_id=stay.place_id,
                    passage_id=None,
                    where=stay.where,
                    overlap_from=max(stay.start, lo),
                    overlap_until=min(stay.end, hi),
                    through_person_id=subject.person_id,
                    through_phone=subject.phone if subject.person_id is None else "",
                )
            )
    return found


def _merged_bands(bands: Iterable[tuple[int, datetime, datetime]]):
    merged: list[list] = []
    for place_id, lo, hi in sorted(bands, key=lambda band: (band[0], band[1])):
        if merged and merged[-1][0] == place_id and lo <= merged[-1][2]:
            merged[-1][2] = max(merged[-1][2], hi)
        else:
            merged.append([place_id, lo, hi])
    return [tuple(band) for band in merged]


def _stays(rows: Iterable[tuple]) -> list[_Stay]:
    """Pair entries with exits per person (or phone) and place, in time order."""
    by_key: dict[tuple, list[tuple]] = defaultdict(list)
    for row in rows:
        place_id, _name, person_id, phone, _direction, _at = row
        by_key[(identity_of(person_id, phone), place_id)].append(row)
    stays: list[_Stay] = []
    for key_rows in by_key.values():
        key_rows.sort(key=lambda row: row[5])
        entry = None
        for row in key_rows:
            if row[4] == Scan.Direction.IN:
                if entry is not None:
                    stays.append(_moment(entry))
                entry = row
            elif entry is not None and row[5] - entry[5] <= MAX_STAY:
                stays.append(_moment(entry, until=row[5]))
                entry = None
            else:
                if entry is not None:
                    stays.append(_moment(entry))
                    entry = None
                stays.append(_moment(row))
        if entry is not None:
            stays.append(_moment(entry))
    return stays


def _moment(row: tuple, until: datetime | None = None) -> _Stay:
    place_id, name, person_id, phone, _direction, at = row
    return _Stay(
        person_id=person_id,
        phone=phone,
        place_id=place_id,
        where=name,
        start=at,
        end=until or at,
        paired=until is not None,
    )


# --- vehicles -------------------------------------------------------------------------------


def _by_vehicle(passages, passage_people, person_ids, phones, since, until, window):
    not_corrected = ~Exists(Passage.objects.filter(corrects_id=OuterRef("passage_id")))
    mine = list(
        passage_people.filter(
            person_id__in=person_ids, occurred_at__gte=since, occurred_at__lte=until
        )
        .filter(not_corrected)
        .values_list("passage_id", "person_id", "passage__plate", "occurred_at")
    )
    if not mine:
        return []
    subject_passages = {passage_id: (person_id, at) for passage_id, person_id, _p, at in mine}
    same_plate = [
        Q(plate=plate, occurred_at__gte=at - window, occurred_at__lte=at + window)
        for _id, _person, plate, at in mine
        if plate
    ][:RANGES_PER_QUERY]
    near = reduce(or_, same_plate, Q(pk__in=list(subject_passages)))
    shared = {
        passage_id: (plate, at, checkpoint)
        for passage_id, plate, at, checkpoint in latest_passages(passages)
        .filter(near)
        .values_list("id", "plate", "occurred_at", "checkpoint__name")
    }
    if not shared:
        return []
    subject_persons, subject_phones = set(person_ids), set(phones)
    found = []
    rows = PassagePerson.objects.filter(passage_id__in=list(shared)).values_list(
        "passage_id", "person_id", "phone", "name", "document_number"
    )
    for passage_id, person_id, phone, name, document in rows:
        if person_id in subject_persons or (phone and phone in subject_phones):
            continue
        plate, at, checkpoint = shared[passage_id]
        where = f"{checkpoint} {plate}".strip()
        for subject_passage, (subject_person, subject_at) in subject_passages.items():
            if subject_passage == passage_id:
                overlap = (at, at)
            elif plate and shared.get(subject_passage, ("",))[0] == plate:
                if abs(at - subject_at) > window:
                    continue
                overlap = (min(at, subject_at), max(at, subject_at))
            else:
                continue
            found.append(
                Exposure(
                    person_id=person_id,
                    phone=phone,
                    via=VEHICLE,
                    place_id=None,
                    passage_id=passage_id,
                    where=where,
                    overlap_from=overlap[0],
                    overlap_until=overlap[1],
                    name="" if person_id else name,
                    document_number="" if person_id else document,
                    through_person_id=subject_person,
                )
            )
    return found


# --- merging --------------------------------------------------------------------------------


def _merged(found: list[Exposure]) -> list[Exposure]:
    """One exposure per contact, place (or passage) and subject, overlapping periods joined."""
    groups: dict[tuple, list[Exposure]] = defaultdict(list)
    for exposure in found:
        key = (
            exposure.identity,
            exposure.via,
            exposure.place_id,
            exposure.passage_id,
            exposure.through_person_id,
            exposure.through_phone,
        )
        groups[key].append(exposure)
    merged: list[Exposure] = []
    for exposures in groups.values():
        exposures.sort(key=lambda e: e.overlap_from)
        current = exposures[0]
        for exposure in exposures[1:]:
            if exposure.overlap_from <= current.overlap_until:
                if exposure.overlap_until > current.overlap_until:
                    current = replace(current, overlap_until=exposure.overlap_until)
            else:
                merged.append(current)
                current = exposure
        merged.append(current)
    merged.sort(key=lambda e: (e.overlap_from, e.where, e.identity))
    return merged
