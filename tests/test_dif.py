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


def test_strata_are_scores_when_there_are_enough_students_else_deciles():
    scores = np.repeat(np.arange(10.0), 30)
    assert np.array_equal(score_strata(scores), scores)
    spread = np.arange(200.0)
    deciles = score_strata(spread)
    assert sorted(np.unique(deciles)) == list(range(1, 11))
    assert np.bincount(deciles.astype(int))[1:].tolist() == [20] * 10


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
    assert table.loc["2", "ets"] == "" and np.isnan(table.loc["2", "delta"])
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
