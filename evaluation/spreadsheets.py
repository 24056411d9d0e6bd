"""Score sheets and the summary table (汇总表) as Excel workbooks, in the provincial layout:
a title row, merged headers, Chinese column names, frozen panes, A4 print setup with page
numbers in the footer.

Both are written with XlsxWriter, into memory: it writes several times faster than openpyxl's
cell objects (docs/benchmarks.md). Every text cell is written as text (``core.cells``): a value
starting with =, +, -, @, a tab or a carriage return never becomes a formula. Cells take the
portal's named styles, as formats made once per workbook (``core.cells.xlsxwriter_workbook``).
XlsxWriter is imported inside the functions (heavy import).

``print_setup`` is the same page setup for an openpyxl worksheet (the public list workbook).
"""

import io
from decimal import Decimal

from django.conf import settings
from django.utils import timezone

from applications.models import Application, Cycle
from core.cells import (
    CENTER,
    HEADER,
    NOTE,
    RATE,
    SIGNATURE,
    TEXT,
    TITLE,
    TOTAL,
    xlsxwriter_put,
    xlsxwriter_workbook,
)

from .enums import Decision, InspectionResult, Rating
from .pass_rule import WrittenResult
from .selectors import written_result
from .written_review import score_sheets_ensure

FOOTER = "第 &P 页，共 &N 页"
PENDING = "评分中"
VISIT = {InspectionResult.PASSED: "通过", InspectionResult.FAILED: "未通过"}
DECISION = {Decision.APPROVED: "批准", Decision.NOT_APPROVED: "不予批准"}
A4 = 9  # Excel's paper size code for A4


def _workbook():
    """An XlsxWriter workbook writing into memory, its buffer and the portal's formats."""
    buffer = io.BytesIO()
    return *xlsxwriter_workbook(buffer), buffer


def _title(sheet, formats, text: str, width: int) -> None:
    sheet.merge_range(0, 0, 0, width - 1, "", formats[TITLE][0])
    xlsxwriter_put(sheet, 0, 0, text, formats[TITLE])
    sheet.set_row(0, 30)


def print_setup(sheet, *, landscape: bool, header_rows: str) -> None:
    """A4, one page wide, the header rows on every page, page numbers in the footer (an
    openpyxl worksheet; ``_print_setup`` is the same for XlsxWriter)."""
    sheet.page_setup.orientation = "landscape" if landscape else "portrait"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.print_title_rows = header_rows
    sheet.oddFooter.center.text = FOOTER


def _print_setup(sheet, *, landscape: bool, header_rows: tuple[int, int]) -> None:
    """``print_setup`` for an XlsxWriter worksheet; ``header_rows`` are zero-based."""
    if landscape:
        sheet.set_landscape()
    else:
        sheet.set_portrait()
    sheet.set_paper(A4)
    sheet.fit_to_pages(1, 0)
    sheet.repeat_rows(*header_rows)
    sheet.set_footer(f"&C{FOOTER}")


def _widths(sheet, widths: list[int]) -> None:
    for index, value in enumerate(widths):
        sheet.set_column(index, index, value)


def _visit(application: Application) -> str:
    # ``ranking`` joins the inspection: a missing one is cached as missing, no query.
    inspection = getattr(application, "inspection", None)
    if inspection is None:
        return "未安排"
    return VISIT.get(inspection.result, "待考核")


def _decision(application: Application) -> str:
    # ``ranking`` annotates the decision in force (None before the committee's meeting).
    return DECISION.get(application.decision, "—")


def _number(value):
    # Points are Decimals; a cell holds a float.
    return float(value) if isinstance(value, Decimal) else value


def _rate(result: WrittenResult) -> float:
    # The two-decimal percentage the ranking page shows, as a fraction for the 0.00% format.
    return float(result.percent / 100)


def summary_workbook(cycle: Cycle, results: list[WrittenResult]) -> bytes:
    """The cycle's summary: rank, county, city, the seven section scores, total, rate, vetoes,
    the written conclusion, the visit's result and the committee's decision.

    Complete results (every section signed) are ranked 1..n by total, in the order given;
    results still being scored follow them without a rank, concluded 「评分中」. Under the
    table: the issuing department (``DOCUMENT_ISSUER``) and the date.

    """
    workbook, formats, buffer = _workbook()
    sheet = workbook.add_worksheet("汇总表")
    sections = list(cycle.criteria_version.sections.order_by("number"))
    fixed = ["排名", "申报单位", "所属市（地）"]
    tail = ["总分", "得分率", "一票否决", "审查结论", "实地考核结果", "厅党委审议"]
    first = len(fixed)  # zero-based: the first section's column
    last_section = first + len(sections) - 1
    width = len(fixed) + len(sections) + len(tail)
    _title(sheet, formats, f"{cycle.year}年度全省示范县（市、区）司法局创建书面审查汇总表", width)
    # Two header rows: fixed columns merged vertically, section scores under one merged header;
    # the covered cells are framed too, so that the frame is drawn around every merge.
    header = formats[HEADER]
    for column in [*range(first), *range(last_section + 1, width)]:
        sheet.merge_range(1, column, 2, column, "", header[0])
    sheet.merge_range(1, first, 1, last_section, "", header[0])
    labels = [f"{s.number}.{s.name.removesuffix('考评标准')}" for s in sections]
    top = [*fixed, "各部分得分", *[None] * (len(sections) - 1), *tail]
    below = [*[None] * len(fixed), *labels, *[None] * len(tail)]
    for column, (upper, lower) in enumerate(zip(top, below, strict=True)):
        xlsxwriter_put(sheet, 1, column, upper, header)
        xlsxwriter_put(sheet, 2, column, lower, header)
    complete = [r for r in results if r.complete]
    pending = [r for r in results if not r.complete]
    center, text, rate = formats[CENTER], formats[TEXT], formats[RATE]
    numbers = [s.number for s in sections]
    row = 2
    for rank, result in enumerate(complete + pending, start=1):
        row += 1
        application = result.application
        by_number = {s.section.number: s.points for s in result.sections}
        conclusion = ("合格" if result.passed else "不合格") if result.complete else PENDING
        values = [
            (rank if result.complete else None, center),
            (application.county.name, text),
            (application.county.parent.name, text),
            *[(_number(by_number.get(n)), center) for n in numbers],
            (_number(result.total), center),
            (_rate(result), rate),
            ("、".join(result.vetoes_failed) or "无", text),
            (conclusion, center),
            (_visit(application), center),
            (_decision(application), center),
        ]
        for column, (value, cell_formats) in enumerate(values):
            xlsxwriter_put(sheet, row, column, value, cell_formats)
    today = timezone.localdate()
    for offset, note in enumerate(
        [
            f"制表单位：{settings.DOCUMENT_ISSUER}",
            f"制表日期：{today.year}年{today.month}月{today.day}日",
        ],
        start=2,
    ):
        sheet.merge_range(row + offset, 0, row + offset, first, "", formats[NOTE][0])
        xlsxwriter_put(sheet, row + offset, 0, note, formats[NOTE])
    sheet.freeze_panes(3, 3)  # D4
    _widths(sheet, [6, 26, 14] + [12] * len(sections) + [9, 10, 24, 10, 12, 12])
    _print_setup(sheet, landscape=True, header_rows=(1, 2))
    workbook.close()
    return buffer.getvalue()


def _evaluators(score_sheet) -> str:
    """The evaluators assigned to the section, and the signer if no longer assigned."""
    names = [a.evaluator.get_full_name() for a in score_sheet.assignments.all()]
    if score_sheet.signed_by is not None:
        signer = score_sheet.signed_by.get_full_name()
        if signer not in names:
            names.insert(0, signer)
    return "、".join(names)


def application_workbook(application: Application) -> bytes:
    """One worksheet per section: item, rating, points, veto check, comment; the total at the
    foot, then the evaluators, a line to sign on paper and the signing date (blank until
    signed)."""
    score_sheets_ensure(application=application)
    result = written_result(application)
    by_number = {s.section.number: s for s in result.sections}
    workbook, formats, buffer = _workbook()
    version = application.cycle.criteria_version
    factor = {
        Rating.MET: version.met_percent / 100,
        Rating.PARTLY_MET: version.partly_met_percent / 100,
    }
    score_sheets = (
        application.score_sheets.select_related("section", "signed_by")
        .prefetch_related("assignments__evaluator", "scores", "section__items")
        .order_by("section__number")
    )
    center, text, total = formats[CENTER], formats[TEXT], formats[TOTAL]
    for score_sheet in score_sheets:
        section = score_sheet.section
        sheet = workbook.add_worksheet(f"第{section.number}部分")
        _title(sheet, formats, f"{application.county.name} · {section.number}. {section.name}", 6)
        for column, label in enumerate(
            ["编号", "考评项目", "评分", "得分", "一票否决", "评审意见"]
        ):
            xlsxwriter_put(sheet, 1, column, label, formats[HEADER])
        scores = {s.item_id: s for s in score_sheet.scores.all()}
        row = 1
        for item in sorted(section.items.all(), key=lambda i: i.order):
            row += 1
            score = scores.get(item.pk)
            rating = score.get_rating_display() if score and score.rating else ""
            points = item.points * factor.get(score.rating, Decimal(0)) if score else None
            veto = ""
            if item.is_veto:
                veto = (
                    "未通过"
                    if score and (score.veto_failed or score.rating == Rating.NOT_MET)
                    else "通过"
                )
            for column, (value, cell_formats) in enumerate(
                [
                    (item.code, center),
                    (item.title, text),
                    (rating, center),
                    (_number(points), center),
                    (veto, center),
                    (score.comment if score else "", text),
                ]
            ):
                xlsxwriter_put(sheet, row, column, value, cell_formats)
        row += 1
        section_result = by_number.get(section.number)
        points = _number(section_result.points) if section_result else None
        for column, value in enumerate([None, "合计", None, points, None, None]):
            xlsxwriter_put(sheet, row, column, value, total)
        signed_on = (
            timezone.localtime(score_sheet.signed_at).date() if score_sheet.signed_at else None
        )
        for offset, (label, value) in enumerate(
            [("评审人", _evaluators(score_sheet)), ("签名", None), ("日期", signed_on)]
        ):
            foot = row + 2 + offset
            xlsxwriter_put(sheet, foot, 0, f"{label}：", formats[NOTE])
            xlsxwriter_put(sheet, foot, 1, value, formats[SIGNATURE])
            sheet.set_row(foot, 24)
        sheet.freeze_panes(2, 0)  # A3
        _widths(sheet, [8, 36, 10, 8, 10, 40])
        _print_setup(sheet, landscape=False, header_rows=(1, 1))
    workbook.close()
    return buffer.getvalue()
