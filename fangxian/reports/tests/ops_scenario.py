"""A township's records of three days (the day before yesterday, yesterday, today) for the
dashboard and the roll-up: passages at a checkpoint registering in full (瓦房村) and one
registering only the exceptions (碑棋社区), place-code scans (one withdrawn by a correction),
quarantine orders (one waiting for approval), an enterprise's daily reports, returnees and
reporting units (one reports today, one does not). The test keeps its own counts (`Ledger`),
never reading them back through the product's code."""

import uuid
from collections import defaultdict
from datetime import date, timedelta
from decimal import Decimal

from django.utils import timezone

from fangxian.checkpoints.models import Checkpoint
from fangxian.checkpoints.services import PassageInput, PersonEntry, passage_register
from fangxian.enterprises.models import DailyReport, ResumptionApplication
from fangxian.places.models import Place, Scan
from fangxian.quarantine.models import QuarantineOrder
from fangxian.reports.services import report_submit
from fangxian.screening.models import Trip
from tests import factories

from .conftest import at
from .test_services import reported

VILLAGES = ("wafang", "beiqi")
GRID = {"wafang": "wafang_1", "beiqi": "beiqi_1"}


class Ledger:
    """{(village, day): {figure: n}} as this test made them."""

    def __init__(self):
        self.counts = defaultdict(lambda: defaultdict(int))

    def add(self, village: str, day: date, figure: str, n: int = 1) -> None:
        self.counts[(village, day)][figure] += n

    def day(self, day: date, figure: str, village: str | None = None) -> int:
        return sum(
            figures[figure]
            for (v, on), figures in self.counts.items()
            if on == day and (village is None or v == village)
        )

    def up_to(self, day: date, figure: str) -> int:
        return sum(figures[figure] for (_v, on), figures in self.counts.items() if on <= day)


class Scenario:
    def __init__(self, town, hq, cadre):
        self.town, self.hq, self.cadre = town, hq, cadre
        self.today = timezone.localdate()
        self.days = [self.today - timedelta(days=n) for n in (2, 1, 0)]
        self.ledger = Ledger()
        self.full = factories.make_checkpoint(region=town["wafang"], name="瓦房卡点")
        self.counting = factories.make_checkpoint(
            region=town["beiqi"], name="碑棋卡点", mode=Checkpoint.Mode.EXCEPTIONS
        )
        self.place = Place.objects.create(
            region=town["wafang"],
            name="瓦房超市",
            kind=Place.Kind.SUPERMARKET,
            token=uuid.uuid4().hex,
            token_issued_at=at(self.days[0], 8),
        )
        self.enterprise = factories.make_enterprise(region=town["beiqi"])

    def moment(self, index: int, hour: int):
        """`hour` of the day `index`, but never in the future (a test run early in the day)."""
        wanted = at(self.days[index], hour)
        if self.days[index] == self.today:
            wanted = max(at(self.today, 0), min(wanted, timezone.now() - timedelta(seconds=5)))
        return wanted

    # --- checkpoints ---

    def passage(
        self, village, index, *, people=1, plate="", decision="released", fevers=0, corrects=None
    ):
        checkpoint = self.full if village == "wafang" else self.counting
        day = self.days[index]
        entries = [
            PersonEntry(name=f"过客{n}", temperature=Decimal("38.2") if n < fevers else None)
            for n in range(people)
        ]
        extra = {"destination_region": self.town["wafang"]} if decision == "handed_over" else {}
        if decision != "released":
            extra["decision_reason"] = "无正当理由" if decision == "turned_back" else "发热"
        moment = self.moment(index, 10)
        done = passage_register(
            actor=self.hq,
            checkpoint=checkpoint,
            client_id=uuid.uuid4(),
            data=PassageInput(
                direction="in",
                decision=decision,
                people=tuple(entries),
                occurred_at=moment,
                plate=plate,
                plate_kind="ordinary" if plate else "",
                **extra,
            ),
            corrects=corrects,
            now=moment,
        )
        if corrects is None:
            self.ledger.add(village, day, "checkpoint_people", people)
            self.ledger.add(village, day, "checkpoint_vehicles", 1 if plate else 0)
            self.ledger.add(village, day, "checkpoint_turned_back", decision == "turned_back")
            self.ledger.add(
                village, day, "checkpoint_handed_over", people if decision == "handed_over" else 0
            )
            self.ledger.add(village, day, "checkpoint_fevers", fevers)
        return done

    # --- scans ---

    def scan(self, index, *, phone="", person=None, corrects=None, withdrawn=False):
        day = self.days[index]
        return Scan.objects.create(
            place=self.place,
            region=self.place.region,
            person=person,
            phone=phone,
            direction=Scan.Direction.IN,
            occurred_at=self.moment(index, 12),
            day=day,
            source=Scan.Source.PAGE,
            corrects=corrects,
            withdrawn=withdrawn,
        )

    # --- the rest ---

    def order(self, village, index, kind, *, pending=False):
        person = factories.make_person(region=self.town[GRID[village]], name="隔离")
        extra = {"source": "outside_list", "source_unit": "县疾控中心"} if pending else {}
        return factories.make_order(
            person=person, actor=self.hq, kind=kind, now=self.moment(index, 9), **extra
        )

    def returnee(self, village, index):
        person = factories.make_person(region=self.town[GRID[village]], name="返乡")
        Trip.objects.create(
            person=person,
            region=person.region,
            origin_text="湖北武汉",
            arrived_on=self.days[index],
            source=Trip.Source.MANUAL,
            category=Trip.Category.KEY_AREA,
        )
        self.ledger.add(village, self.days[index], "returnees")

    def enterprise_report(self, index, *, on_site, returned, abnormal):
        DailyReport.objects.create(
            enterprise=self.enterprise,
            day=self.days[index],
            workers_on_site=on_site,
            returned_today=returned,
            still_away=0,
            abnormal_temperatures=abnormal,
            in_isolation=0,
            masks_in_stock=100,
            disinfectant_in_stock=Decimal("5.0"),
            submitted_by=self.hq,
            submitted_at=at(self.days[index], 15),
        )
        day = self.days[index]
        self.ledger.add("beiqi", day, "workers_returned", returned)
        self.ledger.add("beiqi", day, "abnormal_temperatures", abnormal)

    def build(self):
        """The records; returns the independent figures the tests check."""
        d0, d1, d2 = 0, 1, 2
        # Checkpoints. 瓦房村 registers all: a car of 3 yesterday; today one on foot turned back,
        # a car of 2 with one fever, a hand-over of 1, and a car of 4 corrected to 5 people.
        self.passage("wafang", d1, people=3, plate="云A12345")
        self.passage("wafang", d2, people=1, decision="turned_back")
        self.passage("wafang", d2, people=2, plate="云A00001", fevers=1)
        self.passage("wafang", d2, people=1, decision="handed_over")
        wrong = self.passage("wafang", d2, people=4, plate="云A00002").passage
        self.ledger.add("wafang", self.days[d2], "checkpoint_people", -4)
        self.ledger.add("wafang", self.days[d2], "checkpoint_vehicles", -1)
        self.passage("wafang", d2, people=5, plate="云A00002", corrects=wrong)
        self.ledger.add("wafang", self.days[d2], "checkpoint_people", 5)
        self.ledger.add("wafang", self.days[d2], "checkpoint_vehicles", 1)
        # 碑棋社区 counts the ordinary passages: a car of 2 and one on foot today, a car of 1
        # the day before yesterday; a fever is registered in full.
        self.passage("beiqi", d2, people=2, plate="云A10001")
        self.passage("beiqi", d2, people=1)
        self.passage("beiqi", d0, people=1, plate="云A10002")
        self.passage("beiqi", d2, people=1, fevers=1)
        # Scans at 瓦房超市: yesterday 3 (two phones and a person), today 4 by 3 people plus one
        # withdrawn by a correction (neither counts).
        person = factories.make_person(region=self.town["wafang_1"], name="扫码人")
        for phone in ("13800000001", "13800000002"):
            self.scan(d1, phone=phone)
        self.scan(d1, person=person)
        self.ledger.add("wafang", self.days[d1], "scans", 3)
        self.ledger.add("wafang", self.days[d1], "scanners", 3)
        for phone in ("13800000001", "13800000003", "13800000003"):
            self.scan(d2, phone=phone)
        self.scan(d2, person=person)
        mistaken = self.scan(d2, phone="13800000009")
        self.scan(d2, phone="13800000009", corrects=mistaken, withdrawn=True)
        self.ledger.add("wafang", self.days[d2], "scans", 4)
        self.ledger.add("wafang", self.days[d2], "scanners", 3)
        # Quarantine: home orders in 瓦房村 the day before yesterday and today, a centralised
        # one in 碑棋社区 yesterday, one waiting for approval.
        self.order("wafang", d0, "home")
        self.order("wafang", d2, "home")
        self.order("beiqi", d1, "centralised")
        self.order("beiqi", d2, "home", pending=True)
        self.standing = {
            "home": {d0: 1, d1: 1, d2: 2},
            "centralised": {d0: 0, d1: 1, d2: 1},
        }
        # Returnees and the enterprise (reopened yesterday; reports yesterday and today).
        self.returnee("wafang", d1)
        self.returnee("wafang", d2)
        self.returnee("beiqi", d2)
        ResumptionApplication.objects.create(
            enterprise=self.enterprise,
            status=ResumptionApplication.Status.REOPENED,
            reopened_on=self.days[d1],
        )
        self.ledger.add("beiqi", self.days[d1], "reopened")
        self.enterprise_report(d1, on_site=10, returned=3, abnormal=1)
        self.enterprise_report(d2, on_site=12, returned=2, abnormal=0)
        # Reporting units: 瓦房村's reports today (on time), 碑棋社区's does not.
        wafang = factories.make_reporting_unit(
            region=self.town["wafang"], members=[self.cadre], reports_from=self.days[d0]
        )
        factories.make_reporting_unit(region=self.town["beiqi"], reports_from=self.days[d0])
        report_submit(
            actor=self.cadre,
            unit=wafang,
            day=self.today,
            values=reported(),
            now=self.moment(2, 9),
        )
        self.pending = QuarantineOrder.objects.filter(status="pending").count()
        return self
