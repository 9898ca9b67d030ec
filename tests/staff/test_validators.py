import pytest
from django.core.exceptions import ValidationError

from apps.staff.validators import (
    id_number_check_character,
    mask_id_number,
    normalize_id_number,
    validate_id_number,
)
from tests.staff.factories import REAL_ID_NUMBER

REAL_NUMBERS = [REAL_ID_NUMBER, "110105197001010011", "410724199003071231"]


def test_the_check_character_follows_gb_11643():
    assert id_number_check_character("11010519491231002") == "X"
    assert id_number_check_character("44052418800101001") == "4"


@pytest.mark.parametrize("number", REAL_NUMBERS)
def test_real_id_numbers_are_accepted(number):
    validate_id_number(number)


def test_a_lower_case_x_and_spaces_are_accepted_and_normalised():
    validate_id_number("110105 19491231 002x")
    assert normalize_id_number("110105 19491231 002x") == REAL_ID_NUMBER


@pytest.mark.parametrize("position", range(18))
def test_changing_any_single_character_of_a_real_number_is_refused(position):
    original = REAL_ID_NUMBER[position]
    for replacement in "0123456789X":
        if replacement == original or (replacement == "X" and position != 17):
            continue
        mutated = REAL_ID_NUMBER[:position] + replacement + REAL_ID_NUMBER[position + 1 :]
        with pytest.raises(ValidationError):
            validate_id_number(mutated)


def test_swapping_two_adjacent_different_digits_is_refused():
    for position in range(16):
        a, b = REAL_ID_NUMBER[position], REAL_ID_NUMBER[position + 1]
        if a == b:
            continue
        swapped = REAL_ID_NUMBER[:position] + b + a + REAL_ID_NUMBER[position + 2 :]
        with pytest.raises(ValidationError):
            validate_id_number(swapped)


@pytest.mark.parametrize(
    ("number", "code"),
    [
        ("1101051949123100", "id_format"),
        ("1101051949123100XX", "id_format"),
        ("A1010519491231002X", "id_format"),
        ("110105194913310025", "id_birth_date"),  # month 13
        ("110105203001010012", "id_birth_date"),  # born in the future
        ("110105194902300021", "id_birth_date"),  # 30 February
    ],
)
def test_malformed_numbers_are_refused_with_a_reason(number, code):
    with pytest.raises(ValidationError) as error:
        validate_id_number(number)
    assert error.value.code == code


def test_masking_keeps_the_first_four_and_last_four_characters():
    assert mask_id_number("41010519491231123X") == "4101**********123X"
    assert mask_id_number("") == ""
