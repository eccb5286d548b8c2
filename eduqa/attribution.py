"""Regression-based attribution (docs/METHODS.md §C).

- :func:`random_intercept`: the multilevel (random-intercept) model fitted by REML or ML from
  per-group sufficient statistics, with empirical-Bayes school effects;
- :func:`ols`: OLS with HC1, or CR1 cluster-robust errors (t with G − 1 df);
- :func:`gelbach`, :func:`oaxaca`, :func:`shapley_r2`: how much of a gap each factor accounts for.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from eduqa import models
from eduqa.compute import engine as compute
from eduqa.models import (
    OLSResult,
    RandomInterceptResult,
    cr2_result,
    gelbach,
    link_counts,
    oaxaca,
    ols,
    random_intercept,
    robust_fit,
    shapley_r2,
    with_school_mean,
)
from eduqa.models.grouped import GroupedStats, group_table
from eduqa.models.linear import collinear, design

__all__ = ["class_frame", "class_stats", "subject_class_stats", "variance_levels", "teacher_view", "OLSResult", "ols", "robust_fit", "RandomInterceptResult", "random_intercept",
           "gelbach", "oaxaca", "shapley_r2", "varying", "school_means", "matched_share",
           "link_counts", "value_added", "with_school_mean", "schools_with", "cr2_result",
           "factor_groups", "model_frame", "cohort_frame", "cohort_stats", "model_sequence", "ModelSequence",
           "MODEL_NAMES", "ModelStats", "model_stats", "GroupedStats", "GapPlan", "gap_plan",
           "rural_gelbach", "rural_oaxaca"]


def varying(data: pd.DataFrame | GroupedStats, columns: list[str], within: str) -> list[str]:
    """The columns, in order of priority, that an Oaxaca–Blinder decomposition by ``within``
    can use: each must vary inside both groups and, with the ones kept before it, leave each
    group's design of full rank (a group of two schools supports one school-level term)."""
    kept: list[str] = []
    if isinstance(data, GroupedStats):
        stats = data.dropna([c for c in columns if c in data])
        for column in columns:
            if column not in stats or not stats.nunique_at_least_two(column, within):
                continue
            trial = [*kept, column]
            parts = [stats.select((stats.table[within] == level).to_numpy())
                     for level in stats.table[within].drop_duplicates()]
            if all(not part.collinear(["Intercept", *trial]) for part in parts):
                kept.append(column)
        return kept
    frame = data.dropna(subset=[c for c in columns if c in data])
    for column in columns:
        if column not in frame or frame.groupby(within)[column].nunique().min() < 2:
            continue
        trial = [*kept, column]
        if all(not collinear(part[trial].assign(Intercept=1.0)[["Intercept", *trial]])
               for _, part in frame.groupby(within)):
            kept.append(column)
    return kept


def school_means(frame: pd.DataFrame | GroupedStats | ModelStats, group: str = "school_code"
                 ) -> pd.DataFrame:
    """Per-school means of every numeric column of a model frame (for school-level models)."""
    if isinstance(frame, ModelStats):
        frame = frame.students
    if isinstance(frame, GroupedStats):
        means = frame.means()
        return means[[group, *means.drop(columns=group).select_dtypes("number").columns]]
    numeric = frame.select_dtypes("number").columns
    return frame.groupby(group)[list(numeric)].mean().reset_index()


def schools_with(frame: pd.DataFrame | GroupedStats | ModelStats, column: str,
                 group: str = "school_code") -> int:
    """How many schools have ``column`` = 1 (e.g. rural schools in a model frame)."""
    if isinstance(frame, ModelStats):
        frame = frame.students
    if isinstance(frame, GroupedStats):
        return int((frame.table[column] == 1).sum())
    return int(frame.loc[frame[column] == 1, group].nunique())


def matched_share(frame: pd.DataFrame | ModelStats, prior: str = "prior_z") -> float | None:
    """Share of students linked to a prior-season score, or None when there is no prior."""
    if isinstance(frame, ModelStats):
        if frame.linked is None or not frame.linked.nobs:
            return None
        return frame.linked.nobs / frame.students.nobs
    if prior not in frame or frame[prior].notna().sum() == 0:
        return None
    return float(frame[prior].notna().mean())


MODEL_NAMES = ("M0", "M1", "M2", "M3")


def model_frame(scores: pd.DataFrame, schools: pd.DataFrame,
                prior_scores: pd.DataFrame | None = None) -> pd.DataFrame:
    """One row per student for the attribution models.

    Parameters
    ----------
    scores : DataFrame
        This season's long scores (processed ``scores.parquet``).
    schools : DataFrame
        Processed ``schools.parquet`` (roster, staffing indicators).
    prior_scores : DataFrame, optional
        Long scores of the same cohort's previous season; students are linked by
        ``student_key``.

    Returns
    -------
    DataFrame
        ``student_key``, ``school_code``, ``z`` (total standardised score, see
        :func:`eduqa.indicators.composite_z`), ``n_subjects``, school covariates
        (``urban_rural``, the dummies ``town`` and ``rural``, ``shortage_rate``,
        ``out_of_field_share``, ``enrollment``, ``log_enrollment``, ``boarding`` as 0/1, and
        any ``share_*`` extras), and ``prior_z`` (NaN when unlinked or no prior season).
    """
    from eduqa.indicators.exam import composite_z

    # with the Dask engine the students' z come partition by partition, and the one row a
    # student is gathered here (the models do not fit from partition statistics yet)
    frame = _gathered(composite_z(scores, keys=("student_key", "school_code")),
                      ["student_key", "school_code"])
    frame = frame.merge(school_covariates(schools), on="school_code", how="left")
    frame["prior_z"] = np.nan if prior_scores is None else _prior_z(frame, prior_scores)
    return frame


def school_covariates(schools: pd.DataFrame) -> pd.DataFrame:
    """The school-level columns of the models, one row a school: ``school_code``,
    ``urban_rural``, ``shortage_rate``, ``out_of_field_share``, ``enrollment``, ``boarding``
    (0/1), any ``share_*`` extras, the dummies ``town`` and ``rural``, and
    ``log_enrollment``."""
    keep = ["school_code", "urban_rural", "shortage_rate", "out_of_field_share", "enrollment",
            "boarding", *[c for c in schools.columns if c.startswith("share_")]]
    frame = schools[keep].copy()
    frame["town"] = (frame["urban_rural"] == "town").astype(float)
    frame["rural"] = (frame["urban_rural"] == "rural").astype(float)
    frame["boarding"] = frame["boarding"].astype(float)
    frame["log_enrollment"] = np.log(frame["enrollment"].where(frame["enrollment"] > 0))
    return frame


@dataclass(frozen=True)
class ModelStats:
    """The season's students for the attribution models as per-school statistics
    (:class:`~eduqa.models.grouped.GroupedStats`, with the school covariates of
    :func:`school_covariates`): ``students``, the ``z`` of every student; ``linked``, the
    ``z`` and ``prior_z`` of the students linked to the prior season (None without one)."""

    students: GroupedStats
    linked: GroupedStats | None = None

    #: columns of a model frame that vary within a school (the rest are the school's)
    STUDENT_LEVEL = ("student_key", "z", "prior_z", "n_subjects", "z_mean")

    @classmethod
    def of(cls, frame: pd.DataFrame, group: str = "school_code") -> ModelStats:
        """The statistics of a student frame shaped like :func:`model_frame`'s (``z``,
        ``prior_z`` when any is known, school-level columns): what :func:`model_stats`
        computes from the scores, here from rows already at hand."""
        constant = [c for c in frame.columns if c not in (*cls.STUDENT_LEVEL, group)]
        order = ["student_key"] if "student_key" in frame else []
        students = GroupedStats.of(frame, group, ["z"], constant=constant, order=order)
        linked = None
        if "prior_z" in frame and frame["prior_z"].notna().any():
            linked = GroupedStats.of(frame, group, ["z", "prior_z"], constant=constant,
                                     order=order)
        return cls(students, linked)


def model_stats(scores, schools: pd.DataFrame, prior_scores=None) -> ModelStats:
    """:func:`model_frame` held as per-school statistics: what every attribution model of
    the 03 page fits from (:func:`model_sequence`, :func:`gelbach`, :func:`oaxaca`,
    :func:`shapley_r2` on :func:`school_means`), the same numbers to rounding.

    With the Dask engine each partition (whole schools) gives its schools' statistics and
    only those — one row a school — are gathered: no student-level frame is built on one
    machine. The prior season's z (one number a linked student) is what the workers are
    sent to link."""
    from eduqa.indicators.exam import composite_z

    students = composite_z(scores, keys=["student_key", "school_code"])
    prior = None if prior_scores is None else _prior_series(prior_scores)
    table = compute.by_part(students, _school_stats, prior)
    covariates = school_covariates(schools)
    both = table["sample"] == "linked"
    flat = GroupedStats.from_table(table[~both], ["school_code"], ["z"], covariates)
    linked = None if prior is None else GroupedStats.from_table(
        table[both], ["school_code"], ["z", "prior_z"], covariates)
    return ModelStats(flat, linked)


def _school_stats(students: pd.DataFrame, prior: pd.Series | None) -> pd.DataFrame:
    """The per-school statistics of a frame of students (whole schools): their z (``sample``
    ``all``) and, with a prior season, the z and prior z of the linked ones (``linked``)."""
    parts = [group_table(students, ["school_code"], ["z"], ["student_key"]).assign(
        sample="all")]
    if prior is not None:
        linked = students.assign(prior_z=students["student_key"].map(prior))
        parts.append(group_table(linked, ["school_code"], ["z", "prior_z"],
                                 ["student_key"]).assign(sample="linked"))
    return pd.concat(parts, ignore_index=True)


def cohort_frame(scores: pd.DataFrame, prior_scores: pd.DataFrame | None = None
                 ) -> pd.DataFrame:
    """One row per student with ``school_code``, ``z`` and ``prior_z`` (NaN when unlinked):
    what :func:`value_added` and :func:`matched_share` read — the students of
    :func:`model_frame` without its school covariates; empty without a prior season.

    Kept for the 04 notebooks of projects made before :func:`cohort_stats`, which gives the
    same value added from per-school statistics without gathering a row per student."""
    columns = ["school_code", "z", "prior_z"]
    if prior_scores is None:
        return pd.DataFrame({"school_code": pd.Series(dtype=object),
                             "z": pd.Series(dtype=float), "prior_z": pd.Series(dtype=float)})
    from eduqa.indicators.exam import composite_z

    keys = ["student_key", "school_code"]
    frame = _gathered(composite_z(scores, keys=keys), keys)
    frame["prior_z"] = _prior_z(frame, prior_scores)
    return frame[columns]


def cohort_stats(scores, schools: pd.DataFrame, prior_scores=None) -> ModelStats:
    """:func:`model_stats` for the 04 page's value added and matched share; without a prior
    season there is nothing to link, and nothing is computed (with the Dask engine, no pass
    over a page's 2M students): the statistics are empty."""
    if prior_scores is None:
        table = group_table(pd.DataFrame({"school_code": pd.Series(dtype=object),
                                          "z": pd.Series(dtype=float)}),
                            ["school_code"], ["z"])
        return ModelStats(GroupedStats.from_table(table, ["school_code"], ["z"]))
    return model_stats(scores, schools, prior_scores)


def value_added(frame: pd.DataFrame | ModelStats, prior: str = "prior_z",
                group: str = "school_code", outcome: str = "z") -> pd.DataFrame:
    """:func:`eduqa.models.value_added` of a model frame, or of per-school statistics
    (:class:`ModelStats`: the linked students' for the model, all students' for the link
    counts) — the same table."""
    if not isinstance(frame, ModelStats):
        return models.value_added(frame, prior, group, outcome)
    from eduqa.models.value_added import contextual_effects, value_added_columns

    columns = value_added_columns(group)
    if frame.linked is None or not frame.linked.nobs:
        return pd.DataFrame(columns=columns)
    linked = frame.linked.with_group_mean(prior)
    effects = contextual_effects(linked, linked.table[f"{prior}_school_mean"], prior, group,
                                 outcome)
    counts = frame.students.table[[group, "n"]].merge(
        linked.table[[group, "n"]].rename(columns={"n": "n_matched"}), on=group, how="left")
    counts["n_matched"] = counts["n_matched"].fillna(0).astype(int)
    counts["n_unmatched"] = counts["n"].astype(int) - counts["n_matched"]
    return counts[[group, "n_matched", "n_unmatched"]].merge(effects, on=group)[columns]


def _prior_z(frame: pd.DataFrame, prior_scores) -> pd.Series:
    """Each student's z of the prior season (:func:`eduqa.indicators.composite_z` of
    ``prior_scores``), linked by ``student_key``; NaN when unlinked."""
    return frame["student_key"].map(_prior_series(prior_scores))


def _prior_series(prior_scores) -> pd.Series:
    """The prior season's z (:func:`eduqa.indicators.composite_z`) by ``student_key``."""
    from eduqa.indicators.exam import composite_z

    return _gathered(composite_z(prior_scores), ["student_key"]).set_index("student_key")["z"]


@dataclass
class ModelSequence:
    """The fitted M0–M3 sequence: ``fits`` by model name, the tidy ``coefficients`` and
    ``models`` tables, and the terms ``dropped`` as exact combinations of others."""

    fits: dict
    coefficients: pd.DataFrame
    models: pd.DataFrame
    dropped: list[str]
    #: for each dropped term, what it coincided with (see :func:`coincidence`)
    coincides: dict = field(default_factory=dict)
    #: whether the models' common sample is the students linked to a prior season (a
    #: contextual value-added M3), not every student who sat
    linked: bool = False
    #: the share of the variance between schools (ICC of the null model) over every student
    #: who sat, and their number: the headline figure, whatever the models' sample
    icc_all: float = float("nan")
    nobs_all: int = 0


def coincidence(matrix: pd.DataFrame | GroupedStats, term: str, others: list[str]) -> dict:
    """What a dropped model term coincided with in this season's data: ``{"constant":
    value}`` when it is the same for every student (e.g. no school boards), else
    ``{"combination": [terms...]}``, the other terms it is an exact linear combination of
    (e.g. boarding = town + rural), found by least squares on the design matrix (or on its
    cross-products, from per-school statistics)."""
    if isinstance(matrix, GroupedStats):
        return _coincidence_of(matrix, term, others)
    column = matrix[term].to_numpy(float)
    if np.ptp(column) == 0:
        return {"constant": float(column[0])}
    basis = [c for c in ["Intercept", *others] if c in matrix and c != term]
    values = matrix[basis].to_numpy(float)
    coef = np.linalg.lstsq(values, column, rcond=None)[0]
    scale = np.abs(values).max(axis=0) * np.abs(coef)
    used = [name for name, size in zip(basis, scale)
            if name != "Intercept" and size > 1e-8 * max(np.abs(column).max(), 1.0)]
    return {"combination": used}


def _coincidence_of(stats: GroupedStats, term: str, others: list[str]) -> dict:
    """:func:`coincidence` from per-school statistics (a design of :meth:`GroupedStats.design`):
    the same least squares, through the normal equations."""
    if stats.is_student(term):
        j = stats.student.index(term)
        means = stats.sums[:, j] / stats.n
        if stats.within[:, j, j].sum() == 0 and np.ptp(means) == 0:
            return {"constant": float(means[0])}
        largest = float(stats.absmax[:, j].max())
    else:
        values = stats.table[term].to_numpy(float)
        if np.ptp(values) == 0:
            return {"constant": float(values[0])}
        largest = float(np.abs(values).max())
    basis = [c for c in ["Intercept", *others] if (c == "Intercept" or c in stats) and c != term]
    columns = stats.columns_of(basis)
    gram = stats.cross_products([*columns, term]).sum(axis=0)
    coef = np.linalg.lstsq(gram[:-1, :-1], gram[:-1, -1], rcond=None)[0]
    size = np.array([1.0 if c is None else float(
        stats.absmax[:, stats.student.index(c)].max()) if stats.is_student(c)
        else float(np.abs(stats.table[c].to_numpy(float)).max()) for c in columns])
    scale = size * np.abs(coef)
    used = [name for name, value in zip(basis, scale)
            if name != "Intercept" and value > 1e-8 * max(largest, 1.0)]
    return {"combination": used}


def factor_groups(terms: dict[str, list[str]], dropped: list[str], columns,
                  language: str = "zh") -> dict[str, list[str]]:
    """Named factor groups for :func:`shapley_r2` from the params' model terms: 城乡类别,
    缺编与教非所学, 规模与寄宿等 — keeping only plain columns and leaving out dropped terms."""
    from eduqa.config.labels import label

    names = {"place": "town_rural", "staffing": "staffing_terms", "controls": "control_terms"}
    groups = {}
    for key, name in names.items():
        usable = [t for t in terms.get(key, []) if t in columns and t not in dropped]
        if usable:
            groups[label(name, language)] = usable
    return groups


def model_sequence(frame: pd.DataFrame | ModelStats, *, place: list[str], staffing: list[str],
                   controls: list[str], group: str = "school_code", outcome: str = "z",
                   prior: str | None = None) -> ModelSequence:
    """Fit the standard sequence (docs/METHODS.md §C) by REML on one common sample.

    M0 null; M1 + ``place`` terms (e.g. ``town``, ``rural``); M2 + ``staffing`` terms; M3 +
    ``controls`` (+ ``prior`` and its school mean ``<prior>_school_mean`` when given: a
    contextual value-added model, see :func:`value_added`). All models use the rows
    complete for M3, so their school variances are comparable.

    Returns
    -------
    ModelSequence
        with ``fits`` (model name -> :class:`RandomInterceptResult`), ``dropped`` and:
    coefficients : DataFrame
        ``model``, ``term``, ``estimate``, ``se``, ``ci_low``, ``ci_high``, ``p_value``.
    models : DataFrame
        ``model``, ``formula``, ``nobs``, ``ngroups``, ``group_var`` (τ²), ``resid_var``
        (σ²), ``icc``, ``group_var_reduction`` (1 − τ²_M / τ²_M0). Terms that are exact
        combinations of others in this season's data (e.g. boarding when every rural school
        boards) are left out and listed in ``dropped``.
    """
    data: GroupedStats | None = None
    if isinstance(frame, ModelStats):
        data = frame.linked if prior is not None else frame.students
        if data is None or not data.nobs:  # no linked prior season: M3 is a plain controls
            prior, data = None, frame.students  # model
    elif prior is not None and (prior not in frame or frame[prior].notna().sum() == 0):
        prior = None
    # with a prior score, its school mean enters too (a contextual term): the prior is measured
    # with error, and without it school effects pick up the intake (see value_added)
    contextual = [f"{prior}_school_mean"] if prior else []
    terms = {"M0": [], "M1": list(place), "M2": [*place, *staffing],
             "M3": [*place, *staffing, *controls, *([prior] if prior else []), *contextual]}
    m3 = f"{outcome} ~ " + " + ".join(terms["M3"])
    sample: pd.DataFrame | GroupedStats
    matrix: pd.DataFrame | GroupedStats
    if data is not None:
        variables = [c for c in data.columns if any(c in t for t in terms["M3"])]
        sample = data.dropna(list(dict.fromkeys(variables)))
        if prior:
            sample = sample.with_group_mean(prior)
        matrix, _, names = sample.design(m3)
        aliased = matrix.collinear(names)
    else:
        assert isinstance(frame, pd.DataFrame)
        variables = [outcome, group, *[c for c in frame.columns
                                       if any(c in t for t in terms["M3"])]]
        sample = frame.reset_index(drop=True).dropna(subset=list(dict.fromkeys(variables)))
        if prior:
            sample = with_school_mean(sample, prior, group)
        _, matrix = design(sample, m3, [group])
        aliased = collinear(matrix)
    # terms that repeat others exactly (e.g. boarding = town + rural) are dropped, and said so
    dropped = [t for t in terms["M3"] if t in aliased]
    kept = [t for t in terms["M3"] if t not in dropped]
    coincides = {t: coincidence(matrix, t, kept) for t in dropped}
    terms = {name: [t for t in ts if t not in dropped] for name, ts in terms.items()}
    fits, coefficients, models = {}, [], []
    for name in MODEL_NAMES:
        formula = f"{outcome} ~ " + (" + ".join(terms[name]) if terms[name] else "1")
        fit = random_intercept(sample, formula, group)
        fits[name] = fit
        table = fit.to_frame()
        table.insert(0, "model", name)
        coefficients.append(table)
        models.append({"model": name, "formula": formula, "nobs": fit.nobs,
                       "ngroups": fit.ngroups, "group_var": fit.group_var,
                       "resid_var": fit.resid_var, "icc": fit.icc})
    models = pd.DataFrame(models)
    models["group_var_reduction"] = 1 - models["group_var"] / models.loc[0, "group_var"]
    null = _everyone_null(frame, outcome, group, fits["M0"])
    return ModelSequence(fits, pd.concat(coefficients, ignore_index=True), models, dropped,
                         coincides, linked=bool(prior), icc_all=null.icc, nobs_all=null.nobs)


def _everyone_null(frame: ModelStats | pd.DataFrame, outcome: str, group: str,
                   m0: RandomInterceptResult) -> RandomInterceptResult:
    """The null model on every student who sat: the headline ICC, whatever the sequence's
    sample (with a prior season, the linked students only: a different, smaller group)."""
    everyone: pd.DataFrame | GroupedStats
    if isinstance(frame, ModelStats):
        everyone = frame.students.dropna([outcome])
    else:
        everyone = frame.reset_index(drop=True).dropna(subset=[outcome, group])
    size = everyone.nobs if isinstance(everyone, GroupedStats) else len(everyone)
    return m0 if size == m0.nobs else random_intercept(everyone, f"{outcome} ~ 1", group)


def class_frame(scores: pd.DataFrame) -> pd.DataFrame:
    """One row per student with ``school_code``, ``class`` and ``z`` (the standardised total
    of :func:`model_frame`), for the three-level model: the class comes with the grouping
    itself (no join over the students' keys, which costs hundreds of MB for a province)."""
    from eduqa.indicators.exam import composite_z

    keys = ["student_key", "school_code", "class"]
    return _gathered(composite_z(scores, keys=keys), keys).drop(columns=["student_key",
                                                                        "z_mean"])


def class_stats(scores) -> GroupedStats:
    """:func:`class_frame` held as per-class statistics (grouped by ``school_code`` and
    ``class``, as text): what :func:`variance_levels` fits the three-level model from. With
    the Dask engine each partition gives its classes' rows and only those are gathered."""
    from eduqa.indicators.exam import composite_z

    students = composite_z(scores, keys=["student_key", "school_code", "class"])
    return GroupedStats.from_table(compute.by_part(students, _class_table),
                                   ["school_code", "class"], ["z"])


def _class_table(students: pd.DataFrame) -> pd.DataFrame:
    """The per-class statistics of a frame of students (whole schools); school and class as
    text, as :func:`_in_classes` reads them."""
    keys = ["school_code", "class"]
    return group_table(students.astype({k: str for k in keys}), keys, ["z"], ["student_key"])


def subject_class_stats(scores, subject: str) -> GroupedStats:
    """Per class (school and class as text): the statistics of one subject's standardised
    score z = (score − county mean) / county sd over the valid scores (as
    :func:`eduqa.indicators.standardize`), for the teacher view's three-level model. The
    mean and sd come from the subject's frequency table; with the Dask engine each
    partition gives its classes' rows and only those are gathered."""
    from eduqa.indicators.tallies import frequencies, subject_moments

    rows = scores[(scores["subject"] == subject) & (scores["status"] == "sat")]
    if compute.is_dask(rows):
        from eduqa.indicators.partitioned import frequency_table

        table = frequency_table(rows)
    else:
        table = frequencies(rows)
    centre, spread = subject_moments(table)

    def classes(part: pd.DataFrame) -> pd.DataFrame:
        sd = spread.get(subject, np.nan)
        z = (part["score"] - centre.get(subject, np.nan)) / (sd if sd > 0 else np.nan)
        return _class_table(part[["student_key", "school_code", "class"]].assign(z=z)
                            .dropna(subset=["school_code", "class"]))

    return GroupedStats.from_table(compute.by_part(rows, classes), ["school_code", "class"],
                                   ["z"])


def _gathered(students, keys: list[str]) -> pd.DataFrame:
    """A student table as pandas, in the order the pandas path gives it (sorted by
    ``keys``): a Dask DataFrame (the Dask engine's, one row a student) is computed here."""
    if not compute.is_dask(students):
        return students
    out = compute.local(students, "student rows for the models")
    return out.sort_values(keys, kind="stable").reset_index(drop=True)


def _in_classes(frame: pd.DataFrame | GroupedStats) -> pd.DataFrame | GroupedStats | None:
    """The students with a class (school and class as text), or None when no school has two
    classes, or the season has one school: a three-level model then has nothing to tell
    apart."""
    if isinstance(frame, GroupedStats):
        stats = frame.select((frame.table["class"].astype(str).str.strip() != "").to_numpy())
        if not stats.ngroups or stats.table.groupby("school_code")["class"].nunique().max() < 2 \
                or stats.table["school_code"].nunique() < 2:
            return None
        return stats
    data = frame[frame["class"].astype(str).str.strip() != ""].astype(
        {"school_code": str, "class": str})
    if data.empty or data.groupby("school_code")["class"].nunique().max() < 2 \
            or data["school_code"].nunique() < 2:
        return None
    return data


def variance_levels(frame: pd.DataFrame | GroupedStats, formula: str = "z ~ 1") -> tuple[pd.DataFrame,
                                                                            object | None]:
    """The three-level random-intercept model (students in classes in schools,
    :func:`eduqa.models.nested.nested_random_intercept`) of ``formula`` on the students with a
    class, and its variance by level.

    Returns
    -------
    (DataFrame, NestedResult or None)
        ``level`` (``between_schools``, ``between_classes`` within a school,
        ``within_classes``), ``variance``, ``share`` (of the total),
        ``groups`` (schools, classes, students); empty (and None) when no school has two
        classes, the students have no class, or the season has a single school.
    """
    from eduqa.models.nested import nested_random_intercept

    columns = ["level", "variance", "share", "groups"]
    data = _in_classes(frame)
    if data is None:
        return pd.DataFrame(columns=columns), None
    fit = nested_random_intercept(data, formula)
    shares = fit.shares
    table = pd.DataFrame({
        "level": ["between_schools", "between_classes", "within_classes"],
        "variance": [fit.school_var, fit.class_var, fit.resid_var],
        "share": [shares["school"], shares["class"], shares["residual"]],
        "groups": [fit.nschools, fit.nclasses, fit.nobs]})
    return table, fit


def teacher_view(scores: pd.DataFrame, assignments: pd.DataFrame, *,
                 min_group_size: int = 0) -> pd.DataFrame:
    """Each teacher of record's effect, subject by subject, from a model of the subject's
    standardised score with nested random intercepts for schools, teachers within a school and
    classes within a teacher (:func:`eduqa.models.hierarchy.nested_levels`): a teacher is
    compared with the school's other teachers, never ranked on raw means, and the interval
    carries the uncertainty the teacher's classes share. When every teacher of the subject has
    one class, the class level is the teacher level and is left out. A class without a teacher
    of record enters the model as its own unit and is not listed.

    Returns
    -------
    DataFrame
        ``subject``, ``teacher_key`` (and ``teacher_name`` when given), ``school_code``,
        ``n_classes``, ``n`` (pupils), ``teacher_effect``, ``se``, ``ci_low``, ``ci_high``,
        ``basis`` (``shrunken``; ``contrast`` when the teacher variance is estimated at 0: the
        teacher's mean against the school's, as a fixed effect; ``no_comparison`` when the teacher is
        the school's only one and that variance is 0), ``flag`` (``above`` / ``below`` only
        when the interval excludes 0, ``as_expected``, ``not_estimable``), ``small_group``.
        Sorted by school and code; empty when there are no assignments.
    """
    from eduqa.models.hierarchy import nested_levels

    columns = ["subject", "teacher_key", "school_code", "n_classes", "n", "teacher_effect",
               "se", "ci_low", "ci_high", "basis", "flag", "small_group"]
    parts = []
    for subject in sorted(set(assignments["subject"])) if len(assignments) else []:
        data = _in_classes(subject_class_stats(scores, subject))
        if data is None:
            continue
        named = ["teacher_name"] if "teacher_name" in assignments else []
        mine = assignments.loc[assignments["subject"] == subject,
                               ["school_code", "class", "teacher_key", *named]].astype(str)
        classes = data.table[["school_code", "class"]].astype(str).merge(
            mine, on=["school_code", "class"], how="left", validate="one_to_one")
        if classes["teacher_key"].isna().all():
            continue
        unit = classes["teacher_key"].where(classes["teacher_key"].notna(),
                                            "class:" + classes["class"])
        data = data.assign(teacher=unit.to_numpy())
        several = classes.groupby(["school_code", "teacher_key"]).size().max() > 1
        levels = ["school_code", "teacher", "class"] if several else ["school_code", "teacher"]
        fit = nested_levels(data, "z ~ 1", levels)
        counts = classes.dropna(subset=["teacher_key"]).groupby(
            ["school_code", "teacher_key", *named]).size().rename("n_classes").reset_index()
        effects = fit.effects["teacher"].rename(columns={"teacher": "teacher_key",
                                                          "effect": "teacher_effect"})
        table = counts.merge(effects, on=["school_code", "teacher_key"], how="inner")
        parts.append(table.assign(subject=subject))
    if not parts:
        return pd.DataFrame(columns=columns)
    out = pd.concat(parts, ignore_index=True)
    out["small_group"] = out["n"] < min_group_size
    named = ["teacher_name"] if "teacher_name" in out else []
    order = ["subject", "teacher_key", *named, "school_code", *columns[3:]]
    return out[order].sort_values(["subject", "school_code", "teacher_key"],
                                  kind="stable").reset_index(drop=True)


@dataclass(frozen=True)
class GapPlan:
    """What the rural-gap decompositions of the 03 page can use in this season's data
    (:func:`gap_plan`): the ``focal`` term (``rural``, or None when the season has no 乡村 or
    no 城区 school), the place ``controls`` kept in both Gelbach models (``town`` when the
    season has 镇区 schools), the staffing ``mediators`` that can be identified, and every
    term ``left_out`` with its reason: ``absent`` (the staffing file has no such column),
    ``constant`` (the same for every school), ``collinear`` (an exact combination of the
    terms before it), ``too_few_schools`` (more terms than the schools can identify),
    ``no_rural`` / ``no_urban`` (the category is not in the season: the focal comparison
    乡村 − 城区 cannot be made)."""

    focal: str | None
    controls: list[str]
    mediators: list[str]
    left_out: dict[str, str]
    n_schools: int

    @property
    def decomposable(self) -> bool:
        """Whether the Gelbach decomposition can run: a rural–urban comparison and at least
        one staffing term."""
        return self.focal is not None and bool(self.mediators)


def gap_plan(frame: ModelStats | pd.DataFrame, *, place: list[str], staffing: list[str],
             controls: list[str] | None = None, focal: str = "rural",
             reference: str = "urban") -> GapPlan:
    """Which terms the decomposition of the ``focal`` − ``reference`` gap (乡村 − 城区) can
    use this season, and why any other is left out (see :class:`GapPlan`).

    A real county may have no 镇区 or no 城区 school, a staffing file without a column,
    every school fully staffed, or six schools: instead of failing on a design that is not
    identified, the terms that cannot be estimated are left out, in order, and listed.

    Parameters
    ----------
    frame : ModelStats or DataFrame
        The season's model statistics (:func:`model_stats`) or per-school rows with the
        columns of :func:`school_covariates`.
    place, staffing : list of str
        The params' model terms (``county.yaml`` ``attribution``); ``controls`` is accepted
        and ignored, so that the whole ``attribution`` mapping can be passed.

    Examples
    --------
    >>> schools = pd.DataFrame({"school_code": list("abcd"), "urban_rural": ["town", "town",
    ...     "rural", "rural"], "town": [1., 1., 0., 0.], "rural": [0., 0., 1., 1.],
    ...     "shortage_rate": [0.1, 0.0, 0.2, 0.3]})
    >>> gap_plan(schools, place=["town", "rural"], staffing=["shortage_rate"]).left_out
    {'rural': 'no_urban'}
    """
    del controls  # (the M3 controls are not part of the decomposition's design)
    if isinstance(frame, pd.DataFrame) and not frame["school_code"].duplicated().any():
        means = frame  # (one row a school already)
    else:
        means = school_means(frame)
    if isinstance(frame, ModelStats):
        categories = set(frame.students.table["urban_rural"].dropna())
    elif "urban_rural" in frame:
        categories = set(frame["urban_rural"].dropna())
    else:
        categories = {name for name in ("town", "rural")
                      if name in means and (means[name] == 1).any()}
    left_out: dict[str, str] = {}
    n_schools = int(len(means))
    if focal not in categories:
        left_out[focal] = f"no_{focal}"
    elif reference not in categories:
        left_out[focal] = f"no_{reference}"
    chosen = focal if not left_out else None
    kept = ["Intercept", *([focal] if chosen else [])]
    place_controls: list[str] = []
    for term in place:
        if term == focal or chosen is None:
            continue
        if term not in means or np.ptp(means[term].to_numpy(float)) == 0:
            left_out[term] = "absent" if term not in means else "constant"
            continue
        place_controls.append(term)
        kept.append(term)
    mediators: list[str] = []
    for term in staffing:
        if term not in means or means[term].isna().all():
            left_out[term] = "absent"
            continue
        values = means[term].to_numpy(float)
        if np.ptp(values[np.isfinite(values)]) == 0:
            left_out[term] = "constant"
            continue
        if chosen is None:
            continue
        rows = means[[t for t in kept if t != "Intercept"] + [term]].dropna()
        design = rows.assign(Intercept=1.0)[[*kept, term]]
        if collinear(design):
            left_out[term] = "collinear"
        elif len(rows) <= len(kept) + 1:  # a residual degree of freedom for every interval
            left_out[term] = "too_few_schools"
        else:
            mediators.append(term)
            kept.append(term)
    return GapPlan(chosen, place_controls, mediators, left_out, n_schools)


def _empty_decomposition(columns: list[str]) -> pd.DataFrame:
    return pd.DataFrame({c: pd.Series(dtype=object if c in ("term", "part", "method")
                                      else float) for c in columns})


def rural_gelbach(frame: ModelStats, plan: GapPlan, *, n_boot: int = 499,
                  seed: int = 0) -> pd.DataFrame:
    """:func:`gelbach` of the 乡村 − 城区 coefficient on the plan's staffing mediators, with
    its place controls, clustered by school; an empty table (the same columns) when the plan
    says it cannot run (:attr:`GapPlan.decomposable`)."""
    if not plan.decomposable:
        return _empty_decomposition(["term", "estimate", "share", "se", "ci_low", "ci_high"])
    assert plan.focal is not None
    return gelbach(frame.students, "z", plan.focal, plan.mediators, controls=plan.controls,
                   cluster="school_code", n_boot=n_boot, seed=seed)


def rural_oaxaca(frame: ModelStats, plan: GapPlan, predictors: list[str], *,
                 n_boot: int = 499, seed: int = 0) -> pd.DataFrame:
    """:func:`oaxaca` of the 城区 − 乡村 gap in ``z`` on the urban and rural students, with
    the ``predictors`` that vary inside both groups (:func:`varying`); an empty table when the
    season lacks either group or no predictor varies."""
    columns = ["part", "term", "estimate", "share", "se", "ci_low", "ci_high"]
    if plan.focal is None:
        return _empty_decomposition(columns)
    students = frame.students.where("urban_rural", ["urban", "rural"])
    usable = varying(students, predictors, "rural")
    if not usable:
        return _empty_decomposition(columns)
    return oaxaca(students, "z", "rural", usable, cluster="school_code", n_boot=n_boot,
                  seed=seed)
