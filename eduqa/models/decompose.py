"""How much of a gap each factor accounts for (docs/METHODS.md §C): Gelbach's decomposition of the change
in a focal coefficient, the Oaxaca–Blinder decomposition of a group gap, and the Shapley
decomposition of R² across groups of predictors, with cluster bootstrap intervals."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from eduqa.errors import EduqaError

from .cluster import MIN_CLUSTERS, cluster_fit, cluster_sums
from .grouped import GroupedStats
from .linear import cr2_result, randomization_interval, randomization_of_sums, robust_fit

__all__ = ["gelbach", "oaxaca", "shapley_r2"]


@dataclass
class _Moments:
    """Z'Z per cluster for Z = [1, columns...]; any OLS on these columns is a solve."""

    names: list[str]
    per_cluster: np.ndarray  # (G, p, p)
    labels: np.ndarray
    strata: np.ndarray | None  # stratum code of each cluster (for a stratified bootstrap)

    @classmethod
    def of(cls, data: pd.DataFrame | GroupedStats, columns: list[str], cluster: str | None,
           strata: str | None = None) -> _Moments:
        if isinstance(data, GroupedStats):  # (complete in ``columns``: see _complete)
            if cluster is None or cluster not in data.keys:
                raise EduqaError.of("model.resample_groups", group=data.group, cluster=cluster)
            strata_codes = None
            if strata is not None:
                strata_codes = pd.factorize(data.table[strata].to_numpy(), sort=True)[0]
            return cls(["Intercept", *columns], data.cross_products([None, *columns]),
                       data.labels(), strata_codes)
        missing = [c for c in columns + [c for c in (cluster, strata) if c] if c not in data]
        if missing:
            raise EduqaError.of("model.no_columns", missing=list(missing),
                                available=[str(c) for c in data.columns])
        frame = data.dropna(subset=columns + [c for c in (cluster, strata) if c])
        z = np.column_stack([np.ones(len(frame))] + [frame[c].to_numpy(float)
                                                     for c in columns])
        if cluster is None:
            codes, labels = np.arange(len(frame)), np.arange(len(frame))
        else:
            codes, labels = pd.factorize(frame[cluster], sort=True)
        groups = len(labels)
        p = z.shape[1]
        moments = np.empty((groups, p, p))
        for i in range(p):
            for j in range(i, p):
                moments[:, i, j] = moments[:, j, i] = np.bincount(
                    codes, weights=z[:, i] * z[:, j], minlength=groups)
        strata_codes = None
        if strata is not None:
            first = pd.Series(frame[strata].to_numpy()).groupby(codes).first()
            strata_codes = pd.factorize(first.to_numpy(), sort=True)[0]
        return cls(["Intercept", *columns], moments, np.asarray(labels), strata_codes)

    def total(self, weights: np.ndarray | None = None) -> np.ndarray:
        if weights is None:
            return self.per_cluster.sum(axis=0)
        return np.tensordot(weights, self.per_cluster, axes=1)

    def index(self, names: list[str]) -> list[int]:
        return [self.names.index(n) for n in names]

    def draws(self, n_boot: int, seed: int) -> Iterator[np.ndarray]:
        """Cluster-bootstrap weights: clusters drawn with replacement (within strata)."""
        rng = np.random.default_rng(seed)
        groups = len(self.labels)
        strata = self.strata if self.strata is not None else np.zeros(groups, int)
        members = [np.flatnonzero(strata == s) for s in np.unique(strata)]
        for _ in range(n_boot):
            weights = np.zeros(groups)
            for pool in members:
                np.add.at(weights, rng.choice(pool, size=len(pool), replace=True), 1.0)
            yield weights


def _solve(m: np.ndarray, x: list[int], y: int) -> np.ndarray:
    """OLS coefficients from a moment matrix; a LinAlgError when the design is not identified
    (a resample with too few distinct schools leaves X'X singular or nearly so, and a solve
    would return noise rather than fail)."""
    a = m[np.ix_(x, x)]
    scale = np.sqrt(np.abs(np.diag(a)))
    if not (scale > 0).all() or np.linalg.cond(a / np.outer(scale, scale)) > 1e10:
        raise np.linalg.LinAlgError("design not identified")
    return np.linalg.solve(a, m[x, y])


def _or_nan(compute: Callable[..., np.ndarray], moments: np.ndarray, size: int,
            *more: object) -> np.ndarray:
    """A bootstrap replicate, or NaNs when the resample leaves the model unidentified (e.g. a
    draw with one school repeated); such draws are left out and counted."""
    try:
        return compute(moments, *more)
    except np.linalg.LinAlgError:
        return np.full(size, np.nan)


#: Bootstrap intervals are refused when fewer than this share of the draws are identified:
#: the usable draws are then a selected subset and their spread is not the sampling spread.
MIN_IDENTIFIED_SHARE = 0.8


def _interval(values: np.ndarray, usable: bool = True) -> tuple[float, float, float]:
    """Bootstrap standard error and percentile 95% interval over the identified draws, or NaN
    when ``usable`` is False (too few identified draws or too few schools)."""
    low, high = _percentile(values, usable)
    finite = values[np.isfinite(values)]
    return (float(finite.std(ddof=1)) if np.isfinite(low) else np.nan, low, high)


def _percentile(values: np.ndarray, usable: bool) -> tuple[float, float]:
    """Percentile 95% interval over the finite values, or NaN when not ``usable`` or fewer
    than two are finite."""
    values = values[np.isfinite(values)]
    if not usable or values.size < 2:
        return (np.nan, np.nan)
    return float(np.percentile(values, 2.5)), float(np.percentile(values, 97.5))


def _boot_usable(boot: np.ndarray, n_boot: int, smallest_group: int | None) -> tuple[int, bool]:
    """(identified draws, whether intervals may be given)."""
    identified = int(np.isfinite(boot).all(axis=1).sum()) if n_boot else 0
    enough_schools = smallest_group is None or smallest_group >= MIN_CLUSTERS
    return identified, bool(n_boot and identified >= MIN_IDENTIFIED_SHARE * n_boot
                            and enough_schools)


def _cr2_coefficient(frame: pd.DataFrame | GroupedStats, outcome: str, columns: list[str], term: str,
                     cluster: str | None) -> tuple[float, float, float, float]:
    """(estimate, se, ci_low, ci_high) of one OLS coefficient with CR2 / Bell–McCaffrey errors
    by ``cluster`` (HC1 when None). When every regressor is constant within clusters (school-
    level terms), the school-level CR2 with the random-effects working model is used, as for
    :func:`eduqa.indicators.group_gap`."""
    if isinstance(frame, GroupedStats):
        student = [c for c in columns if frame.is_student(c)]
        if student:
            raise EduqaError.of("model.cr2_needs_students", student=list(student), term=term)
        sums, within = frame.blocks([outcome])
        n, totals, within_ss = frame.n, sums[:, 0], float(within[:, 0, 0].sum())
        level = frame.table[columns]  # one row a cluster
    elif cluster is not None and frame.groupby(cluster)[columns].nunique().max().max() <= 1:
        n, totals, within_ss, first = cluster_sums(frame[outcome].to_numpy(float),
                                                   frame[cluster].to_numpy())
        level = frame[columns].iloc[first]
    else:
        level = None
    if level is None:  # (rows: the statistics always take the branch above)
        assert isinstance(frame, pd.DataFrame)
        exog = frame[columns].astype(float).assign(Intercept=1.0)[["Intercept", *columns]]
        fit = robust_fit(frame[outcome].astype(float), exog,
                         None if cluster is None else frame[cluster])
    else:  # every regressor constant within the clusters: from per-cluster sums
        exog = level.astype(float).assign(Intercept=1.0)[["Intercept", *columns]]
        beta, robust = cluster_fit(exog.to_numpy(float), n, totals, within_ss)
        fit = cr2_result(list(exog.columns), beta, robust, nobs=int(n.sum()),
                         n_clusters=len(n), rsquared=float("nan"))
    ci = fit.conf_int()
    return (float(fit.params[term]), float(fit.bse[term]), float(ci.loc[term, "ci_low"]),
            float(ci.loc[term, "ci_high"]))


def _place_labels(frame: pd.DataFrame, focal: str, controls: list[str]) -> pd.Series | None:
    """When the focal variable and the controls are exclusive 0/1 dummies (rural, town), the
    focal coefficient is the difference between the focal group's mean and the mean of the
    rows where all are 0 (urban): the row labels ``focal`` / ``reference`` / ``other`` for
    randomization inference; None otherwise."""
    columns = [focal, *controls]
    if isinstance(frame, GroupedStats):
        if any(frame.is_student(c) for c in columns):
            return None
        frame = frame.table  # one row a school: the same labels, school by school
    values = frame[columns]
    if not values.isin([0, 1]).all().all() or (values.sum(axis=1) > 1).any():
        return None
    labels = np.where(frame[focal] == 1, "focal",
                      np.where(values.sum(axis=1) == 0, "reference", "other"))
    return pd.Series(labels, index=frame.index)


def _focal_strata(frame: pd.DataFrame, focal: str, cluster: str | None) -> bool:
    """Draw schools within the levels of the focal variable when it is a school-level
    category (a few levels, each with at least two schools); a continuous school-level
    variable (every school its own level) is resampled as plain clusters."""
    if cluster is None or not _school_level(frame, focal, cluster):
        return False
    per_level = _clusters_per_level(frame, focal, cluster)
    return len(per_level) <= 10 and per_level.min() >= 2


def _complete(data: pd.DataFrame | GroupedStats, columns: list[str]
              ) -> pd.DataFrame | GroupedStats:
    """The rows (or groups) complete in ``columns``."""
    if isinstance(data, GroupedStats):
        return data.dropna(columns)
    return data.reset_index(drop=True).dropna(subset=columns)


def _school_level(frame: pd.DataFrame | GroupedStats, column: str, cluster: str | None
                  ) -> bool:
    """Whether ``column`` is constant within every cluster."""
    if isinstance(frame, GroupedStats):
        return not frame.is_student(column)
    return bool(frame.groupby(cluster)[column].nunique().max() == 1)


def _clusters_per_level(frame: pd.DataFrame | GroupedStats, column: str, cluster: str
                        ) -> pd.Series:
    """How many clusters each value of the cluster-level ``column`` has."""
    if isinstance(frame, GroupedStats):
        return frame.table.groupby(column).size()
    return frame.groupby(column)[cluster].nunique()


def _distinct(frame: pd.DataFrame | GroupedStats, column: str) -> int:
    """How many values ``column`` takes (of a group-level column: among the groups)."""
    if isinstance(frame, GroupedStats):
        if frame.is_student(column):
            raise EduqaError.of("model.needs_group_level", column=column)
        return int(frame.table[column].nunique())
    return int(frame[column].nunique())


def _randomization(frame: pd.DataFrame | GroupedStats, outcome: str, labels: pd.Series, cluster: str | None, reference: str,
                   compared: str) -> tuple[float, float, float]:
    """:func:`~eduqa.models.linear.randomization_interval` of rows or of per-school
    statistics (``labels`` one a school, in the statistics' order)."""
    if not isinstance(frame, GroupedStats):
        return randomization_interval(frame[outcome], labels, frame[cluster], reference,
                                      compared)
    keep = labels.isin([reference, compared]).to_numpy()
    sums, _ = frame.blocks([outcome])
    return randomization_of_sums(frame.n[keep], sums[keep, 0],
                                 labels.to_numpy()[keep] == compared)


def gelbach(data: pd.DataFrame | GroupedStats, outcome: str, focal: str, mediators: list[str], *,
            controls: tuple[str, ...] | list[str] = (), cluster: str | None = None,
            n_boot: int = 499, seed: int = 0) -> pd.DataFrame:
    """Gelbach decomposition: how much of the change in a focal coefficient between a base and
    a full model each added mediator accounts for.

    Parameters
    ----------
    data : DataFrame
    outcome : str
        E.g. ``z`` (standardised score).
    focal : str
        The numeric focal variable, e.g. ``rural`` (1 for 乡村 schools).
    mediators : list of str
        Variables added in the full model, e.g. ``["shortage_rate", "out_of_field_share"]``.
    controls : list of str
        Variables in both models (e.g. the ``town`` dummy).
    cluster : str, optional
        Clusters (normally ``school_code``); None resamples rows. When the focal variable is a
        school-level category, schools are drawn within its levels.
    n_boot, seed : bootstrap replications and seed (0 replications: no bootstrap intervals).

    Returns
    -------
    DataFrame
        One row per ``term``: ``base`` (the focal coefficient without mediators), ``full``
        (with them), each mediator (its contribution), and ``explained`` (their sum, exactly
        base − full). Columns:

        - ``estimate``; ``share`` (of the base coefficient);
        - ``se``, ``ci_low``, ``ci_high``: for ``base`` and ``full`` CR2 errors with
          Bell–McCaffrey degrees of freedom (honest with few schools); for the contributions
          the cluster-bootstrap SE and percentile 95% interval;
        - ``share_low``, ``share_high``: percentile interval of the bootstrap ratio
          contribution / base — given only when the base interval excludes 0;
        - ``method`` (``CR2`` or ``bootstrap``), ``draws`` (identified bootstrap draws used).

    Notes
    -----
    With base model y = a + δ_b·focal + controls·c and full model adding mediators M with
    coefficients β_m, and auxiliary regressions M_m = g + Γ_m·focal + controls·h, OLS gives the
    exact identity δ_b − δ_f = Σ_m β_m Γ_m (Gelbach 2016); the m-th term is the part of the
    focal gap "accounted for" by mediator m. These are associations, not causal effects.

    A resample is *identified* when every regression in it has a non-singular design; draws
    that are not (e.g. both rural schools replaced by one) are left out and counted in
    ``draws``. Bootstrap intervals are refused (NaN) when fewer than 80% of the draws are
    identified, or when a level of a binary focal variable has fewer than
    :data:`eduqa.models.cluster.MIN_CLUSTERS` schools: the bootstrap cannot then represent
    sampling variation.

    References
    ----------
    Gelbach, J. B. (2016). When do covariates matter? And which ones, and how much? *Journal of
    Labor Economics* 34(2), 509–543.

    Examples
    --------
    30 schools, the rural ones short of teachers; the base rural coefficient minus the full one
    is the part that goes with shortage:

    >>> rng = np.random.default_rng(0)
    >>> rural = np.repeat([0, 1], 15)
    >>> shortage = 0.05 + 0.15 * rural + rng.normal(0, 0.05, 30)
    >>> size = rng.integers(20, 40, 30)
    >>> school = np.repeat(np.arange(30), size)
    >>> frame = pd.DataFrame({"school": school, "rural": rural[school],
    ...                       "shortage": shortage[school]})
    >>> frame["z"] = (-0.2 * frame.rural - 2.0 * frame.shortage
    ...               + rng.normal(0, 0.3, 30)[school] + rng.normal(0, 0.9, len(frame)))
    >>> table = gelbach(frame, "z", "rural", ["shortage"], cluster="school", n_boot=99)
    >>> table.set_index("term")["estimate"].round(3).to_dict()
    {'base': -0.586, 'full': -0.161, 'shortage': -0.425, 'explained': -0.425}
    """
    controls = list(controls)
    frame = _complete(data, [focal, *controls, *mediators, outcome])
    stratify = _focal_strata(frame, focal, cluster)
    moments = _Moments.of(frame, [focal, *controls, *mediators, outcome], cluster,
                          strata=focal if stratify else None)
    base_x = moments.index(["Intercept", focal, *controls])
    full_x = moments.index(["Intercept", focal, *controls, *mediators])
    y = moments.index([outcome])[0]
    focal_at = 1

    def compute(m: np.ndarray) -> np.ndarray:
        base = _solve(m, base_x, y)[focal_at]
        beta = _solve(m, full_x, y)
        parts = []
        for offset, mediator in enumerate(mediators):
            gamma = _solve(m, base_x, moments.index([mediator])[0])[focal_at]
            parts.append(beta[len(base_x) + offset] * gamma)
        return np.array([base, beta[focal_at], *parts, sum(parts)])

    estimate = compute(moments.total())
    terms = ["base", "full", *mediators, "explained"]
    boot = np.array([_or_nan(compute, moments.total(w), len(terms))
                     for w in moments.draws(n_boot, seed)]) if n_boot else np.empty(
        (0, len(terms)))
    smallest = None
    if cluster is not None and _distinct(frame, focal) == 2:
        smallest = int(_clusters_per_level(frame, focal, cluster).min())
    draws, usable = _boot_usable(boot, n_boot, smallest)
    analytic = {"base": _cr2_coefficient(frame, outcome, [focal, *controls], focal, cluster),
                "full": _cr2_coefficient(frame, outcome, [focal, *controls, *mediators], focal,
                                         cluster)}
    methods = {"base": "CR2", "full": "CR2"}
    labels = _place_labels(frame, focal, controls) if cluster is not None else None
    if (smallest is not None and smallest < MIN_CLUSTERS and labels is not None
            and _school_level(frame, focal, cluster)):
        _, low, high = _randomization(frame, outcome, labels, cluster, "reference", "focal")
        analytic["base"] = (analytic["base"][0], analytic["base"][1], -high, -low)
        methods["base"] = "randomization"
    base_clear = analytic["base"][2] > 0 or analytic["base"][3] < 0
    rows = []
    for i, term in enumerate(terms):
        if term in analytic:
            _, se, low, high = analytic[term]
            method = methods[term]
        else:
            se, low, high = _interval(boot[:, i], usable) if n_boot else (np.nan,) * 3
            method = "bootstrap"
        share_low, share_high = (np.nan, np.nan)
        if term not in analytic and n_boot and base_clear:
            with np.errstate(divide="ignore", invalid="ignore"):
                share_low, share_high = _percentile(boot[:, i] / boot[:, 0], usable)
        rows.append({"term": term, "estimate": estimate[i],
                     "share": estimate[i] / estimate[0] if estimate[0] else np.nan,
                     "se": se, "ci_low": low, "ci_high": high, "share_low": share_low,
                     "share_high": share_high, "method": method, "draws": draws})
    return pd.DataFrame(rows)


def oaxaca(data: pd.DataFrame | GroupedStats, outcome: str, group: str, predictors: list[str], *,
           cluster: str | None = None, n_boot: int = 499, seed: int = 0) -> pd.DataFrame:
    """Oaxaca–Blinder two-fold decomposition of a mean gap: the explained part detailed per
    predictor, the unexplained part as a total.

    Parameters
    ----------
    data : DataFrame
    outcome : str
    group : str
        A 0/1 column: the gap is mean(outcome | group = 0) − mean(outcome | group = 1), e.g.
        ``rural`` on urban and rural students (urban − rural).
    predictors : list of str
    cluster : str, optional
        Clusters (normally ``school_code``): the gap's CR2 errors and the bootstrap, which
        draws clusters with replacement within each group.
    n_boot, seed : bootstrap replications and seed.

    Returns
    -------
    DataFrame
        Rows (``part``, ``term``): (``explained``, each predictor), (``explained``, ``all``),
        (``unexplained``, ``all``) and (``gap``, ``all``). Columns ``estimate``, ``share`` (of
        the gap), ``se``, ``ci_low``, ``ci_high`` (the gap: CR2 with Bell–McCaffrey degrees of
        freedom; the parts: cluster-bootstrap SE and percentile 95% interval),
        ``share_low``, ``share_high`` (percentile interval of the bootstrap ratio part / gap,
        given only when the gap's interval excludes 0), ``method`` and ``draws`` (identified
        bootstrap draws used; intervals are refused below 80% or with fewer than
        :data:`eduqa.models.cluster.MIN_CLUSTERS` schools in a group).

    Notes
    -----
    The reference coefficients β* come from the pooled regression of both groups that also
    includes the group indicator (its coefficient is left out), as statsmodels'
    ``OaxacaBlinder(...).two_fold(two_fold_type="pooled")``; the totals equal statsmodels'.
    With group means x̄₀, x̄₁ and group coefficients β₀, β₁:
    explained_k = (x̄₀k − x̄₁k) β*_k and unexplained = x̄₀ (β₀ − β*) + x̄₁ (β* − β₁) summed over
    the intercept and all predictors; the parts add up to the gap.

    The unexplained part is shown only as a total. Its per-predictor pieces are not
    identified: shifting a predictor by a constant (measuring school size in hundreds instead
    of units, or centring it) moves unexplained weight between that predictor and the
    intercept and changes each piece, while the total and every explained piece stay the same
    (Oaxaca & Ransom 1999). "Explained" means associated with differences in the predictors,
    not caused by them.

    References
    ----------
    Oaxaca, R. (1973). *International Economic Review* 14(3), 693–709. Blinder, A. S. (1973).
    *Journal of Human Resources* 8(4), 436–455. Neumark, D. (1988). *Journal of Human Resources*
    23(3), 279–295 (the pooled reference). Jann, B. (2008). The Blinder–Oaxaca decomposition
    for linear regression models. *The Stata Journal* 8(4), 453–479.

    Examples
    --------
    The same 30 schools as :func:`gelbach`: explained + unexplained = the gap:

    >>> rng = np.random.default_rng(0)
    >>> rural = np.repeat([0, 1], 15)
    >>> shortage = 0.05 + 0.15 * rural + rng.normal(0, 0.05, 30)
    >>> size = rng.integers(20, 40, 30)
    >>> school = np.repeat(np.arange(30), size)
    >>> frame = pd.DataFrame({"school": school, "rural": rural[school],
    ...                       "shortage": shortage[school]})
    >>> frame["z"] = (-0.2 * frame.rural - 2.0 * frame.shortage
    ...               + rng.normal(0, 0.3, 30)[school] + rng.normal(0, 0.9, len(frame)))
    >>> table = oaxaca(frame, "z", "rural", ["shortage"], cluster="school", n_boot=99)
    >>> table.set_index(["part", "term"])["estimate"].round(3).to_dict()
    {('explained', 'shortage'): 0.425, ('explained', 'all'): 0.425, ('unexplained', 'all'): 0.161, ('gap', 'all'): 0.586}
    """
    frame: Any = _complete(data, [outcome, group, *predictors])  # (rows or statistics)
    stats = isinstance(frame, GroupedStats)
    if stats and frame.is_student(group):
        raise EduqaError.of("model.oaxaca_school_level", group=group)
    constant = [p for p in predictors
                if not frame.nunique_at_least_two(p, group)] if stats else [
        p for p in predictors if frame.groupby(group)[p].nunique().min() < 2]
    if constant:
        raise EduqaError.of("model.oaxaca_constant", constant=list(constant))
    rows = frame.table if stats else frame
    values = set(rows[group].unique())
    if not values <= {0, 1}:
        raise EduqaError.of("model.oaxaca_binary", group=group, values=str(sorted(values)[:5]))
    indicator = rows[group].astype(float)
    columns = [*predictors, outcome]
    zero, one = (_Moments.of(frame.select(indicator == value) if stats
                             else frame[indicator == value], columns, cluster)
                 for value in (0, 1))
    x = zero.index(["Intercept", *predictors])
    y = zero.index([outcome])[0]
    k = len(x)

    def compute(m0: np.ndarray, m1: np.ndarray) -> np.ndarray:
        n0, n1 = m0[0, 0], m1[0, 0]
        mean0, mean1 = m0[0, x] / n0, m1[0, x] / n1
        beta0, beta1 = _solve(m0, x, y), _solve(m1, x, y)
        # pooled model with the group indicator: build its moments from the two groups
        pooled = np.zeros((k + 2, k + 2))
        pooled[:k, :k] = m0[np.ix_(x, x)] + m1[np.ix_(x, x)]
        pooled[:k, k] = pooled[k, :k] = m1[0, x]  # Σ x·indicator
        pooled[k, k] = n1
        pooled[:k, k + 1] = pooled[k + 1, :k] = m0[x, y] + m1[x, y]
        pooled[k, k + 1] = pooled[k + 1, k] = m1[0, y]
        star = _solve(pooled, list(range(k + 1)), k + 1)[:k]
        explained = (mean0 - mean1) * star
        unexplained = mean0 @ (beta0 - star) + mean1 @ (star - beta1)
        gap = m0[0, y] / n0 - m1[0, y] / n1
        return np.r_[explained[1:], explained.sum(), unexplained, gap]

    estimate = compute(zero.total(), one.total())
    replicates = []
    if n_boot:
        draws0 = zero.draws(n_boot, seed)
        draws1 = one.draws(n_boot, seed + 1)
        replicates = [_or_nan(compute, zero.total(w0), len(estimate), one.total(w1))
                      for w0, w1 in zip(draws0, draws1)]
    boot = np.array(replicates) if replicates else np.empty((0, len(estimate)))
    smallest = None if cluster is None else min(len(zero.labels), len(one.labels))
    draws, usable = _boot_usable(boot, n_boot, smallest)
    labels = ([("explained", n) for n in predictors] + [("explained", "all"),
                                                         ("unexplained", "all"), ("gap", "all")])
    # the gap is a difference in means: minus the group coefficient of outcome ~ 1 + group;
    # with very few schools in a group, randomization inference instead of a t interval
    _, g_se, g_low, g_high = _cr2_coefficient(frame.assign(**{group: indicator}), outcome,
                                              [group], group, cluster)
    gap_method = "CR2"
    school_level = cluster is not None and _school_level(frame, group, cluster)
    if smallest is not None and smallest < MIN_CLUSTERS and school_level:
        _, low, high = _randomization(frame, outcome, indicator.map({0.0: "zero", 1.0: "one"}),
                                      cluster, "zero", "one")
        g_low, g_high, gap_method = -high, -low, "randomization"
    gap = estimate[-1]
    gap_clear = -g_high > 0 or -g_low < 0
    rows = []
    for i, (part, term) in enumerate(labels):
        if part == "gap":
            se, low, high, method = g_se, -g_high, -g_low, gap_method
        else:
            se, low, high = _interval(boot[:, i], usable) if n_boot else (np.nan,) * 3
            method = "bootstrap"
        share_low, share_high = (np.nan, np.nan)
        if part != "gap" and n_boot and gap_clear:
            with np.errstate(divide="ignore", invalid="ignore"):
                share_low, share_high = _percentile(boot[:, i] / boot[:, -1], usable)
        rows.append({"part": part, "term": term, "estimate": estimate[i],
                     "share": estimate[i] / gap if gap else np.nan, "se": se, "ci_low": low,
                     "ci_high": high, "share_low": share_low, "share_high": share_high,
                     "method": method, "draws": draws})
    return pd.DataFrame(rows)


def shapley_r2(data: pd.DataFrame, outcome: str, factors: dict[str, list[str]]) -> pd.DataFrame:
    """Shapley (dominance) decomposition of R² across named groups of predictors.

    Parameters
    ----------
    data : DataFrame
        Normally one row per school (school means and school-level predictors).
    outcome : str
    factors : dict
        Factor name -> its columns, e.g. ``{"乡村": ["town", "rural"], "缺编": ["shortage_rate"]}``.

    Returns
    -------
    DataFrame
        ``factor``, ``r2_share`` (its Shapley value: the average gain in R² from adding it, over
        all orders of adding the factors) and ``percent`` (of the full model's R²). The shares
        add up to the R² of the model with every factor (shown as the row ``all``, which also
        carries ``rsquared_adj`` = 1 − (1 − R²)(n − 1)/(n − p − 1) and ``n_schools`` = n: with 14
        schools and 5 terms an R² of 0.74 is an adjusted 0.57).

    Notes
    -----
    φ_g = Σ_{S ⊆ F \\ {g}} |S|! (p − |S| − 1)! / p! · (R²(S ∪ {g}) − R²(S)), from 2^p OLS fits
    on one moment matrix.

    References
    ----------
    Budescu, D. V. (1993). Dominance analysis. *Psychological Bulletin* 114(3), 542–551.
    Grömping, U. (2006). Relative importance for linear regression in R: the package relaimpo.
    *Journal of Statistical Software* 17(1).

    Examples
    --------
    The shares of the factor groups add up to the model's R²:

    >>> rng = np.random.default_rng(0)
    >>> rural = np.repeat([0, 1], 15)
    >>> shortage = 0.05 + 0.15 * rural + rng.normal(0, 0.05, 30)
    >>> size = rng.integers(20, 40, 30)
    >>> school = np.repeat(np.arange(30), size)
    >>> frame = pd.DataFrame({"school": school, "rural": rural[school],
    ...                       "shortage": shortage[school]})
    >>> frame["z"] = (-0.2 * frame.rural - 2.0 * frame.shortage
    ...               + rng.normal(0, 0.3, 30)[school] + rng.normal(0, 0.9, len(frame)))
    >>> frame["size"] = np.log(size[school])
    >>> table = shapley_r2(frame.groupby("school").mean(), "z",
    ...                    {"place": ["rural"], "staffing": ["shortage"], "size": ["size"]})
    >>> shares = table.set_index("factor")["r2_share"]
    >>> round(float(shares["all"]), 3), round(float(shares.drop("all").sum() - shares["all"]), 12)
    (0.423, 0.0)
    """
    from itertools import combinations
    from math import factorial

    columns = [c for cols in factors.values() for c in cols]
    moments = _Moments.of(data, [*columns, outcome], None)
    m = moments.total()
    y = moments.index([outcome])[0]
    n = m[0, 0]
    tss = m[y, y] - m[0, y] ** 2 / n
    names = list(factors)
    p = len(names)

    def r2(subset: tuple[str, ...]) -> float:
        if not subset:
            return 0.0
        x = moments.index(["Intercept", *[c for g in subset for c in factors[g]]])
        beta = _solve(m, x, y)
        rss = m[y, y] - beta @ m[x, y]
        return float(1 - rss / tss)

    cache = {subset: r2(subset) for size in range(p + 1)
             for subset in combinations(names, size)}
    rows = []
    for g in names:
        others = [h for h in names if h != g]
        value = 0.0
        for size in range(p):
            weight = factorial(size) * factorial(p - size - 1) / factorial(p)
            for subset in combinations(others, size):
                with_g = tuple(h for h in names if h in subset or h == g)
                value += weight * (cache[with_g] - cache[subset])
        rows.append({"factor": g, "r2_share": value})
    total = cache[tuple(names)]
    terms = len(columns)
    adjusted = 1 - (1 - total) * (n - 1) / (n - terms - 1) if n > terms + 1 else np.nan
    out = pd.DataFrame(rows + [{"factor": "all", "r2_share": total, "rsquared_adj": adjusted,
                                "n_schools": int(n)}])
    out["percent"] = out["r2_share"] / total if total else np.nan
    return out


# ---------------------------------------------------------------------------------------------
# the season's model sequence M0-M3
