"""The demo township's quarantine (隔离管控): a centralised site, orders for returnees of 瓦房村
with their 四包一 teams, two checks a day since each order began (the latest round of one person
missed, so the boards show an overdue check), one fever alert, an errand and a daily call.

Orders, teams, the fever and the errand go through the quarantine services (so their events and
audit entries are real); the routine checks of past days are seed data, written in bulk.
"""

from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.db.models import Q
from django.utils import timezone

from fangxian.accounts.models import User
from fangxian.core.bulk import insert_rows
from fangxian.people.models import Person
from fangxian.quarantine import models as q
from fangxian.quarantine.checks import CheckEntry, daily_call_record, health_checks_record
from fangxian.quarantine.errands import errand_request, site_create
from fangxian.quarantine.orders import order_place
from fangxian.quarantine.teams import team_member_assign
from fangxian.regions.models import Region
from fangxian.screening.models import Trip

VILLAGE = "瓦房村"
SITE_NAME = "乌龙镇集中隔离点（镇卫生院老院区）"
# Days since each order began, and its kind: most at home, two centralised, one monitored.
ORDERS = (
    (12, "home"),
    (10, "home"),
    (8, "centralised"),
    (6, "home"),
    (5, "home_monitoring"),
    (3, "centralised"),
    (2, "home"),
    (1, "home"),
)
# Team role -> demo account (镇干部 is HQ's 指挥部 cadre).
TEAM = {"镇干部": "hq", "村干部": "cadre", "医生": "doctor", "民警": "police"}


def demo_quarantine_clear(*, township: Region) -> None:
    """Remove the township's quarantine records, which protect its people from being rebuilt."""
    under = Q(region__path__startswith=township.path)
    q.FeverAlertEvent.objects.filter(alert__region__path__startswith=township.path).delete()
    for model in (q.FeverAlert, q.HealthCheck, q.DailyCall, q.Errand, q.CareRecord, q.Appeal):
        model.objects.filter(under).delete()
    q.TeamMember.objects.filter(under).delete()
    q.OrderEvent.objects.filter(order__region__path__startswith=township.path).delete()
    q.SupervisionAlert.objects.filter(under).delete()
    q.QuarantineOrder.objects.filter(under).delete()
    q.OrderBatch.objects.filter(under).delete()
    q.Room.objects.filter(site__region__path__startswith=township.path).delete()
    q.Site.objects.filter(under).delete()


def _at(day: date, at: time) -> datetime:
    return timezone.make_aware(datetime.combine(day, at))


def demo_quarantine_build(*, township: Region, now: datetime | None = None) -> int:
    """Place the orders and fill in their history up to `now`; returns the number of orders."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    users = {u.username: u for u in User.objects.filter(username__in=TEAM.values())}
    hq, cadre = users["hq"], users["cadre"]
    village = Region.objects.get(path__startswith=township.path, short_name=VILLAGE)
    people = _returnees(village, len(ORDERS))
    site = site_create(
        actor=hq,
        region=township,
        name=SITE_NAME,
        address="乌龙镇集镇",
        rooms=[f"{floor}0{n}" for floor in (1, 2) for n in range(1, 6)],
    )
    rooms = iter(site.rooms.order_by("number"))
    kinds = {k.code: k for k in q.QuarantineKind.objects.all()}
    reason = q.OrderReason.objects.get(name="重点地区返回人员")
    roles = {r.name: r for r in q.TeamRole.objects.all()}
    orders = []
    for (days_ago, kind), (person, trip) in zip(ORDERS, people, strict=False):
        start = today - timedelta(days=days_ago)
        placed_at = _at(start, time(9, 30))
        order = order_place(
            actor=hq,
            person=person,
            kind=kinds[kind],
            reason=reason,
            basis="返乡人员排查：湖北省返乡" if trip else "县指挥部推送名单",
            trip=trip,
            starts_on=start,
            room=next(rooms) if kinds[kind].needs_room else None,
            now=placed_at,
        )
        for name, username in TEAM.items():
            if name in roles:
                team_member_assign(
                    actor=hq,
                    order=order,
                    team_role=roles[name],
                    user=users[username],
                    now=placed_at,
                )
        orders.append(order)
    _past_checks(orders, cadre, now)
    if orders:
        _today(orders, cadre, now)
    return len(orders)


def _returnees(village: Region, count: int) -> list[tuple[Person, Trip | None]]:
    """People of the village back from the key area first, then other adults of the village."""
    trips = list(
        Trip.objects.filter(region__path__startswith=village.path, origin_code__startswith="42")
        .select_related("person")
        .order_by("id")[:count]
    )
    chosen = [(trip.person, trip) for trip in trips]
    taken = {person.pk for person, _ in chosen}
    if len(chosen) < count:
        others = (
            Person.objects.filter(region__path__startswith=village.path, merged_into__isnull=True)
            .exclude(pk__in=taken)
            .order_by("id")[: count - len(chosen)]
        )
        chosen += [(person, None) for person in others]
    return chosen


def _past_checks(orders: list, recorder: User, now: datetime) -> None:
    """Both daily checks of every check time passed since each order began, normal readings
    (bulk seed data), except the latest one of the first person: overdue on the boards."""
    slots = list(q.CheckSlot.objects.filter(is_active=True).order_by("time"))
    rows = []
    for n, order in enumerate(orders):
        due = [
            (day, slot)
            for offset in range((timezone.localdate(now) - order.starts_on).days + 1)
            for slot in slots
            if _at(day := order.starts_on + timedelta(days=offset), slot.time) <= now
        ]
        if n == 0:
            due = due[:-1]
        for k, (day, slot) in enumerate(due):
            measured = _at(day, slot.time) + timedelta(minutes=5 + (n * 7 + k * 3) % 40)
            temperature = Decimal("36.2") + Decimal((n + k + day.day) % 7) / 10
            rows.append(
                (order.pk, order.region_id, day, slot.pk, measured, temperature, [], recorder.pk)
            )
    insert_rows(
        q.HealthCheck,
        [
            "order_id",
            "region_id",
            "due_on",
            "slot_id",
            "measured_at",
            "temperature",
            "symptoms",
            "recorded_by_id",
        ],
        rows,
    )


def _today(orders: list, recorder: User, now: datetime) -> None:
    """Through the services: a re-measurement with fever (an alert, whatever the hour the demo
    is built), an errand and a daily call."""
    feverish = orders[1] if len(orders) > 1 else orders[0]
    health_checks_record(
        actor=recorder,
        entries=[
            CheckEntry(
                order=feverish,
                temperature=Decimal("38.1"),
                symptoms=["发热", "乏力"],
                measured_at=now - timedelta(minutes=30),
                extra=True,
            )
        ],
        now=now,
    )
    errand_request(
        actor=recorder,
        order=orders[-1],
        items=[
            {"name": "大米", "quantity": 10, "unit": "斤"},
            {"name": "食用油", "quantity": 1, "unit": "桶"},
            {"name": "感冒药", "quantity": 1, "unit": "盒"},
        ],
        note="家中老人要的药，请到镇卫生院买",
        now=now,
    )
    daily_call_record(actor=recorder, order=orders[0], reached=True, note="情绪稳定", now=now)
