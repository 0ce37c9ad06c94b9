"""Writing the audit trail. Every service that touches personal data calls `audit_record`."""

from collections.abc import Iterable
from typing import Any

from django.db import models
from django.utils import timezone

from fangxian.audit.context import current_client
from fangxian.audit.models import AuditEntry
from fangxian.core.bulk import insert_rows

Action = AuditEntry.Action


def audit_record(
    *,
    actor: Any,
    action: str,
    obj: models.Model | None = None,
    region: Any = None,
    person_id: int | None = None,
    changes: dict | None = None,
    detail: dict | None = None,
    username: str = "",
) -> AuditEntry:
    """Append one entry. `region` and `person_id` default from the object when it has them.

    `changes` names the changed fields; values of identifiers in it must already be masked.
    """
    client = current_client.get()
    if obj is not None and region is None:
        region = getattr(obj, "region", None)
    if obj is not None and person_id is None and obj._meta.label == "people.Person":
        person_id = obj.pk
    real_actor = actor if actor is not None and getattr(actor, "is_authenticated", False) else None
    return AuditEntry.objects.create(
        actor=real_actor,
        username=username or (real_actor.get_username() if real_actor else ""),
        action=action,
        object_type=obj._meta.label_lower if obj is not None else "",
        object_id=str(obj.pk) if obj is not None else "",
        object_repr=str(obj)[:200] if obj is not None else "",
        person_id=person_id,
        region=region,
        changes=changes or {},
        detail=detail or {},
        ip_address=client.ip_address,
        user_agent=client.user_agent,
    )


def audit_record_many(
    *,
    actor: Any,
    action: str,
    object_type: str,
    entries: Iterable[tuple[Any, str, int | None, int | None]],
    detail: dict | None = None,
    at=None,
) -> int:
    """Append one entry per object in bulk (imports write thousands at once): the same fields as
    `audit_record`. `object_type` is the model's label ("people.person"); each of `entries` is
    (object id, object repr, person id, region id). Written with `core.bulk.insert_rows` (plain
    rows, no model instances): must run inside the caller's transaction. Returns the count."""
    client = current_client.get()
    real_actor = actor if actor is not None and getattr(actor, "is_authenticated", False) else None
    ids = insert_rows(
        AuditEntry,
        ["object_id", "object_repr", "person_id", "region_id"],
        (
            (str(object_id), object_repr[:200], person_id, region_id)
            for object_id, object_repr, person_id, region_id in entries
        ),
        same={
            "at": at or timezone.now(),
            "actor_id": real_actor.pk if real_actor else None,
            "username": real_actor.get_username() if real_actor else "",
            "action": action,
            "object_type": object_type,
            "detail": detail or {},
            "ip_address": client.ip_address,
            "user_agent": client.user_agent,
        },
    )
    return len(ids)
