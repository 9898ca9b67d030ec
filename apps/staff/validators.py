"""The resident identity number (居民身份证号码, GB 11643-1999) and how it is shown."""

import re
from datetime import date

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

ID_NUMBER_RE = re.compile(r"^\d{17}[\dX]$")
_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_CHECK_CHARACTERS = "10X98765432"


def normalize_id_number(value: str) -> str:
    """Drop spaces and accept a lower-case x, so that stored numbers compare equal."""
    return re.sub(r"\s", "", value or "").upper()


def id_number_check_character(first17: str) -> str:
    total = sum(int(digit) * weight for digit, weight in zip(first17, _WEIGHTS, strict=True))
    return _CHECK_CHARACTERS[total % 11]


def id_number_birth_date(value: str) -> date | None:
    """The birth date coded in positions 7–14, or None when it is not a real date."""
    try:
        return date(int(value[6:10]), int(value[10:12]), int(value[12:14]))
    except ValueError:
        return None


def validate_id_number(value: str) -> None:
    number = normalize_id_number(value)
    if not ID_NUMBER_RE.match(number):
        raise ValidationError(
            _("身份证号应为 18 位：17 位数字加 1 位校验码（数字或 X）"), code="id_format"
        )
    birth = id_number_birth_date(number)
    if birth is None or birth.year < 1900 or birth > date.today():
        raise ValidationError(_("身份证号中的出生日期无效"), code="id_birth_date")
    if id_number_check_character(number[:17]) != number[17]:
        raise ValidationError(_("身份证号校验码不正确，请核对"), code="id_checksum")


def mask_id_number(value: str) -> str:
    """4101**********123X: the region's first four characters and the last four."""
    if not value:
        return ""
    if len(value) <= 8:
        return "*" * len(value)
    return f"{value[:4]}{'*' * (len(value) - 8)}{value[-4:]}"
