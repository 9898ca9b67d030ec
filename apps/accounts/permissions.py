"""Who may do what with accounts. Users, departments and roles are managed by the system
administrator (a superuser) in the admin; everyone signed in may read the staff directory
(it feeds assignee and staff pickers)."""

from apps.accounts.roles import Role

_DIRECTORY = ["accounts.view_user", "accounts.view_department"]

ROLE_PERMISSIONS = dict.fromkeys(Role, _DIRECTORY)
