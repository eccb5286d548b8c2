"""Rasch and 2PL by marginal maximum likelihood (eduqa.models.irt) against published fits of
the LSAT section 6 data and planted parameters."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from eduqa.errors import EduqaError
from eduqa.models.irt import fit_irt, item_characteristic_curves

# LSAT section 6 (Bock & Lieberman 1970): 1,000 examinees, 5 questions; the 30 response
# patterns observed and their frequencies (the other two patterns do not occur), as R's
# ltm::LSAT holds them
LSAT_PATTERNS = """
00000 3   00001 6   00010 2   00011 11  00100 1   00101 1   00110 3   00111 4
01000 1   01001 8   01011 16  01101 3   01110 2   01111 15  10000 10  10001 29
10010 14  10011 81  10100 3   10101 28  10110 15  10111 80  11000 16  11001 56
11010 21  11011 173 11100 11  11101 61  11110 28  11111 298
"""

# ltm::ltm(LSAT ~ z1, IRT.param = TRUE) (Rizopoulos 2006, JSS 17(5)): difficulty, discrimination
LTM_2PL = [(-3.3597, 0.8253), (-1.3696, 0.7229), (-0.2799, 0.8904), (-1.8659, 0.6885),
           (-3.1236, 0.6574)]
# ltm::rasch(LSAT): difficulties with one common discrimination 0.7551 (the same fit as Bock &
# Aitkin's 1981 Rasch MML estimates: centred thresholds a·b of -1.26, 0.48, 1.24, 0.17, -0.62)
LTM_RASCH = ([-3.6153, -1.3224, -0.3176, -1.7301, -2.7802], 0.7551)


def _lsat() -> tuple[pd.DataFrame, np.ndarray]:
    tokens = LSAT_PATTERNS.split()
    patterns, counts = tokens[0::2], np.asarray(tokens[1::2], dtype=float)
    frame = pd.DataFrame([[int(c) for c in p] for p in patterns],
                         columns=[f"Item {j}" for j in range(1, 6)], dtype=float)
    return frame, counts


def test_lsat_has_a_thousand_examinees():
    frame, counts = _lsat()
    assert counts.sum() == 1000 and len(frame) == 30


def test_2pl_on_lsat_matches_ltm_to_two_decimals():
    frame, counts = _lsat()
    fit = fit_irt(frame, "2pl", counts=counts)
    assert fit.converged and fit.n_students == 1000
    assert fit.loglik == pytest.approx(-2466.653, abs=0.001)  # ltm's log.Lik
    for (b, a), (_, row) in zip(LTM_2PL, fit.items.iterrows()):
        assert row["difficulty"] == pytest.approx(b, abs=0.005)
        assert row["discrimination"] == pytest.approx(a, abs=0.005)
    # the same fit from the 1,000 rows themselves
    rows = frame.loc[frame.index.repeat(counts.astype(int))].reset_index(drop=True)
    again = fit_irt(rows, "2pl")
    np.testing.assert_allclose(again.items["difficulty"], fit.items["difficulty"], atol=1e-4)
    assert again.loglik == pytest.approx(fit.loglik, abs=1e-6)


def test_rasch_on_lsat_matches_ltm_and_bock_aitkin():
    frame, counts = _lsat()
    fit = fit_irt(frame, "rasch", counts=counts)
    difficulties, discrimination = LTM_RASCH
    np.testing.assert_allclose(fit.items["difficulty"], difficulties, atol=0.005)
    assert fit.items["discrimination"].nunique() == 1
    assert fit.items["discrimination"].iloc[0] == pytest.approx(discrimination, abs=0.005)
    assert fit.loglik == pytest.approx(-2466.938, abs=0.001)  # ltm's log.Lik
    # ltm's standard errors (summary(rasch(LSAT))): b's, and the common a's 0.0694
    np.testing.assert_allclose(fit.items["se_difficulty"],
                               [0.3266, 0.1422, 0.0977, 0.1691, 0.2510], atol=0.0006)
    assert fit.items["se_discrimination"].iloc[0] == pytest.approx(0.0694, abs=0.0006)
    thresholds = fit.items["discrimination"] * fit.items["difficulty"]
    np.testing.assert_allclose(thresholds - thresholds.mean(), [-1.26, 0.48, 1.24, 0.17, -0.62],
                               atol=0.01)
    # the Rasch model is the 2PL with equal discriminations: never a better likelihood
    assert fit.loglik <= fit_irt(frame, "2pl", counts=counts).loglik + 1e-9


def test_2pl_recovers_planted_parameters_and_its_errors_cover_them():
    rng = np.random.default_rng(2026)
    n, a, b = 5000, np.array([0.6, 1.0, 1.4, 2.0, 0.8, 1.2, 1.7, 0.9]), \
        np.array([-1.5, -0.8, -0.2, 0.0, 0.4, 0.9, 1.3, 2.0])
    theta = rng.normal(size=n)
    p = 1 / (1 + np.exp(-a * (theta[:, None] - b)))
    answers = pd.DataFrame((rng.random((n, len(a))) < p).astype(float),
                           columns=[f"{j + 1}" for j in range(len(a))])
    answers = answers.mask(rng.random(answers.shape) < 0.03)  # some questions not answered
    fit = fit_irt(answers, "2pl")
    items = fit.items
    assert (np.abs(items["discrimination"] - a) < 4 * items["se_discrimination"]).all()
    assert (np.abs(items["difficulty"] - b) < 4 * items["se_difficulty"]).all()
    np.testing.assert_allclose(items["difficulty"], b, atol=0.2)
    np.testing.assert_allclose(items["discrimination"], a, atol=0.25)
    assert (items["n"] < n).all() and (items["n"] > 0.9 * n).all()


def test_curves_are_the_logistic_of_the_fitted_parameters():
    frame, counts = _lsat()
    fit = fit_irt(frame, "2pl", counts=counts)
    curves = item_characteristic_curves(fit, np.array([-1.0, 0.0, 2.0]))
    row = fit.items.iloc[2]
    expected = 1 / (1 + np.exp(-row["discrimination"] * (2.0 - row["difficulty"])))
    got = curves[(curves["question"] == "Item 3") & (curves["theta"] == 2.0)]["p"].iloc[0]
    assert got == pytest.approx(expected)
    assert len(curves) == 15


def test_scores_that_are_not_right_or_wrong_are_a_clear_error():
    with pytest.raises(EduqaError, match="right/wrong"):
        fit_irt(pd.DataFrame({"1": [0, 1, 2], "2": [1, 0, 1]}))
