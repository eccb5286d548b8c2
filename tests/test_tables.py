"""Display tables: small groups shown as such."""

from __future__ import annotations

import re

import pandas as pd

from eduqa import tables


def test_styled_greys_exactly_the_small_group_rows():
    frame = pd.DataFrame({"school_code": ["A", "B", "C", "D"], "n_sat": [120, 4, 80, 9],
                          "mean": [70.0, 90.0, 65.0, 50.0],
                          "small_group": [False, True, False, True]},
                         index=[7, 3, 0, 1])  # a sorted table keeps its old index labels
    html = tables.styled(frame).to_html()
    greyed = set()
    for selectors, body in re.findall(r"([^{}]+)\{([^}]*)\}", html):
        if tables.SMALL_GROUP_STYLE.replace(" ", "") in body.replace(" ", ""):
            greyed |= {int(r) for r in re.findall(r"_row(\d+)_col\d+", selectors)}
    assert greyed == {1, 3}  # the second and fourth rows as shown
    assert html.count(">是<") == 2 and "人数过少" in html


def test_styled_without_small_groups_adds_no_style():
    frame = pd.DataFrame({"school_code": ["A"], "n_sat": [120], "small_group": [False]})
    assert "#8a8a8a" not in tables.styled(frame).to_html()


def test_two_columns_with_one_header_is_a_clear_error():
    import pytest

    from eduqa.errors import EduqaError

    frame = pd.DataFrame({"n_students": [3], "nobs": [3]})  # both 学生数 / Students
    with pytest.raises(EduqaError, match="share the display header"):
        tables.styled(frame, "zh")


def test_weak_subject_table_renders_in_both_languages():
    """Regression: in English n_weak and weak_subjects once shared the header 'Weak subjects'
    and the English page failed."""
    frame = pd.DataFrame({"school_code": ["A"], "school_name": ["甲校"], "township": ["甲镇"],
                          "urban_rural": ["rural"], "n_weak": [2],
                          "weak_subjects": ["Math, English"]})
    for language in ("zh", "en"):
        html = tables.styled(frame, language).to_html()
        assert "Math, English" in html
