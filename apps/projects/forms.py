"""Input forms of 项目台账: validate and normalise only; the services decide."""

from django import forms
from django.utils.translation import gettext_lazy as _

from apps.accounts.models import User
from apps.core.lists import DATE_INPUT
from apps.core.workflow import CommentForm, ReasonForm, TransitionForm
from apps.projects.models import (
    AnnualPlan,
    Approval,
    Milestone,
    MonthlyReport,
    Project,
    approval_kinds,
)

__all__ = ["CommentForm", "ReasonForm"]


class StartForm(TransitionForm):
    started_on = forms.DateField(label=_("实际开工日期"), widget=DATE_INPUT)


class CompleteForm(TransitionForm):
    completed_on = forms.DateField(label=_("实际竣工日期"), widget=DATE_INPUT)


class HaltForm(ReasonForm):
    halted_on = forms.DateField(label=_("停缓建日期"), widget=DATE_INPUT)


class ProjectForm(forms.ModelForm):
    class Meta:
        model = Project
        fields = [
            "name",
            "enterprise",
            "investment_project",
            "level",
            "chain",
            "chain_node",
            "park",
            "location",
            "content",
            "capacity",
            "total_investment",
            "fund_own",
            "fund_loan",
            "fund_government",
            "fund_other",
            "start_year",
            "end_year",
            "planned_start",
            "planned_completion",
            "prior_investment",
            "leader",
            "department",
            "liaison",
            "owner_contact",
            "owner_phone",
            "registered_on",
        ]
        widgets = {
            "planned_start": DATE_INPUT,
            "planned_completion": DATE_INPUT,
            "registered_on": DATE_INPUT,
            "content": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        active = User.objects.filter(is_active=True).order_by("username")
        self.fields["liaison"].queryset = active.filter(groups__name="项目联络员")
        self.fields["leader"].queryset = active.filter(groups__name="领导")
        self.fields["enterprise"].queryset = self.fields["enterprise"].queryset.order_by("name")
        self.fields["investment_project"].queryset = self.fields[
            "investment_project"
        ].queryset.filter(status__in=["signed", "registered", "started", "producing", "capacity"])


class PlanForm(forms.ModelForm):
    monthly_text = forms.CharField(
        label=_("分月计划（万元）"),
        required=False,
        help_text=_("12个数，以逗号分隔；不填则按年度计划平均分摊"),
        max_length=400,
    )

    class Meta:
        model = AnnualPlan
        fields = ["year", "planned", "is_key"]

    def clean_monthly_text(self):
        from decimal import Decimal, InvalidOperation

        text = (self.cleaned_data.get("monthly_text") or "").replace("，", ",").strip()
        if not text:
            return None
        try:
            values = [Decimal(part.strip()) for part in text.split(",")]
        except InvalidOperation:
            raise forms.ValidationError(_("分月计划应为12个数字")) from None
        if len(values) != 12 or any(not v.is_finite() or v < 0 for v in values):
            raise forms.ValidationError(_("分月计划应为12个不小于0的数字"))
        return values


class ReportForm(forms.ModelForm):
    photo = forms.ImageField(label=_("形象进度照片"), required=False)
    photo_caption = forms.CharField(label=_("照片说明"), required=False, max_length=200)

    class Meta:
        model = MonthlyReport
        fields = ["year", "month", "invested", "progress", "next_plan", "problems"]
        widgets = {
            "progress": forms.Textarea(attrs={"rows": 3}),
            "next_plan": forms.Textarea(attrs={"rows": 2}),
            "problems": forms.Textarea(attrs={"rows": 2}),
            "invested": forms.NumberInput(attrs={"inputmode": "decimal", "step": "0.01"}),
        }


class MilestoneForm(forms.ModelForm):
    class Meta:
        model = Milestone
        fields = ["name", "due_on", "department", "person", "done_on", "note"]
        widgets = {"due_on": DATE_INPUT, "done_on": DATE_INPUT}


class ApprovalForm(forms.ModelForm):
    kind = forms.ChoiceField(label=_("手续"), choices=())

    class Meta:
        model = Approval
        fields = ["kind", "planned_on", "done_on", "document_no", "valid_until"]
        widgets = {"planned_on": DATE_INPUT, "done_on": DATE_INPUT, "valid_until": DATE_INPUT}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = approval_kinds()
