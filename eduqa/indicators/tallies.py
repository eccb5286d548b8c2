"""Counts and score statistics per group: the pieces of :func:`eduqa.indicators.summarize`.

:func:`group_statistics` counts the rows of each group at each line and takes the score
statistics; :func:`finish_summary` turns them into the indicators (rates, 超均率, composite,
ranks). :func:`frequencies` and :func:`summarize_frequencies` do the same from a frequency
table — tables of parts of a season add up, which is how the Dask engine
(:mod:`eduqa.indicators.partitioned`) computes a county's, a township's or an urban–rural type's
indicators partition by partition. Kept apart from :mod:`eduqa.indicators` so that both it
and the Dask engine build on them (``eduqa.indicators`` re-exports every public name).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd

from eduqa.compute.frames import group_ids, lookup, plain_columns
from eduqa.config.settings import CompositeWeights, Thresholds
from eduqa.errors import EduqaError

__all__ = ["reaches", "below", "head_counts", "group_statistics", "finish_summary",
           "frequencies", "summarize_frequencies", "school_gap_stats", "gap_outcomes",
           "subject_moments", "student_z", "school_sums", "exact_total", "restandardising",
           "INDICATOR_COLUMNS", "GAP_INDICATORS"]


def _as_list(by: str | Sequence[str] | None) -> list[str]:
    if by is None:
        return []
    return [by] if isinstance(by, str) else list(by)


#: Scores are compared with a line with this tolerance (a line of 0.6 × 120 is 72 exactly,
#: whatever the floating-point rounding of 0.6 × 120).
_TOLERANCE = 1e-9


def reaches(score, share: float, marks):
    """True where ``score`` reaches the line ``share`` × ``marks`` (at or above it): the one rule
    of 及格/良好/优秀 (docs/METHODS.md §A)."""
    return score >= share * marks - _TOLERANCE


def below(score, share: float, marks):
    """True where ``score`` is under the line ``share`` × ``marks``: the rule of 低分."""
    return score < share * marks - _TOLERANCE

INDICATOR_COLUMNS = [
    "n_enrolled", "n_sat", "n_absent", "participation", "mean", "sd", "median", "max", "min",
    "score_rate", "pass_rate", "good_rate", "excellent_rate", "low_rate", "above_mean_rate",
    "composite", "rank", "near_pass", "near_excellent", "small_group",
]
_COUNTS = ["n_enrolled", "n_sat", "n_absent", "_pass", "_good", "_excellent", "_low",
           "near_pass", "near_excellent"]


def head_counts(scores: pd.DataFrame) -> dict[str, int]:
    """The season's three student counts, as every page and the landing cards give them:

    - ``enrolled`` 应考: students on the score export who are not exempt in every subject;
    - ``sat`` 实考: students with a valid score in at least one subject;
    - ``sat_all`` 各科全部参考: students with a total (a valid score in every subject), the N
      of the total's mean and rates.

    ``scores`` is the long score table (``student_key``, ``subject``, ``status``, ``score``).
    """
    # one factorisation of the key and three counts of distinct codes, never a copy of the
    # whole table (millions of rows at province scale)
    codes, uniques = pd.factorize(scores["student_key"])
    is_total = scores["subject"].eq("total").to_numpy(bool)
    status = scores["status"]
    valid = status.eq("sat").to_numpy(bool) & scores["score"].notna().to_numpy(bool)

    def students(mask: np.ndarray) -> int:
        chosen = codes[mask & (codes >= 0)]
        return int(np.count_nonzero(np.bincount(chosen, minlength=len(uniques))))

    return {"enrolled": students(~is_total & status.ne("exempt").to_numpy(bool)),
            "sat": students(~is_total & valid),
            "sat_all": students(is_total & valid)}


def _summary_input(scores: pd.DataFrame, keys: list[str], full_marks: Mapping[str, float],
                   extra: Sequence[str] = ()) -> pd.DataFrame:
    """The columns :func:`summarize` reads, the rows of the subjects with full marks; a clear
    error when a column is missing."""
    missing = [c for c in [*keys, "subject", "score", "status", *extra] if c not in scores.columns]
    if missing:
        raise EduqaError.of("indicators.tallies.summary_input.summarize_scores_frame_has",
                            missing=list(missing))
    columns = [*keys, "subject", "score", "status", *extra]
    in_marks = scores["subject"].isin(list(full_marks))
    # every row kept (the usual case): the columns are taken without copying the rows
    return scores[columns] if in_marks.all() else scores.loc[in_marks, columns]


def group_statistics(frame: pd.DataFrame, keys: list[str], full_marks: Mapping[str, float],
                     thresholds: Thresholds, count: str | None = None
                     ) -> tuple[pd.DataFrame, dict[str, float]]:
    """The per-group pieces of :func:`summarize` before :func:`finish_summary`: counts of
    rows (``n_enrolled``, ``n_sat``, ``n_absent``, the rows at each line, ``near_*``), the
    sum of the valid scores (``_sum``) and their ``mean``, ``sd``, ``median``, ``max`` and
    ``min``, one row per (``keys``..., subject) in group-by order; and the mean valid score
    of each subject over the whole frame.

    With ``count``, each row of ``frame`` stands for that many students (a frequency table,
    :func:`frequencies`): the same numbers as from the rows it counts."""
    # plain arrays: the masks of millions of rows without pandas' per-operation overhead;
    # the subject and status text factorised once (every use below reads the codes)
    subject = pd.factorize(frame["subject"], sort=True, use_na_sentinel=False)
    subject_codes, subjects = subject
    marks = np.asarray([full_marks.get(v, np.nan) for v in subjects], dtype=float)[
        subject_codes]
    status_codes, statuses = pd.factorize(frame["status"])

    def status_is(name: str) -> np.ndarray:
        found = np.flatnonzero(np.asarray(statuses, dtype=object) == name)
        return (status_codes == found[0]) if len(found) else np.zeros(len(frame), dtype=bool)

    raw = frame["score"].to_numpy(dtype=float, na_value=np.nan)
    weight = None if count is None else frame[count].to_numpy(dtype=np.int64)
    valid = status_is("sat") & ~np.isnan(raw)
    if weight is not None:
        valid &= weight > 0
    score = np.where(valid, raw, np.nan)
    t = thresholds

    def at_least(share):
        return valid & reaches(score, share, marks)

    passed, excellent = at_least(t.pass_line), at_least(t.excellent)
    counts = {
        "n_enrolled": ~status_is("exempt"), "n_sat": valid,
        "n_absent": status_is("absent"), "_pass": passed,
        "_good": at_least(t.good), "_excellent": excellent,
        "_low": valid & below(score, t.low, marks),
        "near_pass": at_least(t.pass_line - t.near_margin) & ~passed,
        "near_excellent": at_least(t.excellent - t.near_margin) & ~excellent}
    ids, out = group_ids(frame, [*keys, "subject"],  # (as _grouped orders the groups)
                         factorized={"subject": subject})
    for column in _COUNTS:
        chosen = counts[column]
        out[column] = (np.bincount(ids[chosen], minlength=len(out)) if weight is None else
                       np.bincount(ids[chosen], weights=weight[chosen], minlength=len(out))
                       ).astype("int64")
    if weight is None:
        stats = pd.Series(score, name="_score").groupby(ids, sort=True).agg(
            ["sum", "mean", "std", "median", "max", "min"]).rename(
            columns={"std": "sd", "sum": "_sum"})
        out = out.join(stats.reset_index(drop=True))
        county_mean = pd.Series(score).groupby(subject_codes).mean()  # by code: no text again
    else:
        out = out.join(_weighted_statistics(score, weight, ids, valid, len(out)))
        totals = np.bincount(subject_codes[valid], weights=(score * weight)[valid],
                             minlength=len(subjects))
        sizes = np.bincount(subject_codes[valid], weights=weight[valid], minlength=len(subjects))
        present = sizes > 0
        county_mean = pd.Series(totals[present] / sizes[present],
                                index=np.flatnonzero(present))
    county_mean.index = pd.Index(subjects).take(county_mean.index)
    return out, county_mean.to_dict()


def _weighted_statistics(score: np.ndarray, weight: np.ndarray, ids: np.ndarray,
                         valid: np.ndarray, groups: int) -> pd.DataFrame:
    """Sum, mean, sd (ddof = 1), median, max and min of each group's valid scores, each score
    counted ``weight`` times: the numbers pandas gives on the rows themselves (the median of
    an even count is the mean of the two middle scores)."""
    group, value, times = ids[valid], score[valid], weight[valid]
    order = np.lexsort((value, group))
    group, value, times = group[order], value[order], times[order]
    n = np.bincount(group, weights=times, minlength=groups)
    total = np.bincount(group, weights=value * times, minlength=groups)
    with np.errstate(invalid="ignore", divide="ignore"):
        mean = np.where(n > 0, total / n, np.nan)
        squares = np.bincount(group, weights=times * (value - mean[group]) ** 2,
                              minlength=groups)
        sd = np.where(n > 1, np.sqrt(squares / (n - 1)), np.nan)
    median = np.full(groups, np.nan)
    largest = np.full(groups, np.nan)
    smallest = np.full(groups, np.nan)
    if len(group):
        cumulative = np.cumsum(times)
        before = np.concatenate([[0], np.cumsum(n)[:-1]])  # students in earlier groups
        seen = n > 0
        size = n[seen].astype(np.int64)
        low = np.searchsorted(cumulative, before[seen] + (size - 1) // 2, side="right")
        high = np.searchsorted(cumulative, before[seen] + size // 2, side="right")
        median[seen] = (value[low] + value[high]) / 2
        last = np.searchsorted(cumulative, before[seen] + size - 1, side="right")
        first = np.searchsorted(cumulative, before[seen], side="right")
        largest[seen], smallest[seen] = value[last], value[first]
    return pd.DataFrame({"_sum": total, "mean": mean, "sd": sd, "median": median,
                         "max": largest, "min": smallest})


def frequencies(scores: pd.DataFrame, by: str | Sequence[str] | None = None) -> pd.DataFrame:
    """How many rows of ``scores`` share each (``by``..., subject, status, score): the
    frequency table that :func:`summarize_frequencies` turns into the indicator table.

    Frequency tables of parts of a season add up (rows with the same keys summed): the Dask
    engine makes one per partition and sums them on the cluster.

    >>> frame = pd.DataFrame({"subject": "math", "score": [90, 55, 90, np.nan],
    ...                       "status": ["sat", "sat", "sat", "absent"]})
    >>> table = frequencies(frame)  # (absent NaN: 1, sat 55: 1, sat 90: 2)
    >>> table["status"].tolist(), table["score"].tolist()[1:], table["count"].tolist()
    (['absent', 'sat', 'sat'], [55.0, 90.0], [1, 1, 2])
    """
    keys = [*_as_list(by), "subject", "status", "score"]
    missing = [c for c in keys if c not in scores.columns]
    if missing:
        raise EduqaError.of("indicators.tallies.frequencies.frequencies_scores_frame_has",
                            missing=list(missing))
    table = scores[keys].groupby(keys, sort=True, dropna=False, observed=True).size()
    return plain_columns(table.rename("count").reset_index())


def summarize_frequencies(frequency: pd.DataFrame, by: str | Sequence[str] | None,
                          full_marks: Mapping[str, float], *,
                          thresholds: Thresholds | None = None,
                          weights: CompositeWeights | None = None,
                          min_group_size: int = 0) -> pd.DataFrame:
    """:func:`summarize` from a frequency table (:func:`frequencies`: ``by``..., subject,
    status, score and ``count``): the same table, computed from the counts.

    >>> frame = pd.DataFrame({"school": ["A", "A", "A", "B"], "subject": "math",
    ...                       "score": [90, 55, np.nan, 70], "status": ["sat", "sat", "absent", "sat"]})
    >>> table = summarize_frequencies(frequencies(frame, "school"), "school", {"math": 100})
    >>> table[["school", "n_sat", "mean", "median"]].to_string(index=False)
    'school  n_sat  mean  median\\n     A      2  72.5    72.5\\n     B      1  70.0    70.0'
    """
    keys = _as_list(by)
    thresholds = thresholds or Thresholds()
    weights = weights or CompositeWeights()
    frame = _summary_input(frequency, keys, full_marks, extra=["count"])
    out, county_mean = group_statistics(frame, keys, full_marks, thresholds, count="count")
    return finish_summary(out, keys, full_marks, county_mean, weights=weights,
                          min_group_size=min_group_size)



def finish_summary(out: pd.DataFrame, keys: list[str], full_marks: Mapping[str, float],
                   county_mean: Mapping[str, float], *, weights: CompositeWeights,
                   min_group_size: int) -> pd.DataFrame:
    """The indicator table of :func:`summarize` from its per-group counts (``_COUNTS``) and
    score statistics (``mean``, ``sd``, ``median``, ``max``, ``min``) and the county mean of
    each subject (the reference of 超均率): the rates, the composite and the ranks, which
    need every group at once. Shared by :func:`summarize`, :func:`summarize_frequencies` and
    the Dask engine (:mod:`eduqa.indicators.partitioned`), which computes the counts partition by
    partition."""
    out = out.copy()
    n_sat = out["n_sat"].where(out["n_sat"] > 0)
    out["participation"] = out["n_sat"] / out["n_enrolled"].where(out["n_enrolled"] > 0)
    out["score_rate"] = out["mean"] / lookup(out["subject"], full_marks)
    for name in ("pass", "good", "excellent", "low"):
        out[f"{name}_rate"] = out[f"_{name}"] / n_sat
    reference = lookup(out["subject"], dict(county_mean))
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


#: The outcomes of an urban–rural (or any group) gap: the mean score and three rates.
GAP_INDICATORS = ("mean", "pass_rate", "excellent_rate", "low_rate")


def gap_outcomes(score, marks, thresholds: Thresholds) -> dict:
    """The student outcomes of the :data:`GAP_INDICATORS`, by name: the score itself, and
    1.0 / 0.0 for reaching the pass and excellent lines and for falling below the low line
    (``marks``: each score's full marks)."""
    t = thresholds
    return {"mean": score,
            "pass_rate": reaches(score, t.pass_line, marks).astype(float),
            "excellent_rate": reaches(score, t.excellent, marks).astype(float),
            "low_rate": below(score, t.low, marks).astype(float)}


def school_gap_stats(scores: pd.DataFrame, group: str, cluster: str,
                     full_marks: Mapping[str, float], thresholds: Thresholds) -> pd.DataFrame:
    """What :func:`eduqa.indicators.group_gap` needs of each school (``cluster``) and subject,
    over the valid scores of students with a ``group``: ``label`` (the school's group, its
    first row's), ``labels`` (distinct groups among its rows: 1 when the group is the
    school's, as urban–rural type is), ``n``, and for each of :data:`GAP_INDICATORS` the
    sum of the student outcome (``sum_<indicator>``; the score, or 1 for a pass …) and its
    sum of squares about the school's mean (``ss_<indicator>``). One row per (subject,
    school), sorted by them. Parts of a season holding whole schools give the rows of their
    schools (the Dask engine's partitions)."""
    t = thresholds
    data = scores.loc[scores["subject"].isin(list(full_marks)) & scores["status"].eq("sat")
                      & scores["score"].notna() & scores[group].notna(),
                      list(dict.fromkeys(["subject", cluster, group, "score"]))]
    ids, out = group_ids(data, ["subject", cluster])
    n = np.bincount(ids, minlength=len(out)).astype(float)
    label_codes, label_values = pd.factorize(data[group], sort=True)
    pairs = np.unique(ids * max(len(label_values), 1) + label_codes)
    out["labels"] = np.bincount(pairs // max(len(label_values), 1), minlength=len(out))
    _, first = np.unique(ids, return_index=True)  # each school's first row
    out["label"] = pd.Series(np.asarray(label_values, dtype=object)[label_codes[first]]
                             if len(ids) else np.array([], dtype=object), dtype=object)
    out["n"] = n.astype(np.int64)
    score = data["score"].to_numpy(dtype=float)
    marks = lookup(data["subject"], full_marks).to_numpy(dtype=float)
    for indicator, y in gap_outcomes(score, marks, t).items():
        total = np.bincount(ids, weights=y, minlength=len(out))
        with np.errstate(invalid="ignore", divide="ignore"):
            deviation = y - (total / n)[ids]
        out[f"sum_{indicator}"] = total
        out[f"ss_{indicator}"] = np.bincount(ids, weights=deviation**2, minlength=len(out))
    return out


def subject_moments(frequency: pd.DataFrame) -> tuple[dict[str, float], dict[str, float]]:
    """Each subject's mean and sd (ddof = 1) over its valid scores, from a frequency table
    (:func:`frequencies`): the same numbers, to the last bit, however the table was made
    (from all rows at once or summed over partitions), since the valid scores are summed in
    one canonical order."""
    subjects = sorted(str(s) for s in frequency["subject"].dropna().unique())
    stats, _ = group_statistics(frequency, [], dict.fromkeys(subjects, 1.0), Thresholds(),
                                count="count")
    return (dict(zip(stats["subject"], stats["mean"].astype(float))),
            dict(zip(stats["subject"], stats["sd"].astype(float))))


def student_z(scores: pd.DataFrame, keys: Sequence[str], centre: Mapping[str, float],
              spread: Mapping[str, float], school: str = "school_code") -> pd.DataFrame:
    """Each student's subjects sat (``n_subjects``) and the mean of their subject z scores
    (``z_mean``), z = (score − ``centre``) / ``spread`` of the subject (no z where the
    spread is 0): one row per student, by ``keys`` and the ``school`` (a student has one),
    sorted by them. Of a part holding whole students, the rows of its students."""
    group = list(dict.fromkeys([*keys, school]))
    valid = scores["status"].eq("sat") & scores["score"].notna()
    sd = lookup(scores["subject"], dict(spread))
    z = (scores["score"].where(valid) - lookup(scores["subject"], dict(centre))) / sd.where(sd > 0)
    # only the keys and z of the scores sat go into the group-by (not the whole table)
    sat = scores.loc[z.notna(), group].assign(z=z[z.notna()])
    out = sat.groupby(group, sort=True, observed=True).agg(n_subjects=("z", "size"),
                                                          z_mean=("z", "mean"))
    return plain_columns(out.reset_index())


def school_sums(students: pd.DataFrame, column: str, centre: float | None = None,
                school: str = "school_code") -> pd.DataFrame:
    """Per school: students ``n`` and the sum of ``column`` (or, with ``centre``, of its
    squared deviations from it), in school order. Each sum is exact (``math.fsum``), so a
    part of whole schools gives its schools' rows exactly as the whole table does, whatever
    the order of the rows."""
    import math

    values = students[column].to_numpy(dtype=float)
    if centre is not None:
        values = (values - centre) ** 2
    codes, labels = pd.factorize(students[school], sort=True)
    n = np.bincount(codes, minlength=len(labels))
    ordered = values[np.argsort(codes, kind="stable")]
    sums = ([math.fsum(chunk.tolist()) for chunk in np.split(ordered, np.cumsum(n)[:-1])]
            if len(labels) else [])
    return plain_columns(pd.DataFrame({school: labels, "n": n.astype(np.int64),
                                       "sum": np.asarray(sums, dtype=float)}))


def exact_total(values) -> float:
    """The correctly rounded sum of ``values`` (``math.fsum``): the same whatever their
    order, so that per-school sums gathered from partitions add up exactly as in one
    frame."""
    import math

    return math.fsum(np.asarray(values, dtype=float).tolist())


def restandardising(sums: pd.DataFrame, squares) -> tuple[float, float]:
    """The mean and sd (ddof = 1) over students of a value, from per-school ``sums``
    (:func:`school_sums`) and ``squares(mean)``, the per-school sums of squared
    deviations from the mean: summed exactly (:func:`exact_total`), so the same
    to the last bit whether the schools came from one frame or from partitions."""
    n = int(sums["n"].sum())
    mean = exact_total(sums["sum"]) / n if n else float("nan")
    spread = float(np.sqrt(exact_total(squares(mean)["sum"]) / (n - 1))) if n > 1 else \
        float("nan")
    return mean, spread
