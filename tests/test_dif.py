"""Mantel–Haenszel DIF (eduqa.models.dif) against statsmodels' StratifiedTable and a planted
effect."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from statsmodels.stats.contingency_tables import StratifiedTable

from eduqa.models.dif import dif_mantel_haenszel, ets_class, mantel_haenszel, score_strata


def _tables(right, focal, strata):
    """2 × 2 × K tables as StratifiedTable takes them: rows reference/focal, columns
    right/wrong; strata with both groups and two or more students."""
    out = []
    for value in np.unique(strata):
        at = strata == value
        table = np.array([[np.sum(at & ~focal & right), np.sum(at & ~focal & ~right)],
                          [np.sum(at & focal & right), np.sum(at & focal & ~right)]], float)
        if table[0].sum() > 0 and table[1].sum() > 0 and table.sum() > 1:
            out.append(table)
    return np.dstack(out)


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_common_odds_ratio_delta_and_test_equal_statsmodels(seed):
    rng = np.random.default_rng(seed)
    n = 900
    strata = rng.integers(0, 8, size=n)
    focal = rng.random(n) < 0.4
    right = rng.random(n) < 1 / (1 + np.exp(-(strata - 4) / 2 + 0.4 * focal))
    strata[:3] = 99  # a stratum of reference students only: left out by both
    focal[:3] = False
    ours = mantel_haenszel(right, focal, strata)
    theirs = StratifiedTable(_tables(right, focal, strata))
    assert ours["strata"] == 8
    assert ours["odds_ratio"] == pytest.approx(theirs.oddsratio_pooled, rel=1e-12)
    assert ours["log_odds_ratio_se"] == pytest.approx(theirs.logodds_pooled_se, rel=1e-12)
    test = theirs.test_null_odds(correction=True)
    assert ours["chi2"] == pytest.approx(test.statistic, rel=1e-12)
    assert ours["p_value"] == pytest.approx(test.pvalue, rel=1e-10)
    assert ours["delta"] == pytest.approx(-2.35 * np.log(theirs.oddsratio_pooled), rel=1e-12)


def test_ets_classes_follow_the_published_rule():
    assert ets_class(-0.8, 0.2, 0.001) == "A"  # |Δ| < 1
    assert ets_class(-2.0, 0.2, 0.30) == "A"  # not significant
    assert ets_class(-1.2, 0.2, 0.001) == "B"
    assert ets_class(1.7, 0.2, 0.001) == "C"  # (1.7 − 1) / 0.2 = 3.5 > 1.645
    assert ets_class(-1.6, 0.5, 0.001) == "B"  # (1.6 − 1) / 0.5 = 1.2: not surely above 1
    assert ets_class(float("nan"), float("nan"), float("nan")) == ""


def test_strata_are_exact_totals_with_sparse_totals_pooled_with_their_neighbours():
    """Issue 36, point 5: one rule for every size of data — each exact total, adjacent
    totals pooled (going up) until a stratum holds 5 pupils, a short top joining the one
    below; by hand."""
    scores = np.repeat(np.arange(10.0), 30)
    assert np.array_equal(score_strata(scores), scores)  # dense: every total its own
    spread = score_strata(np.arange(50.0))  # one pupil per total: 5 totals a stratum
    assert np.unique(spread).tolist() == list(range(0, 50, 5))
    # sparse tails pooled, the middle kept: 0–2 (1+2+3), 3, 4, 5, then 6–7 (3+1, short at
    # the top: joins 5)
    mixed = np.repeat(np.arange(8.0), [1, 2, 3, 40, 50, 45, 3, 1])
    strata = score_strata(mixed)
    assert dict(zip(*np.unique(strata, return_counts=True))) == {0.0: 6, 3.0: 40, 4.0: 50,
                                                                 5.0: 49}
    assert np.array_equal(score_strata(np.full(3, 3.0)), np.full(3, 3.0))  # too few: one
    # more pupils at full marks re-cut nothing below the top (the old rule re-cut every
    # stratum into deciles once the average per total passed 20)
    more = score_strata(np.concatenate([mixed, np.full(30, 7.0)]))
    assert np.array_equal(more[:len(mixed)][mixed < 5], strata[mixed < 5])


def _rasch(n, seed, planted=1.0, k=20):
    rng = np.random.default_rng(seed)
    rural = rng.random(n) < 0.45
    theta = rng.normal(size=n)
    b = np.linspace(-1.5, 1.5, k)
    extra = np.zeros(k)
    extra[6] = planted
    logits = theta[:, None] - b[None, :] - extra[None, :] * rural[:, None]
    items = pd.DataFrame((rng.random((n, k)) < 1 / (1 + np.exp(-logits))).astype(float),
                         columns=[str(j + 1) for j in range(k)])
    return items, pd.Series(rural)


def _deciles(total):
    """The former rule's thick matching: deciles of the total."""
    ranks = pd.Series(total).rank(method="min", pct=True).to_numpy()
    return np.minimum(np.ceil(ranks * 10), 10)


@pytest.mark.parametrize("seed", [0, 1, 3])
def test_sparse_data_keep_the_classes_of_exact_totals(seed):
    """300 pupils, 24 questions (12 a total): the former rule switched to deciles here and
    moved one question's ETS class away from matching on exact totals; pooling only the
    sparse totals keeps every class."""
    items, rural = _rasch(300, seed=seed, planted=0.8, k=24)
    marks = dict.fromkeys(items, 1.0)
    total = items.sum(axis=1).to_numpy()
    exact = dif_mantel_haenszel(items, marks, rural, strata=total)["ets"]
    assert dif_mantel_haenszel(items, marks, rural)["ets"].tolist() == exact.tolist()
    deciles = dif_mantel_haenszel(items, marks, rural, strata=_deciles(total))["ets"]
    assert (deciles != exact).sum() == 1  # (what the test would catch)


def test_dif_on_exact_totals_equals_stratifiedtable():
    """With enough pupils at every total the strata are the exact totals, and each
    question's α_MH, its SE and the continuity-corrected χ² are StratifiedTable's on the
    tables of the exact totals — also where |ΣA − ΣE| < ½ (StratifiedTable does not set the
    statistic to 0 there, and neither do we)."""
    items, rural = _rasch(6000, seed=5, k=10)
    total = items.sum(axis=1).to_numpy()
    assert np.array_equal(score_strata(total), total)
    table = dif_mantel_haenszel(items, dict.fromkeys(items, 1.0), rural).set_index("question")
    focal = rural.to_numpy()
    for question in items:
        theirs = StratifiedTable(_tables(items[question].to_numpy() == 1, focal, total))
        row = table.loc[question]
        assert row["odds_ratio"] == pytest.approx(theirs.oddsratio_pooled, rel=1e-12)
        assert row["log_odds_ratio_se"] == pytest.approx(theirs.logodds_pooled_se, rel=1e-12)
        test = theirs.test_null_odds(correction=True)
        assert row["chi2"] == pytest.approx(test.statistic, rel=1e-12)
    # a stratum set where the observed and expected counts differ by less than ½
    right = np.array([1, 0, 1, 0, 1, 1, 0, 0], bool)
    focal = np.array([0, 0, 1, 1, 0, 0, 1, 1], bool)
    strata = np.array([1, 1, 1, 1, 2, 2, 2, 2])
    ours = mantel_haenszel(right, focal, strata)
    test = StratifiedTable(_tables(right, focal, strata)).test_null_odds(correction=True)
    assert ours["chi2"] == pytest.approx(test.statistic, rel=1e-12) and ours["chi2"] > 0


def test_planted_dif_is_found_and_clean_questions_are_not_flagged_c():
    """Rasch data, 20 questions; rural pupils find question 7 harder by 1 logit than their
    ability predicts (Δ ≈ −2.35) and question 12 easier by 0.8 logit; the rest are clean."""
    rng = np.random.default_rng(42)
    n = 6000
    rural = pd.Series(rng.random(n) < 0.45)
    theta = rng.normal(size=n) - 0.4 * rural.to_numpy()  # rural lower on average: not DIF
    b = np.linspace(-1.5, 1.5, 20)
    shift = np.zeros((n, 20))
    shift[rural.to_numpy(), 7] = 1.0
    shift[rural.to_numpy(), 12] = -0.8
    p = 1 / (1 + np.exp(-(theta[:, None] - b - shift)))
    items = pd.DataFrame((rng.random((n, 20)) < p).astype(float),
                         columns=[f"{j + 1}" for j in range(20)])
    table = dif_mantel_haenszel(items, dict.fromkeys(items.columns, 1), rural).set_index(
        "question")
    assert table.loc["8", "ets"] == "C" and table.loc["8", "favours"] == "reference"
    assert table.loc["8", "delta"] == pytest.approx(-2.35, abs=0.5)
    assert table.loc["13", "ets"] in ("B", "C") and table.loc["13", "favours"] == "focal"
    clean = table.drop(index=["8", "13"])
    assert (clean["ets"] != "C").all()
    assert table.loc["1", "n_focal"] == rural.sum()


def test_a_question_scored_in_steps_gets_the_standardised_mean_difference():
    rng = np.random.default_rng(9)
    n = 3000
    focal = pd.Series(rng.random(n) < 0.5)
    ability = rng.normal(size=n)
    items = pd.DataFrame({
        "1": (ability + rng.normal(size=n) > 0).astype(float),
        "2": np.clip(np.round(3 + 2 * ability + rng.normal(size=n)
                              - 1.0 * focal.to_numpy()), 0, 6)})
    table = dif_mantel_haenszel(items, {"1": 1, "2": 6}, focal).set_index("question")
    assert table.loc["1", "dichotomous"] and not table.loc["2", "dichotomous"]
    # (with two questions the total is mostly question 2 itself: matching absorbs the DIF)
    assert table.loc["2", "ets"] in ("AA", "BB", "CC") and np.isnan(table.loc["2", "delta"])
    assert table.loc["2", "favours"] == "reference"
    # oracle: plain pandas over the same strata (each total score)
    frame = items.assign(total=items.sum(axis=1), focal=focal)
    means = frame.groupby(["total", "focal"])["2"].mean().unstack()
    counts = frame.groupby(["total", "focal"]).size().unstack()
    both = means.notna().all(axis=1)
    gap = (means.loc[both, True] - means.loc[both, False])
    expected = (counts.loc[both, True] * gap).sum() / counts.loc[both, True].sum() / 6
    assert table.loc["2", "smd"] == pytest.approx(expected, rel=1e-12)
    assert expected < 0


def _mantel_oracle(score, focal, strata):
    """Mantel's χ² written from the sampling of a stratum's focal pupils without replacement:
    Var(F_k) = n_Fk σ_k² (N_k − n_Fk) / (N_k − 1), σ_k² the stratum's score variance (ddof 0)
    — a different route to the same variance."""
    observed = expected = variance = 0.0
    for value in np.unique(strata):
        at = strata == value
        y, f = score[at], focal[at]
        n, n_f = len(y), int(f.sum())
        if n_f == 0 or n_f == n or n < 2:
            continue
        observed += y[f].sum()
        expected += n_f * y.mean()
        variance += n_f * y.var() * (n - n_f) / (n - 1)
    return (observed - expected) ** 2 / variance


@pytest.mark.parametrize("seed", [0, 1])
def test_mantel_s_ordinal_chi2_by_sampling_without_replacement_and_mh_for_right_wrong(seed):
    """Issue 37, point 3: Mantel's χ² for ordered scores equals its formula written another
    way (the variance of a sample sum without replacement) and, for a right/wrong question,
    StratifiedTable's Mantel–Haenszel χ² without continuity correction."""
    from eduqa.models.dif import mantel_ordinal

    rng = np.random.default_rng(seed)
    n = 700
    strata = rng.integers(0, 9, n)
    focal = rng.random(n) < 0.35
    score = np.clip(np.round(strata / 2 + rng.normal(0, 1, n) - 0.4 * focal), 0, 4)
    fit = mantel_ordinal(score, focal, strata)
    assert fit["chi2"] == pytest.approx(_mantel_oracle(score, focal, strata), rel=1e-12)
    right = score >= 2
    theirs = StratifiedTable(_tables(right, focal, strata)).test_null_odds(correction=False)
    assert mantel_ordinal(right.astype(float), focal, strata)["chi2"] == pytest.approx(
        theirs.statistic, rel=1e-12)


def test_polytomous_classes_follow_the_published_bounds_and_find_planted_dif():
    """The ETS polytomous classes (|SMD/SD| 0.17 and 0.25, with Mantel's test); a graded
    question planted harder for the focal group by 0.6 of a score point is CC, its clean
    neighbours AA, in a simulated paper of right/wrong and 0–4 questions."""
    from eduqa.models.dif import ets_polytomous_class

    assert ets_polytomous_class(0.16, 0.001) == "AA"  # small
    assert ets_polytomous_class(-0.30, 0.20) == "AA"  # not significant
    assert ets_polytomous_class(0.20, 0.001) == "BB"
    assert ets_polytomous_class(-0.26, 0.001) == "CC"
    assert ets_polytomous_class(float("nan"), 0.01) == ""
    rng = np.random.default_rng(4)
    n = 4000
    focal = pd.Series(rng.random(n) < 0.4)
    ability = rng.normal(size=n)
    columns = {}
    for j in range(8):
        columns[str(j + 1)] = (ability - (j - 4) / 3 + rng.logistic(size=n) > 0).astype(float)
    for j, shift in enumerate([0.0, 0.6, 0.0]):
        latent = 2 + 1.2 * ability + rng.normal(0, 0.8, n) - shift * focal.to_numpy()
        columns[f"s{j + 1}"] = np.clip(np.round(latent), 0, 4)
    items = pd.DataFrame(columns)
    marks = {**dict.fromkeys(items.columns[:8], 1.0), "s1": 4.0, "s2": 4.0, "s3": 4.0}
    table = dif_mantel_haenszel(items, marks, focal).set_index("question")
    assert table.loc["s2", "ets"] == "CC" and table.loc["s2", "favours"] == "reference"
    assert table.loc["s1", "ets"] == "AA" and table.loc["s3", "ets"] == "AA"
    assert (table.loc[[str(j + 1) for j in range(8)], "ets"] != "C").all()
