from decimal import Decimal

from django.conf import settings
from django.contrib.postgres.constraints import ExclusionConstraint
from django.contrib.postgres.fields import DateRangeField, RangeBoundary, RangeOperators
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.db.models.lookups import Exact
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from apps.accounts.models import Department
from apps.core.dates import YEAR_MAX, YEAR_MIN
from apps.core.models import TimeStampedModel, WorkflowEvent
from apps.core.validators import normalize_name_fields, validate_phone
from apps.staff.validators import (
    id_number_birth_date,
    mask_id_number,
    normalize_id_number,
    validate_id_number,
)

SCORE_VALIDATORS = [MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("100"))]


class DateRange(models.Func):
    """daterange(start, end, '[]'): both days belong to the appointment."""

    function = "daterange"
    output_field = DateRangeField()

    def __init__(self, start, end):
        super().__init__(start, end, RangeBoundary(inclusive_lower=True, inclusive_upper=True))


class Grade(models.TextChoices):
    EXCELLENT = "excellent", _("优秀")
    COMPETENT = "competent", _("称职")
    BASIC = "basic", _("基本称职")
    INCOMPETENT = "incompetent", _("不称职")


# Grades "below 称职": two consecutive years of these flag a person for review.
BELOW_COMPETENT = (Grade.BASIC, Grade.INCOMPETENT)


class SalaryGrade(TimeStampedModel):
    """A pay grade. Amounts are 元 per month (pay sheets are read in 元, not 万元)."""

    code = models.CharField(_("薪级代码"), max_length=16, unique=True)
    name = models.CharField(_("薪级名称"), max_length=32)
    base_pay = models.DecimalField(
        _("月基本工资（元）"), max_digits=10, decimal_places=2, validators=[MinValueValidator(0)]
    )
    performance_base = models.DecimalField(
        _("月绩效基数（元）"), max_digits=10, decimal_places=2, validators=[MinValueValidator(0)]
    )
    sort_order = models.PositiveSmallIntegerField(_("排序"), default=0)
    history = HistoricalRecords()

    class Meta:
        ordering = ["sort_order", "code"]
        verbose_name = _("薪级")
        verbose_name_plural = _("薪级")
        constraints = [
            models.CheckConstraint(
                condition=Q(base_pay__gte=0) & Q(performance_base__gte=0),
                name="staff_salarygrade_amounts_not_negative",
                violation_error_message=_("工资金额不能为负数"),
            )
        ]

    def __str__(self):
        return f"{self.code} {self.name}"


class GradeRule(TimeStampedModel):
    """What an appraisal grade means for pay, and how many people may receive it."""

    grade = models.CharField(_("考核等次"), max_length=16, choices=Grade.choices, unique=True)
    coefficient = models.DecimalField(
        _("绩效系数"),
        max_digits=4,
        decimal_places=2,
        validators=[MinValueValidator(0), MaxValueValidator(5)],
    )
    max_share = models.DecimalField(
        _("部门最高占比"),
        max_digits=3,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(1)],
        help_text=_("如 0.20 表示一个考核期内该等次最多占部门人数的 20%；留空表示不限"),
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["-coefficient"]
        verbose_name = _("等次系数")
        verbose_name_plural = _("等次系数")
        constraints = [
            models.CheckConstraint(
                condition=Q(coefficient__gte=0)
                & (Q(max_share__isnull=True) | Q(max_share__gte=0, max_share__lte=1)),
                name="staff_graderule_ranges",
                violation_error_message=_("系数不能为负，占比应在 0 到 1 之间"),
            )
        ]

    def __str__(self):
        return f"{self.get_grade_display()} × {self.coefficient}"


class Position(TimeStampedModel):
    class Kind(models.TextChoices):
        LEADERSHIP = "leadership", _("领导班子")
        MIDDLE = "middle", _("中层")
        GENERAL = "general", _("一般岗位")

    department = models.ForeignKey(
        Department, verbose_name=_("部门"), on_delete=models.PROTECT, related_name="positions"
    )
    title = models.CharField(_("岗位名称"), max_length=64)
    kind = models.CharField(_("岗位类别"), max_length=16, choices=Kind.choices)
    headcount = models.PositiveSmallIntegerField(_("核定职数"), validators=[MinValueValidator(1)])
    salary_grade = models.ForeignKey(
        SalaryGrade, verbose_name=_("薪级"), on_delete=models.PROTECT, related_name="positions"
    )
    duties = models.TextField(_("岗位职责"), blank=True)
    sort_order = models.PositiveSmallIntegerField(_("排序"), default=0)
    history = HistoricalRecords()

    class Meta:
        ordering = ["department__sort_order", "sort_order", "id"]
        verbose_name = _("岗位")
        verbose_name_plural = _("岗位")
        constraints = [
            models.UniqueConstraint(
                fields=["department", "title"],
                name="staff_position_unique_title",
                violation_error_message=_("该部门已有同名岗位"),
            ),
            models.CheckConstraint(
                condition=Q(headcount__gte=1),
                name="staff_position_headcount_positive",
                violation_error_message=_("核定职数至少为 1"),
            ),
        ]

    def __str__(self):
        return f"{self.department.name}·{self.title}"

    def clean(self):
        normalize_name_fields(self, "title")


class StaffMember(TimeStampedModel):
    class Gender(models.TextChoices):
        MALE = "M", _("男")
        FEMALE = "F", _("女")

    class Education(models.TextChoices):
        DOCTORATE = "doctorate", _("博士研究生")
        MASTER = "master", _("硕士研究生")
        BACHELOR = "bachelor", _("大学本科")
        COLLEGE = "college", _("大学专科")
        SECONDARY = "secondary", _("中专及以下")

    class FormerStatus(models.TextChoices):
        CIVIL = "civil", _("行政编制")
        INSTITUTION = "institution", _("事业编制")
        NON_ESTABLISHMENT = "non_establishment", _("编外")
        RECRUITED = "recruited", _("社会招聘")

    class Status(models.TextChoices):
        ACTIVE = "active", _("在职")
        LEFT = "left", _("离职")

    name = models.CharField(_("姓名"), max_length=32)
    gender = models.CharField(_("性别"), max_length=1, choices=Gender.choices)
    birth_date = models.DateField(_("出生日期"))
    id_number = models.CharField(
        _("身份证号"), max_length=18, unique=True, validators=[validate_id_number]
    )
    phone = models.CharField(_("联系电话"), max_length=20, blank=True, validators=[validate_phone])
    education = models.CharField(_("学历"), max_length=16, choices=Education.choices)
    former_status = models.CharField(_("原身份"), max_length=20, choices=FormerStatus.choices)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("登录账号"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="staff_member",
    )
    status = models.CharField(
        _("状态"), max_length=8, choices=Status.choices, default=Status.ACTIVE
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["name", "id"]
        verbose_name = _("工作人员")
        verbose_name_plural = _("工作人员")

    def __str__(self):
        return self.name

    @property
    def masked_id_number(self) -> str:
        return mask_id_number(self.id_number)

    def clean(self):
        super().clean()
        self.id_number = normalize_id_number(self.id_number)
        birth = id_number_birth_date(self.id_number) if len(self.id_number) == 18 else None
        if birth and self.birth_date and birth != self.birth_date:
            raise ValidationError(
                {
                    "birth_date": _("出生日期与身份证号中的出生日期（%(date)s）不一致")
                    % {"date": birth}
                }
            )


class SelectionRound(TimeStampedModel):
    """A 竞争上岗 / 双向选聘 round."""

    class Status(models.TextChoices):
        OPEN = "open", _("报名与评分")
        COMPUTED = "computed", _("已匹配待确认")
        CONFIRMED = "confirmed", _("已确认聘任")

    name = models.CharField(_("名称"), max_length=64, unique=True)
    start_date = models.DateField(_("开始日期"))
    end_date = models.DateField(_("结束日期"))
    appointment_start = models.DateField(_("聘任起始日"))
    contract_years = models.PositiveSmallIntegerField(
        _("聘期（年）"), default=3, validators=[MinValueValidator(1), MaxValueValidator(3)]
    )
    weight_written = models.DecimalField(_("笔试权重"), max_digits=3, decimal_places=2)
    weight_interview = models.DecimalField(_("面试权重"), max_digits=3, decimal_places=2)
    weight_democratic = models.DecimalField(_("民主测评权重"), max_digits=3, decimal_places=2)
    status = models.CharField(_("状态"), max_length=16, choices=Status.choices, default=Status.OPEN)
    computed_at = models.DateTimeField(_("匹配时间"), null=True, blank=True)
    confirmed_at = models.DateTimeField(_("确认时间"), null=True, blank=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("确认人"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["-start_date", "id"]
        verbose_name = _("选聘轮次")
        verbose_name_plural = _("选聘轮次")
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__gte=F("start_date")),
                name="staff_round_dates_ordered",
                violation_error_message=_("结束日期不能早于开始日期"),
            ),
            models.CheckConstraint(
                condition=Q(
                    weight_written__gte=0, weight_interview__gte=0, weight_democratic__gte=0
                )
                & Q(
                    Exact(
                        F("weight_written") + F("weight_interview") + F("weight_democratic"),
                        Decimal("1"),
                    )
                ),
                name="staff_round_weights_sum_to_one",
                violation_error_message=_("权重不能为负数，且笔试、面试、民主测评的权重之和应为 1"),
            ),
        ]

    def __str__(self):
        return self.name

    def clean(self):
        normalize_name_fields(self, "name")


class RoundPosition(models.Model):
    """A position offered in a round, with the number of vacancies it fills."""

    round = models.ForeignKey(
        SelectionRound, verbose_name=_("选聘轮次"), on_delete=models.CASCADE, related_name="offers"
    )
    position = models.ForeignKey(
        Position, verbose_name=_("岗位"), on_delete=models.PROTECT, related_name="offers"
    )
    vacancies = models.PositiveSmallIntegerField(_("空缺数"), validators=[MinValueValidator(1)])

    class Meta:
        ordering = ["position__department__sort_order", "position__sort_order", "id"]
        verbose_name = _("选聘岗位")
        verbose_name_plural = _("选聘岗位")
        constraints = [
            models.UniqueConstraint(
                fields=["round", "position"],
                name="staff_roundposition_unique",
                violation_error_message=_("该岗位已在本轮选聘中"),
            ),
            models.CheckConstraint(
                condition=Q(vacancies__gte=1),
                name="staff_roundposition_vacancies_positive",
                violation_error_message=_("空缺数至少为 1"),
            ),
        ]

    def __str__(self):
        return f"{self.position}（{self.vacancies}）"


class Candidate(TimeStampedModel):
    class Preference(models.IntegerChoices):
        FIRST = 1, _("第一志愿")
        SECOND = 2, _("第二志愿")

    round = models.ForeignKey(
        SelectionRound,
        verbose_name=_("选聘轮次"),
        on_delete=models.CASCADE,
        related_name="candidates",
    )
    staff = models.ForeignKey(
        StaffMember, verbose_name=_("报名人"), on_delete=models.PROTECT, related_name="candidacies"
    )
    first_choice = models.ForeignKey(
        RoundPosition,
        verbose_name=_("第一志愿"),
        on_delete=models.PROTECT,
        related_name="first_choices",
    )
    second_choice = models.ForeignKey(
        RoundPosition,
        verbose_name=_("第二志愿"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="second_choices",
    )
    written_score = models.DecimalField(
        _("笔试成绩"),
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        validators=SCORE_VALIDATORS,
    )
    interview_score = models.DecimalField(
        _("面试成绩"),
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        validators=SCORE_VALIDATORS,
    )
    democratic_score = models.DecimalField(
        _("民主测评成绩"),
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        validators=SCORE_VALIDATORS,
    )
    total_score = models.DecimalField(
        _("综合成绩"), max_digits=6, decimal_places=3, null=True, blank=True
    )
    assigned = models.ForeignKey(
        RoundPosition,
        verbose_name=_("匹配岗位"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="assigned_candidates",
    )
    assigned_preference = models.PositiveSmallIntegerField(
        _("录取志愿"), choices=Preference.choices, null=True, blank=True
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["round", "-total_score", "id"]
        verbose_name = _("报名人")
        verbose_name_plural = _("报名人")
        constraints = [
            models.UniqueConstraint(
                fields=["round", "staff"],
                name="staff_candidate_once_per_round",
                violation_error_message=_("此人已报名本轮选聘"),
            ),
            models.CheckConstraint(
                condition=~Q(first_choice=F("second_choice")),
                name="staff_candidate_distinct_choices",
                violation_error_message=_("第一志愿与第二志愿不能相同"),
            ),
        ]

    def __str__(self):
        return f"{self.staff}（{self.round}）"


class DepartmentRanking(models.Model):
    """A department's own order of candidates for one offered position. Without one, the
    position ranks its applicants by weighted score."""

    offer = models.ForeignKey(
        RoundPosition, verbose_name=_("选聘岗位"), on_delete=models.CASCADE, related_name="rankings"
    )
    candidate = models.ForeignKey(
        Candidate, verbose_name=_("报名人"), on_delete=models.CASCADE, related_name="rankings"
    )
    rank = models.PositiveSmallIntegerField(_("排名"), validators=[MinValueValidator(1)])

    class Meta:
        ordering = ["offer", "rank"]
        verbose_name = _("部门排序")
        verbose_name_plural = _("部门排序")
        constraints = [
            models.UniqueConstraint(
                fields=["offer", "rank"],
                name="staff_ranking_unique_rank",
                violation_error_message=_("同一岗位的排名不能重复"),
            ),
            models.UniqueConstraint(
                fields=["offer", "candidate"],
                name="staff_ranking_unique_candidate",
                violation_error_message=_("该报名人已在此岗位排序中"),
            ),
        ]

    def __str__(self):
        return f"{self.offer} #{self.rank} {self.candidate}"


class Appointment(TimeStampedModel):
    """An appointment: a leadership term (任期制) or an employment contract (聘任制)."""

    class Kind(models.TextChoices):
        TERM = "term", _("任期制")
        CONTRACT = "contract", _("聘任制")

    class Status(models.TextChoices):
        PROPOSED = "proposed", _("拟聘")
        ACTIVE = "active", _("在聘")
        EXPIRED = "expired", _("期满")
        TERMINATED = "terminated", _("解聘")

    staff = models.ForeignKey(
        StaffMember,
        verbose_name=_("工作人员"),
        on_delete=models.PROTECT,
        related_name="appointments",
    )
    position = models.ForeignKey(
        Position, verbose_name=_("岗位"), on_delete=models.PROTECT, related_name="appointments"
    )
    kind = models.CharField(_("聘任类型"), max_length=16, choices=Kind.choices)
    start_date = models.DateField(_("起始日期"))
    end_date = models.DateField(_("终止日期"))
    probation_end = models.DateField(_("试用期至"), null=True, blank=True)
    status = models.CharField(_("状态"), max_length=16, choices=Status.choices)
    previous = models.OneToOneField(
        "self",
        verbose_name=_("续聘自"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="renewal",
    )
    selection_round = models.ForeignKey(
        SelectionRound,
        verbose_name=_("选聘轮次"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="appointments",
    )
    terminated_on = models.DateField(_("解聘日期"), null=True, blank=True)
    termination_reason = models.TextField(_("解聘原因"), blank=True)
    override_reason = models.TextField(
        _("续聘特批理由"),
        blank=True,
        help_text=_("上一考核期为不称职仍续聘时，须记录理由"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("经办人"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["-start_date", "id"]
        verbose_name = _("聘任合同")
        verbose_name_plural = _("聘任合同")
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__gt=F("start_date")),
                name="staff_appointment_end_after_start",
                violation_error_message=_("终止日期必须晚于起始日期"),
            ),
            models.CheckConstraint(
                condition=Q(probation_end__isnull=True)
                | Q(probation_end__gte=F("start_date"), probation_end__lte=F("end_date")),
                name="staff_appointment_probation_inside",
                violation_error_message=_("试用期应在聘期之内"),
            ),
            models.CheckConstraint(
                condition=Q(status="terminated", terminated_on__isnull=False)
                | (~Q(status="terminated") & Q(terminated_on__isnull=True)),
                name="staff_appointment_termination_dated",
                violation_error_message=_("解聘的合同必须有解聘日期"),
            ),
            ExclusionConstraint(
                name="staff_appointment_no_overlap",
                expressions=[
                    ("staff", RangeOperators.EQUAL),
                    (DateRange("start_date", "end_date"), RangeOperators.OVERLAPS),
                ],
                violation_error_message=_("此人在该期间已有聘任，聘期不能重叠"),
            ),
        ]

    def __str__(self):
        return f"{self.staff}·{self.position.title}（{self.start_date}—{self.end_date}）"


class AppointmentEvent(WorkflowEvent):
    """One step of a contract (apps.staff.services.APPOINTMENT_WORKFLOW): a renewal or a
    termination, with who took it (empty for the demo data and commands)."""

    appointment = models.ForeignKey(
        Appointment, verbose_name=_("聘任合同"), on_delete=models.CASCADE, related_name="events"
    )
    action = models.CharField(
        _("操作"), max_length=32, choices=[("renew", _("续聘")), ("terminate", _("解聘"))]
    )
    from_status = models.CharField(
        _("原状态"), max_length=16, choices=Appointment.Status.choices, blank=True
    )
    to_status = models.CharField(_("新状态"), max_length=16, choices=Appointment.Status.choices)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("操作人"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta(WorkflowEvent.Meta):
        verbose_name = _("合同办理记录")
        verbose_name_plural = _("合同办理记录")


class Appraisal(TimeStampedModel):
    """An appraisal (考核) of one person for a year (quarter 0) or a quarter."""

    class Quarter(models.IntegerChoices):
        YEAR = 0, _("年度")
        Q1 = 1, _("第一季度")
        Q2 = 2, _("第二季度")
        Q3 = 3, _("第三季度")
        Q4 = 4, _("第四季度")

    staff = models.ForeignKey(
        StaffMember, verbose_name=_("工作人员"), on_delete=models.PROTECT, related_name="appraisals"
    )
    # The department at appraisal time: the 优秀 quota is counted per department and period.
    department = models.ForeignKey(
        Department, verbose_name=_("部门"), on_delete=models.PROTECT, related_name="+"
    )
    year = models.PositiveSmallIntegerField(
        _("年度"), validators=[MinValueValidator(YEAR_MIN), MaxValueValidator(YEAR_MAX)]
    )
    quarter = models.PositiveSmallIntegerField(
        _("考核期"), choices=Quarter.choices, default=Quarter.YEAR
    )
    score = models.DecimalField(
        _("考核得分"), max_digits=5, decimal_places=2, validators=SCORE_VALIDATORS
    )
    grade = models.CharField(_("等次"), max_length=16, choices=Grade.choices)
    comments = models.TextField(_("评语"), blank=True)
    appraised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("录入人"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["-year", "-quarter", "department__sort_order", "staff__name"]
        verbose_name = _("考核")
        verbose_name_plural = _("考核")
        constraints = [
            models.UniqueConstraint(
                fields=["staff", "year", "quarter"],
                name="staff_appraisal_once_per_period",
                violation_error_message=_("此人该考核期已有考核结果"),
            ),
            models.CheckConstraint(
                condition=Q(score__gte=0, score__lte=100),
                name="staff_appraisal_score_range",
                violation_error_message=_("考核得分应在 0 到 100 之间"),
            ),
        ]

    def __str__(self):
        return f"{self.staff} {self.period_label}：{self.get_grade_display()}"

    @property
    def period_label(self) -> str:
        if self.quarter == self.Quarter.YEAR:
            return _("%(year)s 年度") % {"year": self.year}
        return _("%(year)s 年第 %(quarter)s 季度") % {"year": self.year, "quarter": self.quarter}


class PaySheet(TimeStampedModel):
    """Performance pay (绩效薪酬) of one department for one period."""

    department = models.ForeignKey(
        Department, verbose_name=_("部门"), on_delete=models.PROTECT, related_name="+"
    )
    year = models.PositiveSmallIntegerField(
        _("年度"), validators=[MinValueValidator(YEAR_MIN), MaxValueValidator(YEAR_MAX)]
    )
    quarter = models.PositiveSmallIntegerField(
        _("考核期"), choices=Appraisal.Quarter.choices, default=Appraisal.Quarter.YEAR
    )
    generated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("生成人"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["-year", "-quarter", "department__sort_order"]
        verbose_name = _("绩效工资表")
        verbose_name_plural = _("绩效工资表")
        constraints = [
            models.UniqueConstraint(
                fields=["department", "year", "quarter"],
                name="staff_paysheet_once_per_period",
                violation_error_message=_("该部门该期间已有工资表"),
            )
        ]

    def __str__(self):
        period = Appraisal(year=self.year, quarter=self.quarter).period_label
        return f"{self.department.name} {period}"

    @property
    def months(self) -> int:
        return 12 if self.quarter == Appraisal.Quarter.YEAR else 3


class PayLine(TimeStampedModel):
    """One person's pay on a sheet; the grade and coefficient are copied so that the sheet
    stays what it was when later appraisals or coefficients change."""

    sheet = models.ForeignKey(
        PaySheet, verbose_name=_("工资表"), on_delete=models.CASCADE, related_name="lines"
    )
    staff = models.ForeignKey(
        StaffMember, verbose_name=_("工作人员"), on_delete=models.PROTECT, related_name="pay_lines"
    )
    position_title = models.CharField(_("岗位"), max_length=64)
    salary_grade = models.ForeignKey(
        SalaryGrade, verbose_name=_("薪级"), on_delete=models.PROTECT, related_name="+"
    )
    grade = models.CharField(_("考核等次"), max_length=16, choices=Grade.choices, blank=True)
    coefficient = models.DecimalField(_("绩效系数"), max_digits=4, decimal_places=2)
    base_pay = models.DecimalField(_("基本工资（元）"), max_digits=12, decimal_places=2)
    performance_base = models.DecimalField(_("绩效基数（元）"), max_digits=12, decimal_places=2)
    performance_pay = models.DecimalField(_("绩效工资（元）"), max_digits=12, decimal_places=2)
    history = HistoricalRecords()

    class Meta:
        ordering = ["sheet", "id"]
        verbose_name = _("工资明细")
        verbose_name_plural = _("工资明细")
        constraints = [
            models.UniqueConstraint(
                fields=["sheet", "staff"],
                name="staff_payline_once_per_sheet",
                violation_error_message=_("此人已在该工资表中"),
            ),
            models.CheckConstraint(
                condition=Q(base_pay__gte=0, performance_base__gte=0, performance_pay__gte=0),
                name="staff_payline_amounts_not_negative",
                violation_error_message=_("工资金额不能为负数"),
            ),
        ]

    def __str__(self):
        return f"{self.sheet} {self.staff}"

    @property
    def total_pay(self) -> Decimal:
        return self.base_pay + self.performance_pay


# The reform's defaults. Created when missing, never overwritten: HR may change them.
DEFAULT_GRADE_RULES = [
    (Grade.EXCELLENT, Decimal("1.20"), Decimal("0.20")),
    (Grade.COMPETENT, Decimal("1.00"), None),
    (Grade.BASIC, Decimal("0.80"), None),
    (Grade.INCOMPETENT, Decimal("0.00"), None),
]


def ensure_grade_rules() -> None:
    for grade, coefficient, max_share in DEFAULT_GRADE_RULES:
        GradeRule.objects.get_or_create(
            grade=grade, defaults={"coefficient": coefficient, "max_share": max_share}
        )
