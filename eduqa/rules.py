"""Fixed rules of inference that every layer states alike (the models apply them, the text
says what they imply). A leaf module: it imports nothing of eduqa."""

from __future__ import annotations

__all__ = ["MIN_CLUSTERS"]

#: Below this many clusters in the smaller of two compared groups, eduqa gives no significance
#: verdict (the comparison "rests on N schools") and no bootstrap interval.
MIN_CLUSTERS = 5
