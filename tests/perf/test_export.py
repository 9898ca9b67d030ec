"""Exports (apps.core.excel): rows read without model objects give the same cells as the
objects do, and memory does not grow with the rows (tracemalloc, a proportion, not a time)."""

import datetime
import gc
import tracemalloc
from io import BytesIO

import pytest
from openpyxl import load_workbook

from apps.core.excel import build_workbook, row_values, write_workbook
from apps.core.lists import Col, values_plan
from apps.services import selectors
from apps.services.models import Demand, Visit
from apps.services.views import DEMAND_COLUMNS, VisitListView
from tests.accounts.factories import UserFactory
from tests.enterprises.factories import EnterpriseFactory
from tests.services.factories import DemandFactory, VisitFactory, category

pytestmark = pytest.mark.django_db


def _by_objects(columns, queryset):
    getters = [column.raw for column in columns if column.export]
    return [[get(obj) for get in getters] for obj in queryset]


def test_demand_rows_from_values_equal_rows_from_objects():
    officer = UserFactory(full_name="")
    DemandFactory(description="=HYPERLINK(1)", assignee=None)
    DemandFactory(status="in_progress", assignee=officer, category=category("utilities"))
    columns = [column for column in DEMAND_COLUMNS if column.export]
    queryset = selectors.demand_list()
    assert values_plan(queryset, columns) is not None
    assert [list(row) for row in row_values(columns, queryset)] == _by_objects(columns, queryset)


def test_visit_rows_from_values_equal_rows_from_objects():
    named = UserFactory(full_name="张三", username="b-zhang")
    unnamed = UserFactory(full_name="", username="a-nobody")
    visit = VisitFactory(staff=[named, unnamed])
    VisitFactory()
    DemandFactory(enterprise=visit.enterprise, source="visit", visit=visit)
    columns = [column for column in VisitListView.columns if column.export]
    queryset = selectors.visit_list()
    assert values_plan(queryset, columns) is not None
    got = [list(row) for row in row_values(columns, queryset)]
    assert got == _by_objects(columns, queryset)
    mine = next(row for row in got if visit.enterprise.name in row)
    assert "a-nobody、张三" in mine


def test_a_function_column_without_source_reads_objects():
    VisitFactory()
    columns = [Col("x", lambda v: v.enterprise.name.upper()), Col("m", "get_method_display")]
    assert values_plan(Visit.objects.all(), columns) is None
    assert list(row_values(columns, Visit.objects.all())) == [
        [Visit.objects.get().enterprise.name.upper(), "上门走访"]
    ]


def test_sliced_queryset_keeps_its_limit():
    for _ in range(3):
        DemandFactory()
    columns = [Col("id", "pk"), Col("状态", "get_status_display")]
    rows = list(row_values(columns, Demand.objects.order_by("id")[:2]))
    first_two = Demand.objects.order_by("id").values_list("pk", flat=True)[:2]
    assert [row[0] for row in rows] == list(first_two)
    assert rows[0][1] == "待受理"


def test_written_workbook_keeps_text_as_text():
    DemandFactory(description="=1+1")
    data = build_workbook(sheet_title="诉求", columns=DEMAND_COLUMNS, rows=selectors.demand_list())
    sheet = load_workbook(BytesIO(data)).active
    header = [cell.value for cell in sheet[1]]
    assert "诉求内容" in header
    row = list(sheet[2])
    cell = row[header.index("诉求内容")]
    assert cell.value == "=1+1" and cell.data_type == "s"


def _rows(count: int):
    day = datetime.date(2024, 1, 1)
    for index in range(count):
        yield {
            "id": index,
            "name": f"企业{index:06d}有限公司",
            "day": day,
            "amount": index * 1.5,
            "text": "了解企业生产经营情况，协调解决用地问题" * 2,
        }


COLUMNS = [
    Col("编号", lambda r: r["id"]),
    Col("企业", lambda r: r["name"]),
    Col("日期", lambda r: r["day"]),
    Col("金额", lambda r: r["amount"]),
    Col("内容", lambda r: r["text"]),
]


def _peak(count: int) -> int:
    gc.collect()
    tracemalloc.start()
    try:
        with open("/dev/null", "wb") as sink:
            write_workbook(sheet_title="t", columns=COLUMNS, rows=_rows(count), stream=sink)
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def test_memory_does_not_grow_with_rows():
    _peak(200)  # imports and first-use caches out of the way
    small = _peak(1_000)
    large = _peak(10_000)
    # Ten times the rows; a writer holding its rows (or the workbook) would need about ten
    # times the memory.
    assert large < 1.5 * small, (small, large)


def test_memory_flat_reading_a_queryset():
    enterprise = EnterpriseFactory()
    user = UserFactory()
    Visit.objects.bulk_create(
        [
            Visit(
                enterprise=enterprise,
                visited_on=datetime.date(2024, 1, 1),
                purpose=f"走访{i}",
                findings="正常" * 20,
                created_by=user,
            )
            for i in range(10_000)
        ]
    )
    columns = VisitListView.columns

    def peak(limit):
        gc.collect()
        tracemalloc.start()
        try:
            with open("/dev/null", "wb") as sink:
                rows = selectors.visit_list()[:limit]
                write_workbook(sheet_title="t", columns=columns, rows=rows, stream=sink)
            return tracemalloc.get_traced_memory()[1]
        finally:
            tracemalloc.stop()

    peak(100)
    small = peak(1_000)
    large = peak(10_000)
    # Ten times the rows, every purpose distinct: neither the rows, their model objects nor a
    # table of distinct texts may grow with them (strings are written inline).
    assert large < 1.5 * small, (small, large)
