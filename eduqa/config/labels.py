"""Display labels: canonical name -> Chinese / English label (columns from the registry).

Tables, figures and Excel sheets all take their headers from here, so a name is spelled the same
way everywhere. Canonical names are the column and value names used in the code.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

import pandas as pd

from eduqa.catalog.labels import KIND_LABELS, VALUE_LABELS
from eduqa.config.columns import COLUMNS

__all__ = ["LABELS", "VALUE_LABELS", "KIND_LABELS", "label", "relabel", "SUBJECT_ORDER"]


#: Every display label: the column registry's headers and :data:`VALUE_LABELS`.
LABELS: dict[str, tuple[str, str]] = {**{c.name: (c.zh, c.en) for c in COLUMNS.values()},
                                      **VALUE_LABELS}

SUBJECT_ORDER = [
    "chinese", "math", "english", "science", "physics", "chemistry", "biology",
    "geography", "history", "morality_law", "total",
]


def label(name: str, language: str = "zh") -> str:
    """Display label of a canonical name; unknown names are returned unchanged."""
    column = COLUMNS.get(name)  # (the registry, read at call time: a column registered
    if column is not None:      # for a while is labelled too)
        return column.en if language == "en" else column.zh
    pair = VALUE_LABELS.get(name)
    if pair is None:
        return name
    return pair[1] if language == "en" else pair[0]


def relabel(frame: pd.DataFrame, language: str = "zh", *, values: Iterable[str] = (),
            extra: Mapping[str, str] | None = None) -> pd.DataFrame:
    """Return a copy of ``frame`` with display labels for its columns (and for the values of the
    columns named in ``values``, e.g. ``subject`` or ``urban_rural``)."""
    out = frame.copy()
    for column in values:
        if column in out.columns:
            out[column] = out[column].map(lambda v: label(v, language) if isinstance(v, str) else v)
    mapping = {c: label(c, language) for c in out.columns}
    if extra:
        mapping.update(extra)
    return out.rename(columns=mapping)
