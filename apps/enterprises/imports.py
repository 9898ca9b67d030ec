"""The monthly report workbook (统计月报): one sheet, a header row, one row per enterprise.

The same layout is written by the export, so an exported month imports back unchanged.
Parsing checks every row and reports every problem by row and column; nothing is written here
(services.monthly_statistics_import writes a file only when it has no bad row).
"""

from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from io import BytesIO
from zipfile import BadZipFile
from zlib import error as ZlibError

from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext as _
from openpyxl import load_workbook
from openpyxl.utils.exceptions import InvalidFileException

from apps.core.excel import Column
from apps.core.jobs import JobHandler
from apps.core.validators import normalize_credit_code, normalize_name
from apps.enterprises.models import Enterprise, MonthlyStatistic

FOUR = Decimal("0.0001")
MAX_ROWS = 20000
# Beyond any real headcount or year, and within the database's integer column.
MAX_INTEGER = 10_000_000

# (key, header) — the header text is what the import looks for, in any column order. These
# headers are the file format shared with the statistics bureau, so they are not translated.
LAYOUT = [
    ("credit_code", "统一社会信用代码"),
    ("name", "企业名称"),
    ("year", "年度"),
    ("month", "月份"),
    ("output_value", "工业总产值（万元）"),
    ("revenue", "营业收入（万元）"),
    ("tax", "税收（万元）"),
    ("employees", "从业人员"),
]
HEADERS = dict(LAYOUT)
REQUIRED = ["year", "month", "output_value", "revenue"]

EXPORT_COLUMNS = [
    Column(HEADERS["credit_code"], "enterprise.credit_code", width=22),
    Column(HEADERS["name"], "enterprise.name", width=36),
    Column(HEADERS["year"], "year", width=8),
    Column(HEADERS["month"], "month", width=8),
    Column(HEADERS["output_value"], "output_value", width=18),
    Column(HEADERS["revenue"], "revenue", width=18),
    Column(HEADERS["tax"], "tax", width=14),
    Column(HEADERS["employees"], "employees", width=10),
]


class ReportFileError(Exception):
    """The file as a whole cannot be read (not an .xlsx, no header, a column missing)."""


# What openpyxl raises on a damaged file: XML cut short or malformed (SyntaxError is the base of
# both ElementTree's and lxml's parse errors), a cell whose value does not fit its type ("abc" in
# a numeric cell, month 13 in a date cell), a shared string that does not exist, a broken zip.
UNREADABLE = (
    InvalidFileException,
    BadZipFile,
    ZlibError,
    EOFError,
    OSError,
    SyntaxError,
    KeyError,
    IndexError,
    ValueError,
    TypeError,
    OverflowError,
)


def _sheet_rows(sheet):
    """The sheet's rows as values; a damaged row stops the whole file with its row number."""
    rows = sheet.iter_rows(values_only=True)
    number = 0
    while True:
        try:
            values = next(rows)
        except StopIteration:
            return
        except UNREADABLE as error:
            raise ReportFileError(
                _(
                    "第 %(row)d 行附近的内容已损坏，无法读取。"
                    "请在 Excel 中打开、另存为 .xlsx 后再上传"
                )
                % {"row": number + 1}
            ) from error
        number += 1
        yield values


@dataclass
class ReportRow:
    number: int  # the spreadsheet's row number, as the user sees it
    credit_code: str = ""
    name: str = ""
    year: int | None = None
    month: int | None = None
    output_value: Decimal | None = None
    revenue: Decimal | None = None
    tax: Decimal = Decimal(0)
    employees: int | None = None
    enterprise: Enterprise | None = None
    exists: bool = False
    errors: list[tuple[str, str]] = field(default_factory=list)

    @property
    def action(self) -> str:
        if self.errors:
            return _("错误")
        return _("更新") if self.exists else _("新增")

    def error(self, key: str, message: str) -> None:
        self.errors.append((HEADERS.get(key, key), message))


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _amount(row: ReportRow, key: str, value, *, required: bool) -> Decimal | None:
    if value is None or _text(value) == "":
        if required:
            row.error(key, _("不能为空"))
        return None if required else Decimal(0)
    try:
        # Through str(): a float cell's shortest representation is the number that was typed.
        amount = Decimal(_text(value).replace(",", ""))
    except InvalidOperation:
        row.error(key, _("“%(value)s”不是数字") % {"value": _text(value)})
        return None
    if not amount.is_finite():
        row.error(key, _("“%(value)s”不是数字") % {"value": _text(value)})
        return None
    if amount < 0:
        row.error(key, _("不能为负数"))
        return None
    if amount >= Decimal("1e10"):
        row.error(key, _("数值过大"))
        return None
    return amount.quantize(FOUR)


def _integer(row: ReportRow, key: str, value, *, required: bool) -> int | None:
    text = _text(value)
    if text == "":
        if required:
            row.error(key, _("不能为空"))
        return None
    try:
        number = Decimal(text)
    except InvalidOperation:
        row.error(key, _("“%(value)s”不是整数") % {"value": text})
        return None
    if not number.is_finite() or number != number.to_integral_value() or number < 0:
        row.error(key, _("“%(value)s”不是非负整数") % {"value": text})
        return None
    if number > MAX_INTEGER:
        row.error(key, _("数值过大"))
        return None
    return int(number)


def parse_monthly_report(content: bytes, *, year: int, month: int) -> list[ReportRow]:
    """Read and check a workbook for the chosen month. Raises ReportFileError for a file that
    cannot be read at all; otherwise returns every row with its outcome or errors."""
    try:
        workbook = load_workbook(BytesIO(content), read_only=True, data_only=True)
        sheets = workbook.worksheets
    except UNREADABLE as error:
        raise ReportFileError(_("无法读取文件，请上传 .xlsx 格式的 Excel 文件")) from error
    if len(sheets) != 1:
        raise ReportFileError(_("文件应只有一个工作表，当前有 %(n)d 个") % {"n": len(sheets)})
    rows = _sheet_rows(sheets[0])
    header = next(rows, None)
    if not header:
        raise ReportFileError(_("文件为空，第 1 行应为表头"))
    positions = {_text(title): index for index, title in enumerate(header) if _text(title)}
    missing = [HEADERS[key] for key in REQUIRED if HEADERS[key] not in positions]
    if HEADERS["credit_code"] not in positions and HEADERS["name"] not in positions:
        missing.insert(0, f"{HEADERS['credit_code']}/{HEADERS['name']}")
    if missing:
        raise ReportFileError(_("表头缺少列：%(columns)s") % {"columns": "、".join(missing)})

    parsed: list[ReportRow] = []
    for number, values in enumerate(rows, start=2):
        if len(parsed) >= MAX_ROWS:
            raise ReportFileError(_("文件行数超过 %(n)d 行") % {"n": MAX_ROWS})

        def cell(key, values=values):
            index = positions.get(HEADERS[key])
            return values[index] if index is not None and index < len(values) else None

        if all(_text(value) == "" for value in values):
            continue
        row = ReportRow(number=number)
        row.credit_code = normalize_credit_code(_text(cell("credit_code")))
        row.name = normalize_name(_text(cell("name")))
        row.year = _integer(row, "year", cell("year"), required=True)
        row.month = _integer(row, "month", cell("month"), required=True)
        if (
            row.year is not None
            and row.month is not None
            and (row.year, row.month)
            != (
                year,
                month,
            )
        ):
            row.error(
                "month",
                _("%(y)d年%(m)d月与所选的 %(sy)d年%(sm)d月 不符")
                % {"y": row.year, "m": row.month, "sy": year, "sm": month},
            )
        row.output_value = _amount(row, "output_value", cell("output_value"), required=True)
        row.revenue = _amount(row, "revenue", cell("revenue"), required=True)
        row.tax = _amount(row, "tax", cell("tax"), required=False)
        row.employees = _integer(row, "employees", cell("employees"), required=False)
        if not row.credit_code and not row.name:
            row.error("credit_code", _("须填写统一社会信用代码或企业名称"))
        parsed.append(row)
    if not parsed:
        raise ReportFileError(_("文件中没有数据行"))
    _match_enterprises(parsed, year=year, month=month)
    return parsed


def _match_enterprises(rows: list[ReportRow], *, year: int, month: int) -> None:
    """By credit code, else by normalised name, as stored (2 queries for the whole file)."""
    codes = {row.credit_code for row in rows if row.credit_code}
    names = {row.name for row in rows if row.name}
    candidates = Enterprise.objects.filter(Q(credit_code__in=codes) | Q(name__in=names)).only(
        "id", "name", "credit_code"
    )
    by_code = {enterprise.credit_code: enterprise for enterprise in candidates}
    by_name = {enterprise.name: enterprise for enterprise in by_code.values()}
    reported = set(
        MonthlyStatistic.objects.filter(
            year=year, month=month, enterprise__in=list(by_code.values())
        ).values_list("enterprise_id", flat=True)
    )
    seen: dict[int, int] = {}
    for row in rows:
        enterprise = by_code.get(row.credit_code) if row.credit_code else None
        if enterprise is None and row.credit_code and not row.name:
            row.error(
                "credit_code", _("找不到信用代码为 %(code)s 的企业") % {"code": row.credit_code}
            )
            continue
        enterprise = enterprise or by_name.get(row.name)
        if enterprise is None:
            row.error(
                "name" if row.name else "credit_code",
                _("找不到企业“%(name)s”（信用代码与名称均未匹配）")
                % {"name": row.name or row.credit_code},
            )
            continue
        row.enterprise = enterprise
        if enterprise.pk in seen:
            row.error(
                "credit_code",
                _("与第 %(row)d 行是同一企业，重复") % {"row": seen[enterprise.pk]},
            )
            continue
        seen[enterprise.pk] = row.number
        row.exists = enterprise.pk in reported


def rows_for_session(rows: list[ReportRow]) -> list[list]:
    """A checked file's rows, compact and JSON-safe, to confirm in a second request."""
    return [
        [
            row.number,
            row.enterprise.pk,
            str(row.output_value),
            str(row.revenue),
            str(row.tax),
            row.employees,
        ]
        for row in rows
    ]


def rows_from_session(data: list[list], *, year: int, month: int) -> list[ReportRow]:
    enterprises = Enterprise.objects.in_bulk([item[1] for item in data])
    rows = []
    for number, enterprise_id, output, revenue, tax, employees in data:
        row = ReportRow(
            number=number,
            year=year,
            month=month,
            output_value=Decimal(output),
            revenue=Decimal(revenue),
            tax=Decimal(tax),
            employees=employees,
            enterprise=enterprises.get(enterprise_id),
        )
        if row.enterprise is None:
            row.error("name", _("企业已不存在"))
        rows.append(row)
    return rows


def export_rows(*, year: int, month: int):
    return (
        MonthlyStatistic.objects.filter(year=year, month=month)
        .select_related("enterprise")
        .order_by("enterprise__name")
    )


class MonthlyImportJob(JobHandler):
    """The import's confirmation as a background job (apps/core/jobs.py): the checked rows
    (params: year, month, rows as rows_for_session wrote them) go through the same service as
    before, all or none. Running it again updates the same rows to the same values."""

    @classmethod
    def allowed(cls, job, user) -> bool:
        from apps.enterprises.permissions import can_import_statistics

        return can_import_statistics(user)

    @classmethod
    def run(cls, job, progress) -> None:
        from apps.enterprises import services

        year, month, data = job.params["year"], job.params["month"], job.params["rows"]
        progress(0, len(data))
        result = services.monthly_statistics_import(
            rows=rows_from_session(data, year=year, month=month),
            year=year,
            month=month,
            by=job.user,
        )
        progress(len(data), len(data))
        job.message = _(
            "已导入 %(year)d年%(month)d月 月报：新增 %(created)d 行，更新 %(updated)d 行"
        ) % {"year": year, "month": month, "created": result.created, "updated": result.updated}
        job.result_url = f"{reverse('enterprises:statistics')}?year={year}&month={month}"
