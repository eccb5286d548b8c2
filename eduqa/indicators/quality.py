"""Data-quality summaries of a clean step (the 01 page): row accounting, log counts, absence,
schools matched through an alias. DataFrame in, DataFrame out."""

from __future__ import annotations

import json

import pandas as pd

from eduqa.catalog import pairs, say
from eduqa.config.labels import KIND_LABELS
from eduqa.indicators.exam import summarize

__all__ = ["KIND_LABELS", "log_kind", "row_accounting", "log_counts", "absence",
           "alias_matches"]


def log_kind(log: pd.DataFrame) -> pd.Series:
    """The ``kind`` code of each log entry (``other`` where a log made elsewhere has none)."""
    if "kind" not in log:
        return pd.Series("other", index=log.index, dtype=object)
    return log["kind"].astype(object).where(log["kind"].notna(), "other")


def row_accounting(n_rows_in: int, log: pd.DataFrame) -> pd.DataFrame:
    """Rows in, kept and excluded by reason; the identity in = kept + excluded holds by
    construction and is shown so a reader can check it.

    Returns columns ``item`` (rows_in / rows_kept / excluded:<kind>) and ``n_rows``.
    """
    excluded = log[log["action"] == "exclude_row"]
    by_kind = log_kind(excluded).value_counts().sort_index()
    rows = [("rows_in", n_rows_in), ("rows_kept", n_rows_in - len(excluded))]
    rows += [(f"excluded:{kind}", int(n)) for kind, n in by_kind.items()]
    return pd.DataFrame(rows, columns=["item", "n_rows"])


def log_counts(log: pd.DataFrame) -> pd.DataFrame:
    """Number of log entries by action and reason kind (columns action, kind, count)."""
    frame = log.assign(kind=log_kind(log))
    return (frame.groupby(["action", "kind"], sort=True).size().rename("count").reset_index())


def absence(scores: pd.DataFrame, by, full_marks) -> pd.DataFrame:
    """Absence per group and subject: n_enrolled, n_absent, absence_rate = n_absent /
    n_enrolled (exempt students are not enrolled)."""
    table = summarize(scores, by, full_marks)
    keys = [by] if isinstance(by, str) else list(by or [])
    out = table[[*keys, "subject", "n_enrolled", "n_absent"]].copy()
    out["absence_rate"] = out["n_absent"] / out["n_enrolled"].where(out["n_enrolled"] > 0)
    return out


def alias_matches(log: pd.DataFrame) -> pd.DataFrame:
    """Schools written by an alias: the spelling met, the school it was matched to, rows."""
    part = log[log["action"] == "map_school"]
    if part.empty:
        return pd.DataFrame(columns=["original_value", "school_name", "n_rows"])
    school = part["detail"].map(lambda detail: json.loads(detail)["school_name"])
    return (part.assign(school_name=school)
            .groupby(["original_value", "school_name"], sort=True).size()
            .rename("n_rows").reset_index())


def label_items(frame: pd.DataFrame, column: str, language: str = "zh") -> pd.DataFrame:
    """Replace the ``item`` / ``kind`` codes of these tables by display words."""
    index = 1 if language == "en" else 0

    def one(code: str) -> str:
        if code in ("rows_in", "rows_kept"):
            return say(f"indicators.quality.{code}", language)
        if code.startswith("excluded:"):
            return say("indicators.quality.excluded", language, kind=KIND_LABELS.get(
                code.split(":", 1)[1], KIND_LABELS["other"])[index])
        return KIND_LABELS.get(code, (code, code))[index]

    out = frame.copy()
    out[column] = out[column].map(one)
    return out


_ACTIONS = pairs("indicators.quality.actions")


def label_actions(frame: pd.DataFrame, language: str = "zh") -> pd.DataFrame:
    """Display words for the ``action`` column of the log tables."""
    index = 1 if language == "en" else 0
    out = frame.copy()
    out["action"] = out["action"].map(lambda a: _ACTIONS.get(a, (a, a))[index])
    return out
