from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "apps.accounts"
    verbose_name = _("账号与组织")

    def ready(self):
        from apps.accounts.backends import connect_signals
        from apps.accounts.roles import sync_roles_after_migrate

        connect_signals()
        post_migrate.connect(sync_roles_after_migrate, dispatch_uid="accounts.sync_roles")
