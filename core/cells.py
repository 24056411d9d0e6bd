"""Cells that stay text: a value a spreadsheet would run as a formula is written as text.

A cell beginning with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return is a formula (or
the start of one) to Excel, WPS and LibreOffice. In XLSX such a value is written with the
string type, so it is shown exactly as typed and never evaluated, and with the quote prefix
(Excel's leading apostrophe), so that editing the cell in Excel keeps it text; CSV has no
types, so such a value is prefixed with an apostrophe, which the spreadsheet shows as text.

This module is the one owner of that rule: every workbook and CSV file the portal writes goes
through ``put``, ``text_cell``, ``text_cells`` or ``csv_safe``.
"""

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def is_formula_like(value) -> bool:
    return isinstance(value, str) and value.startswith(FORMULA_STARTS)


def csv_safe(value):
    """``value`` for a CSV cell: formula-like text behind an apostrophe."""
    return f"'{value}" if is_formula_like(value) else value


def csv_unescape(value):
    """The value ``csv_safe`` was given: a CSV file the portal wrote imports back as it was."""
    if isinstance(value, str) and value.startswith("'") and is_formula_like(value[1:]):
        return value[1:]
    return value


def _keep_text(cell) -> None:
    if isinstance(cell.value, str):
        # openpyxl stores a value beginning with "=" as a formula; the string type keeps it inert.
        cell.data_type = "s"
        if is_formula_like(cell.value):
            cell.quotePrefix = True


def put(cell, value):
    """Write ``value`` into a worksheet's ``cell``; text is always of the string type."""
    cell.value = value
    _keep_text(cell)
    return cell


def text_cell(sheet, value):
    """A write-only worksheet's cell holding ``value``; text is always of the string type."""
    from openpyxl.cell import WriteOnlyCell

    cell = WriteOnlyCell(sheet, value=value)
    _keep_text(cell)
    return cell


def text_cells(sheet) -> None:
    """Make every text cell of a filled worksheet of the string type (after ``append``)."""
    for row in sheet.iter_rows():
        for cell in row:
            _keep_text(cell)
