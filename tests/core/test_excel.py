"""The one Excel writer: text stays text, any stored character survives, rows stream."""

from dataclasses import dataclass
from io import BytesIO

from openpyxl import load_workbook

from apps.core.excel import Column, build_workbook


@dataclass
class Row:
    text: object


def _cells(values):
    content = build_workbook(
        sheet_title="t", columns=[Column("文本", "text")], rows=map(Row, values)
    )
    sheet = load_workbook(BytesIO(content)).active
    return [row[0] for row in sheet.iter_rows(min_row=2)]


def test_a_value_that_looks_like_a_formula_is_written_as_text_with_the_quote_prefix():
    hostile = ['=HYPERLINK("http://evil.example","x")', "+1+1", "-2+3", "@SUM(A1)", "\t=1", "\r=1"]
    cells = _cells(hostile)
    # A carriage return reads back as a line feed through the standard library's XML parser and
    # as itself through lxml (which python-docx brings in); either way the text is intact.
    assert [cell.value.replace("\r", "\n") for cell in cells] == [
        value.replace("\r", "\n") for value in hostile
    ]
    assert all(cell.data_type == "s" for cell in cells)
    assert all(cell.quotePrefix for cell in cells)


def test_ordinary_text_numbers_and_dates_keep_their_types():
    import datetime

    cells = _cells(["花溪科技", 12, datetime.date(2023, 11, 30)])
    assert [cell.data_type for cell in cells] == ["s", "n", "d"]
    assert cells[0].quotePrefix is False


def test_control_characters_a_workbook_cannot_hold_are_dropped_not_a_crash():
    cells = _cells(["流动\x0b资金\x01", "换行\n保留"])
    assert [cell.value for cell in cells] == ["流动资金", "换行\n保留"]
