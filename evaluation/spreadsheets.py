"""Score sheets and the summary table (汇总表) as Excel workbooks, in the provincial layout:
a title row, merged headers, Chinese column names, frozen panes, A4 print setup with page
numbers in the footer.

Every text cell is written as text (``core.cells``): a value starting with =, +, -, @, a tab or
a carriage return never becomes a formula. Cells take the named styles of ``core.cells``,
registered once per workbook. openpyxl is imported inside the functions (heavy import).
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
    put,
    styles_register,
)

from .enums import Decision, InspectionResult, Rating
from .written_review import WrittenResult, score_sheets_ensure, written_result

FOOTER = "第 &P 页，共 &N 页"
PENDING = "评分中"
VISIT = {InspectionResult.PASSED: "通过", InspectionResult.FAILED: "未通过"}
DECISION = {Decision.APPROVED: "批准", Decision.NOT_APPROVED: "不予批准"}


def _put(sheet, row: int, column: int, value, style: str = TEXT):
    """Write one cell in a named style; text is forced to be text (no formula injection)."""
    if isinstance(value, Decimal):
        value = float(value)
    return put(sheet.cell(row=row, column=column), value, style=style)


def _title(sheet, text: str, width: int) -> None:
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=width)
    _put(sheet, 1, 1, text, TITLE)
    sheet.row_dimensions[1].height = 30


def print_setup(sheet, *, landscape: bool, header_rows: str) -> None:
    """A4, one page wide, the header rows on every page, page numbers in the footer."""
    sheet.page_setup.orientation = "landscape" if landscape else "portrait"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.print_title_rows = header_rows
    sheet.oddFooter.center.text = FOOTER


def _widths(sheet, widths: list[int]) -> None:
    from openpyxl.utils import get_column_letter

    for index, value in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = value


def _visit(application: Application) -> str:
    # ``ranking`` joins the inspection: a missing one is cached as missing, no query.
    inspection = getattr(application, "inspection", None)
    if inspection is None:
        return "未安排"
    return VISIT.get(inspection.result, "待考核")


def _decision(application: Application) -> str:
    decision = getattr(application, "provincial_decision", None)
    return DECISION.get(decision.decision, "—") if decision is not None else "—"


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
    from openpyxl import Workbook

    workbook = Workbook()
    styles_register(workbook)
    sheet = workbook.active
    sheet.title = "汇总表"
    sections = list(cycle.criteria_version.sections.order_by("number"))
    fixed = ["排名", "申报单位", "所属市(地)"]
    tail = ["总分", "得分率", "一票否决", "审查结论", "实地考核结果", "厅党委审议"]
    first = len(fixed) + 1
    last_section = first + len(sections) - 1
    width = len(fixed) + len(sections) + len(tail)
    _title(sheet, f"{cycle.year}年度全省示范县(市、区)司法局创建书面审查汇总表", width)
    # Two header rows: fixed columns merged vertically, section scores under one merged header;
    # the covered cells are framed too, so that the frame is drawn around every merge.
    labels = [f"{s.number}.{s.name.removesuffix('考评标准')}" for s in sections]
    top = [*fixed, "各部分得分", *[None] * (len(sections) - 1), *tail]
    below = [*[None] * len(fixed), *labels, *[None] * len(tail)]
    for column, (upper, lower) in enumerate(zip(top, below, strict=True), start=1):
        _put(sheet, 2, column, upper, HEADER)
        _put(sheet, 3, column, lower, HEADER)
    for column in [*range(1, first), *range(last_section + 1, width + 1)]:
        sheet.merge_cells(start_row=2, start_column=column, end_row=3, end_column=column)
    sheet.merge_cells(start_row=2, start_column=first, end_row=2, end_column=last_section)
    complete = [r for r in results if r.complete]
    pending = [r for r in results if not r.complete]
    row = 3
    for rank, result in enumerate(complete + pending, start=1):
        row += 1
        application = result.application
        by_number = {s.section.number: s.points for s in result.sections}
        conclusion = ("合格" if result.passed else "不合格") if result.complete else PENDING
        values = [
            (rank if result.complete else None, CENTER),
            (application.county.name, TEXT),
            (application.county.parent.name, TEXT),
            *[(by_number.get(s.number), CENTER) for s in sections],
            (result.total, CENTER),
            (_rate(result), RATE),
            ("、".join(result.vetoes_failed) or "无", TEXT),
            (conclusion, CENTER),
            (_visit(application), CENTER),
            (_decision(application), CENTER),
        ]
        for column, (value, style) in enumerate(values, start=1):
            _put(sheet, row, column, value, style)
    today = timezone.localdate()
    for offset, text in enumerate(
        [
            f"制表单位：{settings.DOCUMENT_ISSUER}",
            f"制表日期：{today.year}年{today.month}月{today.day}日",
        ],
        start=2,
    ):
        _put(sheet, row + offset, 1, text, NOTE)
        sheet.merge_cells(
            start_row=row + offset, start_column=1, end_row=row + offset, end_column=first
        )
    sheet.freeze_panes = "D4"
    _widths(sheet, [6, 26, 14] + [12] * len(sections) + [9, 10, 24, 10, 12, 12])
    print_setup(sheet, landscape=True, header_rows="2:3")
    buffer = io.BytesIO()
    workbook.save(buffer)
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
    from openpyxl import Workbook

    score_sheets_ensure(application=application)
    result = written_result(application)
    by_number = {s.section.number: s for s in result.sections}
    workbook = Workbook()
    styles_register(workbook)
    workbook.remove(workbook.active)
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
    for score_sheet in score_sheets:
        section = score_sheet.section
        sheet = workbook.create_sheet(title=f"第{section.number}部分")
        _title(sheet, f"{application.county.name} · {section.number}. {section.name}", 6)
        for column, label in enumerate(
            ["编号", "考评项目", "评分", "得分", "一票否决", "评审意见"], start=1
        ):
            _put(sheet, 2, column, label, HEADER)
        scores = {s.item_id: s for s in score_sheet.scores.all()}
        row = 2
        for item in sorted(section.items.all(), key=lambda i: i.order):
            row += 1
            score = scores.get(item.pk)
            rating = score.get_rating_display() if score and score.rating else ""
            points = item.points * factor.get(score.rating, Decimal(0)) if score else None
            _put(sheet, row, 1, item.code, CENTER)
            _put(sheet, row, 2, item.title)
            _put(sheet, row, 3, rating, CENTER)
            _put(sheet, row, 4, points, CENTER)
            veto = ""
            if item.is_veto:
                veto = (
                    "未通过"
                    if score and (score.veto_failed or score.rating == Rating.NOT_MET)
                    else "通过"
                )
            _put(sheet, row, 5, veto, CENTER)
            _put(sheet, row, 6, score.comment if score else "")
        row += 1
        section_result = by_number.get(section.number)
        for column in range(1, 7):
            _put(sheet, row, column, None, TOTAL)
        _put(sheet, row, 2, "合计", TOTAL)
        _put(sheet, row, 4, section_result.points if section_result else None, TOTAL)
        signed_on = (
            timezone.localtime(score_sheet.signed_at).date() if score_sheet.signed_at else None
        )
        for offset, (label, value) in enumerate(
            [("评审人", _evaluators(score_sheet)), ("签名", None), ("日期", signed_on)]
        ):
            foot = row + 2 + offset
            _put(sheet, foot, 1, f"{label}：", NOTE)
            _put(sheet, foot, 2, value, SIGNATURE)
            sheet.row_dimensions[foot].height = 24
        sheet.freeze_panes = "A3"
        _widths(sheet, [8, 36, 10, 8, 10, 40])
        print_setup(sheet, landscape=False, header_rows="2:2")
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
