from django.utils.translation import gettext as _

from apps.core.registry import Panel


def panels(request):
    user = request.user
    return [
        Panel(
            title=_("我的账号"),
            template="accounts/_panel_account.html",
            context={"roles": sorted(user.role_names), "department": user.department},
            order=1000,
        )
    ]
