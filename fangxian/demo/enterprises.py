"""The demo township's enterprises back to work (企业复工复产): ten enterprises (factories, shops,
farms) with valid unified social credit codes, their resumption applications at every stage,
rosters of workers who are residents of the ledger (a few back from the key area, flagged), daily
reports for the past week (one missing today), the township's on-site supervisor, and the login
of one enterprise's own contact (企业联络员, `enterprise`: no region role, one membership).

Seed data, written in bulk: no audit entries, a fixed number of queries whatever the number of
residents. Enterprises are kept from one run to the next (matched by their code: imports and
audit entries may point at them); everything hanging from them is drawn again.
"""

import io
import random
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db.models import Q
from django.utils import timezone

from fangxian.accounts.models import User
from fangxian.core.bulk import insert_rows
from fangxian.enterprises import uscc
from fangxian.enterprises.models import (
    ApplicationEvent,
    DailyReport,
    Enterprise,
    EnterpriseMembership,
    ResumptionApplication,
    Worker,
)
from fangxian.people.models import Person
from fangxian.regions import divisions
from fangxian.regions.models import Region
from fangxian.screening.models import Trip
from fangxian.screening.trips import key_area_rules, trip_classify, trip_places

Status = ResumptionApplication.Status
Industry = Enterprise.Industry
CONTACT_USERNAME = "enterprise"
SUPERVISOR_USERNAME = "supervisor"
PLAN_NAME = "enterprises/plans/demo/demo-prevention-plan.docx"
REPORT_DAYS = 7  # daily reports for the past week, today included
KEY_AREA_ORIGIN = "湖北省武汉市"


@dataclass(frozen=True)
class DemoEnterprise:
    name: str
    village: str
    industry: str
    address: str
    workers: int  # on the roster
    contact: str
    stage: str  # the application's status
    days_ago: int  # when the application was first submitted
    supervised: bool = False


# The first one is the demo contact's (login `enterprise`). Stages: every status of the life
# cycle, reopened ones with their date.
ENTERPRISES = (
    DemoEnterprise("东川瓦房砖厂", "瓦房村", Industry.INDUSTRY, "瓦房村黄包谷地组18号", 12, "阮红梅",
                   Status.REOPENED, 12, supervised=True),
    DemoEnterprise("乌龙镇碑棋超市", "碑棋社区", Industry.COMMERCE, "碑棋社区集镇街32号", 6, "张丽",
                   Status.REOPENED, 11, supervised=True),
    DemoEnterprise("大村子铜矿选矿厂", "大村子村", Industry.INDUSTRY, "大村子村矿山路2号", 10, "李国华",
                   Status.REOPENED, 10, supervised=True),
    DemoEnterprise("店房社区农家饭庄", "店房社区", Industry.CATERING, "店房社区店房街8号", 4, "杨春",
                   Status.APPROVED, 8),
    DemoEnterprise("土城村生猪养殖场", "土城村", Industry.FARMING, "土城村上村组", 5, "马文",
                   Status.RESUBMITTED, 7),
    DemoEnterprise("马店村建材加工厂", "马店村", Industry.CONSTRUCTION, "马店村第三组", 6, "罗强",
                   Status.CHANGES_REQUESTED, 6),
    DemoEnterprise("坝塘村核桃种植合作社", "坝塘村", Industry.FARMING, "坝塘村核桃箐组", 3, "段学成",
                   Status.SUBMITTED, 3),
    DemoEnterprise("跑马社区汽车修理厂", "跑马社区", Industry.SERVICES, "跑马社区跑马街15号", 3, "朱俊",
                   Status.SUBMITTED, 2),
    DemoEnterprise("园子村物流配送站", "园子村", Industry.LOGISTICS, "园子村大路边组", 4, "何勇",
                   Status.DRAFT, 1),
    DemoEnterprise("水井村蔬菜种植基地", "水井村", Industry.FARMING, "水井村河边组", 0, "周芬",
                   Status.DRAFT, 0),
)  # fmt: skip
# The reopened enterprise that has not reported yet today.
MISSING_TODAY = "大村子铜矿选矿厂"
CONDITIONS = "分批返岗，首批不超过半数；设置临时观察室；食堂分餐；每日两次测温并上报。"
CHANGES = "请补充临时观察室的位置和口罩储备数量，并明确防疫负责人。"
DEPARTMENTS = (("生产部", "操作工"), ("生产部", "班组长"), ("仓库", "保管员"), ("后勤", "厨师"),
               ("销售部", "业务员"), ("运输队", "驾驶员"))  # fmt: skip
WHEREABOUTS = ("东川区", "昆明市五华区", "曲靖市", "会泽县", "广东省深圳市")


def demo_enterprises_clear(*, township: Region) -> None:
    """Remove what the enterprises hold on the township's people (rosters: the database refuses
    to delete a person on one) and the rest of their seed, so that it is drawn again."""
    under = Q(enterprise__region__path__startswith=township.path)
    Worker.objects.filter(under).delete()
    DailyReport.objects.filter(under).delete()
    ResumptionApplication.objects.filter(under).delete()


def _code(sequence: int) -> str:
    """A valid code registered in 东川区 (530113), with its check character."""
    first17 = f"91530113MA6K{sequence:04d}X"
    return first17 + uscc.check_character(first17)


def _plan_document() -> str:
    """One shared prevention plan (a small .docx) for the submitted applications."""
    if not default_storage.exists(PLAN_NAME):
        from docx import Document

        document = Document()
        document.add_heading("复工复产疫情防控方案（示例）", level=1)
        for line in ("一、防疫负责人及职责", "二、返岗人员摸排与健康监测", "三、临时观察室设置",
                     "四、错峰上下班与分组作业", "五、食堂分餐与环境消毒"):  # fmt: skip
            document.add_paragraph(line)
        buffer = io.BytesIO()
        document.save(buffer)
        default_storage.save(PLAN_NAME, ContentFile(buffer.getvalue()))
    return PLAN_NAME


def _at(day: date, hour: int, minute: int = 0) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour, minute)))


def demo_enterprises_build(*, township: Region, seed: int, now: datetime) -> list[Enterprise]:
    """Register the enterprises (kept between runs) and draw their seed again."""
    today = timezone.localdate(now)
    rng = random.Random(seed)
    users = {
        u.username: u
        for u in User.objects.filter(username__in=("hq", "cadre", CONTACT_USERNAME, "supervisor"))
    }
    villages = {
        r.short_name: r for r in Region.objects.filter(parent=township, level=Region.Level.VILLAGE)
    }
    enterprises = _registry(villages, users)
    first = enterprises[0]
    EnterpriseMembership.objects.filter(user=users[CONTACT_USERNAME]).exclude(
        enterprise=first
    ).delete()
    EnterpriseMembership.objects.get_or_create(user=users[CONTACT_USERNAME], enterprise=first)
    _applications(enterprises, users, today=today, now=now)
    _rosters(enterprises, township, users, rng=rng, today=today)
    _daily_reports(enterprises, users, rng=rng, today=today, now=now)
    return enterprises


def _registry(villages: dict[str, Region], users: dict[str, User]) -> list[Enterprise]:
    wanted = [
        Enterprise(
            region=villages[spec.village],
            name=spec.name,
            uscc=_code(number),
            address=spec.address,
            industry=spec.industry,
            workers_count=max(spec.workers, 2) * 3,
            contact_name=spec.contact,
            contact_phone=f"139{8700_0000 + number * 37:08d}",
            prevention_lead_name=spec.contact,
            prevention_lead_phone=f"139{8700_0000 + number * 37:08d}",
            supervisor=users[SUPERVISOR_USERNAME] if spec.supervised else None,
            created_by=users["hq"],
        )
        for number, spec in enumerate(ENTERPRISES, start=1)
    ]
    existing = {e.uscc: e for e in Enterprise.objects.filter(uscc__in=[w.uscc for w in wanted])}
    fields = ["region", "name", "address", "industry", "workers_count", "contact_name",
              "contact_phone", "prevention_lead_name", "prevention_lead_phone", "supervisor"]  # fmt: skip
    for enterprise in wanted:
        if enterprise.uscc in existing:
            enterprise.pk = existing[enterprise.uscc].pk
    Enterprise.objects.bulk_create([e for e in wanted if e.pk is None])
    Enterprise.objects.bulk_update([e for e in wanted if e.uscc in existing], fields)
    by_code = {e.uscc: e for e in Enterprise.objects.filter(uscc__in=[w.uscc for w in wanted])}
    return [by_code[w.uscc] for w in wanted]


# The steps of each stage after the draft: (status, who, days after the first submission).
_PATHS = {
    Status.DRAFT: (),
    Status.SUBMITTED: ((Status.SUBMITTED, "contact", 0),),
    Status.CHANGES_REQUESTED: ((Status.SUBMITTED, "contact", 0),
                               (Status.CHANGES_REQUESTED, "hq", 1)),
    Status.RESUBMITTED: ((Status.SUBMITTED, "contact", 0), (Status.CHANGES_REQUESTED, "hq", 1),
                         (Status.RESUBMITTED, "contact", 2)),
    Status.APPROVED: ((Status.SUBMITTED, "contact", 0), (Status.APPROVED, "hq", 2)),
    Status.REOPENED: ((Status.SUBMITTED, "contact", 0), (Status.APPROVED, "hq", 1),
                      (Status.REOPENED, "cadre", 3)),
}  # fmt: skip


def _applications(enterprises, users, *, today: date, now: datetime) -> None:
    """Each enterprise's application at its stage, with the whole history as events."""
    plan = _plan_document()
    applications, histories = [], []
    for enterprise, spec in zip(enterprises, ENTERPRISES, strict=True):
        submitted_on = today - timedelta(days=spec.days_ago)
        steps = _PATHS[spec.stage]
        # The enterprise's own contact acts for the demo's first enterprise, the village cadre
        # (who registers and manages enterprises) for the others.
        contact = users[CONTACT_USERNAME] if enterprise is enterprises[0] else users["cadre"]
        actors = {"contact": contact, "hq": users["hq"], "cadre": users["cadre"]}
        events = [("", Status.DRAFT, "", contact, min(_at(submitted_on, 9), now))]
        before = Status.DRAFT
        for status, who, after in steps:
            at = min(_at(submitted_on + timedelta(days=after), 10 + after), now)
            comment = {Status.CHANGES_REQUESTED: CHANGES, Status.APPROVED: CONDITIONS}.get(
                status, ""
            )
            if status == Status.REOPENED:
                comment = (submitted_on + timedelta(days=after)).isoformat()
            events.append((before, status, comment, actors[who], at))
            before = status
        decided = next((at for _f, s, _c, _a, at in events if s == Status.APPROVED), None)
        applications.append(
            ResumptionApplication(
                enterprise=enterprise,
                status=spec.stage,
                planned_workers=spec.workers,
                thermometers=2 + spec.workers // 4,
                masks_in_stock=50 * (spec.workers + 2),
                disinfectant_in_stock=Decimal("5") + spec.workers,
                observation_room=spec.stage != Status.CHANGES_REQUESTED,
                staggered_shifts=spec.industry == Industry.INDUSTRY,
                small_teams=spec.workers > 5,
                canteen_arrangement="分时段就餐，一人一桌" if spec.workers > 5 else "",
                person_in_charge=spec.contact,
                person_in_charge_phone=enterprise.contact_phone,
                plan_document=plan if steps else "",
                conditions=CONDITIONS if decided else "",
                reopened_on=submitted_on + timedelta(days=3)
                if spec.stage == Status.REOPENED
                else None,
                submitted_at=events[1][4] if steps else None,
                decided_at=decided,
            )
        )
        histories.append(events)
    ResumptionApplication.objects.bulk_create(applications)
    insert_rows(
        ApplicationEvent,
        ("application_id", "from_status", "to_status", "comment", "actor_id", "at"),
        (
            (application.pk, before, to, comment, actor.pk, at)
            for application, events in zip(applications, histories, strict=True)
            for before, to, comment, actor, at in events
        ),
    )


def _rosters(enterprises, township: Region, users, *, rng: random.Random, today: date) -> None:
    """Workers drawn from the township's adults (18 to 55); the first of the three reopened
    enterprises' rosters came back from the key area: a classified trip each, flagged."""
    adults = list(
        Person.objects.filter(
            region__path__startswith=township.path,
            birth_date__lte=today - timedelta(days=18 * 366),
            birth_date__gt=today - timedelta(days=55 * 365),
        )
        .order_by("id")
        .values_list("id", "region_id")
    )
    wanted = sum(spec.workers for spec in ENTERPRISES)
    chosen = rng.sample(adults, k=min(wanted, len(adults)))
    rows, key_area_people = [], []
    for enterprise, spec in zip(enterprises, ENTERPRISES, strict=True):
        reopened = spec.stage == Status.REOPENED
        for n in range(spec.workers):
            if not chosen:
                break
            person_id, region_id = chosen.pop()
            from_key_area = reopened and n == 0
            department, post = DEPARTMENTS[n % len(DEPARTMENTS)]
            back = today - timedelta(days=rng.randint(1, 9))
            whereabouts = KEY_AREA_ORIGIN if from_key_area else rng.choice(WHEREABOUTS)
            rows.append(
                Worker(
                    enterprise=enterprise,
                    person_id=person_id,
                    department=department,
                    post=post,
                    whereabouts=whereabouts,
                    planned_return_on=back,
                    returned_on=back if reopened and n % 5 != 4 else None,
                    transport=Worker.Transport.TRAIN if from_key_area else Worker.Transport.BUS,
                    passed_key_area=from_key_area,
                    health=Worker.Health.WELL,
                    reported_to_village=n % 3 != 2,
                    created_by=users["cadre"],
                )
            )
            if from_key_area:
                key_area_people.append((rows[-1], region_id))
    _key_area_trips(key_area_people, users["hq"], today=today)
    Worker.objects.bulk_create(rows)


def _key_area_trips(workers: list[tuple[Worker, int]], hq: User, *, today: date) -> None:
    """A trip from the key area for each of these workers, classified as screening does."""
    regions = Region.objects.in_bulk({region_id for _w, region_id in workers})
    found = trip_places(origin_text=KEY_AREA_ORIGIN)["origin"]
    rules, tables = key_area_rules(), divisions.default_tables()
    trips = []
    for worker, region_id in workers:
        trip = Trip(
            person_id=worker.person_id,
            region=regions[region_id],  # the person's region, as the roster import does
            origin_text=KEY_AREA_ORIGIN,
            origin_code=found.code if found else "",
            arrived_on=worker.planned_return_on,
            departed_on=worker.planned_return_on - timedelta(days=1),
            transport=Trip.Transport.TRAIN,
            source=Trip.Source.MANUAL,
            recorded_by=hq,
        )
        trip_classify(trip, rules, today=today, tables=tables)
        trips.append(trip)
        worker.passed_key_area = True
    Trip.objects.bulk_create(trips)
    for (worker, _region), trip in zip(workers, trips, strict=True):
        worker.trip = trip


def _daily_reports(enterprises, users, *, rng: random.Random, today: date, now: datetime):
    """A report a day for the past week from every enterprise (closed ones report zero on
    site), submitted in the morning, a few late, most confirmed by the supervisor; today's
    from all but one, as far as the clock has gone."""
    rows = []
    for enterprise, spec in zip(enterprises, ENTERPRISES, strict=True):
        reopened_on = (
            today - timedelta(days=spec.days_ago) + timedelta(days=3)
            if spec.stage == Status.REOPENED
            else None
        )
        first = enterprise is enterprises[0]
        submitter = users[CONTACT_USERNAME] if first else users["cadre"]
        for back in range(REPORT_DAYS - 1, -1, -1):
            day = today - timedelta(days=back)
            if back == 0 and spec.name == MISSING_TODAY:
                continue
            late = rng.random() < 0.1
            at = _at(day, 17 if late else 8 + rng.randint(0, 6), rng.randint(0, 59))
            if at > now:
                at, late = now - timedelta(minutes=5 + len(rows) % 30), False
            open_now = reopened_on is not None and day >= reopened_on
            on_site = spec.workers - (1 if back < 2 else 2) if open_now else 0
            reviewed = back > 0 and spec.supervised
            rows.append(
                (
                    enterprise.pk,
                    day,
                    max(on_site, 0),
                    1 if open_now and back % 3 == 0 else 0,
                    spec.workers - max(on_site, 0),
                    1 if first and back == 1 else 0,
                    1 if first and open_now and back <= 3 else 0,  # the key-area worker
                    40 * (spec.workers + 2) - 5 * back,
                    Decimal("5") + spec.workers,
                    "",
                    submitter.pk,
                    at,
                    late,
                    DailyReport.Review.CONFIRMED if reviewed else DailyReport.Review.PENDING,
                    users[SUPERVISOR_USERNAME].pk if reviewed else None,
                    at + timedelta(hours=2) if reviewed else None,
                )
            )
    insert_rows(
        DailyReport,
        ("enterprise_id", "day", "workers_on_site", "returned_today", "still_away",
         "abnormal_temperatures", "in_isolation", "masks_in_stock", "disinfectant_in_stock",
         "notes", "submitted_by_id", "submitted_at", "late", "review", "reviewed_by_id",
         "reviewed_at"),
        rows,
    )  # fmt: skip
