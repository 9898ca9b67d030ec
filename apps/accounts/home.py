from django.utils.translation import gettext as _

from apps.accounts.roles import Role
from apps.core.registry import Panel


def panels(request):
    user = request.user
    return [
        Panel(
            title=_("我的账号"),
            template="accounts/_panel_account.html",
            context={
                # the group names are the Chinese role names; show each in the request's language
                "roles": [
                    Role(name).label if name in Role.values else name
                    for name in sorted(user.role_names)
                ],
                "department": user.department,
            },
            order=1000,
        )
    ]
