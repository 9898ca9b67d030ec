"""The one Excel writer every export goes through.

- Text is written as text, never as a live formula: a value starting with = + - @ or a tab/CR
  (OWASP's formula-injection list) is a string cell with Excel's quote prefix, so opening the
  file runs nothing (a demand described as =HYPERLINK(...) stays those characters).
- Any stored character survives: characters a workbook cannot hold (control characters other
  than tab/newline) are dropped from the cell, and a cell never exceeds Excel's 32,767.
- Rows are streamed (openpyxl's write-only mode, querysets read with ``iterator()``), so memory
  stays flat in the number of rows.

Columns are apps.core.lists.Col (label, raw(row), width, export); ``Column`` is the same spec
for exports that are not lists (the monthly report layout).
"""

import re
from collections.abc import Iterable
from datetime import date, datetime
from decimal import Decimal
from io import BytesIO
from typing import Any
from urllib.parse import quote

from django.db.models import QuerySet
from django.http import HttpResponse
from django.utils import timezone
from django.utils.encoding import force_str
from django.utils.functional import Promise
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from apps.core.lists import Col

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# What a workbook cannot hold (openpyxl's ILLEGAL_CHARACTERS_RE): C0 controls but tab, LF, CR.
_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
_FORMULA_LEAD = ("=", "+", "-", "@", "\t", "\r", "\n")
MAX_CELL = 32767

# A column of an export that is not a list page: the same spec as a list's column.
Column = Col


def safe_text(value: str) -> str:
    value = _ILLEGAL.sub("", value)
    return value[:MAX_CELL]


def _cell(sheet, value: Any):
    if isinstance(value, Promise):
        value = force_str(value)
    if isinstance(value, datetime):
        if timezone.is_aware(value):
            value = timezone.localtime(value).replace(tzinfo=None)
        return WriteOnlyCell(sheet, value=value)
    if value is None or isinstance(value, bool | int | float | Decimal | date):
        return WriteOnlyCell(sheet, value=value)
    text = safe_text(force_str(value))
    cell = WriteOnlyCell(sheet, value=None)
    cell.value = text
    # Always a string cell: openpyxl would make "=..." a formula.
    cell.data_type = "s"
    if text.startswith(_FORMULA_LEAD):
        cell.quotePrefix = True
    return cell


def _rows(rows: Iterable[Any]) -> Iterable[Any]:
    if isinstance(rows, QuerySet):
        return rows.iterator(chunk_size=2000)
    return rows


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
        cell = _cell(sheet, column.label)
        cell.font = Font(bold=True)
        header.append(cell)
    sheet.append(header)
    for row in _rows(rows):
        sheet.append([_cell(sheet, column.raw(row)) for column in columns])
    stream = stream or BytesIO()
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
    response = HttpResponse(
        build_workbook(sheet_title=sheet_title, columns=columns, rows=rows),
        content_type=XLSX_CONTENT_TYPE,
    )
    return attachment(response, filename)
