from django.utils.translation import gettext_lazy as _

from apps.core.registry import NavItem, NavSection

NAV = [
    NavSection(
        label=_("驾驶舱"),
        icon="bi-speedometer2",
        order=5,
        items=[
            NavItem(_("领导驾驶舱"), "dashboard:dashboard", perm="dashboard.view_dashboard"),
            # Department heads (a user permission): the same page, with their area's sections.
            NavItem(_("本部门驾驶舱"), "dashboard:dashboard", perm="dashboard.view_area_dashboard"),
            NavItem(_("月度简报"), "dashboard:briefing_list", perm="dashboard.view_briefing"),
            # Only those who write the targets; leadership reads them on the dashboard.
            NavItem(_("年度目标"), "dashboard:target_list", perm="dashboard.change_target"),
        ],
    )
]
