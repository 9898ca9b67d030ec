"""Every list page keeps the contract of the one list definition (apps.core.views.ListPage),
generated from the URL configuration as NetBox's ViewTestCases are:

- the Excel export has exactly the page's rows (same count, same first rows, same columns);
- the page and its API list (the endpoint sharing its FilterSet) count the same rows, with no
  filter and with each filter the page offers;
- the page's query count does not grow with its rows.

Which roles may open each list is the role x URL matrix's business (tests/test_access_matrix.py).
"""

import datetime
from io import BytesIO

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from openpyxl import load_workbook

from apps.accounts.models import User
from apps.core.excel import sheet_value
from apps.core.views import ListPage
from apps.staff.models import PaySheet


def _patterns(patterns=None, namespace=()):
    for pattern in patterns if patterns is not None else get_resolver().url_patterns:
        if isinstance(pattern, URLResolver):
            inner = (*namespace, pattern.namespace) if pattern.namespace else namespace
            yield from _patterns(pattern.url_patterns, inner)
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield ":".join((*namespace, pattern.name)), pattern


PATTERNS = dict(_patterns())
LISTS = sorted(
    name
    for name, pattern in PATTERNS.items()
    if isinstance(getattr(pattern.callback, "view_class", None), type)
    and issubclass(pattern.callback.view_class, ListPage)
)
# API list endpoints by the FilterSet they use.
API_BY_FILTERSET = {}
for name, pattern in PATTERNS.items():
    cls = getattr(pattern.callback, "cls", None)
    actions = getattr(pattern.callback, "actions", None) or {}
    if cls is not None and actions.get("get") == "list" and getattr(cls, "filterset_class", None):
        API_BY_FILTERSET.setdefault(cls.filterset_class, name)


@pytest.fixture
def admin_client(client, demo, db):
    client.force_login(User.objects.get(username="admin"))
    return client


# Lists inside one object: which of the demo's objects to open.
KWARGS = {
    "staff:pay_sheet_detail": lambda: {"pk": PaySheet.objects.order_by("pk").first().pk},
}


def _url(name):
    kwargs = KWARGS[name]() if name in KWARGS else {}
    return reverse(name, kwargs=kwargs)


def test_every_list_page_is_found():
    # A positive control for the generation: the portal's lists are all here.
    assert {"services:demand_list", "enterprises:enterprise_list", "staff:member_list"} <= set(
        LISTS
    )


@pytest.mark.parametrize("name", LISTS)
def test_the_export_has_exactly_the_pages_rows(name, admin_client):
    url = _url(name)
    page = admin_client.get(url)
    assert page.status_code == 200
    rows = page.context["rows"]
    count = page.context["paginator"].count if page.context["paginator"] else len(rows)
    export = admin_client.get(url, {"export": "xlsx"})
    assert export.status_code == 200
    sheet = load_workbook(BytesIO(export.content)).active
    exported = list(sheet.iter_rows(values_only=True))
    view = PATTERNS[name].callback.view_class
    columns = [col for col in view.columns if col.export] if view.columns else None
    header = exported[0]
    if columns is not None:
        assert list(header) == [str(col.label) for col in columns]
    data = [row for row in exported[1:] if any(value is not None for value in row)]
    assert len(data) >= count  # a page may add a totals row
    assert len(data) <= count + 1
    # The page's first rows are the export's first rows, column by column.
    for row, exported_row in zip(rows, data, strict=False):
        first = [cell for cell in row.cells if cell.col.export][:1]
        if first:
            expected = sheet_value(first[0].col.raw(row.obj))
            got = exported_row[0]
            if isinstance(got, datetime.datetime) and not isinstance(expected, datetime.datetime):
                got = got.date()  # a workbook stores days as moments
            assert got == expected


@pytest.mark.parametrize(
    "name",
    [
        name
        for name in LISTS
        if PATTERNS[name].callback.view_class.filterset_class in API_BY_FILTERSET
    ],
)
def test_the_page_and_its_api_count_the_same_rows_under_each_filter(name, admin_client):
    view = PATTERNS[name].callback.view_class
    api_name = API_BY_FILTERSET[view.filterset_class]
    url = _url(name)
    api_url = reverse(api_name)
    page = admin_client.get(url)
    form = page.context["filter"].form
    queries = [{}]
    for field_name, field in form.fields.items():
        choices = [
            value for value, _label in getattr(field, "choices", []) if value not in ("", None)
        ]
        if choices:
            queries.append({field_name: choices[0]})
    queries.append({"q": "有限"} if "q" in form.fields else {})
    scope = page.context["api_filters"]
    for query in queries:
        page = admin_client.get(url, query)
        api = admin_client.get(api_url, {**query, **scope, "format": "json"})
        assert page.status_code == 200 and api.status_code == 200, query
        page_count = page.context["paginator"].count
        assert api.json()["count"] == page_count, (query, page_count)


def _queries(client, url, query):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, query)
    assert response.status_code == 200
    return len(captured), len(response.context["rows"])


@pytest.mark.parametrize("name", LISTS)
def test_the_page_query_count_does_not_grow_with_its_rows(name, admin_client):
    url = _url(name)
    view = PATTERNS[name].callback.view_class
    # Once before counting, so that both counts find the same things cached (the holiday
    # calendar the lead list's due dates read).
    assert admin_client.get(url).status_code == 200
    view.paginate_by, saved = 3, view.paginate_by
    try:
        few_queries, few_rows = _queries(admin_client, url, {})
    finally:
        view.paginate_by = saved
    many_queries, many_rows = _queries(admin_client, url, {})
    if many_rows <= few_rows:
        pytest.skip("the demo has too few rows here to compare")
    assert many_queries == few_queries
