"""The customary 招商 report layouts: the project ledger (招商项目台账) and the monthly bulletin
(招商通报), as Excel with a title row, merged two-row headers and a 合计 row, and the same
tables for the print pages.

A layout is a title, a list of `Group`s (a header over one or more `Col`s; a group of one
column spans both header rows) and rows. Cells go through apps.core.excel's rules: text is
text, never a live formula, and characters a workbook cannot hold are dropped.
"""

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from io import BytesIO
from typing import Any

from django.http import HttpResponse
from django.utils import timezone
from django.utils.encoding import force_str
from django.utils.functional import Promise
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter

from apps.core import excel
from apps.core.lists import Col, cell_html, format_value

THIN = Side(style="thin", color="999999")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
CENTRE = Alignment(horizontal="center", vertical="center", wrap_text=True)


@dataclass(frozen=True)
class Group:
    label: Any
    cols: list[Col] = field(default_factory=list)


@dataclass
class Table:
    """One table of a layout: grouped columns, rows, and which columns the 合计 row sums."""

    groups: list[Group]
    rows: list[Any]
    sums: tuple[str, ...] = ()
    total_label: Any = "合计"
    subtitle: Any = ""

    @property
    def cols(self) -> list[Col]:
        return [col for group in self.groups for col in group.cols]

    def header_rows(self):
        """For a template: the first row (label, colspan, rowspan) and the second (label)."""
        first = [
            (group.label, len(group.cols), 1 if len(group.cols) > 1 else 2) for group in self.groups
        ]
        second = [col.label for group in self.groups if len(group.cols) > 1 for col in group.cols]
        return first, second

    def body(self):
        """The rows as displayed text, cell by cell."""
        return [[format_value(col.raw(row), col.fmt) for col in self.cols] for row in self.rows]

    def body_html(self) -> str:
        """The print page's <tbody> rows, written here rather than cell by cell through the
        template engine (a 2,000-lead ledger spent a second there); each cell is rendered as
        ``{{ cell }}`` would (tests/investment/test_layouts.py compares the two)."""
        cols = self.cols
        if not self.rows:
            return format_html(
                '<tr><td colspan="{}" class="text-muted">{}</td></tr>', len(cols), _("无")
            )
        lines = []
        for row in self.rows:
            cells = "".join(
                f"<td>{cell_html(format_value(col.raw(row), col.fmt))}</td>" for col in cols
            )
            lines.append(f"<tr>{cells}</tr>")
        return mark_safe("".join(lines))  # noqa: S308 - every cell escaped by cell_html

    def totals(self) -> list[Any] | None:
        if not self.sums or not self.rows:
            return None
        values = []
        for index, col in enumerate(self.cols):
            if index == 0:
                values.append(self.total_label)
            elif force_str(col.label) in self.sums:
                values.append(sum((col.raw(row) or Decimal(0) for row in self.rows), Decimal(0)))
            else:
                values.append(None)
        return values

    def totals_shown(self):
        totals = self.totals()
        if totals is None:
            return None
        return [
            format_value(value, col.fmt) if index else value
            for index, (value, col) in enumerate(zip(totals, self.cols, strict=True))
        ]


def _put(sheet, row: int, column: int, value: Any, *, bold=False, centre=False):
    """One cell, written by apps.core.excel's rules (text stays text)."""
    if isinstance(value, Promise):
        value = force_str(value)
    cell = sheet.cell(row=row, column=column)
    if value is None or isinstance(value, bool | int | float | Decimal):
        cell.value = value
    elif isinstance(value, datetime):
        if timezone.is_aware(value):
            value = timezone.localtime(value).replace(tzinfo=None)
        cell.value = value
        cell.number_format = "yyyy-mm-dd hh:mm"
    elif isinstance(value, date):
        cell.value = value
        cell.number_format = "yyyy-mm-dd"
    else:
        text = excel.safe_text(force_str(value))
        cell.value = text
        cell.data_type = "s"
        if text.startswith(excel._FORMULA_LEAD):
            cell.quotePrefix = True
    cell.border = BOX
    if bold:
        cell.font = Font(bold=True)
    if centre:
        cell.alignment = CENTRE
    return cell


def write_table(sheet, table: Table, top: int) -> int:
    """Write a table from row `top`; return the next free row."""
    row = top
    if table.subtitle:
        _put(sheet, row, 1, table.subtitle, bold=True)
        sheet.cell(row=row, column=1).border = Border()
        row += 1
    column = 1
    for group in table.groups:
        span = len(group.cols)
        _put(sheet, row, column, group.label, bold=True, centre=True)
        if span > 1:
            sheet.merge_cells(
                start_row=row, start_column=column, end_row=row, end_column=column + span - 1
            )
            for offset, col in enumerate(group.cols):
                _put(sheet, row + 1, column + offset, col.label, bold=True, centre=True)
        else:
            _put(sheet, row + 1, column, None)
            sheet.merge_cells(
                start_row=row, start_column=column, end_row=row + 1, end_column=column
            )
        column += span
    row += 2
    for item in table.rows:
        for index, col in enumerate(table.cols, start=1):
            _put(sheet, row, index, col.raw(item))
        row += 1
    totals = table.totals()
    if totals is not None:
        for index, value in enumerate(totals, start=1):
            _put(sheet, row, index, value, bold=True)
        row += 1
    return row + 1


def workbook(*, title: str, tables: Iterable[Table], note: str = "") -> bytes:
    """A one-sheet workbook: a merged title row, then each table."""
    tables = list(tables)
    book = Workbook()
    sheet = book.active
    sheet.title = excel.safe_text(force_str(title))[:31] or "Sheet"
    width = max((len(table.cols) for table in tables), default=1)
    _put(sheet, 1, 1, title, bold=True, centre=True)
    sheet.cell(row=1, column=1).font = Font(bold=True, size=14)
    if width > 1:
        sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=width)
    row = 2
    if note:
        _put(sheet, row, 1, note)
        row += 1
    for table in tables:
        row = write_table(sheet, table, row)
    for index in range(1, width + 1):
        widths = [table.cols[index - 1].width for table in tables if len(table.cols) >= index]
        sheet.column_dimensions[get_column_letter(index)].width = max(widths, default=12)
    stream = BytesIO()
    book.save(stream)
    return stream.getvalue()


def response(*, filename: str, title: str, tables: Iterable[Table], note: str = ""):
    content = workbook(title=title, tables=tables, note=note)
    return excel.attachment(
        HttpResponse(content, content_type=excel.XLSX_CONTENT_TYPE), force_str(filename)
    )
