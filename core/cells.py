"""Cells that stay text: a value a spreadsheet would run as a formula is written as text.

A cell beginning with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return is a formula (or
the start of one) to Excel, WPS and LibreOffice. In XLSX such a value is written with the
string type, so it is shown exactly as typed and never evaluated, and with the quote prefix
(Excel's leading apostrophe), so that editing the cell in Excel keeps it text; CSV has no
types, so such a value is prefixed with an apostrophe, which the spreadsheet shows as text.

This module is the one owner of that rule: every workbook and CSV file the portal writes goes
through ``put``, ``text_cell``, ``text_cells`` or ``csv_safe`` (openpyxl), or ``xlsxwriter_text``
and ``xlsxwriter_put`` (XlsxWriter, for the workbooks written in bulk: there a text cell is
written with ``write_string``, never ``write``, which would take ``=…`` for a formula, and
formula-like text gets its format's twin with the quote prefix).

It also owns the portal's cell styles, as named styles registered once per workbook
(``styles_register``) and assigned by name (``put(..., style=...)``, ``text_cell(...,
style=...)``): building Border, Alignment and Font objects for every cell costs several times the
write itself. A style is assigned before the value, so that the quote prefix of formula-like text
is not reset by the style. For XlsxWriter, ``xlsxwriter_formats`` makes the same styles as
formats, once per workbook (shared objects, which is what makes XlsxWriter fast).
"""

from datetime import date
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


_XLSXWRITER: dict = {}


def _xlsxwriter_workbook_class():
    """XlsxWriter's Workbook, writing the portal's styles as named styles (made once).

    XlsxWriter has no named styles of its own: its packager (which XlsxWriter lets a workbook
    replace, ``Workbook._get_packager``) writes, after the Normal style, one cell style per
    portal style, from its plain format; the formats point at theirs through ``xf_id``. Excel
    and WPS then show them in the style gallery, as with openpyxl's named styles."""
    if "workbook" in _XLSXWRITER:
        return _XLSXWRITER["workbook"]
    from xlsxwriter import Workbook
    from xlsxwriter.packager import Packager
    from xlsxwriter.styles import Styles, XFormatType

    class NamedStyles(Styles):
        def _set_style_properties(self, properties) -> None:
            super()._set_style_properties(properties)
            # The styles the cells use (XlsxWriter keeps only the formats in use), numbered
            # after Normal; every format of a style points at it.
            used = {getattr(f, "portal_style", None) for f in self.xf_formats}
            self.named = {}
            for name in (style[0] for style in _STYLES if style[0] in used):
                self.named[name] = len(self.named) + 1
            self.named_formats = {}
            for xf_format in self.xf_formats:
                name = getattr(xf_format, "portal_style", None)
                if name is not None:
                    xf_format.xf_id = self.named[name]
                    if not xf_format.quote_prefix or name not in self.named_formats:
                        self.named_formats[name] = xf_format

        def _named(self):
            # Each style's plain format, in the order of their xf_id (1, 2, ...).
            return [(name, self.named_formats[name]) for name in self.named]

        def _write_cell_style_xfs(self) -> None:
            named = self._named()
            self._xml_start_tag("cellStyleXfs", [("count", 1 + len(named))])
            self._write_xf(self.xf_formats[0], XFormatType.STYLE)
            for _, xf_format in named:
                self._write_xf(xf_format, XFormatType.STYLE)
            self._xml_end_tag("cellStyleXfs")

        def _write_cell_styles(self) -> None:
            named = self._named()
            self._xml_start_tag("cellStyles", [("count", 1 + len(named))])
            self._write_cell_style()
            for name, xf_format in named:
                self._xml_empty_tag(
                    "cellStyle", [("name", name), ("xfId", xf_format.xf_id), ("customBuiltin", 1)]
                )
            self._xml_end_tag("cellStyles")

    class NamedStylesPackager(Packager):
        def _write_styles_file(self) -> None:
            book = self.workbook
            styles = NamedStyles()
            styles._set_style_properties(
                [
                    book.xf_formats,
                    book.palette,
                    book.font_count,
                    book.num_formats,
                    book.border_count,
                    book.fill_count,
                    book.custom_colors,
                    book.dxf_formats,
                    book.has_comments,
                ]
            )
            styles._set_xml_writer(self._filename("xl/styles.xml"))
            styles._assemble_xml_file()

    class PortalWorkbook(Workbook):
        def _get_packager(self):
            return NamedStylesPackager()

    _XLSXWRITER["workbook"] = PortalWorkbook
    return PortalWorkbook


def xlsxwriter_workbook(buffer):
    """An XlsxWriter workbook writing into ``buffer`` (in memory, no temporary files) and the
    portal's styles as its formats (``xlsxwriter_formats``)."""
    workbook = _xlsxwriter_workbook_class()(buffer, {"in_memory": True})
    return workbook, xlsxwriter_formats(workbook)


def xlsxwriter_formats(workbook) -> dict[str, tuple]:
    """The portal's styles as XlsxWriter formats of ``workbook``: per style name, the format and
    its twin with the quote prefix (for formula-like text). Made once per workbook: formats are
    shared by the cells, which is what makes XlsxWriter fast. Each pair belongs to the named
    style of the same name (see ``_xlsxwriter_workbook_class``)."""
    formats = {}
    for name, bold, size, horizontal, frame, number_format in _STYLES:
        properties = {
            "bold": bold,
            "font_size": size,
            "valign": "vcenter",
            "text_wrap": True,
            "num_format": number_format,
        }
        if horizontal is not None:
            properties["align"] = horizontal
        if frame:
            properties["border"] = 1
        elif name == SIGNATURE:
            properties["bottom"] = 1
        pair = (
            workbook.add_format(properties),
            workbook.add_format({**properties, "quote_prefix": True}),
        )
        for xf_format in pair:
            xf_format.portal_style = name
        formats[name] = pair
    return formats


def xlsxwriter_text(worksheet, row: int, col: int, value: str, fmt, quoted_fmt) -> None:
    """Write text into an XlsxWriter ``worksheet`` (zero-based ``row``, ``col``): always of the
    string type (``write_string``), with ``quoted_fmt`` (the quote prefix) when it is
    formula-like."""
    quoted = value.startswith(FORMULA_STARTS)
    if "\r" in value:
        # XlsxWriter escapes a carriage return as _x000D_, which openpyxl and other readers keep
        # as those seven characters; XML has no bare carriage return anyway (a parser reads it
        # as a line feed), so a line end is written as a line feed.
        value = value.replace("\r\n", "\n").replace("\r", "\n")
    worksheet.write_string(row, col, value, quoted_fmt if quoted else fmt)


def xlsxwriter_put(worksheet, row: int, col: int, value, formats: tuple) -> None:
    """Write ``value`` with ``formats`` (a pair from ``xlsxwriter_formats``): text as text,
    numbers as numbers, dates as dates, ``None`` as a blank cell that keeps the format."""
    fmt = formats[0]
    if isinstance(value, str):
        xlsxwriter_text(worksheet, row, col, value, fmt, formats[1])
    elif value is None:
        worksheet.write_blank(row, col, None, fmt)
    elif isinstance(value, bool):
        worksheet.write_boolean(row, col, value, fmt)
    elif isinstance(value, date):
        worksheet.write_datetime(row, col, value, fmt)
    else:
        worksheet.write_number(row, col, value, fmt)
