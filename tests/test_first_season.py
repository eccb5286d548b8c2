"""Frictions of a county's first season (issue 16): a score export keeps the platform's name,
an optional file may be absent, lines may be given in points, staffing shares may be percents."""

from __future__ import annotations

import pandas as pd
import pytest
import yaml

from eduqa.config.params import load_county, load_season
from eduqa.config.settings import Thresholds
from eduqa.errors import InputError, ParamsError
from eduqa.intake.clean import clean_season
from eduqa.project.checks import season_checks
from eduqa.text.narrative import lines_used


def _edit(path, change):
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")


# --- point 1: the score export found by itself ------------------------------------------------

def test_the_one_score_export_in_the_folder_is_found_and_said(project):
    folder = project.raw / "2024-spring-g8"
    (folder / "scores.csv").rename(folder / "2024春八年级期末成绩.csv")
    (folder / "README.txt").write_text("说明", encoding="utf-8")  # not an export
    (folder / "~$2024春八年级期末成绩.xlsx").write_bytes(b"lock")  # Excel's lock file
    params = load_season(project, "2024-spring-g8")
    assert params.scores_file == folder / "2024春八年级期末成绩.csv"
    (note,) = params.notes
    assert "2024春八年级期末成绩.csv" in note[0] and "已自动使用" in note[1]
    findings = season_checks(params, clean_season(params))
    notes = [f for f in findings if f.severity == "note"]
    assert len(notes) == 1 and "2024春八年级期末成绩.csv" in notes[0].render("zh")
    assert "files.scores" in notes[0].render("en")


def test_a_found_export_keeps_the_exam_name(project):
    """Issue 33: the exam's name read from the params stays the season's name (it titled
    every page, the landing page and the Word report with the file name)."""
    folder = project.raw / "2024-spring-g8"
    (folder / "scores.csv").rename(folder / "2024春八年级期末成绩.csv")
    params = load_season(project, "2024-spring-g8")
    assert params.scores_file.name == "2024春八年级期末成绩.csv"
    assert params.name == "2024年春季八年级期末质量监测"


def test_two_candidate_exports_are_listed_never_guessed(project):
    folder = project.raw / "2024-spring-g8"
    (folder / "scores.csv").rename(folder / "八年级成绩（第一次导出）.csv")
    (folder / "八年级成绩（第一次导出）.csv").with_name("八年级成绩（更正）.xlsx").write_bytes(b"x")
    with pytest.raises(ParamsError) as caught:
        load_season(project, "2024-spring-g8")
    message = caught.value.render("zh")
    assert "八年级成绩（第一次导出）.csv" in message and "八年级成绩（更正）.xlsx" in message
    assert "files.scores" in message and "2 个" in message


def test_no_export_at_all_is_still_an_error(project):
    (project.raw / "2024-spring-g8" / "scores.csv").unlink()  # staffing and targets remain
    with pytest.raises(ParamsError, match="do not exist"):
        load_season(project, "2024-spring-g8")


# --- point 2: a missing optional file is a note ------------------------------------------------

def test_missing_targets_file_is_a_note_and_the_season_cleans(project):
    (project.raw / "2025-spring-g6" / "targets.csv").unlink()
    params = load_season(project, "2025-spring-g6")
    assert params.targets_file is None
    assert "targets" in params.notes[0][0] and "可选" in params.notes[0][1]
    result = clean_season(params)
    assert result.targets.empty
    kinds = {f.severity for f in season_checks(params, result)}
    assert "error" not in kinds and "note" in kinds


def test_missing_staffing_file_is_still_an_error(project):
    (project.raw / "2025-spring-g6" / "staffing.csv").unlink()
    with pytest.raises(ParamsError, match="files.staffing"):
        load_season(project, "2025-spring-g6")


# --- point 3: lines in points -------------------------------------------------------------------

def test_lines_in_points_are_shares_of_the_total(project):
    """2025-spring-g6 has four subjects of 100 (total 400): 总分 300 分及格 is 75%, 良好 320
    is 80%, 340 分优秀 is 85%."""
    _edit(project.params_dir / "county.yaml", lambda d: d["thresholds"].update(
        {"pass_line": "300分", "good": "320 points", "points": {"excellent": 340}}))
    params = load_season(project, "2025-spring-g6")
    assert params.thresholds.pass_line == pytest.approx(0.75)
    assert params.thresholds.excellent == pytest.approx(0.85)
    assert params.county.threshold_points == {"pass_line": 300.0, "good": 320.0,
                                              "excellent": 340.0}
    # the pass rate of the total is the share of totals at or above 300 (plain pandas)
    from eduqa.indicators.exam import summarize

    result = clean_season(params)
    county = summarize(result.scores, None, params.full_marks, thresholds=params.thresholds)
    total = result.scores[(result.scores["subject"] == "total")
                          & (result.scores["status"] == "sat")]["score"].dropna()
    row = county.set_index("subject").loc["total"]
    assert row["pass_rate"] == pytest.approx((total >= 300).mean())
    assert row["excellent_rate"] == pytest.approx((total >= 340).mean())
    # and a subject uses the same share of its own full marks: 75 of 100
    chinese = result.scores[(result.scores["subject"] == "chinese")
                            & (result.scores["status"] == "sat")]["score"].dropna()
    assert county.set_index("subject").loc["chinese", "pass_rate"] == pytest.approx(
        (chinese >= 75).mean())


def test_a_season_share_replaces_county_points(project):
    _edit(project.params_dir / "county.yaml",
          lambda d: d["thresholds"].update({"pass_line": "300 分"}))
    _edit(project.params_dir / "2025-spring-g6.yaml",
          lambda d: d.update({"overrides": {"thresholds": {"pass_line": 0.65}}}))
    params = load_season(project, "2025-spring-g6")
    assert params.thresholds.pass_line == 0.65 and params.county.threshold_points == {}
    # the other way round: the county's share, the season's points (of its own total, 760)
    _edit(project.params_dir / "county.yaml", lambda d: d["thresholds"].update({"pass_line": 0.6}))
    _edit(project.params_dir / "2025-spring-g9.yaml",
          lambda d: d.update({"overrides": {"thresholds": {"pass_line": "456分"}}}))
    params = load_season(project, "2025-spring-g9")
    assert params.full_marks["total"] == 760
    assert params.thresholds.pass_line == pytest.approx(456 / 760)


def test_points_that_do_not_fit_the_season_are_clear_errors(project):
    county = project.params_dir / "county.yaml"
    _edit(county, lambda d: d["thresholds"].update({"pass_line": "500分"}))
    assert load_county(project).threshold_points == {"pass_line": 500.0}
    with pytest.raises(ParamsError) as caught:  # the total of 2025-spring-g6 is 400
        load_season(project, "2025-spring-g6")
    assert "500" in caught.value.render("zh") and "400" in caught.value.render("zh")
    _edit(county, lambda d: d["thresholds"].update({"pass_line": "100分"}))  # 25% < low 40%
    with pytest.raises(ParamsError, match=r"pass_line 0\.25 \(100/400\)") as caught:
        load_season(project, "2025-spring-g6")
    assert "overrides" in caught.value.render("en")
    for wrong, pattern in (("六百分", "600分"), ("-5分", "600分")):
        _edit(county, lambda d, w=wrong: d["thresholds"].update({"pass_line": w}))
        with pytest.raises(ParamsError, match=pattern):
            load_county(project)
    _edit(county, lambda d: d["thresholds"].update({"pass_line": 0.6, "weak_subject": "3分"}))
    with pytest.raises(ParamsError, match="thresholds.weak_subject"):
        load_county(project)


def test_points_set_by_the_season_name_the_season_file_when_they_do_not_fit(project):
    """A line in points from the season's overrides that exceeds the season's total names the
    season file and ``overrides.thresholds.<key>``; one from county.yaml names county.yaml."""
    season = project.params_dir / "2025-spring-g6.yaml"
    _edit(season, lambda d: d.update({"overrides": {"thresholds": {"excellent": "450分"}}}))
    with pytest.raises(ParamsError) as caught:  # the total of 2025-spring-g6 is 400
        load_season(project, "2025-spring-g6")
    error = caught.value
    assert error.key == "overrides.thresholds.excellent" and error.file.name == season.name
    assert "overrides.thresholds.excellent" in error.render("zh") and "450" in error.render("en")
    _edit(season, lambda d: d.pop("overrides"))
    _edit(project.params_dir / "county.yaml",
          lambda d: d["thresholds"].update({"excellent": "450分"}))
    with pytest.raises(ParamsError) as caught:
        load_season(project, "2025-spring-g6")
    assert caught.value.key == "thresholds.excellent"
    assert caught.value.file.name == "county.yaml"


def test_lines_used_states_shares_and_points_by_hand():
    marks = {"chinese": 120, "math": 120, "physics": 100, "total": 340}
    text = lines_used(Thresholds(), marks, {"pass_line": 204.0})
    # 60% of 340 = 204, of 120 = 72, of 100 = 60; 85% of 120 = 102; 40% of 340 = 136
    assert "及格线 60.0%（总分 204 分；满分 120 分的学科 72 分、满分 100 分的学科 60 分）" in text
    assert "满分 120 分的学科 102 分" in text and "总分 136 分" in text
    assert "其中及格线按参数设定为总分 204 分" in text
    english = lines_used(Thresholds(pass_line=0.5), {"chinese": 150, "total": 150}, None, "en")
    assert "pass 50.0% (total 75)" in english and "excellent 85.0% (total 127.5)" in english
    assert "set in points" not in english


# --- point 8: optional staffing shares -----------------------------------------------------------

def _staffing_with_share(project, value):
    path = project.raw / "2025-spring-g6" / "staffing.csv"
    frame = pd.read_csv(path, dtype=str)
    frame.loc[1, "50岁以上教师比例"] = value
    frame.to_csv(path, index=False)
    return frame.loc[1, "学校代码"]


def test_staffing_share_as_percent(project):
    code = _staffing_with_share(project, "35%")
    result = clean_season(load_season(project, "2025-spring-g6"))
    assert result.schools.set_index("school_code").loc[code, "share_over_50"] == pytest.approx(0.35)


def test_staffing_share_outside_zero_one_names_row_and_column(project):
    _staffing_with_share(project, "35")
    with pytest.raises(InputError) as caught:
        clean_season(load_season(project, "2025-spring-g6"))
    message = caught.value.render("zh")
    assert "50岁以上教师比例" in message and "第 3 行" in message and "35%" in message


def test_raw_readme_documents_the_optional_staffing_columns(project):
    from eduqa.project.scaffold import new_season

    _, folder = new_season(project, "2026-spring-g6", "2025-spring-g6")
    text = (folder / "README.txt").read_text(encoding="utf-8")
    for needed in ("share_over_50", "50岁以上教师比例", "share_senior_title",
                   "attribution", "controls", "不必修改", "可选"):
        assert needed in text, needed
