"""Differential item functioning: the Mantel–Haenszel procedure with the ETS A/B/C classes.

Which questions one group of students (the focal group, e.g. rural pupils) loses more on than
students of the other group (the reference group) with the same total score (docs/METHODS.md §D).
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

__all__ = ["ETS_SCALE", "MIN_PER_STRATUM", "POLYTOMOUS_BOUNDS", "dif_mantel_haenszel",
           "ets_class", "ets_polytomous_class", "mantel_haenszel", "mantel_ordinal",
           "score_strata"]

#: The ETS delta scale: Δ = −2.35 · ln α_MH.
ETS_SCALE = 2.35


def mantel_haenszel(right: np.ndarray, focal: np.ndarray, strata: np.ndarray) -> dict:
    """Mantel–Haenszel common odds ratio of answering right, reference against focal, over
    strata.

    Parameters
    ----------
    right, focal : array of bool
        Per student: answered right; belongs to the focal group (else the reference group).
    strata : array
        Per student, the matching stratum (e.g. the total score).

    Returns
    -------
    dict
        ``odds_ratio`` (α_MH), ``log_odds_ratio``, ``log_odds_ratio_se`` (Robins–Breslow–
        Greenland), ``delta`` (ETS Δ = −2.35 ln α_MH; negative when the question is harder
        for the focal group than their total predicts), ``delta_se``, ``chi2`` (MH statistic
        with continuity correction), ``p_value``, ``strata`` (strata used: both groups present
        and at least two students).

    Notes
    -----
    With A, B the reference group's right and wrong counts in stratum k, C, D the focal
    group's and N its size: α_MH = Σ A·D/N / Σ B·C/N; χ²_MH = (|Σ A − Σ E(A)| − ½)² / Σ Var(A),
    E(A) = n_R·m_1/N, Var(A) = n_R·n_F·m_1·m_0 / (N²(N − 1)), exactly as
    ``statsmodels.stats.contingency_tables.StratifiedTable(...).test_null_odds(correction=True)``
    (so when |Σ A − Σ E(A)| < ½ the statistic is (½ − |Σ A − Σ E(A)|)² / Σ Var(A), small, not
    set to 0).

    References
    ----------
    Mantel, N. & Haenszel, W. (1959). Statistical aspects of the analysis of data from
    retrospective studies of disease. *Journal of the National Cancer Institute* 22, 719–748.
    Holland, P. W. & Thayer, D. T. (1988). Differential item performance and the
    Mantel–Haenszel procedure. In *Test Validity*, 129–145.
    Robins, J., Breslow, N. & Greenland, S. (1986). *Biometrics* 42, 311–323.

    Examples
    --------
    Two strata: reference 8 right of 10 and focal 5 of 10, then 6 of 10 and 3 of 10; by hand
    α_MH = (8·5/20 + 6·7/20) / (2·5/20 + 4·3/20) = 4.1 / 1.1:

    >>> counts = [8, 2, 5, 5, 6, 4, 3, 7]
    >>> right = np.repeat([1, 0, 1, 0, 1, 0, 1, 0], counts).astype(bool)
    >>> focal = np.repeat([0, 0, 1, 1, 0, 0, 1, 1], counts).astype(bool)
    >>> fit = mantel_haenszel(right, focal, np.repeat([1, 1, 1, 1, 2, 2, 2, 2], counts))
    >>> round(fit["odds_ratio"], 3), round(fit["delta"], 2), fit["strata"]
    (3.727, -3.09, 2)
    """
    codes, _ = pd.factorize(np.asarray(strata), sort=True)
    return _mantel_haenszel(np.asarray(right, dtype=bool), np.asarray(focal, dtype=bool),
                            codes, int(codes.max()) + 1 if len(codes) else 0)


def _mantel_haenszel(right: np.ndarray, focal: np.ndarray, codes: np.ndarray, k: int) -> dict:
    """:func:`mantel_haenszel` with the strata already as integer codes 0 … k − 1."""
    from scipy.special import chdtrc

    cell = codes * 4 + np.where(focal, 2, 0) + np.where(right, 0, 1)
    counts = np.bincount(cell, minlength=4 * k).reshape(k, 4).astype(float)
    a, b, c, d = counts.T  # A, B, C, D per stratum
    n_ref, n_foc = a + b, c + d
    n = n_ref + n_foc
    keep = (n_ref > 0) & (n_foc > 0) & (n > 1)
    a, b, c, d, n, n_ref, n_foc = (v[keep] for v in (a, b, c, d, n, n_ref, n_foc))
    m1, m0 = a + c, b + d
    r, s = (a * d / n), (b * c / n)
    with np.errstate(divide="ignore", invalid="ignore"):
        odds = r.sum() / s.sum()
        log_odds = np.log(odds)
        p, q = (a + d) / n, (b + c) / n
        variance = ((p * r).sum() / (2 * r.sum() ** 2)
                    + ((p * s) + (q * r)).sum() / (2 * r.sum() * s.sum())
                    + (q * s).sum() / (2 * s.sum() ** 2))
        se = float(np.sqrt(variance))
        expected = (n_ref * m1 / n).sum()
        var_a = (n_ref * n_foc * m1 * m0 / (n ** 2 * (n - 1))).sum()
        chi2 = (abs(a.sum() - expected) - 0.5) ** 2 / var_a
    return {"odds_ratio": float(odds), "log_odds_ratio": float(log_odds),
            "log_odds_ratio_se": se, "delta": float(-ETS_SCALE * log_odds),
            "delta_se": ETS_SCALE * se, "chi2": float(chi2),
            "p_value": float(chdtrc(1, chi2)) if np.isfinite(chi2) else float("nan"),
            "strata": int(keep.sum())}


def ets_class(delta: float, delta_se: float, p_value: float, level: float = 0.05) -> str:
    """ETS class of a question's Mantel–Haenszel Δ: ``A`` (negligible: |Δ| < 1 or the MH test
    not significant at ``level``), ``C`` (large: |Δ| ≥ 1.5 and |Δ| significantly greater than
    1, one-sided at ``level``), ``B`` otherwise; ``""`` when Δ could not be estimated.

    Parameters
    ----------
    delta, delta_se : float
        The question's Mantel–Haenszel Δ and its standard error.
    p_value : float
        Of the MH χ² test of no DIF.
    level : float
        Significance level.

    Returns
    -------
    str
        ``"A"``, ``"B"``, ``"C"`` or ``""``.

    References
    ----------
    Zieky, M. (1993). Practical questions in the use of DIF statistics in test development. In
    P. W. Holland & H. Wainer (eds.), *Differential Item Functioning*, 337–347.

    Examples
    --------
    >>> ets_class(-1.8, 0.2, 0.001), ets_class(-1.2, 0.3, 0.01), ets_class(-2.0, 1.5, 0.2)
    ('C', 'B', 'A')
    """
    from scipy.special import ndtri

    if not np.isfinite(p_value) or np.isnan(delta):
        return ""
    size = abs(delta)
    if size < 1 or p_value >= level:
        return "A"
    if size >= 1.5 and np.isfinite(delta_se) and delta_se > 0 and \
            (size - 1) / delta_se > ndtri(1 - level):
        return "C"
    return "B"


def mantel_ordinal(score: np.ndarray, focal: np.ndarray, strata: np.ndarray) -> dict:
    """Mantel's χ² for a question scored in ordered steps (0, 1, …, m), focal against
    reference group, over the matching strata, with the standardised mean difference.

    Parameters
    ----------
    score : array
        Per student, the question's score.
    focal : array of bool
        Per student: in the focal group (else the reference group).
    strata : array
        Per student, the matching stratum.

    Returns
    -------
    dict
        ``chi2`` (Mantel 1963, 1 df, no continuity correction), ``p_value``, ``smd`` (in
        points, focal-weighted: Σ_k (n_Fk / n_F)(ȳ_Fk − ȳ_Rk); negative when the focal group
        scores lower than reference pupils of the same total), ``sd`` (of the score over
        both groups, ddof = 1), ``smd_sd`` (SMD / SD, what the ETS polytomous classes read)
        and ``strata`` (used: both groups present and at least two students).

    Notes
    -----
    In stratum k with N_k pupils, n_Fk of them focal, score total T_k = Σ y and Σ y² = S_k,
    the focal group's score sum F_k has, with no DIF (permutation of the pupils within the
    stratum), E(F_k) = n_Fk T_k / N_k and Var(F_k) = n_Rk n_Fk (N_k S_k − T_k²) /
    (N_k² (N_k − 1)); χ² = (Σ F_k − Σ E(F_k))² / Σ Var(F_k). For a right/wrong question it is
    the Mantel–Haenszel χ² without the continuity correction.

    References
    ----------
    Mantel, N. (1963). Chi-square tests with one degree of freedom; extensions of the
    Mantel–Haenszel procedure. *JASA* 58, 690–700. Zwick, R., Donoghue, J. R. & Grima, A.
    (1993). Assessment of differential item functioning for performance tasks. *Journal of
    Educational Measurement* 30(3), 233–251. Dorans, N. J. & Schmitt, A. P. (1991).
    Constructed response and differential item functioning (ETS RR-91-47).

    Examples
    --------
    One stratum: reference scores 2, 2, 1, 0; focal 1, 0 (by hand: F = 1, E = 2·6/6 = 2,
    Var = 4·2·(6·10 − 36) / (36·5) = 16/15, χ² = 1 / (16/15) = 0.9375):

    >>> fit = mantel_ordinal(np.array([2, 2, 1, 0, 1, 0]),
    ...                      np.array([0, 0, 0, 0, 1, 1], bool), np.zeros(6))
    >>> round(fit["chi2"], 4), round(fit["smd"], 3)
    (0.9375, -0.75)
    """
    codes, _ = pd.factorize(np.asarray(strata), sort=True)
    return _mantel_ordinal(np.asarray(score, dtype=float), np.asarray(focal, dtype=bool),
                           codes, int(codes.max()) + 1 if len(codes) else 0)


def _mantel_ordinal(score: np.ndarray, focal: np.ndarray, codes: np.ndarray, k: int) -> dict:
    """:func:`mantel_ordinal` with the strata as integer codes 0 … k − 1."""
    from scipy.special import chdtrc

    n_f = np.bincount(codes[focal], minlength=k).astype(float)
    n_r = np.bincount(codes[~focal], minlength=k).astype(float)
    n = n_f + n_r
    t = np.bincount(codes, weights=score, minlength=k)
    s2 = np.bincount(codes, weights=score ** 2, minlength=k)
    f = np.bincount(codes[focal], weights=score[focal], minlength=k)
    keep = (n_f > 0) & (n_r > 0) & (n > 1)
    n_f, n_r, n, t, s2, f = (v[keep] for v in (n_f, n_r, n, t, s2, f))
    expected = n_f * t / n
    variance = n_r * n_f * (n * s2 - t ** 2) / (n ** 2 * (n - 1))
    with np.errstate(divide="ignore", invalid="ignore"):
        chi2 = float((f.sum() - expected.sum()) ** 2 / variance.sum())
    chi2 = chi2 if np.isfinite(chi2) else float("nan")
    smd = _standardised_difference(score, focal, codes, k)
    sd = float(np.std(score, ddof=1)) if len(score) > 1 else float("nan")
    return {"chi2": chi2, "p_value": float(chdtrc(1, chi2)) if np.isfinite(chi2) else np.nan,
            "smd": smd, "sd": sd, "smd_sd": smd / sd if sd > 0 else float("nan"),
            "strata": int(keep.sum())}


#: The ETS classes of a question scored in steps read |SMD / SD| against these bounds.
POLYTOMOUS_BOUNDS = (0.17, 0.25)


def ets_polytomous_class(smd_sd: float, p_value: float, level: float = 0.05) -> str:
    """ETS class of a question scored in steps: ``AA`` (negligible: Mantel's test not
    significant at ``level`` or |SMD/SD| ≤ 0.17), ``CC`` (large: significant and
    |SMD/SD| > 0.25), ``BB`` otherwise; ``""`` when it could not be computed.

    References
    ----------
    Zwick, Donoghue & Grima (1993), as :func:`mantel_ordinal`; Allen, N. L., Carlson, J. E. &
    Zelenak, C. A. (1999). *The NAEP 1996 Technical Report* (NCES 1999-452), ch. 8 (the
    AA/BB/CC rule for polytomous items).

    Examples
    --------
    >>> ets_polytomous_class(-0.30, 0.001), ets_polytomous_class(0.2, 0.01), ets_polytomous_class(-0.4, 0.2)
    ('CC', 'BB', 'AA')
    """
    if not (np.isfinite(smd_sd) and np.isfinite(p_value)):
        return ""
    size = abs(smd_sd)
    small, large = POLYTOMOUS_BOUNDS
    if p_value >= level or size <= small:
        return "AA"
    return "CC" if size > large else "BB"


def _standardised_difference(score: np.ndarray, focal: np.ndarray, codes: np.ndarray,
                             k: int) -> float:
    """Dorans and Kulick's standardised mean difference: Σ_k n_Fk (x̄_Fk − x̄_Rk) / Σ_k n_Fk
    over the strata with both groups (negative: the focal group scores lower than reference
    pupils of the same total)."""
    n_f = np.bincount(codes[focal], minlength=k).astype(float)
    n_r = np.bincount(codes[~focal], minlength=k).astype(float)
    sum_f = np.bincount(codes[focal], weights=score[focal], minlength=k)
    sum_r = np.bincount(codes[~focal], weights=score[~focal], minlength=k)
    both = (n_f > 0) & (n_r > 0)
    if not both.any():
        return float("nan")
    gap = sum_f[both] / n_f[both] - sum_r[both] / n_r[both]
    return float((n_f[both] * gap).sum() / n_f[both].sum())


#: The fewest pupils a matching stratum holds: adjacent totals with fewer are pooled.
MIN_PER_STRATUM = 5


def score_strata(total: np.ndarray, min_per_stratum: int = MIN_PER_STRATUM) -> np.ndarray:
    """Matching strata from the total score: each exact total, with sparse totals pooled.

    Going up the distinct totals, a stratum takes the next total until it holds at least
    ``min_per_stratum`` pupils; a short stratum left at the top joins the one below. Where
    totals are dense every total is its own stratum; only the sparse ones (usually the tails)
    are pooled, with their neighbours. The Mantel–Haenszel estimator stays consistent with many
    small strata (Breslow 1981), so matching on the exact total is kept wherever it can be;
    only totals too sparse to hold both groups are pooled, so that their pupils are not lost.
    The rule is the same whatever the size of the data: no switch from totals to deciles at
    some average number of pupils per total, which moved questions between ETS classes.

    Parameters
    ----------
    total : array
        Each student's total score.
    min_per_stratum : int
        The fewest pupils in a stratum (fewer pupils in all: one stratum).

    Returns
    -------
    array
        The stratum of each student, named by its lowest total (an exact total where nothing
        was pooled).

    References
    ----------
    Holland, P. W. & Thayer, D. T. (1988), as :func:`mantel_haenszel` (matching on the total
    score); Donoghue, J. R. & Allen, N. L. (1993). Thin versus thick matching in the
    Mantel–Haenszel procedure for detecting DIF. *Journal of Educational Statistics* 18(2),
    131–154 (pooling adjacent score levels). Breslow, N. (1981). Odds ratio estimators when the
    data are sparse. *Biometrika* 68(1), 73–84.

    Examples
    --------
    >>> score_strata(np.repeat([10.0, 12.0, 15.0], 25))[[0, 25, 50]]  # dense: each total
    array([10., 12., 15.])
    >>> score_strata(np.repeat([1.0, 2.0, 3.0, 4.0, 5.0], [2, 3, 30, 3, 1]))[[0, 2, 5, 35, 38]]
    array([1., 1., 3., 3., 3.])
    """
    total = np.asarray(total, dtype=float)
    values, counts = np.unique(total, return_counts=True)
    if not len(values):
        return total.copy()
    starts, size = [0], 0
    for at, count in enumerate(counts):
        if size >= min_per_stratum:  # the stratum is full: this total starts the next
            starts.append(at)
            size = 0
        size += int(count)
    if size < min_per_stratum and len(starts) > 1:  # a short last stratum joins the one below
        starts.pop()
    label = values[np.repeat(starts, np.diff([*starts, len(values)]))]
    return label[np.searchsorted(values, total)]


def dif_mantel_haenszel(items: pd.DataFrame, full_marks: Mapping[str, float],
                        focal: pd.Series, *, strata: np.ndarray | None = None,
                        level: float = 0.05) -> pd.DataFrame:
    """Mantel–Haenszel DIF of every question, focal against reference group, matched on the
    total score.

    Parameters
    ----------
    items : DataFrame
        Question scores, one row per student who sat the paper (as :mod:`eduqa.paper.statistics`); rows
        with a missing question score are left out.
    full_marks : mapping
        Full marks per question. Mantel–Haenszel applies to right/wrong questions (every
        score 0 or full marks); a question scored in steps (解答题, 作文) gets Mantel's χ² for
        ordered scores (:func:`mantel_ordinal`) and the ETS polytomous classes.
    focal : Series of bool
        Per student (index of ``items``): in the focal group (e.g. rural); False = reference;
        missing = in neither (left out).
    strata : array, optional
        Matching strata per row of ``items``; default :func:`score_strata` of the total.
    level : float
        Significance level of the ETS classes.

    Returns
    -------
    DataFrame
        ``question``, ``dichotomous`` (every score 0 or full marks), ``n_reference``,
        ``n_focal``, ``smd`` (standardised mean difference, as a share of full marks; every
        question), ``smd_sd`` (SMD over the score's SD), and for the right/wrong questions
        ``p_reference``, ``p_focal`` (share right) and the columns of :func:`mantel_haenszel`
        (for a question scored in steps ``chi2``, ``p_value`` and ``strata`` are Mantel's,
        the odds ratio and Δ missing); ``ets`` (A/B/C for right/wrong questions, AA/BB/CC
        for questions scored in steps; "" when it could not be computed) and ``favours``
        (``reference`` when Δ, or for a question scored in steps the SMD, is below 0,
        ``focal`` above).

    References
    ----------
    Holland & Thayer (1988) and Zieky (1993), as :func:`mantel_haenszel` and :func:`ets_class`;
    Dorans, N. J. & Kulick, E. (1986). *Journal of Educational Measurement* 23(4), 355–368
    (the standardised mean difference).

    Examples
    --------
    Question 4 planted one logit harder for the focal group (40% of 3,000 pupils):

    >>> rng = np.random.default_rng(1)
    >>> ability, rural = rng.normal(size=3000), rng.random(3000) < 0.4
    >>> def item(b, extra=0.0):
    ...     p = 1 / (1 + np.exp(-(1.5 * ability - b - extra * rural)))
    ...     return (rng.random(3000) < p).astype(float)
    >>> items = pd.DataFrame({"1": item(-1), "2": item(0), "3": item(0.5), "4": item(0, 1.0),
    ...                       "5": item(1)})
    >>> table = dif_mantel_haenszel(items, dict.fromkeys(items, 1.0), pd.Series(rural))
    >>> table["ets"].tolist(), round(float(table["delta"][3]), 2)
    (['A', 'A', 'A', 'C', 'A'], -2.88)
    """
    group = focal.reindex(items.index)
    x = items.to_numpy(dtype=float)
    keep = ~np.isnan(x).any(axis=1) & group.notna().to_numpy()
    x = x[keep]
    in_focal = group.to_numpy()[keep].astype(bool)
    total = x.sum(axis=1)
    matched = score_strata(total) if strata is None else np.asarray(strata)[keep]
    codes, _ = pd.factorize(matched, sort=True)
    k = int(codes.max()) + 1 if len(codes) else 0
    rows = []
    empty = dict.fromkeys(["odds_ratio", "log_odds_ratio", "log_odds_ratio_se", "delta",
                           "delta_se", "chi2", "p_value"], np.nan)
    for j, question in enumerate(items.columns):
        marks = float(full_marks[question])
        right = x[:, j] >= marks
        dichotomous = bool(np.isin(x[:, j], (0.0, marks)).all())
        ordinal = _mantel_ordinal(x[:, j], in_focal, codes, k)
        row = {"question": question, "dichotomous": dichotomous,
               "n_reference": int((~in_focal).sum()), "n_focal": int(in_focal.sum()),
               "smd": ordinal["smd"] / marks, "smd_sd": ordinal["smd_sd"]}
        if dichotomous:
            fit = _mantel_haenszel(right, in_focal, codes, k)
            row.update(p_reference=right[~in_focal].mean() if (~in_focal).any() else np.nan,
                       p_focal=right[in_focal].mean() if in_focal.any() else np.nan, **fit,
                       ets=ets_class(fit["delta"], fit["delta_se"], fit["p_value"], level))
        else:  # scored in steps: Mantel's χ² for ordered scores and the SMD's classes
            row.update(p_reference=np.nan, p_focal=np.nan, **empty)
            row.update(chi2=ordinal["chi2"], p_value=ordinal["p_value"],
                       strata=ordinal["strata"],
                       ets=ets_polytomous_class(ordinal["smd_sd"], ordinal["p_value"], level))
        rows.append(row)
    frame = pd.DataFrame(rows)
    size = frame["delta"].where(frame["dichotomous"], frame["smd"])  # (the same sign rule)
    frame["favours"] = np.where(size < 0, "reference", np.where(size > 0, "focal", ""))
    return frame
