"""The three-level random-intercept model (students in classes in schools), by REML or ML from
per-class sufficient statistics.

y_ics = x'β + u_s + v_cs + e_ics, u ~ N(0, τ_s²), v ~ N(0, τ_c²), e ~ N(0, σ²) (docs/METHODS.md §E).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from eduqa.errors import EduqaError

from .grouped import GroupedStats
from .hierarchy import _contrast, _loglik, _Tree, profiled_deviance
from .linear import collinear_gram, design_matrix

__all__ = ["NestedResult", "nested_random_intercept"]

_Z95 = 1.959963984540054


@dataclass
class NestedResult:
    """A fitted three-level random-intercept model.

    ``params``, ``bse``: fixed effects and their standard errors (σ² (X'V⁻¹X)⁻¹, as MixedLM
    reports them); ``school_var`` (τ_s²), ``class_var`` (τ_c²), ``resid_var`` (σ²);
    ``school_effects`` and ``class_effects``: empirical-Bayes effects (``school_code`` /
    ``school_code, class``, ``effect``, ``se``, ``ci_low``, ``ci_high``, ``n``, ``basis``,
    ``flag``); at a level whose variance is estimated at 0, each unit's fixed-effect contrast
    with its parent instead (``basis`` ``contrast``, as :func:`eduqa.models.hierarchy.nested_levels`)."""

    params: pd.Series
    bse: pd.Series
    school_var: float
    class_var: float
    resid_var: float
    llf: float
    nobs: int
    nschools: int
    nclasses: int
    reml: bool
    school_effects: pd.DataFrame
    class_effects: pd.DataFrame
    formula: str

    @property
    def shares(self) -> pd.Series:
        """Shares of the total variance between schools, between classes within a school, and
        within classes (they sum to 1)."""
        total = self.school_var + self.class_var + self.resid_var
        return pd.Series({"school": self.school_var / total, "class": self.class_var / total,
                          "residual": self.resid_var / total})


class _ClassStats:
    """Per class: size n_c and the column sums s_c = [X_c'1, y_c'1]; the school of each class;
    Z'Z overall (Z = [X | y])."""

    def __init__(self, n: np.ndarray, sums: np.ndarray, school_of: np.ndarray, n_schools: int,
                 ztz: np.ndarray):
        self.n = n
        self.sums = sums
        self.school_of = school_of
        self.n_schools = n_schools
        self.ztz = ztz
        self.k = sums.shape[1] - 1

    @classmethod
    def of_rows(cls, z: np.ndarray, school_codes: np.ndarray, class_codes: np.ndarray,
                n_schools: int) -> _ClassStats:
        """The statistics of the rows z = [X | y], each of the class ``class_codes``."""
        n_classes = int(class_codes.max()) + 1
        sums = np.zeros((n_classes, z.shape[1]))
        np.add.at(sums, class_codes, z)
        school_of = np.zeros(n_classes, dtype=np.int64)
        school_of[class_codes] = school_codes
        return cls(np.bincount(class_codes, minlength=n_classes).astype(float), sums,
                   school_of, n_schools, z.T @ z)

    @classmethod
    def of_grouped(cls, data: GroupedStats, formula: str, school: str
                   ) -> tuple[_ClassStats, list[str], np.ndarray, pd.DataFrame]:
        """The statistics of a model from per-class statistics (grouped by school and
        class), the names of X's columns, the school labels and the classes' keys."""
        design, names, sums, _, ztz = data.model(formula)
        school_codes, school_labels = pd.factorize(design.table[school].to_numpy(), sort=True)
        return (cls(design.n, sums, school_codes.astype(np.int64), len(school_labels), ztz),
                names, np.asarray(school_labels), design.table[list(design.keys)])

    def moments(self, rho_c: float, rho_s: float) -> tuple[np.ndarray, Any, np.ndarray,
                                                           np.ndarray, np.ndarray, np.ndarray]:
        """Z'V*⁻¹Z and log|V*| for V* = V/σ², ratios ρ_c = τ_c²/σ², ρ_s = τ_s²/σ²."""
        w = 1.0 / (1.0 + self.n * rho_c)  # 1'A⁻¹1 per class = n_c w_c
        gamma = rho_c * w
        school_w = np.bincount(self.school_of, weights=self.n * w, minlength=self.n_schools)
        t = np.zeros((self.n_schools, self.sums.shape[1]))
        np.add.at(t, self.school_of, w[:, None] * self.sums)
        kappa = rho_s / (1.0 + rho_s * school_w)
        m = (self.ztz - (gamma[:, None] * self.sums).T @ self.sums
             - (kappa[:, None] * t).T @ t)
        logdet = np.log1p(self.n * rho_c).sum() + np.log1p(rho_s * school_w).sum()
        return m, logdet, w, school_w, t, kappa

    def gradient(self, rho_c: float, rho_s: float, reml: bool) -> np.ndarray:
        """The derivatives of :meth:`objective` with respect to log ρ_c and log ρ_s, exact to
        rounding (their zero pins the ratios down to the last digits, where the objective,
        flat at its minimum, pins them only to about the square root of the rounding).

        With g_c = Z'V*⁻¹1_c = w_c (s_c − κ_s n_c t_s) and h_s = Z'V*⁻¹1_s =
        t_s / (1 + ρ_s W_s): ∂M/∂ρ_c = −Σ_c g_c g_c', ∂M/∂ρ_s = −Σ_s h_s h_s',
        ∂log|V*|/∂ρ_c = Σ_c 1_c'V*⁻¹1_c = Σ_c (n_c w_c − κ_s (n_c w_c)²),
        ∂log|V*|/∂ρ_s = Σ_s W_s / (1 + ρ_s W_s); RSS = e'Me with e = [−β, 1] (β minimises it,
        so only M's dependence counts) and ∂log|A| = tr(A⁻¹ ∂A)."""
        m, _, w, school_w, t, kappa = self.moments(rho_c, rho_s)
        a, b, c = m[:-1, :-1], m[:-1, -1], m[-1, -1]
        beta = np.linalg.solve(a, b)
        rss = float(c - b @ beta)
        e = np.r_[-beta, 1.0]
        nw = self.n * w
        g = w[:, None] * (self.sums - (kappa[self.school_of] * self.n)[:, None]
                          * t[self.school_of])
        h = t / (1.0 + rho_s * school_w)[:, None]
        nobs = self.n.sum()
        out = np.empty(2)
        for at, (vectors, d_logdet, rho) in enumerate((
                (g, float(np.sum(nw - kappa[self.school_of] * nw**2)), rho_c),
                (h, float(np.sum(school_w / (1.0 + rho_s * school_w))), rho_s))):
            d_rss = -float(np.sum((vectors @ e) ** 2))
            if reml:
                x = vectors[:, :-1]
                d_logdet_a = -float(np.einsum("gi,gi->", x, np.linalg.solve(a, x.T).T))
                value = (nobs - self.k) * d_rss / rss + d_logdet + d_logdet_a
            else:
                value = nobs * d_rss / rss + d_logdet
            out[at] = rho * value
        return out

    def objective(self, rho_c: float, rho_s: float, reml: bool) -> float:
        """−2 × the profiled (RE)ML log-likelihood, up to a constant."""
        m, logdet, *_ = self.moments(rho_c, rho_s)
        return profiled_deviance(m, logdet, self.n.sum(), self.k, reml)



def nested_random_intercept(data: pd.DataFrame | GroupedStats, formula: str, school: str = "school_code",
                            klass: str = "class", *, reml: bool = True) -> NestedResult:
    """Fit the three-level random-intercept model by REML (or ML).

    Parameters
    ----------
    data : DataFrame or GroupedStats
        One row per student; rows missing a variable of the formula, the school or the class
        are left out. Or the same rows as per-class statistics
        (:class:`~eduqa.models.grouped.GroupedStats` grouped by ``school`` and ``klass``).
    formula : str
        R-style fixed part, e.g. ``"z ~ rural + shortage_rate"``.
    school, klass : str
        Columns of the school and of the class (a class is its label within its school).
    reml : bool
        REML (default) or ML.

    Returns
    -------
    NestedResult

    Notes
    -----
    With ρ_c = τ_c²/σ², ρ_s = τ_s²/σ², w_c = 1/(1 + n_c ρ_c), W_s = Σ_c n_c w_c over the
    school's classes, t_s = Σ_c w_c s_c and κ_s = ρ_s/(1 + ρ_s W_s), the GLS moments are

        Z'V*⁻¹Z = Z'Z − Σ_c ρ_c w_c s_c s_c' − Σ_s κ_s t_s t_s',
        log|V*| = Σ_c log(1 + n_c ρ_c) + Σ_s log(1 + ρ_s W_s),

    so a likelihood evaluation costs O(classes · k²). σ² is profiled out; the two ratios are
    found by a grid over log ρ then L-BFGS-B, the boundaries ρ_c = 0 and ρ_s = 0 checked too.
    Empirical-Bayes effects, with R_c the class's residual sum: û_s = κ_s Σ_c w_c R_c and
    v̂_c = ρ_c w_c (R_c − n_c û_s) (times σ²/σ²: ratios), with prediction-error variances
    that include the uncertainty of β̂ (Henderson).

    References
    ----------
    Raudenbush, S. W. & Bryk, A. S. (2002). *Hierarchical Linear Models*, 2nd ed., ch. 8
    (three-level models). Patterson, H. D. & Thompson, R. (1971). *Biometrika* 58(3), 545–554.

    Examples
    --------
    30 schools of 3 classes of 25 pupils; school SD 0.4, class SD 0.25, pupil SD 0.8 planted:

    >>> rng = np.random.default_rng(0)
    >>> school, klass = np.repeat(np.arange(30), 75), np.repeat(np.arange(90), 25)
    >>> z = (rng.normal(0, 0.4, 30)[school] + rng.normal(0, 0.25, 90)[klass]
    ...      + rng.normal(0, 0.8, 2250))
    >>> frame = pd.DataFrame({"school_code": school, "class": klass % 3, "z": z})
    >>> fit = nested_random_intercept(frame, "z ~ 1")
    >>> fit.nschools, fit.nclasses, fit.nobs
    (30, 90, 2250)
    >>> round(fit.school_var, 2), round(fit.class_var, 2), round(fit.resid_var, 2)
    (0.11, 0.05, 0.64)
    """
    from scipy import optimize

    if isinstance(data, GroupedStats):
        if tuple(data.keys) != (school, klass):
            raise EduqaError.of("model.nested_grouped_by_other", by=data.group, school=school,
                                klass=klass)
        stats, names, school_labels, class_keys = _ClassStats.of_grouped(data, formula, school)
        class_keys = class_keys.reset_index(drop=True)
    else:
        for column in (school, klass):
            if column not in data.columns:
                raise EduqaError.of("model.nested_no_column", column=column)
        data = data.reset_index(drop=True)
        z, names, rows = design_matrix(data, formula, [school, klass])
        keys = data[[school, klass]] if rows is None else data[[school, klass]].iloc[rows]
        school_codes, school_labels = pd.factorize(keys[school], sort=True)
        pairs = pd.MultiIndex.from_arrays([keys[school].to_numpy(), keys[klass].to_numpy()])
        class_codes, class_labels = pairs.factorize(sort=True)
        stats = _ClassStats.of_rows(z, school_codes, class_codes, len(school_labels))
        class_keys = class_labels.to_frame(index=False, name=[school, klass])
        del z
    if len(school_labels) < 2:
        raise EduqaError.of("model.nested_two_schools")
    nobs = int(stats.n.sum())
    aliased = collinear_gram(stats.ztz[:-1, :-1].copy(), nobs, names)
    if aliased:
        raise EduqaError.of("model.nested_aliased", formula=formula, aliased=list(aliased))

    def objective(log_rho: np.ndarray) -> float:
        return stats.objective(float(np.exp(log_rho[0])), float(np.exp(log_rho[1])), reml)

    grid = np.arange(-12.0, 8.01, 1.0)
    values = np.array([[objective(np.array([c, s])) for s in grid] for c in grid])
    at = np.unravel_index(int(np.argmin(values)), values.shape)
    bounds = [(-25.0, 15.0), (-25.0, 15.0)]
    best = optimize.minimize(objective, np.array([grid[at[0]], grid[at[1]]]),
                             method="L-BFGS-B", bounds=bounds,
                             options={"ftol": 1e-15, "gtol": 1e-10, "maxiter": 500})
    # the minimiser stops where the flat objective stops changing (ratios right to ~1e-7);
    # the zero of the exact gradient, from there, pins them to the rounding
    point = _polished(stats, best.x, reml)
    candidates = [(float(best.fun), float(np.exp(best.x[0])), float(np.exp(best.x[1])))]
    if point is not None:
        candidates[0] = (objective(point), float(np.exp(point[0])), float(np.exp(point[1])))
    for fixed in ("class", "school"):  # a variance at its boundary: zero
        free = 1 if fixed == "class" else 0

        def on_edge(v: float, free: int = free) -> float:
            return stats.objective(*_ratios(v, free), reml)

        one = optimize.minimize_scalar(on_edge, bounds=(-25.0, 15.0), method="bounded",
                                       options={"xatol": 1e-10})
        at_edge = _edge_root(stats, float(one.x), free, reml)
        fun = on_edge(at_edge) if at_edge is not None else float(one.fun)
        candidates.append((fun, *_ratios(at_edge if at_edge is not None else float(one.x),
                                         free)))
    candidates.append((stats.objective(0.0, 0.0, reml), 0.0, 0.0))
    value, rho_c, rho_s = min(candidates, key=lambda c: c[0])

    m, logdet, w, school_w, t, kappa = stats.moments(rho_c, rho_s)
    a, b, c = m[:-1, :-1], m[:-1, -1], m[-1, -1]
    a_inv = np.linalg.inv(a)
    beta = a_inv @ b
    rss = float(c - b @ beta)
    resid_var = rss / (nobs - stats.k if reml else nobs)
    cov = resid_var * a_inv
    # empirical-Bayes effects from the class residual sums
    sx, sy = stats.sums[:, :-1], stats.sums[:, -1]
    residual_sum = sy - sx @ beta
    school_sum = np.bincount(stats.school_of, weights=w * residual_sum,
                             minlength=stats.n_schools)
    u = kappa * school_sum
    v = rho_c * w * (residual_sum - stats.n * u[stats.school_of])
    # prediction-error variances: conditional variance plus the part from β̂
    tx = t[:, :-1]
    u_grad = kappa[:, None] * tx
    u_var = resid_var * (kappa + np.einsum("si,ij,sj->s", u_grad, a_inv, u_grad))
    v_grad = rho_c * w[:, None] * (sx - stats.n[:, None] * u_grad[stats.school_of])
    n_w = stats.n * w
    v_cond = rho_c - rho_c ** 2 * (n_w - kappa[stats.school_of] * n_w ** 2)
    v_var = resid_var * (v_cond + np.einsum("ci,ij,cj->c", v_grad, a_inv, v_grad))
    school_n = np.bincount(stats.school_of, weights=stats.n, minlength=stats.n_schools)
    basis: dict[str, np.ndarray | str] = {"school": "shrunken", "class": "shrunken"}
    if not (rho_c > 0 and rho_s > 0):
        # a variance at 0: its effects would all be 0 ± 0; each unit's fixed-effect
        # contrast with its parent instead (eduqa.models.hierarchy)
        tree = _Tree(stats.n, stats.sums, stats.ztz,
                     [stats.school_of, np.arange(len(stats.n), dtype=np.int64)])
        ratios = np.array([rho_s, rho_c])
        for position, name in enumerate(("school", "class")):
            if not ratios[position] > 0:
                effect, variance, basis[name] = _contrast(tree, ratios, resid_var,
                                                          residual_sum, position)
                if name == "school":
                    u, u_var = effect, variance
                else:
                    v, v_var = effect, variance
    school_effects = _effects(pd.DataFrame({school: np.asarray(school_labels)}), u, u_var,
                              school_n, basis["school"])
    class_effects = _effects(class_keys, v, v_var, stats.n, basis["class"])
    return NestedResult(
        params=pd.Series(beta, index=names), bse=pd.Series(np.sqrt(np.diag(cov)), index=names),
        school_var=rho_s * resid_var, class_var=rho_c * resid_var, resid_var=resid_var,
        llf=_loglik(nobs, stats.k, resid_var, logdet, a, reml), nobs=nobs, nschools=len(school_labels),
        reml=reml, school_effects=school_effects, class_effects=class_effects, formula=formula,
        nclasses=len(class_keys))


def _ratios(log_ratio: float, free: int) -> tuple[float, float]:
    """(ρ_c, ρ_s) with the ``free`` one (0: class, 1: school) at exp(log_ratio), the other 0."""
    ratio = float(np.exp(log_ratio))
    return (ratio, 0.0) if free == 0 else (0.0, ratio)


def _polished(stats: _ClassStats, start: np.ndarray, reml: bool) -> np.ndarray | None:
    """The zero of the objective's gradient in (log ρ_c, log ρ_s) near ``start``, or None
    when there is none there (Powell's hybrid method)."""
    from scipy import optimize

    def gradient(v: np.ndarray) -> np.ndarray:
        try:
            return stats.gradient(float(np.exp(v[0])), float(np.exp(v[1])), reml)
        except np.linalg.LinAlgError:
            return np.full(2, np.nan)

    with np.errstate(all="ignore"):
        found = optimize.root(gradient, np.asarray(start, float), method="hybr",
                              options={"xtol": 1e-14})
    settled = found.success or bool(np.all(np.abs(found.fun) <= 1e-9 * stats.n.sum()))
    if (not settled or not np.isfinite(found.x).all()
            or np.abs(found.x - start).max() > 1.0 or np.abs(found.x).max() > 25):
        return None
    return found.x


def _edge_root(stats: _ClassStats, start: float, free: int, reml: bool) -> float | None:
    """On an edge (one ratio 0), the zero of the other's derivative near ``start`` (log
    scale), when it changes sign there; else None."""
    from scipy import optimize

    def slope(v: float) -> float:
        return float(stats.gradient(*_ratios(v, free), reml)[free])

    low, high = start - 0.5, start + 0.5
    try:
        if not slope(low) < 0 < slope(high):
            return None
        return float(optimize.brentq(slope, low, high, xtol=1e-14,
                                     rtol=4 * np.finfo(float).eps, maxiter=200))
    except (np.linalg.LinAlgError, ValueError):
        return None



def _effects(keys: pd.DataFrame, effect: np.ndarray, variance: np.ndarray,
             n: np.ndarray, basis: np.ndarray | str) -> pd.DataFrame:
    se = np.sqrt(np.maximum(variance, 0))
    frame = keys.assign(effect=effect, se=se, ci_low=effect - _Z95 * se,
                        ci_high=effect + _Z95 * se, n=n.astype(int), basis=basis)
    frame["flag"] = np.where(frame["basis"] == "no_comparison", "not_estimable",
                             np.where(frame["ci_low"] > 0, "above",
                                      np.where(frame["ci_high"] < 0, "below", "as_expected")))
    return frame
