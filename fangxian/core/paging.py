"""Keyset pagination: big lists page by key, never with OFFSET or a full COUNT."""

from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet

PAGE_SIZE = 50


@dataclass
class KeysetPage:
    items: list[Any]
    next_after: int | None
    after: int | None

    @property
    def has_next(self) -> bool:
        return self.next_after is not None


def keyset_page(
    queryset: QuerySet,
    *,
    after: str | int | None,
    size: int = PAGE_SIZE,
    newest_first: bool = False,
) -> KeysetPage:
    """Return up to `size` rows after the row with id `after`, ordered by id (or by -id).

    One query: it fetches size + 1 rows to learn whether another page exists.
    """
    try:
        after_id = int(after) if after not in (None, "") else None
    except (TypeError, ValueError):
        after_id = None
    rows = queryset.order_by("-id" if newest_first else "id")
    if after_id is not None:
        rows = rows.filter(id__lt=after_id) if newest_first else rows.filter(id__gt=after_id)
    items = list(rows[: size + 1])
    next_after = items[size - 1].id if len(items) > size else None
    return KeysetPage(items=items[:size], next_after=next_after, after=after_id)
