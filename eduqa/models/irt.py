"""Item response theory: the Rasch (one common discrimination) and 2PL models for right/wrong
questions, fitted by marginal maximum likelihood.

P(x_ij = 1 | θ_i) = 1 / (1 + exp(−a_j (θ_i − b_j))), ability θ ~ N(0, 1) integrated out by
Gauss–Hermite quadrature (docs/METHODS.md §D). The Rasch model here has one discrimination a common to
all questions (as R's ``ltm::rasch``): the same fit as the Rasch model with a = 1 and ability
variance a².
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from eduqa.errors import EduqaError

__all__ = ["IRTResult", "fit_irt", "item_characteristic_curves"]


@dataclass
class IRTResult:
    """A fitted Rasch or 2PL model.

    ``items``: one row per question — ``question``, ``discrimination`` (a), ``difficulty``
    (b), ``se_discrimination``, ``se_difficulty`` (from the observed information; for the
    Rasch model the common a and its error on every row), ``n`` (students who answered).
    ``loglik`` is the marginal log-likelihood at the estimate, ``n_students`` the students
    used, ``converged`` whether the optimiser reported convergence."""

    model: str
    items: pd.DataFrame
    loglik: float
    n_students: int
    converged: bool
    quadrature_points: int


def _patterns(x: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Distinct response patterns (NaN = not answered), with their counts: the likelihood is
    summed over patterns, not students."""
    coded = np.where(np.isnan(x), 2, x).astype(np.int8)
    unique, counts = np.unique(coded, axis=0, return_counts=True)
    observed = unique != 2
    return np.where(observed, unique, 0).astype(float), observed.astype(float), \
        counts.astype(float)


def _negative_loglik(params: np.ndarray, right: np.ndarray, observed: np.ndarray,
                     counts: np.ndarray, nodes: np.ndarray, log_weights: np.ndarray, k: int,
                     common: bool) -> tuple[float, np.ndarray]:
    """−log L and its gradient; ``params`` = (a_1 … a_k or a, d_1 … d_k), logit = a θ + d."""
    a = np.full(k, params[0]) if common else params[:k]
    d = params[1:] if common else params[k:]
    logits = a[:, None] * nodes[None, :] + d[:, None]  # k × Q
    log_p = -np.logaddexp(0, -logits)
    log_q = -np.logaddexp(0, logits)
    wrong = observed - right
    log_like = right @ log_p + wrong @ log_q + log_weights  # patterns × Q
    top = log_like.max(axis=1, keepdims=True)
    marginal = top[:, 0] + np.log(np.exp(log_like - top).sum(axis=1))
    posterior = np.exp(log_like - marginal[:, None]) * counts[:, None]
    expected_right = right.T @ posterior  # k × Q
    expected_n = observed.T @ posterior
    residual = expected_right - expected_n * np.exp(log_p)
    grad_d = -residual.sum(axis=1)
    grad_a = -(residual * nodes[None, :]).sum(axis=1)
    gradient = np.concatenate([[grad_a.sum()] if common else grad_a, grad_d])
    return -float(counts @ marginal), gradient


def fit_irt(responses: pd.DataFrame, model: str = "2pl", *, quadrature_points: int = 41,
            counts: pd.Series | np.ndarray | None = None) -> IRTResult:
    """Fit the Rasch or 2PL model to right/wrong answers by marginal maximum likelihood.

    Parameters
    ----------
    responses : DataFrame
        One row per student (or per response pattern, with ``counts``), one column per
        question: 1 right, 0 wrong, NaN not answered (left out of that student's likelihood).
    model : {"2pl", "rasch"}
        2PL: a discrimination per question; Rasch: one common discrimination.
    quadrature_points : int
        Gauss–Hermite points for the standard normal ability.
    counts : array, optional
        Frequency of each row (for data given as response patterns).

    Returns
    -------
    IRTResult

    Notes
    -----
    The marginal likelihood ∏_i ∫ ∏_j P_j(θ)^x_ij (1 − P_j(θ))^(1 − x_ij) φ(θ) dθ is maximised
    over (a_j, d_j) with logit P_j = a_j θ + d_j (BFGS, analytic gradient); b_j = −d_j / a_j.
    Standard errors come from the inverse of the observed information (the Hessian of
    −log L, by central differences of the gradient), b's by the delta method. Students who
    answered no question are left out.

    References
    ----------
    Bock, R. D. & Aitkin, M. (1981). Marginal maximum likelihood estimation of item parameters:
    application of an EM algorithm. *Psychometrika* 46(4), 443–459.
    Rizopoulos, D. (2006). ltm: an R package for latent variable modeling and item response
    theory analyses. *Journal of Statistical Software* 17(5) (the LSAT-6 reference fits).

    Examples
    --------
    Five questions with planted discriminations 0.8 … 2.0 and difficulties −1 … 1, 2,000 pupils:

    >>> rng = np.random.default_rng(0)
    >>> theta = rng.normal(size=2000)
    >>> a, b = np.array([0.8, 1.0, 1.2, 1.5, 2.0]), np.array([-1.0, -0.5, 0.0, 0.5, 1.0])
    >>> right = rng.random((2000, 5)) < 1 / (1 + np.exp(-a * (theta[:, None] - b)))
    >>> fit = fit_irt(pd.DataFrame(right.astype(float), columns=list("ABCDE")), "2pl")
    >>> fit.items[["discrimination", "difficulty"]].round(1).to_numpy().tolist()
    [[0.8, -1.2], [1.0, -0.5], [1.2, 0.1], [1.3, 0.6], [2.0, 1.1]]
    """
    from scipy.optimize import minimize

    if model not in ("2pl", "rasch"):
        raise EduqaError.of("model.irt_unknown", model=model)
    x = responses.to_numpy(dtype=float)
    bad = ~np.isnan(x) & (x != 0) & (x != 1)
    if bad.any():
        raise EduqaError.of("model.irt_binary")
    weight = np.ones(len(x)) if counts is None else np.asarray(counts, dtype=float)
    answered = ~np.isnan(x).all(axis=1)
    x, weight = x[answered], weight[answered]
    if counts is None:
        right, observed, pattern_counts = _patterns(x)
    else:  # patterns given with their frequencies: kept as rows
        right, observed, pattern_counts = np.nan_to_num(x), (~np.isnan(x)).astype(float), weight
    k = x.shape[1]
    common = model == "rasch"
    nodes, weights = np.polynomial.hermite_e.hermegauss(quadrature_points)
    log_weights = np.log(weights / np.sqrt(2 * np.pi))
    share = np.clip((right * pattern_counts[:, None]).sum(axis=0)
                    / np.maximum((observed * pattern_counts[:, None]).sum(axis=0), 1),
                    0.01, 0.99)
    start = np.concatenate([[1.0] if common else np.ones(k), np.log(share / (1 - share))])
    arguments = (right, observed, pattern_counts, nodes, log_weights, k, common)
    fit = minimize(_negative_loglik, start, args=arguments, jac=True, method="BFGS",
                   options={"gtol": 1e-8, "maxiter": 2000})
    params = fit.x
    hessian = _hessian(params, arguments)
    try:
        covariance = np.linalg.inv(hessian)
    except np.linalg.LinAlgError:
        covariance = np.full_like(hessian, np.nan)
    a_index = np.zeros(k, dtype=int) if common else np.arange(k)
    d_index = np.arange(k) + (1 if common else k)
    a, d = params[a_index], params[d_index]
    var_a = covariance[a_index, a_index]
    var_d = covariance[d_index, d_index]
    cov_ad = covariance[a_index, d_index]
    b = -d / a
    # delta method for b = −d / a: ∂b/∂d = −1/a, ∂b/∂a = d/a²
    var_b = var_d / a ** 2 + var_a * d ** 2 / a ** 4 - 2 * cov_ad * d / a ** 3
    items = pd.DataFrame({
        "question": list(responses.columns), "discrimination": a, "difficulty": b,
        "se_discrimination": np.sqrt(np.maximum(var_a, 0)),
        "se_difficulty": np.sqrt(np.maximum(var_b, 0)),
        "n": (observed * pattern_counts[:, None]).sum(axis=0)})
    return IRTResult(model=model, items=items, loglik=-float(fit.fun),
                     n_students=int(round(pattern_counts.sum())),
                     # (BFGS may stop on "precision loss" at the optimum: judged by the
                     # gradient, as statsmodels and R's optim judge theirs)
                     converged=bool(fit.success or np.abs(fit.jac).max() < 1e-3),
                     quadrature_points=quadrature_points)


def _hessian(params: np.ndarray, arguments: tuple) -> np.ndarray:
    """The Hessian of −log L by central differences of its analytic gradient (symmetrised)."""
    step = 1e-5 * np.maximum(1, np.abs(params))
    columns = []
    for i in range(len(params)):
        up, down = params.copy(), params.copy()
        up[i] += step[i]
        down[i] -= step[i]
        columns.append((_negative_loglik(up, *arguments)[1]
                        - _negative_loglik(down, *arguments)[1]) / (2 * step[i]))
    hessian = np.column_stack(columns)
    return (hessian + hessian.T) / 2


def item_characteristic_curves(result: IRTResult, theta: np.ndarray | None = None
                               ) -> pd.DataFrame:
    """P(right | θ) of every question on a grid of abilities, long: ``question``, ``theta``,
    ``p`` (for the item characteristic curves on the page).

    Parameters
    ----------
    result : IRTResult
        A fit of :func:`fit_irt`.
    theta : array, optional
        The abilities; by default a grid from −4 to 4.

    Returns
    -------
    DataFrame
        ``question``, ``theta``, ``p`` = 1 / (1 + exp(−a (θ − b))).

    References
    ----------
    Lord, F. M. (1980). *Applications of Item Response Theory to Practical Testing Problems*.
    Erlbaum.

    Examples
    --------
    At θ = b a question is answered right half the time, whatever its discrimination:

    >>> rng = np.random.default_rng(0)
    >>> right = rng.random((500, 5)) < 1 / (1 + np.exp(-(rng.normal(size=(500, 1)) - 0.3)))
    >>> fit = fit_irt(pd.DataFrame(right.astype(float), columns=list("ABCDE")), "rasch")
    >>> b = float(fit.items.loc[0, "difficulty"])
    >>> round(float(item_characteristic_curves(fit, np.array([b]))["p"][0]), 6)
    0.5
    """
    theta = np.linspace(-4, 4, 81) if theta is None else np.asarray(theta, dtype=float)
    items = result.items
    p = 1 / (1 + np.exp(-items["discrimination"].to_numpy()[:, None]
                        * (theta[None, :] - items["difficulty"].to_numpy()[:, None])))
    return pd.DataFrame({"question": np.repeat(items["question"].to_numpy(), len(theta)),
                         "theta": np.tile(theta, len(items)), "p": p.ravel()})
