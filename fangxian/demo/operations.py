"""The demo township's checkpoints (卡点) with a week of shifts, and its daily-report units (one per
village, 瓦房村's with its cadre and grid worker as members), so that the checkpoint worker and the
village's reporters find their work when they log in. Idempotent: what exists is kept.
"""

from datetime import datetime, time, timedelta

from django.utils import timezone

from fangxian.accounts.models import User
from fangxian.checkpoints.models import Checkpoint, ShiftMember
from fangxian.checkpoints.services import checkpoint_create, shift_create, shift_member_add
from fangxian.regions.models import Region
from fangxian.reports.models import ReportingUnit, UnitKind
from fangxian.reports.services import unit_save, units_generate_villages

VILLAGE = "瓦房村"
SHIFTS = ((time(0, 0), 8), (time(8, 0), 8), (time(16, 0), 8))  # around the clock, 8 hours each
DAYS = 7


def demo_operations_build(*, township: Region, now: datetime | None = None) -> None:
    now = now or timezone.now()
    users = {
        u.username: u
        for u in User.objects.filter(username__in=("hq", "checkpoint", "police", "cadre", "grid"))
    }
    hq = users["hq"]
    village = Region.objects.get(path__startswith=township.path, short_name=VILLAGE)
    if not Checkpoint.objects.filter(region=village).exists():
        gate = checkpoint_create(
            actor=hq,
            region=village,
            name="瓦房村村口卡点",
            level=Checkpoint.Level.VILLAGE,
            kind=Checkpoint.Kind.CHECKPOINT,
            location="瓦房村村口（乡道与村道路口）",
            staffed_by="瓦房村村委会",
            mode=Checkpoint.Mode.FULL,
        )
        checkpoint_create(
            actor=hq,
            region=township,
            name="乌龙镇入口检查站",
            level=Checkpoint.Level.TOWNSHIP,
            kind=Checkpoint.Kind.INSPECTION_STATION,
            location="乌龙镇集镇入口",
            staffed_by="乌龙镇派出所、镇卫生院",
            mode=Checkpoint.Mode.EXCEPTIONS,
        )
        first = timezone.localdate(now)
        for offset in range(DAYS):
            for start, hours in SHIFTS:
                starts_at = timezone.make_aware(
                    datetime.combine(first + timedelta(days=offset), start)
                )
                shift = shift_create(
                    actor=hq,
                    checkpoint=gate,
                    starts_at=starts_at,
                    ends_at=starts_at + timedelta(hours=hours),
                )
                shift_member_add(
                    actor=hq, shift=shift, user=users["checkpoint"], duty=ShiftMember.Duty.CADRE
                )
                shift_member_add(
                    actor=hq, shift=shift, user=users["police"], duty=ShiftMember.Duty.POLICE
                )
    units_generate_villages(actor=hq, region=township, starts_on=timezone.localdate(now))
    unit = ReportingUnit.objects.get(region=village, kind=UnitKind.VILLAGE)
    unit_save(actor=hq, unit=unit, members=[users["cadre"], users["grid"]])
