from decimal import Decimal, InvalidOperation

from django import forms, template
from django.utils.formats import number_format

register = template.Library()

_CHECK_WIDGETS = (forms.CheckboxInput, forms.RadioSelect, forms.CheckboxSelectMultiple)


@register.inclusion_tag("includes/field.html")
def bs_field(field, compact=False):
    """Render a form field the Bootstrap way: label, widget, help and Chinese errors."""
    widget = field.field.widget
    is_check = isinstance(widget, _CHECK_WIDGETS)
    if not is_check:
        css = "form-select" if isinstance(widget, forms.Select) else "form-control"
        if compact:
            css += " form-control-sm" if css == "form-control" else " form-select-sm"
        if field.errors:
            css += " is-invalid"
        existing = widget.attrs.get("class", "")
        widget.attrs["class"] = f"{existing} {css}".strip()
    elif isinstance(widget, forms.CheckboxInput):
        widget.attrs.setdefault("class", "form-check-input")
    return {"field": field, "is_check": is_check, "compact": compact}


@register.filter
def yi(value, digits=2):
    """万元 → 亿元 for dashboards: 498600 → '49.86'."""
    if value in (None, ""):
        return "—"
    try:
        amount = Decimal(value) / Decimal(10000)
    except (InvalidOperation, TypeError):
        return "—"
    return number_format(amount, int(digits), force_grouping=True)


@register.filter
def wan(value, digits=2):
    """Show a 万元 amount with grouping and fixed decimals."""
    if value in (None, ""):
        return "—"
    return number_format(value, int(digits), force_grouping=True)


@register.simple_tag(takes_context=True)
def query_with(context, **kwargs):
    """The current query string with some parameters replaced (for sorting and paging links)."""
    query = context["request"].GET.copy()
    for key, value in kwargs.items():
        if value is None:
            query.pop(key, None)
        else:
            query[key] = value
    return query.urlencode()


@register.filter
def short_date(value):
    """A date (or a moment) as the portal shows it, always with the year."""
    from apps.core.lists import short_date as fmt

    return fmt(value)


@register.inclusion_tag("includes/list_rows.html")
def list_rows(columns, objects, empty_text=""):
    """A list embedded in another page (an inbox box, a visit's demands), from a column spec:
    the same table and phone cards as the list pages."""
    from apps.core.lists import build_rows

    return {
        "columns": [col for col in columns if col.table],
        "rows": build_rows(columns, objects),
        "empty_text": empty_text,
    }


@register.simple_tag(takes_context=True)
def submission_key(context):
    """The create form's one-time key (apps.core.views.form_page): a hidden input."""
    import uuid

    from django.utils.html import format_html

    # A form shown again after a refusal keeps its key: correcting it is the same submission.
    request = context.get("request")
    posted = request.POST.get("_submission", "") if request is not None else ""
    try:
        key = uuid.UUID(posted)
    except ValueError:
        key = uuid.uuid4()
    return format_html('<input type="hidden" name="_submission" value="{}">', key)
