from django.utils.translation import gettext_lazy as _

from apps.core.registry import NavItem, NavSection

NAV = [
    NavSection(
        order=30,
        label=_("人事聘任"),
        icon="bi-people",
        items=[
            NavItem(
                _("组织架构"), "staff:org_chart", perm="staff.view_position", icon="bi-diagram-3"
            ),
            NavItem(
                _("岗位"), "staff:position_list", perm="staff.view_position", icon="bi-briefcase"
            ),
            NavItem(
                _("工作人员"),
                "staff:member_list",
                perm="staff.view_staffmember",
                icon="bi-person-vcard",
            ),
            NavItem(
                _("聘任合同"),
                "staff:appointment_list",
                perm="staff.view_appointment",
                icon="bi-file-earmark-text",
            ),
            NavItem(
                _("竞争上岗"),
                "staff:round_list",
                perm="staff.view_selectionround",
                icon="bi-trophy",
            ),
            NavItem(
                _("考核"), "staff:appraisal_list", perm="staff.view_appraisal", icon="bi-award"
            ),
            NavItem(
                _("绩效工资"),
                "staff:pay_sheet_list",
                perm="staff.view_paysheet",
                icon="bi-cash-coin",
            ),
            NavItem(
                _("变更记录"),
                "staff:audit",
                perm="staff.change_appointment",
                icon="bi-clock-history",
            ),
            NavItem(_("我的选聘结果"), "staff:my_selection", icon="bi-person-check"),
        ],
    ),
]
