"""Cells that stay text: a value a spreadsheet would run as a formula is written as text.

A cell beginning with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return is a formula (or
the start of one) to Excel, WPS and LibreOffice. In XLSX such a value is written with the
string type, so it is shown exactly as typed and never evaluated; CSV has no types, so such a
value is prefixed with an apostrophe, which the spreadsheet shows as text.
"""

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def is_formula_like(value) -> bool:
    return isinstance(value, str) and value.startswith(FORMULA_STARTS)


def csv_safe(value):
    """``value`` for a CSV cell: formula-like text behind an apostrophe."""
    return f"'{value}" if is_formula_like(value) else value


def text_cell(sheet, value):
    """A write-only worksheet's cell holding ``value``; text is always of the string type."""
    from openpyxl.cell import WriteOnlyCell

    cell = WriteOnlyCell(sheet, value=value)
    if isinstance(value, str):
        cell.data_type = "s"
    return cell
