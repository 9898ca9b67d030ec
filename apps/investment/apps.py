from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InvestmentConfig(AppConfig):
    name = "apps.investment"
    verbose_name = _("招商引资")

    def ready(self):
        from apps.core import figures
        from apps.investment import models

        # A team is written in the admin (no service): its name and its members are on the
        # dashboard's team charts (the 赛马榜, the signings by team).
        figures.invalidate_on_write("investment", models.Team)
