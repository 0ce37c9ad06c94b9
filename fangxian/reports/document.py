"""The township's daily report (日报): the figures of a day in sentences, a table by village and
the next-day tasks, as a web page and as a Word document (python-docx).

The wording is a `ReportWording` HQ edits: Django-template texts rendered with plain data only
(numbers, names, dates; no model objects, so a template reaches nothing else), through an
engine with the built-in tags and filters and no loaders.
"""

import io
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.template import Context
from django.utils.translation import gettext as _
from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Cm, Pt

from fangxian.regions.models import Region
from fangxian.reports.completeness import completeness
from fangxian.reports.figures import Aggregate, aggregate
from fangxian.reports.selectors import tasks_due, wording_for
from fangxian.reports.services import ENGINE


def number(value: Decimal) -> str:
    """12 for 12.00, 3.5 for 3.50: how the reports write figures."""
    value = Decimal(value)
    if value == value.to_integral_value():
        return str(int(value))
    return format(value.normalize(), "f")


def day_label(day: date) -> str:
    """2月10日: how the reports name a day."""
    return _("%(month)s/%(day)s") % {"month": day.month, "day": day.day}


def date_label(day: date) -> str:
    return _("%(year)s/%(month)s/%(day)s") % {"year": day.year, "month": day.month, "day": day.day}


def whole_of(region: Region) -> str:
    """全镇, 全乡, 全村, 全区 …: "the whole" of a unit, as the reports call it (the Chinese
    name's last character, or 街道/社区)."""
    name = region.short_name
    kind = next((s for s in ("街道", "社区") if name.endswith(s)), name[-1:])
    return _("the whole %(kind)s") % {"kind": kind}


@dataclass
class DailyDocument:
    title: str
    day: date
    paragraphs: list[str]
    columns: list[str]  # the table by village: first column the unit
    rows: list[list[str]]
    tasks: list[tuple[str, str]]  # (title, body)


def document_context(figures: Aggregate, *, day: date, rate: Any) -> dict[str, Any]:
    """The data the wording templates see, all plain values."""
    items = []
    for indicator in figures.indicators:
        cell = figures.totals[indicator.pk]
        items.append(
            {
                "name": indicator.name,
                "code": indicator.code,
                "unit": indicator.unit,
                "standing": indicator.semantics == indicator.Semantics.LEVEL,
                "new": number(cell.value),
                "cumulative": number(cell.cumulative),
            }
        )
    return {
        "region": figures.region.short_name,
        "whole": whole_of(figures.region),
        "day": day_label(day),
        "year": day.year,
        "figures": items,
        "by_code": {item["code"]: item for item in items},
        "units_expected": rate.expected,
        "units_received": rate.received,
        "units_on_time": rate.on_time,
    }


def _paragraphs(text: str) -> list[str]:
    blocks = [" ".join(line.strip() for line in block.splitlines()) for block in text.split("\n\n")]
    return [block.strip() for block in blocks if block.strip()]


def daily_document(*, user: Any, region: Region, day: date) -> DailyDocument:
    """Everything the 日报 of `region` for `day` says, from the units' reports."""
    figures = aggregate(user=user, region=region, first=day, last=day)
    rate = completeness(user=user, region=region, first=day, last=day).total
    context = Context(document_context(figures, day=day, rate=rate))
    wording = wording_for(region)
    title = ENGINE.from_string(wording.title).render(context).strip()
    body = ENGINE.from_string(wording.body).render(context)
    indicators = figures.indicators
    columns = [str(region.short_name)]
    for indicator in indicators:
        names = {"name": indicator.name, "unit": indicator.unit}
        if indicator.semantics == indicator.Semantics.LEVEL:
            columns.append(_("%(name)s (%(unit)s)") % names)
        else:
            columns += [
                _("%(name)s, new today (%(unit)s)") % names,
                _("%(name)s, cumulative (%(unit)s)") % names,
            ]

    def cells(values) -> list[str]:
        out = []
        for indicator in indicators:
            cell = values[indicator.pk]
            out.append(number(cell.value))
            if indicator.semantics != indicator.Semantics.LEVEL:
                out.append(number(cell.cumulative))
        return out

    rows = [
        [row.region.short_name if row.region else figures.region.short_name, *cells(row.cells)]
        for row in figures.rows
    ]
    rows.append([_("Total"), *cells(figures.totals)])
    tasks = [(t.title, t.body) for t in tasks_due(region=region, day=day + timedelta(days=1))]
    return DailyDocument(
        title=title,
        day=day,
        paragraphs=_paragraphs(body),
        columns=columns,
        rows=rows,
        tasks=tasks,
    )


def daily_docx(document: DailyDocument) -> bytes:
    """The 日报 as a .docx: title, date, the paragraphs, the table by village, the tasks."""
    word = Document()
    style = word.styles["Normal"]
    style.font.size = Pt(12)
    # A table by village has a column or two per indicator: landscape, narrow margins.
    section = word.sections[0]
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = section.page_height, section.page_width
    for margin in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, margin, Cm(1.5))
    heading = word.add_heading(document.title, level=1)
    heading.alignment = WD_ALIGN_PARAGRAPH.CENTER
    dated = word.add_paragraph(date_label(document.day))
    dated.alignment = WD_ALIGN_PARAGRAPH.CENTER
    for text in document.paragraphs:
        word.add_paragraph(text)
    word.add_heading(_("By village and community"), level=2)
    table = word.add_table(rows=1, cols=len(document.columns))
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, document.columns, strict=True):
        cell.text = text
    for values in document.rows:
        for cell, text in zip(table.add_row().cells, values, strict=True):
            cell.text = text
    for row in table.rows:
        for cell in row.cells:
            for run in cell.paragraphs[0].runs:
                run.font.size = Pt(8)
    word.add_heading(_("Tasks for tomorrow"), level=2)
    if document.tasks:
        for number_, (title, body) in enumerate(document.tasks, start=1):
            word.add_paragraph(
                _("%(number)s. %(title)s: %(body)s")
                % {"number": number_, "title": title, "body": body}
            )
    else:
        word.add_paragraph(_("None."))
    out = io.BytesIO()
    word.save(out)
    return out.getvalue()
