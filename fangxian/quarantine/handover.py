"""Orders that start elsewhere: a checkpoint's hand-over and an enterprise's one-step placement.

Hand-over from a checkpoint (卡点移交隔离): a pending order for each person of the ledger.

A checkpoint that decides 移交隔离 names the village of destination; once the passage commits,
checkpoints calls the handlers registered with it (checkpoints.handover), and this is ours. Each
person of the passage who is in the ledger gets a PENDING order whose source is another unit's
list (the checkpoint named as the unit), so it waits for a second HQ person's approval like every
order from a list: checkpoint staff cannot put anyone under quarantine on their own, and cannot do
it quietly. People already under an open order are left as they are. Strangers are not in the
ledger: the destination village's grid workers find them among their notices and register them
first, then place the order.

Placement from an enterprise's roster (enterprises.hooks): see `place_worker`.
"""

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from fangxian.accounts.roles import Capability
from fangxian.people.models import Person
from fangxian.quarantine.models import OrderReason, QuarantineKind, QuarantineOrder
from fangxian.quarantine.orders import OPEN, Source, place_locked

HANDOVER_KIND = "home"  # HQ may reject it and place another kind (a centralised site)
KEY_AREA_REASON = "重点地区返回人员"
OTHER_REASON = "其他"


@transaction.atomic
def on_handover(passage: Any) -> list[QuarantineOrder]:
    """Place the pending orders for a handed-over passage; returns them."""
    person_ids = [
        row.person_id for row in passage.people.filter(person__isnull=False).only("person_id")
    ]
    if not person_ids:
        return []
    people = Person.objects.select_for_update().filter(pk__in=person_ids, merged_into__isnull=True)
    held = set(
        QuarantineOrder.objects.filter(person_id__in=person_ids, status__in=OPEN).values_list(
            "person_id", flat=True
        )
    )
    kind = QuarantineKind.objects.filter(code=HANDOVER_KIND, is_active=True).first()
    reasons = {r.name: r for r in OrderReason.objects.filter(is_active=True)}
    reason = reasons.get(KEY_AREA_REASON if passage.key_area else OTHER_REASON)
    if kind is None or reason is None:
        return []  # HQ has retired the defaults: the notice to the village still stands
    checkpoint = passage.checkpoint
    basis = _("Handed over at checkpoint %(checkpoint)s on %(when)s: %(reason)s") % {
        "checkpoint": checkpoint.name,
        "when": timezone.localtime(passage.occurred_at).strftime("%Y-%m-%d %H:%M"),
        "reason": passage.decision_reason or passage.key_area_reason or "-",
    }
    return [
        place_locked(
            actor=passage.recorded_by,
            person=person,
            kind=kind,
            reason=reason,
            basis=basis,
            source=Source.OUTSIDE_LIST,
            source_unit=checkpoint.name,
            trip=None,
            starts_on=None,
            days=None,
            room=None,
            now=timezone.now(),
        )
        for person in people.select_related("region").order_by("id")
        if person.pk not in held
    ]


# Enterprise placements (enterprises.hooks): the worker's kind of placement -> our kind's code.
PLACEMENT_KINDS = {"quarantine": "home", "monitoring": "home_monitoring"}


def place_worker(*, actor: Any, person: Person, kind: str, reason: str, basis: str) -> str:
    """Place a returning worker in one step from the enterprise's roster (企业返岗人员): an order
    through `order_place` (the actor needs `manage_quarantine` there; ValidationError otherwise,
    shown on the enterprise page). The order's reason is 重点地区返回人员 when the worker has a
    trip from or through a key area, else 其他; the township's words go into the basis."""
    from fangxian.quarantine.orders import order_place
    from fangxian.screening.models import Trip

    code = PLACEMENT_KINDS.get(kind)
    found = QuarantineKind.objects.filter(code=code, is_active=True).first() if code else None
    if found is None:
        raise ValidationError(_("This kind of placement is not in use."))
    key_area = Trip.objects.filter(
        person=person, category__in=(Trip.Category.KEY_AREA, Trip.Category.VIA_KEY_AREA)
    ).exists()
    order_reason = (
        OrderReason.objects.filter(
            name=KEY_AREA_REASON if key_area else OTHER_REASON, is_active=True
        ).first()
        or OrderReason.objects.filter(is_active=True).first()
    )
    if order_reason is None:
        raise ValidationError(_("This kind of placement is not in use."))
    if not actor.can_at(Capability.MANAGE_QUARANTINE, person.region):
        raise ValidationError(_("You cannot place people under quarantine here; ask HQ."))
    order = order_place(
        actor=actor,
        person=person,
        kind=found,
        reason=order_reason,
        basis=f"{basis}：{reason}",
    )
    return f"{order._meta.label}:{order.pk}"
