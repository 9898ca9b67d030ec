"""The widgets written in Python (apps.core.renderers.PortalRenderer) write exactly what their
templates write: every filter form of every app, bound to hostile values, and hand-made widgets,
rendered both ways and compared as strings."""

import importlib

import django_filters
import pytest
from django import forms
from django.apps import apps
from django.forms.renderers import TemplatesSetting, get_default_renderer
from django.test import RequestFactory
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy

from apps.core import renderers
from tests.conftest import make_role_user

pytestmark = pytest.mark.django_db

NASTY = '<script>alert("x")</script> & "quoted" \'single\''
GROUPED = [
    ("", "全部"),
    ("园区", [("1", "高新园"), ("2", NASTY)]),
    (NASTY, [('a"b', "A&B"), ("<c>", "<c>")]),
    ("3", gettext_lazy("招商")),
]


def _filtersets():
    found = []
    for config in apps.get_app_configs():
        if not config.name.startswith("apps."):
            continue
        try:
            module = importlib.import_module(f"{config.name}.filters")
        except ModuleNotFoundError:
            continue
        for value in vars(module).values():
            if (
                isinstance(value, type)
                and issubclass(value, django_filters.FilterSet)
                and value.__module__ == module.__name__
                and value._meta.model is not None
            ):
                found.append(value)
    return found


def _both(bound_field) -> tuple[str, str]:
    widget = bound_field.field.widget
    attrs = bound_field.build_widget_attrs({"id": bound_field.auto_id})
    value = bound_field.value()
    fast = widget.render(bound_field.html_name, value, attrs=attrs, renderer=get_default_renderer())
    slow = widget.render(bound_field.html_name, value, attrs=attrs, renderer=TemplatesSetting())
    return fast, slow


def test_the_portal_renderer_is_the_one_used():
    assert isinstance(get_default_renderer(), renderers.PortalRenderer)


@pytest.mark.parametrize("filterset_class", _filtersets(), ids=lambda klass: klass.__name__)
def test_every_filter_form_renders_as_its_templates(filterset_class, role_users):
    request = RequestFactory().get("/")
    request.user = make_role_user("系统管理员", username="renderer-admin")
    empty = filterset_class(data={}, request=request)
    nasty = filterset_class(
        data=dict.fromkeys(filterset_class.base_filters, NASTY), request=request
    )
    compared = 0
    for filterset in (empty, nasty):
        form = filterset.form
        for name in form.fields:
            fast, slow = _both(form[name])
            assert fast == slow, (filterset_class.__name__, name, fast, slow)
            compared += 1
    assert compared


class _Everything(forms.Form):
    text = forms.CharField(widget=forms.TextInput(attrs={"placeholder": NASTY, "data-x": True}))
    number = forms.IntegerField(widget=forms.NumberInput(attrs={"min": 0, "step": 1}))
    day = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}))
    hidden = forms.CharField(widget=forms.HiddenInput)
    email = forms.EmailField()
    password = forms.CharField(widget=forms.PasswordInput(render_value=True))
    url = forms.URLField(assume_scheme="https")
    choice = forms.ChoiceField(choices=GROUPED)
    several = forms.MultipleChoiceField(choices=GROUPED, disabled=True)
    either = forms.NullBooleanField()
    numbers = forms.ChoiceField(choices=[(2023, 2023), (2024, 2024)])  # through the template
    safe = forms.ChoiceField(choices=[("x", mark_safe("<b>X</b>"))])
    optional = forms.CharField(required=False, widget=forms.TextInput(attrs={"autofocus": False}))


@pytest.mark.parametrize(
    "data",
    [
        {},
        {
            "text": NASTY,
            "number": "12",
            "day": "2023-11-05",
            "hidden": NASTY,
            "email": "a@b.cn",
            "password": NASTY,
            "url": "http://x/?a=1&b=2",
            "choice": "<c>",
            "several": ["2", 'a"b'],
            "either": "true",
            "numbers": "2024",
            "safe": "x",
            "optional": "",
        },
    ],
    ids=["unbound-values", "hostile-values"],
)
def test_every_widget_kind_renders_as_its_template(data):
    form = _Everything(data=data or None, initial={"number": 5, "day": "2023-01-02"})
    for name in form.fields:
        fast, slow = _both(form[name])
        assert fast == slow, (name, fast, slow)
    assert "<script>" not in str(form)


class _HiddenLookalike(forms.Widget):
    # Not an Input: its context has no "type"; the template writes type="".
    template_name = "django/forms/widgets/hidden.html"


@pytest.mark.parametrize(
    ("widget", "value"),
    [
        (forms.TextInput(attrs={"data-pair": ("a", "b"), "data-empty": ()}), "x"),
        (forms.TextInput(attrs={"data-one": ("a",)}), "x"),
        (forms.TextInput(attrs={"data-call": lambda: "called"}), "x"),
        (forms.Select(choices=[("x", "X")], attrs={"data-pair": ("a", "b")}), "x"),
        (_HiddenLookalike(), "x"),
    ],
    ids=["tuples", "one-tuple", "callable", "select-tuple", "not-an-input"],
)
def test_values_the_python_does_not_write_go_through_the_template(widget, value):
    fast = widget.render("f", value, renderer=get_default_renderer())
    slow = widget.render("f", value, renderer=TemplatesSetting())
    assert fast == slow
