"""Issue 33: defects met on county shapes unlike the demo, each shown on a small county of
that shape (the sweep, tests/test_sweep.py, tries many shapes at once)."""

from __future__ import annotations

import shutil

import pandas as pd
import pytest

from eduqa.config.params import load_season
from eduqa.errors import InputError
from eduqa.intake.clean import clean_season
from eduqa.project.scaffold import init_project, new_season
from eduqa.synth import write_other_county

from conftest import REPO

SEASON = "2026-spring-g6"


@pytest.fixture(autouse=True)
def _salt(monkeypatch):
    monkeypatch.setenv("EDUQA_SALT", "a county's own test key")


def _county(tmp_path, change=None):
    """The generated 17-school county as a new project; ``change(roster, export)`` edits its
    roster and score export (as frames) before they are copied in."""
    project = init_project(tmp_path / "county", "青山县", notebooks=REPO / "notebooks")
    files = write_other_county(tmp_path / "exports", SEASON, export_name="scores.xlsx")
    roster = pd.read_csv(files["roster"], dtype=str)
    export = pd.read_excel(files["scores"], skiprows=1, dtype=str, engine="openpyxl")
    if change is not None:
        change(roster, export)
    roster.to_csv(project.raw / "schools.csv", index=False)
    new_season(project, SEASON)
    export.to_excel(project.raw / SEASON / "scores.xlsx", index=False)
    shutil.copy(files["staffing"], project.raw / SEASON / "staffing.csv")
    staffing = pd.read_csv(project.raw / SEASON / "staffing.csv", dtype=str)
    staffing.insert(0, "学校代码", roster["学校代码"])  # by code: the names may repeat
    staffing.drop(columns="学校名称").to_csv(project.raw / SEASON / "staffing.csv", index=False)
    return project, roster, export


def _share_a_name(roster, export):
    """Two schools of different townships (rows 5 and 11 of the roster) renamed 中心小学, in
    the roster and in the export."""
    first, second = roster.loc[5, "学校名称"], roster.loc[11, "学校名称"]
    assert roster.loc[5, "乡镇"] != roster.loc[11, "乡镇"]
    export.loc[export["学校"].isin([first, second]), "学校"] = "中心小学"
    export.insert(0, "原学校", export["学校"])
    roster.loc[[5, 11], "学校名称"] = "中心小学"


def test_same_named_schools_without_codes_are_an_error_naming_both(tmp_path):
    project, roster, _ = _county(tmp_path, _share_a_name)
    params = load_season(project, SEASON)
    with pytest.raises(InputError) as caught:
        clean_season(params)
    message = caught.value.render("zh")
    assert "中心小学" in message and "学校代码" in message
    for k in (5, 11):
        assert roster.loc[k, "学校代码"] in message and roster.loc[k, "乡镇"] in message
    assert caught.value.row is not None


def test_same_named_schools_are_told_apart_by_the_export_s_code_column(tmp_path):
    def change(roster, export):
        codes = dict(zip(roster["学校名称"], roster["学校代码"]))
        export.insert(0, "学校代码", export["学校"].map(codes))
        _share_a_name(roster, export)

    project, roster, export = _county(tmp_path, change)
    result = clean_season(load_season(project, SEASON))
    pupils = result.students.groupby("school_code").size()
    expected = export.groupby("学校代码").size()  # plain pandas on the export itself
    assert pupils.sort_index().to_dict() == expected.sort_index().to_dict()
    assert (pupils[[roster.loc[5, "学校代码"], roster.loc[11, "学校代码"]]] > 0).all()


def _with_township(roster, export):
    """The export gains the township of each row's school (as platforms often export it),
    then two schools share a name."""
    towns = dict(zip(roster["学校名称"], roster["乡镇"]))
    export.insert(3, "乡镇", export["学校"].map(towns))
    _share_a_name(roster, export)


def test_same_named_schools_are_told_apart_by_the_export_s_township_column(tmp_path):
    project, roster, export = _county(tmp_path, _with_township)
    result = clean_season(load_season(project, SEASON))
    codes = dict(zip(roster["乡镇"] + "/" + roster["学校名称"], roster["学校代码"]))
    # the oracle: each row's school found by (township, name) in plain pandas
    expected = (export["乡镇"] + "/" + export["学校"]).map(codes).value_counts()
    pupils = result.students.groupby("school_code").size()
    assert pupils.sort_index().to_dict() == expected.sort_index().to_dict()
    both = [roster.loc[5, "学校代码"], roster.loc[11, "学校代码"]]
    assert (pupils[both] > 0).all()
    log = result.log[result.log["kind"] == "shared_name_township"]
    assert len(log) == int((export["学校"] == "中心小学").sum())
    assert set(log["column"]) == {"乡镇"} and log["original_value"].isna().all()


def test_a_township_that_is_none_of_the_same_named_schools_is_an_error(tmp_path):
    def change(roster, export):
        _with_township(roster, export)
        export.loc[export.index[export["学校"] == "中心小学"][0], "乡镇"] = "不存在镇"

    project, roster, export = _county(tmp_path, change)
    with pytest.raises(InputError) as caught:
        clean_season(load_season(project, SEASON))
    message = caught.value.render("zh")
    assert "不存在镇" in message and "都不符" in message and roster.loc[5, "学校代码"] in message


def test_a_six_school_county_without_town_schools_and_no_school_variance_runs(tmp_path):
    """The acceptance shapes: six schools, only 城区 and 乡村 (no 镇区), every school alike
    (between-school SD 0: the school variance is estimated at or near 0), defaults
    throughout — the season validates and runs, and no page, Word paragraph or workbook cell
    shows nan/inf/None/True/False or a wrong direction."""
    from dataclasses import replace

    from eduqa.shapes import draw_shape
    from eduqa.sweep import run_shape

    base = draw_shape(7)
    schools = tuple((kind, 0, 120, 3) for kind in ("城区", "城区", "城区", "乡村", "乡村", "乡村"))
    shape = replace(base, schools=schools, school_sd=0.0, paper="mixed", prior="none",
                    same_name=False, export_codes=False, effects={"城区": 0.0, "镇区": 0.0,
                                                                    "乡村": 0.0})
    assert shape.categories == ("城区", "乡村") and shape.n_schools == 6
    result = run_shape(shape, tmp_path, notebooks=REPO / "notebooks")
    assert result.validate_exit == 0 and result.run_exit == 0, result.violations
    assert result.ok, result.violations


def test_validate_says_beforehand_what_the_attribution_page_leaves_out(tmp_path, capsys):
    """Issue 33, point 2: a county with no 城区 school — the decomposition cannot be made;
    validate says so in the page's own words before the run."""
    from eduqa.attribution import gap_plan, school_covariates
    from eduqa.cli import main
    from eduqa.text.narrative import plan_note

    def no_urban(roster, export):
        roster.loc[roster["城乡类型"] == "城区", "城乡类型"] = "镇区"

    project, roster, _ = _county(tmp_path, no_urban)
    assert main(["--project", str(project.root), "validate", SEASON]) == 0
    out = capsys.readouterr().out
    params = load_season(project, SEASON)
    schools = clean_season(params).schools
    plan = gap_plan(school_covariates(schools[schools["n_students"] > 0]),
                    **params.county.attribution)
    assert plan.left_out.get("rural") == "no_urban"
    assert plan_note(plan, "zh").strip() in out and "说明" in out
    assert "没有城区学校" in out
