"""Ordinary least squares with HC1 or cluster-robust errors (docs/METHODS.md §C).

- :func:`ols`: an R-style formula fitted by OLS, HC1 errors or CR2 cluster-robust errors by a
  named column (Bell–McCaffrey degrees of freedom; :mod:`eduqa.models.cluster`);
- :func:`robust_fit`: the same from an outcome and a design matrix;
- :func:`constant_category_fit` and :func:`randomization_interval`: a gap between categories
  that are constant within each cluster, from per-cluster counts and sums — exact at any
  scale — and its randomization interval when there are too few clusters for a t interval.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike

from eduqa.errors import EduqaError

from .cluster import CR2, cluster_fit, cluster_sums, cr2, randomization_gap
from .tdist import t_quantile, t_two_sided_p

__all__ = ["OLSResult", "ols", "robust_fit", "cr2_result", "constant_category_fit",
           "constant_category_fits", "randomization_interval", "collinear", "collinear_columns", "collinear_gram", "design",
           "design_matrix"]


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
        if alpha == 0.05:
            return self._ci.copy()
        df = self.df_terms if self.df_terms is not None else self.df_inference
        q = t_quantile(1 - alpha / 2, df)
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
    CR2 (:func:`eduqa.models.cluster.cr2`) is the bias-reduced sandwich of Bell and McCaffrey
    with per-term Satterthwaite degrees of freedom — R's clubSandwich ``CR2`` with
    ``test = "Satterthwaite"``. It keeps a 95% interval at about 95% when a coefficient rests
    on a handful of schools (2 rural schools of 14), where CR1 with t(G − 1) rejects a true null
    about 20% of the time. CR1 is the usual sandwich with the factor G/(G − 1) · (n − 1)/(n − k)
    and t(G − 1), statsmodels' ``fit(cov_type="cluster", use_t=True)``; HC1 is
    ``fit(cov_type="HC1", use_t=True)``. Rows are matched by position, so a duplicated index is
    harmless.

    References
    ----------
    White, H. (1980). A heteroskedasticity-consistent covariance matrix estimator and a direct
    test for heteroskedasticity. *Econometrica* 48(4), 817–838 (HC); Bell, R. M. & McCaffrey,
    D. F. (2002). *Survey Methodology* 28(2), 169–181 (CR2); Pustejovsky, J. E. & Tipton, E.
    (2018). *Journal of Business & Economic Statistics* 36(4), 672–683.

    Examples
    --------
    >>> frame = pd.DataFrame({"y": [1.0, 2.0, 3.0, 5.0], "x": [0, 1, 2, 3]})
    >>> round(float(ols(frame, "y ~ x").params["x"]), 2)
    1.3
    """
    frame = data.reset_index(drop=True)  # rows by position: a duplicated index is harmless
    endog, exog = design(frame, formula, [] if cluster is None else [cluster])
    groups = None if cluster is None else frame.loc[exog.index, cluster]
    return robust_fit(endog, exog, groups, cov_type=cov_type)


def robust_fit(endog: pd.Series, exog: pd.DataFrame, groups: pd.Series | None = None, *,
               cov_type: str = "CR2") -> OLSResult:
    """OLS of ``endog`` on the columns of ``exog`` with HC1 errors, or clustered by ``groups``
    with CR2 (Bell–McCaffrey df, default) or CR1 (t with G − 1 df) errors. The array-level
    core of :func:`ols`, for callers that fit many outcomes on one design."""
    from statsmodels.regression.linear_model import OLS  # not statsmodels.api: 3x faster import

    if cov_type not in ("CR1", "CR2"):
        raise EduqaError.of("model.cov_type", cov_type=cov_type)
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
            raise EduqaError.of("model.two_clusters")
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


def cr2_result(names: list[str], beta: np.ndarray, robust: CR2, *, nobs: int, n_clusters: int,
               rsquared: float) -> OLSResult:
    """An :class:`OLSResult` from coefficients and their :class:`~eduqa.models.cluster.CR2`
    errors: t intervals and p-values with each term's Bell–McCaffrey degrees of freedom."""
    params = pd.Series(np.asarray(beta, float), index=names)
    bse = pd.Series(np.sqrt(np.clip(np.diag(robust.cov), 0.0, None)), index=names)
    df = pd.Series(robust.df, index=names)
    q = t_quantile(0.975, df)
    ci = pd.DataFrame({"ci_low": params - q * bse, "ci_high": params + q * bse})
    return OLSResult(params=params, bse=bse,
                     pvalues=pd.Series(t_two_sided_p(params / bse, df), index=names),
                     df_inference=float(np.nanmin(robust.df)), nobs=nobs,
                     n_clusters=n_clusters, rsquared=rsquared, cov_type="CR2", _ci=ci,
                     df_terms=df)


def _cr2_fit(model: Any, groups: ArrayLike) -> OLSResult:
    """An OLS fit with CR2 errors and per-term Bell–McCaffrey degrees of freedom."""
    fitted = model.fit()
    codes = pd.factorize(pd.Series(groups).to_numpy())[0]
    n_clusters = int(np.unique(codes).size)
    if n_clusters < 2:
        raise EduqaError.of("model.two_clusters")
    robust = cr2(model.exog, np.asarray(fitted.resid), codes)
    return cr2_result(list(model.exog_names), np.asarray(fitted.params), robust,
                      nobs=int(fitted.nobs), n_clusters=n_clusters,
                      rsquared=float(fitted.rsquared))


def design(data: pd.DataFrame, formula: str, extra: list[str]
           ) -> tuple[pd.Series, pd.DataFrame]:
    """(y, X) for an R-style formula, dropping rows with missing values (also in the ``extra``
    columns). A formula of plain numeric columns (``"z ~ rural + shortage_rate"``) is built
    directly from them — the same frames patsy gives (tested), without its per-row cost;
    anything else (``C(...)``, transforms, interactions, text columns) goes to patsy."""
    import patsy

    frame = data.dropna(subset=extra) if extra else data
    simple = _plain_columns(formula, frame)
    if simple is not None:
        outcome, terms, intercept = simple
        used = frame[[outcome, *terms]]
        rows = used.notna().all(axis=1).to_numpy()
        kept = used if rows.all() else used[rows]
        exog = kept[terms].astype(float)
        if intercept:
            exog.insert(0, "Intercept", 1.0)
        return kept[outcome].astype(float), exog
    nullable = {c: "float64" for c, t in frame.dtypes.items()
                if isinstance(t, pd.api.extensions.ExtensionDtype) and t.kind in "iuf"}
    if nullable:  # patsy reads neither pandas' nullable numbers nor their NA
        frame = frame.astype(nullable)
    try:
        endog, exog = patsy.dmatrices(formula, frame, return_type="dataframe",
                                      NA_action="drop")
    except Exception as exc:
        raise EduqaError.of("model.cannot_build", formula=formula, reason=str(exc),
                            available=[str(c) for c in data.columns]) from None
    return endog.iloc[:, 0], exog


def design_matrix(data: pd.DataFrame, formula: str, extra: list[str]
                  ) -> tuple[np.ndarray, list[str], np.ndarray | None]:
    """``(z, names, rows)`` for the same model as :func:`design`, as one Fortran-ordered
    float array ``z`` = [X | y] (the outcome last), the names of X's columns, and the
    positions of the rows kept (None: all of them). Plain formulas are copied column by
    column straight from ``data``, with no intermediate frames: one N × (k + 1) allocation
    for a model of a million rows. ``data`` must have a default (0 … N − 1) index."""
    simple = _plain_columns(formula, data)
    if simple is None:
        endog, exog = design(data, formula, extra)
        z = np.empty((len(exog), exog.shape[1] + 1), order="F")
        z[:, :-1] = exog.to_numpy(float)
        z[:, -1] = endog.to_numpy(float)
        rows = exog.index.to_numpy()
        return z, list(exog.columns), None if len(rows) == len(data) else rows
    outcome, terms, intercept = simple
    columns = [data[c].to_numpy(dtype=float, na_value=np.nan) for c in [*terms, outcome]]
    missing = None
    for absent in [*(np.isnan(v) for v in columns), *(data[c].isna().to_numpy() for c in extra)]:
        if absent.any():
            missing = absent if missing is None else missing | absent
    rows = None if missing is None else np.flatnonzero(~missing)
    names = (["Intercept"] if intercept else []) + terms
    z = np.empty((len(data) if rows is None else len(rows), len(names) + 1), order="F")
    if intercept:
        z[:, 0] = 1.0
    for at, values in enumerate(columns, start=int(intercept)):
        z[:, at] = values if rows is None else values[rows]
    return z, names, rows


def _plain_columns(formula: str, frame: pd.DataFrame) -> tuple[str, list[str], bool] | None:
    """(outcome, terms, intercept) when every part of the formula is a numeric (not boolean)
    column of ``frame`` named as it is, each term once; else None."""
    from patsy import ModelDesc, PatsyError

    try:
        desc = ModelDesc.from_formula(formula)
    except PatsyError:
        return None
    names: list[str] = []
    for term in [*desc.lhs_termlist, *desc.rhs_termlist]:
        if len(term.factors) > 1:
            return None
        for factor in term.factors:
            code = getattr(factor, "code", None)
            if not isinstance(code, str) or code not in frame.columns \
                    or frame[code].dtype.kind not in "iuf":
                return None
            names.append(code)
    if len(desc.lhs_termlist) != 1 or len(set(names)) != len(names) or len(names) < 1:
        return None
    intercept = any(not term.factors for term in desc.rhs_termlist)
    return names[0], names[1:], intercept


def collinear(exog: pd.DataFrame) -> list[str]:
    """Columns that are exact linear combinations of earlier ones: each column in order is
    dropped when what is left of it (scaled to unit length) after projecting it on the
    columns kept before it is shorter than 1e-9 × N.

    The answer is the columns' order's, not rounding's: of town, rural and boarding =
    town + rural, boarding is the one dropped, and of an intercept and a constant column the
    constant (a pivoted QR breaks such ties by the last digits). For many rows the same test
    runs on X'X (the residual's squared length is a Schur complement of the scaled X'X; the
    tolerance, 1e-9 × N, is then far above the rounding of that route)."""
    return collinear_columns(exog.to_numpy(float), list(exog.columns))


def collinear_columns(values: np.ndarray, names: list[str], rows: int | None = None
                      ) -> list[str]:
    """:func:`collinear` of an N × k array whose columns are ``names``; or of any array with
    the same cross-products as ``rows`` rows (the per-school square root of
    :meth:`~eduqa.models.grouped.GroupedStats.square_root`): the tolerance is that of the
    rows."""
    if not values.size:
        return []
    if rows is None:
        rows = len(values)
        if rows > _GRAM_ROWS:
            return collinear_gram(values.T @ values, rows, names)
    norms = np.sqrt((values**2).sum(axis=0))
    unit = values / np.where(norms > 0, norms, 1.0)

    def left(j: int, kept: list[int]) -> float:
        rest = unit[:, j]
        if kept:
            basis = np.linalg.qr(unit[:, kept])[0]
            for _ in range(2):  # projected twice: exact to rounding (Gram–Schmidt twice)
                rest = rest - basis @ (basis.T @ rest)
        return float(np.sqrt(rest @ rest))

    return _later_combinations(names, norms > 0, left, 1e-9 * max(rows, values.shape[1]))


def collinear_gram(gram: np.ndarray, rows: int, names: list[str]) -> list[str]:
    """:func:`collinear` from the cross-products X'X of ``rows`` rows: the squared length left
    of each unit-scaled column after the ones kept before it is the Schur complement
    c_jj − c_jK c_KK⁻¹ c_Kj of the scaled X'X."""
    if not len(names):
        return []
    diagonal = np.diag(gram).astype(float)
    scale = np.sqrt(np.where(diagonal > 0, diagonal, 1.0))
    scaled = gram / np.outer(scale, scale)

    def left(j: int, kept: list[int]) -> float:
        square = scaled[j, j]
        if kept:
            square -= scaled[j, kept] @ np.linalg.solve(scaled[np.ix_(kept, kept)],
                                                         scaled[kept, j])
        return float(np.sqrt(max(square, 0.0)))

    return _later_combinations(names, diagonal > 0, left, 1e-9 * max(rows, len(names)))


def _later_combinations(names: list[str], present: np.ndarray,
                        left: Callable[[int, list[int]], float], tolerance: float
                        ) -> list[str]:
    """The names, in order, of the columns that are zero (not ``present``) or whose length
    ``left(j, kept)`` once projected on the columns kept before them is at most
    ``tolerance``: the rule both routes of :func:`collinear` share."""
    kept: list[int] = []
    aliased = []
    for j, name in enumerate(names):
        if present[j] and left(j, kept) > tolerance:
            kept.append(j)
        else:
            aliased.append(name)
    return aliased


#: Above this many rows :func:`collinear` works from X'X (its tolerance is then ≥ 2e-5).
_GRAM_ROWS = 20_000


def randomization_interval(outcome: pd.Series, category: pd.Series, cluster: pd.Series, reference: str,
                   compared: str) -> tuple[float, float, float]:
    """(p, ci_low, ci_high) of the gap reference − compared by randomization inference over
    which schools of the two groups carry the label (see
    `eduqa.models.cluster.randomization_gap`). The interval is NaN when it is unbounded:
    so few schools that no assignment could reject."""
    keep = category.isin([reference, compared]).to_numpy()
    n, total, _, first = cluster_sums(outcome.to_numpy(float)[keep], cluster.to_numpy()[keep])
    return randomization_of_sums(n, total, category.to_numpy()[keep][first] == compared)


def randomization_of_sums(n: np.ndarray, sums: np.ndarray, compared: np.ndarray
                          ) -> tuple[float, float, float]:
    """:func:`randomization_interval` from the clusters' rows ``n`` and outcome ``sums`` and
    whether each is of the ``compared`` group."""
    p, low, high, _ = randomization_gap(n, sums, np.asarray(compared, float))
    if not np.isfinite([low, high]).all():
        return p, np.nan, np.nan
    return p, -high, -low


def constant_category_fit(outcome: pd.Series, category: pd.Series, cluster: pd.Series,
                       reference: str, present: list[str]) -> OLSResult:
    """OLS of ``outcome`` on an intercept and dummies of ``present`` categories, with CR2
    cluster-robust errors and Bell–McCaffrey degrees of freedom, when the category is constant
    within each cluster.

    Then everything follows from per-cluster counts and sums: X'X = Σ n_g x_g x_g',
    X'y = Σ x_g s_g, and the CR2 pieces of `eduqa.models.cluster.cr2_constant`.
    Identical to the row-level CR2 of :func:`eduqa.models.linear.ols` (tested)."""
    return constant_category_fits([outcome.to_numpy(float)], category.to_numpy(),
                                  cluster.to_numpy(), present)[0]


def constant_category_fits(outcomes: list[np.ndarray], category: np.ndarray,
                           cluster: np.ndarray, present: list[str]) -> list[OLSResult]:
    """:func:`constant_category_fit` of several outcomes of the same rows (arrays), the
    clusters and their categories found once for all of them."""
    codes, _ = pd.factorize(np.asarray(cluster), sort=True)
    groups = int(codes.max()) + 1
    n = np.bincount(codes, minlength=groups).astype(float)
    _, first = np.unique(codes, return_index=True)
    kinds = np.asarray(category)[first]
    x = np.column_stack([np.ones(len(n))] + [(kinds == c).astype(float) for c in present])
    fits = []
    for outcome in outcomes:
        y = np.asarray(outcome, float)
        total = np.bincount(codes, weights=y, minlength=groups)
        within_ss = float(np.sum((y - (total / n)[codes]) ** 2))
        beta, robust = cluster_fit(x, n, total, within_ss)
        fits.append(cr2_result(["Intercept", *present], beta, robust, nobs=int(n.sum()),
                               n_clusters=len(n), rsquared=float("nan")))
    return fits
