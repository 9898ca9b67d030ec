from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "apps.core"
    verbose_name = _("公共")

    def ready(self):
        from apps.core.sessions import connect_signals

        install_text_validators()
        connect_signals()


def install_text_validators():
    """Every character field of every form and API body refuses control characters
    (apps.core.validators), the way Django and DRF already refuse NUL: one rule for every entry
    path, including fields declared without validators of their own."""
    from django import forms
    from rest_framework import serializers

    from apps.core.validators import ProhibitControlCharactersValidator

    validator = ProhibitControlCharactersValidator()
    if validator not in forms.CharField.default_validators:
        forms.CharField.default_validators = [*forms.CharField.default_validators, validator]

    original_init = serializers.CharField.__init__
    if getattr(original_init, "_portal_text", False):
        return

    def __init__(self, **kwargs):
        original_init(self, **kwargs)
        self.validators.append(validator)

    __init__._portal_text = True
    serializers.CharField.__init__ = __init__
