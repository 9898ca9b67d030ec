import re
import unicodedata

from django.core.exceptions import ValidationError
from django.utils.deconstruct import deconstructible
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


# --- 统一社会信用代码 (GB 32100-2015) ------------------------------------------------------------
# 18 characters from this alphabet (no I, O, Z, S, V); the last is a check character over the
# first 17 with these weights. The first character may be a digit or a letter (e.g. 9 for
# enterprises, Y for others, 1/5 for bodies and social organisations).
CREDIT_CODE_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
CREDIT_CODE_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)


def credit_code_check_character(first17: str) -> str:
    total = sum(
        CREDIT_CODE_ALPHABET.index(char) * weight
        for char, weight in zip(first17, CREDIT_CODE_WEIGHTS, strict=True)
    )
    return CREDIT_CODE_ALPHABET[(31 - total % 31) % 31]


def normalize_credit_code(value: str) -> str:
    return (value or "").strip().upper()


def validate_credit_code(value: str) -> None:
    code = normalize_credit_code(value)
    if len(code) != 18:
        raise ValidationError(
            _("统一社会信用代码应为 18 位，当前为 %(length)d 位"),
            code="credit_code_length",
            params={"length": len(code)},
        )
    bad = sorted({char for char in code if char not in CREDIT_CODE_ALPHABET})
    if bad:
        raise ValidationError(
            _("统一社会信用代码含有不允许的字符：%(chars)s（不使用 I、O、Z、S、V）"),
            code="credit_code_charset",
            params={"chars": "".join(bad)},
        )
    if credit_code_check_character(code[:17]) != code[17]:
        raise ValidationError(
            _("统一社会信用代码校验位错误，请核对后重新输入"), code="credit_code_check"
        )


# --- Control characters ---------------------------------------------------------------------
# Nothing a person types contains C0 control characters other than tab and line breaks (nor
# DEL / C1); they come from pasted binary or hostile input, break exports (a workbook cannot
# hold \x0b) and hide text. Refused on input everywhere: apps.core.apps installs this validator
# on every form and API character field. The same goes for what XML cannot hold (a .docx or
# .xlsx is XML): lone surrogates and the noncharacters U+FFFE and U+FFFF.
CONTROL_CHARACTERS_RE = re.compile(
    r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]"
)


@deconstructible
class ProhibitControlCharactersValidator:
    message = _("内容含有不可见的控制字符，请删除后重新提交")
    code = "control_characters"

    def __call__(self, value):
        if isinstance(value, str) and CONTROL_CHARACTERS_RE.search(value):
            raise ValidationError(self.message, code=self.code)

    def __eq__(self, other):
        return isinstance(other, ProhibitControlCharactersValidator)


# --- names that must be unique -------------------------------------------------------------------
# A name with a zero-width space or a right-to-left override looks like an existing one and would
# pass a plain uniqueness check. Every unique name is normalised before it is compared or stored:
# compatibility forms folded (NFKC: full-width letters, digits, brackets and spaces become their
# ordinary forms), invisible format characters (Unicode category Cf) removed, whitespace runs
# collapsed to one space and trimmed.


def normalize_name(value: str) -> str:
    value = unicodedata.normalize("NFKC", value or "")
    value = "".join(char for char in value if unicodedata.category(char) != "Cf")
    return " ".join(value.split())


def normalize_name_fields(instance, *fields: str) -> None:
    """For a model's clean(): normalise these name fields in place before validate_unique."""
    for name in fields:
        value = getattr(instance, name)
        if isinstance(value, str):
            setattr(instance, name, normalize_name(value))


# The database's own check that a stored name is normalised (see normalized_name_sql): format
# characters by code point, as PostgreSQL's regular expressions have no Unicode categories.
FORMAT_CHARACTERS_RE = (
    "[\u00ad\u0600-\u0605\u061c\u06dd\u070f\u0890\u0891\u08e2\u180e\u200b-\u200f"
    "\u202a-\u202e\u2060-\u2064\u2066-\u206f\ufeff\ufff9-\ufffb]"
)
