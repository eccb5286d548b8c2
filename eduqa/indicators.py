"""Exam indicators (METHODS §A): 一分三率 and the rest, for any grouping of students.

Every indicator is computed by one group-by helper over the long scores frame, so that a county,
township, school or class table is the same call with a different ``by``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd

from .errors import EduqaError
from .params import CompositeWeights, Thresholds

__all__ = ["summarize", "cv", "INDICATOR_COLUMNS"]

INDICATOR_COLUMNS = [
    "n_enrolled", "n_sat", "n_absent", "participation", "mean", "sd", "median", "max", "min",
    "score_rate", "pass_rate", "good_rate", "excellent_rate", "low_rate", "above_mean_rate",
    "composite", "rank", "near_pass", "near_excellent", "small_group",
]
_COUNTS = ["n_enrolled", "n_sat", "n_absent", "_pass", "_good", "_excellent", "_low",
           "near_pass", "near_excellent"]


def _as_list(by: str | Sequence[str] | None) -> list[str]:
    if by is None:
        return []
    return [by] if isinstance(by, str) else list(by)


def _grouped(frame: pd.DataFrame, keys: list[str]):
    """The one split step of this module: sorted, NaN keys kept as their own group."""
    return frame.groupby(keys, sort=True, observed=True, dropna=False)


def summarize(
    scores: pd.DataFrame,
    by: str | Sequence[str] | None,
    full_marks: Mapping[str, float],
    *,
    thresholds: Thresholds | None = None,
    weights: CompositeWeights | None = None,
    min_group_size: int = 0,
) -> pd.DataFrame:
    """Indicators per group and subject.

    Parameters
    ----------
    scores : DataFrame
        Long scores shaped like ``data/processed/<season>/scores.parquet``: ``subject``,
        ``score``, ``status`` and the ``by`` columns. Subjects missing from ``full_marks`` are
        left out.
    by : str, list of str or None
        Grouping columns (e.g. ``"school_code"``); ``None`` or ``[]`` gives the whole frame
        (the county).
    full_marks : mapping
        Full marks F per subject (include ``total`` to get the total).
    thresholds : Thresholds, optional
        Lines as shares of F; defaults 0.60 / 0.70 / 0.85 / 0.40, near margin 0.05.
    weights : CompositeWeights, optional
        Weights of the composite index; default 0.4 / 0.3 / 0.3 / 0.
    min_group_size : int
        Groups with fewer valid scores are flagged ``small_group`` and not ranked.

    Returns
    -------
    DataFrame
        One row per (``by``..., subject), sorted by them, with columns:

        - ``n_enrolled`` 应考人数: rows of any status except exempt;
        - ``n_sat`` 实考人数: valid scores; ``n_absent`` 缺考人数: status absent;
        - ``participation`` 参考率 = n_sat / n_enrolled;
        - ``mean``, ``sd`` (ddof=1), ``median``, ``max``, ``min`` over valid scores;
        - ``score_rate`` 得分率 = mean / F;
        - ``pass_rate`` 及格率, ``good_rate`` 良好率, ``excellent_rate`` 优秀率: share of valid
          scores >= 0.60 F, 0.70 F, 0.85 F; ``low_rate`` 低分率: share < 0.40 F;
        - ``above_mean_rate`` 超均率 = (group mean − mean of the whole frame) / mean of the whole
          frame, per subject;
        - ``composite`` 综合指数 = 100 (w_m score_rate + w_p pass_rate + w_e excellent_rate −
          w_l low_rate);
        - ``rank`` 名次 of the composite among the groups of the same subject, 1 = best, ties
          share the best rank (``method="min"``); NaN for small groups and when ``by`` is empty;
        - ``near_pass``, ``near_excellent`` 临界生人数: valid scores in [line − margin·F, line);
        - ``small_group``: n_sat < min_group_size.

        Rates are NaN when a group has no valid score.

    Notes
    -----
    Absent, voided and exempt students never enter the rates; a zero is a score, not an absence.

    Examples
    --------
    >>> frame = pd.DataFrame({"school": ["A", "A", "A", "B"], "subject": "math",
    ...                       "score": [90, 55, np.nan, 70], "status": ["sat", "sat", "absent", "sat"]})
    >>> out = summarize(frame, "school", {"math": 100})
    >>> out[["school", "n_enrolled", "n_sat", "mean", "pass_rate"]].to_string(index=False)
    'school  n_enrolled  n_sat  mean  pass_rate\\n     A           3      2  72.5        0.5\\n     B           1      1  70.0        1.0'
    """
    keys = _as_list(by)
    thresholds = thresholds or Thresholds()
    weights = weights or CompositeWeights()
    missing = [c for c in [*keys, "subject", "score", "status"] if c not in scores.columns]
    if missing:
        raise EduqaError(f"summarize: the scores frame has no column(s) {', '.join(missing)}")
    frame = scores.loc[scores["subject"].isin(list(full_marks)), [*keys, "subject", "score",
                                                                   "status"]]
    marks = frame["subject"].map(full_marks).astype(float)
    valid = frame["status"].eq("sat") & frame["score"].notna()
    score = frame["score"].astype(float).where(valid)
    t = thresholds

    def at_least(share):
        return valid & (score >= share * marks - 1e-9)

    work = frame[[*keys, "subject"]].assign(
        n_enrolled=frame["status"].ne("exempt"), n_sat=valid, n_absent=frame["status"].eq("absent"),
        _pass=at_least(t.pass_line), _good=at_least(t.good), _excellent=at_least(t.excellent),
        _low=valid & (score < t.low * marks - 1e-9),
        near_pass=at_least(t.pass_line - t.near_margin) & ~at_least(t.pass_line),
        near_excellent=at_least(t.excellent - t.near_margin) & ~at_least(t.excellent),
        _score=score,
    )
    groups = _grouped(work, [*keys, "subject"])
    out = groups[_COUNTS].sum().astype("int64")
    stats = groups["_score"].agg(["mean", "std", "median", "max", "min"]).rename(
        columns={"std": "sd"})
    out = out.join(stats).reset_index()

    n_sat = out["n_sat"].where(out["n_sat"] > 0)
    out["participation"] = out["n_sat"] / out["n_enrolled"].where(out["n_enrolled"] > 0)
    out["score_rate"] = out["mean"] / out["subject"].map(full_marks)
    for name in ("pass", "good", "excellent", "low"):
        out[f"{name}_rate"] = out[f"_{name}"] / n_sat
    county_mean = score.groupby(frame["subject"]).mean()
    reference = out["subject"].map(county_mean)
    out["above_mean_rate"] = (out["mean"] - reference) / reference
    out["composite"] = 100 * (weights.score_rate * out["score_rate"]
                              + weights.pass_rate * out["pass_rate"]
                              + weights.excellent_rate * out["excellent_rate"]
                              - weights.low_rate * out["low_rate"])
    out["small_group"] = out["n_sat"] < min_group_size
    if keys:
        rankable = out["composite"].where(~out["small_group"])
        out["rank"] = rankable.groupby(out["subject"]).rank(ascending=False, method="min")
    else:
        out["rank"] = np.nan
    return out[[*keys, "subject", *INDICATOR_COLUMNS]]


def cv(values, weights=None) -> float:
    """Coefficient of variation 差异系数.

    Parameters
    ----------
    values : array-like
        One value per school (a mean score, teachers per 100 students, ...).
    weights : array-like, optional
        Enrolment n_i of each school. With weights this is the inspection formula; without, the
        plain (population) coefficient of variation, a different number.

    Returns
    -------
    float
        CV = sqrt(Σ (n_i/N)(x_i − x̄)²) / x̄ with x̄ = Σ n_i x_i / N (weighted), or
        sqrt(mean((x − mean x)²)) / mean x (unweighted). NaN values (and their weights) are
        skipped; NaN when nothing is left or the mean is 0.

    Notes
    -----
    The enrolment-weighted form is the one used by the national county balanced-development
    inspection (县域义务教育优质均衡发展督导评估办法), with limits 0.50 (primary) and 0.45
    (junior secondary) for resource indicators.

    Examples
    --------
    >>> round(cv([10, 20], weights=[3, 1]), 4)
    0.3464
    >>> round(cv([10, 20]), 4)
    0.3333
    """
    x = np.asarray(values, dtype=float)
    w = np.ones_like(x) if weights is None else np.asarray(weights, dtype=float)
    if w.shape != x.shape:
        raise EduqaError("cv: values and weights must have the same length")
    keep = ~(np.isnan(x) | np.isnan(w))
    x, w = x[keep], w[keep]
    if x.size == 0 or w.sum() <= 0:
        return float("nan")
    mean = np.sum(w * x) / np.sum(w)
    if mean == 0:
        return float("nan")
    return float(np.sqrt(np.sum(w * (x - mean) ** 2) / np.sum(w)) / mean)
