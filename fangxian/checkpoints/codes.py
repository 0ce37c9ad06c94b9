"""Personal codes (个人码): issue, revoke, reissue, resolve, and follow merges.

A code is `secrets.token_urlsafe(16)` behind a URL (https://<host>/c/<token>/): the QR code
carries nothing about the person, so another app reading it learns nothing; the server resolves
the token for staff within scope only. One active code per person (a partial unique index);
reissuing revokes the old one in the same transaction.
"""

import secrets
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from fangxian.audit.services import Action, audit_record
from fangxian.checkpoints.models import PersonalCode
from fangxian.people.merging import MergeHandler
from fangxian.regions.scope import VIEW_PEOPLE, scoped


def new_token() -> str:
    return secrets.token_urlsafe(16)


@transaction.atomic
def code_issue(*, actor: Any, person: Any) -> PersonalCode:
    """Issue a code to `person`, revoking the one they had (a reissue). Audited."""
    revoked = code_revoke_active(person_id=person.pk)
    code = PersonalCode(person=person, token=new_token(), issued_by=actor)
    code.full_clean()
    code.save()
    audit_record(
        actor=actor,
        action=Action.CREATE,
        obj=code,
        region=person.region,
        person_id=person.pk,
        detail={"revoked": revoked},
    )
    return code


def code_revoke_active(*, person_id: int) -> list[int]:
    """Revoke the person's active code(s); the ids revoked. Inside the caller's transaction."""
    active = PersonalCode.objects.filter(person_id=person_id, revoked_at__isnull=True)
    ids = list(active.values_list("id", flat=True))
    if ids:
        PersonalCode.objects.filter(id__in=ids).update(revoked_at=timezone.now())
    return ids


@transaction.atomic
def code_revoke(*, actor: Any, person: Any) -> int:
    """Revoke the person's code: the printed QR code stops working at once. Audited."""
    revoked = code_revoke_active(person_id=person.pk)
    if not revoked:
        raise ValidationError(_("This person has no code to revoke."))
    audit_record(
        actor=actor,
        action=Action.UPDATE,
        obj=person,
        detail={"personal_code_revoked": revoked},
    )
    return len(revoked)


def code_active(*, person: Any) -> PersonalCode | None:
    return PersonalCode.objects.filter(person=person, revoked_at__isnull=True).first()


def code_resolve(*, user: Any, token: str, capability: str = VIEW_PEOPLE) -> Any | None:
    """The person behind an active token, if `user` may see them; else None (never says why)."""
    if not token or len(token) > 32:
        return None
    code = (
        scoped(PersonalCode.objects.select_related("person__region"), user, capability)
        .filter(token=token, revoked_at__isnull=True, person__merged_into__isnull=True)
        .first()
    )
    return code.person if code is not None else None


def code_merge_handler() -> MergeHandler:
    """Codes move to the surviving person. The survivor keeps one active code: when both
    records had one, the merged record's is revoked first (undo moves it back, still revoked,
    so nobody holds two live codes)."""

    def move(from_id: int, to_id: int) -> list[int]:
        if PersonalCode.objects.filter(person_id=to_id, revoked_at__isnull=True).exists():
            code_revoke_active(person_id=from_id)
        rows = PersonalCode.objects.filter(person_id=from_id)
        ids = list(rows.values_list("id", flat=True))
        rows.update(person_id=to_id)
        return ids

    def move_back(ids: list[int], to_id: int) -> None:
        PersonalCode.objects.filter(id__in=ids).update(person_id=to_id)

    return MergeHandler(label=PersonalCode._meta.label, move=move, move_back=move_back)
