"""Generated sentences: small groups are never named best or worst, and are read with caution."""

from __future__ import annotations

import pandas as pd

from eduqa import narrative


def _townships(small):
    return pd.DataFrame({"township": ["甲镇", "乙乡", "丙乡", "丁乡"], "subject": "total",
                         "mean": [300.0, 290.0, 250.0, 180.0], "small_group": small})


def test_township_overview_names_only_groups_above_the_minimum():
    text = narrative.township_overview(_townships([False, False, False, False]))
    assert "甲镇" in text and "丁乡" in text
    text = narrative.township_overview(_townships([True, False, False, True]))
    assert "乙乡" in text and "丙乡" in text and "甲镇" not in text and "丁乡" not in text


def _gap(n_students, small):
    return pd.DataFrame({"subject": ["total"], "indicator": ["mean"], "category": ["rural"],
                         "gap": [40.0], "gap_sd": [0.6], "gap_sd_low": [0.3],
                         "gap_sd_high": [0.9], "ci_low": [20.0], "ci_high": [60.0],
                         "n_schools": [8], "n_students": [n_students], "small_group": [small]})


def test_gap_overview_cautions_on_a_small_group():
    assert "人数过少" not in narrative.gap_overview(_gap(400, False))
    text = narrative.gap_overview(_gap(9, True))
    assert "乡村学生只有 9 人" in text and "人数过少" in text
    assert "only 9 rural students" in narrative.gap_overview(_gap(9, True), "en")
