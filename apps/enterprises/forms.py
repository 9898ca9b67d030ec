from django import forms
from django.urls import reverse_lazy
from django.utils import timezone
from django.utils.functional import lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from apps.accounts.models import Department, User
from apps.core.validators import normalize_credit_code, normalize_phone
from apps.enterprises.models import (
    ChainNode,
    Enterprise,
    Qualification,
    QualificationType,
    StatisticsMembership,
)

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class EnterpriseNameField(forms.CharField):
    """An enterprise chosen by typing its name: suggestions come from the registry's name
    search (enterprises:names, read by static/js/portal.js into a datalist), so a 600-option
    select is never sent to a phone. Resolves to the Enterprise. Every app's forms use it."""

    default_error_messages = {
        "unknown": _("没有名为“%(name)s”的企业，请从提示中选择"),
    }

    def __init__(self, **kwargs):
        kwargs.setdefault("label", _("企业"))
        kwargs.setdefault("max_length", 128)
        kwargs.setdefault(
            "widget",
            forms.TextInput(
                attrs={
                    "list": "enterprise-options",
                    "autocomplete": "off",
                    "data-enterprise-search": reverse_lazy("enterprises:names"),
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
            raise forms.ValidationError(self.error_messages["unknown"], params={"name": name})
        return enterprise


def responsible_staff_choices():
    """包联干部 are drawn from 企业服务局 and 经济发展局 (a few dozen people, not every account)."""
    return (
        User.objects.filter(
            is_active=True,
            department__code__in=[Department.Code.SERVICE, Department.Code.ECONOMY],
        )
        .select_related("department")
        .order_by("department__sort_order", "full_name")
    )


class StaffChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.get_full_name()}（{obj.department.name}）" if obj.department else str(obj)


class ChainNodeSelect(forms.Select):
    """Each node option carries its chain, so the page can offer only the chosen chain's nodes."""

    def create_option(self, name, value, label, selected, index, subindex=None, attrs=None):
        option = super().create_option(name, value, label, selected, index, subindex, attrs)
        instance = getattr(value, "instance", None)
        if instance is not None:
            option["attrs"]["data-chain"] = instance.chain_id
        return option


class EnterpriseForm(forms.ModelForm):
    responsible_staff = StaffChoiceField(
        label=_("包联干部"), queryset=User.objects.none(), required=False
    )

    class Meta:
        model = Enterprise
        fields = [
            "name",
            "credit_code",
            "legal_representative",
            "registered_capital",
            "established_on",
            "settled_on",
            "park",
            "chain",
            "chain_node",
            "address",
            "contact_person",
            "contact_phone",
            "employees",
            "status",
            "responsible_staff",
            "is_strategic_emerging",
            "listing_exchange",
            "stock_code",
            "listed_on",
            "notes",
        ]
        widgets = {
            "established_on": DATE,
            "settled_on": DATE,
            "listed_on": DATE,
            "notes": forms.Textarea(attrs={"rows": 3}),
            "chain_node": ChainNodeSelect(attrs={"data-filter-by": "id_chain"}),
            "credit_code": forms.TextInput(
                attrs={"autocomplete": "off", "maxlength": 18, "style": "text-transform:uppercase"}
            ),
        }
        error_messages = {
            "name": {"unique": _("已有同名企业，企业名称不能重复")},
            "credit_code": {"unique": _("该统一社会信用代码已登记在另一家企业名下")},
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["responsible_staff"].queryset = responsible_staff_choices()
        self.fields["chain_node"].queryset = ChainNode.objects.select_related("chain")
        self.fields["registered_capital"].widget.attrs.setdefault("step", "0.0001")

    def clean_credit_code(self):
        return normalize_credit_code(self.cleaned_data["credit_code"])

    def clean_contact_phone(self):
        return normalize_phone(self.cleaned_data["contact_phone"])

    def clean_name(self):
        return self.cleaned_data["name"].strip()

    def clean(self):
        cleaned = super().clean()
        node, chain = cleaned.get("chain_node"), cleaned.get("chain")
        if node and chain is None:
            cleaned["chain"] = node.chain
        elif node and chain and node.chain_id != chain.pk:
            self.add_error(
                "chain_node",
                _("环节“%(node)s”不属于产业链“%(chain)s”") % {"node": node.name, "chain": chain},
            )
        exchange = cleaned.get("listing_exchange")
        if exchange:
            if not cleaned.get("listed_on"):
                self.add_error("listed_on", _("已上市企业须填写上市日期"))
            if not cleaned.get("stock_code"):
                self.add_error("stock_code", _("已上市企业须填写股票代码"))
        elif cleaned.get("stock_code") or cleaned.get("listed_on"):
            self.add_error("listing_exchange", _("填写了股票代码或上市日期，请选择上市交易所"))
        established, settled = cleaned.get("established_on"), cleaned.get("settled_on")
        today = timezone.localdate()
        if established and established > today:
            self.add_error("established_on", _("成立日期不能晚于今天"))
        if established and settled and settled < established:
            self.add_error("settled_on", _("入驻日期不能早于成立日期"))
        return cleaned


class QualificationForm(forms.ModelForm):
    class Meta:
        model = Qualification
        fields = ["type", "certificate_no", "issued_on", "expires_on", "notes"]
        widgets = {"issued_on": DATE, "expires_on": DATE}
        help_texts = {"expires_on": _("留空则按资质类型的有效期自动计算")}

    def __init__(self, *args, enterprise=None, **kwargs):
        super().__init__(*args, **kwargs)
        if enterprise is not None:
            self.instance.enterprise = enterprise
        self.fields["type"].queryset = QualificationType.objects.all()


class MembershipForm(forms.ModelForm):
    class Meta:
        model = StatisticsMembership
        fields = ["category", "entered_on", "exited_on", "notes"]
        widgets = {"entered_on": DATE, "exited_on": DATE}
        help_texts = {"exited_on": _("仍在库则留空")}

    def __init__(self, *args, enterprise=None, **kwargs):
        super().__init__(*args, **kwargs)
        if enterprise is not None:
            self.instance.enterprise = enterprise


def _year_choices():
    this_year = timezone.localdate().year
    return [(year, gettext("%(year)s年") % {"year": year}) for year in range(this_year, 2014, -1)]


# Built once at import, so the labels stay lazy and follow the language of each request.
_month_label = lazy(lambda month: gettext("%(month)s月") % {"month": month}, str)
MONTH_CHOICES = [(month, _month_label(month)) for month in range(1, 13)]


class PeriodForm(forms.Form):
    year = forms.TypedChoiceField(label=_("年度"), coerce=int, choices=_year_choices)
    month = forms.TypedChoiceField(label=_("月份"), coerce=int, choices=MONTH_CHOICES)


class StatisticsForm(PeriodForm):
    on = forms.DateField(
        label=_("名录统计日期"),
        required=False,
        widget=DATE,
        help_text=_("四上、资质等名录数据的统计日期，留空为所选月份的月末（最新月份为今天）"),
    )
    threshold = forms.IntegerField(
        label=_("下滑预警阈值（%）"),
        required=False,
        min_value=1,
        max_value=90,
        help_text=_("累计产值同比下降超过该比例的企业列入预警，留空为 10%"),
    )


class MonthlyReportUploadForm(PeriodForm):
    file = forms.FileField(
        label=_("月报文件（.xlsx）"),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx"}),
        error_messages={"required": _("请选择要导入的 Excel 文件")},
    )

    MAX_BYTES = 5 * 1024 * 1024

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith(".xlsx"):
            raise forms.ValidationError(_("请上传 .xlsx 格式的 Excel 文件"))
        if upload.size > self.MAX_BYTES:
            raise forms.ValidationError(_("文件不能超过 5 MB"))
        return upload
