from django import forms
from django.utils.translation import gettext_lazy as _

from apps.accounts.models import Department, User
from apps.core.dates import YEAR_MAX, YEAR_MIN
from apps.staff.models import Appraisal, Candidate, Grade, Position, StaffMember
from apps.staff.services import STAFF_MEMBER_FIELDS
from apps.staff.validators import id_number_birth_date, normalize_id_number
from apps.staff.workflow_forms import DATE_WIDGET


class AppointmentForm(forms.Form):
    staff = forms.ModelChoiceField(
        label=_("工作人员"), queryset=StaffMember.objects.filter(status=StaffMember.Status.ACTIVE)
    )
    position = forms.ModelChoiceField(
        label=_("岗位"), queryset=Position.objects.select_related("department")
    )
    start_date = forms.DateField(label=_("起始日期"), widget=DATE_WIDGET)
    end_date = forms.DateField(
        label=_("终止日期"),
        widget=DATE_WIDGET,
        required=False,
        help_text=_("留空：三年（领导班子任期制默认三年）"),
    )
    probation_end = forms.DateField(label=_("试用期至"), widget=DATE_WIDGET, required=False)


class AppraisalForm(forms.Form):
    staff = forms.ModelChoiceField(
        label=_("工作人员"), queryset=StaffMember.objects.filter(status=StaffMember.Status.ACTIVE)
    )
    year = forms.IntegerField(label=_("年度"), min_value=YEAR_MIN, max_value=YEAR_MAX)
    quarter = forms.TypedChoiceField(
        label=_("考核期"), choices=Appraisal.Quarter.choices, coerce=int, initial=0
    )
    score = forms.DecimalField(
        label=_("考核得分"), min_value=0, max_value=100, max_digits=5, decimal_places=2
    )
    grade = forms.ChoiceField(label=_("等次"), choices=Grade.choices)
    comments = forms.CharField(
        label=_("评语"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class ScoreForm(forms.ModelForm):
    class Meta:
        model = Candidate
        fields = ["written_score", "interview_score", "democratic_score"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.required = True


class PaySheetForm(forms.Form):
    department = forms.ModelChoiceField(label=_("部门"), queryset=Department.objects.all())
    year = forms.IntegerField(label=_("年度"), min_value=YEAR_MIN, max_value=YEAR_MAX)
    quarter = forms.TypedChoiceField(
        label=_("考核期"), choices=Appraisal.Quarter.choices, coerce=int, initial=0
    )


class AccountChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        name = obj.get_full_name()
        return f"{name}（{obj.username}）" if name else obj.username


class StaffMemberForm(forms.ModelForm):
    """A staff record as HR keeps it. The ID number is a field only for those who may see it
    (for others the form leaves it out and the record keeps it). The form posts: an ID number
    never travels in a URL."""

    user = AccountChoiceField(
        label=_("登录账号"),
        queryset=User.objects.none(),
        required=False,
        empty_label=_("无"),
        help_text=_("此人用来登录门户的账号（可留空）"),
    )

    class Meta:
        model = StaffMember
        fields = list(STAFF_MEMBER_FIELDS)
        widgets = {
            "birth_date": DATE_WIDGET,
            "id_number": forms.TextInput(
                attrs={"autocomplete": "off", "inputmode": "text", "spellcheck": "false"}
            ),
            "phone": forms.TextInput(attrs={"inputmode": "tel"}),
        }
        help_texts = {"birth_date": _("须与身份证号中的出生日期一致；留空则按身份证号填写")}

    def __init__(self, *args, show_id_number: bool, **kwargs):
        super().__init__(*args, **kwargs)
        if not show_id_number:
            del self.fields["id_number"]
        self.fields["birth_date"].required = False
        # Accounts not yet linked to another staff record, plus this record's own.
        taken = StaffMember.objects.exclude(pk=self.instance.pk).exclude(user=None)
        self.fields["user"].queryset = (
            User.objects.filter(is_active=True)
            .exclude(pk__in=taken.values("user_id"))
            .order_by("username")
        )

    def clean_id_number(self):
        return normalize_id_number(self.cleaned_data["id_number"])

    def clean(self):
        cleaned = super().clean()
        number = cleaned.get("id_number", self.instance.id_number or "")
        if not cleaned.get("birth_date") and "birth_date" not in self.errors:
            birth = id_number_birth_date(number) if len(number) == 18 else None
            if birth is None:
                self.add_error("birth_date", _("请填写出生日期"))
            else:
                cleaned["birth_date"] = birth
        return cleaned
