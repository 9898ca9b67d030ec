"""Who may see and do what in 项目台账, in one place for pages, API, exports and services.

- 项目联络员 read the whole ledger and write their own projects' monthly reports, milestones,
  approvals and photos, and raise their problems (as demands).
- 经济发展局 registers and edits projects and their plans, moves their status, and approves or
  returns monthly reports; it may also keep milestones and approvals.
- 领导 reads everything and approves or returns reports.
- 企业服务局 reads everything; 招商局 and 行政审批局 read the ledger without the owner's contacts.
- Photos are served only to those who may read projects.
"""

from apps.accounts.roles import Role, view_all

_MODELS = [
    "project",
    "projectevent",
    "annualplan",
    "monthlyreport",
    "monthlyreportevent",
    "projectphoto",
    "milestone",
    "approval",
]


def _grant(models: list[str], actions: tuple[str, ...]) -> list[str]:
    return [f"projects.{action}_{model}" for model in models for action in actions]


def ROLE_PERMISSIONS():
    readers = _grant(_MODELS, ("view",))
    return {
        Role.LEADER: [*view_all("projects"), "projects.review_monthlyreport"],
        Role.ECONOMY: [
            *readers,
            *_grant(["project", "annualplan", "milestone", "approval"], ("add", "change")),
            "projects.review_monthlyreport",
        ],
        Role.LIAISON: [
            *readers,
            *_grant(["monthlyreport", "milestone", "approval"], ("add", "change")),
            "projects.add_projectphoto",
        ],
        Role.SERVICE: readers,
        Role.INVESTMENT: readers,
        Role.APPROVAL: readers,
    }


def has_role(user, *roles) -> bool:
    # The user's role names are read once per request (User.role_names).
    return user.is_authenticated and user.has_role(*(str(role) for role in roles))


def sees_contacts(user) -> bool:
    """The owner's contact person and phone: not for 招商局 and 行政审批局."""
    return has_role(user, Role.LEADER, Role.ECONOMY, Role.SERVICE, Role.LIAISON)


def is_liaison(user, project) -> bool:
    return user.is_superuser or project.liaison_id == user.pk


def manages_projects(user) -> bool:
    """经济发展局 (and superusers): registers and edits every project."""
    return user.is_superuser or user.has_perm("projects.change_project")


def keeps_records(user, project) -> bool:
    """Milestones and approvals: the project's liaison, or 经济发展局."""
    return manages_projects(user) or (
        user.has_perm("projects.change_milestone") and is_liaison(user, project)
    )


def writes_reports(user, project) -> bool:
    return user.has_perm("projects.change_monthlyreport") and is_liaison(user, project)


def may_see(user, obj) -> bool:
    """Notifications and photos: anyone who may read projects sees every project."""
    return user.is_active and user.has_perm("projects.view_project")
