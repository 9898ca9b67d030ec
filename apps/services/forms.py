"""Forms validate and normalise input only; the views hand the cleaned data to the services."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.accounts.models import Department, User
from apps.core.dates import YEAR_MAX, YEAR_MIN, done_on_validator
from apps.core.workflow import CommentForm, ReasonForm, TransitionForm
from apps.enterprises.forms import EnterpriseNameField
from apps.enterprises.models import Enterprise
from apps.services import selectors
from apps.services.models import (
    Demand,
    FinancingNeed,
    LoanIntent,
    MatchmakingMeeting,
    PolicyApplication,
    Visit,
)

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class StaffChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return obj.get_full_name()


class VisitForm(forms.ModelForm):
    enterprise = EnterpriseNameField()
    staff = StaffChoiceField(
        label=_("走访人员"),
        queryset=User.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("请至少选择一名走访人员")},
    )

    class Meta:
        model = Visit
        fields = ["enterprise", "visited_on", "method", "staff", "purpose", "findings"]
        widgets = {
            "visited_on": DATE,
            "method": forms.RadioSelect,
            "findings": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, user: User, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["staff"].queryset = selectors.service_staff()
        self.fields["visited_on"].initial = timezone.localdate()
        self.fields["visited_on"].validators.append(done_on_validator(_("走访日期")))
        self.fields["staff"].initial = [user.pk]


class VisitUpdateForm(VisitForm):
    """Correcting a visit: the same fields and layout, without the enterprise (a visit to
    another enterprise is another visit) and the demands (they have their own lifecycle)."""

    enterprise = None

    class Meta(VisitForm.Meta):
        fields = ["visited_on", "method", "staff", "purpose", "findings"]

    def __init__(self, *args, user: User, **kwargs):
        super().__init__(*args, user=user, **kwargs)
        # An officer who has since left 企业服务局 stays ticked rather than silently dropped.
        self.fields["staff"].queryset = selectors.visit_staff_choices(self.instance)


class VisitDemandForm(forms.Form):
    """One demand raised during a visit: a row of the visit form."""

    category = forms.ModelChoiceField(label=_("类别"), queryset=None, empty_label=_("请选择"))
    description = forms.CharField(
        label=_("诉求内容"), widget=forms.Textarea(attrs={"rows": 2}), max_length=2000
    )
    priority = forms.ChoiceField(
        label=_("优先级"), choices=Demand.Priority.choices, initial=Demand.Priority.NORMAL
    )
    department = forms.ModelChoiceField(
        label=_("责任部门"),
        queryset=None,
        required=False,
        empty_label=_("按类别默认"),
    )
    deadline = forms.DateField(
        label=_("办理期限"), required=False, widget=DATE, help_text=_("留空按类别时限计算")
    )

    def __init__(self, *args, **kwargs):
        from apps.services.models import DemandCategory

        super().__init__(*args, **kwargs)
        self.fields["category"].queryset = DemandCategory.objects.select_related(
            "default_department"
        )
        self.fields["department"].queryset = selectors.responsible_departments()


class BaseVisitDemandFormSet(forms.BaseFormSet):
    def clean(self):
        super().clean()
        for form in self.forms:
            if form.has_changed() and not form.cleaned_data.get("description", "").strip():
                form.add_error("description", _("请填写诉求内容"))


VisitDemandFormSet = forms.formset_factory(
    VisitDemandForm,
    formset=BaseVisitDemandFormSet,
    extra=0,
    # A row is removed by taking it out of the page (static/js/services.js renumbers the
    # rest), not by a 删除 checkbox that leaves it on the form.
    can_delete=False,
    max_num=20,
    validate_max=True,
)


class DemandForm(forms.ModelForm):
    """A demand that did not come from a visit (phone, self-reported, project work)."""

    enterprise = EnterpriseNameField()
    department = forms.ModelChoiceField(
        label=_("责任部门"), queryset=None, required=False, empty_label=_("按类别默认")
    )
    deadline = forms.DateField(
        label=_("办理期限"), required=False, widget=DATE, help_text=_("留空按类别时限计算")
    )

    class Meta:
        model = Demand
        fields = [
            "enterprise",
            "source",
            "project",
            "category",
            "description",
            "priority",
            "raised_on",
            "department",
            "deadline",
        ]
        widgets = {
            "raised_on": DATE,
            "description": forms.Textarea(attrs={"rows": 3}),
            # Set from the project page's "提出问题" link (?project=).
            "project": forms.HiddenInput,
        }

    def __init__(self, *args, user: User, **kwargs):
        from apps.services.permissions import can_register_demand

        super().__init__(*args, **kwargs)
        self.fields["department"].queryset = selectors.responsible_departments()
        self.fields["raised_on"].initial = timezone.localdate()
        # Demands from visits are logged with the visit; a liaison officer logs project ones.
        self.fields["source"].choices = [
            (value, label)
            for value, label in Demand.Source.choices
            if value != Demand.Source.VISIT and can_register_demand(user, value)
        ]


# --- Transition inputs (apps.services.services: the workflows' forms, page and API alike) ---


class AcceptForm(TransitionForm):
    assignee = forms.ModelChoiceField(
        label=_("承办人"), queryset=User.objects.none(), required=False, empty_label=_("我自己")
    )
    deadline = forms.DateField(
        label=_("办理期限"), required=False, widget=DATE, help_text=_("可按承诺时限调整")
    )
    comment = forms.CharField(label=_("说明"), required=False, max_length=1000)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.obj is not None:
            self.fields["deadline"].initial = self.obj.deadline
            self.fields["assignee"].queryset = User.objects.filter(
                is_active=True, department=self.obj.department_id
            ).order_by("full_name")
        self.fields["assignee"].label_from_instance = lambda user: user.get_full_name()


class CloseForm(TransitionForm):
    resolution = forms.CharField(
        label=_("办理结果"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=4000,
        error_messages={"required": _("办结须填写办理结果")},
    )
    closed_on = forms.DateField(label=_("办结日期"), required=False, widget=DATE)


class FollowUpForm(TransitionForm):
    satisfaction = forms.ChoiceField(
        label=_("满意度"),
        choices=Demand.Satisfaction.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("请选择满意度")},
    )
    comment = forms.CharField(
        label=_("回访情况"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=2000,
        help_text=_("不满意时必填，诉求将退回责任部门重新办理"),
    )


class InstructForm(TransitionForm):
    instruction = forms.CharField(
        label=_("批示内容"),
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=2000,
        error_messages={"required": _("批示内容不能为空")},
    )


class ReturnForm(TransitionForm):
    reason = forms.CharField(
        label=_("退回原因"),
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=2000,
        error_messages={"required": _("退回须说明原因")},
    )


class ReassignForm(TransitionForm):
    department = forms.ModelChoiceField(
        label=_("转至部门"),
        queryset=Department.objects.none(),
        error_messages={"required": _("请选择转至的部门")},
    )
    reason = forms.CharField(
        label=_("转办原因"),
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=2000,
        error_messages={"required": _("转办须说明原因")},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        departments = selectors.responsible_departments()
        if self.obj is not None:
            departments = departments.exclude(pk=self.obj.department_id)
        self.fields["department"].queryset = departments


LoanCommentForm = CommentForm


class LoanCreditForm(TransitionForm):
    credit_amount = forms.DecimalField(
        label=_("授信金额（万元）"),
        max_digits=12,
        decimal_places=2,
        error_messages={"required": _("已授信须填写授信金额")},
    )
    comment = forms.CharField(label=_("说明"), required=False, max_length=1000)


class LoanDisburseForm(TransitionForm):
    disbursed_amount = forms.DecimalField(
        label=_("放款金额（万元）"),
        max_digits=12,
        decimal_places=2,
        error_messages={"required": _("已放款须填写放款金额")},
    )
    comment = forms.CharField(label=_("说明"), required=False, max_length=1000)


class ApplicationSubmitForm(TransitionForm):
    on = forms.DateField(
        label=_("申报日期"), widget=DATE, error_messages={"required": _("请填写申报日期")}
    )
    comment = forms.CharField(label=_("说明"), required=False, max_length=1000)


class ApplicationApproveForm(TransitionForm):
    on = forms.DateField(
        label=_("获批日期"), widget=DATE, error_messages={"required": _("请填写获批日期")}
    )
    amount_granted = forms.DecimalField(
        label=_("获批金额（万元）"), required=False, max_digits=12, decimal_places=2
    )
    certificate_no = forms.CharField(label=_("证书编号"), required=False, max_length=64)


class ApplicationRejectForm(ReasonForm):
    on = forms.DateField(
        label=_("结果日期"), widget=DATE, error_messages={"required": _("请填写结果日期")}
    )

    field_order = ["on", "reason"]


class LoanIntentForm(forms.ModelForm):
    enterprise = EnterpriseNameField()

    class Meta:
        model = LoanIntent
        fields = ["enterprise", "institution", "meeting", "amount", "signed_on"]
        widgets = {"signed_on": DATE}


class FinancingNeedForm(forms.ModelForm):
    enterprise = EnterpriseNameField()

    class Meta:
        model = FinancingNeed
        fields = ["enterprise", "amount", "purpose", "raised_on", "meeting"]
        widgets = {"raised_on": DATE}


class MeetingForm(forms.ModelForm):
    enterprise_names = forms.CharField(
        label=_("参会企业"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("每行一个企业名称"),
    )

    class Meta:
        model = MatchmakingMeeting
        fields = ["title", "held_on", "organiser", "location", "institutions", "notes"]
        widgets = {"held_on": DATE, "institutions": forms.CheckboxSelectMultiple}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk and not self.is_bound:
            self.fields["enterprise_names"].initial = "\n".join(
                self.instance.enterprises.values_list("name", flat=True)
            )

    def clean_enterprise_names(self):
        names = [
            line.strip()
            for line in self.cleaned_data["enterprise_names"].splitlines()
            if line.strip()
        ]
        found = {e.name: e for e in Enterprise.objects.filter(name__in=names)}
        unknown = [name for name in names if name not in found]
        if unknown:
            raise ValidationError(
                _("找不到这些企业：%(names)s"), params={"names": "、".join(unknown)}
            )
        return list(found.values())

    def save(self, commit=True):
        meeting = super().save(commit=commit)
        if commit:
            meeting.enterprises.set(self.cleaned_data["enterprise_names"])
        return meeting


class ApplicationForm(forms.ModelForm):
    enterprise = EnterpriseNameField()
    # The column takes any small number; a year outside these is a typing slip.
    year = forms.IntegerField(label=_("申报年度"), min_value=YEAR_MIN, max_value=YEAR_MAX)
    helpers = StaffChoiceField(
        label=_("辅导人员"),
        queryset=User.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = PolicyApplication
        fields = ["enterprise", "programme", "year", "started_on", "helpers", "notes"]
        widgets = {"started_on": DATE, "notes": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["helpers"].queryset = User.objects.filter(
            is_active=True, department__code__in=["economy", "service"]
        ).order_by("department__sort_order", "full_name")
        self.fields["year"].initial = timezone.localdate().year
