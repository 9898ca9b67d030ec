from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DashboardConfig(AppConfig):
    name = "apps.dashboard"
    verbose_name = _("领导驾驶舱")

    def ready(self):
        from apps.core import figures
        from apps.dashboard.selectors import zone_year_targets
        from apps.dashboard.tasks import warm_figures

        figures.register_warm_up(warm_figures)
        figures.register_target_source(zone_year_targets)
