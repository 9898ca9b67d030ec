"""The Excel 台账 in the customary layout: a title with the month, merged two-row headers,
amounts in 万元, a 合计 row at the top and a subtotal per park, the colour as a cell fill,
the header frozen, A3 landscape. Text goes through apps.core.excel's rules (never a formula,
no character a workbook cannot hold)."""

from collections import defaultdict
from decimal import Decimal
from io import BytesIO

from django.http import HttpResponse
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, NamedStyle, PatternFill, Side
from openpyxl.utils import get_column_letter

from apps.core.excel import XLSX_CONTENT_TYPE, attachment, safe_text
from apps.core.figures import Period
from apps.projects import rag, selectors

FILLS = {
    rag.GREEN: PatternFill("solid", fgColor="C6EFCE"),
    rag.AMBER: PatternFill("solid", fgColor="FFEB9C"),
    rag.RED: PatternFill("solid", fgColor="FFC7CE"),
}
TOTAL_FILL = PatternFill("solid", fgColor="DDEBF7")
THIN = Side(style="thin", color="999999")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
_FORMULA_LEAD = ("=", "+", "-", "@", "\t", "\r", "\n")
AMOUNT_FORMAT = "#,##0.00"

# (group header or None, header, width, value(row) or None for the running number, amount?)
AMOUNT_KEYS = ("total", "before", "plan", "ytd", "month", "since")


def _columns(period: Period):
    return [
        (None, _("序号"), 6, "index"),
        (None, _("项目名称"), 28, "name"),
        (None, _("建设单位"), 24, "enterprise"),
        (None, _("性质"), 7, "nature"),
        (None, _("建设内容及规模"), 36, "content"),
        (None, _("建设年限"), 11, "years"),
        (_("投资完成情况（万元）"), _("总投资"), 11, "total"),
        (_("投资完成情况（万元）"), _("开工至上年底累计"), 12, "before"),
        (_("投资完成情况（万元）"), _("%(year)d年计划") % {"year": period.year}, 11, "plan"),
        (_("投资完成情况（万元）"), _("1–%(n)d月完成") % {"n": period.month}, 11, "ytd"),
        (_("投资完成情况（万元）"), _("占年计划%"), 9, "share"),
        (_("投资完成情况（万元）"), _("本月完成"), 10, "month"),
        (_("投资完成情况（万元）"), _("开工至今累计"), 12, "since"),
        (None, _("形象进度"), 36, "progress"),
        (None, _("存在问题"), 28, "problems"),
        (None, _("包联领导"), 9, "leader"),
        (None, _("责任单位"), 11, "department"),
        (None, _("联络员"), 9, "liaison"),
        (None, _("灯"), 7, "colour"),
    ]


def _values(project, period: Period) -> dict:
    return {
        "name": project.name,
        "enterprise": project.enterprise.name,
        "nature": project.nature(period.year),
        "content": project.content,
        "years": f"{project.start_year}–{project.end_year}",
        "total": project.total_investment,
        "before": project.prior_investment + project.before_year,
        "plan": project.plan_planned,
        "ytd": project.ytd,
        "share": selectors.plan_share(project),
        "month": project.month_invested,
        "since": project.since_start,
        "progress": project.month_progress or "",
        "problems": project.month_problems or "",
        "leader": project.leader.get_full_name() if project.leader else "",
        "department": project.department.name,
        "liaison": project.liaison.get_full_name(),
        "colour": project.rag.label,
    }


def _styles(workbook) -> None:
    """The body's few looks as named styles, registered once: a cell then takes its style by
    name in one step (setting border, alignment, font and fill cell by cell made openpyxl hash
    a style per assignment, most of the export's time)."""
    centred = Alignment(horizontal="center", vertical="center", wrap_text=True)
    body = Alignment(vertical="center", wrap_text=True)
    looks = {
        "ledger-cell": {},
        "ledger-amount": {"number_format": AMOUNT_FORMAT},
        "ledger-total": {"font": Font(bold=True), "fill": TOTAL_FILL},
        "ledger-total-amount": {
            "font": Font(bold=True),
            "fill": TOTAL_FILL,
            "number_format": AMOUNT_FORMAT,
        },
        "ledger-header": {"font": Font(bold=True), "alignment": centred},
        **{
            f"ledger-{colour}": {"fill": fill, "alignment": centred}
            for colour, fill in FILLS.items()
        },
    }
    for name, look in looks.items():
        style = NamedStyle(name=name, border=BORDER, alignment=look.pop("alignment", body))
        for attribute, value in look.items():
            setattr(style, attribute, value)
        workbook.add_named_style(style)


def _put(sheet, row: int, column: int, value, style: str = "ledger-cell"):
    cell = sheet.cell(row=row, column=column)
    if isinstance(value, str):
        cell.value = safe_text(value)
        cell.data_type = "s"
        if value.startswith(_FORMULA_LEAD):
            cell.quotePrefix = True
    else:
        cell.value = value
    cell.style = style
    return cell


def _sums(projects) -> dict:
    sums = {key: Decimal(0) for key in AMOUNT_KEYS}
    for values in projects:
        for key in AMOUNT_KEYS:
            sums[key] += values[key] or 0
    sums["share"] = (
        (sums["ytd"] * 100 / sums["plan"]).quantize(Decimal("0.01")) if sums["plan"] else None
    )
    return sums


def build(projects, period: Period) -> bytes:
    columns = _columns(period)
    workbook = Workbook()
    _styles(workbook)
    sheet = workbook.active
    sheet.title = safe_text(_("项目台账"))
    last = get_column_letter(len(columns))
    title = _("开发区在建项目跟踪台账（%(year)d年%(month)d月）") % {
        "year": period.year,
        "month": period.month,
    }
    _put(sheet, 1, 1, title).font = Font(bold=True, size=16)
    sheet.merge_cells(f"A1:{last}1")
    sheet.cell(row=1, column=1).alignment = Alignment(horizontal="center")
    # Two header rows: a group over the investment columns, the others merged down.
    group_start = None
    for index, (group, header, width, _key) in enumerate(columns, start=1):
        letter = get_column_letter(index)
        sheet.column_dimensions[letter].width = width
        head = "ledger-header"
        if group is None:
            _put(sheet, 2, index, header, head)
            _put(sheet, 3, index, None, head)
            sheet.merge_cells(f"{letter}2:{letter}3")
        else:
            if group_start is None:
                group_start = index
                _put(sheet, 2, index, group, head)
            else:
                _put(sheet, 2, index, None, head)
            _put(sheet, 3, index, header, head)
    group_end = max(i for i, column in enumerate(columns, start=1) if column[0] is not None)
    sheet.merge_cells(f"{get_column_letter(group_start)}2:{get_column_letter(group_end)}2")

    rows = [(project, _values(project, period)) for project in projects]
    by_park = defaultdict(list)
    for project, values in rows:
        by_park[project.park.name].append((project, values))

    def write_total(at: int, label: str, sums: dict):
        for index, (_group, _header, _width, key) in enumerate(columns, start=1):
            value = label if key == "name" else sums.get(key)
            _put(
                sheet,
                at,
                index,
                value,
                "ledger-total-amount" if key in AMOUNT_KEYS else "ledger-total",
            )

    styles = [
        "ledger-amount" if key in AMOUNT_KEYS else "ledger-cell" for _g, _h, _w, key in columns
    ]
    at = 4
    write_total(at, _("合计（%(n)d个）") % {"n": len(rows)}, _sums(v for _p, v in rows))
    number = 0
    for park, members in by_park.items():
        at += 1
        write_total(
            at,
            _("%(park)s小计（%(n)d个）") % {"park": park, "n": len(members)},
            _sums(v for _p, v in members),
        )
        for project, values in members:
            at += 1
            number += 1
            values["index"] = number
            for index, style in enumerate(styles, start=1):
                key = columns[index - 1][3]
                if key == "colour":
                    style = f"ledger-{project.rag.colour}"
                _put(sheet, at, index, values.get(key), style)
    sheet.freeze_panes = "C4"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A3
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.print_title_rows = "2:3"
    stream = BytesIO()
    workbook.save(stream)
    return stream.getvalue()


def response(projects, period: Period) -> HttpResponse:
    content = build(projects, period)
    name = _("项目台账-%(month)s") % {"month": period.code}
    return attachment(HttpResponse(content, content_type=XLSX_CONTENT_TYPE), name)
