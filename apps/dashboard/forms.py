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

    def __init__(self, *args, rankable=(), parts=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.narrative_names = []
        for key, heading in parts:
            name = f"narrative_{key}"
            self.fields[name] = forms.CharField(
                label=_("%(heading)s：说明") % {"heading": heading},
                required=False,
                max_length=5000,
                help_text=_("附在该部分的数字之后（可不填）"),
                widget=forms.Textarea(attrs={"rows": 3}),
            )
            self.narrative_names.append(name)
        # The parts' text first, in the briefing's order; then 存在问题, 下步工作, the 位次.
        self.order_fields([*self.narrative_names, "problems_note", "next_steps"])
        self.rank_names = []
        for code, label in rankable:
            name = f"rank_{code}"
            self.fields[name] = forms.IntegerField(
                label=_("%(label)s：位次") % {"label": label},
                required=False,
                min_value=1,
                max_value=999,
                help_text=_("在全市开发区中的名次，如 3（可不填）"),
            )
            self.rank_names.append(name)

    def parts(self) -> dict:
        data = self.cleaned_data
        return {
            "next_steps": data["next_steps"],
            "problems_note": data["problems_note"],
            "ranks": {name.removeprefix("rank_"): data.get(name) for name in self.rank_names},
            "narratives": {
                name.removeprefix("narrative_"): data[name] for name in self.narrative_names
            },
        }


TARGET_NUMBER = {"max_digits": 16, "decimal_places": 4, "required": False}


class TargetYearForm(forms.Form):
    """An indicator's targets of a year: the year's value, the cumulative target by each month
    (cumulative indicators only) and each group's share (where splits.py declares a split).
    Fields: annual, m1..m12, g<group id>."""

    def __init__(self, *args, unit: str, cumulative: bool, groups=(), group_label="", **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["annual"] = forms.DecimalField(
            label=_("全年目标（%(unit)s）") % {"unit": unit}, **TARGET_NUMBER
        )
        self.month_names = []
        if cumulative:
            for month in range(1, 13):
                name = f"m{month}"
                self.fields[name] = forms.DecimalField(
                    label=_("1至%(month)s月") % {"month": month}, **TARGET_NUMBER
                )
                self.month_names.append(name)
        self.group_names = []
        for group in groups:
            name = f"g{group.pk}"
            self.fields[name] = forms.DecimalField(label=str(group), **TARGET_NUMBER)
            self.group_names.append(name)
        self.group_label = group_label

    @property
    def month_fields(self):
        return [self[name] for name in self.month_names]

    @property
    def group_fields(self):
        return [self[name] for name in self.group_names]

    def parts(self) -> dict:
        """The cleaned values as the service takes them."""
        data = self.cleaned_data
        return {
            "annual": data.get("annual"),
            "months": {int(name[1:]): data.get(name) for name in self.month_names},
            "groups": {int(name[1:]): data.get(name) for name in self.group_names},
        }
