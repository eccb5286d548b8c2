"""Fixed rules of inference that every layer states alike (the models apply them, the text
says what they imply). A leaf module: it imports nothing of eduqa."""

from __future__ import annotations

__all__ = ["MIN_CLUSTERS", "VERDICTS", "chance_flags"]

#: Below this many clusters in the smaller of two compared groups, eduqa gives no significance
#: verdict (the comparison "rests on N schools") and no bootstrap interval.
MIN_CLUSTERS = 5

#: The verdicts a school gets from a 95% interval: flagged (first two of each triple) or not.
VERDICTS = ("improved", "fell_back", "no_clear_change", "above", "below", "as_expected",
            "tier_above", "tier_below", "tier_level")


def chance_flags(flags, level: float = 0.05) -> tuple[int, float]:
    """(schools judged, flags expected by chance alone): among N schools given a verdict from
    a 95% interval, about ``level`` · N are flagged (improved or fell back, above or below)
    even when no school truly differs. ``flags``: the verdict of each school (a table's
    ``flag`` column); schools without a verdict (too small, in one season only) are not
    counted."""
    judged = sum(1 for flag in flags if flag in VERDICTS)
    return judged, level * judged
