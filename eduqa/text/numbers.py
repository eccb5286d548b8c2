"""Numbers as the pages, the workbook and the Word report show them."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

import numpy as np
import pandas as pd


def _rounded(value: float, digits: int) -> Decimal:
    """``value`` rounded as Excel displays it: to 15 significant digits first, then half away
    from zero (0.2125 shows as 21.3%, where Python's binary rounding would give 21.2%)."""
    exact = Decimal(f"{value:.15g}")
    rounded = exact.quantize(Decimal(1).scaleb(-digits), rounding=ROUND_HALF_UP)
    return abs(rounded) if rounded == 0 else rounded  # never "-0.0"


def display_number(value, kind: str, *, html: bool = False, digits: int | None = None) -> str:
    """A number as the workbook, the pages and the Word report all show it, by column kind:
    percent ``78.0%``, counts ``1,234``, p-values ``<0.001`` / ``0.032``, coefficients with
    three decimals, other numbers with one (``digits`` overrides the decimals); '' when
    missing. ``html`` escapes the ``<`` of ``<0.001``."""
    if value is None or pd.isna(value):
        return ""
    if isinstance(value, str):
        return value
    value = float(value)
    if not np.isfinite(value):  # (e.g. a variance share of a zero variance): nothing to show
        return ""
    if kind == "p_value":
        if value < 0.001:
            return "&lt;0.001" if html else "<0.001"
        return f"{_rounded(value, 3):.3f}"
    if kind == "percent":
        places = 1 if digits is None else digits
        return f"{_rounded(value * 100, places):.{places}f}%"
    places = digits if digits is not None else {"integer": 0, "precise": 3}.get(kind, 1)
    return f"{_rounded(value, places):,.{places}f}"
