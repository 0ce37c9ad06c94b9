"""Orders follow a person through merges of duplicate records (people.merging registry)."""

from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils.translation import gettext as _

from fangxian.people.merging import MergeHandler
from fangxian.quarantine.models import QuarantineOrder

OPEN = (QuarantineOrder.Status.PENDING, QuarantineOrder.Status.ACTIVE)


def order_merge_handler() -> MergeHandler:
    """Orders follow the surviving record. Two open orders cannot become one person's: the
    merge is refused until one is ended (the partial unique index would refuse it too)."""

    def move(from_id: int, to_id: int) -> list[int]:
        both_open = (
            QuarantineOrder.objects.filter(
                Q(person_id=from_id) | Q(person_id=to_id), status__in=OPEN
            )
            .values("person_id")
            .distinct()
            .count()
        )
        if both_open > 1:
            raise ValidationError(
                _("Both records are under an open quarantine order: end one of them first.")
            )
        rows = QuarantineOrder.objects.filter(person_id=from_id)
        ids = list(rows.values_list("id", flat=True))
        rows.update(person_id=to_id)
        return ids

    def move_back(ids: list[int], to_id: int) -> None:
        QuarantineOrder.objects.filter(id__in=ids).update(person_id=to_id)

    return MergeHandler(label=QuarantineOrder._meta.label, move=move, move_back=move_back)
