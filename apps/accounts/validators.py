from django.contrib.auth.password_validation import MinimumLengthValidator
from django.core.exceptions import ValidationError
from django.utils.translation import gettext, ngettext


class PortalMinimumLengthValidator(MinimumLengthValidator):
    """Django's own, with a message its Chinese catalogue lacks for this wording."""

    def get_error_message(self):
        return ngettext(
            "密码太短，至少需要 %(min_length)d 个字符。",
            "密码太短，至少需要 %(min_length)d 个字符。",
            self.min_length,
        ) % {"min_length": self.min_length}

    def get_help_text(self):
        return ngettext(
            "密码至少需要 %(min_length)d 个字符。",
            "密码至少需要 %(min_length)d 个字符。",
            self.min_length,
        ) % {"min_length": self.min_length}


class PortalWordsValidator:
    """Refuses passwords built on the portal's own name, which anyone who has seen the login
    page (or the demo's shared password) would try first: "zoneportal", "Zone-Portal-2023"."""

    WORDS = ("zoneportal", "portal", "kaifaqu", "guanweihui")

    def validate(self, password, user=None):
        letters = "".join(char for char in password.lower() if char.isalpha())
        if any(word in letters for word in self.WORDS):
            raise ValidationError(
                gettext("密码不能包含本平台的名称（如 zoneportal），请换一个。"),
                code="password_portal_word",
            )

    def get_help_text(self):
        return gettext("密码不能包含本平台的名称。")


class CharacterVarietyValidator:
    """Refuses passwords made of a few repeated characters ("1111111111a"), which pass the
    length, numeric and common-password checks."""

    def __init__(self, min_distinct=5):
        self.min_distinct = min_distinct

    def validate(self, password, user=None):
        if len(set(password)) < self.min_distinct:
            raise ValidationError(
                gettext("密码至少需要 %(n)d 个不同的字符。") % {"n": self.min_distinct},
                code="password_too_uniform",
            )

    def get_help_text(self):
        return gettext("密码至少需要 %(n)d 个不同的字符。") % {"n": self.min_distinct}
