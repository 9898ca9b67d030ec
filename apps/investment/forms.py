"""Input forms: validate and normalise only. Transition forms are shared by page and API."""

from django import forms
from django.utils.translation import gettext_lazy as _

from apps.core.lists import DATE_INPUT
from apps.core.workflow import ReasonForm, TransitionForm
from apps.enterprises.forms import EnterpriseNameField
from apps.investment.models import (
    Activity,
    AdmissionReview,
    ChainTarget,
    FollowUp,
    FundsArrival,
    Investor,
    Lead,
    LossReason,
    ResidentReport,
    Signing,
    Team,
)


class CommentForm(TransitionForm):
    comment = forms.CharField(
        label=_("说明"), required=False, widget=forms.Textarea(attrs={"rows": 2}), max_length=2000
    )


class SignForm(TransitionForm):
    kind = forms.ChoiceField(label=_("签约类型"), choices=Signing.Kind.choices)
    amount = forms.DecimalField(
        label=_("合同投资（万元）"), max_digits=14, decimal_places=2, min_value=0
    )
    signed_on = forms.DateField(label=_("签约日期"), widget=DATE_INPUT)
    committed_start_on = forms.DateField(label=_("承诺开工日期"), required=False, widget=DATE_INPUT)
    committed_production_on = forms.DateField(
        label=_("承诺投产日期"), required=False, widget=DATE_INPUT
    )


class RegisterForm(TransitionForm):
    """The enterprise registered in the zone: an existing one, or a new one by name and
    credit code (created through the registry's service)."""

    # Typed with suggestions (the registry's name search), not a select of every enterprise:
    # the project page holds this form, and 6,000 options made it a 400 KB, 1.7 s page.
    enterprise = EnterpriseNameField(label=_("已登记企业"), required=False)
    enterprise_name = forms.CharField(label=_("新企业名称"), required=False, max_length=128)
    credit_code = forms.CharField(label=_("统一社会信用代码"), required=False, max_length=18)

    def clean(self):
        data = super().clean()
        if "enterprise" in self.errors:
            return data  # a name typed but not in the registry: its own message says so
        if not data.get("enterprise") and not (
            data.get("enterprise_name") and data.get("credit_code")
        ):
            raise forms.ValidationError(_("请选择已登记企业，或填写新企业的名称和信用代码"))
        return data


class StartForm(TransitionForm):
    construction_permit_no = forms.CharField(label=_("施工许可证号"), required=False, max_length=64)
    evidence = forms.CharField(
        label=_("开工证明文件"), required=False, max_length=200, help_text=_("无许可证号时填写")
    )
    started_on = forms.DateField(label=_("开工日期"), widget=DATE_INPUT)


class LoseForm(TransitionForm):
    loss_reason = forms.ModelChoiceField(label=_("流失原因"), queryset=LossReason.objects.all())
    reason = forms.CharField(
        label=_("说明"), required=False, widget=forms.Textarea(attrs={"rows": 2}), max_length=200
    )


class TerminateForm(ReasonForm):
    pass


class InvestorForm(forms.ModelForm):
    class Meta:
        model = Investor
        fields = [
            "name",
            "credit_code",
            "tags",
            "province",
            "city",
            "country",
            "contact_name",
            "contact_title",
            "contact_phone",
        ]


class LeadForm(forms.ModelForm):
    to_pool = forms.BooleanField(
        label=_("交组长分派"),
        required=False,
        help_text=_("勾选后线索暂不由本人负责，须在 1 个工作日内由组长分派或由招商人员认领"),
    )

    class Meta:
        model = Lead
        fields = [
            "investor",
            "title",
            "summary",
            "chain_node",
            "chain_role",
            "channel",
            "referrer",
            "activity",
            "planned_investment",
            "fixed_asset_investment",
            "land_mu",
            "expected_output",
            "expected_tax",
            "site_needs",
            "coordination",
            "confidential",
            "team",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["team"].queryset = Team.objects.all()


class ExpectSigningForm(forms.Form):
    month = forms.DateField(
        label=_("预计签约月份"), required=False, widget=DATE_INPUT, help_text=_("取当月 1 日")
    )


class AssignForm(forms.Form):
    owner = forms.ModelChoiceField(label=_("负责人"), queryset=None)

    def __init__(self, *args, lead=None, **kwargs):
        super().__init__(*args, **kwargs)
        from django.db.models import Q

        from apps.accounts.models import User

        members = User.objects.filter(is_active=True)
        if lead is not None and lead.team_id:
            members = members.filter(
                Q(investment_teams=lead.team_id) | Q(led_investment_teams=lead.team_id)
            )
        self.fields["owner"].queryset = members.distinct().order_by("username")


class FollowUpForm(forms.ModelForm):
    class Meta:
        model = FollowUp
        fields = ["on", "kind", "note", "next_step", "next_on"]
        widgets = {"on": DATE_INPUT, "next_on": DATE_INPUT}


class JudgeForm(forms.Form):
    judgement = forms.ChoiceField(
        label=_("研判"), choices=[c for c in Lead.Judgement.choices if c[0] != "pending"]
    )
    reason = forms.CharField(label=_("说明"), required=False, max_length=200)


class ProjectFromLeadForm(forms.Form):
    name = forms.CharField(label=_("项目名称"), max_length=128)


class AdmissionReviewForm(forms.ModelForm):
    class Meta:
        model = AdmissionReview
        fields = [
            "reviewed_on",
            *AdmissionReview.CHECK_ITEMS,
            "jobs",
            "tax_per_mu",
            "conclusion",
            "note",
        ]
        widgets = {"reviewed_on": DATE_INPUT}


class FundsArrivalForm(forms.ModelForm):
    class Meta:
        model = FundsArrival
        fields = ["month", "fixed_assets", "working_capital", "origin"]
        widgets = {"month": DATE_INPUT}


class ActivityForm(forms.ModelForm):
    class Meta:
        model = Activity
        fields = [
            "kind",
            "title",
            "starts_on",
            "ends_on",
            "leading_official",
            "team",
            "province",
            "city",
            "visitors",
            "report",
            "reported_on",
        ]
        widgets = {"starts_on": DATE_INPUT, "ends_on": DATE_INPUT, "reported_on": DATE_INPUT}


class ChainTargetForm(forms.ModelForm):
    class Meta:
        model = ChainTarget
        fields = ["chain_node", "name", "role", "province", "city", "note", "lead"]

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        from apps.investment import selectors

        self.fields["chain_node"].queryset = self.fields["chain_node"].queryset.select_related(
            "chain"
        )
        if user is not None:
            self.fields["lead"].queryset = (
                selectors.lead_list(user).filter(merged=False).select_related(None)
            )


class ResidentReportForm(forms.ModelForm):
    class Meta:
        model = ResidentReport
        fields = ["team", "month", "people", "days_on_site", "visits", "destinations", "work"]
        widgets = {"month": DATE_INPUT}

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        teams = Team.objects.filter(kind=Team.Kind.RESIDENT)
        if user is not None and not user.is_superuser:
            from apps.investment import permissions

            teams = teams.filter(pk__in=permissions.team_ids(user))
        self.fields["team"].queryset = teams


class ResidentReportResubmitForm(TransitionForm):
    people = forms.IntegerField(label=_("在岗人数"), min_value=1, max_value=999)
    days_on_site = forms.IntegerField(label=_("驻地天数"), min_value=0, max_value=31)
    visits = forms.IntegerField(label=_("走访企业（家次）"), min_value=0, max_value=9999)
    destinations = forms.CharField(label=_("走访去向"), required=False, max_length=200)
    work = forms.CharField(
        label=_("工作情况"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, obj=None, **kwargs):
        super().__init__(*args, obj=obj, **kwargs)
        if obj is not None and not self.is_bound:
            for name in self.fields:
                self.fields[name].initial = getattr(obj, name)
