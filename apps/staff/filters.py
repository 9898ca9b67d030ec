from datetime import timedelta

import django_filters
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.accounts.models import Department
from apps.core.filters import IntegerFilter, ReferenceChoiceFilter
from apps.staff.models import (
    Appointment,
    Appraisal,
    Grade,
    PayLine,
    PaySheet,
    Position,
    StaffMember,
)


class PositionFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("搜索"), method="search")
    department = ReferenceChoiceFilter(label=_("部门"), queryset=Department.objects.all())
    kind = django_filters.ChoiceFilter(label=_("岗位类别"), choices=Position.Kind.choices)

    class Meta:
        model = Position
        fields = ["q", "department", "kind"]

    def search(self, queryset, name, value):
        return queryset.filter(Q(title__icontains=value) | Q(duties__icontains=value))


class StaffMemberFilter(django_filters.FilterSet):
    # Searching by ID number is not offered: a search term travels in the URL.
    q = django_filters.CharFilter(label=_("搜索"), method="search")
    department = ReferenceChoiceFilter(
        label=_("部门"), queryset=Department.objects.all(), method="in_department"
    )
    former_status = django_filters.ChoiceFilter(
        label=_("原身份"), choices=StaffMember.FormerStatus.choices
    )
    education = django_filters.ChoiceFilter(label=_("学历"), choices=StaffMember.Education.choices)
    status = django_filters.ChoiceFilter(label=_("状态"), choices=StaffMember.Status.choices)

    class Meta:
        model = StaffMember
        fields = ["q", "department", "former_status", "education", "status"]

    def search(self, queryset, name, value):
        return queryset.filter(Q(name__icontains=value) | Q(phone__icontains=value))

    def in_department(self, queryset, name, value: Department):
        today = timezone.localdate()
        return queryset.filter(
            appointments__position__department=value,
            appointments__start_date__lte=today,
            appointments__end_date__gte=today,
            appointments__status__in=[Appointment.Status.PROPOSED, Appointment.Status.ACTIVE],
        ).distinct()


class AppointmentFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("搜索"), method="search")
    department = ReferenceChoiceFilter(
        label=_("部门"), queryset=Department.objects.all(), field_name="position__department"
    )
    kind = django_filters.ChoiceFilter(label=_("聘任类型"), choices=Appointment.Kind.choices)
    status = django_filters.ChoiceFilter(label=_("状态"), choices=Appointment.Status.choices)
    ending_within = django_filters.ChoiceFilter(
        label=_("到期提醒"),
        choices=[(7, _("7 天内到期")), (30, _("30 天内到期")), (60, _("60 天内到期"))],
        method="ends_within",
    )

    class Meta:
        model = Appointment
        fields = ["q", "department", "kind", "status", "ending_within"]

    def search(self, queryset, name, value):
        return queryset.filter(
            Q(staff__name__icontains=value) | Q(position__title__icontains=value)
        )

    def ends_within(self, queryset, name, value):
        today = timezone.localdate()
        return queryset.filter(
            status=Appointment.Status.ACTIVE,
            end_date__gte=today,
            end_date__lte=today + timedelta(days=int(value)),
            renewal__isnull=True,
        )


class AppraisalFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("搜索"), method="search")
    department = ReferenceChoiceFilter(label=_("部门"), queryset=Department.objects.all())
    year = IntegerFilter(label=_("年度"))
    quarter = django_filters.ChoiceFilter(label=_("考核期"), choices=Appraisal.Quarter.choices)
    grade = django_filters.ChoiceFilter(label=_("等次"), choices=Grade.choices)

    class Meta:
        model = Appraisal
        fields = ["q", "department", "year", "quarter", "grade"]

    def search(self, queryset, name, value):
        return queryset.filter(Q(staff__name__icontains=value) | Q(comments__icontains=value))


class PaySheetFilter(django_filters.FilterSet):
    department = ReferenceChoiceFilter(label=_("部门"), queryset=Department.objects.all())
    year = IntegerFilter(label=_("年度"))
    quarter = django_filters.ChoiceFilter(label=_("考核期"), choices=Appraisal.Quarter.choices)

    class Meta:
        model = PaySheet
        fields = ["department", "year", "quarter"]


class PayLineFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("搜索"), method="search")
    sheet = IntegerFilter(label=_("工资表"))
    grade = django_filters.ChoiceFilter(label=_("考核等次"), choices=Grade.choices)

    class Meta:
        model = PayLine
        fields = ["q", "sheet", "grade"]

    def search(self, queryset, name, value):
        return queryset.filter(Q(staff__name__icontains=value) | Q(position_title__icontains=value))
