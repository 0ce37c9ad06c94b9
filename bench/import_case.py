"""Import a generated roster: parse + check + preview + commit, against a bare calamine read."""

import os
import random
import resource
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

from openpyxl import Workbook
from python_calamine import CalamineWorkbook

from bench.harness import Result
from fangxian.accounts.models import User
from fangxian.imports import services
from fangxian.imports.models import ImportJob
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
    """A county list as it arrives: title, 填报单位 line, header, `rows` returnees."""
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
    for n in range(rows):
        birth = start + timedelta(days=n // 900 * 7 + n % 7)
        number = idnumber.make("530181", birth, n % 900 + 100 * (n % 1))
        village = villages[n % len(villages)]
        group = rng.choice(groups[village.pk]) if groups[village.pk] else None
        address = f"{village.short_name}{group.short_name if group else ''}{n % 50 + 1}号"
        sex = "男" if int(number[16]) % 2 else "女"
        sheet.append(
            [
                n + 1,
                f"返乡{n}",
                sex,
                number,
                f"139{n:08d}",
                address,
                "湖北省武汉市",
                "2020年1月22日",
            ]
        )
    book.save(path)


def bench_import(rows: int) -> Result:
    folder = Path(tempfile.mkdtemp(prefix="fangxian-import-"))
    path = folder / "roster.xlsx"
    write_roster(path, rows)
    hq = User.objects.get(username="hq")
    town = Region.objects.get(path="530113105")

    started = time.perf_counter()
    for _ in CalamineWorkbook.from_path(str(path)).get_sheet_by_index(0).iter_rows():
        pass
    bare = time.perf_counter() - started

    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    before = Person.objects.count()
    started = time.perf_counter()
    job = services.import_create(actor=hq, region=town, path=path, original_name=path.name)
    job = services.import_check(job=job, actor=hq)
    job = services.import_commit(job=job, actor=hq)
    whole = time.perf_counter() - started
    rss_after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    created = Person.objects.count() - before
    assert job.status == ImportJob.Status.COMMITTED, job.problem
    os.remove(path)
    return Result(
        name=f"import_roster_{rows}_rows",
        description=(
            f"parse + check + preview + commit of a {rows}-row .xlsx ({created} people created) "
            f"vs a bare python-calamine read of the same file; value and baseline in rows/s, "
            f"ratio = bare rate / import rate; peak RSS grew by {(rss_after - rss_before) // 1024} MiB"
        ),
        value=round(rows / whole, 1),
        baseline=round(rows / bare, 1),
        ratio=round(whole / bare, 2),
        target=4.0,
        unit="rows/s",
        spread=0.0,
    )
