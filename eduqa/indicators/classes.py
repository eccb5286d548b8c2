"""Classes (班级): class indicators with their ranks, the balance of parallel classes within a
school, and a class's change since the last season of the same grade (docs/METHODS.md §E).

Class indicators are those of :func:`eduqa.indicators.summarize` with ``by = [school, class]``;
every function here takes that table (or the long scores) and returns a new frame.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

import numpy as np
import pandas as pd

from eduqa.config.settings import CompositeWeights, Thresholds
from eduqa.indicators.exam import summarize

__all__ = ["MAX_PAGE_CLASSES", "class_change", "class_table", "in_class_order", "on_page",
           "parallel_balance", "subject_means"]

#: Most classes a page lists; beyond it the page lists the lowest by composite index and the
#: workbook has every class.
MAX_PAGE_CLASSES = 120

_KEYS = ["school_code", "class"]


def class_table(scores: pd.DataFrame, full_marks: Mapping[str, float], *,
                thresholds: Thresholds | None = None, weights: CompositeWeights | None = None,
                min_group_size: int = 0) -> pd.DataFrame:
    """一分三率 and the other indicators of every class, with its 名次 in the school and in
    the county.

    Parameters
    ----------
    scores : DataFrame
        Long scores with ``school_code`` and ``class``; a pupil without a class (``""``) is
        in no class and left out here (the school's own figures still count them).
    full_marks, thresholds, weights, min_group_size : as :func:`eduqa.indicators.summarize`.

    Returns
    -------
    DataFrame
        The columns of :func:`~eduqa.indicators.summarize` by ``school_code``, ``class`` and
        subject, where ``rank`` is the class's 名次 among all classes of the county (by the
        composite index) and ``rank_in_school`` among the school's classes; both NaN for a
        class below ``min_group_size`` (flagged ``small_group``), ties sharing the best rank.
    """
    part = scores[scores["class"].astype(str) != ""]
    table = summarize(part, _KEYS, full_marks, thresholds=thresholds, weights=weights,
                      min_group_size=min_group_size)
    rankable = table["composite"].where(~table["small_group"])
    table["rank_in_school"] = rankable.groupby([table["school_code"], table["subject"]]).rank(
        ascending=False, method="min")
    return table


def parallel_balance(classes: pd.DataFrame, *, min_group_size: int = 0,
                     cv_limit: float = 0.05) -> pd.DataFrame:
    """The balance of parallel classes (平行班) in each school and subject: how far apart the
    class means are.

    Parameters
    ----------
    classes : DataFrame
        :func:`class_table` (``school_code``, ``class``, ``subject``, ``mean``, ``n_sat``).
    min_group_size : int
        Classes with fewer valid scores are left out of the range and the CV (counted in
        ``n_small``).
    cv_limit : float
        A school whose CV of class means exceeds it is flagged ``unbalanced``.

    Returns
    -------
    DataFrame
        One row per school and subject with two or more classes of at least
        ``min_group_size``: ``n_classes`` (used), ``n_small`` (left out), ``highest`` and
        ``lowest`` (class means), ``range`` (highest − lowest), ``cv`` (standard deviation of
        the class means, ddof = 0, / their mean; unweighted: each class counts once),
        ``lowest_class`` and ``highest_class``, ``unbalanced`` (cv > cv_limit).
    """
    used = classes[(classes["n_sat"] >= max(min_group_size, 1)) & classes["mean"].notna()]
    small = classes[classes["n_sat"] < max(min_group_size, 1)].groupby(
        ["school_code", "subject"], observed=True).size()
    columns = ["school_code", "subject", "n_classes", "n_small", "highest", "lowest", "range",
               "cv", "highest_class", "lowest_class"]
    keys = ["school_code", "subject"]
    part = used[[*keys, "class", "mean"]].astype({"mean": float}).reset_index(drop=True)
    groups = part.groupby(keys, sort=True, observed=True)["mean"]
    # one grouped pass (a loop over schools × subjects is seconds for a city)
    stats = groups.agg(n_classes="size", highest="max", lowest="min", centre="mean")
    stats["sd"] = groups.std(ddof=0)
    stats["highest_class"] = part.loc[groups.idxmax(), "class"].to_numpy()
    stats["lowest_class"] = part.loc[groups.idxmin(), "class"].to_numpy()
    stats = stats[stats["n_classes"] >= 2].reset_index()
    stats["n_small"] = [int(small.get((a, b), 0)) for a, b in
                        zip(stats["school_code"], stats["subject"])]
    stats["range"] = stats["highest"] - stats["lowest"]
    stats["cv"] = (stats["sd"] / stats["centre"]).where(stats["centre"] != 0)
    frame = stats[columns].reset_index(drop=True)
    frame["n_classes"] = frame["n_classes"].astype("int64")
    frame["unbalanced"] = frame["cv"] > cv_limit
    return frame


def class_change(current: pd.DataFrame, previous: pd.DataFrame | None) -> pd.DataFrame:
    """Each class's change since the last season of the same grade: ``mean_previous``,
    ``mean_change``, ``rank_previous`` and ``rank_change`` (positive = moved up), linked by
    school, class name and subject; NaN where the class has no match (classes renamed or
    regrouped between years do not link)."""
    out = current.copy()
    keys = [*_KEYS, "subject"]
    if previous is None or previous.empty:
        for column in ("mean_previous", "mean_change", "rank_previous", "rank_change"):
            out[column] = np.nan
        return out
    earlier = previous[[*keys, "mean", "rank"]].rename(
        columns={"mean": "mean_previous", "rank": "rank_previous"})
    out = out.merge(earlier, on=keys, how="left")
    out["mean_change"] = out["mean"] - out["mean_previous"]
    out["rank_change"] = out["rank_previous"] - out["rank"]
    return out


def _class_number(label: object) -> tuple[int, str]:
    digits = re.search(r"\d+", str(label))
    return (int(digits.group()) if digits else 10**9, str(label))


def in_class_order(frame: pd.DataFrame) -> pd.DataFrame:
    """Rows by school, then class in number order (1班, 2班 … 10班, not 1班, 10班, 2班)."""
    order = frame["class"].map(_class_number)
    keyed = frame.assign(_number=[n for n, _ in order], _label=[t for _, t in order])
    return keyed.sort_values(["school_code", "_number", "_label"], kind="stable").drop(
        columns=["_number", "_label"])


def on_page(classes: pd.DataFrame, max_rows: int = MAX_PAGE_CLASSES) -> pd.DataFrame:
    """The classes a page lists: all of them up to ``max_rows``; beyond that the ``max_rows``
    // 2 ranked classes with the lowest composite index (lowest first), where a meeting looks
    first (the workbook lists every class)."""
    if len(classes) <= max_rows:
        return classes
    ranked = classes[classes["rank"].notna()]
    return ranked.sort_values(["rank", "school_code", "class"], ascending=[False, True, True],
                              kind="stable").head(max_rows // 2)


def subject_means(classes: pd.DataFrame, subjects: list[str]) -> pd.DataFrame:
    """每班各学科平均分, wide as the office lays it out: ``school_code``, ``class``, ``n_sat``
    (of the total), then one column of means per subject in ``subjects`` (canonical ids, in
    that order; missing where the class has no score in it) and ``small_group`` (the class's
    total below the minimum size), classes in number order."""
    means = classes.pivot_table(index=["school_code", "class"], columns="subject",
                                values="mean", observed=True, sort=False)
    wide = means.reindex(columns=[s for s in subjects if s in means.columns]).reset_index()
    wide.columns.name = None
    total = classes[classes["subject"] == "total"].set_index(["school_code", "class"])
    at = pd.MultiIndex.from_frame(wide[["school_code", "class"]])
    wide.insert(2, "n_sat", total["n_sat"].reindex(at).to_numpy())
    wide["small_group"] = total["small_group"].reindex(at).fillna(True).astype(bool).to_numpy()
    return in_class_order(wide).reset_index(drop=True)
