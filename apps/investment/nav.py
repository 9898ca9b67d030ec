from django.utils.translation import gettext_lazy as _

from apps.core.registry import NavItem, NavSection

NAV = [
    NavSection(
        order=25,
        label=_("招商引资"),
        icon="bi-briefcase",
        items=[
            NavItem(
                _("线索"), "investment:lead_list", perm="investment.view_lead", icon="bi-lightbulb"
            ),
            NavItem(_("公海池"), "investment:pool", perm="investment.change_lead", icon="bi-water"),
            NavItem(
                _("招商项目"),
                "investment:project_list",
                perm="investment.view_project",
                icon="bi-kanban",
            ),
            NavItem(
                _("项目看板"),
                "investment:board",
                perm="investment.view_project",
                icon="bi-columns-gap",
            ),
            NavItem(
                _("到位资金"),
                "investment:funds_arrival_list",
                perm="investment.view_fundsarrival",
                icon="bi-cash-coin",
            ),
            NavItem(
                _("招商活动"),
                "investment:activity_list",
                perm="investment.view_activity",
                icon="bi-airplane",
            ),
            NavItem(
                _("驻地招商月报"),
                "investment:resident_report_list",
                perm="investment.view_residentreport",
                icon="bi-journal-text",
            ),
            NavItem(
                _("客商"),
                "investment:investor_list",
                perm="investment.view_investor",
                icon="bi-person-vcard",
            ),
            NavItem(
                _("产业链图谱"),
                "investment:chain_map",
                perm="investment.view_chaintarget",
                icon="bi-diagram-3",
            ),
            NavItem(
                _("赛马榜"),
                "investment:ranking",
                perm="investment.view_annualtarget",
                icon="bi-trophy",
            ),
            NavItem(
                _("招商指标"),
                "investment:indicators",
                perm="investment.view_project",
                icon="bi-graph-up-arrow",
            ),
        ],
    ),
]
