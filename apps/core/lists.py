"""One definition per list.

A list page is four small things (NetBox's ObjectListView): a FilterSet (apps/<app>/filters.py,
shared with the API), a column spec (``Col``s, here), a selector for the shaped queryset, and a
view of a few lines on ``ListPage`` (apps.core.views). The columns are read by the desktop table,
the phone cards and the Excel export alike, so the three cannot disagree; the filter form's
page-only looks (hidden link filters, date inputs, "全部" for no choice, which fields a phone shows
before "更多筛选") are a ``FilterForm``, separate from the FilterSet.
"""

import inspect
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from functools import partialmethod
from typing import Any, NamedTuple

from django import forms
from django.utils import timezone
from django.utils.encoding import force_str
from django.utils.formats import localize, number_format
from django.utils.html import conditional_escape, format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.timezone import template_localtime
from django.utils.translation import gettext_lazy as _

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
YES_NO_CHOICES = [("", _("全部")), ("true", _("是")), ("false", _("否"))]


def resolve(row: Any, path: str) -> Any:
    """`row.a.b` (calling a method at the end, e.g. get_status_display); None stops the walk."""
    current = row
    for part in path.split("."):
        if current is None:
            return None
        if part.startswith("get_") and part.endswith("_display"):
            labels = _choice_labels(type(current), part)
            if labels is not None:
                value = getattr(current, part[4:-8])
                current = force_str(labels.get(value, value), strings_only=True)
                continue
        current = getattr(current, part)
        if callable(current) and not isinstance(current, type):
            current = current()
    return current


_CHOICE_LABELS: dict = {}


def _choice_labels(model: type, method: str) -> dict | None:
    """{value: label} for a model's Django-made ``get_<field>_display`` (None for any other
    method, or one the model writes itself). Django's builds a dict of every choice, hashing
    each lazy label (a gettext each), on every call: a list page calls it once per row."""
    key = (model, method)
    if key not in _CHOICE_LABELS:
        labels = None
        if isinstance(inspect.getattr_static(model, method, None), partialmethod):
            field = model._meta.get_field(method[4:-8])
            choices = list(field.flatchoices)
            # Plain values only (Django's would make a list value hashable first).
            if field.attname == field.name and all(
                isinstance(value, str | int) and not isinstance(value, bool)
                for value, _label in choices
            ):
                labels = dict(choices)
        _CHOICE_LABELS[key] = labels
    return _CHOICE_LABELS[key]


def display_of(row: Any, field_name: str) -> str:
    """``row.get_<field_name>_display()``, without rebuilding the choices on each call."""
    labels = _choice_labels(type(row), f"get_{field_name}_display")
    if labels is None:
        return getattr(row, f"get_{field_name}_display")()
    value = getattr(row, field_name)
    return force_str(labels.get(value, value), strings_only=True)


def short_date(day: date | datetime | None) -> str:
    """A date as the portal shows it: with the year (never "10-28" beside another year's
    "10-11"), and a time for moments."""
    if day is None:
        return "—"
    if isinstance(day, datetime):
        return (
            timezone.localtime(day).strftime("%Y-%m-%d %H:%M")
            if timezone.is_aware(day)
            else (day.strftime("%Y-%m-%d %H:%M"))
        )
    return day.strftime("%Y-%m-%d")


def badge(text, colour: str = "secondary", **data) -> str:
    attrs = format_html_join("", ' data-{}="{}"', data.items())
    return format_html('<span class="badge text-bg-{}"{}>{}</span>', colour, attrs, text)


def status_badge(colours: dict[str, str], field_name: str = "status") -> Callable[[Any], str]:
    """A column display: the object's state as a coloured badge."""

    def show(row):
        value = getattr(row, field_name)
        return format_html(
            '<span class="badge text-bg-{}" data-status="{}">{}</span>',
            colours.get(value, "secondary"),
            value,
            display_of(row, field_name),
        )

    return show


@dataclass(frozen=True)
class Col:
    """One column of a list: what it shows, where (table, phone card, export), how."""

    label: str
    # An attribute path ("enterprise.name", "get_status_display") or a function of the row.
    value: str | Callable[[Any], Any]
    # The cell's URL: a function of the row, or "self" for the row's get_absolute_url().
    link: Callable[[Any], str] | str | None = None
    # The cell's HTML on the page (a function returning safe HTML); default: the value.
    display: Callable[[Any], Any] | None = None
    # The phone card's use of it: "title", "badge", "line", "meta", or None (not on a card).
    card: str | None = "meta"
    table: bool = True
    export: bool = True
    # "amount" (万元 with 2 decimals), "yi" (万元 shown in 亿元), "int", "percent", or "".
    fmt: str = ""
    width: int = 14
    css: str = ""
    # For a column whose value is a function: the same value as a ``.values()`` path or
    # expression ("assignee__full_name", a StringAgg), so an export reads rows without model
    # objects (``values_plan``). Attribute paths ("enterprise.name", "get_status_display")
    # need none: they are translated.
    source: Any = None

    def raw(self, row: Any) -> Any:
        return self.value(row) if callable(self.value) else resolve(row, self.value)

    def url(self, row: Any) -> str:
        if self.link is None:
            return ""
        if self.link == "self":
            return row.get_absolute_url()
        return self.link(row) or ""

    def shown(self, row: Any):
        if self.display is not None:
            return self.display(row)
        return format_value(self.raw(row), self.fmt)


def format_value(value: Any, fmt: str = ""):
    if value is None or value == "":
        return "—"
    if isinstance(value, date | datetime):
        return short_date(value)
    if isinstance(value, bool):
        return _("是") if value else _("否")
    if fmt == "yi":
        return number_format(Decimal(value) / Decimal(10000), 2, force_grouping=True)
    if fmt == "amount":
        return number_format(value, 2, force_grouping=True)
    if fmt == "percent":
        return f"{number_format(value, 2)}%"
    if isinstance(value, int | Decimal | float):
        return number_format(value, force_grouping=True)
    return value


class Cell(NamedTuple):
    # A tuple: a list page makes one per row and column.
    col: Col
    html: Any
    url: str


@dataclass
class Row:
    obj: Any
    cells: list[Cell]

    def card(self, role: str) -> list[Cell]:
        return [cell for cell in self.cells if cell.col.card == role]

    @property
    def title(self) -> list[Cell]:
        return self.card("title")

    @property
    def badges(self) -> list[Cell]:
        return self.card("badge")

    @property
    def lines(self) -> list[Cell]:
        return self.card("line")

    @property
    def meta(self) -> list[Cell]:
        return self.card("meta")

    @property
    def url(self) -> str:
        for cell in self.cells:
            if cell.url:
                return cell.url
        return ""


def build_rows(columns: Iterable[Col], objects: Iterable[Any]) -> list[Row]:
    columns = [col for col in columns if col.table or col.card]
    return [
        Row(obj=obj, cells=[Cell(col, col.shown(obj), col.url(obj)) for col in columns])
        for obj in objects
    ]


def cell_html(value: Any) -> str:
    """A value as ``{{ value }}`` writes it in a template (local time, localized, escaped
    unless already safe HTML), without the template engine's per-variable cost."""
    return conditional_escape(localize(template_localtime(value)))


def rows_html(columns: Iterable[Col], rows: list[Row], empty_text: str = "") -> str:
    """The rows of a list as HTML: cards on a phone, a table from md up.

    What templates/includes/list_rows.html wrote cell by cell through the template engine
    (tests/core/test_list_rows.py holds that template and asserts the same HTML), written here
    once per cell: every value is escaped by ``esc`` unless it is already safe HTML.
    """
    esc = conditional_escape
    table_columns = [col for col in columns if col.table]
    empty = esc(empty_text or _("没有符合条件的记录"))
    meta_labels = {}
    cards = []
    table = []
    for row in rows:
        row_id = cell_html(row.obj.pk)
        title, badges, lines, meta, tds = [], [], [], [], []
        for col, html, url in row.cells:
            html = cell_html(html)
            url = esc(url) if url else ""
            card = col.card
            if card == "title":
                title.append(f'<a class="stretched-link" href="{url}">{html}</a>' if url else html)
            elif card == "badge":
                badges.append(f"{html} ")
            elif card == "line":
                lines.append(f'<div class="text-break">{html}</div>')
            elif card == "meta":
                label = meta_labels.get(id(col))
                if label is None:
                    label = meta_labels[id(col)] = esc(col.label)
                meta.append(
                    f'<span class="me-2"><span class="visually-hidden">{label}：</span>'
                    f"{html}</span>"
                )
            if col.table:
                link = f'<a href="{url}">{html}</a>' if url else html
                tds.append(f'<td class="{esc(col.css)}">{link}</td>')
        meta_html = (
            f'<div class="small text-muted text-break">{"".join(meta)}</div>' if meta else ""
        )
        cards.append(
            f'<div class="list-group-item py-2 position-relative" data-id="{row_id}">'
            '<div class="d-flex justify-content-between align-items-start gap-2">'
            f'<div class="fw-semibold text-break">{" · ".join(title)}</div>'
            f'<div class="text-nowrap">{"".join(badges)}</div>'
            f"</div>{''.join(lines)}{meta_html}</div>"
        )
        table.append(f'<tr data-id="{row_id}">{"".join(tds)}</tr>')
    if not rows:
        cards.append(f'<div class="list-group-item text-muted text-center py-3">{empty}</div>')
        table.append(
            f'<tr><td colspan="{len(table_columns)}" class="text-muted text-center py-3">'
            f"{empty}</td></tr>"
        )
    head = "".join(f'<th class="{esc(col.css)}">{esc(col.label)}</th>' for col in table_columns)
    # Every piece above is escaped or built here.
    return mark_safe(  # noqa: S308
        '<div class="list-group list-group-flush d-md-none" data-testid="list-cards">\n'
        + "\n".join(cards)
        + '\n</div>\n<div class="table-responsive d-none d-md-block">\n'
        '<table class="table table-sm table-hover align-middle mb-0" data-testid="list-table">\n'
        f'<thead class="table-light"><tr>{head}</tr></thead>\n<tbody>\n'
        + "\n".join(table)
        + "\n</tbody>\n</table>\n</div>"
    )


@dataclass(frozen=True)
class FilterForm:
    """How a list page shows its FilterSet's form (the API reads the same FilterSet without
    any of this)."""

    # Filters that serve links and the API (an enterprise id): no box, carried as hidden inputs.
    hidden: tuple[str, ...] = ()
    # Widgets other than the default for a field.
    widgets: dict[str, forms.Widget] = field(default_factory=dict)
    # Shown on a phone without opening "更多筛选" (the rest are collapsed there).
    primary: tuple[str, ...] = ("q",)
    # Hints in empty boxes ("名称、信用代码、法定代表人").
    placeholders: dict[str, str] = field(default_factory=dict)

    def apply(self, form: forms.Form) -> forms.Form:
        for name, form_field in form.fields.items():
            widget = self.widgets.get(name)
            if name in self.hidden:
                widget = forms.HiddenInput()
            elif widget is None:
                widget = _default_widget(form_field)
            if widget is not None:
                form_field.widget = widget
            if name in self.placeholders:
                form_field.widget.attrs["placeholder"] = self.placeholders[name]
            if isinstance(form_field, forms.ModelChoiceField | forms.ChoiceField):
                _empty_label(form_field, _("默认排序") if name == "ordering" else _("全部"))
            form_field.primary = name in self.primary
        return form


def _default_widget(form_field):
    if isinstance(form_field.widget, forms.HiddenInput):
        return None
    if isinstance(form_field, forms.DateField):
        return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    if isinstance(form_field, forms.NullBooleanField):
        # 全部 / 是 / 否 instead of 未知 / 是 / 否.
        return forms.Select(choices=YES_NO_CHOICES)
    return None


def _empty_label(form_field, label) -> None:
    if isinstance(form_field, forms.ModelMultipleChoiceField | forms.MultipleChoiceField):
        return
    if hasattr(form_field, "empty_label"):
        # django-filter's and Django's model choice fields add the empty choice themselves.
        form_field.empty_label = label
        return
    choices = list(form_field.choices)
    if choices and choices[0][0] in ("", None):
        form_field.choices = [("", label), *choices[1:]]


# --- Row extraction without model objects (exports) ---------------------------------------


@dataclass(frozen=True)
class ValuesPlan:
    """How to read a list's export columns with ``.values_list()``: one expression per column
    and, for choice columns, the labels translated once (not per row)."""

    names: list[str]
    expressions: dict[str, Any]
    labels: dict[int, dict]

    def rows(self, queryset) -> Iterable[list]:
        """The export rows: lists of raw values, in column order, streamed in chunks."""
        aliased = {
            name: expr for name, expr in self.expressions.items() if not isinstance(expr, str)
        }
        paths = [
            self.expressions[name] if isinstance(self.expressions[name], str) else name
            for name in self.names
        ]
        if aliased:
            queryset = queryset.annotate(**aliased)
        labels = self.labels
        for values in queryset.values_list(*paths).iterator(chunk_size=500):
            if labels:
                values = list(values)
                for index, mapping in labels.items():
                    value = values[index]
                    values[index] = mapping.get(value, value)
            yield values


def values_plan(queryset, columns: Iterable[Col]) -> ValuesPlan | None:
    """A ValuesPlan for these columns of ``queryset``'s rows, or None when one of them needs
    the model object (a function without ``source``, a property, a foreign key shown by its
    __str__)."""
    model = queryset.model
    annotations = queryset.query.annotations
    names, expressions, labels = [], {}, {}
    for index, col in enumerate(columns):
        name = f"_col{index}"
        if col.source is not None:
            expressions[name] = col.source
        elif isinstance(col.value, str) and col.value in annotations:
            expressions[name] = col.value
        elif isinstance(col.value, str):
            found = _path(model, col.value)
            if found is None:
                return None
            path, choices = found
            expressions[name] = path
            if choices is not None:
                labels[index] = choices
        else:
            return None
        names.append(name)
    return ValuesPlan(names=names, expressions=expressions, labels=labels)


def _path(model, dotted: str) -> tuple[str, dict | None] | None:
    """("enterprise.name") → ("enterprise__name", None); ("get_status_display") →
    ("status", {value: label}); None when the path is not plain data."""
    parts = dotted.split(".")
    current = model
    lookups = []
    for position, part in enumerate(parts):
        last = position == len(parts) - 1
        if part == "pk" and last:
            lookups.append("pk")
            return "__".join(lookups), None
        choices = None
        if last and part.startswith("get_") and part.endswith("_display"):
            part = part.removeprefix("get_").removesuffix("_display")
            choices = True
        try:
            field = current._meta.get_field(part)
        except Exception:  # FieldDoesNotExist: a property or a method
            return None
        if not getattr(field, "concrete", False) or field.many_to_many:
            return None
        lookups.append(field.name)
        if field.is_relation:
            if last:
                return None  # shown by the related object's __str__
            current = field.related_model
            continue
        if not last:
            return None
        if choices:
            if not field.choices:
                return None
            from django.utils.encoding import force_str

            return "__".join(lookups), {
                value: force_str(label) for value, label in field.flatchoices
            }
        return "__".join(lookups), None
    return None
