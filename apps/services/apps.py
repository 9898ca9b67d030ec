from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ServicesConfig(AppConfig):
    name = "apps.services"
    verbose_name = _("企业服务")

    def ready(self):
        from apps.enterprises import hooks
        from apps.services import enterprise_page

        hooks.register_timeline(enterprise_page.timeline)
        hooks.register_section(enterprise_page.section)
