"""Amounts as dashboards show them. Rounding happens here, once, on the summed figure: a
table's total and the headline above it are the same rounded number."""

from decimal import ROUND_HALF_UP, Decimal

from django.utils.translation import gettext


def to_yi(amount, digits: int = 2) -> Decimal:
    """万元 → 亿元, rounded half up to `digits` decimals: 498599.5 → 49.86."""
    step = Decimal(1).scaleb(-int(digits))
    return (Decimal(amount) / Decimal(10000)).quantize(step, rounding=ROUND_HALF_UP)


def is_wan(unit) -> bool:
    """Whether a unit label (lazily translated: "万元", in English "CNY 10,000") is 万元, in
    whichever language is active: the amounts a dashboard shows in 亿元."""
    text = str(unit)
    return text == "万元" or text == gettext("万元")


def yi_label() -> str:
    """亿元, in the reader's language."""
    return gettext("亿元")
