"""Import a generated roster: parse + check + preview + commit, against a bare calamine read."""

import os
import random
import tempfile
import threading
import time
from datetime import date, timedelta
from pathlib import Path

from openpyxl import Workbook
from python_calamine import CalamineWorkbook

from bench.harness import Result
from fangxian.accounts.models import User
from fangxian.demo import data
from fangxian.imports import services
from fangxian.imports.models import ImportJob, ImportRow
from fangxian.people import idnumber
from fangxian.people.models import Person
from fangxian.regions.models import Region

HEADERS = [
    "序号",
    "姓名",
    "性别",
    "身份证号码",
    "联系电话",
    "现住址（村组）",
    "从何地返回",
    "返回时间",
]


def write_roster(path: Path, rows: int, seed: int = 7) -> None:
    """A county list as it arrives: title, 填报单位 line, header, `rows` returnees with names
    drawn as the demo draws them (surnames by frequency, given names of one or two characters)."""
    rng = random.Random(seed)
    villages = list(Region.objects.filter(path__startswith="530113105", level=Region.Level.VILLAGE))
    groups = {
        v.pk: list(Region.objects.filter(path__startswith=v.path, level=Region.Level.GROUP))
        for v in villages
    }
    book = Workbook(write_only=True)
    sheet = book.create_sheet("返乡人员")
    sheet.append(["乌龙镇返乡人员排查登记表"])
    sheet.append(["填报单位：乌龙镇", None, None, None, "填报日期：2020年2月3日"])
    sheet.append(HEADERS)
    start = date(1950, 1, 1)
    surnames, weights = zip(*data.SURNAMES.items(), strict=True)
    for n in range(rows):
        birth = start + timedelta(days=n // 900 * 7 + n % 7)
        number = idnumber.make("530181", birth, n % 900 + 100 * (n % 1))
        village = villages[n % len(villages)]
        group = rng.choice(groups[village.pk]) if groups[village.pk] else None
        address = f"{village.short_name}{group.short_name if group else ''}{n % 50 + 1}号"
        sex = "男" if int(number[16]) % 2 else "女"
        given = data.GIVEN_NAME_CHARS["M" if sex == "男" else "F", "middle"]
        name = rng.choices(surnames, weights)[0] + "".join(rng.sample(given, rng.choice((1, 2))))
        sheet.append(
            [
                n + 1,
                name,
                sex,
                number,
                f"139{n:08d}",
                address,
                "湖北省武汉市",
                "2020年1月22日",
            ]
        )
    book.save(path)


class _PeakMemory(threading.Thread):
    """Samples this process's resident memory every 10 ms; stop() returns the peak growth in MiB
    (ru_maxrss cannot: the roster's generation has already set the process's peak)."""

    def __init__(self) -> None:
        super().__init__(daemon=True)
        self.start_rss = self.peak = self._rss()
        self.done = threading.Event()

    @staticmethod
    def _rss() -> int:
        with open("/proc/self/statm") as statm:
            return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")

    def run(self) -> None:
        while not self.done.wait(0.01):
            self.peak = max(self.peak, self._rss())

    def stop(self) -> int:
        self.done.set()
        self.join()
        return (max(self.peak, self._rss()) - self.start_rss) // 2**20


class _RollBack(Exception):
    pass


def _write_floor(rows: int, town: Region, hq: User) -> float:
    """Seconds to write what an import of `rows` new returnees writes, rows prebuilt, no checks:
    a staged row, a person, a trip and two audit entries each, through the same bulk writer
    (core.bulk), in one transaction that is then rolled back. No import can be faster."""
    from django.db import transaction

    from fangxian.audit.models import AuditEntry
    from fangxian.core.bulk import insert_rows
    from fangxian.imports.people_rows import PERSON_FIELDS, STAGED_FIELDS
    from fangxian.screening.models import Trip

    village = Region.objects.filter(path__startswith=town.path, level=Region.Level.VILLAGE)[0]
    job = ImportJob.objects.create(
        target=ImportJob.Target.PEOPLE, region=town, created_by=hq, original_name="floor.xlsx"
    )
    started = time.perf_counter()
    try:
        with transaction.atomic():
            for first in range(0, rows, 5000):
                numbers = range(first, min(rows, first + 5000))
                values = {"name": "返乡", "region_id": village.id, "trip": {"origin_text": "湖北"}}
                insert_rows(
                    ImportRow,
                    STAGED_FIELDS,
                    [(job.pk, n + 4, "create", [], values, {}, [], None) for n in numbers],
                )
                birth = date(1980, 1, 1)
                people = insert_rows(
                    Person,
                    PERSON_FIELDS,
                    [
                        (
                            village.id,
                            f"返乡{n}",
                            f"fanxiang{n}",
                            "fx",
                            "resident_id",
                            f"F{n:017d}",
                            f"{n % 10000:04d}",
                            birth,
                            "M",
                            f"139{n:08d}",
                        )
                        for n in numbers
                    ],
                )
                trips = insert_rows(
                    Trip,
                    ["person_id", "region_id", "origin_text", "origin_code", "arrived_on"],
                    [(p, village.id, "湖北省武汉市", "420100", birth) for p in people],
                )
                for label, ids in (("people.person", people), ("screening.trip", trips)):
                    insert_rows(
                        AuditEntry,
                        ["object_id", "object_repr", "person_id", "region_id"],
                        [(str(i), "返乡", p, village.id) for i, p in zip(ids, people, strict=True)],
                        same={"action": "create", "object_type": label, "actor_id": hq.pk},
                    )
            raise _RollBack
    except _RollBack:
        pass
    floor = time.perf_counter() - started
    job.delete()
    return floor


def bench_import(rows: int) -> list[Result]:
    folder = Path(tempfile.mkdtemp(prefix="fangxian-import-"))
    path = folder / "roster.xlsx"
    write_roster(path, rows)
    hq = User.objects.get(username="hq")
    town = Region.objects.get(path="530113105")

    started = time.perf_counter()
    for _ in CalamineWorkbook.from_path(str(path)).get_sheet_by_index(0).iter_rows():
        pass
    bare = time.perf_counter() - started

    floor = _write_floor(rows, town, hq)

    before = Person.objects.count()
    sampler = _PeakMemory()
    sampler.start()
    started = time.perf_counter()
    job = services.import_create(actor=hq, region=town, path=path, original_name=path.name)
    job = services.import_check(job=job, actor=hq)
    job = services.import_commit(job=job, actor=hq)
    whole = time.perf_counter() - started
    growth = sampler.stop()
    created = Person.objects.count() - before
    assert job.status == ImportJob.Status.COMMITTED, job.problem
    os.remove(path)
    return [
        Result(
            name=f"import_roster_{rows}_rows",
            description=(
                f"parse + check + preview + commit of a {rows}-row .xlsx ({created} people created) "
                f"vs a bare python-calamine read of the same file; value and baseline in rows/s, "
                f"ratio = bare rate / import rate; resident memory peaked {growth} MiB above its level "
                f"before the import"
            ),
            value=round(rows / whole, 1),
            baseline=round(rows / bare, 1),
            ratio=round(whole / bare, 2),
            target=4.0,
            unit="rows/s",
            spread=0.0,
        ),
        Result(
            name=f"import_roster_{rows}_rows_vs_writes",
            description=(
                "the same import vs only writing its rows (staged row, person, trip, 2 audit "
                "entries each, prebuilt, no checks; rolled back): what the checks, the preview "
                "and the commit's bookkeeping add to the unavoidable writes; value and baseline "
                "in rows/s, ratio = write rate / import rate"
            ),
            value=round(rows / whole, 1),
            baseline=round(rows / floor, 1),
            ratio=round(whole / floor, 2),
            target=4.0,
            unit="rows/s",
            spread=0.0,
        ),
    ]
