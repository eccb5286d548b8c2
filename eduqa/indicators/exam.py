"""Exam indicators (docs/METHODS.md §A): 一分三率 and the rest, for any grouping of students.

Every indicator is computed by one group-by helper over the long scores frame, so that a county,
township, school or class table is the same call with a different ``by``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd

from eduqa.compute import engine as compute
from eduqa.compute.frames import lookup, plain_columns
from eduqa.config.settings import CompositeWeights, Thresholds
from eduqa.errors import EduqaError
from eduqa.indicators.tallies import (
    GAP_INDICATORS,
    INDICATOR_COLUMNS,
    _as_list,
    _summary_input,
    below,
    finish_summary,
    frequencies,
    gap_outcomes,
    group_statistics,
    reaches,
    restandardising,
    school_gap_stats,
    school_sums,
    student_z,
    subject_moments,
    summarize_frequencies,
)
from eduqa.indicators.tallies import head_counts as _head_counts
from eduqa.models.cluster import MIN_CLUSTERS, cluster_fit, randomization_gap
from eduqa.models.linear import cr2_result, robust_fit

__all__ = ["summarize", "cv", "between_school_cv", "standardize", "composite_z",
           "subject_balance", "score_bands", "score_lines", "rank_change", "group_gap",
           "target_attainment", "flag_small", "reaches", "below", "head_counts",
           "frequencies", "summarize_frequencies", "group_statistics", "finish_summary",
           "INDICATOR_COLUMNS", "PLACE_ORDER"]

#: The urban-rural categories in order of preference as the reference of a gap
#: (:func:`group_gap`): 城区, else 镇区, else 乡村.
PLACE_ORDER = ("urban", "town", "rural")
_GAP_COLUMNS = ["subject", "category", "indicator", "reference_value", "category_value", "gap",
                "ci_low", "ci_high", "p_value", "method", "df", "n_students", "n_schools",
                "n_reference"]

def head_counts(scores) -> dict[str, int]:
    """The season's three student counts (:func:`eduqa.indicators.tallies.head_counts`: 应考, 实考,
    各科全部参考) of a long score table, or of a Dask DataFrame of one (counted partition by
    partition)."""
    if compute.is_dask(scores):  # the Dask engine
        from eduqa.indicators import partitioned

        return partitioned.head_counts(scores)
    return _head_counts(scores)


def flag_small(frame: pd.DataFrame, counts: str | Sequence[str],
               min_group_size: int) -> pd.DataFrame:
    """A copy of ``frame`` with ``small_group``: True where any of the ``counts`` columns is
    below ``min_group_size`` (人数过少: listed, flagged, not to be read as a firm result).

    A missing count (the group is absent from one of two seasons) does not flag.

    >>> flag_small(pd.DataFrame({"n": [3, 40, None]}), "n", 10)["small_group"].tolist()
    [True, False, False]
    """
    counts = _as_list(counts)
    out = frame.copy()
    small = np.zeros(len(out), dtype=bool)
    for column in counts:
        values = pd.to_numeric(out[column], errors="coerce").to_numpy(float, na_value=np.nan)
        small |= np.nan_to_num(values, nan=np.inf) < min_group_size
    out["small_group"] = small
    return out


def _grouped(frame: pd.DataFrame, keys: list[str]):
    """The one split step of this module: sorted, NaN keys kept as their own group. Its keys
    are categorical where the frame's are (a season's scores): the functions that return
    its results pass them through :func:`eduqa.compute.frames.plain_columns`."""
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
    if compute.is_dask(scores):  # the Dask engine: partition by partition
        from eduqa.indicators import partitioned

        return partitioned.summarize(scores, by, full_marks, thresholds=thresholds,
                                     weights=weights, min_group_size=min_group_size)
    keys = _as_list(by)
    thresholds = thresholds or Thresholds()
    weights = weights or CompositeWeights()
    frame = _summary_input(scores, keys, full_marks)
    out, county_mean = group_statistics(frame, keys, full_marks, thresholds)
    return finish_summary(out, keys, full_marks, county_mean, weights=weights,
                          min_group_size=min_group_size)


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
        raise EduqaError.of("indicators.exam.cv.cv_values_weights_must")
    keep = ~(np.isnan(x) | np.isnan(w))
    x, w = x[keep], w[keep]
    if x.size == 0 or w.sum() <= 0:
        return float("nan")
    mean = np.sum(w * x) / np.sum(w)
    if mean == 0:
        return float("nan")
    return float(np.sqrt(np.sum(w * (x - mean) ** 2) / np.sum(w)) / mean)


#: The sitters-weighted CV is shown beside the enrolment-weighted one when the two differ by
#: more than this share of the latter.
SITTERS_DIFFER = 0.05


def between_school_cv(school_summary: pd.DataFrame, value: str = "mean", *,
                      enrollment: pd.Series | None = None,
                      sitters: str = "n_sat") -> pd.DataFrame:
    """差异系数 of a school-level value across schools, per subject, weighted by enrolment as
    the inspection rules define n_i (县域义务教育优质均衡发展督导评估办法: the school's 在校学生数).

    Parameters
    ----------
    school_summary : DataFrame
        Output of :func:`summarize` by school (one row per school and subject).
    value : str
        The school value (default the mean score).
    enrollment : Series, optional
        Each school's enrolment, indexed by ``school_code`` (the roster's ``enrollment``).
        When it is missing, or unknown for a school that sat, the pupils who sat weight
        instead, and ``weight`` says so.
    sitters : str
        The column of pupils with a valid score.

    Returns
    -------
    DataFrame
        ``subject``, ``cv`` (the inspection formula with the weight of ``weight``),
        ``cv_sitters`` (weighted by the pupils who sat; present only when, for some subject,
        it differs from ``cv`` by more than :data:`SITTERS_DIFFER` of it, and then given only
        for those subjects — absence concentrated in some schools moves it),
        ``cv_unweighted``, ``n_schools``, ``weight`` (``enrollment`` or ``n_sat``).

    Examples
    --------
    >>> summary = pd.DataFrame({"school_code": ["A", "B"], "subject": "math",
    ...                         "mean": [10.0, 20.0], "n_sat": [10, 30]})
    >>> table = between_school_cv(summary, enrollment=pd.Series({"A": 90, "B": 30}))
    >>> float(round(table.loc[0, "cv"], 4)), float(round(table.loc[0, "cv_sitters"], 4))
    (0.3464, 0.2474)
    >>> table.loc[0, "weight"]
    'enrollment'
    """
    known = None
    if enrollment is not None:
        codes = school_summary.loc[school_summary[sitters] > 0, "school_code"]
        given = pd.to_numeric(enrollment, errors="coerce").reindex(codes.unique())
        if given.notna().all() and (given > 0).all():
            known = pd.to_numeric(enrollment, errors="coerce")
    rows = []
    for subject, part in _grouped(school_summary, ["subject"]):
        part = part[part[sitters] > 0]
        weight = part["school_code"].map(known) if known is not None else part[sitters]
        rows.append({"subject": subject[0] if isinstance(subject, tuple) else subject,
                     "cv": cv(part[value], weight), "cv_sitters": cv(part[value], part[sitters]),
                     "cv_unweighted": cv(part[value]),
                     "n_schools": int(part[value].notna().sum()),
                     "weight": "enrollment" if known is not None else "n_sat"})
    columns = ["subject", "cv", "cv_sitters", "cv_unweighted", "n_schools", "weight"]
    out = pd.DataFrame(rows, columns=columns)
    differs = (out["cv_sitters"] - out["cv"]).abs() > SITTERS_DIFFER * out["cv"].abs()
    out["cv_sitters"] = out["cv_sitters"].where(differs & (out["weight"] == "enrollment"))
    if out["cv_sitters"].isna().all():
        out = out.drop(columns="cv_sitters")
    return out


def standardize(scores: pd.DataFrame) -> pd.DataFrame:
    """Add standardised scores to valid rows: ``z`` = (score − county mean) / county sd of the
    subject (sd with ddof=1) and ``t`` = 50 + 10 z. Other rows get NaN. Returns a copy."""
    out = scores.copy()
    out["z"] = _z(scores)
    out["t"] = 50 + 10 * out["z"]
    return out


def _z(scores: pd.DataFrame) -> pd.Series:
    """The ``z`` of :func:`standardize` alone (no copy of the table)."""
    valid = scores["status"].eq("sat") & scores["score"].notna()
    score = scores["score"].where(valid)
    grouped = score.groupby(scores["subject"])
    mean = grouped.transform("mean")
    sd = grouped.transform("std")
    return (score - mean) / sd.where(sd > 0)


def composite_z(scores: pd.DataFrame, keys: Sequence[str] = ("student_key",)) -> pd.DataFrame:
    """Each student's total standardised score: the mean of the subject z scores they sat
    (the total itself excluded), re-standardised over students.

    Returns one row per student with the ``keys`` columns, ``n_subjects`` (subjects sat),
    ``z_mean`` (the plain mean) and ``z`` (re-standardised, mean 0 and sd 1 over students).
    Of a Dask DataFrame: a Dask DataFrame of the students, partition by partition
    (:func:`eduqa.indicators.partitioned.composite_z`).
    """
    if compute.is_dask(scores):  # the Dask engine: students are whole in a partition
        from eduqa.indicators import partitioned

        return partitioned.composite_z(scores, keys)
    keys = list(keys)
    if "school_code" not in scores.columns:  # (the students summed as one school)
        scores = scores.assign(school_code="")
    columns = list(dict.fromkeys([*keys, "school_code", "subject", "score", "status"]))
    subjects = scores.loc[scores["subject"] != "total", columns]
    centre, spread = subject_moments(frequencies(subjects))
    out = student_z(subjects, keys, centre, spread)
    mean, sd = restandardising(school_sums(out, "z_mean"),
                               lambda mean: school_sums(out, "z_mean", centre=mean))
    out["z"] = (out["z_mean"] - mean) / sd
    return out[[*keys, "n_subjects", "z_mean", "z"]]


def subject_balance(scores: pd.DataFrame, by: str | Sequence[str] = "school_code", *,
                    margin: float = 0.2, min_group_size: int = 0) -> pd.DataFrame:
    """学科均衡: for each group and subject, the group's mean z in the subject minus the group's
    mean of its subject means.

    Returns ``by``..., ``subject``, ``n`` (valid scores), ``mean_z``, ``balance``,
    ``small_group`` (n < ``min_group_size`` in any subject of the group) and ``weak`` (学科短板:
    balance at or below −``margin`` SD, default 0.2; never set for small groups, whose means are
    too noisy to call a subject weak).

    Notes
    -----
    A group's mean z in a subject is (group mean − county mean) / county sd, so the table
    comes from two :func:`summarize` calls (the county's, the groups') and works alike on a
    Dask DataFrame.
    """
    keys = _as_list(by)
    # the subjects but the total (only means and sds are read; summarize leaves out the
    # subjects not in ``marks``: with the Dask engine the county's summary then comes from
    # the frequency table the page already has)
    marks = dict.fromkeys([s for s in _distinct_subjects(scores) if s != "total"], 1.0)
    county = summarize(scores, None, marks).set_index("subject")
    groups = summarize(scores, keys, marks)
    mean = lookup(groups["subject"], county["mean"].to_dict())
    sd = lookup(groups["subject"], county["sd"].to_dict())
    stats = groups[[*keys, "subject"]].assign(n=groups["n_sat"],
                                              mean_z=(groups["mean"] - mean) / sd.where(sd > 0))
    stats = stats[(stats["n"] > 0) & stats["mean_z"].notna()].reset_index(drop=True)
    grouped = stats.groupby(keys, sort=False)
    stats["balance"] = stats["mean_z"] - grouped["mean_z"].transform("mean")
    stats["small_group"] = grouped["n"].transform("min") < min_group_size
    stats["weak"] = (stats["balance"] <= -margin) & ~stats["small_group"]
    return plain_columns(stats)


def _distinct_subjects(scores) -> list[str]:
    """The subjects of a long score table, sorted (of a Dask DataFrame: read off its
    frequency table, which the county's summary of the same rows then needs no pass for)."""
    if compute.is_dask(scores):
        from eduqa.indicators.partitioned import frequency_table

        subjects = frequency_table(scores)["subject"]
    else:
        subjects = scores["subject"].unique()
    return sorted(str(s) for s in pd.unique(pd.Series(subjects).dropna()))


def score_bands(scores: pd.DataFrame, by: str | Sequence[str] | None,
                full_marks: Mapping[str, float], *, width: float = 0.10) -> pd.DataFrame:
    """分数段: the share of valid scores in each band of ``width``·F (the top band includes F).

    Returns ``by``..., ``subject``, ``band`` (0 = lowest), ``band_low``, ``band_high`` (score
    bounds, low inclusive), ``n`` and ``share`` (of the group's valid scores). Every band is
    present, with n = 0 where empty. A Dask DataFrame is counted from a frequency table
    summed over its partitions (the same numbers)."""
    keys = _as_list(by)
    frame, count = _valid_counts(scores, keys, list(full_marks))
    n_bands = int(round(1 / width))
    marks = lookup(frame["subject"], full_marks)
    band = np.minimum(np.floor(frame["score"] / (width * marks) + 1e-9), n_bands - 1)
    grouped = _grouped(frame.assign(band=band.astype(int)), [*keys, "subject", "band"])
    counts = (grouped.size() if count is None else grouped[count].sum()).rename("n")
    groups = counts.reset_index()[[*keys, "subject"]].drop_duplicates()
    full = groups.merge(pd.DataFrame({"band": range(n_bands)}), how="cross")
    out = full.merge(counts.reset_index(), on=[*keys, "subject", "band"], how="left")
    out["n"] = out["n"].fillna(0).astype("int64")
    out["share"] = out["n"] / out.groupby([*keys, "subject"])["n"].transform("sum")
    marks = lookup(out["subject"], full_marks)
    out["band_low"] = out["band"] * width * marks
    out["band_high"] = (out["band"] + 1) * width * marks
    return plain_columns(out[[*keys, "subject", "band", "band_low", "band_high", "n", "share"]])


def _valid_counts(scores, keys: list[str], subjects: list[str]
                  ) -> tuple[pd.DataFrame, str | None]:
    """The valid scores of ``subjects`` (``keys``, ``subject``, ``score``) and the name of
    the column that counts each row (None: a row is a student). A Dask DataFrame comes back
    as its frequency table, summed over the partitions (``count``)."""
    if compute.is_dask(scores):
        from eduqa.indicators import partitioned

        # (the frame's own table, filtered: the page has it already; a filtered frame's
        # would be another pass over the partitions)
        table = partitioned.frequency_table(scores, keys)
        keep = table["subject"].isin(subjects) & table["status"].eq("sat") & \
            table["score"].notna()
        return table.loc[keep, [*keys, "subject", "score", "count"]], "count"
    frame = scores.loc[scores["subject"].isin(subjects) & scores["status"].eq("sat")
                       & scores["score"].notna(), list(dict.fromkeys([*keys, "subject", "score"]))]
    return frame, None


def score_lines(scores: pd.DataFrame, by: str | Sequence[str] | None,
                lines: Mapping[str, Sequence[float]]) -> pd.DataFrame:
    """Students at or above custom score lines (e.g. 中考 total ≥ 600).

    Returns ``by``..., ``subject``, ``line``, ``n_sat``, ``n_at_or_above``, ``share``.
    """
    keys = _as_list(by)
    columns = [*keys, "subject", "line", "n_sat", "n_at_or_above", "share"]
    if not lines:
        return pd.DataFrame(columns=columns)
    valid, count = _valid_counts(scores, keys, list(lines))
    parts = []
    for subject, values in lines.items():
        frame = valid[valid["subject"] == subject]
        weight = 1 if count is None else frame[count]
        for line in values:
            work = frame[[*keys, "subject"]].assign(_at=(frame["score"] >= line) * weight,
                                                    _one=weight)
            part = _grouped(work, [*keys, "subject"]).agg(
                n_sat=("_one", "sum"), n_at_or_above=("_at", "sum")).reset_index()
            part.insert(len(keys) + 1, "line", float(line))
            parts.append(part)
    out = pd.concat(parts, ignore_index=True)
    out["share"] = out["n_at_or_above"] / out["n_sat"].where(out["n_sat"] > 0)
    return plain_columns(out[columns])


def rank_change(current: pd.DataFrame, previous: pd.DataFrame | None,
                keys: Sequence[str] = ("school_code", "subject"),
                rank: str = "rank") -> pd.DataFrame:
    """进退步: add ``rank_previous`` and ``rank_change`` = rank_previous − rank (positive =
    moved up) to ``current``; NaN where the group was not ranked in one of the seasons."""
    keys = list(keys)
    out = current.copy()
    if previous is None or previous.empty:
        out["rank_previous"] = np.nan
    else:
        earlier = previous[[*keys, rank]].rename(columns={rank: "rank_previous"})
        out = out.merge(earlier, on=keys, how="left")
    out["rank_change"] = out["rank_previous"] - out[rank]
    return out


def _distinct(codes: np.ndarray) -> int:
    """How many distinct values an array of small non-negative integer codes holds."""
    return int(np.count_nonzero(np.bincount(codes))) if len(codes) else 0


def group_gap(scores: pd.DataFrame, group: str, full_marks: Mapping[str, float], *,
              reference: str | Sequence[str], cluster: str = "school_code",
              thresholds: Thresholds | None = None, min_group_size: int = 0) -> pd.DataFrame:
    """Gap between a reference group and each other group (e.g. 城区 − 乡村) in the mean and the
    rates, with 95% confidence intervals that respect the clustering of students in schools.

    Parameters
    ----------
    scores : DataFrame
        Long scores with ``group`` and ``cluster`` columns.
    group : str
        Grouping column, e.g. ``urban_rural``.
    reference : str or sequence of str
        The reference category, e.g. ``urban``; gap = reference − category, so a positive gap
        means the reference group is ahead. A sequence (e.g. :data:`PLACE_ORDER`) names the
        categories in order of preference: the first that has students is the reference (a
        county with no 城区 school compares 乡村 with 镇区).
    cluster : str
        Cluster of the robust errors (CR2 with Bell–McCaffrey degrees of freedom), normally
        ``school_code``.

    Returns
    -------
    DataFrame
        One row per subject, category and indicator (``mean``, ``pass_rate``,
        ``excellent_rate``, ``low_rate``): ``reference_value``, ``category_value``, ``gap``,
        ``ci_low``, ``ci_high``, ``p_value``, ``method`` (``CR2`` or ``randomization``), ``df``
        (Bell–McCaffrey degrees of freedom of the CR2 interval),
        ``n_students``, ``n_schools`` (of the category), ``reference`` (the reference
        category),
        ``n_reference`` (students of the reference group), ``small_group`` (either group has
        fewer than ``min_group_size`` students) and for the mean ``gap_sd``, ``gap_sd_low``,
        ``gap_sd_high`` in units of the county standard deviation of the subject.

    Notes
    -----
    Each gap is the coefficient of a regression of the student outcome (score, or a 0/1 pass /
    excellent / low indicator) on category dummies: the difference in student-weighted means,
    with CR2 cluster-robust errors by school and Bell–McCaffrey degrees of freedom (see
    :func:`eduqa.attribution.ols`), which keep the interval honest when a category has only
    two or three schools (CR1 with t(G − 1) rejected a true null 20% of the time with 2 rural
    schools of 14). ``df`` holds those degrees of freedom; with fewer than
    :data:`eduqa.models.cluster.MIN_CLUSTERS` schools in the category the pages state that the
    comparison rests on that many schools and give no significance verdict, and the interval
    and p-value come from randomization inference over which schools carry the label
    (``method`` = ``randomization``), whose size is exact where no t interval is; when so few
    schools could never give a significant result (e.g. 2 of 6: 15 assignments, the smallest
    p-value 1/15), the interval is missing (NaN).
    """
    t = thresholds or Thresholds()
    if compute.is_dask(scores):  # the Dask engine: each partition's schools
        from eduqa.indicators import partitioned

        stats = partitioned.school_gap_stats(scores, group, cluster, full_marks, t)
    else:
        stats = school_gap_stats(scores, group, cluster, full_marks, t)
    preferred = [reference] if isinstance(reference, str) else list(reference)
    present_labels = set(stats["label"].dropna())
    reference = next((label for label in preferred if label in present_labels), preferred[0])
    if not stats["label"].eq(reference).any():
        if len(preferred) > 1:  # no category of the preference has students: nothing to compare
            return flag_small(pd.DataFrame(columns=_GAP_COLUMNS), [], min_group_size)
        raise EduqaError.of("indicators.exam.group_gap.group_gap_no_student", reference=reference)
    rows: list[dict] = []
    mixed = set(stats.loc[stats["labels"] > 1, "subject"])
    for subject, part in stats.groupby("subject", sort=True):
        if subject not in mixed:  # the group is the school's: exact from per-school sums
            rows += _school_level_gaps(str(subject), part, reference)
    if mixed:  # the group varies inside schools: regressions on the student rows
        rows += _row_level_gaps(compute.local(scores, "group_gap"), group, cluster,
                                {s: full_marks[s] for s in sorted(mixed)}, reference, t)
    order = {name: number for number, name in enumerate(sorted(stats["subject"].unique()))}
    rows.sort(key=lambda row: order[row["subject"]])  # (stable: the subjects in order)
    out = pd.DataFrame(rows, columns=_GAP_COLUMNS if not rows else None)
    out["reference"] = pd.Series(reference, index=out.index, dtype=object)
    for column in ("gap_sd", "gap_sd_low", "gap_sd_high"):
        if column not in out:
            out[column] = np.nan
    if out.empty:
        out["small_group"] = pd.Series(dtype=bool)
        return out
    return flag_small(out, ["n_students", "n_reference"], min_group_size)


def _gap_row(subject: str, name: str, indicator: str, fit, interval: tuple, counts: dict,
             sd: float) -> dict:
    """One row of :func:`group_gap`: the gap reference − ``name`` from ``fit`` (intercept =
    the reference's value, coefficient = the category's difference), with ``interval``
    (p, low, high, method) and the group ``counts``."""
    p_value, low, high, method = interval
    reference_value = float(fit.params["Intercept"])
    assert fit.df_terms is not None  # (CR2 fits give each term's df)
    row = {"subject": subject, "category": name, "indicator": indicator,
           "reference_value": reference_value,
           "category_value": reference_value + float(fit.params[name]),
           "gap": -float(fit.params[name]), "ci_low": low, "ci_high": high,
           "p_value": p_value, "method": method, "df": float(fit.df_terms[name]), **counts}
    if indicator == "mean":
        row.update(gap_sd=row["gap"] / sd, gap_sd_low=row["ci_low"] / sd,
                   gap_sd_high=row["ci_high"] / sd)
    return row


def _cr2_interval(fit, name: str) -> tuple:
    """(p, low, high, "CR2") of the gap reference − ``name`` (minus the coefficient)."""
    ci = fit.conf_int()
    return (float(fit.pvalues[name]), -float(ci.loc[name, "ci_high"]),
            -float(ci.loc[name, "ci_low"]), "CR2")


def _school_level_gaps(subject: str, part: pd.DataFrame, reference: str) -> list[dict]:
    """The gap rows of one subject whose groups are the schools' (one label a school), from
    :func:`eduqa.indicators.tallies.school_gap_stats`: OLS on per-school counts and sums with CR2 errors
    under the random-effects working model; randomization inference when a group has fewer
    than :data:`MIN_CLUSTERS` schools."""
    labels = part["label"].to_numpy(dtype=object)
    present = sorted(set(labels) - {reference})
    is_reference = labels == reference
    if not present or not is_reference.any():
        return []
    n = part["n"].to_numpy(dtype=float)
    x = np.column_stack([np.ones(len(n))] + [(labels == c).astype(float) for c in present])
    total, squares = part["sum_mean"].to_numpy(float), part["ss_mean"].to_numpy(float)
    grand = total.sum() / n.sum()  # the subject's sd over these students, from the pieces
    spread = squares.sum() + np.sum(n * (total / n - grand) ** 2)
    sd = float(np.sqrt(spread / (n.sum() - 1))) if n.sum() > 1 else float("nan")
    n_reference, reference_schools = int(n[is_reference].sum()), int(is_reference.sum())
    rows = []
    for indicator in GAP_INDICATORS:
        sums = part[f"sum_{indicator}"].to_numpy(float)
        beta, robust = cluster_fit(x, n, sums, float(part[f"ss_{indicator}"].sum()))
        fit = cr2_result(["Intercept", *present], beta, robust, nobs=int(n.sum()),
                         n_clusters=len(n), rsquared=float("nan"))
        for name in present:
            member = labels == name
            interval = _cr2_interval(fit, name)
            if min(int(member.sum()), reference_schools) < MIN_CLUSTERS:
                keep = member | is_reference  # too few schools for any t interval
                p, low, high, _ = randomization_gap(n[keep], sums[keep],
                                                    member[keep].astype(float))
                low, high = (-high, -low) if np.isfinite([low, high]).all() else (np.nan,
                                                                                  np.nan)
                interval = (p, low, high, "randomization")
            counts = {"n_students": int(n[member].sum()), "n_schools": int(member.sum()),
                      "n_reference": n_reference}
            rows.append(_gap_row(subject, name, indicator, fit, interval, counts, sd))
    return rows


def _row_level_gaps(scores: pd.DataFrame, group: str, cluster: str,
                    full_marks: Mapping[str, float], reference: str,
                    t: Thresholds) -> list[dict]:
    """The gap rows of the subjects whose groups vary inside schools: OLS of each student
    outcome on the category dummies, with row-level CR2 errors by school."""
    data = scores[scores["subject"].isin(list(full_marks)) & scores["status"].eq("sat")
                  & scores["score"].notna() & scores[group].notna()]
    rows = []
    for subject, part in data.groupby("subject", sort=True, observed=True):
        labels = part[group].astype(object)
        present = sorted(set(labels) - {reference})
        is_reference = labels.eq(reference).to_numpy()
        if not present or not is_reference.any():
            continue
        schools = pd.Series(pd.factorize(part[cluster], sort=True)[0], index=part.index)
        score = part["score"].astype(float)
        marks = full_marks[str(subject)]
        outcomes = gap_outcomes(score, marks, t)
        design = pd.DataFrame({"Intercept": 1.0}, index=part.index)
        for name in present:
            design[name] = labels.eq(name).astype(float)
        for indicator in GAP_INDICATORS:
            fit = robust_fit(outcomes[indicator], design, schools)
            for name in present:
                member = labels.eq(name).to_numpy()
                counts = {"n_students": int(member.sum()),
                          "n_schools": _distinct(schools.to_numpy()[member]),
                          "n_reference": int(is_reference.sum())}
                rows.append(_gap_row(str(subject), name, indicator, fit,
                                     _cr2_interval(fit, name), counts, float(score.std())))
    return rows


def target_attainment(school_summary: pd.DataFrame, targets: pd.DataFrame) -> pd.DataFrame:
    """目标责任状: target against actual per school and targeted indicator.

    Parameters
    ----------
    school_summary : DataFrame
        :func:`summarize` by ``school_code``.
    targets : DataFrame
        Long targets: ``school_code``, ``subject``, ``indicator`` (mean, pass_rate,
        excellent_rate, rank), ``target``.

    Returns
    -------
    DataFrame
        ``school_code``, ``subject``, ``indicator``, ``target``, ``actual``, ``difference``
        (actual − target) and ``met`` (actual ≥ target; for rank, actual ≤ target, 1 = best).
        ``met`` is missing when the school has no result for that subject. ``n_sat`` and
        ``small_group`` come from the summary (a small school's rates are flagged there too).
    """
    columns = ["school_code", "subject", "indicator", "target", "actual", "difference", "met",
               "n_sat", "small_group"]
    if targets.empty:
        return pd.DataFrame(columns=columns)
    actual = school_summary.melt(id_vars=["school_code", "subject"],
                                 value_vars=["mean", "pass_rate", "excellent_rate", "rank"],
                                 var_name="indicator", value_name="actual")
    out = targets.merge(actual, on=["school_code", "subject", "indicator"], how="left")
    out["difference"] = out["actual"] - out["target"]
    met = np.where(out["indicator"] == "rank", out["actual"] <= out["target"],
                   out["actual"] >= out["target"] - 1e-12)
    out["met"] = pd.array(met, dtype="boolean")
    out.loc[out["actual"].isna(), "met"] = pd.NA
    sizes = school_summary.reindex(columns=["school_code", "subject", "n_sat", "small_group"])
    out = out.merge(sizes, on=["school_code", "subject"], how="left")
    out["small_group"] = out["small_group"].eq(True)
    return out[columns].sort_values(["school_code", "subject", "indicator"]).reset_index(
        drop=True)
