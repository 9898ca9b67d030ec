"""The one Excel writer every export goes through.

- Text is written as text, never as a live formula: a value starting with = + - @ or a tab/CR
  (OWASP's formula-injection list) is a string cell with Excel's quote prefix, so opening the
  file runs nothing (a demand described as =HYPERLINK(...) stays those characters).
- Any stored character survives: characters a workbook cannot hold (control characters other
  than tab/newline) are dropped from the cell, and a cell never exceeds Excel's 32,767.
- Rows are streamed (openpyxl's write-only mode, querysets read 500 rows at a time with
  ``values_list`` where every column is plain data — no model object per row — else with
  ``iterator()``), labels and choice names translated once per column; openpyxl keeps the
  sheet in a temporary file until it zips it: memory stays flat in the number of rows
  (tests/perf/test_export.py), but for the finished, compressed file.

Columns are apps.core.lists.Col (label, raw(row), width, export); ``Column`` is the same spec
for exports that are not lists (the monthly report layout).
"""

import re
from collections.abc import Iterable, Iterator
from datetime import date, datetime
from decimal import Decimal
from io import BytesIO
from typing import Any
from urllib.parse import quote

from django.db.models import QuerySet
from django.http import HttpResponse
from django.utils import timezone
from django.utils.encoding import force_str
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import Cell
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from apps.core.lists import Col, values_plan

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# What a workbook cannot hold (openpyxl's ILLEGAL_CHARACTERS_RE): C0 controls but tab, LF, CR.
_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
_FORMULA_LEAD = ("=", "+", "-", "@", "\t", "\r", "\n")
MAX_CELL = 32767
# Rows read from the database at a time.
CHUNK = 500

# A column of an export that is not a list page: the same spec as a list's column.
Column = Col


def safe_text(value: str) -> str:
    value = _ILLEGAL.sub("", value)
    return value[:MAX_CELL]


def _cell(sheet, value: Any) -> Cell:
    """The cell a value becomes (what the export writes, as a cell object)."""
    written = _sheet_value(sheet, value)
    if isinstance(written, Cell):
        return written
    return WriteOnlyCell(sheet, value=written)


def _sheet_value(sheet, value: Any):
    """The value as the sheet takes it: plain values as they are (openpyxl's fast path), a
    WriteOnlyCell only where the text would otherwise be read as a formula."""
    if value is None or isinstance(value, bool | int | float | Decimal):
        return value
    if isinstance(value, datetime):
        if timezone.is_aware(value):
            value = timezone.localtime(value).replace(tzinfo=None)
        return value
    if isinstance(value, date):
        return value
    text = value if type(value) is str else force_str(value)
    if _ILLEGAL.search(text):
        text = _ILLEGAL.sub("", text)
    if len(text) > MAX_CELL:
        text = text[:MAX_CELL]
    if not text.startswith(_FORMULA_LEAD):
        return text
    cell = WriteOnlyCell(sheet, value=None)
    cell.value = text
    # Always a string cell, with Excel's quote prefix: openpyxl would make "=..." a formula.
    cell.data_type = "s"
    cell.quotePrefix = True
    return cell


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


def write_workbook(
    *, sheet_title: str, columns: list[Col], rows: Iterable[Any], stream=None
) -> BytesIO:
    columns = [column for column in columns if column.export]
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=safe_text(force_str(sheet_title))[:31] or "Sheet")
    for index, column in enumerate(columns, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = column.width
    header = []
    for column in columns:
        # Each label translated once, not per row.
        cell = WriteOnlyCell(sheet, value=safe_text(force_str(column.label)))
        cell.data_type = "s"
        cell.font = Font(bold=True)
        header.append(cell)
    sheet.append(header)
    append = sheet.append
    for values in row_values(columns, rows):
        append([_sheet_value(sheet, value) for value in values])
    stream = stream if stream is not None else BytesIO()
    workbook.save(stream)
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
