"""Control characters are refused on input everywhere: forms and API bodies alike."""

import pytest
from django import forms
from rest_framework import serializers


class _Form(forms.Form):
    purpose = forms.CharField()
    notes = forms.CharField(widget=forms.Textarea, required=False)


class _Body(serializers.Serializer):
    purpose = serializers.CharField(validators=[])


@pytest.mark.parametrize(
    "value",
    [
        "流动\x0b资金",
        "a\x01b",
        "a\x1fb",
        "a\x7fb",
        "a\x85b",
        "平稳\uffff增长",
        "a\ufffeb",
        "a\ud800b",
    ],
)
def test_a_form_refuses_control_characters_with_a_clear_message(value):
    form = _Form({"purpose": value})
    assert not form.is_valid()
    assert form.errors["purpose"] == ["内容含有不可见的控制字符，请删除后重新提交"]


@pytest.mark.parametrize("value", ["a\x01", "流动\x0b资金"])
def test_an_api_body_refuses_control_characters_even_on_a_field_with_its_own_validators(value):
    body = _Body(data={"purpose": value})
    assert not body.is_valid()
    assert body.errors["purpose"][0].code == "control_characters"


def test_tabs_and_line_breaks_are_ordinary_text():
    assert _Form({"purpose": "用途", "notes": "第一行\r\n第二行\t备注"}).is_valid()
    assert _Body(data={"purpose": "a\tb\nc"}).is_valid()
