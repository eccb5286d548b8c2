"""Exam indicators (METHODS §A): 一分三率 and the rest, for any grouping of students.

Every indicator is computed by one group-by helper over the long scores frame, so that a county,
township, school or class table is the same call with a different ``by``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd

from .errors import EduqaError
from .frames import group_ids, lookup, plain_columns
from .models.cluster import MIN_CLUSTERS
from .models.linear import constant_category_fits, randomization_interval, robust_fit
from .settings import CompositeWeights, Thresholds

__all__ = ["summarize", "cv", "between_school_cv", "standardize", "composite_z",
           "subject_balance", "score_bands", "score_lines", "rank_change", "group_gap",
           "target_attainment", "flag_small", "reaches", "below", "head_counts",
           "INDICATOR_COLUMNS"]

#: Scores are compared with a line with this tolerance (a line of 0.6 × 120 is 72 exactly,
#: whatever the floating-point rounding of 0.6 × 120).
_TOLERANCE = 1e-9


def reaches(score, share: float, marks):
    """True where ``score`` reaches the line ``share`` × ``marks`` (at or above it): the one rule
    of 及格/良好/优秀 (METHODS §A)."""
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


def _as_list(by: str | Sequence[str] | None) -> list[str]:
    if by is None:
        return []
    return [by] if isinstance(by, str) else list(by)


def _grouped(frame: pd.DataFrame, keys: list[str]):
    """The one split step of this module: sorted, NaN keys kept as their own group. Its keys
    are categorical where the frame's are (a season's scores): the functions that return
    its results pass them through :func:`eduqa.frames.plain_columns`."""
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
        raise EduqaError(f"summarize: the scores frame has no column(s) {', '.join(missing)}",
                         zh=f"summarize：成绩数据中没有列 {'、'.join(missing)}")
    columns = [*keys, "subject", "score", "status"]
    in_marks = scores["subject"].isin(list(full_marks))
    # every row kept (the usual case): the columns are taken without copying the rows
    frame = scores[columns] if in_marks.all() else scores.loc[in_marks, columns]
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
    valid = status_is("sat") & ~np.isnan(raw)
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
        out[column] = np.bincount(ids[counts[column]], minlength=len(out)).astype("int64")
    stats = pd.Series(score, name="_score").groupby(ids, sort=True).agg(
        ["mean", "std", "median", "max", "min"]).rename(columns={"std": "sd"})
    out = out.join(stats.reset_index(drop=True))
    score = pd.Series(score, index=frame.index)

    n_sat = out["n_sat"].where(out["n_sat"] > 0)
    out["participation"] = out["n_sat"] / out["n_enrolled"].where(out["n_enrolled"] > 0)
    out["score_rate"] = out["mean"] / lookup(out["subject"], full_marks)
    for name in ("pass", "good", "excellent", "low"):
        out[f"{name}_rate"] = out[f"_{name}"] / n_sat
    county_mean = score.groupby(subject_codes).mean()  # by code: no text group-by again
    county_mean.index = pd.Index(subjects).take(county_mean.index)
    reference = lookup(out["subject"], county_mean.to_dict())
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
        raise EduqaError("cv: values and weights must have the same length",
                         zh="差异系数：数值与权重的个数必须相同")
    keep = ~(np.isnan(x) | np.isnan(w))
    x, w = x[keep], w[keep]
    if x.size == 0 or w.sum() <= 0:
        return float("nan")
    mean = np.sum(w * x) / np.sum(w)
    if mean == 0:
        return float("nan")
    return float(np.sqrt(np.sum(w * (x - mean) ** 2) / np.sum(w)) / mean)


def between_school_cv(school_summary: pd.DataFrame, value: str = "mean",
                      weight: str = "n_sat") -> pd.DataFrame:
    """差异系数 of a school-level value across schools, per subject.

    Parameters
    ----------
    school_summary : DataFrame
        Output of :func:`summarize` by school (one row per school and subject).
    value, weight : str
        The school value (default the mean score) and its weight (default the number of students
        with a valid score, n_i in the inspection formula).

    Returns
    -------
    DataFrame
        ``subject``, ``cv`` (weighted, the inspection formula), ``cv_unweighted``,
        ``n_schools``.
    """
    rows = []
    for subject, part in _grouped(school_summary, ["subject"]):
        part = part[part[weight] > 0]
        rows.append({"subject": subject[0] if isinstance(subject, tuple) else subject,
                     "cv": cv(part[value], part[weight]), "cv_unweighted": cv(part[value]),
                     "n_schools": int(part[value].notna().sum())})
    return pd.DataFrame(rows, columns=["subject", "cv", "cv_unweighted", "n_schools"])


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
    """
    keys = list(keys)
    columns = list(dict.fromkeys([*keys, "subject", "score", "status"]))
    subjects = scores.loc[scores["subject"] != "total", columns]
    z = _z(subjects)
    # only the keys and z of the scores sat go into the group-by (not the whole table)
    sat = subjects.loc[z.notna(), keys].assign(z=z[z.notna()])
    out = plain_columns(sat.groupby(keys, sort=True).agg(n_subjects=("z", "size"),
                                                         z_mean=("z", "mean")).reset_index())
    out["z"] = (out["z_mean"] - out["z_mean"].mean()) / out["z_mean"].std()
    return out


def subject_balance(scores: pd.DataFrame, by: str | Sequence[str] = "school_code", *,
                    margin: float = 0.2, min_group_size: int = 0) -> pd.DataFrame:
    """学科均衡: for each group and subject, the group's mean z in the subject minus the group's
    mean of its subject means.

    Returns ``by``..., ``subject``, ``n`` (valid scores), ``mean_z``, ``balance``,
    ``small_group`` (n < ``min_group_size`` in any subject of the group) and ``weak`` (学科短板:
    balance at or below −``margin`` SD, default 0.2; never set for small groups, whose means are
    too noisy to call a subject weak).
    """
    keys = _as_list(by)
    # only the columns needed, before the rows are picked: a province's long table is GBs
    columns = list(dict.fromkeys([*keys, "subject", "score", "status"]))
    subjects = standardize(scores.loc[scores["subject"] != "total", columns])
    stats = (_grouped(subjects[subjects["z"].notna()], [*keys, "subject"])["z"]
             .agg(n="size", mean_z="mean").reset_index())
    grouped = stats.groupby(keys, sort=False)
    stats["balance"] = stats["mean_z"] - grouped["mean_z"].transform("mean")
    stats["small_group"] = grouped["n"].transform("min") < min_group_size
    stats["weak"] = (stats["balance"] <= -margin) & ~stats["small_group"]
    return plain_columns(stats)


def score_bands(scores: pd.DataFrame, by: str | Sequence[str] | None,
                full_marks: Mapping[str, float], *, width: float = 0.10) -> pd.DataFrame:
    """分数段: the share of valid scores in each band of ``width``·F (the top band includes F).

    Returns ``by``..., ``subject``, ``band`` (0 = lowest), ``band_low``, ``band_high`` (score
    bounds, low inclusive), ``n`` and ``share`` (of the group's valid scores). Every band is
    present, with n = 0 where empty.
    """
    keys = _as_list(by)
    n_bands = int(round(1 / width))
    frame = scores.loc[scores["subject"].isin(list(full_marks)) & scores["status"].eq("sat")
                       & scores["score"].notna(), list(dict.fromkeys([*keys, "subject", "score"]))]
    marks = lookup(frame["subject"], full_marks)
    band = np.minimum(np.floor(frame["score"] / (width * marks) + 1e-9), n_bands - 1)
    counts = (_grouped(frame.assign(band=band.astype(int)), [*keys, "subject", "band"])
              .size().rename("n"))
    groups = counts.reset_index()[[*keys, "subject"]].drop_duplicates()
    full = groups.merge(pd.DataFrame({"band": range(n_bands)}), how="cross")
    out = full.merge(counts.reset_index(), on=[*keys, "subject", "band"], how="left")
    out["n"] = out["n"].fillna(0).astype("int64")
    out["share"] = out["n"] / out.groupby([*keys, "subject"])["n"].transform("sum")
    marks = lookup(out["subject"], full_marks)
    out["band_low"] = out["band"] * width * marks
    out["band_high"] = (out["band"] + 1) * width * marks
    return plain_columns(out[[*keys, "subject", "band", "band_low", "band_high", "n", "share"]])


def score_lines(scores: pd.DataFrame, by: str | Sequence[str] | None,
                lines: Mapping[str, Sequence[float]]) -> pd.DataFrame:
    """Students at or above custom score lines (e.g. 中考 total ≥ 600).

    Returns ``by``..., ``subject``, ``line``, ``n_sat``, ``n_at_or_above``, ``share``.
    """
    keys = _as_list(by)
    parts = []
    for subject, values in lines.items():
        frame = scores[(scores["subject"] == subject) & scores["status"].eq("sat")
                       & scores["score"].notna()]
        for line in values:
            work = frame[[*keys, "subject"]].assign(_at=frame["score"] >= line, _one=1)
            part = _grouped(work, [*keys, "subject"]).agg(
                n_sat=("_one", "sum"), n_at_or_above=("_at", "sum")).reset_index()
            part.insert(len(keys) + 1, "line", float(line))
            parts.append(part)
    columns = [*keys, "subject", "line", "n_sat", "n_at_or_above", "share"]
    if not parts:
        return pd.DataFrame(columns=columns)
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
              reference: str, cluster: str = "school_code",
              thresholds: Thresholds | None = None, min_group_size: int = 0) -> pd.DataFrame:
    """Gap between a reference group and each other group (e.g. 城区 − 乡村) in the mean and the
    rates, with 95% confidence intervals that respect the clustering of students in schools.

    Parameters
    ----------
    scores : DataFrame
        Long scores with ``group`` and ``cluster`` columns.
    group : str
        Grouping column, e.g. ``urban_rural``.
    reference : str
        The reference category, e.g. ``urban``; gap = reference − category, so a positive gap
        means the reference group is ahead.
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
        ``n_students``, ``n_schools`` (of the category),
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
    data = scores[scores["subject"].isin(list(full_marks)) & scores["status"].eq("sat")
                  & scores["score"].notna() & scores[group].notna()]
    if not data[group].eq(reference).any():
        raise EduqaError(f"group_gap: no student in the reference group '{reference}'",
                         zh=f"城乡差距：参照组“{reference}”中没有学生")
    # everything as integer codes once (not an Arrow-text comparison per subject and
    # indicator); schools coded in the sorted order of their codes, which the fits below
    # order clusters by
    subject_codes, subjects = pd.factorize(data["subject"], sort=True)
    label_codes, label_values = pd.factorize(data[group], sort=True)
    school_codes = pd.factorize(data[cluster], sort=True)[0]
    score_all = data["score"].to_numpy(dtype=float)
    label_names = np.asarray(label_values, dtype=object)
    code_of = {name: code for code, name in enumerate(label_names)}
    rows = []
    for number, subject in enumerate(subjects):
        at = np.flatnonzero(subject_codes == number)
        kinds = label_codes[at]
        codes = pd.factorize(school_codes[at], sort=True)[0]
        index = data.index[at]
        is_reference = kinds == code_of[reference]
        present = sorted(set(label_names[np.unique(kinds)]) - {reference})
        if not present or not is_reference.any():
            continue
        labels = label_names[kinds]
        schools = pd.Series(codes, index=index)
        score = pd.Series(score_all[at], index=index)
        marks = full_marks[subject]
        outcomes = {
            "mean": score,
            "pass_rate": reaches(score, t.pass_line, marks).astype(float),
            "excellent_rate": reaches(score, t.excellent, marks).astype(float),
            "low_rate": below(score, t.low, marks).astype(float),
        }
        sd = score.std()
        seen = np.empty(int(codes.max()) + 1, dtype=kinds.dtype)
        seen[codes] = kinds  # one category per school: each row agrees with its school's
        school_level = bool(np.all(seen[codes] == kinds))
        members = {c: kinds == code_of[c] for c in present}
        n_schools = {c: _distinct(codes[m]) for c, m in members.items()}
        reference_schools = _distinct(codes[is_reference])
        design = None
        if school_level:  # exact, from per-school counts and sums (fast at any scale)
            fits = constant_category_fits([v.to_numpy() for v in outcomes.values()], labels,
                                          codes, present)
        for position, (indicator, outcome) in enumerate(outcomes.items()):
            if school_level:
                fit = fits[position]
            else:  # the category varies inside clusters: a regression on the student rows
                if design is None:
                    design = pd.DataFrame({"Intercept": 1.0}, index=index)
                    for name in present:
                        design[name] = members[name].astype(float)
                fit = robust_fit(outcome, design, schools)
            ci = fit.conf_int()
            reference_value = float(fit.params["Intercept"])
            assert fit.df_terms is not None  # (CR2 fits give each term's df)
            for name in present:
                gap = -float(fit.params[name])
                low, high = -float(ci.loc[name, "ci_high"]), -float(ci.loc[name, "ci_low"])
                p_value, method = float(fit.pvalues[name]), "CR2"
                few = min(n_schools[name], reference_schools) < MIN_CLUSTERS
                if few and school_level:  # too few schools for any t interval
                    p_value, low, high = randomization_interval(
                        outcome, pd.Series(labels, index=index), schools, reference, name)
                    method = "randomization"
                row = {"subject": subject, "category": name, "indicator": indicator,
                       "reference_value": reference_value,
                       "category_value": reference_value + float(fit.params[name]),
                       "gap": gap, "ci_low": low, "ci_high": high, "p_value": p_value,
                       "method": method,
                       "df": float(fit.df_terms[name]),
                       "n_students": int(members[name].sum()),
                       "n_schools": n_schools[name],
                       "n_reference": int(is_reference.sum())}
                if indicator == "mean":
                    row.update(gap_sd=row["gap"] / sd, gap_sd_low=row["ci_low"] / sd,
                               gap_sd_high=row["ci_high"] / sd)
                rows.append(row)
    out = pd.DataFrame(rows)
    for column in ("gap_sd", "gap_sd_low", "gap_sd_high"):
        if column not in out:
            out[column] = np.nan
    if out.empty:
        out["small_group"] = pd.Series(dtype=bool)
        return out
    return flag_small(out, ["n_students", "n_reference"], min_group_size)


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
