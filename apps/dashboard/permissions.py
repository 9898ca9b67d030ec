"""Leadership and the system administrator see the dashboard; 经济发展 (经济发展局) writes the
targets (and sees the dashboard it sets targets for). The zone's 招商 figures count confidential
projects: only who reads every project sees them (view_investment_figures)."""

from apps.accounts.roles import Role

_TARGETS = [f"dashboard.{action}_target" for action in ("view", "add", "change", "delete")]

ROLE_PERMISSIONS = {
    Role.LEADER: [
        "dashboard.view_dashboard",
        "dashboard.view_target",
        "dashboard.view_investment_figures",
    ],
    Role.ECONOMY: ["dashboard.view_dashboard", *_TARGETS],
    Role.ADMIN: ["dashboard.view_dashboard", "dashboard.view_investment_figures", *_TARGETS],
}
