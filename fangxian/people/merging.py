"""Merging two records of one person (合并重复人员), and undoing it.

Records that point at a person live in apps above people (trips, visits, quarantine orders,
codes …), which people must not import. Each such app registers a handler at start-up that moves
its rows from one person to another and says which rows it moved; the merge keeps those ids so
that undo moves exactly them back. The merged record is kept (marked `merged_into`), so both
originals stay in the history and the audit.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from fangxian.audit.services import Action, audit_record
from fangxian.people.models import Person, PersonMerge

# Fields the survivor takes from the merged record when its own are empty.
FILLABLE = ("id_number", "phone", "birth_date", "sex", "household_id", "relation", "notes")


@dataclass(frozen=True)
class MergeHandler:
    label: str  # e.g. "screening.Trip"
    move: Callable[[int, int], list[int]]  # (from person id, to person id) -> ids moved
    move_back: Callable[[list[int], int], None]  # (ids, to person id)


_handlers: dict[str, MergeHandler] = {}


def register_merge_handler(handler: MergeHandler) -> None:
    """Called from an app's ready(): its rows follow a person through merges."""
    _handlers[handler.label] = handler


def fk_handler(model, field: str = "person") -> MergeHandler:
    """The common case: a model with a foreign key to Person; rows move with one UPDATE."""
    label = model._meta.label

    def move(from_id: int, to_id: int) -> list[int]:
        rows = model.objects.filter(**{f"{field}_id": from_id})
        ids = list(rows.values_list("id", flat=True))
        rows.update(**{f"{field}_id": to_id})
        return ids

    def move_back(ids: list[int], to_id: int) -> None:
        model.objects.filter(id__in=ids).update(**{f"{field}_id": to_id})

    return MergeHandler(label=label, move=move, move_back=move_back)


def _snapshot(person: Person) -> dict[str, Any]:
    return {name: getattr(person, name) for name in FILLABLE}


@transaction.atomic
def person_merge(*, actor, survivor: Person, merged: Person, reason: str) -> PersonMerge:
    """Make `merged` part of `survivor`: linked records move, empty fields of the survivor are
    filled from the merged record, and the merged record is kept but marked."""
    if survivor.pk == merged.pk:
        raise ValidationError(_("A record cannot be merged with itself."))
    if merged.merged_into_id or survivor.merged_into_id:
        raise ValidationError(_("One of these records has already been merged."))
    if (
        survivor.id_number
        and merged.id_number
        and (survivor.document_type, survivor.id_number) != (merged.document_type, merged.id_number)
    ):
        raise ValidationError(
            _("The two records carry different document numbers: they are not the same person.")
        )
    if not reason.strip():
        raise ValidationError(_("Say why these are the same person."))
    moved = {label: handler.move(merged.pk, survivor.pk) for label, handler in _handlers.items()}
    filled = {}
    for name in FILLABLE:
        if not getattr(survivor, name) and getattr(merged, name):
            filled[name] = getattr(merged, name)
    if "id_number" in filled:
        filled["document_type"] = merged.document_type
        filled["id_tail"] = merged.id_tail
    # The merged record gives up its number first, so the unique constraint holds.
    merged.merged_into = survivor
    if "id_number" in filled:
        merged.id_number, merged.id_tail = "", ""
    merged.save(update_fields=["merged_into", "id_number", "id_tail", "updated_at"])
    for name, value in filled.items():
        setattr(survivor, name, value)
    if filled:
        survivor.save(update_fields=[*filled, "updated_at"])
    merge = PersonMerge.objects.create(
        survivor=survivor,
        merged=merged,
        region=survivor.region,
        moved=moved | {"filled": sorted(filled)},
        reason=reason.strip(),
        merged_by=actor,
    )
    audit_record(
        actor=actor,
        action=Action.UPDATE,
        obj=survivor,
        detail={"merge": merge.pk, "merged_person": merged.pk, "filled": sorted(filled)},
    )
    audit_record(actor=actor, action=Action.UPDATE, obj=merged, detail={"merged_into": survivor.pk})
    return merge


@transaction.atomic
def person_merge_undo(*, actor, merge: PersonMerge) -> None:
    """Put both records back as they were: moved rows go back, filled fields are emptied."""
    merge = PersonMerge.objects.select_for_update().get(pk=merge.pk)
    if merge.undone_at:
        raise ValidationError(_("This merge has already been undone."))
    survivor, merged = merge.survivor, merge.merged
    filled = merge.moved.get("filled", [])
    restore = {name: getattr(survivor, name) for name in filled}
    for name in filled:
        setattr(survivor, name, Person._meta.get_field(name.removesuffix("_id")).get_default())
    if "id_number" in filled:
        survivor.id_tail = ""
    if filled:
        survivor.save()
    merged.merged_into = None
    if "id_number" in restore:
        merged.id_number, merged.id_tail = restore["id_number"], restore["id_number"][-4:]
    merged.save()
    for label, ids in merge.moved.items():
        if label in _handlers:
            _handlers[label].move_back(ids, merged.pk)
    merge.undone_at, merge.undone_by = timezone.now(), actor
    merge.save(update_fields=["undone_at", "undone_by"])
    audit_record(actor=actor, action=Action.UPDATE, obj=merged, detail={"merge_undone": merge.pk})
