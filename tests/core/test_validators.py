import pytest
from django.core.exceptions import ValidationError

from apps.core.validators import (
    credit_code_check_character,
    normalize_phone,
    validate_credit_code,
    validate_phone,
)

# Published codes of real organisations (their check characters are right).
REAL_CODES = [
    "9144030071526726XG",  # a Shenzhen company (letter in the organisation code)
    "91330100716105852F",  # a Hangzhou company
    "914403001922038216",
    "91110108551385082Q",
    "12100000400000624D",  # a public institution (first character 1)
    "91350100M000100Y43",  # letters in the middle
]


@pytest.mark.parametrize("code", REAL_CODES)
def test_real_credit_codes_pass(code):
    validate_credit_code(code)


def test_the_check_character_is_computed_over_the_first_seventeen():
    assert credit_code_check_character("91110000802100433") == "B"


@pytest.mark.parametrize("code", REAL_CODES)
def test_changing_any_one_character_of_a_real_code_is_caught(code):
    alphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY"
    for index in range(18):
        replacement = alphabet[(alphabet.index(code[index]) + 7) % 31]
        mutated = code[:index] + replacement + code[index + 1 :]
        with pytest.raises(ValidationError):
            validate_credit_code(mutated)


@pytest.mark.parametrize(
    ("code", "message"),
    [
        ("9111000080210043", "应为 18 位"),
        ("91110000802100433I", "不允许的字符"),
        ("91110000802100433O", "不允许的字符"),
        ("91110000802100433A", "校验位错误"),
    ],
)
def test_bad_credit_codes_are_refused_with_a_chinese_reason(code, message):
    with pytest.raises(ValidationError) as caught:
        validate_credit_code(code)
    assert message in str(caught.value)


def test_a_code_starting_with_a_letter_is_legal():
    validate_credit_code("Y2110000MJ0000010A")


def test_a_lowercase_code_is_accepted_after_normalising():
    validate_credit_code("91110000802100433b")


@pytest.mark.parametrize(
    "number",
    ["13812345678", "+86 138 1234 5678", "0373-1234567", "03731234567", "010-12345678-123"],
)
def test_chinese_phone_numbers_pass(number):
    validate_phone(number)


@pytest.mark.parametrize("number", ["12812345678", "1381234567", "373-1234567", "abc", "0373-12"])
def test_bad_phone_numbers_are_refused_in_chinese(number):
    with pytest.raises(ValidationError) as caught:
        validate_phone(number)
    assert "手机号" in str(caught.value)


def test_phone_numbers_are_normalised():
    assert normalize_phone("+86 138-1234-5678".replace("-", " ")) == "13812345678"


@pytest.mark.parametrize(
    "typed",
    [
        "大善钢构\u200b有限公司",  # zero-width space
        "\u202e大善钢构有限公司",  # right-to-left override
        "大善钢构有限公司\ufeff",  # byte-order mark
        "  大善钢构有限公司 ",
        "大善钢构\u00ad有限公司",  # soft hyphen
    ],
)
def test_look_alike_names_normalise_to_the_real_one(typed):
    from apps.core.validators import normalize_name

    assert normalize_name(typed) == "大善钢构有限公司"


def test_names_fold_compatibility_forms_and_collapse_whitespace():
    from apps.core.validators import normalize_name

    assert normalize_name("ＡＢＣ\u3000Group\t\n Co.") == "ABC Group Co."
    assert normalize_name("") == ""
