"""Amounts as dashboards show them. Rounding happens here, once, on the summed figure: a
table's total and the headline above it are the same rounded number."""

from decimal import ROUND_HALF_UP, Decimal


def to_yi(amount, digits: int = 2) -> Decimal:
    """万元 → 亿元, rounded half up to `digits` decimals: 498599.5 → 49.86."""
    step = Decimal(1).scaleb(-int(digits))
    return (Decimal(amount) / Decimal(10000)).quantize(step, rounding=ROUND_HALF_UP)
