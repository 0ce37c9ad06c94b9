"""A search's contacts as an .xlsx (core.xlsx): masked unless the user holds `export_full_pii`
over the search's region (tracers do not); one audit entry with the purpose and row count."""

from collections.abc import Iterator
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
from fangxian.tracing.models import Search
from fangxian.tracing.selectors import contact_list

CHUNK = 2000


def contacts_export_full_allowed(*, user: Any, search: Search) -> bool:
    return user.can_at(Capability.EXPORT_FULL_PII, search.region)


def _columns() -> list[Column]:
    return [
        Column(_("Ring"), width=6),
        Column(_("Name"), width=10),
        Column(_("ID number"), width=22, text=True),
        Column(_("Phone"), width=15, text=True),
        Column(_("How"), width=10),
        Column(_("Where"), width=24),
        Column(_("Overlap from"), width=17, number_format="yyyy-mm-dd hh:mm"),
        Column(_("Overlap until"), width=17, number_format="yyyy-mm-dd hh:mm"),
        Column(_("Exposed through"), width=12),
    ]


def _local(moment):
    return timezone.localtime(moment).replace(tzinfo=None)


def _rows(contacts, *, full: bool) -> Iterator[tuple[Any, ...]]:
    for contact in contacts.iterator(chunk_size=CHUNK):
        person = contact.person
        number = person.id_number if person is not None else contact.document_number
        phone = contact.phone or (person.phone if person is not None else "")
        through = ""
        if contact.ring == 2:
            through = contact.through_masked
        yield (
            contact.ring,
            contact.display_name,
            number if full else mask_id_number(number),
            phone if full else mask_phone(phone),
            contact.get_via_display(),
            contact.where,
            _local(contact.overlap_from),
            _local(contact.overlap_until),
            through,
        )


def contacts_export(
    *, actor: Any, search: Search, stream: IO[bytes], full: bool = False, day: date
) -> int:
    """Write the search's contacts (ring 1 then ring 2) to `stream`; audited. Returns rows."""
    if full and not contacts_export_full_allowed(user=actor, search=search):
        raise PermissionDenied
    contacts = contact_list(search=search).order_by("ring", "overlap_from", "id")
    rows = write_roster(
        stream,
        title=_("Contacts found by exposure search No. %(id)s") % {"id": search.pk},
        unit=roster_labels(search.region)[1],
        day=day,
        columns=_columns(),
        rows=_rows(contacts, full=full),
        sheet_name=_("Contacts"),
    )
    audit_record(
        actor=actor,
        action=Action.EXPORT,
        obj=search,
        detail={"purpose": search.purpose, "rows": rows, "full": full, "list": "contacts"},
    )
    return rows
