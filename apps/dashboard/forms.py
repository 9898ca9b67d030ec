from django import forms
from django.utils.translation import gettext_lazy as _


class BriefingCreateForm(forms.Form):
    year = forms.IntegerField(label=_("年度"), min_value=2000, max_value=2100)
    month = forms.IntegerField(label=_("月份"), min_value=1, max_value=12)
    next_steps = forms.CharField(
        label=_("下步工作"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 5}),
    )


class BriefingNarrativeForm(forms.Form):
    problems_note = forms.CharField(
        label=_("存在问题（补充）"),
        required=False,
        max_length=5000,
        help_text=_("附在由数据生成的问题之后"),
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    next_steps = forms.CharField(
        label=_("下步工作"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 6}),
    )
