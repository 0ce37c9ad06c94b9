"""The exposure search's place contacts by hand: one SQL statement per subject, the baseline of
bench/places_case.py, giving what `fangxian.tracing.exposure.first_ring` gives for places.

The rules are first_ring's (its module docstring): scans that count (not withdrawn, not
corrected); an entry paired with the same person's (or phone's) next scan at the place when that
is an exit within 12 hours, else a moment; the subject's stays widened by the window; a contact
is anyone else whose stay there meets a widened stay. Pairing is LEAD/LAG over each person's
scans at a place; the scans around the subject's stays are read per stay along the
(place, occurred_at) index, 12 hours either side (a stay that meets the window starts or ends
within that band).
"""

from datetime import datetime, timedelta

from django.db import connection

from fangxian.places.models import Scan
from fangxian.tracing.exposure import MAX_STAY

_TEMPLATE = """
WITH subject AS (
  SELECT s.place_id, s.person_id, {phone_key} AS phone_key, s.direction, s.occurred_at
  FROM {scan} s
  WHERE ({who}) AND s.occurred_at >= %(read_from)s AND s.occurred_at <= %(read_until)s
    AND NOT s.withdrawn AND NOT EXISTS (SELECT 1 FROM {scan} c WHERE c.corrects_id = s.id)
), subject_paired AS ({paired_subject}), subject_stay AS ({stays_subject}),
widened AS (
  SELECT place_id, {lo} AS lo, {hi} AS hi, {band_lo} AS band_lo, {band_hi} AS band_hi
  FROM subject_stay
  WHERE started <= %(until)s AND finished >= %(since)s
), near AS (
  SELECT DISTINCT s.id, s.place_id, s.person_id, {phone_key} AS phone_key, s.direction,
    s.occurred_at
  FROM widened w JOIN {scan} s ON s.place_id = w.place_id
    AND s.occurred_at >= w.band_lo AND s.occurred_at <= w.band_hi
  WHERE NOT s.withdrawn AND NOT EXISTS (SELECT 1 FROM {scan} c WHERE c.corrects_id = s.id)
    AND {not_subject}
), near_paired AS ({paired_near}), near_stay AS ({stays_near})
SELECT DISTINCT n.person_id, n.phone_key, n.place_id
FROM near_stay n JOIN widened w ON w.place_id = n.place_id
  AND n.started <= w.hi AND n.finished >= w.lo
"""

_PAIRED = """
  SELECT place_id, person_id, phone_key, direction, occurred_at,
    LEAD(direction) OVER w AS next_direction, LEAD(occurred_at) OVER w AS next_at,
    LAG(direction) OVER w AS previous_direction, LAG(occurred_at) OVER w AS previous_at
  FROM {source}
  WINDOW w AS (PARTITION BY person_id, phone_key, place_id ORDER BY occurred_at)
"""

# An entry: a stay up to the next scan when that is an exit within MAX_STAY, else a moment. An
# exit: part of the stay before it when the previous scan is an entry within MAX_STAY, else a
# moment of its own.
_STAYS = """
  SELECT place_id, person_id, phone_key, occurred_at AS started,
    CASE WHEN direction = 'in' AND next_direction = 'out' AND next_at <= {entry_plus_max}
      THEN next_at ELSE occurred_at END AS finished
  FROM {source}
  WHERE direction = 'in' OR previous_direction IS NULL OR previous_direction <> 'in'
    OR previous_at < {exit_minus_max}
"""


def _shifted(expression: str, seconds: int) -> str:
    if connection.vendor == "postgresql":
        return f"({expression} + INTERVAL '{seconds} seconds')"
    return f"datetime({expression}, '{seconds:+d} seconds')"


def contacts_query(
    *,
    person_ids: list[int],
    phones: list[str],
    since: datetime,
    until: datetime,
    window: timedelta,
) -> tuple[str, dict]:
    """The statement for one subject (any of `person_ids` / `phones`) and its parameters."""
    scan = connection.ops.quote_name(Scan._meta.db_table)
    adapt = connection.ops.adapt_datetimefield_value
    parameters = {
        "since": adapt(since),
        "until": adapt(until),
        "read_from": adapt(since - MAX_STAY),
        "read_until": adapt(until + MAX_STAY),
    }
    who, not_subject = [], []
    if person_ids:
        parameters |= {f"person_{n}": value for n, value in enumerate(person_ids)}
        listed = ", ".join(f"%(person_{n})s" for n in range(len(person_ids)))
        who.append(f"(s.person_id IN ({listed}) AND s.person_id IS NOT NULL)")
        not_subject.append(f"(s.person_id IS NULL OR s.person_id NOT IN ({listed}))")
    if phones:
        parameters |= {f"phone_{n}": value for n, value in enumerate(phones)}
        listed = ", ".join(f"%(phone_{n})s" for n in range(len(phones)))
        # Written as the partial index's condition, or SQLite does not use the index.
        who.append(f"(s.phone IN ({listed}) AND NOT (s.phone = ''))")
        not_subject.append(f"s.phone NOT IN ({listed})")
    max_stay = int(MAX_STAY.total_seconds())
    seconds = int(window.total_seconds())

    def stays(source: str) -> str:
        return _STAYS.format(
            source=source,
            entry_plus_max=_shifted("occurred_at", max_stay),
            exit_minus_max=_shifted("occurred_at", -max_stay),
        )

    sql = _TEMPLATE.format(
        scan=scan,
        phone_key="CASE WHEN s.person_id IS NULL THEN s.phone END",
        who=" OR ".join(who),
        not_subject=" AND ".join(not_subject) or "1 = 1",
        paired_subject=_PAIRED.format(source="subject"),
        stays_subject=stays("subject_paired"),
        lo=_shifted("started", -seconds),
        hi=_shifted("finished", seconds),
        band_lo=_shifted(_shifted("started", -seconds), -max_stay),
        band_hi=_shifted(_shifted("finished", seconds), max_stay),
        paired_near=_PAIRED.format(source="near"),
        stays_near=stays("near_paired"),
    )
    return sql, parameters


def contacts(
    *,
    person_ids: list[int],
    phones: list[str],
    since: datetime,
    until: datetime,
    window: timedelta,
) -> set[tuple[tuple[str, object], int]]:
    """{(("person", id) or ("phone", number), place id)}: everyone who met the subject at a
    place, as first_ring's exposures name them (`Exposure.identity`, `place_id`)."""
    sql, parameters = contacts_query(
        person_ids=person_ids, phones=phones, since=since, until=until, window=window
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, parameters)
        return {
            (("person", person_id) if person_id is not None else ("phone", phone), place_id)
            for person_id, phone, place_id in cursor.fetchall()
        }
