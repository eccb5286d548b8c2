"""Nested random intercepts at any number of levels (e.g. schools, teachers within a school,
classes of a teacher), by REML or ML from per-class sufficient statistics, with each unit's
empirical-Bayes effect and its prediction-error variance — or, for a level whose variance is
estimated at 0, the unit's fixed-effect contrast with its parent (docs/METHODS.md §E).

y = x'β + Σ_l u_l(unit of the pupil at level l) + e, u_l ~ N(0, τ_l²), e ~ N(0, σ²).

The teacher view fits schools → teachers → classes: a teacher's classes share the teacher's
effect, so its interval carries their joint uncertainty (a teacher's classes are not treated as
independent pieces of evidence about the teacher, nor as independent of each other).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from eduqa.errors import EduqaError

from .grouped import GroupedStats
from .linear import collinear_gram

__all__ = ["LevelsResult", "nested_levels"]

_Z95 = 1.959963984540054
PRIOR = 1.0
#: The bases of a unit's figure: the model's empirical-Bayes prediction; the fixed-effect
#: contrast with its parent (the level's variance is estimated at 0); none (neither exists:
#: the variance is 0 and the unit is its parent's only one).
BASES = ("shrunken", "contrast", "no_comparison")


@dataclass
class LevelsResult:
    """A fitted nested random-intercept model.

    ``levels``: the level columns, outermost first; ``variances``: τ_l² by level;
    ``resid_var``: σ²; ``effects``: by level, one row per unit (the level's columns and those
    above it), ``n`` (pupils), ``effect``, ``se``, ``ci_low``, ``ci_high``, ``basis`` (see
    :data:`BASES`) and ``flag`` (``above`` / ``below`` only when the 95% interval excludes 0,
    ``as_expected``, or ``not_estimable``)."""

    params: pd.Series
    bse: pd.Series
    levels: tuple[str, ...]
    variances: dict[str, float]
    resid_var: float
    llf: float
    nobs: int
    reml: bool
    formula: str
    effects: dict[str, pd.DataFrame]

    @property
    def at_zero(self) -> list[str]:
        """The levels whose variance is estimated at 0 (their units carry contrasts)."""
        return [level for level in self.levels if not self.variances[level] > 0]


class _Tree:
    """The per-class statistics of a model and, for each level, each class's unit there."""

    def __init__(self, n: np.ndarray, sums: np.ndarray, ztz: np.ndarray,
                 units: list[np.ndarray]):
        self.n, self.sums, self.ztz, self.units = n, sums, ztz, units
        self.k = sums.shape[1] - 1
        self.counts = [int(u.max()) + 1 for u in units]
        # each unit's parent (the unit one level up holding its classes)
        self.parents = [np.zeros(self.counts[0], dtype=np.int64)]
        for level in range(1, len(units)):
            parent = np.zeros(self.counts[level], dtype=np.int64)
            parent[units[level]] = units[level - 1]
            self.parents.append(parent)

    def upward(self, rho: np.ndarray) -> tuple[list[np.ndarray], ...]:
        """The bottom-up pass at ratios ρ_l = τ_l²/σ² (outermost first): for each level's
        units, the children's sums Ñ (of 1'V*⁻¹1) and T̃ (of Z'V*⁻¹1) — the pupils themselves
        below the innermost level — and d = 1 + ρÑ, N = Ñ/d, T = T̃/d: a unit's block is its
        children's plus ρ 11', inverted by Sherman–Morrison."""
        depth = len(self.units)
        empty: np.ndarray = np.empty(0)
        n_tilde, t_tilde, d, n_own, t_own = (list[np.ndarray]([empty] * depth)
                                             for _ in range(5))
        for level in range(depth - 1, -1, -1):
            if level == depth - 1:
                index, n_in, t_in = self.units[level], self.n, self.sums
            else:
                index, n_in, t_in = self.parents[level + 1], n_own[level + 1], t_own[level + 1]
            n_tilde[level] = np.bincount(index, weights=n_in, minlength=self.counts[level])
            grouped = np.zeros((self.counts[level], self.sums.shape[1]))
            np.add.at(grouped, index, t_in)
            t_tilde[level] = grouped
            d[level] = 1.0 + rho[level] * n_tilde[level]
            n_own[level] = n_tilde[level] / d[level]
            t_own[level] = t_tilde[level] / d[level][:, None]
        return n_tilde, t_tilde, d, n_own, t_own

    def moments(self, rho: np.ndarray) -> tuple[np.ndarray, float]:
        """Z'V*⁻¹Z and log|V*| for V* = V/σ² (:meth:`upward`): Z'Z − Σ_units (ρ/d) T̃T̃' and
        Σ_units log d."""
        _, t_tilde, d, _, _ = self.upward(rho)
        m = self.ztz.copy()
        for level in range(len(self.units)):
            m -= ((rho[level] / d[level])[:, None] * t_tilde[level]).T @ t_tilde[level]
        return m, float(sum(np.log(part).sum() for part in d))

    def objective(self, rho: np.ndarray, reml: bool) -> float:
        """−2 × the profiled (RE)ML log-likelihood, up to a constant."""
        m, logdet = self.moments(rho)
        return profiled_deviance(m, logdet, self.n.sum(), self.k, reml)


def nested_levels(data: GroupedStats, formula: str, levels: Sequence[str], *,
                  reml: bool = True) -> LevelsResult:
    """Fit nested random intercepts at ``levels`` (outermost first) by REML (or ML).

    Parameters
    ----------
    data : GroupedStats
        Per-class statistics: each group lies inside one unit of every level (its ``table``
        has the level columns, constant within the group).
    formula : str
        R-style fixed part, e.g. ``"z ~ 1"``.
    levels : list of str
        Columns of ``data.table``; a unit of level l is a distinct combination of the columns
        of levels 0..l (a teacher is within its school, a class within its teacher).

    Returns
    -------
    LevelsResult

    Notes
    -----
    The variance ratios are estimated on the scale θ_l = √(τ_l²/σ²) ≥ 0 (as lme4 does), so a
    variance can be estimated at 0; σ² is profiled out. Empirical-Bayes effects solve each
    school's part of Henderson's equations, (Z'Z + Λ⁻¹) b = Z'(y − Xβ̂), and the
    prediction-error variances are σ²(C⁻¹ + C⁻¹Z'X A⁻¹X'ZC⁻¹) with C = Z'Z + Λ⁻¹ and
    A = X'V*⁻¹X (the uncertainty of β̂ included).

    A level whose variance is estimated at 0 has no effects to predict (they would all be
    0 ± 0): its units carry instead the fixed-effect contrast with their parent, the mean
    residual of the unit minus that of its parent, with the variance of that difference under
    the fitted model (σ²(1/n_u − 1/n_p) plus the variance of the levels below it). A unit that
    is its parent's only one has no contrast: ``not_estimable``.

    Examples
    --------
    30 schools, 2 teachers of 2 classes each; teacher SD 0.3 planted:

    >>> rng = np.random.default_rng(1)
    >>> school, teacher, klass = np.arange(120) // 4, np.arange(120) // 2, np.arange(120)
    >>> means = rng.normal(0, 0.3, 30)[school] + rng.normal(0, 0.3, 60)[teacher]
    >>> rows = pd.DataFrame({"school_code": school.repeat(30), "teacher": teacher.repeat(30),
    ...                      "class": klass.repeat(30) % 4,
    ...                      "z": means.repeat(30) + rng.normal(0, 1, 3600)})
    >>> stats = GroupedStats.of(rows, ["school_code", "class"], ["z"], constant=["teacher"])
    >>> fit = nested_levels(stats, "z ~ 1", ["school_code", "teacher", "class"])
    >>> {k: round(v, 2) for k, v in fit.variances.items()}
    {'school_code': 0.06, 'teacher': 0.06, 'class': 0.0}
    >>> fit.effects["teacher"]["basis"].unique().tolist()
    ['shrunken']
    """
    from scipy import optimize

    levels = tuple(levels)
    missing = [c for c in levels if c not in data.table.columns]
    if missing or not levels:
        raise EduqaError.of("model.levels_no_column", missing=missing or ["-"])
    design, names, sums, _, ztz = data.model(formula)
    table = design.table.reset_index(drop=True)
    keyed = data.table.set_index(list(data.keys))[
        [c for c in levels if c not in data.keys]]
    table = table.join(keyed, on=list(data.keys)) if len(keyed.columns) else table
    units, labels = [], []
    for at in range(len(levels)):
        codes, uniques = pd.MultiIndex.from_frame(
            table[list(levels[:at + 1])].astype(str)).factorize(sort=True)
        units.append(codes.astype(np.int64))
        labels.append(uniques.to_frame(index=False, name=list(levels[:at + 1])))
    if labels[0].shape[0] < 2:
        raise EduqaError.of("model.nested_two_schools")
    tree = _Tree(design.n.astype(float), sums, ztz, units)
    nobs = int(tree.n.sum())
    aliased = collinear_gram(ztz[:-1, :-1].copy(), nobs, names)
    if aliased:
        raise EduqaError.of("model.nested_aliased", formula=formula, aliased=list(aliased))

    def objective(theta: np.ndarray) -> float:
        return tree.objective(np.asarray(theta) ** 2, reml)

    grid = np.array([0.0, 0.1, 0.3, 0.7, 1.5])
    starts = np.array(np.meshgrid(*[grid] * len(levels), indexing="ij")).reshape(
        len(levels), -1).T
    values = np.array([objective(s) for s in starts])
    best_x, best_f = None, np.inf
    for start in starts[np.argsort(values)[:3]]:
        found = optimize.minimize(objective, start, method="L-BFGS-B",
                                  bounds=[(0.0, 30.0)] * len(levels),
                                  options={"ftol": 1e-15, "gtol": 1e-10, "maxiter": 1000})
        if found.fun < best_f:
            best_x, best_f = found.x, float(found.fun)
    theta = np.asarray(best_x, float)
    # a ratio the optimiser left next to 0 is 0 when that fits at least as well
    for position in range(len(levels)):
        if 0 < theta[position] < 1e-4:
            edge = theta.copy()
            edge[position] = 0.0
            if objective(edge) <= objective(theta) + 1e-9:
                theta = edge
    rho = theta ** 2
    beta, a, a_inv, resid_var, logdet = _solved(tree, rho, reml)
    residual = sums[:, -1] - sums[:, :-1] @ beta  # per class: Σ (y − x'β̂)
    predicted, errors = _integrated(tree, rho, reml)
    frames = {}
    for at, level in enumerate(levels):
        n_unit = np.bincount(units[at], weights=tree.n, minlength=tree.counts[at])
        if rho[at] > 0:
            effect, var = predicted[at], errors[at]
            basis = np.full(tree.counts[at], "shrunken", dtype=object)
        else:
            effect, var, basis = _contrast(tree, rho, resid_var, residual, at)
        se = np.sqrt(np.maximum(var, 0))
        frame = labels[at].assign(n=n_unit.astype(int), effect=effect, se=se,
                                  ci_low=effect - _Z95 * se, ci_high=effect + _Z95 * se,
                                  basis=basis)
        frame["flag"] = np.where(frame["basis"] == "no_comparison", "not_estimable",
                                 np.where(frame["ci_low"] > 0, "above",
                                          np.where(frame["ci_high"] < 0, "below",
                                                   "as_expected")))
        frames[level] = frame
    llf = _loglik(nobs, tree.k, resid_var, logdet, a, reml)
    return LevelsResult(
        params=pd.Series(beta, index=names),
        bse=pd.Series(np.sqrt(np.diag(resid_var * a_inv)), index=names), levels=levels,
        variances={level: float(rho[at] * resid_var) for at, level in enumerate(levels)},
        resid_var=resid_var, llf=llf, nobs=nobs, reml=reml, formula=formula, effects=frames)


def _solved(tree: _Tree, rho: np.ndarray, reml: bool
            ) -> tuple[np.ndarray, np.ndarray, np.ndarray, float, float]:
    """At the ratios ρ: β̂, A = X'V*⁻¹X, A⁻¹, σ̂² and log|V*|."""
    m, logdet = tree.moments(rho)
    a, b, c = m[:-1, :-1], m[:-1, -1], m[-1, -1]
    a_inv = np.linalg.inv(a)
    beta = a_inv @ b
    rss = float(c - b @ beta)
    nobs = tree.n.sum()
    return beta, a, a_inv, rss / (nobs - tree.k if reml else nobs), logdet


def _predicted(tree: _Tree, rho: np.ndarray, reml: bool) -> tuple[list[np.ndarray],
                                                                  list[np.ndarray]]:
    """At the ratios ρ: each level's empirical-Bayes effects b_h = ρ_l 1_h'V*⁻¹(y − Xβ̂) and
    prediction-error variances σ²(ρ_l − ρ_l² 1_h'V*⁻¹1_h + g_h'A⁻¹g_h), g_h = ρ_l X'V*⁻¹1_h
    (the part from β̂), in closed form (0 for a level whose ratio is 0).

    Bottom-up, a unit's subtree gives Ñ = Σ children's N, T̃ = Σ children's T,
    d = 1 + ρÑ, N = Ñ/d, T = T̃/d (N = 1_h'V_h⁻¹1_h, T = Z'V_h⁻¹1_h on the subtree alone).
    Top-down, with κ_a = ρ_a/d_a and c_a = N_h / Π d of the ancestors strictly below a:
    Z'V*⁻¹1_h = T_h − Σ_a κ_a c_a T̃_a and 1_h'V*⁻¹1_h = N_h − Σ_a κ_a c_a²."""
    beta, _, a_inv, resid_var, _ = _solved(tree, rho, reml)
    depth = len(tree.units)
    _, t_tilde, d, n_own, t_own = tree.upward(rho)
    effects, variances = [], []
    direction = np.r_[-beta, 1.0]
    for level in range(depth):
        q, m = t_own[level].copy(), n_own[level].copy()
        c = n_own[level].copy()
        ancestor = np.arange(tree.counts[level])
        for up in range(level - 1, -1, -1):
            child = ancestor  # the unit of level up + 1 on the way to the top
            if up < level - 1:
                c = c / d[up + 1][child]
            ancestor = tree.parents[up + 1][child]
            kappa = rho[up] / d[up][ancestor]
            q -= (kappa * c)[:, None] * t_tilde[up][ancestor]
            m -= kappa * c ** 2
        g = rho[level] * q[:, :-1]
        effects.append(rho[level] * (q @ direction))
        variances.append(resid_var * (rho[level] - rho[level] ** 2 * m
                                      + np.einsum("ui,ij,uj->u", g, a_inv, g)))
    return effects, variances


def _integrated(tree: _Tree, rho: np.ndarray, reml: bool
                ) -> tuple[list[np.ndarray], list[np.ndarray]]:
    """The effects and their error variances averaged over the uncertainty of the variance
    ratios: ∫ over log ρ (the levels whose ratio is positive) with weight ∝ the restricted
    likelihood × a flat prior on each τ (Gauss–Hermite nodes around the estimate, reweighted);
    effect = the weighted mean of the predictions, variance = the weighted mean of
    PEV + prediction² − effect². With the ratios known exactly this is the plug-in; with
    80 teachers' worth of information on a teacher SD it widens the intervals of the
    teachers whose prediction depends on it (a plug-in interval covers about 92% there)."""
    live = [at for at in range(len(rho)) if rho[at] > 0]
    if not live:
        return _predicted(tree, rho, reml)
    dim = len(live)
    centre = np.log(rho[live])

    def at(values: np.ndarray) -> np.ndarray:
        full = rho.copy()
        full[live] = np.exp(values)
        return full

    def deviance(values: np.ndarray) -> float:
        return tree.objective(at(values), reml)

    h = 1e-2
    hessian = np.empty((dim, dim))
    for i in range(dim):
        for j in range(i, dim):
            ei, ej = np.eye(dim)[i] * h, np.eye(dim)[j] * h
            hessian[i, j] = hessian[j, i] = (
                deviance(centre + ei + ej) - deviance(centre + ei - ej)
                - deviance(centre - ei + ej) + deviance(centre - ei - ej)) / (4 * h * h)
    values, vectors = np.linalg.eigh(hessian / 2.0)
    # a direction the data say little about: a broad spread (SD 2 on the log scale)
    values = np.where(np.isfinite(values) & (values > 0.25), values, 0.25)
    root = vectors / np.sqrt(values)  # x = centre + root @ z, z ~ N(0, I)
    nodes, weights = np.polynomial.hermite_e.hermegauss(7 if dim < 3 else 5)
    grid = np.array(np.meshgrid(*[nodes] * dim, indexing="ij")).reshape(dim, -1).T
    base = np.prod(np.array(np.meshgrid(*[weights] * dim, indexing="ij")).reshape(dim, -1),
                   axis=0)
    best = deviance(centre)
    logw, predictions, errors = [], [], []
    for z, w in zip(grid, base):
        x = centre + root @ z
        value = deviance(x)
        if not np.isfinite(value):
            continue
        effect, variance = _predicted(tree, at(x), reml)
        # the likelihood over the normal the nodes stand for, times the prior's Jacobian
        logw.append(np.log(w) + 0.5 * z @ z - 0.5 * (value - best) + PRIOR * np.sum(x))
        predictions.append(np.concatenate(effect))
        errors.append(np.concatenate(variance))
    logw_array = np.array(logw)
    weight = np.exp(logw_array - logw_array.max())
    weight /= weight.sum()
    b, pev = np.array(predictions), np.array(errors)
    mean = weight @ b
    variance = weight @ (pev + b ** 2) - mean ** 2
    out_effects, out_variances, start = [], [], 0
    for count in tree.counts:
        out_effects.append(mean[start:start + count])
        out_variances.append(np.maximum(variance[start:start + count], 0.0))
        start += count
    return out_effects, out_variances


def _contrast(tree: _Tree, rho: np.ndarray, resid_var: float, residual: np.ndarray,
              at: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """For the units of level ``at`` (variance 0): the mean residual of the unit minus its
    parent's (the whole county for the outermost level), and the variance of that difference
    under the fitted model: σ² Σ a_i² for the pupils' weights a_i = 1/n_u − 1/n_p (−1/n_p
    outside the unit), plus τ_l² Σ (Σ a_i over a unit of l)² for each level l below."""
    units = tree.units[at]
    count = tree.counts[at]
    parent_of_class = tree.units[at - 1] if at > 0 else np.zeros(len(tree.n), dtype=np.int64)
    n_unit = np.bincount(units, weights=tree.n, minlength=count)
    parents = int(parent_of_class.max()) + 1
    n_parent = np.bincount(parent_of_class, weights=tree.n, minlength=parents)
    r_unit = np.bincount(units, weights=residual, minlength=count)
    r_parent = np.bincount(parent_of_class, weights=residual, minlength=parents)
    parent = tree.parents[at] if at > 0 else np.zeros(count, dtype=np.int64)
    effect = r_unit / n_unit - r_parent[parent] / n_parent[parent]
    variance = resid_var * (1.0 / n_unit - 1.0 / n_parent[parent])
    for below in range(at + 1, len(tree.units)):
        if not rho[below] > 0:
            continue
        # Σ a_i over each unit l below, for each unit u of this level as the contrast's own
        sub = tree.units[below]
        n_sub = np.bincount(sub, weights=tree.n, minlength=tree.counts[below])
        sub_unit = np.zeros(tree.counts[below], dtype=np.int64)
        sub_unit[sub] = units
        sub_parent = np.zeros(tree.counts[below], dtype=np.int64)
        sub_parent[sub] = parent_of_class
        # inside u: n_l (1/n_u − 1/n_p); elsewhere in p: −n_l / n_p
        inside = np.bincount(sub_unit, weights=(n_sub / n_unit[sub_unit]
                                                 - n_sub / n_parent[sub_parent]) ** 2,
                             minlength=count)
        rest_all = np.bincount(sub_parent, weights=(n_sub / n_parent[sub_parent]) ** 2,
                               minlength=parents)
        rest_own = np.bincount(sub_unit, weights=(n_sub / n_parent[sub_parent]) ** 2,
                               minlength=count)
        variance = variance + rho[below] * resid_var * (inside + rest_all[parent] - rest_own)
    alone = np.bincount(parent, minlength=parents)[parent] < 2
    basis = np.where(alone, "no_comparison", "contrast").astype(object)
    effect = np.where(alone, np.nan, effect)
    variance = np.where(alone, np.nan, variance)
    return effect, variance, basis


def profiled_deviance(m: np.ndarray, logdet: float, nobs: float, k: int, reml: bool) -> float:
    """−2 × the (RE)ML log-likelihood with σ² profiled out, up to a constant, from
    M = Z'V*⁻¹Z (Z = [X | y]) and log|V*| (V* = V/σ²); infinite where it is not defined."""
    a, b, c = m[:-1, :-1], m[:-1, -1], m[-1, -1]
    try:
        beta = np.linalg.solve(a, b)
    except np.linalg.LinAlgError:
        return np.inf
    rss = c - b @ beta
    if not rss > 0:
        return np.inf
    if reml:
        logdet_a = np.linalg.slogdet(a)[1]
        return float((nobs - k) * np.log(rss / (nobs - k)) + logdet + logdet_a)
    return float(nobs * np.log(rss / nobs) + logdet)


def _loglik(nobs: int, k: int, resid_var: float, logdet: float, a: np.ndarray,
            reml: bool) -> float:
    """The (RE)ML log-likelihood with its constants (as MixedLM and lme4 report it), at the
    profiled σ²: V = σ² V*, X'V⁻¹X = A / σ²."""
    if reml:
        df = nobs - k
        logdet_a = np.linalg.slogdet(a)[1]
        return float(-0.5 * (df * np.log(2 * np.pi * resid_var) + logdet + logdet_a + df))
    return float(-0.5 * (nobs * np.log(2 * np.pi * resid_var) + logdet + nobs))
