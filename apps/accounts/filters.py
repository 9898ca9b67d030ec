import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from apps.accounts.models import Department, User
from apps.accounts.roles import Role
from apps.core.filters import ReferenceChoiceFilter


class UserFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("搜索"), method="search")
    department = ReferenceChoiceFilter(label=_("部门"), queryset=Department.objects.all())
    role = django_filters.ChoiceFilter(
        label=_("角色"), choices=Role.choices, field_name="groups__name"
    )

    class Meta:
        model = User
        fields = ["q", "department", "role"]

    def search(self, queryset, name, value):
        return queryset.filter(
            Q(full_name__icontains=value) | Q(username__icontains=value) | Q(phone__icontains=value)
        )
