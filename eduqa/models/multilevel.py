"""The two-level random-intercept model fitted by REML or ML from per-group sufficient statistics,
with Kenward–Roger inference and empirical-Bayes group effects (docs/METHODS.md §C)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from eduqa.errors import EduqaError

from .grouped import GroupedStats
from .linear import _GRAM_ROWS, collinear_columns, collinear_gram, design_matrix
from .tdist import t_quantile, t_two_sided_p

__all__ = ["RandomInterceptResult", "random_intercept"]


@dataclass
class _SufficientStats:
    """Everything the random-intercept likelihood needs, from one pass over the rows."""

    n: np.ndarray  # rows per group (G)
    sx: np.ndarray  # per-group column sums of X (G x k)
    sy: np.ndarray  # per-group sums of y (G)
    xtx: np.ndarray  # X'X (k x k)
    xty: np.ndarray  # X'y (k)
    yty: float
    labels: np.ndarray  # group labels (G)
    within: tuple  # (X'X, X'y, y'y) of the rows centred on their group means

    @classmethod
    def of(cls, y: np.ndarray, x: np.ndarray, codes: np.ndarray, labels: Any
           ) -> _SufficientStats:
        z = np.empty((len(y), x.shape[1] + 1), order="F")
        z[:, :-1] = x
        z[:, -1] = y
        return cls.of_matrix(z, codes, labels)

    @classmethod
    def of_matrix(cls, z: np.ndarray, codes: np.ndarray, labels: Any
                  ) -> _SufficientStats:
        """The statistics of z = [X | y] (Fortran order, the outcome last; centred on the group
        means in place). One pass of group sums — contiguous runs when the rows come sorted by
        group, as they usually do — and one cross-product of the centred rows; the raw
        cross-products follow from those as Z'Z = Zc'Zc + Σ_j s_j s_j'/n_j."""
        groups = len(labels)
        codes = np.asarray(codes)
        n = np.bincount(codes, minlength=groups).astype(float)
        ordered = len(codes) < 2 or bool(np.all(codes[1:] >= codes[:-1]))
        if ordered and (n > 0).all():
            starts = np.concatenate([[0], np.cumsum(n[:-1]).astype(np.intp)])
            sums = np.add.reduceat(z, starts, axis=0)
            counts = n.astype(np.intp)
            for column in range(z.shape[1]):
                z[:, column] -= np.repeat(sums[:, column] / n, counts)
        else:
            sums = np.empty((groups, z.shape[1]))
            for column in range(z.shape[1]):
                sums[:, column] = np.bincount(codes, weights=z[:, column], minlength=groups)
                z[:, column] -= np.take(sums[:, column] / n, codes)
        centred = z.T @ z
        between = (sums / n[:, None]).T @ sums
        raw = centred + between
        return cls(n=n, sx=np.ascontiguousarray(sums[:, :-1]), sy=np.ascontiguousarray(sums[:, -1]),
                   xtx=raw[:-1, :-1], xty=raw[:-1, -1], yty=float(raw[-1, -1]),
                   labels=np.asarray(labels),
                   within=(centred[:-1, :-1], centred[:-1, -1], float(centred[-1, -1])))

    @classmethod
    def of_grouped(cls, data: GroupedStats, formula: str
                   ) -> tuple[_SufficientStats, list[str], list[str]]:
        """The statistics of a model from per-group statistics (:class:`GroupedStats`), the
        names of X's columns and those that are exact combinations of others: the same
        numbers :meth:`of_matrix` sums from the rows."""
        design, names, sums, centred, raw = data.model(formula)
        return cls(n=design.n, sx=np.ascontiguousarray(sums[:, :-1]), sy=np.ascontiguousarray(sums[:, -1]),
                   xtx=raw[:-1, :-1], xty=raw[:-1, -1], yty=float(raw[-1, -1]),
                   labels=design.labels(),
                   within=(centred[:-1, :-1], centred[:-1, -1], float(centred[-1, -1]))), \
            names, design.collinear(names)

    def profiles(self, ratios: np.ndarray, reml: bool) -> np.ndarray:
        """:meth:`profile` at many λ at once (the search grid): one matrix product over the
        groups for all of them. Non-finite where A is singular."""
        k = self.sx.shape[1]
        v = 1.0 / (self.n[None, :] * (1.0 + ratios[:, None] * self.n[None, :]))
        xtx_w, xty_w, yty_w = self.within
        outer = (self.sx[:, :, None] * self.sx[:, None, :]).reshape(len(self.n), k * k)
        a = xtx_w[None, :, :] + (v @ outer).reshape(len(ratios), k, k)
        b = xty_w[None, :] + v @ (self.sx * self.sy[:, None])
        c = yty_w + v @ self.sy**2
        nobs = self.n.sum()
        with np.errstate(all="ignore"):
            sign, logdet_a = np.linalg.slogdet(a)
            usable = sign > 0
            beta = np.full((len(ratios), k), np.nan)
            if usable.any():
                beta[usable] = np.linalg.solve(a[usable], b[usable][:, :, None])[:, :, 0]
            rss = c - np.einsum("li,li->l", b, beta)
            logdet_v = np.log1p(ratios[:, None] * self.n[None, :]).sum(axis=1)
            if reml:
                dof = nobs - k
                value = logdet_v + dof * np.log(2 * np.pi * rss / dof) + logdet_a + dof
            else:
                value = logdet_v + nobs * np.log(2 * np.pi * rss / nobs) + nobs
        return np.where(usable & np.isfinite(value), value, np.inf)

    def solve(self, ratio: float
              ) -> tuple[np.ndarray, np.ndarray, np.ndarray, float, float]:
        """GLS pieces at variance ratio λ = τ²/σ²: (A, b, β, RSS, Σ log(1 + λ n_j)).

        A = X'X − Σ w_j s_xj s_xj' is computed as the within-group part plus
        Σ v_j s_xj s_xj' with v_j = 1/n_j − w_j = 1/(n_j (1 + λ n_j)): no cancellation when
        λ is large (an ICC near 1), where w_j → 1/n_j."""
        v = 1.0 / (self.n * (1.0 + ratio * self.n))
        xtx_w, xty_w, yty_w = self.within
        a = xtx_w + (self.sx * v[:, None]).T @ self.sx
        b = xty_w + self.sx.T @ (v * self.sy)
        c = yty_w + np.sum(v * self.sy**2)
        beta = np.linalg.solve(a, b)
        rss = float(c - b @ beta)
        return a, b, beta, rss, float(np.sum(np.log1p(ratio * self.n)))

    def kenward_roger(self, tau2: float, sigma2: float, phi: np.ndarray) -> np.ndarray:
        """Kenward–Roger (1997) adjusted covariance of the fixed effects at θ = (τ², σ²).

        Φ_A = Φ + 2 Φ [Σ_ij W_ij (Q_ij − P_i Φ P_j)] Φ, with Φ = (X'V⁻¹X)⁻¹,
        P_i = X'V⁻¹ V_i V⁻¹X, Q_ij = X'V⁻¹ V_i V⁻¹ V_j V⁻¹X, V_τ = J and V_σ = I in each group
        (the structure is linear in θ, so the second-derivative term is zero) and W the inverse
        of the expected REML information ½ tr(P V_i P V_j), P = V⁻¹ − V⁻¹XΦX'V⁻¹.

        Every matrix in a group is a I + b J; such forms multiply in closed form, so
        X'(a I + b J)X = a X'X + Σ_j b_j s_xj s_xj' and everything needs only the sufficient
        statistics — O(G k²) like the fit.
        """
        n = self.n
        one = np.ones_like(n)

        def times(f: tuple[Any, Any], g: tuple[Any, Any]) -> tuple[Any, Any]:  # (a1 I + b1 J)(a2 I + b2 J), J² = n J
            return (f[0] * g[0], f[0] * g[1] + f[1] * g[0] + f[1] * g[1] * n)

        def sandwich(f: tuple[Any, Any]) -> np.ndarray:  # X'(a I + b J)X over all groups (a is the same in every group)
            return f[0][0] * self.xtx + (self.sx * f[1][:, None]).T @ self.sx

        def trace(f: tuple[Any, Any]) -> float:
            return float(np.sum(n * (f[0] + f[1])))

        inverse = (one / sigma2, -(tau2 / (sigma2 + tau2 * n)) / sigma2)
        derivatives = [(0.0 * one, one), (one, 0.0 * one)]  # V_τ = J, V_σ = I
        middle = [times(times(inverse, d), inverse) for d in derivatives]  # V⁻¹ V_i V⁻¹
        p_mats = [sandwich(m) for m in middle]
        q_mats = [[sandwich(times(times(middle[i], d), inverse)) for d in derivatives]
                  for i in range(2)]
        info = np.empty((2, 2))
        for i in range(2):
            for j in range(2):
                info[i, j] = 0.5 * (trace(times(middle[i], derivatives[j]))
                                    - 2.0 * np.trace(phi @ q_mats[i][j])
                                    + np.trace(phi @ p_mats[i] @ phi @ p_mats[j]))
        weights: np.ndarray
        if tau2 <= 0:  # on the boundary τ² is not estimated: only σ² varies
            weights = np.zeros((2, 2))
            weights[1, 1] = 1.0 / info[1, 1]
        elif not (np.isfinite(info).all() and (np.diag(info) > 0).all()) or np.linalg.cond(
                info / np.sqrt(np.outer(np.diag(info), np.diag(info)))) > 1e8:
            return phi  # τ² and σ² not separately identified (e.g. one row per group)
        else:
            weights = np.linalg.inv(info)
        u = sum(weights[i, j] * (q_mats[i][j] - p_mats[i] @ phi @ p_mats[j])
                for i in range(2) for j in range(2))
        adjusted = phi + 2.0 * phi @ (0.5 * (u + u.T)) @ phi
        if not (np.isfinite(adjusted).all() and (np.diag(adjusted) > 0).all()):
            return phi  # the approximation broke down (a degenerate design): keep Φ
        return adjusted

    def slope(self, ratio: float, reml: bool) -> float:
        """d(−2 × profiled log-likelihood) / d log λ at λ: the profile's slope, exact to
        rounding (the profile itself is flat at its minimum, so its value pins λ down only to
        about the square root of the rounding; the zero of the slope pins it to the rounding).

        With v_j = 1/(n_j (1 + λ n_j)), v_j' = −1/(1 + λ n_j)²: d Σ log(1 + λ n_j) / dλ =
        Σ n_j/(1 + λ n_j); d RSS/dλ = Σ v_j' (s_yj − s_xj'β)² (β minimises the RSS, so only
        its explicit dependence on λ counts); d log|A|/dλ = Σ v_j' s_xj' A⁻¹ s_xj."""
        a, _, beta, rss, _ = self.solve(ratio)
        n = self.n
        dv = -1.0 / (1.0 + ratio * n) ** 2
        residual = self.sy - self.sx @ beta
        d_rss = float(np.sum(dv * residual**2))
        value = float(np.sum(n / (1.0 + ratio * n)))
        nobs = n.sum()
        if reml:
            dof = nobs - a.shape[0]
            quad = np.einsum("gi,gi->g", self.sx, np.linalg.solve(a, self.sx.T).T)
            value += dof * d_rss / rss + float(np.sum(dv * quad))
        else:
            value += nobs * d_rss / rss
        return ratio * value

    def profile(self, ratio: float, reml: bool) -> float:
        """−2 × profiled log-likelihood (REML or ML) at λ, as statsmodels MixedLM defines it."""
        a, _, _, rss, logdet_v = self.solve(ratio)
        nobs = self.n.sum()
        k = a.shape[0]
        if reml:
            dof = nobs - k
            logdet_a = np.linalg.slogdet(a)[1]
            return logdet_v + dof * np.log(2 * np.pi * rss / dof) + logdet_a + dof
        return logdet_v + nobs * np.log(2 * np.pi * rss / nobs) + nobs


@dataclass
class RandomInterceptResult:
    """A fitted random-intercept model y = Xβ + u_group + e, u ~ N(0, τ²), e ~ N(0, σ²).

    Attributes
    ----------
    params, bse : Series
        Fixed effects and their standard errors, by term.
    group_var, resid_var : float
        τ² (between groups) and σ² (within groups).
    icc : float
        τ² / (τ² + σ²), the share of variance between groups.
    llf : float
        Log-likelihood (REML or ML, as fitted), comparable with statsmodels MixedLM.
    nobs, ngroups : int
    reml : bool
    group_effects : DataFrame
        Empirical-Bayes (shrunken) group intercepts: ``group``, ``effect``, ``se`` (root of the
        prediction-error variance), ``ci_low``, ``ci_high`` (95%), ``n``, ``basis`` and
        ``flag``: ``above`` / ``below`` when the interval excludes zero, else
        ``as_expected``. When τ² is estimated at 0 the predictions would all be 0 ± 0: each
        group carries instead its fixed-effect contrast with the whole (its mean residual
        minus the overall mean residual, standard error σ√(1/n_g − 1/N)), ``basis``
        ``contrast`` (else ``shrunken``; ``no_comparison`` and ``not_estimable`` with a single group).
    """

    params: pd.Series
    bse: pd.Series
    group_var: float
    resid_var: float
    llf: float
    nobs: int
    ngroups: int
    reml: bool
    group_effects: pd.DataFrame
    cov_params: pd.DataFrame
    formula: str
    cov_params_kr: pd.DataFrame | None = None

    @property
    def bse_kr(self) -> pd.Series:
        """Kenward–Roger standard errors (REML fits): the model-based ones inflated for the
        uncertainty in the estimated variances; equal to ``bse`` for ML fits."""
        if self.cov_params_kr is None:
            return self.bse
        return pd.Series(np.sqrt(np.diag(self.cov_params_kr.to_numpy())), index=self.bse.index)

    @property
    def icc(self) -> float:
        return self.group_var / (self.group_var + self.resid_var)

    @property
    def df_inference(self) -> float:
        """Degrees of freedom of the t intervals: groups − fixed effects (at least 1)."""
        return float(max(1, self.ngroups - len(self.params)))

    def conf_int(self, alpha: float = 0.05) -> pd.DataFrame:
        """Wald intervals of the fixed effects on the Kenward–Roger standard errors with
        t(G − k) quantiles.

        A county has few schools, and the terms that matter here (rural status, shortage) vary
        only between schools: normal quantiles on model-based errors (MixedLM's choice)
        under-cover. The Kenward–Roger errors allow for the estimated variances, and t with
        G − k degrees of freedom is the usual conservative correction for few groups."""
        q = t_quantile(1 - alpha / 2, self.df_inference)
        se = self.bse_kr
        return pd.DataFrame({"ci_low": self.params - q * se, "ci_high": self.params + q * se})

    def to_frame(self) -> pd.DataFrame:
        """Tidy table of the fixed effects: term, estimate, se, ci_low, ci_high, p_value
        (t with G − k df)."""
        ci = self.conf_int()
        se = self.bse_kr
        t = self.params / se
        return pd.DataFrame({"term": self.params.index, "estimate": self.params.to_numpy(),
                             "se": se.to_numpy(), "ci_low": ci["ci_low"].to_numpy(),
                             "ci_high": ci["ci_high"].to_numpy(),
                             "p_value": t_two_sided_p(t.to_numpy(), self.df_inference)})


def random_intercept(data: pd.DataFrame | GroupedStats, formula: str, group: str, *,
                     reml: bool = True) -> RandomInterceptResult:
    """Fit a random-intercept (two-level) model by REML or ML from per-group sufficient
    statistics.

    Parameters
    ----------
    data : DataFrame or GroupedStats
        Long data (e.g. one row per student); rows with a missing value in the formula's
        variables or in ``group`` are left out. Or the same rows as per-group statistics
        (:class:`~eduqa.models.grouped.GroupedStats`, grouped by ``group``): the same fit,
        to rounding, without the rows.
    formula : str
        R-style formula of the fixed part, e.g. ``"z ~ rural + shortage_rate"``.
    group : str
        Column of the groups with a random intercept (normally ``school_code``).
    reml : bool
        REML (default) or ML.

    Returns
    -------
    RandomInterceptResult

    Notes
    -----
    With λ = τ²/σ² and w_j = λ / (1 + λ n_j), the GLS normal equations need only, per group j,
    n_j, the column sums s_xj = X_j'1 and s_yj = y_j'1, plus X'X, X'y and y'y overall:

        A(λ) = X'X − Σ_j w_j s_xj s_xj',   b(λ) = X'y − Σ_j w_j s_xj s_yj,
        β(λ) = A⁻¹ b,   RSS(λ) = y'y − Σ_j w_j s_yj² − b'β.

    σ² is profiled out (RSS/(N − k) for REML, RSS/N for ML), leaving a one-dimensional search
    over log λ (a grid from λ = e⁻²⁰ to e³⁰, then Brent's method); λ = 0 (no group variance)
    is checked as a boundary. With a single group τ² is not identified: λ is set to 0 (the
    fit is OLS, every group effect 0), so that a season of one school still gets its page.
    Fixed-effect covariance is
    σ² A⁻¹ (``bse``, as MixedLM and lme4 report it); for REML fits the Kenward–Roger adjusted
    covariance (``bse_kr``), which allows for the estimated variances, is computed from the same
    statistics and is what the intervals and p-values use. The empirical-Bayes effect of group j is w_j (s_yj − s_xj'β) with prediction-error
    variance σ² (w_j + w_j² s_xj' A⁻¹ s_xj) (Henderson), which includes the uncertainty in β.
    One pass over the rows costs O(N k²); each likelihood evaluation costs O(G k²), so a city
    or a province fits in seconds where statsmodels' MixedLM takes minutes.

    References
    ----------
    Patterson, H. D. & Thompson, R. (1971). Recovery of inter-block information when block sizes
    are unequal. *Biometrika* 58(3), 545–554 (REML); Kenward, M. G. & Roger, J. H. (1997).
    *Biometrics* 53(3), 983–997; Raudenbush, S. W. & Bryk, A. S. (2002). *Hierarchical Linear
    Models*, 2nd ed. (empirical-Bayes effects); Bates, D. et al. (2015). *Journal of
    Statistical Software* 67(1) (lme4, the ``dietox`` reference fit).

    Examples
    --------
    >>> rng = np.random.default_rng(0)
    >>> frame = pd.DataFrame({"g": np.repeat(np.arange(30), 20)})
    >>> frame["y"] = np.repeat(rng.normal(0, 1, 30), 20) + rng.normal(0, 2, 600)
    >>> fit = random_intercept(frame, "y ~ 1", "g")
    >>> round(fit.icc, 2)  # true ICC = 1 / (1 + 4) = 0.2
    0.16
    """
    from scipy import optimize

    if isinstance(data, GroupedStats):
        if group not in data.keys:
            raise EduqaError.of("model.grouped_by_other", by=data.group, group=group)
        stats, names, aliased = _SufficientStats.of_grouped(data, formula)
    else:
        if group not in data.columns:
            raise EduqaError.of("model.no_group_column", group=group)
        data = data.reset_index(drop=True)  # rows by position: a duplicated index is harmless
        z, names, rows = design_matrix(data, formula, [group])
        groups = data[group].to_numpy()
        codes, labels = _factorize(groups if rows is None else groups[rows])
        # collinearity: for few rows the QR of X itself, before the statistics centre it in
        # place; for many, from the X'X the statistics sum anyway
        few = len(z) <= _GRAM_ROWS
        aliased = collinear_columns(z[:, :-1], names) if few else []
        stats = _SufficientStats.of_matrix(z, codes, labels)
        del z  # centred in place: only the statistics are used from here on
        if not few:
            aliased = collinear_gram(stats.xtx, int(stats.n.sum()), names)
    if len(stats.labels) < 1:
        raise EduqaError.of("model.no_rows")
    if aliased:
        raise EduqaError.of("model.aliased", formula=formula, aliased=list(aliased))

    def objective(log_ratio: float) -> float:
        try:
            value = stats.profile(float(np.exp(log_ratio)), reml)
        except np.linalg.LinAlgError:  # e.g. λ → ∞ with one row per group: A is singular
            return np.inf
        return value if np.isfinite(value) else np.inf

    # the profile is searched over log λ on a wide grid first (λ from e⁻²⁰ to e³⁰: an ICC of
    # 0.99999 is λ ≈ 10⁵, beyond a narrow bound), then refined around the best grid point: the
    # zero of the profile's slope there (when it changes sign: the same λ to the last digits
    # whatever the machine's rounding), else Brent's minimisation of the profile itself;
    # λ = 0 is checked as the boundary
    if len(stats.labels) == 1:  # one group: no between-group variance to estimate (τ² = 0)
        return _fitted(stats, 0.0, reml, names, formula)
    grid = np.arange(-20.0, 30.01, 0.5)
    values = stats.profiles(np.exp(grid), reml)
    # a flat profile (τ² and σ² not separately identified, e.g. one row per group) is broken
    # towards the smallest ratio, not wherever rounding noise happens to dip
    at = int(np.flatnonzero(values <= values.min() + 1e-8)[0])
    low, high = grid[max(at - 1, 0)], grid[min(at + 1, len(grid) - 1)]
    best = None
    try:
        sides = [stats.slope(float(np.exp(v)), reml) for v in (low, high)]
        if np.isfinite(sides).all() and sides[0] < 0 < sides[1]:
            root = optimize.brentq(lambda v: stats.slope(float(np.exp(v)), reml), low, high,
                                   xtol=1e-14, rtol=4 * np.finfo(float).eps, maxiter=200)
            best = optimize.OptimizeResult(x=root, fun=objective(root))
    except (np.linalg.LinAlgError, ValueError):
        best = None
    if best is None:
        best = optimize.minimize_scalar(objective, bounds=(low, high), method="bounded",
                                        options={"xatol": 1e-10, "maxiter": 500})
        if not best.fun <= values[at]:
            best.x, best.fun = grid[at], values[at]
    ratio = float(np.exp(best.x))
    if stats.profile(0.0, reml) <= best.fun:  # the boundary: no between-group variance
        ratio = 0.0
    return _fitted(stats, ratio, reml, names, formula)


def _contrast(residual: np.ndarray, n: np.ndarray, resid_var: float
              ) -> tuple[np.ndarray, np.ndarray, np.ndarray | str]:
    """Each group's mean residual minus the overall mean residual, with the variance of that
    difference, σ²(1/n_g − 1/N) (no between-group variance); not estimable for a single
    group."""
    total = n.sum()
    if len(n) < 2:
        return np.full(len(n), np.nan), np.full(len(n), np.nan), "no_comparison"
    effect = residual / n - residual.sum() / total
    return effect, np.sqrt(resid_var * (1.0 / n - 1.0 / total)), "contrast"


def _fitted(stats: _SufficientStats, ratio: float, reml: bool, names: list[str],
            formula: str) -> RandomInterceptResult:
    """The fit at the variance ratio λ = τ²/σ² (GLS given λ, σ² from the residuals)."""
    a, _, beta, rss, _ = stats.solve(ratio)
    nobs, k = int(stats.n.sum()), a.shape[0]
    resid_var = rss / (nobs - k if reml else nobs)
    a_inv = np.linalg.inv(a)
    cov = resid_var * a_inv
    params = pd.Series(beta, index=names)
    bse = pd.Series(np.sqrt(np.diag(cov)), index=names)

    residual = stats.sy - stats.sx @ beta
    if ratio > 0:
        w = ratio / (1.0 + ratio * stats.n)
        effect = w * residual
        quad = np.einsum("gi,ij,gj->g", stats.sx, a_inv, stats.sx)
        se = np.sqrt(resid_var * (w + w**2 * quad))
        basis: np.ndarray | str = "shrunken"
    else:
        # τ² estimated at 0: every prediction would be 0 ± 0; the group's fixed-effect
        # contrast with the whole instead (mean residual minus the overall mean residual)
        effect, se, basis = _contrast(residual, stats.n, resid_var)
    effects = pd.DataFrame({"group": stats.labels, "effect": effect, "se": se,
                            "ci_low": effect - 1.959963984540054 * se,
                            "ci_high": effect + 1.959963984540054 * se,
                            "n": stats.n.astype(int), "basis": basis})
    effects["flag"] = np.where(effects["basis"] == "no_comparison", "not_estimable",
                               np.where(effects["ci_low"] > 0, "above",
                                        np.where(effects["ci_high"] < 0, "below",
                                                 "as_expected")))
    return RandomInterceptResult(
        params=params, bse=bse, group_var=ratio * resid_var, resid_var=resid_var,
        llf=-0.5 * stats.profile(ratio, reml), nobs=nobs, ngroups=len(stats.labels), reml=reml,
        group_effects=effects, cov_params=pd.DataFrame(cov, index=names, columns=names),
        formula=formula,
        cov_params_kr=pd.DataFrame(stats.kenward_roger(ratio * resid_var, resid_var, cov),
                                   index=names, columns=names) if reml else None)


def _factorize(values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(codes, sorted labels) of the group column; integer ids in a compact range (school
    numbers) by counting, anything else by pandas."""
    if values.dtype.kind in "iu" and len(values):
        low, high = int(values.min()), int(values.max())
        if high - low <= 4 * len(values) + 1024:
            present = np.bincount(values - low, minlength=high - low + 1) > 0
            remap = np.cumsum(present) - 1
            return remap[values - low], (np.flatnonzero(present) + low).astype(values.dtype)
    codes, labels = pd.factorize(values, sort=True)
    return codes, np.asarray(labels)
