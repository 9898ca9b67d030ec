from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def ensure_grade_rules(sender, **kwargs):
    from apps.staff.models import ensure_grade_rules

    ensure_grade_rules()


class StaffConfig(AppConfig):
    name = "apps.staff"
    verbose_name = _("人事聘任")

    def ready(self):
        # After every migrate (and every test flush) the grade rules exist; HR's values are kept.
        post_migrate.connect(ensure_grade_rules, sender=self)
