"""The one rule for spreadsheet cells: formula-like text stays text, in XLSX and in CSV."""

import io

import pytest

from core.cells import csv_safe, csv_unescape, is_formula_like, put, text_cell, text_cells

HOSTILE = ['=HYPERLINK("http://x","y")', "@SUM(1)", "+1+1", "-2+3", "\t=1", "\r=1"]


@pytest.mark.parametrize("value", HOSTILE)
def test_formula_like_text_goes_behind_an_apostrophe_in_csv_and_back(value):
    assert is_formula_like(value)
    assert csv_safe(value) == "'" + value
    assert csv_unescape(csv_safe(value)) == value


@pytest.mark.parametrize("value", ["哈尔滨市道里区司法局", "230102", "'quoted", "", 5, None, -3])
def test_other_values_pass_unchanged(value):
    assert not is_formula_like(value)
    assert csv_safe(value) == value
    assert csv_unescape(value) == value


def test_workbook_cells_keep_formula_like_text_as_text():
    from openpyxl import Workbook, load_workbook

    workbook = Workbook()
    sheet = workbook.active
    put(sheet.cell(row=1, column=1), HOSTILE[0])
    sheet.append([*HOSTILE[1:], 7])
    text_cells(sheet)
    stream = Workbook(write_only=True)
    streamed = stream.create_sheet("s")
    streamed.append([text_cell(streamed, value) for value in HOSTILE])
    for book in (workbook, stream):
        buffer = io.BytesIO()
        book.save(buffer)
        cells = [c for row in load_workbook(buffer).active.iter_rows() for c in row]
        texts = [(c.value, c.data_type, c.quotePrefix) for c in cells if c.value is not None]
        # XML keeps no bare carriage return: it reads back as a line feed (not a formula either).
        # (With lxml, openpyxl writes it as &#13; and it is kept.)
        expected = [(value.replace("\r", "\n"), "s", True) for value in HOSTILE]
        read = [(v.replace("\r", "\n"), t, q) for v, t, q in texts if v != 7]
        assert read == expected
    assert sheet.cell(row=2, column=6).data_type == "n"  # numbers stay numbers


def test_xlsxwriter_cells_keep_formula_like_text_as_text_in_named_styles():
    from openpyxl import load_workbook

    from core.cells import HEADER, RATE, TEXT, xlsxwriter_put, xlsxwriter_workbook

    buffer = io.BytesIO()
    workbook, formats = xlsxwriter_workbook(buffer)
    sheet = workbook.add_worksheet("s")
    for column, value in enumerate(HOSTILE):
        xlsxwriter_put(sheet, 0, column, value, formats[TEXT])
    xlsxwriter_put(sheet, 1, 0, "编号", formats[HEADER])
    xlsxwriter_put(sheet, 1, 1, 0.5, formats[RATE])
    xlsxwriter_put(sheet, 1, 2, None, formats[TEXT])
    workbook.close()
    read = load_workbook(buffer).active
    texts = [(c.value, c.data_type, c.quotePrefix, c.style) for c in read[1]]
    # A carriage return is written as a line feed (XML keeps no bare carriage return).
    assert texts == [(value.replace("\r", "\n"), "s", True, TEXT) for value in HOSTILE]
    assert (read["A2"].value, read["A2"].quotePrefix, read["A2"].style) == ("编号", False, HEADER)
    assert (read["B2"].data_type, read["B2"].number_format, read["B2"].style) == (
        "n",
        "0.00%",
        RATE,
    )
    assert (read["C2"].value, read["C2"].style) == (None, TEXT)
