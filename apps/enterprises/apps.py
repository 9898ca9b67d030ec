from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EnterprisesConfig(AppConfig):
    name = "apps.enterprises"
    verbose_name = _("企业")

    def ready(self):
        from apps.core import figures
        from apps.enterprises import models

        # Edits outside the import (a monthly row in the admin, a membership, an enterprise's
        # chain or park, a certificate) change the cached figures and statistics tables too.
        figures.invalidate_on_write(
            "enterprises",
            models.MonthlyStatistic,
            models.StatisticsMembership,
            models.Enterprise,
            models.Qualification,
        )
