"""Indicators against hand calculations and plain pandas (METHODS §A)."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from eduqa.indicators import cv, summarize
from eduqa.params import CompositeWeights, Thresholds

# School A: 90, 60, 59, 0 (sat), one absent, one exempt; school B: 85, 40, 39.5; full marks 100.
SMALL = pd.DataFrame({
    "school": ["A"] * 6 + ["B"] * 3,
    "subject": "math",
    "score": [90, 60, 59, 0, np.nan, np.nan, 85, 40, 39.5],
    "status": ["sat", "sat", "sat", "sat", "absent", "exempt", "sat", "sat", "sat"],
})


def test_hand_calculated_small_case():
    out = summarize(SMALL, "school", {"math": 100}).set_index("school")
    a, b = out.loc["A"], out.loc["B"]
    assert (a["n_enrolled"], a["n_sat"], a["n_absent"]) == (5, 4, 1)
    assert a["participation"] == pytest.approx(4 / 5)
    assert a["mean"] == pytest.approx(209 / 4)
    assert a["sd"] == pytest.approx(np.std([90, 60, 59, 0], ddof=1))
    assert a["pass_rate"] == pytest.approx(2 / 4)  # 90, 60 (60 is a pass)
    assert a["good_rate"] == pytest.approx(1 / 4)
    assert a["excellent_rate"] == pytest.approx(1 / 4)
    assert a["low_rate"] == pytest.approx(1 / 4)  # the zero is a score
    assert a["near_pass"] == 1  # 59 is within 5 points below 60
    assert b["low_rate"] == pytest.approx(1 / 3)  # 39.5 < 40, 40 is not low
    assert b["excellent_rate"] == pytest.approx(1 / 3)  # 85 is excellent
    assert b["near_excellent"] == 0 and a["near_excellent"] == 0
    county_mean = (209 + 164.5) / 7
    assert a["above_mean_rate"] == pytest.approx((209 / 4 - county_mean) / county_mean)
    w = CompositeWeights()
    assert a["composite"] == pytest.approx(100 * (w.score_rate * 209 / 400 + w.pass_rate * 0.5
                                                  + w.excellent_rate * 0.25))


def test_county_summary_matches_plain_pandas(cleaned):
    result = cleaned["2025-spring-g9"]
    full = {"math": 120.0}
    out = summarize(result.scores, None, full).iloc[0]
    math_rows = result.scores[result.scores["subject"] == "math"]
    valid = math_rows.loc[math_rows["status"] == "sat", "score"]
    assert out["n_sat"] == len(valid)
    assert out["mean"] == pytest.approx(valid.mean())
    assert out["pass_rate"] == pytest.approx((valid >= 72).mean())
    assert out["excellent_rate"] == pytest.approx((valid >= 102).mean())
    assert out["low_rate"] == pytest.approx((valid < 48).mean())
    assert math.isnan(out["rank"])


def test_all_absent_group_has_no_rates():
    frame = pd.DataFrame({"school": ["A", "A", "B"], "subject": "math",
                          "score": [np.nan, np.nan, 70], "status": ["absent", "absent", "sat"]})
    a = summarize(frame, "school", {"math": 100}).set_index("school").loc["A"]
    assert (a["n_enrolled"], a["n_sat"], a["participation"]) == (2, 0, 0)
    assert np.isnan(a["mean"]) and np.isnan(a["pass_rate"]) and np.isnan(a["rank"])


def test_ties_share_the_best_rank():
    frame = pd.DataFrame({"school": list("ABC"), "subject": "math", "score": [80, 80, 60],
                          "status": "sat"})
    ranks = summarize(frame, "school", {"math": 100}).set_index("school")["rank"]
    assert ranks.to_dict() == {"A": 1, "B": 1, "C": 3}


def test_small_groups_flagged_and_not_ranked():
    out = summarize(SMALL, "school", {"math": 100}, min_group_size=4).set_index("school")
    assert out.loc["B", "small_group"] and np.isnan(out.loc["B", "rank"])
    assert out.loc["A", "rank"] == 1


def test_custom_thresholds():
    out = summarize(SMALL, None, {"math": 100}, thresholds=Thresholds(pass_line=0.5)).iloc[0]
    assert out["pass_rate"] == pytest.approx(4 / 7)  # 90, 60, 59, 85


def test_input_not_modified():
    before = SMALL.copy()
    summarize(SMALL, "school", {"math": 100})
    pd.testing.assert_frame_equal(SMALL, before)


def test_cv_weighted_by_hand():
    # x = 10 (n=3), 20 (n=1): weighted mean 12.5, variance (3*6.25 + 56.25)/4 = 18.75
    assert cv([10, 20], weights=[3, 1]) == pytest.approx(math.sqrt(18.75) / 12.5)


def test_cv_unweighted_differs():
    assert cv([10, 20]) == pytest.approx(5 / 15)
    assert cv([10, 20]) != pytest.approx(cv([10, 20], weights=[3, 1]))


def test_cv_skips_missing_values():
    assert cv([10, np.nan, 20], weights=[3, 5, 1]) == pytest.approx(cv([10, 20], [3, 1]))
