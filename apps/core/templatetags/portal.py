from datetime import date, datetime
from decimal import InvalidOperation

from django import forms, template
from django.utils import timezone
from django.utils.formats import date_format, number_format
from django.utils.html import format_html
from django.utils.translation import gettext as _

from apps.core.periods import is_stale
from apps.core.units import to_yi

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
        amount = to_yi(value, int(digits))
    except (InvalidOperation, TypeError, ValueError):
        return "—"
    # number_format cuts extra decimals off (49.4899 → 49.48); to_yi has rounded them already.
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


@register.simple_tag
def list_rows(columns, objects, empty_text=""):
    """A list embedded in another page (an inbox box, a visit's demands), from a column spec:
    the same table and phone cards as the list pages."""
    from apps.core.lists import build_rows, rows_html

    return rows_html(columns, build_rows(columns, objects), empty_text)


@register.simple_tag
def list_rows_html(columns, rows, empty_text=""):
    """A list page's rows (apps.core.lists.rows_html): ``columns`` are the table's columns,
    ``rows`` from build_rows."""
    from apps.core.lists import rows_html

    return rows_html(columns, rows, empty_text)


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


@register.simple_tag
def stale_notice(latest):
    """A warning when the newest data a page shows is out of date (apps.core.periods):
    "数据截至2023年11月，尚未更新". `latest` is a (year, month), a day, or None (no data)."""
    if not is_stale(latest):
        return ""
    if isinstance(latest, date):
        period = date_format(latest, _("Y年n月j日"))
    else:
        period = _("%(year)d年%(month)d月") % {"year": latest[0], "month": latest[1]}
    return format_html(
        '<div class="alert alert-warning py-2" role="status" data-testid="stale-notice">'
        '<i class="bi bi-clock-history"></i> {}</div>',
        _("数据截至%(period)s，尚未更新") % {"period": period},
    )


@register.filter
def short_date(value):
    """A day without its year when it is this year's ("10-28"), with it otherwise
    ("2025-10-28"), so days of different years are never mistaken for each other."""
    if not value:
        return ""
    if isinstance(value, datetime):
        value = timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
    return date_format(value, "m-d" if value.year == timezone.localdate().year else "Y-m-d")
