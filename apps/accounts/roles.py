"""Roles are Django groups with exact permissions.

Each app grants permissions to roles in its own `permissions.py` (ROLE_PERMISSIONS); this module
collects the grants and makes every group hold exactly them. It runs after every `migrate`
and through `manage.py sync_roles`, and is idempotent.
"""

from io import StringIO

from django.apps import apps
from django.contrib.auth.models import Group, Permission
from django.db import models, transaction
from django.utils.translation import gettext_lazy as _

from apps.core.registry import app_modules


class Role(models.TextChoices):
    LEADER = "领导", _("领导")
    SERVICE = "企业服务", _("企业服务")
    ECONOMY = "经济发展", _("经济发展")
    APPROVAL = "行政审批", _("行政审批")
    INVESTMENT = "招商", _("招商")
    LIAISON = "项目联络员", _("项目联络员")
    HR = "人事管理员", _("人事管理员")
    ADMIN = "系统管理员", _("系统管理员")


def view_all(app_label: str) -> list[str]:
    """Every `view_` permission of an app: the leadership's read-everything grant."""
    return [
        f"{app_label}.{codename}"
        for codename in Permission.objects.filter(
            content_type__app_label=app_label, codename__startswith="view_"
        ).values_list("codename", flat=True)
    ]


def collected_grants() -> dict[str, set[str]]:
    grants: dict[str, set[str]] = {role.value: set() for role in Role}
    for _config, module in app_modules("permissions"):
        role_permissions = getattr(module, "ROLE_PERMISSIONS", None)
        if callable(role_permissions):
            role_permissions = role_permissions()
        for role, perms in (role_permissions or {}).items():
            grants[str(role)].update(perms)
    return grants


def _permission_objects(names: set[str]) -> list[Permission]:
    wanted = {tuple(name.split(".", 1)) for name in names}
    found = {
        (perm.content_type.app_label, perm.codename): perm
        for perm in Permission.objects.select_related("content_type").filter(
            codename__in={codename for _app, codename in wanted}
        )
    }
    missing = sorted(f"{app}.{code}" for app, code in wanted if (app, code) not in found)
    if missing:
        raise LookupError(f"Unknown permissions granted to a role: {', '.join(missing)}")
    return [found[key] for key in wanted]


@transaction.atomic
def sync_roles() -> dict[str, int]:
    """Create the role groups and set each one's permissions to exactly its grants."""
    counts = {}
    for role, names in collected_grants().items():
        group, _created = Group.objects.get_or_create(name=role)
        permissions = _permission_objects(names)
        group.permissions.set(permissions)
        counts[role] = len(permissions)
    return counts


def sync_roles_after_migrate(sender, **kwargs):
    """After `migrate` (and after a test flush), reference data and roles are always present.

    post_migrate is sent once per app that has models; permissions exist for all apps only
    after the last of them.
    """
    with_models = [config for config in apps.get_app_configs() if config.models_module]
    if sender.name == with_models[-1].name:
        from django.core.management import call_command

        call_command("load_reference_data", verbosity=0, stdout=StringIO())
        sync_roles()
