"""Reads of the exposure search. A search exists only for the tracer who ran it, within the
regions where they trace (regions.scope); anyone else gets 404."""

from typing import Any

from django.db.models import QuerySet
from django.http import Http404

from fangxian.accounts.roles import Capability
from fangxian.quarantine.models import OrderReason, QuarantineKind
from fangxian.quarantine.selectors import order_list
from fangxian.regions.scope import scoped
from fangxian.tracing.models import Contact, Search

TRACE = Capability.TRACE_EXPOSURE
OPEN = ("pending", "active")
MONITORING_KIND = "home_monitoring"  # 居家健康监测, the default for contacts found


def search_list(*, user: Any) -> QuerySet[Search]:
    """The user's own searches in their tracing scope; page by id, newest first."""
    return scoped(
        Search.objects.filter(created_by_id=user.pk).select_related("person", "batch"),
        user,
        TRACE,
    )


def search_get(*, user: Any, search_id: int) -> Search:
    search = search_list(user=user).filter(pk=search_id).first()
    if search is None:
        raise Http404
    return search


def contact_list(*, search: Search, ring: int | None = None) -> QuerySet[Contact]:
    """The search's contacts with their ledger records; page by id."""
    contacts = search.contacts.select_related("person", "through_person")
    return contacts.filter(ring=ring) if ring else contacts


def contact_get(*, user: Any, contact_id: int) -> Contact:
    contact = (
        Contact.objects.select_related("search__region", "person")
        .filter(pk=contact_id, search__in=search_list(user=user))
        .first()
    )
    if contact is None:
        raise Http404
    return contact


def under_quarantine(*, user: Any, contacts: list[Contact]) -> set[int]:
    """Of these contacts' people, those under an open order the user can see (one query)."""
    ids = {c.person_id for c in contacts if c.person_id is not None}
    if not ids:
        return set()
    orders = order_list(user=user, status=OPEN).filter(person_id__in=ids)
    return set(orders.values_list("person_id", flat=True))


def monitoring_choices() -> tuple[QuerySet[QuarantineKind], QuerySet[OrderReason]]:
    kinds = QuarantineKind.objects.filter(is_active=True).order_by("position", "id")
    reasons = OrderReason.objects.filter(is_active=True).order_by("position", "id")
    return kinds, reasons
