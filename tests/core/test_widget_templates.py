"""The project's widget templates (templates/django/forms/) render what Django's own do.

The select override writes its options inline instead of including one template per option
(settings.FORM_RENDERER); a page must not see any difference.
"""

import pytest
from django import forms
from django.forms.renderers import DjangoTemplates, TemplatesSetting, get_default_renderer
from django.test.html import parse_html

NASTY = '<script>alert("x")</script> & "quoted" \'single\''

GROUPED = [
    ("", "全部"),
    ("园区", [("1", "高新园"), ("2", NASTY)]),
    (NASTY, [('a"b', "A&B"), ("<c>", "<c>")]),
    ("3", "无组"),
]


def _widgets():
    return [
        ("select", forms.Select(choices=GROUPED), "2"),
        ("select-none", forms.Select(choices=GROUPED), None),
        ("select-nasty-value", forms.Select(choices=GROUPED), 'a"b'),
        ("select-int", forms.Select(choices=[(1, "一"), (2, "二")]), 2),
        (
            "select-attrs",
            forms.Select(
                choices=[("x", "X"), ("y", "Y")],
                attrs={"class": "form-select form-select-sm", "data-x": NASTY, "required": True},
            ),
            "y",
        ),
        (
            "select-disabled",
            forms.Select(
                choices=[("x", "X")], attrs={"disabled": True, "autofocus": False, "title": "&"}
            ),
            "x",
        ),
        ("multiple", forms.SelectMultiple(choices=GROUPED), ["1", "<c>", "3"]),
        ("multiple-none", forms.SelectMultiple(choices=GROUPED), []),
        ("null-boolean", forms.NullBooleanSelect(), True),
        ("null-boolean-unknown", forms.NullBooleanSelect(), None),
        ("null-boolean-false", forms.NullBooleanSelect(attrs={"class": "x"}), False),
    ]


def _rendered(widget, value, renderer):
    return widget.render("field", value, attrs={"id": "id_field"}, renderer=renderer)


@pytest.mark.parametrize(("name", "widget", "value"), _widgets(), ids=[w[0] for w in _widgets()])
def test_select_override_renders_as_django(name, widget, value):
    project = get_default_renderer()
    assert isinstance(project, TemplatesSetting)
    ours = _rendered(widget, value, project)
    django = _rendered(widget, value, DjangoTemplates())
    assert parse_html(ours) == parse_html(django), (ours, django)
    # Nothing a label or value carries is written unescaped.
    assert "<script>" not in ours


class _Form(forms.Form):
    choice = forms.ChoiceField(choices=GROUPED)
    several = forms.MultipleChoiceField(choices=GROUPED, disabled=True)
    either = forms.NullBooleanField()


def test_bound_form_renders_as_django():
    form = _Form(data={"choice": "<c>", "several": ["2"], "either": "true"})
    ours = str(form)
    form_django = _Form(data={"choice": "<c>", "several": ["2"], "either": "true"})
    form_django.renderer = DjangoTemplates()
    django = str(form_django)
    assert parse_html(ours) == parse_html(django)
    assert "selected" in ours


def test_project_override_is_the_one_used():
    from django.template.loader import get_template

    template = get_template("django/forms/widgets/select.html")
    assert "templates/django/forms/widgets/select.html" in str(template.origin.name)
