"""The re-inspection's slippage as an Excel workbook: title row, A4 print setup.

Text cells are text (``core.cells``); openpyxl is imported inside the function (heavy import).
"""

import io

from core.cells import CENTER, HEADER, TEXT, TITLE, put, styles_register
from evaluation.spreadsheets import print_setup

SLIPPAGE_HEADERS = [
    "序号",
    "项目编号",
    "考评项目",
    "一票否决",
    "命名时自评",
    "本次自评",
    "命名时评审",
    "本次评审",
    "指标",
    "标准",
    "命名时数值",
    "本次数值",
    "是否滑坡",
    "滑坡情形",
]


def slippage_workbook(slippage) -> bytes:
    """The re-inspection's slippage (``reinspections.slippage.slippage_of``), slipped items
    first: one row per item, then one row per indicator under it."""
    from openpyxl import Workbook
    from openpyxl.utils import get_column_letter

    reinspection = slippage.reinspection
    designation = reinspection.designation
    workbook = Workbook()
    styles_register(workbook)
    sheet = workbook.active
    sheet.title = "复查滑坡对照"
    title = (
        f"{designation.bureau.name}（{designation.number}）复查对照"
        f"：命名时与{reinspection.due:%Y}年复查"
    )
    put(sheet.cell(row=1, column=1), title, style=TITLE)
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(SLIPPAGE_HEADERS))
    sheet.row_dimensions[1].height = 30
    note = "" if slippage.has_baseline else "（纸质档案登记的命名，无命名时数据）"
    for column, label in enumerate(SLIPPAGE_HEADERS, start=1):
        put(sheet.cell(row=2, column=column), label, style=HEADER)
    row = 3
    for number, item in enumerate(slippage.items, start=1):
        values = [
            (number, CENTER),
            (item.code, CENTER),
            (item.title, TEXT),
            ("是" if item.is_veto else "", CENTER),
            (item.answer_then_label or note, CENTER),
            (item.answer_now_label, CENTER),
            (item.rating_then_label, CENTER),
            (item.rating_now_label, CENTER),
            ("", TEXT),
            ("", TEXT),
            ("", CENTER),
            ("", CENTER),
            ("是" if item.slipped else "否", CENTER),
            (item.requirement() if item.slipped else "", TEXT),
        ]
        for column, (value, style) in enumerate(values, start=1):
            put(sheet.cell(row=row, column=column), value, style=style)
        row += 1
        for indicator in item.indicators:
            values = [
                ("", CENTER),
                (indicator.code, CENTER),
                ("", TEXT),
                ("", CENTER),
                ("", CENTER),
                ("", CENTER),
                ("", CENTER),
                ("", CENTER),
                (indicator.name, TEXT),
                (indicator.rule, TEXT),
                (_figure_text(indicator.then), CENTER),
                (_figure_text(indicator.now), CENTER),
                ("是" if indicator.fell_below else "否", CENTER),
                ("低于标准" if indicator.fell_below else "", TEXT),
            ]
            for column, (value, style) in enumerate(values, start=1):
                put(sheet.cell(row=row, column=column), value, style=style)
            row += 1
    for index, width in enumerate([6, 10, 28, 8, 12, 12, 12, 12, 24, 20, 14, 14, 8, 40], 1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = "A3"
    print_setup(sheet, landscape=True, header_rows="2:2")
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _figure_text(figure) -> str:
    """A figure as the page shows it: the value, else its status (not reported, invalid)."""
    if figure is None:
        return "无"
    if figure.value is not None:
        return f"{figure.value.normalize():f}"
    return str(figure.status_label)
