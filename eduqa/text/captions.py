"""One-line captions of the tables and figures on the pages: what each shows and for whom (N).

Every table and figure of a page carries one (a test checks the built pages). The numbers come
from the table itself (:func:`caption` counts its rows, schools and students) or are passed in,
so a caption cannot say 30 schools under a table of 29. A caption says which N the table uses:
应考 (on the score export, not exempt), 实考 (a valid score; for 总分, every subject), or the
pupils matched across seasons.
"""

from __future__ import annotations

import pandas as pd

from eduqa.catalog import say
from eduqa.catalog.captions import CAPTIONS

__all__ = ["CAPTIONS", "caption", "student_column"]


#: Columns that count pupils, in order of preference: the N a caption's ``{students}`` sums.
_STUDENT_COLUMNS = ("n_sat", "n_matched", "n", "n_students", "n_enrolled", "n_now")


def student_column(frame: pd.DataFrame) -> str | None:
    """The column of ``frame`` a caption sums for its pupils (see :data:`_STUDENT_COLUMNS`)."""
    return next((c for c in _STUDENT_COLUMNS if c in frame), None)


def caption(key: str, language: str = "zh", frame: pd.DataFrame | None = None,
            **values: object) -> str:
    """The caption ``key`` of :data:`CAPTIONS` (in :mod:`eduqa.catalog.captions`) as
    "Table: …" (表：…) or "Figure: …", its fields
    filled from ``values`` and from ``frame``: ``rows`` (its rows), ``schools`` (distinct
    ``school_code``, else rows) and ``students`` (the sum of its pupil column)."""
    kind, zh, en = CAPTIONS[key]
    fields: dict[str, object] = {}
    if frame is not None:
        fields["rows"] = len(frame)
        fields["schools"] = (int(frame["school_code"].nunique()) if "school_code" in frame
                             else len(frame))
        column = student_column(frame)
        if column is not None:
            fields["students"] = int(pd.to_numeric(frame[column], errors="coerce").sum())
    fields.update(values)
    text = (en if language == "en" else zh).format_map(_Numbers(fields))
    return say(f"caption.{kind}", language, text=text)


class _Numbers(dict):
    """Format fields; a missing one is a bug in the caller, named in the error."""

    def __missing__(self, key):
        raise KeyError(f"caption field {key!r} was not given")


def percent_text(share: float) -> str:
    """A share of full marks as the captions write it: 0.05 → 5%."""
    return f"{share:.0%}"

