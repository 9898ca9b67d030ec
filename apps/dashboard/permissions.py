"""Who sees the dashboard, and which of it.

- Leadership and the system administrator see the whole dashboard (`view_dashboard`), each
  figure still behind its own permission (the zone's 招商 figures count confidential projects:
  only who reads every project sees them, `view_investment_figures`).
- 经济发展 (经济发展局) writes the targets and sees the dashboard it sets targets for.
- The monthly briefing: 经济发展局 drafts it (the narrative; the numbers come from the registry),
  the leadership reviews and issues it. It is written in the public scope (no confidential 招商
  leads or projects, apps.core.figures.PUBLIC), so every reader reads the same numbers and none
  a total of things they may not see.
- A department head (`view_area_dashboard`, given to the person in the admin site) sees the
  sections of their department's area, whole-zone figures of that area included.
"""

from apps.accounts.models import Department
from apps.accounts.roles import Role

_TARGETS = [f"dashboard.{action}_target" for action in ("view", "add", "change", "delete")]
# view_area_dashboard is no role's: it is given to the head of a department, a person.
_VIEW = ["dashboard.view_dashboard"]

_BRIEFING_REVIEW = ["dashboard.review_briefing", "dashboard.issue_briefing"]
_BRIEFING_DRAFT = [f"dashboard.{action}_briefing" for action in ("view", "add", "change")]

ROLE_PERMISSIONS = {
    Role.LEADER: [
        *_VIEW,
        "dashboard.view_target",
        "dashboard.view_investment_figures",
        "dashboard.view_briefing",
        "dashboard.view_briefingevent",
        *_BRIEFING_REVIEW,
    ],
    Role.ECONOMY: [*_VIEW, *_TARGETS, *_BRIEFING_DRAFT, "dashboard.view_briefingevent"],
    Role.ADMIN: [
        *_VIEW,
        "dashboard.view_investment_figures",
        *_TARGETS,
        *_BRIEFING_DRAFT,
        "dashboard.view_briefingevent",
        *_BRIEFING_REVIEW,
    ],
}

# The dashboard sections of each department's area.
AREA_SECTIONS = {
    Department.Code.ECONOMY: ("economy", "projects"),
    Department.Code.INVESTMENT: ("investment",),
    Department.Code.SERVICE: ("service",),
    Department.Code.APPROVAL: ("service",),
    Department.Code.OFFICE: ("staff",),
}


def may_open(user) -> bool:
    return user.has_perm("dashboard.view_dashboard") or user.has_perm(
        "dashboard.view_area_dashboard"
    )


def area_sections(user) -> tuple[str, ...]:
    """The sections a department head sees as a whole (none without the permission)."""
    if not user.has_perm("dashboard.view_area_dashboard"):
        return ()
    department = getattr(user.department, "code", None) if user.department_id else None
    return AREA_SECTIONS.get(department, ())


def sees(user, item) -> bool:
    """Whether `user` sees a figure or a breakdown on the dashboard (and in its API). A
    department head sees their area's counts whatever the figures' own permissions; a list
    that names rows (the red projects) only with its own permission, which says who may read
    every one of them."""
    if user.has_perm("dashboard.view_dashboard") and item.visible_to(user):
        return True
    if getattr(item, "names_rows", False) and not item.visible_to(user):
        return False
    return item.section in area_sections(user)


def sees_team_targets(user) -> bool:
    """The 招商 teams' annual targets are 招商's (investment.AnnualTarget): the dashboard shows
    them only to who may read them there."""
    return user.has_perm("investment.view_annualtarget")
