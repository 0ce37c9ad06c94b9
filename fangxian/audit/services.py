"""Writing the audit trail. Every service that touches personal data calls `audit_record`."""

from typing import Any

from django.db import models

from fangxian.audit.context import current_client
from fangxian.audit.models import AuditEntry

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
    objects: list[models.Model],
    person_of=lambda obj: obj.pk,
    detail: dict | None = None,
    at=None,
) -> None:
    """Append one entry per object in bulk (imports write thousands at once): the same fields
    as `audit_record`, with `region_id` taken from each object and `person_of(obj)` naming the
    person it concerns. The model's save() guard is for single writes; bulk_create only inserts.
    """
    client = current_client.get()
    real_actor = actor if actor is not None and getattr(actor, "is_authenticated", False) else None
    extra = {"at": at} if at is not None else {}
    AuditEntry.objects.bulk_create(
        [
            AuditEntry(
                actor=real_actor,
                username=real_actor.get_username() if real_actor else "",
                action=action,
                object_type=obj._meta.label_lower,
                object_id=str(obj.pk),
                object_repr=str(obj)[:200],
                person_id=person_of(obj),
                region_id=getattr(obj, "region_id", None),
                detail=detail or {},
                ip_address=client.ip_address,
                user_agent=client.user_agent,
                **extra,
            )
            for obj in objects
        ],
        batch_size=2000,
    )
