"""The public list of model bureaus as an Excel workbook: title row, real dates, A4 print setup.

Text cells are text (``core.cells``); openpyxl is imported inside the function (heavy import).
"""

import io

from core.cells import CENTER, DATE, HEADER, TEXT, TITLE, put, styles_register
from evaluation.spreadsheets import print_setup

TITLE_TEXT = "全省示范县（市、区）司法局名单"


def public_list_workbook(rows, *, year: str = "", city_name: str = "") -> bytes:
    """序号, city, bureau, designation number, date (a date cell), publication; the filter in
    the title when one is applied."""
    from openpyxl import Workbook
    from openpyxl.utils import get_column_letter

    workbook = Workbook()
    styles_register(workbook)
    sheet = workbook.active
    sheet.title = "示范司法局名单"
    scope = "、".join(p for p in (f"{year}年" if year else "", city_name) if p)
    put(
        sheet.cell(row=1, column=1),
        f"{TITLE_TEXT}（{scope}）" if scope else TITLE_TEXT,
        style=TITLE,
    )
    sheet.merge_cells("A1:F1")
    sheet.row_dimensions[1].height = 30
    for column, label in enumerate(
        ["序号", "所属市（地）", "单位", "命名文号", "命名日期", "命名通报"], start=1
    ):
        put(sheet.cell(row=2, column=column), label, style=HEADER)
    for row, designation in enumerate(rows, start=3):
        values = [
            (row - 2, CENTER),
            (designation.bureau.parent.name, TEXT),
            (designation.bureau.name, TEXT),
            (designation.number, CENTER),
            (designation.designated_on, DATE),
            (designation.publication.document_number, CENTER),
        ]
        for column, (value, style) in enumerate(values, start=1):
            put(sheet.cell(row=row, column=column), value, style=style)
    for index, width in enumerate([6, 14, 30, 22, 16, 22], start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = "A3"
    print_setup(sheet, landscape=False, header_rows="2:2")
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
