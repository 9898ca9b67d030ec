from django.contrib.auth.password_validation import MinimumLengthValidator
from django.utils.translation import ngettext


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
