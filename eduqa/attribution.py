"""Regression-based attribution (METHODS §C).

- :func:`random_intercept`: the multilevel (random-intercept) model fitted by REML or ML from
  per-group sufficient statistics, with empirical-Bayes school effects;
- :func:`ols`: OLS with HC1, or CR1 cluster-robust errors (t with G − 1 df);
- :func:`gelbach`, :func:`oaxaca`, :func:`shapley_r2`: how much of a gap each factor accounts for.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from .cluster_robust import MIN_CLUSTERS
from .errors import EduqaError

__all__ = ["OLSResult", "ols", "robust_fit", "RandomInterceptResult", "random_intercept",
           "gelbach", "oaxaca", "shapley_r2", "varying", "school_means", "matched_share",
           "link_counts", "value_added", "with_school_mean", "schools_with", "cr2_result",
           "factor_groups", "model_frame", "model_sequence", "ModelSequence",
           "MODEL_NAMES"]


@dataclass
class OLSResult:
    """Fixed effects of an OLS fit with robust errors.

    Attributes
    ----------
    params, bse, pvalues : Series by term
    df_inference : float
        Degrees of freedom of the t tests: n − k for HC1, G − 1 for CR1, and for CR2 the
        smallest of the per-term Bell–McCaffrey degrees of freedom.
    nobs : int
    n_clusters : int or None
    rsquared : float
    cov_type : str
        ``HC1``, ``CR1`` or ``CR2``.
    df_terms : Series or None
        Per-term degrees of freedom (CR2: Bell–McCaffrey/Satterthwaite), used by the
        intervals and p-values; None when one df serves all terms.
    """

    params: pd.Series
    bse: pd.Series
    pvalues: pd.Series
    df_inference: float
    nobs: int
    n_clusters: int | None
    rsquared: float
    cov_type: str
    _ci: pd.DataFrame
    df_terms: pd.Series | None = None

    def conf_int(self, alpha: float = 0.05) -> pd.DataFrame:
        """Confidence intervals (columns ``ci_low``, ``ci_high``) from t(df_inference), or
        per term from t(df_terms) for CR2."""
        from scipy import stats

        if alpha == 0.05:
            return self._ci.copy()
        df = self.df_terms if self.df_terms is not None else self.df_inference
        q = stats.t.ppf(1 - alpha / 2, df)
        return pd.DataFrame({"ci_low": self.params - q * self.bse,
                             "ci_high": self.params + q * self.bse})

    def to_frame(self) -> pd.DataFrame:
        """Tidy table: term, estimate, se, ci_low, ci_high, p_value."""
        out = pd.DataFrame({"term": self.params.index, "estimate": self.params.to_numpy(),
                            "se": self.bse.to_numpy()})
        ci = self.conf_int()
        out["ci_low"] = ci["ci_low"].to_numpy()
        out["ci_high"] = ci["ci_high"].to_numpy()
        out["p_value"] = self.pvalues.to_numpy()
        return out


def ols(data: pd.DataFrame, formula: str, *, cluster: str | None = None,
        cov_type: str = "CR2") -> OLSResult:
    """Ordinary least squares with robust standard errors.

    Parameters
    ----------
    data : DataFrame
        Long data; rows with a missing value in any variable of the formula (or in ``cluster``)
        are left out.
    formula : str
        R-style formula, e.g. ``"z ~ C(urban_rural, Treatment('urban')) + shortage_rate"``.
    cluster : str, optional
        Column of cluster ids (normally ``school_code``). ``None`` gives HC1 errors.
    cov_type : {"CR2", "CR1"}
        Clustered errors: CR2 with Bell–McCaffrey degrees of freedom (default), or CR1.

    Returns
    -------
    OLSResult

    Notes
    -----
    CR2 (:func:`eduqa.cluster_robust.cr2`) is the bias-reduced sandwich of Bell and McCaffrey
    with per-term Satterthwaite degrees of freedom — R's clubSandwich ``CR2`` with
    ``test = "Satterthwaite"``. It keeps a 95% interval at about 95% when a coefficient rests
    on a handful of schools (2 rural schools of 14), where CR1 with t(G − 1) rejects a true null
    about 20% of the time. CR1 is the usual sandwich with the factor G/(G − 1) · (n − 1)/(n − k)
    and t(G − 1), statsmodels' ``fit(cov_type="cluster", use_t=True)``; HC1 is
    ``fit(cov_type="HC1", use_t=True)``. Rows are matched by position, so a duplicated index is
    harmless.

    Examples
    --------
    >>> frame = pd.DataFrame({"y": [1.0, 2.0, 3.0, 5.0], "x": [0, 1, 2, 3]})
    >>> round(float(ols(frame, "y ~ x").params["x"]), 2)
    1.3
    """
    import patsy

    frame = data.reset_index(drop=True)  # rows by position: a duplicated index is harmless
    if cluster is not None:
        frame = frame[frame[cluster].notna()]
    try:
        endog, exog = patsy.dmatrices(formula, frame, return_type="dataframe",
                                      NA_action="drop")
    except Exception as exc:  # patsy errors name the unknown variable
        raise EduqaError(f"cannot build the model '{formula}': {exc}\n  Columns available: "
                         f"{', '.join(map(str, data.columns))}",
                         zh=f"无法建立模型“{formula}”：{exc}\n  可用的变量："
                            f"{'、'.join(map(str, data.columns))}\n  怎么办：检查参数文件 "
                            "attribution 中的模型项是否拼写正确") from None
    groups = None if cluster is None else frame.loc[exog.index, cluster]
    return robust_fit(endog.iloc[:, 0], exog, groups, cov_type=cov_type)


def robust_fit(endog: pd.Series, exog: pd.DataFrame, groups: pd.Series | None = None, *,
               cov_type: str = "CR2") -> OLSResult:
    """OLS of ``endog`` on the columns of ``exog`` with HC1 errors, or clustered by ``groups``
    with CR2 (Bell–McCaffrey df, default) or CR1 (t with G − 1 df) errors. The array-level
    core of :func:`ols`, for callers that fit many outcomes on one design."""
    from statsmodels.regression.linear_model import OLS  # not statsmodels.api: 3x faster import

    if cov_type not in ("CR1", "CR2"):
        raise EduqaError(f"cov_type must be 'CR1' or 'CR2', not {cov_type!r}",
                         zh=f"cov_type 只能是 CR1 或 CR2，不能是 {cov_type!r}")
    model = OLS(endog, exog)
    if groups is not None and cov_type == "CR2":
        return _cr2_fit(model, groups)
    if groups is None:
        fitted = model.fit(cov_type="HC1", use_t=True)
        n_clusters = None
        cov_type = "HC1"
    else:
        codes = pd.factorize(pd.Series(groups).to_numpy())[0]
        n_clusters = int(np.unique(codes).size)
        if n_clusters < 2:
            raise EduqaError("clustered errors need at least two clusters",
                             zh="聚类稳健标准误至少需要两个聚类（学校）")
        fitted = model.fit(cov_type="cluster", cov_kwds={"groups": codes}, use_t=True)
        cov_type = "CR1"
    ci = fitted.conf_int()
    ci.columns = ["ci_low", "ci_high"]
    df_inference = float(getattr(fitted, "df_resid_inference", None) or fitted.df_resid)
    return OLSResult(params=fitted.params, bse=fitted.bse, pvalues=fitted.pvalues,
                     df_inference=df_inference, nobs=int(fitted.nobs), n_clusters=n_clusters,
                     rsquared=float(fitted.rsquared), cov_type=cov_type, _ci=ci)


# ---------------------------------------------------------------------------------------------
# random-intercept model from sufficient statistics


def cr2_result(names: list[str], beta: np.ndarray, robust, *, nobs: int, n_clusters: int,
               rsquared: float) -> OLSResult:
    """An :class:`OLSResult` from coefficients and their :class:`~eduqa.cluster_robust.CR2`
    errors: t intervals and p-values with each term's Bell–McCaffrey degrees of freedom."""
    from scipy import stats

    params = pd.Series(np.asarray(beta, float), index=names)
    bse = pd.Series(np.sqrt(np.clip(np.diag(robust.cov), 0.0, None)), index=names)
    df = pd.Series(robust.df, index=names)
    q = stats.t.ppf(0.975, df)
    ci = pd.DataFrame({"ci_low": params - q * bse, "ci_high": params + q * bse})
    return OLSResult(params=params, bse=bse,
                     pvalues=pd.Series(2 * stats.t.sf(np.abs(params / bse), df), index=names),
                     df_inference=float(np.nanmin(robust.df)), nobs=nobs,
                     n_clusters=n_clusters, rsquared=rsquared, cov_type="CR2", _ci=ci,
                     df_terms=df)


def _cr2_fit(model, groups) -> OLSResult:
    """An OLS fit with CR2 errors and per-term Bell–McCaffrey degrees of freedom."""
    from .cluster_robust import cr2

    fitted = model.fit()
    codes = pd.factorize(pd.Series(groups).to_numpy())[0]
    n_clusters = int(np.unique(codes).size)
    if n_clusters < 2:
        raise EduqaError("clustered errors need at least two clusters",
                         zh="聚类稳健标准误至少需要两个聚类（学校）")
    robust = cr2(model.exog, np.asarray(fitted.resid), codes)
    return cr2_result(list(model.exog_names), np.asarray(fitted.params), robust,
                      nobs=int(fitted.nobs), n_clusters=n_clusters,
                      rsquared=float(fitted.rsquared))


def _design(data: pd.DataFrame, formula: str, extra: list[str]):
    """(y, X, rows kept) for an R-style formula, dropping rows with missing values (also in the
    ``extra`` columns)."""
    import patsy

    frame = data.dropna(subset=extra) if extra else data
    try:
        endog, exog = patsy.dmatrices(formula, frame, return_type="dataframe",
                                      NA_action="drop")
    except Exception as exc:
        raise EduqaError(f"cannot build the model '{formula}': {exc}\n  Columns available: "
                         f"{', '.join(map(str, data.columns))}",
                         zh=f"无法建立模型“{formula}”：{exc}\n  可用的变量："
                            f"{'、'.join(map(str, data.columns))}\n  怎么办：检查参数文件 "
                            "attribution 中的模型项是否拼写正确") from None
    return endog.iloc[:, 0], exog


def _collinear(exog: pd.DataFrame) -> list[str]:
    """Columns that are exact linear combinations of earlier ones (pivoted QR, scaled)."""
    from scipy.linalg import qr

    values = exog.to_numpy(float)
    scale = np.sqrt((values**2).mean(axis=0))
    scale[scale == 0] = 1.0
    _, r, pivot = qr(values / scale, mode="economic", pivoting=True)
    diagonal = np.abs(np.diag(r))
    rank = int((diagonal > diagonal.max() * 1e-9 * max(values.shape)).sum()) if len(
        diagonal) else 0
    return [exog.columns[i] for i in sorted(pivot[rank:])]


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
    def of(cls, y: np.ndarray, x: np.ndarray, codes: np.ndarray, labels) -> _SufficientStats:
        groups = len(labels)
        n = np.bincount(codes, minlength=groups).astype(float)
        sx = np.empty((groups, x.shape[1]))
        for column in range(x.shape[1]):
            sx[:, column] = np.bincount(codes, weights=x[:, column], minlength=groups)
        sy = np.bincount(codes, weights=y, minlength=groups)
        xc = x - (sx / n[:, None])[codes]
        yc = y - (sy / n)[codes]
        return cls(n=n, sx=sx, sy=sy, xtx=x.T @ x, xty=x.T @ y, yty=float(y @ y),
                   labels=np.asarray(labels), within=(xc.T @ xc, xc.T @ yc, float(yc @ yc)))

    def solve(self, ratio: float):
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

        def times(f, g):  # (a1 I + b1 J)(a2 I + b2 J), J² = n J
            return (f[0] * g[0], f[0] * g[1] + f[1] * g[0] + f[1] * g[1] * n)

        def sandwich(f):  # X'(a I + b J)X over all groups (a is the same in every group)
            return f[0][0] * self.xtx + (self.sx * f[1][:, None]).T @ self.sx

        def trace(f):
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
        prediction-error variance), ``ci_low``, ``ci_high`` (95%), ``n``, and ``flag``:
        ``above`` / ``below`` when the interval excludes zero, else ``as_expected``.
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
        from scipy import stats

        q = stats.t.ppf(1 - alpha / 2, self.df_inference)
        se = self.bse_kr
        return pd.DataFrame({"ci_low": self.params - q * se, "ci_high": self.params + q * se})

    def to_frame(self) -> pd.DataFrame:
        """Tidy table of the fixed effects: term, estimate, se, ci_low, ci_high, p_value
        (t with G − k df)."""
        from scipy import stats

        ci = self.conf_int()
        se = self.bse_kr
        t = self.params / se
        return pd.DataFrame({"term": self.params.index, "estimate": self.params.to_numpy(),
                             "se": se.to_numpy(), "ci_low": ci["ci_low"].to_numpy(),
                             "ci_high": ci["ci_high"].to_numpy(),
                             "p_value": 2 * stats.t.sf(np.abs(t.to_numpy()), self.df_inference)})


def random_intercept(data: pd.DataFrame, formula: str, group: str, *,
                     reml: bool = True) -> RandomInterceptResult:
    """Fit a random-intercept (two-level) model by REML or ML from per-group sufficient
    statistics.

    Parameters
    ----------
    data : DataFrame
        Long data (e.g. one row per student); rows with a missing value in the formula's
        variables or in ``group`` are left out.
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
    is checked as a boundary. Fixed-effect covariance is
    σ² A⁻¹ (``bse``, as MixedLM and lme4 report it); for REML fits the Kenward–Roger adjusted
    covariance (``bse_kr``), which allows for the estimated variances, is computed from the same
    statistics and is what the intervals and p-values use. The empirical-Bayes effect of group j is w_j (s_yj − s_xj'β) with prediction-error
    variance σ² (w_j + w_j² s_xj' A⁻¹ s_xj) (Henderson), which includes the uncertainty in β.
    One pass over the rows costs O(N k²); each likelihood evaluation costs O(G k²), so a city
    or a province fits in seconds where statsmodels' MixedLM takes minutes.

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

    if group not in data.columns:
        raise EduqaError(f"random_intercept: no group column '{group}'",
                         zh=f"random_intercept：数据中没有分组列“{group}”")
    data = data.reset_index(drop=True)  # rows by position: a duplicated index is harmless
    y, x = _design(data, formula, [group])
    aliased = _collinear(x)
    if aliased:
        raise EduqaError(f"in the model '{formula}', {', '.join(aliased)} is an exact "
                         "combination of the other terms (e.g. every rural school boards), so "
                         "its effect cannot be separated.\n  What to do: remove it from the "
                         "model terms in params.",
                         zh=f"模型“{formula}”中，{'、'.join(aliased)} 完全由其他变量决定（例如所有"
                            "乡村学校都寄宿），无法单独估计其作用。\n  怎么办：从参数文件的模型项中删去它。")
    groups = data.loc[x.index, group]
    codes, labels = pd.factorize(groups, sort=True)
    stats = _SufficientStats.of(y.to_numpy(float), x.to_numpy(float), codes, labels)
    if len(labels) < 2:
        raise EduqaError("random_intercept needs at least two groups",
                         zh="多层模型至少需要两所学校（两个组）")

    def objective(log_ratio: float) -> float:
        try:
            value = stats.profile(float(np.exp(log_ratio)), reml)
        except np.linalg.LinAlgError:  # e.g. λ → ∞ with one row per group: A is singular
            return np.inf
        return value if np.isfinite(value) else np.inf

    # the profile is searched over log λ on a wide grid first (λ from e⁻²⁰ to e³⁰: an ICC of
    # 0.99999 is λ ≈ 10⁵, beyond a narrow bound), then refined by Brent's method around the
    # best grid point; λ = 0 is checked as the boundary
    grid = np.arange(-20.0, 30.01, 0.5)
    values = np.array([objective(v) for v in grid])
    # a flat profile (τ² and σ² not separately identified, e.g. one row per group) is broken
    # towards the smallest ratio, not wherever rounding noise happens to dip
    at = int(np.flatnonzero(values <= values.min() + 1e-8)[0])
    low, high = grid[max(at - 1, 0)], grid[min(at + 1, len(grid) - 1)]
    best = optimize.minimize_scalar(objective, bounds=(low, high), method="bounded",
                                    options={"xatol": 1e-10, "maxiter": 500})
    if not best.fun <= values[at]:
        best.x, best.fun = grid[at], values[at]
    ratio = float(np.exp(best.x))
    if stats.profile(0.0, reml) <= best.fun:  # the boundary: no between-group variance
        ratio = 0.0
    a, _, beta, rss, _ = stats.solve(ratio)
    nobs, k = int(stats.n.sum()), a.shape[0]
    resid_var = rss / (nobs - k if reml else nobs)
    a_inv = np.linalg.inv(a)
    cov = resid_var * a_inv
    names = list(x.columns)
    params = pd.Series(beta, index=names)
    bse = pd.Series(np.sqrt(np.diag(cov)), index=names)

    w = ratio / (1.0 + ratio * stats.n)
    effect = w * (stats.sy - stats.sx @ beta)
    quad = np.einsum("gi,ij,gj->g", stats.sx, a_inv, stats.sx)
    se = np.sqrt(resid_var * (w + w**2 * quad))
    effects = pd.DataFrame({"group": stats.labels, "effect": effect, "se": se,
                            "ci_low": effect - 1.959963984540054 * se,
                            "ci_high": effect + 1.959963984540054 * se,
                            "n": stats.n.astype(int)})
    effects["flag"] = np.where(effects["ci_low"] > 0, "above",
                               np.where(effects["ci_high"] < 0, "below", "as_expected"))
    return RandomInterceptResult(
        params=params, bse=bse, group_var=ratio * resid_var, resid_var=resid_var,
        llf=-0.5 * stats.profile(ratio, reml), nobs=nobs, ngroups=len(labels), reml=reml,
        group_effects=effects, cov_params=pd.DataFrame(cov, index=names, columns=names),
        formula=formula,
        cov_params_kr=pd.DataFrame(stats.kenward_roger(ratio * resid_var, resid_var, cov),
                                   index=names, columns=names) if reml else None)


# ---------------------------------------------------------------------------------------------
# decompositions, from per-cluster moment matrices (the cluster bootstrap reweights clusters)


@dataclass
class _Moments:
    """Z'Z per cluster for Z = [1, columns...]; any OLS on these columns is a solve."""

    names: list[str]
    per_cluster: np.ndarray  # (G, p, p)
    labels: np.ndarray
    strata: np.ndarray | None  # stratum code of each cluster (for a stratified bootstrap)

    @classmethod
    def of(cls, data: pd.DataFrame, columns: list[str], cluster: str | None,
           strata: str | None = None) -> _Moments:
        missing = [c for c in columns + [c for c in (cluster, strata) if c] if c not in data]
        if missing:
            raise EduqaError(f"no column(s) {', '.join(missing)}; columns available: "
                             f"{', '.join(map(str, data.columns))}",
                             zh=f"数据中没有变量 {'、'.join(missing)}；可用的变量："
                                f"{'、'.join(map(str, data.columns))}")
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

    def draws(self, n_boot: int, seed: int):
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


def _or_nan(compute, moments: np.ndarray, size: int, *more) -> np.ndarray:
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


def _cr2_coefficient(frame: pd.DataFrame, outcome: str, columns: list[str], term: str,
                     cluster: str | None) -> tuple[float, float, float, float]:
    """(estimate, se, ci_low, ci_high) of one OLS coefficient with CR2 / Bell–McCaffrey errors
    by ``cluster`` (HC1 when None). When every regressor is constant within clusters (school-
    level terms), the school-level CR2 with the random-effects working model is used, as for
    :func:`eduqa.indicators.group_gap`."""
    from .cluster_robust import cluster_fit, cluster_sums

    exog = frame[columns].astype(float).assign(Intercept=1.0)[["Intercept", *columns]]
    if cluster is not None and frame.groupby(cluster)[columns].nunique().max().max() <= 1:
        n, sums, within_ss, first = cluster_sums(frame[outcome].to_numpy(float),
                                                 frame[cluster].to_numpy())
        beta, robust = cluster_fit(exog.to_numpy(float)[first], n, sums, within_ss)
        fit = cr2_result(list(exog.columns), beta, robust, nobs=int(n.sum()),
                         n_clusters=len(n), rsquared=float("nan"))
    else:
        fit = robust_fit(frame[outcome].astype(float), exog,
                         None if cluster is None else frame[cluster])
    ci = fit.conf_int()
    return (float(fit.params[term]), float(fit.bse[term]), float(ci.loc[term, "ci_low"]),
            float(ci.loc[term, "ci_high"]))


def _place_labels(frame: pd.DataFrame, focal: str, controls: list[str]) -> pd.Series | None:
    """When the focal variable and the controls are exclusive 0/1 dummies (rural, town), the
    focal coefficient is the difference between the focal group's mean and the mean of the
    rows where all are 0 (urban): the row labels ``focal`` / ``reference`` / ``other`` for
    randomization inference; None otherwise."""
    columns = [focal, *controls]
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
    if cluster is None or frame.groupby(cluster)[focal].nunique().max() != 1:
        return False
    per_level = frame.groupby(focal)[cluster].nunique()
    return len(per_level) <= 10 and per_level.min() >= 2


def gelbach(data: pd.DataFrame, outcome: str, focal: str, mediators: list[str], *,
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
    :data:`eduqa.cluster_robust.MIN_CLUSTERS` schools: the bootstrap cannot then represent
    sampling variation.
    """
    controls = list(controls)
    frame = data.reset_index(drop=True).dropna(subset=[focal, *controls, *mediators, outcome])
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
    if cluster is not None and frame[focal].nunique() == 2:
        smallest = int(frame.groupby(focal)[cluster].nunique().min())
    draws, usable = _boot_usable(boot, n_boot, smallest)
    analytic = {"base": _cr2_coefficient(frame, outcome, [focal, *controls], focal, cluster),
                "full": _cr2_coefficient(frame, outcome, [focal, *controls, *mediators], focal,
                                         cluster)}
    methods = {"base": "CR2", "full": "CR2"}
    labels = _place_labels(frame, focal, controls) if cluster is not None else None
    if (smallest is not None and smallest < MIN_CLUSTERS and labels is not None
            and frame.groupby(cluster)[focal].nunique().max() == 1):
        from .indicators import _randomization

        _, low, high = _randomization(frame[outcome], labels, frame[cluster], "reference",
                                      "focal")
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


def oaxaca(data: pd.DataFrame, outcome: str, group: str, predictors: list[str], *,
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
        :data:`eduqa.cluster_robust.MIN_CLUSTERS` schools in a group).

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
    """
    frame = data.reset_index(drop=True).dropna(subset=[outcome, group, *predictors])
    constant = [p for p in predictors
                if frame.groupby(group)[p].nunique().min() < 2]
    if constant:
        raise EduqaError(f"oaxaca: {', '.join(constant)} does not vary within one of the "
                         "groups, so it has no group-specific coefficient; leave it out "
                         "(see attribution.varying)",
                         zh=f"Oaxaca 分解：{'、'.join(constant)} 在某一组内没有变化，无法估计该组的"
                            "系数，请去掉它（见 attribution.varying）")
    values = set(frame[group].unique())
    if not values <= {0, 1}:
        raise EduqaError(f"oaxaca: '{group}' must be a 0/1 column, found {sorted(values)[:5]}",
                         zh=f"Oaxaca 分解：“{group}”必须是 0/1 变量，实际取值 {sorted(values)[:5]}")
    indicator = frame[group].astype(float)
    columns = [*predictors, outcome]
    zero = _Moments.of(frame[indicator == 0], columns, cluster)
    one = _Moments.of(frame[indicator == 1], columns, cluster)
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
    boot = []
    if n_boot:
        draws0 = zero.draws(n_boot, seed)
        draws1 = one.draws(n_boot, seed + 1)
        boot = [_or_nan(compute, zero.total(w0), len(estimate), one.total(w1))
                for w0, w1 in zip(draws0, draws1)]
    boot = np.array(boot) if boot else np.empty((0, len(estimate)))
    smallest = None if cluster is None else min(len(zero.labels), len(one.labels))
    draws, usable = _boot_usable(boot, n_boot, smallest)
    labels = ([("explained", n) for n in predictors] + [("explained", "all"),
                                                         ("unexplained", "all"), ("gap", "all")])
    # the gap is a difference in means: minus the group coefficient of outcome ~ 1 + group;
    # with very few schools in a group, randomization inference instead of a t interval
    _, g_se, g_low, g_high = _cr2_coefficient(frame.assign(**{group: indicator}), outcome,
                                              [group], group, cluster)
    gap_method = "CR2"
    school_level = cluster is not None and frame.groupby(cluster)[group].nunique().max() == 1
    if smallest is not None and smallest < MIN_CLUSTERS and school_level:
        from .indicators import _randomization

        _, low, high = _randomization(frame[outcome], indicator.map({0.0: "zero", 1.0: "one"}),
                                      frame[cluster], "zero", "one")
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


def varying(data: pd.DataFrame, columns: list[str], within: str) -> list[str]:
    """The columns, in order of priority, that an Oaxaca–Blinder decomposition by ``within``
    can use: each must vary inside both groups and, with the ones kept before it, leave each
    group's design of full rank (a group of two schools supports one school-level term)."""
    kept: list[str] = []
    frame = data.dropna(subset=[c for c in columns if c in data])
    for column in columns:
        if column not in frame or frame.groupby(within)[column].nunique().min() < 2:
            continue
        trial = [*kept, column]
        if all(not _collinear(part[trial].assign(Intercept=1.0)[["Intercept", *trial]])
               for _, part in frame.groupby(within)):
            kept.append(column)
    return kept


def school_means(frame: pd.DataFrame, group: str = "school_code") -> pd.DataFrame:
    """Per-school means of every numeric column of a model frame (for school-level models)."""
    numeric = frame.select_dtypes("number").columns
    return frame.groupby(group)[list(numeric)].mean().reset_index()


def link_counts(frame: pd.DataFrame, prior: str = "prior_z",
                group: str = "school_code") -> pd.DataFrame:
    """Students linked / not linked to a prior score, per school."""
    linked = frame[prior].notna()
    return (pd.DataFrame({group: frame[group], "n_matched": linked, "n_unmatched": ~linked})
            .groupby(group).sum().astype(int).reset_index())


def with_school_mean(frame: pd.DataFrame, column: str,
                     group: str = "school_code") -> pd.DataFrame:
    """A copy of ``frame`` with the school mean of ``column`` (over the rows where it is
    known) as a contextual column ``<column>_school_mean``."""
    out = frame.copy()
    out[f"{column}_school_mean"] = out.groupby(group)[column].transform("mean")
    return out


def value_added(frame: pd.DataFrame, prior: str = "prior_z", group: str = "school_code",
                outcome: str = "z") -> pd.DataFrame:
    """School value added: the empirical-Bayes school effects of
    ``outcome ~ prior + school mean prior`` with a random school intercept, on the linked
    students, with the link counts per school.

    Each effect is the school's progress against students of the same prior score in schools
    of the same intake county-wide. Returns ``school_code``, ``n_matched``, ``n_unmatched``,
    ``effect``, ``se``, ``ci_low``, ``ci_high``, ``flag`` — empty when no student is linked.

    Notes
    -----
    The prior score is one noisy measurement of what a student knew (its reliability is
    perhaps 0.7–0.9), so its within-county slope is attenuated, and a plain ``outcome ~ prior``
    model credits schools with a strong intake with "value added" that is only the prior's
    measurement error: in a seeded simulation where no school adds more, such effects
    correlate 0.65–0.86 with the school's mean prior and flag a third of the schools. The
    school mean of the prior, a contextual term, absorbs that bias (it averages the
    measurement error away), so the effects are uncorrelated with intake by construction
    (tested) — at the price that a real link between intake and effectiveness is absorbed
    too. This is the usual contextual value-added model."""
    columns = [group, "n_matched", "n_unmatched", "effect", "se", "ci_low", "ci_high", "flag"]
    if prior not in frame or frame[prior].notna().sum() == 0:
        return pd.DataFrame(columns=columns)
    linked = with_school_mean(frame.dropna(subset=[prior]), prior, group)
    contextual = f"{prior}_school_mean"
    terms = [prior] if linked[contextual].nunique() < 3 else [prior, contextual]
    fit = random_intercept(linked, f"{outcome} ~ " + " + ".join(terms), group)
    effects = fit.group_effects.rename(columns={"group": group})
    return link_counts(frame, prior, group).merge(effects, on=group)[columns]


def schools_with(frame: pd.DataFrame, column: str, group: str = "school_code") -> int:
    """How many schools have ``column`` = 1 (e.g. rural schools in a model frame)."""
    return int(frame.loc[frame[column] == 1, group].nunique())


def matched_share(frame: pd.DataFrame, prior: str = "prior_z") -> float | None:
    """Share of students linked to a prior-season score, or None when there is no prior."""
    if prior not in frame or frame[prior].notna().sum() == 0:
        return None
    return float(frame[prior].notna().mean())


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
    from .indicators import composite_z

    frame = composite_z(scores, keys=("student_key", "school_code"))
    keep = ["school_code", "urban_rural", "shortage_rate", "out_of_field_share", "enrollment",
            "boarding", *[c for c in schools.columns if c.startswith("share_")]]
    frame = frame.merge(schools[keep], on="school_code", how="left")
    frame["town"] = (frame["urban_rural"] == "town").astype(float)
    frame["rural"] = (frame["urban_rural"] == "rural").astype(float)
    frame["boarding"] = frame["boarding"].astype(float)
    frame["log_enrollment"] = np.log(frame["enrollment"].where(frame["enrollment"] > 0))
    frame["prior_z"] = np.nan
    if prior_scores is not None:
        prior = composite_z(prior_scores).set_index("student_key")["z"]
        frame["prior_z"] = frame["student_key"].map(prior)
    return frame


@dataclass
class ModelSequence:
    """The fitted M0–M3 sequence: ``fits`` by model name, the tidy ``coefficients`` and
    ``models`` tables, and the terms ``dropped`` as exact combinations of others."""

    fits: dict
    coefficients: pd.DataFrame
    models: pd.DataFrame
    dropped: list[str]


def factor_groups(terms: dict[str, list[str]], dropped: list[str], columns,
                  language: str = "zh") -> dict[str, list[str]]:
    """Named factor groups for :func:`shapley_r2` from the params' model terms: 城乡类别,
    缺编与教非所学, 规模与寄宿等 — keeping only plain columns and leaving out dropped terms."""
    from .labels import label

    names = {"place": "town_rural", "staffing": "staffing_terms", "controls": "control_terms"}
    groups = {}
    for key, name in names.items():
        usable = [t for t in terms.get(key, []) if t in columns and t not in dropped]
        if usable:
            groups[label(name, language)] = usable
    return groups


def model_sequence(frame: pd.DataFrame, *, place: list[str], staffing: list[str],
                   controls: list[str], group: str = "school_code", outcome: str = "z",
                   prior: str | None = None) -> ModelSequence:
    """Fit the standard sequence (METHODS §C) by REML on one common sample.

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
    if prior is not None and (prior not in frame or frame[prior].notna().sum() == 0):
        prior = None  # no linked prior season: M3 is a plain controls model
    # with a prior score, its school mean enters too (a contextual term): the prior is measured
    # with error, and without it school effects pick up the intake (see value_added)
    contextual = [f"{prior}_school_mean"] if prior else []
    terms = {"M0": [], "M1": list(place), "M2": [*place, *staffing],
             "M3": [*place, *staffing, *controls, *([prior] if prior else []), *contextual]}
    variables = [outcome, group, *[c for c in frame.columns
                                   if any(c in t for t in terms["M3"])]]
    sample = frame.reset_index(drop=True).dropna(subset=list(dict.fromkeys(variables)))
    if prior:
        sample = with_school_mean(sample, prior, group)
    # terms that repeat others exactly (e.g. boarding = town + rural) are dropped, and said so
    _, design = _design(sample, f"{outcome} ~ " + " + ".join(terms["M3"]), [group])
    dropped = [t for t in terms["M3"] if t in _collinear(design)]
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
    return ModelSequence(fits, pd.concat(coefficients, ignore_index=True), models, dropped)
