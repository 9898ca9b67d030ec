"""Leadership and the system administrator see the dashboard; 经济发展 (经济发展局) writes the
targets (and sees the dashboard it sets targets for)."""

from apps.accounts.roles import Role

_TARGETS = [f"dashboard.{action}_target" for action in ("view", "add", "change", "delete")]

ROLE_PERMISSIONS = {
    Role.LEADER: ["dashboard.view_dashboard", "dashboard.view_target"],
    Role.ECONOMY: ["dashboard.view_dashboard", *_TARGETS],
    Role.ADMIN: ["dashboard.view_dashboard", *_TARGETS],
}
