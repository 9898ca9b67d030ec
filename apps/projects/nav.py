from django.utils.translation import gettext_lazy as _

from apps.core.registry import NavItem, NavSection

NAV = [
    NavSection(
        order=28,
        label=_("项目建设"),
        icon="bi-building-gear",
        items=[
            NavItem(
                _("项目台账"), "projects:ledger", perm="projects.view_project", icon="bi-table"
            ),
            NavItem(
                _("项目月报"),
                "projects:report_list",
                perm="projects.view_monthlyreport",
                icon="bi-journal-text",
            ),
        ],
    ),
]
