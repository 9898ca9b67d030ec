from django.utils.translation import gettext_lazy as _

from apps.core.registry import NavItem, NavSection

NAV = [
    NavSection(
        order=20,
        label=_("企业服务"),
        icon="bi-people",
        items=[
            NavItem(
                _("登记走访"),
                "services:visit_create",
                perm="services.add_visit",
                icon="bi-journal-plus",
            ),
            NavItem(
                _("部门待办诉求"), "services:inbox", perm="services.view_demand", icon="bi-inbox"
            ),
            NavItem(
                _("我承办的诉求"),
                "services:demand_mine",
                perm="services.change_demand",
                icon="bi-person-check",
            ),
            NavItem(
                _("全部诉求"),
                "services:demand_list",
                perm="services.view_demand",
                icon="bi-list-check",
            ),
            NavItem(
                _("诉求办理成效"),
                "services:outcomes",
                perm="services.view_demand",
                icon="bi-graph-up",
            ),
            NavItem(
                _("走访记录"),
                "services:visit_list",
                perm="services.view_visit",
                icon="bi-journal-text",
            ),
            NavItem(
                _("周走访统计"),
                "services:visit_report",
                perm="services.view_visit",
                icon="bi-calendar-week",
            ),
            NavItem(
                _("走访覆盖"), "services:coverage", perm="services.view_visit", icon="bi-binoculars"
            ),
            NavItem(
                _("政银企对接"),
                "services:loan_list",
                perm="services.view_loanintent",
                icon="bi-bank",
            ),
            NavItem(
                _("惠企政策申报"),
                "services:application_list",
                perm="services.view_policyapplication",
                icon="bi-award",
            ),
        ],
    ),
]
