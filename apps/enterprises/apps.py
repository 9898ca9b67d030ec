from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EnterprisesConfig(AppConfig):
    name = "apps.enterprises"
    verbose_name = _("企业")

    def ready(self):
        from django.db.models.signals import post_delete, post_save

        from apps.core import figures
        from apps.enterprises import models

        def invalidate(**kwargs):
            figures.invalidate("enterprises")

        # Edits outside the import (a monthly row in the admin, a membership, an enterprise's
        # chain or park, a certificate) change the cached figures and statistics tables too.
        for model in (
            models.MonthlyStatistic,
            models.StatisticsMembership,
            models.Enterprise,
            models.Qualification,
        ):
            uid = f"enterprises-figures-{model.__name__}"
            post_save.connect(invalidate, sender=model, dispatch_uid=f"{uid}-save", weak=False)
            post_delete.connect(invalidate, sender=model, dispatch_uid=f"{uid}-del", weak=False)
