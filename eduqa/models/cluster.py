"""Cluster-robust inference that holds with few clusters: CR2 errors with Bell–McCaffrey
(Satterthwaite) degrees of freedom.

A county has 10–40 schools and often only 2–5 rural ones. The usual CR1 sandwich with t(G − 1)
then rejects a true null far too often (20% at 5% nominal with 2 rural schools out of 14). CR2
(Bell & McCaffrey 2002) removes the small-sample bias of the sandwich, and its Satterthwaite
degrees of freedom, computed for each coefficient under a working model of independent
homoscedastic errors, shrink towards 1 when a coefficient rests on very few clusters — exactly
when CR1 fails. This is R's ``clubSandwich::coef_test(vcov = "CR2", test = "Satterthwaite")``
for OLS fits.

The module works from arrays only (no params, no indicators): ``cr2(exog, resid, codes)`` for
student-level designs, and :func:`cr2_constant` when every regressor is constant within a
cluster, where everything reduces to per-cluster counts and sums.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from eduqa.rules import MIN_CLUSTERS  # (re-exported: the models apply it)

__all__ = ["CR2", "cr2", "cr2_constant", "cluster_fit", "working_ratio", "cluster_sums",
           "randomization_gap", "MIN_CLUSTERS"]


@dataclass
class CR2:
    """CR2 covariance of the coefficients and Bell–McCaffrey degrees of freedom per
    coefficient (``df[j]`` is for the j-th coefficient)."""

    cov: np.ndarray
    df: np.ndarray


def _bm_df(d: np.ndarray, b: np.ndarray, bread: np.ndarray, *, rho: float = 0.0,
           a: np.ndarray | None = None, s: np.ndarray | None = None) -> np.ndarray:
    """Satterthwaite degrees of freedom (tr Ω)² / tr(Ω²) for each coefficient j.

    ``d`` is (G, k): d_gj = w_gj'w_gj; ``b`` is (G, k, k): b[g, :, j] = X_g' w_gj. Under the
    working model Φ_g = I + ρ J (errors with a cluster random effect of relative size ρ;
    ρ = 0 is independent errors) ``a`` (G, k) holds a_gj = 1'w_gj and ``s`` (G, k) the
    column sums s_g = X_g'1, and

        Ω_gh = δ_gh (d_g + ρ a_g²) − b_g'K b_h − ρ (a_g s_g'M b_h + a_h s_h'M b_g),
        K = M − ρ M S M,  S = Σ_g s_g s_g'.

    Ω = D + U W U' with U = [B, C] (c_g = a_g s_g) is never formed: the traces need only
    k × k products."""
    k = bread.shape[0]
    out = np.empty(k)
    use_rho = rho > 0 and a is not None and s is not None
    a_ = a if a is not None else np.zeros_like(d)
    s_ = s if s is not None else np.zeros_like(d)
    for j in range(k):
        bj = b[:, :, j]  # G x k
        diag = d[:, j] + (rho * a_[:, j] ** 2 if use_rho else 0.0)
        if use_rho:
            cj = a_[:, j][:, None] * s_
            kern = bread - rho * bread @ (s_.T @ s_) @ bread
            u = np.hstack([bj, cj])
            w = np.block([[-kern, -rho * bread], [-rho * bread, np.zeros((k, k))]])
        else:
            u, w = bj, -bread
        low_rank_diag = np.einsum("gi,ij,gj->g", u, w, u)
        trace = float(np.sum(diag) + np.sum(low_rank_diag))
        gram = w @ (u.T @ u)
        square = float(np.sum(diag**2) + 2 * np.sum(diag * low_rank_diag)
                       + np.trace(gram @ gram))
        out[j] = trace**2 / square if square > 0 else np.nan
    return out


def working_ratio(n: np.ndarray, residual_sums: np.ndarray, within_ss: float,
                  k: int) -> float:
    """ρ̂ = τ̂²/σ̂² of a one-way random-effects working model, from the OLS residuals (ANOVA
    estimator, truncated at 0): σ̂² = SS_within/(N − G), τ̂² = (SS_between/(G − k) − σ̂²)/n₀
    with n₀ = (N − Σ n_g²/N)/(G − 1)."""
    n = np.asarray(n, float)
    groups, total = len(n), n.sum()
    if total <= groups or groups <= k:
        return 0.0
    sigma2 = within_ss / (total - groups)
    between = float(np.sum(residual_sums**2 / n))
    n0 = (total - np.sum(n**2) / total) / (groups - 1)
    tau2 = (between / (groups - k) - sigma2) / n0
    return float(max(tau2, 0.0) / sigma2) if sigma2 > 0 else 0.0


def cr2(exog: np.ndarray, resid: np.ndarray, codes: np.ndarray, *,
        rho: float | None = None) -> CR2:
    """CR2 covariance and Bell–McCaffrey degrees of freedom for an OLS fit.

    Parameters
    ----------
    exog : (N, k) array, the design of the fit.
    resid : (N,) array, its OLS residuals.
    codes : (N,) integer array of cluster codes 0..G−1.
    rho : float, optional
        τ²/σ² of the working model for the degrees of freedom; by default estimated from the
        residuals (:func:`working_ratio`); 0 gives the independent-errors working model.

    Notes
    -----
    V = M (Σ_g X_g' A_g e_g e_g' A_g X_g) M, M = (X'X)⁻¹, A_g = (I − H_gg)^(−1/2) with
    H_gg = X_g M X_g'. H_gg has rank ≤ k, so with X_g = Q R (thin QR) and R M R' = U Λ U',
    A_g = I + Q U diag((1 − λ)^(−1/2) − 1) U'Q' — O(n_g k²) per cluster, never n_g × n_g.
    Directions with λ = 1 (a coefficient fitted by this cluster alone) get a pseudo-inverse
    (weight 0), as clubSandwich does. Degrees of freedom for coefficient j: with
    w_g = A_g X_g M e_j and b_g = X_g'w_g, Ω_gh = δ_gh w_g'w_g − b_g'M b_h and
    df = (tr Ω)² / tr Ω² (Bell & McCaffrey 2002; Pustejovsky & Tipton 2018).

    The working model of the degrees of freedom has a school random effect (Imbens & Kolesár
    2016): students of one school share its conditions, and with independent errors as the
    working model the degrees of freedom of a school-level contrast in schools of unequal
    size come out far too small (a 95% interval that excluded a true zero 0.5% of the time
    with 2 rural schools). With the random-effects working model the size is close to 5% for
    2, 5 and 19 schools in the smaller group (tested).

    Returns
    -------
    CR2
        ``cov`` (k × k) and ``df`` (per coefficient).

    References
    ----------
    Bell, R. M. & McCaffrey, D. F. (2002). Bias reduction in standard errors for linear
    regression with multi-stage samples. *Survey Methodology* 28(2), 169–181.
    Pustejovsky, J. E. & Tipton, E. (2018). *Journal of Business & Economic Statistics* 36(4),
    672–683. Imbens, G. W. & Kolesár, M. (2016). *Review of Economics and Statistics* 98(4),
    701–712.

    Examples
    --------
    A two-group mean difference with one pupil pair per school: with the independent working
    model the degrees of freedom of the difference are Welch's (here 2, two schools a side):

    >>> x = np.column_stack([np.ones(8), [0, 0, 0, 0, 1, 1, 1, 1]])
    >>> y = np.array([1.0, 2, 3, 2, 4, 5, 7, 4])
    >>> beta = np.linalg.lstsq(x, y, rcond=None)[0]
    >>> fit = cr2(x, y - x @ beta, np.array([0, 0, 1, 1, 2, 2, 3, 3]), rho=0.0)
    >>> fit.cov.round(3).tolist(), fit.df.round(3).tolist()
    ([[0.25, -0.25], [-0.25, 0.5]], [1.0, 2.0])
    """
    x = np.asarray(exog, float)
    e = np.asarray(resid, float)
    codes = np.asarray(codes)
    k = x.shape[1]
    bread = np.linalg.inv(x.T @ x)
    order = np.argsort(codes, kind="stable")
    starts = np.flatnonzero(np.r_[True, np.diff(codes[order]) != 0])
    bounds = np.r_[starts, len(order)]
    groups = len(starts)
    meat = np.zeros((k, k))
    d = np.empty((groups, k))
    a = np.empty((groups, k))
    sums = np.empty((groups, k))
    b = np.empty((groups, k, k))
    sizes = np.empty(groups)
    residual_sums = np.empty(groups)
    within_ss = 0.0
    for g in range(groups):
        rows = order[bounds[g]:bounds[g + 1]]
        xg, eg = x[rows], e[rows]
        q, r = np.linalg.qr(xg)
        lam, u = np.linalg.eigh(r @ bread @ r.T)
        room = 1.0 - lam
        factor = np.where(room > 1e-10, 1.0 / np.sqrt(np.clip(room, 1e-300, None)), 0.0) - 1.0
        qu = q @ u
        ax = xg + qu @ (factor[:, None] * (qu.T @ xg))  # A_g X_g
        ae = eg + qu @ (factor * (qu.T @ eg))  # A_g e_g
        score = xg.T @ ae
        meat += np.outer(score, score)
        w = ax @ bread  # columns: w_gj
        d[g] = np.einsum("ij,ij->j", w, w)
        a[g] = w.sum(axis=0)
        sums[g] = xg.sum(axis=0)
        b[g] = xg.T @ w
        sizes[g] = len(rows)
        residual_sums[g] = eg.sum()
        within_ss += float(np.sum((eg - eg.mean()) ** 2))
    if rho is None:
        rho = working_ratio(sizes, residual_sums, within_ss, k)
    return CR2(cov=bread @ meat @ bread, df=_bm_df(d, b, bread, rho=rho, a=a, s=sums))


def cr2_constant(x: np.ndarray, n: np.ndarray, residual_sums: np.ndarray,
                 within_ss: float | None = None, *, rho: float | None = None) -> CR2:
    """CR2 and Bell–McCaffrey degrees of freedom when every regressor is constant within a
    cluster (e.g. dummies of a school-level category), from per-cluster data only.

    Parameters
    ----------
    x : (G, k) array, the regressors of each cluster.
    n : (G,) array, rows per cluster.
    residual_sums : (G,) array, the sum of the OLS residuals in each cluster.
    within_ss : float, optional
        Σ_g Σ_i (y_gi − ȳ_g)², to estimate the random-effects working model
        (:func:`working_ratio`); without it (or with ``rho=0``) the working model has
        independent errors and the result equals :func:`cr2` on the rows.
    rho : float, optional
        τ²/σ² of the working model, instead of estimating it.

    Notes
    -----
    The working model is Φ_g = I + ρJ (a school random effect). CR2 is made exactly unbiased
    under it (Pustejovsky & Tipton 2018: A_g = D_g' B_g^(−1/2) D_g, Φ_g = D_g'D_g,
    B_g = D_g [(I − H) Φ (I − H)']_gg D_g'), and the degrees of freedom are computed under it.
    With X_g = 1 x_g' every matrix of a cluster is a I + b J and only its eigenvalue on the
    vector of ones matters: with c_g = n_g x_g'M x_g, φ_g = 1 + ρ n_g and
    q_g = n_g x_g'M S M x_g (S = Σ n_l² x_l x_l', M = (Σ n_l x_l x_l')⁻¹),

        β_g = φ_g (1 − 2 c_g) + c_g + ρ q_g,   A_g X_g = (φ_g / β_g)^(1/2) X_g,

    so the meat is Σ x_g x_g' E_g² φ_g/β_g (E_g the cluster's residual sum); at ρ = 0 this
    is 1/(1 − c_g), the ordinary CR2. For the degrees of freedom
    w_gj = (φ_g/β_g)^(1/2) (x_g'M e_j) 1, so d_gj = n_g (φ_g/β_g)(x_g'M e_j)²,
    a_gj = n_g (φ_g/β_g)^(1/2) x_g'M e_j and b_gj = a_gj x_g.

    Without the random-effects target, with 2 rural schools of unequal size the CR2
    variance is biased and its degrees of freedom fall near 1: a 95% interval that excluded a
    true zero 0.5% (independent working model) or 1.5% (random-effects df only) of the time.
    """
    x = np.asarray(x, float)
    n = np.asarray(n, float)
    bread = np.linalg.inv((x * n[:, None]).T @ x)
    if rho is None:
        rho = 0.0 if within_ss is None else working_ratio(n, residual_sums, within_ss,
                                                          x.shape[1])
    c = n * np.einsum("gi,ij,gj->g", x, bread, x)
    phi = 1.0 + rho * n
    cross = (x * (n**2)[:, None]).T @ x  # S = Σ n_l² x_l x_l'
    q = n * np.einsum("gi,ij,gj->g", x, bread @ cross @ bread, x)
    beta = phi * (1.0 - 2.0 * c) + c + rho * q
    inverse = np.where(beta > 1e-10 * phi, phi / np.clip(beta, 1e-300, None), 0.0)
    meat = (x * (residual_sums**2 * inverse)[:, None]).T @ x
    xm = x @ bread  # (G, k): x_g'M e_j
    d = n[:, None] * xm**2 * inverse[:, None]
    scale = n * np.sqrt(inverse)
    b = scale[:, None, None] * x[:, :, None] * xm[:, None, :]
    a = scale[:, None] * xm  # 1'w_gj
    return CR2(cov=bread @ meat @ bread,
               df=_bm_df(d, b, bread, rho=rho, a=a, s=n[:, None] * x))


def cluster_sums(y: np.ndarray, clusters: np.ndarray
                 ) -> tuple[np.ndarray, np.ndarray, float, np.ndarray]:
    """Per cluster, in sorted order of the cluster labels: rows ``n``, the outcome ``sums``,
    the pooled within-cluster sum of squares Σ (y − ȳ_g)², and the position of each cluster's
    first row (to read cluster-level columns) — by bincount, no group-by."""
    import pandas as pd

    codes, _ = pd.factorize(np.asarray(clusters), sort=True)
    y = np.asarray(y, float)
    groups = int(codes.max()) + 1
    n = np.bincount(codes, minlength=groups).astype(float)
    sums = np.bincount(codes, weights=y, minlength=groups)
    within_ss = float(np.sum((y - (sums / n)[codes]) ** 2))
    _, first = np.unique(codes, return_index=True)
    return n, sums, within_ss, first


def cluster_fit(x: np.ndarray, n: np.ndarray, sums: np.ndarray,
                within_ss: float) -> tuple[np.ndarray, CR2]:
    """OLS on regressors constant within clusters, from per-cluster data: the coefficients
    (X'X = Σ n_g x_g x_g', X'y = Σ x_g s_g) and their :func:`cr2_constant` errors with the
    random-effects working model."""
    beta = np.linalg.solve((x * n[:, None]).T @ x, x.T @ sums)
    return beta, cr2_constant(x, n, sums - n * (x @ beta), within_ss)


def _assignments(members: np.ndarray, limit: int, seed: int) -> np.ndarray:
    """Every way to choose which clusters form the compared group (as many as it has), or
    the observed one plus ``limit`` random ones when there are more: a (A, G) 0/1 array."""
    from itertools import combinations
    from math import comb

    groups, chosen = len(members), int(members.sum())
    if comb(groups, chosen) <= limit + 1:
        out = np.zeros((comb(groups, chosen), groups))
        for row, picked in enumerate(combinations(range(groups), chosen)):
            out[row, list(picked)] = 1.0
        return out
    rng = np.random.default_rng(seed)
    out = np.zeros((limit + 1, groups))
    out[0] = members
    for row in range(1, limit + 1):
        out[row, rng.choice(groups, chosen, replace=False)] = 1.0
    return out


def randomization_gap(n: np.ndarray, sums: np.ndarray, members: np.ndarray, *,
                      alpha: float = 0.05, limit: int = 1999, seed: int = 0
                      ) -> tuple[float, float, float, int]:
    """Randomization inference for a difference in student-weighted means between clusters
    of a compared group and the other clusters, when the compared group has very few clusters.

    Parameters
    ----------
    n, sums : (G,) arrays, rows and outcome sums per cluster.
    members : (G,) 0/1 array, the clusters of the compared group.

    Returns
    -------
    (p_value, ci_low, ci_high, assignments) for the gap compared − others: the share of
    assignments of the group label to clusters whose gap is at least as far from δ as the
    observed one (two-sided), at δ = 0; the interval is every δ not rejected at ``alpha``
    (test inversion, bisection); ±inf when no assignment can reject (too few clusters).

    Notes
    -----
    With 2 rural schools among 14, t-based intervals are not trustworthy whatever the
    sandwich: the variance rests on one difference between two schools and is correlated with
    the gap (CR2 with Bell–McCaffrey df excluded a true zero 0.3% of the time, CR1 20%).
    Under the sharp null that the group makes no difference to any school, every choice of
    which schools carry the label is equally likely, so the permutation distribution of the
    gap is exact (Fisher; MacKinnon & Webb 2020 for few treated clusters). The smallest
    attainable p-value is 1 / (number of assignments): 1/91 for 2 schools of 14.

    References
    ----------
    Fisher, R. A. (1935). *The Design of Experiments*. Oliver & Boyd. MacKinnon, J. G. & Webb,
    M. D. (2020). Randomization inference for difference-in-differences with few treated
    clusters. *Journal of Econometrics* 218(2), 435–450.

    Examples
    --------
    3 of 10 schools in the compared group: C(10, 3) = 120 assignments, every one enumerated:

    >>> n = np.array([30, 40, 35, 20, 25, 30, 45, 28, 33, 26])
    >>> means = np.array([70, 72, 68, 60, 58, 71, 69, 73, 57, 70.0])
    >>> members = np.array([0, 0, 0, 1, 1, 0, 0, 0, 1, 0])
    >>> tuple(round(float(v), 3) for v in randomization_gap(n, n * means, members))
    (0.008, -15.042, -9.318, 120.0)
    """
    n = np.asarray(n, float)
    sums = np.asarray(sums, float)
    members = np.asarray(members, float)
    table = _assignments(members, limit, seed)
    inside_n, outside_n = table @ n, (1 - table) @ n

    def p_value(delta: float) -> float:
        shifted = sums - delta * n * members  # the outcomes if the gap were δ
        gaps = table @ shifted / inside_n - (1 - table) @ shifted / outside_n
        observed = members @ shifted / (members @ n) - (1 - members) @ shifted / (
            (1 - members) @ n)
        return float(np.mean(np.abs(gaps) >= abs(observed) - 1e-12 * (1 + abs(observed))))

    estimate = members @ sums / (members @ n) - (1 - members) @ sums / ((1 - members) @ n)
    means = sums / n
    scale = float(np.ptp(means)) or 1.0

    def edge(direction: float) -> float:
        inside, step = estimate, scale
        outside = estimate + direction * step
        while p_value(outside) >= alpha:
            step *= 2
            if step > 1e4 * scale:
                return direction * np.inf
            inside, outside = outside, estimate + direction * step
        for _ in range(60):
            middle = 0.5 * (inside + outside)
            if p_value(middle) >= alpha:
                inside = middle
            else:
                outside = middle
            if abs(outside - inside) <= 1e-7 * scale:
                break
        return float(inside)

    return p_value(0.0), edge(-1.0), edge(1.0), len(table)
