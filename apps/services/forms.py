"""Forms validate and normalise input only; the views hand the cleaned data to the services."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.accounts.models import User
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


class EnterpriseNameField(forms.CharField):
    """An enterprise chosen by typing its name (a datalist filled by the search endpoint
    suggests names); resolves to the Enterprise, so a 600-option select is never sent."""

    default_error_messages = {
        "unknown": _("没有名为“%(name)s”的企业，请从提示中选择"),
    }

    def __init__(self, **kwargs):
        kwargs.setdefault("label", _("企业"))
        kwargs.setdefault(
            "widget",
            forms.TextInput(
                attrs={
                    "list": "enterprise-options",
                    "autocomplete": "off",
                    "data-enterprise-search": "",
                    "placeholder": _("输入企业名称关键字"),
                }
            ),
        )
        super().__init__(**kwargs)

    def prepare_value(self, value):
        if isinstance(value, Enterprise):
            return value.name
        if isinstance(value, int):
            return Enterprise.objects.filter(pk=value).values_list("name", flat=True).first()
        return value

    def clean(self, value):
        name = super().clean(value)
        if not name:
            return None
        enterprise = Enterprise.objects.filter(name=name.strip()).first()
        if enterprise is None:
            raise ValidationError(self.error_messages["unknown"], params={"name": name})
        return enterprise


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
        self.fields["staff"].initial = [user.pk]

    def clean_visited_on(self):
        visited_on = self.cleaned_data["visited_on"]
        if visited_on > timezone.localdate():
            raise ValidationError(_("走访日期不能晚于今天"))
        return visited_on


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
            wanted = form.has_changed() and not form.cleaned_data.get("DELETE")
            if wanted and not form.cleaned_data.get("description", "").strip():
                form.add_error("description", _("请填写诉求内容"))


VisitDemandFormSet = forms.formset_factory(
    VisitDemandForm,
    formset=BaseVisitDemandFormSet,
    extra=0,
    can_delete=True,
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
            "category",
            "description",
            "priority",
            "raised_on",
            "department",
            "deadline",
        ]
        widgets = {"raised_on": DATE, "description": forms.Textarea(attrs={"rows": 3})}

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


class AcceptForm(forms.Form):
    assignee = forms.ModelChoiceField(
        label=_("承办人"), queryset=None, required=False, empty_label=_("我自己")
    )
    deadline = forms.DateField(
        label=_("办理期限"), required=False, widget=DATE, help_text=_("可按承诺时限调整")
    )
    comment = forms.CharField(label=_("说明"), required=False, max_length=1000)

    def __init__(self, *args, demand: Demand, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["deadline"].initial = demand.deadline
        self.fields["assignee"].queryset = User.objects.filter(
            is_active=True, department=demand.department_id
        ).order_by("full_name")
        self.fields["assignee"].label_from_instance = lambda user: user.get_full_name()


class CloseForm(forms.Form):
    resolution = forms.CharField(
        label=_("办理结果"), widget=forms.Textarea(attrs={"rows": 3}), max_length=4000
    )
    closed_on = forms.DateField(label=_("办结日期"), required=False, widget=DATE)

    def __init__(self, *args, demand: Demand, **kwargs):
        super().__init__(*args, **kwargs)


class FollowUpForm(forms.Form):
    satisfaction = forms.ChoiceField(
        label=_("满意度"), choices=Demand.Satisfaction.choices, widget=forms.RadioSelect
    )
    comment = forms.CharField(
        label=_("回访情况"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("不满意时必填，诉求将退回责任部门重新办理"),
    )

    def __init__(self, *args, demand: Demand, **kwargs):
        super().__init__(*args, **kwargs)


class InstructForm(forms.Form):
    instruction = forms.CharField(
        label=_("批示内容"), widget=forms.Textarea(attrs={"rows": 2}), max_length=2000
    )

    def __init__(self, *args, demand: Demand, **kwargs):
        super().__init__(*args, **kwargs)


class ReturnForm(forms.Form):
    reason = forms.CharField(label=_("退回原因"), widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, demand: Demand, **kwargs):
        super().__init__(*args, **kwargs)


class ReassignForm(forms.Form):
    department = forms.ModelChoiceField(label=_("转至部门"), queryset=None)
    reason = forms.CharField(label=_("转办原因"), widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, demand: Demand, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["department"].queryset = selectors.responsible_departments().exclude(
            pk=demand.department_id
        )


class LoanIntentForm(forms.ModelForm):
    enterprise = EnterpriseNameField()

    class Meta:
        model = LoanIntent
        fields = ["enterprise", "institution", "meeting", "amount", "signed_on"]
        widgets = {"signed_on": DATE}


class LoanAdvanceForm(forms.Form):
    status = forms.ChoiceField(label=_("新状态"), choices=())
    credit_amount = forms.DecimalField(
        label=_("授信金额（万元）"), required=False, max_digits=12, decimal_places=2
    )
    disbursed_amount = forms.DecimalField(
        label=_("放款金额（万元）"), required=False, max_digits=12, decimal_places=2
    )
    reason = forms.CharField(label=_("未成功原因"), required=False, max_length=200)

    def __init__(self, *args, intent: LoanIntent, **kwargs):
        from apps.services.services import LOAN_NEXT

        super().__init__(*args, **kwargs)
        self.fields["status"].choices = [
            (status, LoanIntent.Status(status).label)
            for status in LoanIntent.Status.values
            if status in LOAN_NEXT[intent.status]
        ]


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
    year = forms.IntegerField(label=_("申报年度"), min_value=2000, max_value=2100)
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


class ApplicationAdvanceForm(forms.Form):
    status = forms.ChoiceField(label=_("新状态"), choices=())
    on = forms.DateField(label=_("日期"), widget=DATE)
    amount_granted = forms.DecimalField(
        label=_("获批金额（万元）"), required=False, max_digits=12, decimal_places=2
    )
    certificate_no = forms.CharField(label=_("证书编号"), required=False, max_length=64)

    def __init__(self, *args, application: PolicyApplication, **kwargs):
        from apps.services.services import APPLICATION_NEXT

        super().__init__(*args, **kwargs)
        self.fields["status"].choices = [
            (status, PolicyApplication.Status(status).label)
            for status in PolicyApplication.Status.values
            if status in APPLICATION_NEXT[application.status]
        ]
        self.fields["on"].initial = timezone.localdate()
