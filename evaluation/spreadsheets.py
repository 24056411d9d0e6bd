"""Score sheets and the summary table (汇总表) as Excel workbooks, in the provincial layout:
a title row, merged headers, Chinese column names, frozen panes, print setup.

Every text cell is written as text (``core.cells``): a value starting with =, +, -, @, a tab or
a carriage return never becomes a formula. openpyxl is imported inside the functions (heavy
import).
"""

import io
from decimal import Decimal

from applications.models import Application, Cycle
from core.cells import put

from .enums import Rating
from .written_review import WrittenResult, score_sheets_ensure, written_result


def _put(sheet, row: int, column: int, value, *, bold: bool = False, center: bool = False):
    """Write one cell; text is forced to be text (no formula injection)."""
    from openpyxl.styles import Alignment, Border, Font, Side

    cell = sheet.cell(row=row, column=column)
    if isinstance(value, Decimal):
        value = float(value)
    put(cell, value)
    thin = Side(style="thin", color="000000")
    cell.border = Border(left=thin, right=thin, top=thin, bottom=thin)
    cell.alignment = Alignment(
        horizontal="center" if center else None, vertical="center", wrap_text=True
    )
    if bold:
        cell.font = Font(bold=True)
    return cell


def _title(sheet, text: str, width: int) -> None:
    from openpyxl.styles import Alignment, Font

    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=width)
    cell = put(sheet.cell(row=1, column=1), text)
    cell.font = Font(bold=True, size=16)
    cell.alignment = Alignment(horizontal="center", vertical="center")
    sheet.row_dimensions[1].height = 30


def _print_setup(sheet, *, landscape: bool, header_rows: str) -> None:
    sheet.page_setup.orientation = "landscape" if landscape else "portrait"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.print_title_rows = header_rows


def summary_workbook(cycle: Cycle, results: list[WrittenResult]) -> bytes:
    """The cycle's summary: rank, county, city, the seven section scores, total, rate, vetoes."""
    from openpyxl import Workbook
    from openpyxl.utils import get_column_letter

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "汇总表"
    sections = list(cycle.criteria_version.sections.order_by("number"))
    width = 3 + len(sections) + 4
    _title(sheet, f"{cycle.year}年度全省示范县(市、区)司法局创建书面审查汇总表", width)
    # Two header rows: fixed columns merged vertically, section scores under one merged header.
    fixed = ["排名", "申报单位", "所属市(地)"]
    for column, label in enumerate(fixed, start=1):
        sheet.merge_cells(start_row=2, start_column=column, end_row=3, end_column=column)
        _put(sheet, 2, column, label, bold=True, center=True)
    first = len(fixed) + 1
    sheet.merge_cells(
        start_row=2, start_column=first, end_row=2, end_column=first + len(sections) - 1
    )
    _put(sheet, 2, first, "各部分得分", bold=True, center=True)
    for offset, section in enumerate(sections):
        _put(
            sheet,
            3,
            first + offset,
            f"{section.number}.{section.name.removesuffix('考评标准')}",
            bold=True,
            center=True,
        )
    tail = ["总分", "得分率(%)", "一票否决", "审查结论"]
    for offset, label in enumerate(tail):
        column = first + len(sections) + offset
        sheet.merge_cells(start_row=2, start_column=column, end_row=3, end_column=column)
        _put(sheet, 2, column, label, bold=True, center=True)
    for rank, result in enumerate(results, start=1):
        row = 3 + rank
        application = result.application
        _put(sheet, row, 1, rank, center=True)
        _put(sheet, row, 2, application.county.name)
        _put(sheet, row, 3, application.county.parent.name)
        by_number = {s.section.number: s for s in result.sections}
        for offset, section in enumerate(sections):
            section_result = by_number.get(section.number)
            _put(
                sheet,
                row,
                first + offset,
                section_result.points if section_result else None,
                center=True,
            )
        column = first + len(sections)
        _put(sheet, row, column, result.total, center=True)
        _put(sheet, row, column + 1, result.percent, center=True)
        _put(sheet, row, column + 2, "、".join(result.vetoes_failed) or "无")
        _put(
            sheet,
            row,
            column + 3,
            ("合格" if result.passed else "不合格") if result.complete else "评分中",
        )
    sheet.freeze_panes = "D4"
    widths = [6, 26, 14] + [12] * len(sections) + [9, 10, 24, 10]
    for index, value in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = value
    _print_setup(sheet, landscape=True, header_rows="2:3")
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def application_workbook(application: Application) -> bytes:
    """One worksheet per section: item, rating, points, veto check, comment; totals at the foot."""
    from openpyxl import Workbook
    from openpyxl.utils import get_column_letter

    score_sheets_ensure(application=application)
    result = written_result(application)
    by_number = {s.section.number: s for s in result.sections}
    workbook = Workbook()
    workbook.remove(workbook.active)
    for score_sheet in application.score_sheets.select_related("section").order_by(
        "section__number"
    ):
        section = score_sheet.section
        sheet = workbook.create_sheet(title=f"第{section.number}部分")
        _title(sheet, f"{application.county.name} · {section.number}. {section.name}", 6)
        for column, label in enumerate(
            ["编号", "考评项目", "评分", "得分", "一票否决", "评审意见"], start=1
        ):
            _put(sheet, 2, column, label, bold=True, center=True)
        scores = {s.item_id: s for s in score_sheet.scores.all()}
        version = application.cycle.criteria_version
        factor = {
            Rating.MET: version.met_percent / 100,
            Rating.PARTLY_MET: version.partly_met_percent / 100,
        }
        row = 2
        for item in section.items.order_by("order"):
            row += 1
            score = scores.get(item.pk)
            rating = score.get_rating_display() if score and score.rating else ""
            points = item.points * factor.get(score.rating, Decimal(0)) if score else None
            _put(sheet, row, 1, item.code, center=True)
            _put(sheet, row, 2, item.title)
            _put(sheet, row, 3, rating, center=True)
            _put(sheet, row, 4, points, center=True)
            veto = ""
            if item.is_veto:
                veto = (
                    "未通过"
                    if score and (score.veto_failed or score.rating == Rating.NOT_MET)
                    else "通过"
                )
            _put(sheet, row, 5, veto, center=True)
            _put(sheet, row, 6, score.comment if score else "")
        section_result = by_number.get(section.number)
        _put(sheet, row + 1, 2, "合计", bold=True)
        _put(
            sheet,
            row + 1,
            4,
            section_result.points if section_result else None,
            bold=True,
            center=True,
        )
        sheet.freeze_panes = "A3"
        for index, value in enumerate([8, 36, 10, 8, 10, 40], start=1):
            sheet.column_dimensions[get_column_letter(index)].width = value
        _print_setup(sheet, landscape=False, header_rows="2:2")
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
