"""The order list as an .xlsx roster (隔离管控人员名单, issue 4 item 9), laid out as townships send
lists upward (core.xlsx): title, 填报单位, 填报日期, numbered rows, identifiers as text.

As every export: ID numbers and phones masked unless the user holds `export_full_pii` over
everything exported; one audit entry with the filter and the row count, masked or full. Rows
stream from the scoped selector in chunks of 2,000 with their relations selected: the same
number of queries for 5 orders or 50,000.
"""

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from typing import IO, Any

from django.core.exceptions import PermissionDenied
from django.utils import timezone
from django.utils.translation import gettext as _

from fangxian.accounts.roles import Capability
from fangxian.audit.services import Action, audit_record
from fangxian.core.masking import mask_id_number, mask_phone
from fangxian.core.xlsx import Column, write_roster
from fangxian.people.exports import roster_labels
from fangxian.quarantine import selectors
from fangxian.quarantine.models import QuarantineKind, QuarantineOrder
from fangxian.regions.models import Region
from fangxian.regions.scope import scope_roots

CHUNK = 2000
VIEW = Capability.VIEW_QUARANTINE


@dataclass(frozen=True)
class RosterExport:
    rows: int
    title: str
    filename: str


def order_export_full_allowed(*, user: Any, region: Region | None = None) -> bool:
    """Whether `user` may export full numbers: `export_full_pii` over the filtered region, else
    over every root of their quarantine scope. Reads only the cached role assignments."""
    if region is not None:
        return user.can_at(Capability.EXPORT_FULL_PII, region)
    full_paths = user.region_paths_for(Capability.EXPORT_FULL_PII)
    if full_paths is None:
        return True
    view_paths = user.region_paths_for(VIEW) or []
    return bool(view_paths) and all(
        any(path.startswith(full) for full in full_paths) for path in view_paths
    )


def order_columns() -> list[Column]:
    """The list's columns after 序号, in the order of `_order_row`."""
    return [
        Column(_("Village or community"), width=12),
        Column(_("Grid / group"), width=16),
        Column(_("Name"), width=10),
        Column(_("Sex"), width=6),
        Column(_("ID number"), width=22, text=True),
        Column(_("Contact phone"), width=15, text=True),
        Column(_("Kind of quarantine"), width=12),
        Column(_("Reason"), width=14),
        Column(_("What it rests on"), width=24),
        Column(_("Source"), width=16),
        Column(_("Starts on"), width=12, number_format="yyyy-mm-dd"),
        Column(_("Planned end"), width=12, number_format="yyyy-mm-dd"),
        Column(_("Status"), width=12),
        Column(_("Room"), width=14),
        Column(_("Ended on"), width=12, number_format="yyyy-mm-dd"),
    ]


def _village_and_units(region: Region) -> tuple[str, str]:
    """(瓦房村, 第一网格) through the parents selected with the row: no query."""
    units: list[str] = []
    current: Region | None = region
    while current is not None and current.level > Region.Level.VILLAGE:
        units.insert(0, current.short_name)
        if "parent" not in current._state.fields_cache:
            return "", " · ".join(units)
        current = current.parent
    return (current.short_name if current is not None else ""), " · ".join(units)


def _order_row(order: QuarantineOrder, *, full: bool) -> tuple[Any, ...]:
    person = order.person
    village, units = _village_and_units(order.region)
    source = order.get_source_display()
    if order.source_unit:
        source = f"{source}（{order.source_unit}）"
    room = f"{order.room.site.name} {order.room.number}" if order.room_id else ""
    ended = timezone.localdate(order.ended_at) if order.ended_at else None
    return (
        village,
        units,
        person.name,
        person.get_sex_display(),
        person.id_number if full else mask_id_number(person.id_number),
        person.phone if full else mask_phone(person.phone),
        order.kind.name,
        order.reason.name,
        order.basis,
        source,
        order.starts_on,
        order.planned_end_on,
        order.get_status_display(),
        room,
        ended,
    )


def _rows(orders, *, full: bool) -> Iterator[tuple[Any, ...]]:
    for order in orders.iterator(chunk_size=CHUNK):
        yield _order_row(order, full=full)


def _subject(user: Any, region: Region | None) -> Region | None:
    if region is not None:
        return region
    roots = list(scope_roots(user, VIEW).select_related("parent__parent")[:2])
    return roots[0] if len(roots) == 1 else None


def order_list_export(
    *,
    actor: Any,
    stream: IO[bytes],
    status: str = "",
    kind: QuarantineKind | None = None,
    region: Region | None = None,
    full: bool = False,
    day: date,
) -> RosterExport:
    """Write the orders `actor` may see (the list's filters) to `stream` as the 隔离管控人员名单,
    by village, grid and start, and audit it (filter, row count, whether numbers were full).
    `full` needs `order_export_full_allowed` (PermissionDenied otherwise; views answer 404)."""
    if full and not order_export_full_allowed(user=actor, region=region):
        raise PermissionDenied
    subject = _subject(actor, region)
    short, official = roster_labels(subject)
    title = (
        _("%(region)s people under quarantine") % {"region": short}
        if short
        else _("People under quarantine")
    )
    orders = (
        selectors.order_list(user=actor, status=status, kind=kind, region=region)
        .select_related("region__parent__parent", "room__site")
        .order_by("region__path", "starts_on", "id")
    )
    rows = write_roster(
        stream,
        title=title,
        unit=official,
        day=day,
        columns=order_columns(),
        rows=_rows(orders, full=full),
        sheet_name=_("People under quarantine"),
    )
    audit_record(
        actor=actor,
        action=Action.EXPORT,
        region=subject,
        detail={
            "filter": {
                "status": status,
                "kind": kind.code if kind is not None else "",
                "region": region.code if region is not None else "",
            },
            "rows": rows,
            "full": full,
            "list": "quarantine_orders",
        },
    )
    return RosterExport(rows=rows, title=title, filename=f"{title}-{day.isoformat()}.xlsx")
