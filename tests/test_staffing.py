"""Staffing indicators (docs/METHODS.md §B) against hand calculations and plain pandas."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from eduqa.indicators import staffing
from eduqa.indicators.exam import cv

NORMS = {"primary": 19.0, "junior": 13.5, "senior": 12.5}


def frame():
    return pd.DataFrame({
        "school_code": ["P1", "P2", "J1", "N1", "T1"],
        "school_type": ["小学", "小学", "初中", "九年一贯制", "教学点"],
        "urban_rural": ["urban", "rural", "urban", "rural", "rural"],
        "enrollment": [380.0, 190.0, 270.0, 900.0, 30.0],
        "teachers_in_post": [20.0, 8.0, 20.0, 50.0, 2.0],
        "required": [np.nan, np.nan, 22.0, np.nan, np.nan],
        "out_of_field": [1.0, 3.0, 0.0, 10.0, 1.0],
        "share_senior_title": [0.2, 0.1, 0.3, 0.1, 0.0],
    })


def test_indicators_by_hand():
    out = staffing.staffing_indicators(frame(), NORMS).set_index("school_code")
    assert out.loc["P1", "required"] == pytest.approx(20)  # 380 / 19
    assert out.loc["P1", "shortage"] == 0 and out.loc["P1", "shortage_rate"] == 0
    assert out.loc["P2", "shortage"] == pytest.approx(2)  # 10 required, 8 in post
    assert out.loc["P2", "shortage_rate"] == pytest.approx(0.2)
    assert out.loc["J1", "required"] == 22 and out.loc["J1", "required_source"] == "file"
    # nine-year school: 6/9 of pupils on the primary norm, 3/9 on the junior norm
    assert out.loc["N1", "required"] == pytest.approx(600 / 19 + 300 / 13.5)
    assert out.loc["P2", "out_of_field_share"] == pytest.approx(3 / 8)
    assert out.loc["P1", "students_per_teacher"] == pytest.approx(19)


def test_input_not_modified():
    data = frame()
    before = data.copy()
    staffing.staffing_indicators(data, NORMS)
    pd.testing.assert_frame_equal(data, before)


def test_by_group_is_ratio_of_sums():
    derived = staffing.staffing_indicators(frame(), NORMS)
    out = staffing.staffing_by_group(derived).set_index("urban_rural")
    rural = derived[derived["urban_rural"] == "rural"]
    assert out.loc["rural", "shortage_rate"] == pytest.approx(
        rural["shortage"].sum() / rural["required"].sum())
    assert out.loc["rural", "students_per_teacher"] == pytest.approx(1120 / 60)
    assert out.loc["rural", "n_schools"] == 3


def test_resource_balance_excludes_small_teaching_points():
    derived = staffing.staffing_indicators(frame(), NORMS)
    out = staffing.resource_balance(derived, "primary").set_index("indicator")
    kept = derived[derived["school_code"].isin(["P1", "P2", "N1"])]  # T1 has 30 < 50 pupils
    per_100 = 100 * kept["teachers_in_post"] / kept["enrollment"]
    assert out.loc["teachers_per_100", "cv"] == pytest.approx(cv(per_100, kept["enrollment"]))
    assert out.loc["teachers_per_100", "n_schools"] == 3
    assert out.loc["teachers_per_100", "limit"] == 0.50
    assert out.loc["teachers_per_100", "meets"] == (out.loc["teachers_per_100", "cv"] <= 0.5)
    junior = staffing.resource_balance(derived, "junior")
    assert (junior["limit"] == 0.45).all() and (junior["n_schools"] == 2).all()


def test_resource_balance_without_a_senior_title_column_gives_no_verdict():
    """Issue 33: a staffing file without 高级职称 gave 「差异系数为 nan，未达到督导评估标准」,
    ``True`` on the page and 1.0 in the workbook."""
    from eduqa.report import tables
    from eduqa.text import narrative

    derived = staffing.staffing_indicators(frame(), NORMS)
    derived["share_senior_title"] = np.nan  # the column is absent from the staffing file
    out = staffing.resource_balance(derived, "primary")
    assert out["indicator"].tolist() == ["teachers_per_100"]
    assert str(out["meets"].dtype) == "boolean"
    score_cv = pd.DataFrame({"subject": ["total"], "cv": [0.1]})
    text = narrative.cv_overview(score_cv, out, "zh")
    assert "nan" not in text and "高级职称" not in text and "督导评估标准" in text
    _, shown = tables.with_yes_no(out, "zh")
    assert set(shown["meets"]) <= {"是", "否"}
    # read back from Parquet with a missing answer: still 是/否, never 1.0 or True
    back = pd.DataFrame({"indicator": ["a", "b"], "meets": [1.0, np.nan]})
    _, shown = tables.with_yes_no(back, "zh")
    assert shown["meets"].tolist() == ["是", ""]
