"""Every county's progress in the open cycle: the page's rows and totals, and its workbook.

The rows come from ``applications.selectors.county_progress`` (the counties the user follows,
each left-joined with its application); the workbook has the look of the 汇总表
(``evaluation.spreadsheets``): a title row, framed headers, frozen panes, A4 with page numbers.
"""

import io
from collections import Counter
from dataclasses import dataclass

from django.db.models import QuerySet
from django.utils import timezone

from applications.enums import PROGRESS_COLUMNS, PROGRESS_STAGES
from applications.models import Cycle
from core.cells import CENTER, HEADER, NOTE, TEXT, TITLE, TOTAL, xlsxwriter_put, xlsxwriter_workbook
from evaluation.spreadsheets import A4, FOOTER
from organizations.models import Bureau

STAGE_LABELS = dict(PROGRESS_STAGES)


@dataclass
class CityTotal:
    city: Bureau
    counties: int
    columns: list[int]


def progress_totals(rows: QuerySet[Bureau]) -> tuple[list[CityTotal], CityTotal | None]:
    """Per city (by code) and over all: the counties, and how many are in each column of
    ``PROGRESS_COLUMNS``. One query (the cities come with the rows)."""
    column_of = {
        stage: index for index, (_label, stages) in enumerate(PROGRESS_COLUMNS) for stage in stages
    }
    per_city: dict[int, Counter] = {}
    cities: dict[int, Bureau] = {}
    for county in rows.order_by():
        cities[county.parent_id] = county.parent
        per_city.setdefault(county.parent_id, Counter())[column_of[county.stage]] += 1
    totals = [
        CityTotal(
            cities[pk],
            sum(per_city[pk].values()),
            [per_city[pk][index] for index in range(len(PROGRESS_COLUMNS))],
        )
        for pk in sorted(cities, key=lambda pk: cities[pk].code)
    ]
    if not totals:
        return [], None
    overall = CityTotal(
        None,
        sum(t.counties for t in totals),
        [sum(t.columns[index] for t in totals) for index in range(len(PROGRESS_COLUMNS))],
    )
    return totals, overall


def progress_workbook(cycle: Cycle | None, rows: QuerySet[Bureau], *, issuer: str) -> bytes:
    """The counties' progress as the office and the cities print it: one row per county (number,
    county, code, city, stage), then the totals per city on a second sheet; ``issuer`` (the
    department, or the city) signs the table under it."""
    buffer = io.BytesIO()
    workbook, formats = xlsxwriter_workbook(buffer)
    year = f"{cycle.year}年度" if cycle else ""
    sheet = workbook.add_worksheet("创建进度")
    headers = ["序号", "县级司法局", "代码", "所属市(地)", "阶段"]
    _title(sheet, formats, f"{year}全省示范县(市、区)司法局创建进度表", len(headers))
    for column, label in enumerate(headers):
        xlsxwriter_put(sheet, 1, column, label, formats[HEADER])
    row = 1
    for row, county in enumerate(rows, start=2):
        values = [
            (row - 1, formats[CENTER]),
            (county.name, formats[TEXT]),
            (county.code, formats[CENTER]),
            (county.parent.name, formats[TEXT]),
            (str(STAGE_LABELS[county.stage]), formats[CENTER]),
        ]
        for column, (value, cell_formats) in enumerate(values):
            xlsxwriter_put(sheet, row, column, value, cell_formats)
    _notes(sheet, formats, row + 2, len(headers) - 1, issuer)
    sheet.freeze_panes(2, 2)
    for index, width in enumerate([6, 30, 10, 16, 20]):
        sheet.set_column(index, index, width)
    _print_setup(sheet, landscape=False)

    summary = workbook.add_worksheet("各市汇总")
    headers = ["所属市(地)", "县级司法局", *[str(label) for label, _stages in PROGRESS_COLUMNS]]
    _title(summary, formats, f"{year}全省示范县(市、区)司法局创建进度汇总表", len(headers))
    for column, label in enumerate(headers):
        xlsxwriter_put(summary, 1, column, label, formats[HEADER])
    totals, overall = progress_totals(rows)
    row = 1
    for row, total in enumerate(totals, start=2):
        xlsxwriter_put(summary, row, 0, total.city.name, formats[TEXT])
        for column, value in enumerate([total.counties, *total.columns], start=1):
            xlsxwriter_put(summary, row, column, value, formats[CENTER])
    if overall is not None:
        row += 1
        xlsxwriter_put(summary, row, 0, "合计", formats[TOTAL])
        for column, value in enumerate([overall.counties, *overall.columns], start=1):
            xlsxwriter_put(summary, row, column, value, formats[TOTAL])
    _notes(summary, formats, row + 2, len(headers) - 1, issuer)
    summary.freeze_panes(2, 1)
    summary.set_column(0, 0, 18)
    summary.set_column(1, len(headers) - 1, 12)
    _print_setup(summary, landscape=True)
    workbook.close()
    return buffer.getvalue()


def _title(sheet, formats, text: str, width: int) -> None:
    sheet.merge_range(0, 0, 0, width - 1, "", formats[TITLE][0])
    xlsxwriter_put(sheet, 0, 0, text, formats[TITLE])
    sheet.set_row(0, 30)


def _notes(sheet, formats, row: int, last_column: int, issuer: str) -> None:
    today = timezone.localdate()
    for offset, note in enumerate(
        [
            f"制表单位：{issuer}",
            f"制表日期：{today.year}年{today.month}月{today.day}日",
        ]
    ):
        sheet.merge_range(row + offset, 0, row + offset, last_column, "", formats[NOTE][0])
        xlsxwriter_put(sheet, row + offset, 0, note, formats[NOTE])


def _print_setup(sheet, *, landscape: bool) -> None:
    if landscape:
        sheet.set_landscape()
    else:
        sheet.set_portrait()
    sheet.set_paper(A4)
    sheet.fit_to_pages(1, 0)
    sheet.repeat_rows(1, 1)
    sheet.set_footer(f"&C{FOOTER}")
