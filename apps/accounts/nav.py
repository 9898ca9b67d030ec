from django.utils.translation import gettext_lazy as _

from apps.core.registry import NavItem, NavSection

NAV = [
    NavSection(
        order=900,
        label=_("系统"),
        icon="bi-gear",
        items=[
            NavItem(_("接口文档"), "api-docs", icon="bi-braces"),
            NavItem(_("我的接口令牌"), "accounts:api_tokens", icon="bi-key"),
        ],
    ),
]
