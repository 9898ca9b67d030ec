"""A list's rows are written by apps.core.lists.rows_html exactly as the template that wrote
them cell by cell did (kept here as OLD_TEMPLATE)."""

import datetime
from decimal import Decimal

import pytest
from django.template import Context, Template
from django.template.loader import get_template
from django.test.html import parse_html
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import override

from apps.core.lists import Col, badge, build_rows, rows_html, status_badge
from apps.core.templatetags.portal import list_rows

OLD_TEMPLATE = """{% load i18n %}
{# Rows of a list from its column spec: cards on a phone, a table from md up (apps.core.lists). #}
<div class="list-group list-group-flush d-md-none" data-testid="list-cards">
  {% for row in rows %}
  <div class="list-group-item py-2 position-relative" data-id="{{ row.obj.pk }}">
    <div class="d-flex justify-content-between align-items-start gap-2">
      <div class="fw-semibold text-break">{% for cell in row.title %}{% if cell.url %}<a class="stretched-link" href="{{ cell.url }}">{{ cell.html }}</a>{% else %}{{ cell.html }}{% endif %}{% if not forloop.last %} · {% endif %}{% endfor %}</div>
      <div class="text-nowrap">{% for cell in row.badges %}{{ cell.html }} {% endfor %}</div>
    </div>
    {% for cell in row.lines %}<div class="text-break">{{ cell.html }}</div>{% endfor %}
    {% if row.meta %}<div class="small text-muted text-break">{% for cell in row.meta %}<span class="me-2"><span class="visually-hidden">{{ cell.col.label }}：</span>{{ cell.html }}</span>{% endfor %}</div>{% endif %}
  </div>
  {% empty %}
  <div class="list-group-item text-muted text-center py-3">{{ empty_text|default:_("没有符合条件的记录") }}</div>
  {% endfor %}
</div>
<div class="table-responsive d-none d-md-block">
<table class="table table-sm table-hover align-middle mb-0" data-testid="list-table">
  <thead class="table-light"><tr>{% for col in columns %}<th class="{{ col.css }}">{{ col.label }}</th>{% endfor %}</tr></thead>
  <tbody>
  {% for row in rows %}
  <tr data-id="{{ row.obj.pk }}">
    {% for cell in row.cells %}{% if cell.col.table %}<td class="{{ cell.col.css }}">{% if cell.url %}<a href="{{ cell.url }}">{{ cell.html }}</a>{% else %}{{ cell.html }}{% endif %}</td>{% endif %}{% endfor %}
  </tr>
  {% empty %}
  <tr><td colspan="{{ columns|length }}" class="text-muted text-center py-3">{{ empty_text|default:_("没有符合条件的记录") }}</td></tr>
  {% endfor %}
  </tbody>
</table>
</div>
"""  # noqa: E501 (the old template, verbatim)

NASTY = "<script>alert(\"x\")</script> & 'q'"


class Thing:
    def __init__(self, pk, name, **fields):
        self.pk = pk
        self.name = name
        self.__dict__.update(fields)

    def get_absolute_url(self):
        return f"/things/{self.pk}/?a=1&b=<2>"

    def get_status_display(self):
        return {"open": "办理中", "done": "已办结"}[self.status]


COLUMNS = [
    Col(_("名称"), "name", link="self", card="title"),
    Col("编号", "code", card="title", css="text-nowrap"),
    Col(
        "状态",
        "status",
        display=status_badge({"open": "warning", "done": "success"}),
        card="badge",
    ),
    Col("标记", "flag", display=lambda row: badge(row.flag, "danger", kind=NASTY), card="badge"),
    Col("说明", "note", card="line", table=False),
    Col(_("金额"), "amount", fmt="amount", css="text-end"),
    Col("亿元", "amount", fmt="yi", card=None),
    Col("日期", "day"),
    Col("时间", "moment", css='x" onclick="y'),
    Col("是否", "yes"),
    Col("人数", "count"),
    Col("空", "missing"),
    Col(
        "链接",
        lambda row: row.name,
        link=lambda row: f"/other/?q={row.name}" if row.pk % 2 else "",
        card="meta",
    ),
    Col(NASTY, "name", card="meta", table=False),
    Col("原始", lambda row: row.pk * 1000, display=lambda row: row.pk * 1000, card=None),
]

MOMENT = timezone.make_aware(datetime.datetime(2024, 3, 1, 23, 30), datetime.UTC)


def _things():
    return [
        Thing(
            1,
            NASTY,
            code="A&1",
            status="open",
            flag="<超期>",
            note=NASTY,
            amount=Decimal("1234567.891"),
            day=datetime.date(2024, 2, 29),
            moment=MOMENT,
            yes=True,
            count=12345,
            missing=None,
        ),
        Thing(
            22,
            "普通企业",
            code="",
            status="done",
            flag="正常",
            note="",
            amount=Decimal("0"),
            day=None,
            moment=None,
            yes=False,
            count=0,
            missing="",
        ),
        Thing(
            12345,
            "第三",
            code="C",
            status="done",
            flag="x",
            note="一行",
            amount=None,
            day=datetime.date(2020, 1, 1),
            moment=MOMENT,
            yes=None,
            count=7,
            missing="有",
        ),
    ]


def _old(columns, rows, empty_text=""):
    context = Context(
        {
            "columns": [col for col in columns if col.table],
            "rows": rows,
            "empty_text": empty_text,
        }
    )
    return Template(OLD_TEMPLATE).render(context)


def _assert_same(new, old):
    assert parse_html(new) == parse_html(old), (new, old)


@pytest.mark.parametrize("empty_text", ["", "暂无<诉求> & 记录"])
@pytest.mark.parametrize("count", [0, 1, 3])
@pytest.mark.parametrize(
    "columns", [COLUMNS, COLUMNS[:1], COLUMNS[4:5]], ids=["all", "one", "no-table"]
)
def test_rows_html_is_the_old_template(columns, count, empty_text):
    rows = build_rows(columns, _things()[:count])
    new = rows_html([col for col in columns if col.table], rows, empty_text)
    _assert_same(new, _old(columns, rows, empty_text))
    assert "<script>" not in new


def test_the_include_and_the_embedded_tag_write_the_same():
    rows = build_rows(COLUMNS, _things())
    old = _old(COLUMNS, rows, "无")
    context = {
        "columns": [col for col in COLUMNS if col.table],
        "rows": rows,
        "empty_text": "无",
    }
    _assert_same(get_template("includes/list_rows.html").render(context), old)
    _assert_same(list_rows(COLUMNS, _things(), "无"), old)


def test_in_english_too():
    with override("en"):
        rows = build_rows(COLUMNS, _things())
        _assert_same(rows_html([c for c in COLUMNS if c.table], rows), _old(COLUMNS, rows))
        _assert_same(rows_html([], []), _old([], []))


def test_what_pages_rely_on_is_there():
    rows = build_rows(COLUMNS, _things())
    html = rows_html([col for col in COLUMNS if col.table], rows)
    assert html.count('data-id="12345"') == 2
    assert 'data-testid="list-cards"' in html and 'data-testid="list-table"' in html
    assert '<a class="stretched-link" href="/things/1/?a=1&amp;b=&lt;2&gt;">' in html
    assert "&lt;script&gt;" in html


def _choice_fields():
    from django.apps import apps

    for model in apps.get_models():
        if not model.__module__.startswith("apps."):
            continue
        for field in model._meta.concrete_fields:
            if field.choices and not field.is_relation:
                yield model, field


@pytest.mark.parametrize(
    ("model", "field"), list(_choice_fields()), ids=lambda x: getattr(x, "name", "")
)
def test_choice_labels_are_djangos(model, field):
    from apps.core.lists import display_of, resolve

    method = f"get_{field.name}_display"
    for value in [*(value for value, _label in field.flatchoices), "unknown", None]:
        obj = model()
        setattr(obj, field.attname, value)
        for language in ("zh-hans", "en"):
            with override(language):
                expected = getattr(obj, method)()
                assert display_of(obj, field.name) == expected
                assert resolve(obj, method) == expected
