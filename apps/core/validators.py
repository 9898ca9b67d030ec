import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

MOBILE_RE = re.compile(r"^1[3-9]\d{9}$")
# Area code 0xx(x), optional dash, 7-8 digit number, optional extension.
LANDLINE_RE = re.compile(r"^0\d{2,3}-?\d{7,8}(?:-\d{1,6})?$")


def normalize_phone(value: str) -> str:
    """Drop spaces and a leading +86/0086 so that stored numbers compare equal."""
    value = re.sub(r"[\s()（）]", "", value or "")
    for prefix in ("+86", "0086"):
        if value.startswith(prefix):
            value = value[len(prefix) :].lstrip("-")
    return value


def validate_phone(value: str) -> None:
    """A Chinese mobile (11 digits, 1[3-9]…) or landline (0xxx-xxxxxxx[-ext]) number."""
    number = normalize_phone(value)
    if not (MOBILE_RE.match(number) or LANDLINE_RE.match(number)):
        raise ValidationError(
            _("请输入有效的手机号（11位）或固定电话（如 0373-1234567）"), code="invalid_phone"
        )
