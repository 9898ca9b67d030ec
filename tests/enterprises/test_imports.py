import re
import zipfile
from decimal import Decimal
from io import BytesIO

import pytest
from openpyxl import Workbook, load_workbook

from apps.core.excel import build_workbook
from apps.enterprises import imports, services
from apps.enterprises.models import MonthlyStatistic
from tests.enterprises.factories import EnterpriseFactory, MonthlyStatisticFactory

pytestmark = pytest.mark.django_db

HEADER = [header for _key, header in imports.LAYOUT]


def workbook(*rows, header=HEADER, sheets=1) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.append(header)
    for row in rows:
        sheet.append(list(row))
    for index in range(1, sheets):
        book.create_sheet(f"Sheet{index}")
    buffer = BytesIO()
    book.save(buffer)
    return buffer.getvalue()


@pytest.fixture
def steel(db):
    return EnterpriseFactory(name="大善钢构有限公司")


@pytest.fixture
def mill(db):
    return EnterpriseFactory(name="大善面粉有限公司")


def run_import(content, by, year=2023, month=11):
    rows = imports.parse_monthly_report(content, year=year, month=month)
    return rows, services.monthly_statistics_import(rows=rows, year=year, month=month, by=by)


def test_a_good_file_is_imported_matching_by_code_or_by_name(steel, mill, user_of):
    economist = user_of("经济发展")
    content = workbook(
        (steel.credit_code.lower(), "", 2023, 11, 1200.5, 1100, 30.25, 120),
        ("", mill.name, 2023, 11, "800", "790.1234", None, None),
    )
    rows, result = run_import(content, economist)
    assert (result.created, result.updated) == (2, 0)
    row = MonthlyStatistic.objects.get(enterprise=steel)
    assert (row.output_value, row.revenue, row.tax, row.employees) == (
        Decimal("1200.5"),
        Decimal("1100"),
        Decimal("30.25"),
        120,
    )
    assert MonthlyStatistic.objects.get(enterprise=mill).tax == 0
    assert row.history.first().history_user == economist


def test_importing_the_same_month_again_updates_instead_of_duplicating(steel, user_of):
    MonthlyStatisticFactory(enterprise=steel, year=2023, month=11, output_value=1)
    rows, result = run_import(
        workbook((steel.credit_code, steel.name, 2023, 11, 5, 6, 0, 10)), user_of("经济发展")
    )
    assert rows[0].action == "更新"
    assert (result.created, result.updated) == (0, 1)
    assert MonthlyStatistic.objects.get(enterprise=steel).output_value == 5


@pytest.mark.parametrize(
    ("bad_row", "column", "message"),
    [
        (("91410000MA0000000X", "不存在的公司", 2023, 11, 1, 1, 0, 1), "企业名称", "找不到企业"),
        ((None, "{steel}", 2023, 11, -5, 1, 0, 1), "工业总产值（万元）", "不能为负数"),
        ((None, "{steel}", 2023, 11, 1, "一百", 0, 1), "营业收入（万元）", "不是数字"),
        ((None, "{steel}", 2023, 10, 1, 1, 0, 1), "月份", "不符"),
        ((None, "{steel}", 2023, 11, None, 1, 0, 1), "工业总产值（万元）", "不能为空"),
        ((None, "{steel}", 2023, 11, 1, 1, 0, 1.5), "从业人员", "不是非负整数"),
        ((None, "{mill}", 2023, 11, 1, 1, 0, 1), "统一社会信用代码", "重复"),
        ((None, "{steel}", 2023, 11, 1, 1, 0, 10**12), "从业人员", "数值过大"),
        ((None, "{steel}", 2023, 11, 1, "NaN", 0, 1), "营业收入（万元）", "不是数字"),
    ],
)
def test_one_bad_row_rejects_the_whole_file_with_its_row_and_column(
    steel, mill, bad_row, column, message
):
    good = (mill.credit_code, mill.name, 2023, 11, 10, 10, 1, 5)
    bad = tuple(
        value.format(steel=steel.name, mill=mill.name) if isinstance(value, str) else value
        for value in bad_row
    )
    rows = imports.parse_monthly_report(workbook(good, bad), year=2023, month=11)
    errors = [(row.number, column_, text) for row in rows for column_, text in row.errors]
    assert len(errors) == 1
    number, got_column, text = errors[0]
    assert (number, got_column) == (3, column)
    assert message in text
    with pytest.raises(Exception, match="整个文件未导入"):
        services.monthly_statistics_import(rows=rows, year=2023, month=11, by=None)
    assert MonthlyStatistic.objects.count() == 0


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"not a workbook", "无法读取文件"),
        (workbook(header=["企业名称", "年度"]), "表头缺少列"),
        (workbook(), "没有数据行"),
        (workbook(("x", "y", 2023, 11, 1, 1, 0, 1), sheets=2), "只有一个工作表"),
    ],
)
def test_a_file_that_cannot_be_read_is_refused_as_a_whole(db, content, message):
    with pytest.raises(imports.ReportFileError, match=message):
        imports.parse_monthly_report(content, year=2023, month=11)


def test_an_exported_month_imports_back_unchanged(steel, mill, user_of):
    MonthlyStatisticFactory(
        enterprise=steel,
        year=2023,
        month=11,
        output_value=Decimal("123456.7891"),
        revenue=Decimal("0.0001"),
        tax=Decimal("9.5"),
        employees=None,
    )
    MonthlyStatisticFactory(enterprise=mill, year=2023, month=11, output_value=Decimal("42"))
    before = list(
        MonthlyStatistic.objects.order_by("enterprise_id").values_list(
            "enterprise_id", "output_value", "revenue", "tax", "employees"
        )
    )
    content = build_workbook(
        sheet_title="2023年11月",
        columns=imports.EXPORT_COLUMNS,
        rows=imports.export_rows(year=2023, month=11),
    )
    assert [cell.value for cell in next(load_workbook(BytesIO(content)).active.rows)] == HEADER

    rows, result = run_import(content, user_of("经济发展"))

    assert (result.created, result.updated) == (0, 2)
    after = list(
        MonthlyStatistic.objects.order_by("enterprise_id").values_list(
            "enterprise_id", "output_value", "revenue", "tax", "employees"
        )
    )
    assert after == before


def test_a_name_with_invisible_characters_matches_the_enterprise(steel, user_of):
    content = workbook(("", "大善钢构\u200b有限公司\u202c", 2023, 11, 100, 100, None, None))
    rows, result = run_import(content, user_of("经济发展"))
    assert [row.errors for row in rows] == [[]]
    assert rows[0].enterprise == steel


# --- malformed workbooks: each a clear Chinese refusal, nothing written ------------------------


def _patched(good: bytes, part: str, change) -> bytes:
    """The workbook with one of its XML parts rewritten by change(text) -> text."""
    source = zipfile.ZipFile(BytesIO(good))
    buffer = BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
        for name in source.namelist():
            data = source.read(name)
            if name == part:
                data = change(data.decode()).encode()
            target.writestr(name, data)
    return buffer.getvalue()


def _good_file(code: str) -> bytes:
    return workbook((code, "", 2023, 11, 1200.5, 1100, 30.25, 120))


SHEET = "xl/worksheets/sheet1.xml"


def _cell_replaced(value_xml: str):
    """Replace the output value cell (E2, 1200.5) with the given cell XML."""
    return lambda text: re.sub(r'<c r="E2"[^>]*>.*?</c>', value_xml, text, count=1)


MALFORMED = {
    "truncated sheet XML": (SHEET, lambda text: text[: len(text) // 2]),
    "broken workbook.xml": ("xl/workbook.xml", lambda text: "<workbook><sheets><sheet"),
    "a numeric cell holding abc": (SHEET, _cell_replaced('<c r="E2" t="n"><v>abc</v></c>')),
    "a shared string out of range": (SHEET, _cell_replaced('<c r="E2" t="s"><v>999</v></c>')),
    "a bad date cell": (SHEET, _cell_replaced('<c r="E2" t="d"><v>2023-13-45</v></c>')),
}


@pytest.mark.parametrize("case", MALFORMED)
def test_a_malformed_workbook_is_refused_in_chinese_and_writes_nothing(steel, user_of, case):
    part, change = MALFORMED[case]
    content = _patched(_good_file(steel.credit_code), part, change)
    try:
        rows = imports.parse_monthly_report(content, year=2023, month=11)
    except imports.ReportFileError as refused:
        assert re.search(r"[\u4e00-\u9fff]", str(refused))
    else:
        # Read, but the damaged cell is a row error: the file as a whole is refused.
        assert any(row.errors for row in rows), case
        with pytest.raises(Exception, match="整个文件未导入"):
            services.monthly_statistics_import(
                rows=rows, year=2023, month=11, by=user_of("经济发展")
            )
    assert MonthlyStatistic.objects.count() == 0


def test_the_patched_workbook_baseline_imports(steel, user_of):
    """The positive control: the unpatched file of the malformed cases is accepted."""
    content = _patched(_good_file(steel.credit_code), SHEET, lambda text: text)
    rows, result = run_import(content, user_of("经济发展"))
    assert result.created == 1
