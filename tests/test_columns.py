"""The column registry (eduqa/config/columns.py): one entry labels, formats and suppresses a
column on the page, in the workbook and in the Word report, in Chinese and in English."""

from __future__ import annotations

import re

import openpyxl
import pandas as pd
import pytest

from eduqa import indicators
from eduqa.config import columns
from eduqa.config.columns import PERCENT, Column, View
from eduqa.config.labels import label
from eduqa.indicators.privacy import DESCRIPTORS, PUPIL_COUNTS
from eduqa.report import tables
from eduqa.report.word import display_cells as _display


def _scores() -> pd.DataFrame:
    """Two schools, one subject: school A's five pupils score 95, 80, 61, 40, 30 (of 100),
    school B's five 90, 85, 70, 65, 20."""
    marks = {"A": [95, 80, 61, 40, 30], "B": [90, 85, 70, 65, 20]}
    rows = [(school, "math", float(v), "sat") for school, values in marks.items() for v in values]
    return pd.DataFrame(rows, columns=["school_code", "subject", "score", "status"])


def top_half_rate(summary: pd.DataFrame, scores: pd.DataFrame) -> pd.DataFrame:
    """A toy indicator, computed as an analyst would add one: the share of a group's pupils
    who scored at least 75% of full marks (here 75 of 100)."""
    groups = [c for c in summary.columns if c in ("school_code",)]
    share = (scores.assign(top=scores["score"] >= 75)
             .groupby([*groups, "subject"])["top"].mean().rename("top_half_rate").reset_index())
    return summary.merge(share, on=[*groups, "subject"], how="left")


TOY = Column("top_half_rate", "高分率（玩具）", "Top-half rate (toy)", PERCENT)


@pytest.mark.parametrize("language", ["zh", "en"])
def test_a_toy_indicator_added_to_the_registry_reaches_page_workbook_and_word(tmp_path,
                                                                            language):
    scores = _scores()
    summary = indicators.rank_change(top_half_rate(indicators.summarize(
        scores, "school_code", {"math": 100}), scores), None)  # (as notebook 02 makes it)
    header = TOY.zh if language == "zh" else TOY.en
    with columns.registered(TOY, views={"school_subjects": 5}):
        shown = tables.pick(tables.school_table(summary, pd.DataFrame(
            {"school_code": ["A", "B"], "school_name": ["甲校", "乙校"],
             "township": ["城关镇", "河口乡"], "urban_rural": ["urban", "rural"]})),
            "school_subjects")
        assert list(shown.columns).index("top_half_rate") == 5
        # the page: the label and the value as a percent (A: 2 of 5 at 75 or more; B: 2 of 5)
        html = tables.styled(shown, language, view="school_subjects").to_html()
        assert f"col5\" >{header}<" in html
        assert re.findall(r'class="data row\d col5" >([^<]*)<', html) == ["40.0%", "40.0%"]
        # the workbook: the header, the value, a percent format, in the table's sheet
        path = tables.write_workbook({"school_subjects": shown}, tmp_path / "t.xlsx", language)
        sheet = openpyxl.load_workbook(path)[label("school_subjects", language)]
        head = [c.value for c in sheet[1]]
        column = head.index(header)
        cells = [row[column] for row in sheet.iter_rows(min_row=2)]
        assert [c.value for c in cells] == pytest.approx([0.4, 0.4])
        assert {c.number_format for c in cells} == {"0.0%"}
        # the Word report's cells
        headers, rows = _display(shown, language, view="school_subjects")
        assert header in headers and [r[headers.index(header)] for r in rows] == ["40.0%"] * 2
    # out of the block, the registry is as it was: the table no longer shows the column
    assert "top_half_rate" not in tables.pick(shown, "school_subjects").columns
    assert label("top_half_rate", language) == "top_half_rate"


def test_a_view_naming_a_column_its_frame_lacks_is_a_clear_error():
    with pytest.raises(Exception, match="top_half_rate.*eduqa/config/columns.py"):
        with columns.registered(TOY, views={"county_subjects": 1}):
            tables.pick(pd.DataFrame({"subject": ["math"]}), "county_subjects")


def test_a_view_formats_a_column_otherwise_on_the_page_and_in_the_workbook(tmp_path):
    """gap_rates shows its gaps as percents; the same column elsewhere is a number."""
    frame = pd.DataFrame({"category": ["rural"], "gap": [-0.0524], "n_students": [300]})
    assert ">-5.2%<" in tables.styled(frame, view="gap_rates").to_html()
    assert ">-0.1<" in tables.styled(frame).to_html()  # (a number: one decimal)
    path = tables.write_workbook({"gap_rates": frame, "gap_other": frame}, tmp_path / "g.xlsx")
    book = openpyxl.load_workbook(path)
    assert book[label("gap_rates")]["B2"].number_format == "0.0%"
    assert book["gap_other"]["B2"].number_format == "#,##0.0"  # (gap: a number)


def test_views_name_only_registered_columns_and_formats_of_known_kinds():
    for name, view in columns.VIEWS.items():
        assert isinstance(view, View)
        unknown = [c for c in view.columns if c not in columns.COLUMNS]
        assert not unknown, (name, unknown)
        for kind, _ in [*view.formats.values(), *([view.others] if view.others else [])]:
            assert kind in columns.KINDS, name
    with pytest.raises(ValueError, match="unknown kind"):
        Column("x", "甲", "x", "percentage")


def test_the_small_group_rule_comes_from_the_registry():
    assert set(PUPIL_COUNTS) == {c.name for c in columns.COLUMNS.values()
                                 if c.small_group == columns.COUNT}
    assert {"n_sat", "n_students"} <= set(PUPIL_COUNTS) and "mean" not in DESCRIPTORS
    assert {"school_name", "subject", "n_sat"} <= DESCRIPTORS
    small = pd.DataFrame({"school_code": ["A", "B"], "n_sat": [3, 40], "mean": [61.0, 70.0]})
    assert tables.suppress(small, 5)["mean"].isna().tolist() == [True, False]


def test_no_column_is_registered_twice():
    """A second Column of one name would silently replace the first (issue 37: the graded
    model's 'score reached' took the score bands' header and small-group rule)."""
    from eduqa.config.columns import _COLUMNS, COLUMNS

    assert len(COLUMNS) == len(_COLUMNS)
    assert COLUMNS["score_band"].zh == "分数段（分）"
