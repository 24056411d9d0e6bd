"""Cells that stay text: a value a spreadsheet would run as a formula is written as text.

A cell beginning with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return is a formula (or
the start of one) to Excel, WPS and LibreOffice. In XLSX such a value is written with the
string type, so it is shown exactly as typed and never evaluated, and with the quote prefix
(Excel's leading apostrophe), so that editing the cell in Excel keeps it text; CSV has no
types, so such a value is prefixed with an apostrophe, which the spreadsheet shows as text.

This module is the one owner of that rule: every workbook and CSV file the portal writes goes
through ``put``, ``text_cell``, ``text_cells`` or ``csv_safe``.

It also owns the portal's cell styles, as named styles registered once per workbook
(``styles_register``) and assigned by name (``put(..., style=...)``, ``text_cell(...,
style=...)``): building Border, Alignment and Font objects for every cell costs several times the
write itself. A style is assigned before the value, so that the quote prefix of formula-like text
is not reset by the style.
"""

from weakref import WeakKeyDictionary

# Per workbook, each named style's array (its ids in the workbook's style tables), kept at
# registration: openpyxl's own assignment by name searches the name list twice per cell.
_ARRAYS: WeakKeyDictionary = WeakKeyDictionary()

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


def put(cell, value, *, style: str | None = None):
    """Write ``value`` into a worksheet's ``cell``; text is always of the string type.

    ``style`` is the name of a style ``styles_register`` added to the workbook."""
    if style is not None:
        _style(cell, style)
    cell.value = value
    _keep_text(cell)
    return cell


def _style(cell, name: str) -> None:
    from openpyxl.styles.cell_style import StyleArray

    arrays = _ARRAYS.get(cell.parent.parent)
    if arrays is None or name not in arrays:
        # Not registered here: openpyxl's own assignment (a built-in name or an error).
        cell.style = name
    else:
        # What ``cell.style = name`` does, without its search of the names.
        cell._style = StyleArray(arrays[name])


def text_cell(sheet, value, *, style: str | None = None):
    """A write-only worksheet's cell holding ``value``; text is always of the string type.

    ``style`` is the name of a style ``styles_register`` added to the workbook."""
    from openpyxl.cell import Cell, WriteOnlyCell

    if style is None:
        cell = WriteOnlyCell(sheet, value=value)
    else:
        # As WriteOnlyCell, with the named style's array (copied by the cell).
        array = _ARRAYS[sheet.parent][style]
        cell = Cell(sheet, row=1, column=1, value=value, style_array=array)
    _keep_text(cell)
    return cell


def text_cells(sheet) -> None:
    """Make every text cell of a filled worksheet of the string type (after ``append``)."""
    for row in sheet.iter_rows():
        for cell in row:
            _keep_text(cell)


# The named styles of the portal's workbooks: (name, bold, font size, horizontal alignment,
# framed, number format). Names are ASCII: Excel and WPS show them in the style gallery.
TITLE = "portal title"
HEADER = "portal header"
TEXT = "portal text"
CENTER = "portal center"
RATE = "portal rate"
DATE = "portal date"
TOTAL = "portal total"
NOTE = "portal note"
SIGNATURE = "portal signature"
DATE_FORMAT = 'yyyy"年"m"月"d"日"'
_STYLES = (
    (TITLE, True, 16, "center", False, "General"),
    (HEADER, True, 11, "center", True, "General"),
    (TEXT, False, 11, None, True, "General"),
    (CENTER, False, 11, "center", True, "General"),
    (RATE, False, 11, "center", True, "0.00%"),
    (DATE, False, 11, "center", True, DATE_FORMAT),
    (TOTAL, True, 11, "center", True, "General"),
    (NOTE, False, 11, None, False, "General"),
    (SIGNATURE, False, 11, None, False, DATE_FORMAT),
)


def styles_register(workbook) -> None:
    """Add the portal's named styles to ``workbook`` (once per workbook: a NamedStyle belongs
    to the workbook it was added to)."""
    from openpyxl.styles import Alignment, Border, Font, NamedStyle, Side

    arrays = _ARRAYS.setdefault(workbook, {})
    thin = Side(style="thin", color="000000")
    framed = Border(left=thin, right=thin, top=thin, bottom=thin)
    for name, bold, size, horizontal, frame, number_format in _STYLES:
        style = NamedStyle(name=name, number_format=number_format)
        style.font = Font(bold=bold, size=size)
        style.alignment = Alignment(horizontal=horizontal, vertical="center", wrap_text=True)
        if frame:
            style.border = framed
        elif name == SIGNATURE:
            # The line to sign on, on paper.
            style.border = Border(bottom=thin)
        workbook.add_named_style(style)
        arrays[name] = style.as_tuple()
