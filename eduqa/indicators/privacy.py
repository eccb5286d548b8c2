"""Small groups: no published figure is computed from fewer than ``suppress_below`` pupils.

A row of a published table whose pupil count (:data:`PUPIL_COUNTS`) is below the county's
``suppress_below`` (county.yaml, default 5, at least 2) has every figure replaced by —, on the
pages, in the workbook and in the Word report alike; the columns that say which group it is
and how many pupils it holds stay (:data:`DESCRIPTORS`). Below ``min_group_size`` (a larger
number, default 10) figures are shown but flagged 人数过少 and never ranked.

The statistics modules call :func:`suppress` on the per-group tables they turn into wide
tables (a column per season or subject), where the count would otherwise be lost; the output
writers (:func:`eduqa.report.tables.styled`, :func:`eduqa.report.tables.write_workbook`, the Word report)
call it on every table.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from eduqa.config.columns import COLUMNS, COUNT, DESCRIPTOR

__all__ = ["PUPIL_COUNTS", "DESCRIPTORS", "SUPPRESSED", "use_suppression", "suppressed_rows",
           "suppress", "marked"]

#: Columns that count the pupils a row's figures are computed from (the column registry's
#: :data:`~eduqa.config.columns.COUNT` columns): a row where any of them is below
#: ``suppress_below`` has its figures replaced by — (:func:`suppress`).
PUPIL_COUNTS = tuple(c.name for c in COLUMNS.values() if c.small_group == COUNT)
#: Columns that say which group a row is, or how many it holds (the registry's
#: :data:`~eduqa.config.columns.COUNT` and :data:`~eduqa.config.columns.DESCRIPTOR` columns):
#: never replaced.
DESCRIPTORS = frozenset(c.name for c in COLUMNS.values() if c.small_group in (COUNT, DESCRIPTOR))
#: What a replaced value shows.
SUPPRESSED = "—"
#: The ``suppress_below`` of the season this process works on (:meth:`Season.open` sets it
#: from county.yaml); 5 until then.
_SUPPRESS_BELOW = [5]


def use_suppression(below: int) -> None:
    """Make ``below`` the default of :func:`styled` in this process (the season's
    ``suppress_below``)."""
    _SUPPRESS_BELOW[0] = int(below)


def suppressed_rows(frame: pd.DataFrame, below: int | None = None) -> np.ndarray:
    """Which rows of ``frame`` are computed from fewer than ``below`` pupils: the smallest of
    their :data:`PUPIL_COUNTS` (a missing count is not small) is under ``below``."""
    below = _SUPPRESS_BELOW[0] if below is None else below
    small = np.zeros(len(frame), dtype=bool)
    for column in PUPIL_COUNTS:
        if column in frame.columns:
            counts = pd.to_numeric(frame[column], errors="coerce").to_numpy(dtype=float)
            small |= np.nan_to_num(counts, nan=np.inf) < below
    return small


def suppress(frame: pd.DataFrame, below: int | None = None) -> pd.DataFrame:
    """``frame`` with every figure of a row computed from fewer than ``below`` pupils
    (:func:`suppressed_rows`; default: the season's ``suppress_below``) made missing —
    shown as — on pages, in the workbook and in Word. The columns of :data:`DESCRIPTORS`
    (which group, how many pupils) stay. ``frame`` itself is not changed."""
    rows = suppressed_rows(frame, below)
    if not rows.any():
        return frame
    out = frame.copy()
    for column in out.columns:
        if column in DESCRIPTORS:
            continue
        values = out[column]
        if pd.api.types.is_float_dtype(values):
            out.loc[rows, column] = np.nan
        else:
            kept = values.astype(object)
            kept[rows] = None
            out[column] = kept
    return out


def marked(shown: pd.DataFrame, small: np.ndarray, columns) -> pd.DataFrame:
    """``shown`` (a table as displayed: its headers labelled, in the order of the canonical
    ``columns``) with the figures of its ``small`` rows written as :data:`SUPPRESSED` (every
    column but :data:`DESCRIPTORS`): the workbook's and the Word report's cells."""
    if not small.any():
        return shown
    shown = shown.copy()
    for position, column in enumerate(columns):
        if column not in DESCRIPTORS:
            values = shown.iloc[:, position].astype(object).to_numpy(copy=True)
            values[small] = SUPPRESSED
            shown.isetitem(position, values)
    return shown
