"""The one Excel writer every export goes through.

- Text is written as text, never as a live formula: a value starting with = + - @ or a tab/CR
  (OWASP's formula-injection list) is a string cell with Excel's quote prefix, so opening the
  file runs nothing (a demand described as =HYPERLINK(...) stays those characters).
- Any stored character survives: characters a workbook cannot hold (control characters other
  than tab/newline, U+FFFE and U+FFFF) are dropped from the cell, a carriage return becomes
  the line feed a cell breaks lines with, and a cell never exceeds Excel's 32,767 UTF-16 units.
- Rows are streamed: querysets read 500 rows at a time with ``values_list`` where every
  column is plain data (no model object per row), else with ``iterator()``; labels and choice
  names translated once per column. The sheet is written by XlsxWriter in its constant-memory
  mode (each row goes to a temporary file as the next begins; strings inline, no shared-string
  table), so memory stays flat in the number of rows (tests/perf/test_export.py) but for the
  finished, compressed file. XlsxWriter rather than openpyxl's write-only mode because it
  writes a sheet in 0.63–0.71 of the time (bench/README.md, "Session 9"); openpyxl still reads
  imported workbooks and builds the small formatted reports cell by cell
  (apps.projects.ledger_excel, apps.investment.layouts).

Columns are apps.core.lists.Col (label, raw(row), width, export); ``Column`` is the same spec
for exports that are not lists (the monthly report layout).
"""

import math
import re
from collections.abc import Iterable, Iterator
from datetime import date, datetime
from decimal import Decimal
from io import BytesIO
from typing import Any
from urllib.parse import quote

import xlsxwriter
from django.db.models import QuerySet
from django.http import HttpResponse
from django.utils import timezone
from django.utils.encoding import force_str

from apps.core.lists import Col, values_plan

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# What a workbook cannot hold: C0 controls but tab, LF, CR (openpyxl's ILLEGAL_CHARACTERS_RE),
# and the two non-characters XML refuses.
_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
# Where Excel's escape _xHHHH_ would begin: a rich-text run is cut there (write_text).
_ESCAPE_START = re.compile(r"(?<=_)(?=x[0-9A-Fa-f]{4}_)")
_FORMULA_LEAD = ("=", "+", "-", "@", "\t", "\r", "\n")
MAX_CELL = 32767
_SHEET_NAME_ILLEGAL = re.compile(r"[\[\]:*?/\\]")
# Rows read from the database at a time.
CHUNK = 500

# A column of an export that is not a list page: the same spec as a list's column.
Column = Col


def safe_text(value: str) -> str:
    value = _ILLEGAL.sub("", value)
    return value[:MAX_CELL]


def sheet_value(value: Any):
    """The value as the workbook holds it: numbers, booleans and days as they are, a moment in
    local time without its zone (a workbook has none), anything else as cleaned text."""
    if value is None or isinstance(value, bool | int):
        return value
    if isinstance(value, float | Decimal):
        # A number that is not one (NaN, infinity: PostgreSQL's numeric holds them) is shown as
        # the text it is; a workbook has no such number, and an error cell would be a formula.
        finite = value.is_finite() if isinstance(value, Decimal) else math.isfinite(value)
        return value if finite else str(value)
    if isinstance(value, datetime):
        if timezone.is_aware(value):
            value = timezone.localtime(value).replace(tzinfo=None)
        return value
    if isinstance(value, date):
        return value
    # Exactly a str: a SafeString, a choice (a str subclass) would otherwise not be text below.
    text = value if type(value) is str else str.__str__(force_str(value))
    if _ILLEGAL.search(text):
        text = _ILLEGAL.sub("", text)
    if "\r" in text:
        # A line break in a cell is a line feed (a form's CR LF, or a lone CR, would otherwise
        # be kept as the escape _x000D_, which readers other than Excel show as it is).
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    if len(text) > MAX_CELL // 2:
        text = _cut(text, MAX_CELL)
    return text


def _cut(text: str, limit: int) -> str:
    """The text cut to `limit` UTF-16 code units, as Excel counts (a character beyond the
    Basic Multilingual Plane, such as an emoji or a rare CJK character, counts two); a pair
    split by the cut is dropped whole."""
    encoded = text.encode("utf-16-le", "surrogatepass")
    if len(encoded) <= 2 * limit:
        return text
    return encoded[: 2 * limit].decode("utf-16-le", "ignore")


def row_values(columns: list[Col], rows: Iterable[Any]) -> Iterator[list]:
    """The export's rows as lists of raw values, in column order.

    A queryset is read without model objects when every column is plain data or declares its
    ``source`` (apps.core.lists.values_plan); otherwise its objects are read 500 at a time.
    Either way the rows are streamed, never all held at once."""
    if isinstance(rows, QuerySet):
        plan = values_plan(rows, columns)
        if plan is not None:
            return plan.rows(rows)
        rows = rows.iterator(chunk_size=CHUNK)
    getters = [column.raw for column in columns]
    return ([get(row) for get in getters] for row in rows)


def _sheet_name(title) -> str:
    # What a sheet's name cannot hold (Excel's rule, which XlsxWriter enforces): 31 UTF-16
    # units at most, none of []:*?/\, no apostrophe first or last.
    name = _SHEET_NAME_ILLEGAL.sub("", safe_text(force_str(title)))
    return _cut(name.strip("'"), 31).strip("'") or "Sheet"


def write_workbook(
    *, sheet_title: str, columns: list[Col], rows: Iterable[Any], stream=None
) -> BytesIO:
    columns = [column for column in columns if column.export]
    stream = stream if stream is not None else BytesIO()
    book = xlsxwriter.Workbook(
        stream,
        {
            "constant_memory": True,
            # Text is only ever written as text (write_string); say so for every other path.
            "strings_to_formulas": False,
            "strings_to_numbers": False,
            "strings_to_urls": False,
        },
    )
    sheet = book.add_worksheet(_sheet_name(sheet_title))
    bold = book.add_format({"bold": True})
    # Always a string cell, with Excel's quote prefix, where the text would read as a formula.
    quoted = book.add_format({"quote_prefix": True})
    day = book.add_format({"num_format": "yyyy-mm-dd"})
    moment = book.add_format({"num_format": "yyyy-mm-dd hh:mm:ss"})
    plain = book.add_format()
    write_string, write_number = sheet.write_string, sheet.write_number
    write_datetime, write_boolean = sheet.write_datetime, sheet.write_boolean

    def write_text(row: int, column: int, text: str, cell_format=None) -> None:
        if text.startswith("<r>") and text.endswith("</r>"):
            # In constant-memory mode XlsxWriter writes such a string into the sheet's XML
            # unescaped, taking it for rich text it made itself: typed text could add cells or
            # break the file. Written as runs instead, each escaped; it reads back the same.
            # XlsxWriter escapes a literal _xHHHH_ once more over the whole run XML, so no run
            # holds one whole (split after its underscore).
            runs = [text[:1], cell_format or plain, *_ESCAPE_START.split(text[1:])]
            sheet.write_rich_string(row, column, *runs, *([cell_format] if cell_format else []))
        else:
            write_string(row, column, text, cell_format)

    for index, column in enumerate(columns):
        sheet.set_column(index, index, column.width)
        # Each label translated once, not per row.
        write_text(0, index, sheet_value(column.label), bold)
    for row, values in enumerate(row_values(columns, rows), start=1):
        for column, value in enumerate(values):
            value = sheet_value(value)
            if value is None:
                continue
            if type(value) is str:
                if value:
                    write_text(
                        row, column, value, quoted if value.startswith(_FORMULA_LEAD) else None
                    )
            elif isinstance(value, bool):
                write_boolean(row, column, value)
            elif isinstance(value, datetime):
                write_datetime(row, column, value, moment)
            elif isinstance(value, date):
                write_datetime(row, column, value, day)
            else:
                write_number(row, column, value)
    book.close()
    stream.seek(0)
    return stream


def build_workbook(*, sheet_title: str, columns: list[Col], rows: Iterable[Any]) -> bytes:
    return write_workbook(sheet_title=sheet_title, columns=columns, rows=rows).getvalue()


def attachment(response: HttpResponse, filename: str) -> HttpResponse:
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    name = f"{force_str(filename)}-{stamp}.xlsx"
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(name)}"
    return response


def xlsx_response(
    *, filename: str, sheet_title: str, columns: list[Col], rows: Iterable[Any]
) -> HttpResponse:
    # The finished file (compressed: tens of bytes a row) is all that is held in memory.
    response = HttpResponse(
        build_workbook(sheet_title=sheet_title, columns=columns, rows=rows),
        content_type=XLSX_CONTENT_TYPE,
    )
    return attachment(response, filename)
