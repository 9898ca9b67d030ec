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
    # A carriage return is written as the line feed a cell breaks lines with.
    assert [cell.value for cell in cells] == [value.replace("\r", "\n") for value in hostile]
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


def test_line_breaks_are_line_feeds_whatever_the_form_sent():
    cells = _cells(["第一行\r\n第二行\r第三行", "a\r\n\r\nb"])
    assert [cell.value for cell in cells] == ["第一行\n第二行\n第三行", "a\n\nb"]


def test_a_sheet_title_excel_would_refuse_is_cleaned_not_a_crash():
    content = build_workbook(
        sheet_title="'诉求[2023/11]: *全部?*'" + "长" * 40,
        columns=[Column("文本", "text")],
        rows=map(Row, ["x"]),
    )
    book = load_workbook(BytesIO(content))
    assert book.active.title == ("诉求202311 全部'" + "长" * 40)[:31]
    assert book.active["A2"].value == "x"


def test_booleans_decimals_moments_and_empty_text():
    import datetime
    from decimal import Decimal
    from zoneinfo import ZoneInfo

    moment = datetime.datetime(2023, 11, 30, 16, 30, tzinfo=ZoneInfo("UTC"))
    cells = _cells([True, Decimal("49.86"), moment, "", "末"])
    assert cells[0].value is True
    assert cells[1].value == 49.86
    # Shown in the portal's time zone (Asia/Shanghai), without a zone.
    assert cells[2].value == datetime.datetime(2023, 12, 1, 0, 30)
    assert [cells[3].value, cells[4].value] == [None, "末"]


def test_text_that_looks_like_the_writer_s_own_rich_text_is_escaped_not_spliced_in():
    # XlsxWriter's constant-memory mode would write "<r>…</r>" into the sheet's XML unescaped.
    payload = (
        '<r><t>x</t></r></is></c><c r="Z2"><f>HYPERLINK("http://evil.example","y")</f></c>'
        "<c><is><r><t>y</t></r>"
    )
    content = build_workbook(
        sheet_title="t",
        columns=[Column("文本", "text")],
        rows=map(Row, [payload, "<r>备注</r>", "=<r>1</r>"]),
    )
    book = load_workbook(BytesIO(content))
    sheet = book.active
    assert [row[0].value for row in sheet.iter_rows(min_row=2)] == [
        payload,
        "<r>备注</r>",
        "=<r>1</r>",
    ]
    assert sheet.max_column == 1
    assert all(cell.data_type == "s" for row in sheet.iter_rows(min_row=2) for cell in row)
    assert sheet["A4"].quotePrefix


def test_string_subclasses_and_non_numbers_are_written_not_a_crash():
    from decimal import Decimal

    from django.utils.safestring import mark_safe

    from apps.services.models import Demand

    cells = _cells(
        [
            mark_safe("<b>安全</b>"),
            Demand.Status.PENDING,
            float("nan"),
            Decimal("-Infinity"),
            "尾",
            Decimal("sNaN"),
        ]
    )
    assert cells[0].value == "<b>安全</b>"
    assert cells[1].value == "pending"
    # Shown as the text they are: no number, and no formula for an error cell.
    assert [cells[2].value, cells[3].value] == ["nan", "-Infinity"]
    assert [cells[2].data_type, cells[3].data_type] == ["s", "s"]
    assert cells[4].value == "尾"
    assert cells[5].value == "sNaN"


def test_a_cell_is_cut_where_excel_counts_utf16_units():
    from apps.core.excel import MAX_CELL, sheet_value

    # An emoji counts two: the cut keeps whole characters within Excel's 32,767 units.
    text = "😀" * MAX_CELL
    cut = sheet_value(text)
    assert len(cut.encode("utf-16-le")) // 2 <= MAX_CELL
    assert cut == "😀" * (MAX_CELL // 2)
    assert sheet_value("汉" * (MAX_CELL + 5)) == "汉" * MAX_CELL
    cells = _cells([text])
    assert cells[0].value == cut


def test_a_sheet_title_is_cut_to_31_units_without_an_apostrophe_at_either_end():
    for title, expected in [
        ("a" * 30 + "'" + "b", "a" * 30),
        ("𠀀" * 20, "𠀀" * 15),
        ("'''", "Sheet"),
    ]:
        content = build_workbook(sheet_title=title, columns=[Column("文本", "text")], rows=[])
        assert load_workbook(BytesIO(content)).active.title == expected


def _excel_text(content: bytes, ref: str) -> str:
    """A cell's text as Excel reads it: its runs joined, each run's _xHHHH_ escapes decoded
    (openpyxl does not decode them)."""
    import re
    import zipfile

    from lxml import etree

    ns = {"m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main"}
    with zipfile.ZipFile(BytesIO(content)) as book:
        sheet = etree.fromstring(book.read("xl/worksheets/sheet1.xml"))
    cell = sheet.find(f".//m:c[@r='{ref}']", ns)
    return "".join(
        re.sub(r"_x([0-9A-Fa-f]{4})_", lambda m: chr(int(m.group(1), 16)), t.text or "")
        for t in cell.iterfind(".//m:t", ns)
    )


def test_excel_reads_back_the_text_on_both_paths_escapes_included():
    values = ["_x0041_", "<r>_x0041_</r>", "<r>a_x0041__x0042_b</r>", "<r>x\ufffey</r>"]
    content = build_workbook(
        sheet_title="t", columns=[Column("文本", "text")], rows=map(Row, values)
    )
    assert [_excel_text(content, f"A{n}") for n in range(2, 6)] == [
        "_x0041_",
        "<r>_x0041_</r>",
        "<r>a_x0041__x0042_b</r>",
        "<r>xy</r>",  # a non-character XML refuses is dropped
    ]


def test_a_header_label_on_the_rich_path_stays_bold():
    import zipfile

    content = build_workbook(sheet_title="t", columns=[Column("<r>列</r>", "text")], rows=[])
    with zipfile.ZipFile(BytesIO(content)) as book:
        xml = book.read("xl/worksheets/sheet1.xml").decode()
    assert _excel_text(content, "A1") == "<r>列</r>"
    assert "<b/>" in xml
