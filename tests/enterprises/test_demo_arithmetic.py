"""The demo shares totals exactly: the seed's figures depend on it."""

from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from apps.core.validators import validate_credit_code
from apps.enterprises.demo import make_credit_code, split_exact

amounts = st.decimals(min_value=0, max_value=10**8, places=4)
weights = st.lists(st.floats(min_value=0.01, max_value=1000), min_size=1, max_size=80)


@given(total=amounts, shares=weights)
def test_shares_add_up_to_the_total_to_the_last_ten_thousandth(total, shares):
    parts = split_exact(total, shares)
    assert sum(parts, Decimal(0)) == total
    assert all(part == part.quantize(Decimal("0.0001")) for part in parts)
    assert all(part >= 0 for part in parts)


@given(st.integers(min_value=0, max_value=31**9 - 1))
def test_every_generated_credit_code_is_valid(n):
    validate_credit_code(make_credit_code(n))
