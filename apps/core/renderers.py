"""The form renderer (settings.FORM_RENDERER): the project's widget templates, with the most
common widgets written in Python.

A list page's filter form has a dozen fields; the template engine spends about half a
millisecond on each (context push and pop, an include per input, a filter per attribute),
which makes the filter form a fifth of a list page's server time. The inputs (text, date,
hidden, number…) and the select (the project's override, options inline) are written here
instead, character for character what their templates write: tests/core/test_renderers.py
renders every filter form of every app, and hostile values, both ways and compares the
strings. Any other widget, or a value the template would write otherwise (a label it would
localise, a tuple, a callable it would call), goes through the template as before.
"""

from decimal import Decimal

from django.forms.models import ModelChoiceIteratorValue
from django.forms.renderers import TemplatesSetting
from django.utils.functional import Promise
from django.utils.html import conditional_escape
from django.utils.safestring import SafeData, mark_safe

# Templates that are `{% include "django/forms/widgets/input.html" %}` and nothing else.
_INPUTS = (
    "input",
    "text",
    "number",
    "email",
    "url",
    "password",
    "hidden",
    "date",
    "datetime",
    "time",
    "search",
    "tel",
)


# Values written here; any other (a tuple, a callable the template would call) goes through the
# template.
_PLAIN = (str, int, float, Decimal, Promise, ModelChoiceIteratorValue, type(None))


class _Unusual(Exception):
    """A value this module does not write as the template would: use the template."""


def _text(value) -> str:
    """{{ value }} of a text value (autoescaped unless already safe)."""
    return str(conditional_escape(value))


def _formatted(value) -> str:
    """{{ value|stringformat:'s' }}: "%s" % value, escaped unless the value was safe."""
    if not isinstance(value, _PLAIN):
        raise _Unusual
    text = "%s" % value  # noqa: UP031 (the filter's own formatting)
    return text if isinstance(value, SafeData) else str(conditional_escape(text))


def _attrs(attrs: dict) -> str:
    """django/forms/widgets/attrs.html."""
    parts = []
    for name, value in attrs.items():
        if value is False:
            continue
        if value is True:
            parts.append(f" {_text(name)}")
        else:
            parts.append(f' {_text(name)}="{_formatted(value)}"')
    return "".join(parts)


def _input(widget: dict) -> str:
    if "type" not in widget:
        raise _Unusual
    value = widget["value"]
    shown = "" if value is None else f' value="{_formatted(value)}"'
    return (
        f'<input type="{_text(widget["type"])}" name="{_text(widget["name"])}"'
        f"{shown}{_attrs(widget['attrs'])}>"
    )


def _label(value) -> str:
    """{{ label }}: text escaped; a number the template would localise: use the template."""
    if not isinstance(value, str | Promise):
        raise _Unusual
    return _text(value)


def _select(widget: dict) -> str:
    """templates/django/forms/widgets/select.html."""
    parts = [f'<select name="{_text(widget["name"])}"{_attrs(widget["attrs"])}>']
    for group_name, group_choices, _index in widget["optgroups"]:
        if group_name:
            parts.append(f'\n  <optgroup label="{_label(group_name)}">')
        for option in group_choices:
            parts.append(
                f'\n  <option value="{_formatted(option["value"])}"'
                f"{_attrs(option['attrs'])}>{_label(option['label'])}</option>"
            )
        if group_name:
            parts.append("\n  </optgroup>")
    parts.append("\n</select>")
    return "".join(parts)


# Each template written here, and what writes it.
_WRITERS = {
    **{f"django/forms/widgets/{name}.html": _input for name in _INPUTS},
    "django/forms/widgets/select.html": _select,
}


class PortalRenderer(TemplatesSetting):
    """TemplatesSetting (the project's templates, Django's as the fallback), the inputs and
    the select written in Python (module docstring)."""

    def render(self, template_name, context, request=None):
        widget = context.get("widget") if request is None else None
        write = _WRITERS.get(template_name)
        if widget is not None and write is not None:
            try:
                return mark_safe(write(widget))
            except _Unusual:
                pass
        return super().render(template_name, context, request)
