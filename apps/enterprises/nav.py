from django.utils.translation import gettext_lazy as _

from apps.core.registry import NavItem, NavSection

NAV = [
    NavSection(
        order=10,
        label=_("企业"),
        icon="bi-buildings",
        items=[
            NavItem(
                _("企业名录"),
                "enterprises:enterprise_list",
                perm="enterprises.view_enterprise",
                icon="bi-buildings",
            ),
            NavItem(
                _("资质到期"),
                "enterprises:qualification_list",
                perm="enterprises.view_qualification",
                icon="bi-patch-check",
            ),
            NavItem(
                _("产业链"),
                "enterprises:chain_list",
                perm="enterprises.view_industrychain",
                icon="bi-diagram-3",
            ),
            NavItem(
                _("经济运行统计"),
                "enterprises:statistics",
                perm="enterprises.view_monthlystatistic",
                icon="bi-graph-up",
            ),
        ],
    ),
]
