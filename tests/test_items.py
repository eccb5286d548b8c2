"""Classical item statistics (eduqa.paper.statistics) against hand formulas and brute force."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from eduqa.errors import EduqaError
from eduqa.paper.statistics import (
    BLANK,
    ItemRules,
    cronbach_alpha,
    high_low_groups,
    item_statistics,
    knowledge_point_rates,
    option_shares,
    paper_statistics,
)

# six students, four questions: q1 0/1, q2 out of 4, q3 out of 6 (constant: everyone 3), q4
# out of 10; student 5 has no score on q2 (missing response)
ITEMS = pd.DataFrame({
    "1": [1, 0, 1, 1, 0, 1],
    "2": [4, 1, 3, np.nan, 0, 2],
    "第3题": [3, 3, 3, 3, 3, 3],
    "17(1)": [9, 2, 7, 8, 1, 10],
}, index=[10, 11, 12, 13, 14, 15], dtype=float)
MARKS = {"1": 1, "2": 4, "第3题": 6, "17(1)": 10}


def _brute_alpha(frame: pd.DataFrame) -> float:
    """α from the covariance matrix: k/(k−1) · (1 − trace C / sum C)."""
    cov = frame.cov().to_numpy()
    k = cov.shape[0]
    return k / (k - 1) * (1 - np.trace(cov) / cov.sum())


def test_difficulty_full_and_zero_rates_by_hand():
    stats = item_statistics(ITEMS, MARKS).set_index("question")
    # q2: scores 4, 1, 3, 0, 2 of 5 students -> mean 2, 得分率 0.5, one full, one zero
    assert stats.loc["2", "n"] == 5
    assert stats.loc["2", "difficulty"] == pytest.approx(0.5)
    assert stats.loc["2", "full_rate"] == pytest.approx(1 / 5)
    assert stats.loc["2", "zero_rate"] == pytest.approx(1 / 5)
    assert stats.loc["1", "difficulty"] == pytest.approx(4 / 6)
    assert stats.loc["17(1)", "difficulty"] == pytest.approx(37 / 60)
    assert stats.loc["17(1)", "full_rate"] == pytest.approx(1 / 6)
    assert stats.loc["第3题", "difficulty"] == pytest.approx(0.5)
    assert list(stats.index) == list(ITEMS.columns)


def test_discrimination_is_the_corrected_item_total_correlation_on_complete_rows():
    stats = item_statistics(ITEMS, MARKS).set_index("question")
    complete = ITEMS.dropna()
    for question in ["1", "2", "17(1)"]:
        rest = complete.drop(columns=question).sum(axis=1)
        assert stats.loc[question, "discrimination"] == pytest.approx(
            complete[question].corr(rest), abs=1e-12)
    # a constant question has no correlation, and is not flagged for it
    assert math.isnan(stats.loc["第3题", "discrimination"])
    assert not stats.loc["第3题", "low_discrimination"]


def test_high_low_index_by_brute_force():
    rng = np.random.default_rng(3)
    items = pd.DataFrame(rng.integers(0, 5, size=(41, 5)).astype(float),
                         columns=[f"q{j}" for j in range(5)])
    marks = dict.fromkeys(items.columns, 4)
    stats = item_statistics(items, marks).set_index("question")
    total = items.sum(axis=1)
    n = math.ceil(0.27 * len(items))  # 12 of 41
    cut_high = sorted(total, reverse=True)[n - 1]
    cut_low = sorted(total)[n - 1]
    high, low = items[total >= cut_high], items[total <= cut_low]
    assert len(high) >= n and len(low) >= n
    for question in items.columns:
        expected = (high[question].mean() - low[question].mean()) / 4
        assert stats.loc[question, "high_low"] == pytest.approx(expected, abs=1e-12)


def test_ties_at_the_cut_are_all_in_the_group():
    high, low = high_low_groups(np.array([5, 5, 5, 1, 2, 3, 4, 0, 0, 0]), share=0.27)
    # n = 3: the top three are the three 5s; the bottom three are the three 0s
    assert high.sum() == 3 and low.sum() == 3
    high, low = high_low_groups(np.array([5, 4, 4, 4, 1, 0, 0, 2, 3, 3]), share=0.27)
    assert high.sum() == 4  # 5 and all three 4s
    assert low.sum() == 3


def test_alpha_and_alpha_if_deleted_and_sem_against_the_covariance_formula():
    rng = np.random.default_rng(7)
    ability = rng.normal(size=300)
    items = pd.DataFrame({f"q{j}": np.clip(np.round(2 + ability + rng.normal(size=300)), 0, 5)
                          for j in range(6)})
    items.iloc[[3, 50, 77], 2] = np.nan  # missing responses: those students left out
    complete = items.dropna()
    paper = paper_statistics(items, dict.fromkeys(items.columns, 5))
    assert paper["n"] == 297 and paper["n_incomplete"] == 3 and paper["k"] == 6
    assert paper["alpha"] == pytest.approx(_brute_alpha(complete), abs=1e-12)
    assert cronbach_alpha(items) == pytest.approx(_brute_alpha(complete), abs=1e-12)
    total = complete.sum(axis=1)
    assert paper["sem_points"] == pytest.approx(total.std() * math.sqrt(1 - paper["alpha"]))
    assert paper["mean_score"] == pytest.approx(total.mean())
    assert paper["difficulty"] == pytest.approx(total.mean() / 30)
    assert paper["skewness"] == pytest.approx(total.skew())
    stats = item_statistics(items, dict.fromkeys(items.columns, 5)).set_index("question")
    for question in items.columns:
        assert stats.loc[question, "alpha_if_deleted"] == pytest.approx(
            _brute_alpha(complete.drop(columns=question)), abs=1e-12)


def test_alpha_on_bfi_style_likert_data_equals_the_textbook_formula():
    """Five 6-point Likert items of one trait (as psych's bfi agreeableness scale, the first
    reversed by the analyst beforehand), with missing answers: α is the textbook formula."""
    rng = np.random.default_rng(11)
    trait = rng.normal(size=2800)
    items = pd.DataFrame({f"A{j}": np.clip(np.round(3.5 + 0.9 * trait + rng.normal(size=2800)),
                                           1, 6) for j in range(1, 6)})
    items = items.mask(rng.random(items.shape) < 0.01)
    complete = items.dropna()
    k = 5
    textbook = k / (k - 1) * (1 - complete.var().sum() / complete.sum(axis=1).var())
    assert cronbach_alpha(items) == pytest.approx(textbook, abs=1e-12)
    assert 0.6 < textbook < 0.95


def test_alpha_is_undefined_for_one_question_or_constant_totals():
    assert math.isnan(cronbach_alpha(ITEMS[["1"]]))
    assert math.isnan(cronbach_alpha(pd.DataFrame({"a": [1, 1, 1], "b": [2, 2, 2]})))


def test_review_flags_follow_the_rules():
    rng = np.random.default_rng(5)
    ability = rng.normal(size=400)
    items = pd.DataFrame({
        "easy": (ability + rng.normal(size=400) > -2.2).astype(float),
        "hard": (ability + rng.normal(size=400) > 1.9).astype(float),
        "good": (ability + 0.5 * rng.normal(size=400) > 0).astype(float),
        "good2": (ability + 0.5 * rng.normal(size=400) > 0.3).astype(float),
        "reversed": (-ability + 0.5 * rng.normal(size=400) > 0).astype(float)})
    stats = item_statistics(items, dict.fromkeys(items.columns, 1)).set_index("question")
    assert stats.loc["easy", "too_easy"] and not stats.loc["easy", "too_hard"]
    assert stats.loc["hard", "too_hard"]
    assert stats.loc["reversed", "negative_discrimination"]
    assert stats.loc["reversed", "discrimination"] < 0 and stats.loc["reversed", "high_low"] < 0
    assert not stats.loc["good", "flagged"]
    stricter = item_statistics(items, dict.fromkeys(items.columns, 1),
                               ItemRules(low_discrimination=0.99)).set_index("question")
    assert stricter.loc["good", "low_discrimination"]


def test_options_mark_the_key_and_flag_a_distractor_the_strong_choose():
    choices = pd.DataFrame({"1": ["A", "B", "A", "C", None, "b", "B", "A"]})
    total = pd.Series([90, 85, 80, 20, 10, 95, 88, 15])  # high: 95, 90, 88; low: 10, 15, 20
    table = option_shares(choices, {"1": "A"}, total).set_index("option")
    assert list(table.index) == ["A", "B", "C", BLANK]
    assert table.loc["A", "is_key"] and not table.loc["B", "is_key"]
    assert table.loc["B", "share"] == pytest.approx(3 / 8)  # "b" counts as B
    assert table.loc["B", "share_high"] == pytest.approx(2 / 3)
    assert table.loc["B", "share_low"] == pytest.approx(0)
    assert table.loc["B", "attracts_strong"] and not table.loc["C", "attracts_strong"]
    assert table.loc[BLANK, "n"] == 1
    assert table["share"].sum() == pytest.approx(1)
    # a key nobody chose is still listed
    assert "D" in set(option_shares(choices, {"1": "D"}, total)["option"])
    with pytest.raises(EduqaError, match="no answer key"):
        option_shares(choices, {}, total)


def test_knowledge_points_count_a_question_in_every_point_it_is_tagged_with():
    blueprint = pd.DataFrame({"question": ["1", "2", "2", "17(1)"],
                              "knowledge_point": ["函数", "函数", "几何", "几何"]})
    by = pd.DataFrame({"school_code": ["s1", "s1", "s2", "s2", "s2", "s1"]}, index=ITEMS.index)
    county = knowledge_point_rates(ITEMS, MARKS, blueprint).set_index("knowledge_point")
    # 函数: q1 (4 of 6 marks) + q2 (10 of 5 x 4 = 20) -> 14 / 26
    assert county.loc["函数", "rate"] == pytest.approx(14 / 26)
    # 几何: q2 (10 of 20) + q4 (37 of 60) -> 47 / 80
    assert county.loc["几何", "rate"] == pytest.approx(47 / 80)
    assert county.loc["几何", "questions"] == 2
    schools = knowledge_point_rates(ITEMS, MARKS, blueprint, by).set_index(
        ["school_code", "knowledge_point"])
    # s2 = rows 12, 13, 14: q1 1+1+0 of 3, q2 3+0 of 2 x 4 (row 13 missing)
    assert schools.loc[("s2", "函数"), "rate"] == pytest.approx((2 + 3) / (3 + 8))
    assert schools.loc[("s2", "函数"), "n"] == 3
    with pytest.raises(EduqaError, match="第9题"):
        knowledge_point_rates(ITEMS, MARKS, pd.DataFrame({"question": ["第9题"],
                                                          "knowledge_point": ["x"]}))


def test_questions_without_full_marks_are_a_clear_error():
    with pytest.raises(EduqaError, match="17\\(1\\)"):
        item_statistics(ITEMS, {"1": 1, "2": 4, "第3题": 6})


def test_inputs_are_not_modified():
    before = ITEMS.copy()
    item_statistics(ITEMS, MARKS)
    paper_statistics(ITEMS, MARKS)
    pd.testing.assert_frame_equal(ITEMS, before)
