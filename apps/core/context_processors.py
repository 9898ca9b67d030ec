from django.conf import settings
from django.urls import reverse

from apps.core.registry import app_modules


def _visible_nav(user):
    sections = []
    all_sections = [section for _config, module in app_modules("nav") for section in module.NAV]
    for section in sorted(all_sections, key=lambda section: section.order):
        items = [
            {"label": item.label, "url": reverse(item.url_name), "icon": item.icon}
            for item in section.items
            if item.perm is None or user.has_perm(item.perm)
        ]
        if items:
            sections.append({"label": section.label, "icon": section.icon, "items": items})
    return sections


def portal(request):
    user = getattr(request, "user", None)
    nav = _visible_nav(user) if user is not None and user.is_authenticated else []
    return {"PORTAL_NAME": settings.PORTAL_NAME, "portal_nav": nav}
