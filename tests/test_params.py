"""Params files are validated on load: errors name the file and the key."""

from __future__ import annotations

import pytest
import yaml

from eduqa.config.params import load_county, load_season
from eduqa.errors import ParamsError, ParamsProblems

from conftest import SEASONS


def _edit(path, change):
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")


@pytest.mark.parametrize("season", SEASONS)
def test_demo_seasons_load(repo_project, season):
    params = load_season(repo_project, season)
    assert params.season == season
    assert params.full_marks["total"] == sum(params.subjects.values())
    assert params.scores_file.is_file()


def test_subject_aliases_become_canonical(repo_project):
    params = load_season(repo_project, "2025-spring-g9")
    assert params.subjects["chinese"] == 120
    assert params.subjects["morality_law"] == 100


def test_unknown_key_suggests_the_right_one(project):
    path = project.params_dir / "2025-spring-g9.yaml"
    _edit(path, lambda d: d.update({"compare_whit": None}))
    with pytest.raises(ParamsError) as info:
        load_season(project, "2025-spring-g9")
    message = str(info.value)
    assert "2025-spring-g9.yaml" in message and "compare_whit" in message
    assert "compare_with" in message  # the suggestion


def test_unknown_nested_key(project):
    _edit(project.params_dir / "county.yaml", lambda d: d["thresholds"].update({"pas": 0.6}))
    with pytest.raises(ParamsError, match=r"county.yaml.*thresholds\.pas"):
        load_county(project)


def test_wrong_type_names_the_key(project):
    _edit(project.params_dir / "2024-spring-g6.yaml", lambda d: d.update({"grade": "six"}))
    with pytest.raises(ParamsError, match=r"2024-spring-g6.yaml, key 'grade'"):
        load_season(project, "2024-spring-g6")


def test_threshold_out_of_range(project):
    _edit(project.params_dir / "county.yaml", lambda d: d["thresholds"].update({"pass_line": 60}))
    with pytest.raises(ParamsError, match=r"thresholds\.pass_line.*between 0 and 1"):
        load_county(project)


def test_threshold_order(project):
    _edit(project.params_dir / "county.yaml", lambda d: d["thresholds"].update({"excellent": 0.5}))
    with pytest.raises(ParamsError, match="low <= pass_line <= good <= excellent"):
        load_county(project)


def test_missing_file_names_key(project):
    (project.raw / "2024-spring-g8" / "scores.csv").unlink()
    with pytest.raises(ParamsError) as info:
        load_season(project, "2024-spring-g8")
    message = str(info.value)
    assert "files.scores: data/raw/2024-spring-g8/scores.csv" in message
    assert "do not exist" in message and "2024-spring-g8.yaml" in message


def test_missing_params_file(project):
    with pytest.raises(ParamsError, match="does not exist"):
        load_season(project, "2030-spring-g6")


def test_season_id_must_match_file(project):
    _edit(project.params_dir / "2024-spring-g6.yaml", lambda d: d.update({"season": "x"}))
    with pytest.raises(ParamsError, match="differs from the file name"):
        load_season(project, "2024-spring-g6")


def test_unknown_subject(project):
    _edit(project.params_dir / "2024-spring-g6.yaml", lambda d: d["subjects"].update({"书法": 50}))
    with pytest.raises(ParamsError, match=r"subjects\.书法"):
        load_season(project, "2024-spring-g6")


def test_invalid_yaml(project):
    (project.params_dir / "2024-spring-g6.yaml").write_text("season: [unclosed\n")
    with pytest.raises(ParamsError, match="not valid YAML"):
        load_season(project, "2024-spring-g6")


def test_overrides_apply_to_one_season(project):
    _edit(project.params_dir / "2024-spring-g6.yaml",
          lambda d: d.update({"overrides": {"thresholds": {"excellent": 0.9},
                                            "min_group_size": 5}}))
    params = load_season(project, "2024-spring-g6")
    assert params.thresholds.excellent == 0.9
    assert params.thresholds.pass_line == 0.6  # untouched
    assert params.county.min_group_size == 5
    assert load_season(project, "2025-spring-g6").thresholds.excellent == 0.85


def test_model_terms_from_params(project):
    params = load_season(project, "2025-spring-g6")
    assert params.county.attribution["staffing"] == ["shortage_rate", "out_of_field_share"]
    _edit(project.params_dir / "2025-spring-g6.yaml",
          lambda d: d.update({"overrides": {"attribution": {"controls": ["share_over_50"]}}}))
    params = load_season(project, "2025-spring-g6")
    assert params.county.attribution["controls"] == ["share_over_50"]
    assert params.county.attribution["place"] == ["town", "rural"]  # untouched


def test_added_model_term_reaches_the_model(project):
    """A statistician adds a predictor in params; the model sequence uses it."""
    from eduqa.attribution import model_frame, model_sequence
    from eduqa.intake.clean import clean_season

    _edit(project.params_dir / "2025-spring-g6.yaml",
          lambda d: d.update({"overrides": {"attribution": {"controls": ["share_over_50"]}}}))
    params = load_season(project, "2025-spring-g6")
    result = clean_season(params)
    frame = model_frame(result.scores, result.schools)
    sequence = model_sequence(frame, **params.county.attribution)
    assert "share_over_50" in set(sequence.coefficients.query("model == 'M3'")["term"])


def test_unknown_model_term_group(project):
    _edit(project.params_dir / "county.yaml",
          lambda d: d["attribution"].update({"mediators": ["x"]}))
    with pytest.raises(ParamsError, match=r"attribution\.mediators"):
        load_county(project)


# --- the paper analysis's files and rules -----------------------------------------------------


def _with_paper_files(project, items=None, blueprints=None):
    folder = project.root / "data" / "raw" / "2025-spring-g9"
    (folder / "items-math.csv").write_text("考号,学校,1\n", encoding="utf-8")
    (folder / "blueprint-math.csv").write_text("题号,分值\n1,3\n", encoding="utf-8")
    path = project.params_dir / "2025-spring-g9.yaml"

    def change(data):
        if items is not None:
            data["files"]["items"] = items
        if blueprints is not None:
            data["files"]["blueprints"] = blueprints
    _edit(path, change)


def test_item_scores_and_blueprints_are_read_by_subject(project):
    _with_paper_files(project, {"数学": "data/raw/2025-spring-g9/items-math.csv"},
                      {"math": "data/raw/2025-spring-g9/blueprint-math.csv"})
    params = load_season(project, "2025-spring-g9")
    assert params.item_files["math"].name == "items-math.csv"
    assert params.blueprint_files["math"].name == "blueprint-math.csv"
    assert "items.math" in params.input_files() and "blueprints.math" in params.input_files()


@pytest.mark.parametrize("items, blueprints, message", [
    ({"数学": "data/raw/2025-spring-g9/items-math.csv"}, None, "go together"),
    ({"生物": "data/raw/2025-spring-g9/items-math.csv"},
     {"生物": "data/raw/2025-spring-g9/blueprint-math.csv"}, "not a subject of this season"),
    ({"数学": "data/raw/2025-spring-g9/nothing.csv"},
     {"数学": "data/raw/2025-spring-g9/blueprint-math.csv"}, "does not exist"),
    ({"数学": "../outside.csv"}, {"数学": "data/raw/2025-spring-g9/blueprint-math.csv"},
     "files.items"),
])
def test_paper_file_errors_name_the_key(project, items, blueprints, message):
    _with_paper_files(project, items, blueprints)
    with pytest.raises(ParamsError, match=message) as info:
        load_season(project, "2025-spring-g9")
    assert "2025-spring-g9.yaml" in str(info.value)


def test_paper_rules_from_county_yaml(project):
    _edit(project.params_dir / "county.yaml",
          lambda d: d.update({"paper": {"hard": 0.25, "sum_tolerance": 1}}))
    rules = load_county(project).paper
    assert rules.hard == 0.25 and rules.sum_tolerance == 1.0 and rules.easy == 0.9
    _edit(project.params_dir / "county.yaml",
          lambda d: d.update({"paper": {"low_discrimination": 2}}))
    with pytest.raises(ParamsError, match="paper.low_discrimination"):
        load_county(project)


def test_tiers_from_county_yaml(project):
    _edit(project.params_dir / "county.yaml",
          lambda d: d.update({"tiers": {"by": ["urban_rural", "size"], "size_bands": [200, 800]}}))
    rules = load_county(project).tiers
    assert rules.by == ("urban_rural", "size") and rules.size_bands == (200, 800)
    assert rules.baseline_groups == 3


@pytest.mark.parametrize("tiers, message", [
    ({"by": ["township"]}, "township"), ({"by": ["size", "size"]}, "tiers.by"),
    ({"size_bands": [800, 200]}, "tiers.size_bands"), ({"baseline_groups": 1}, "baseline_groups"),
    ({"by": ["size"], "bands": [1]}, "tiers.bands")])
def test_wrong_tiers_are_named(project, tiers, message):
    _edit(project.params_dir / "county.yaml", lambda d: d.update({"tiers": tiers}))
    with pytest.raises(ParamsError, match=message):
        load_county(project)


@pytest.mark.parametrize("where, key, value", [
    ("season", "subjects.语文", ".nan"), ("season", "subjects.语文", ".inf"),
    ("county", "min_group_size", "-3"), ("county", "composite_weights.pass_rate", ".nan"),
    ("county", "thresholds.pass_line", ".nan")])
def test_non_finite_and_negative_values_are_refused(project, where, key, value):
    """Issue 33: validate accepted full marks .nan/.inf, a negative min_group_size and a NaN
    weight (written as YAML, as an office would type them)."""
    path = (project.params_dir / "county.yaml" if where == "county"
            else project.params_dir / "2025-spring-g9.yaml")
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    *parents, last = key.split(".")
    node = data
    for part in parents:
        node = node[part]
    node[last] = yaml.safe_load(value)
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    with pytest.raises(ParamsError) as caught:
        load_season(project, "2025-spring-g9")
    assert caught.value.key.endswith(last)
    assert path.name in caught.value.render("zh")


def test_every_problem_of_a_season_file_is_named_in_one_pass(project):
    """Issue 33: validate named one problem a round. Five independent problems, one error."""
    path = project.params_dir / "2025-spring-g9.yaml"

    def spoil(data):
        data.update({"subjets": 1, "nmae": "x"})  # two unknown keys
        data["subjects"].update({"书法": 50, "地理": float("nan")})  # unknown, not finite
        data["overrides"] = {"min_group_size": -3}  # negative count

    _edit(path, spoil)
    with pytest.raises(ParamsProblems) as info:
        load_season(project, "2025-spring-g9")
    keys = [problem.key for problem in info.value.problems]
    assert sorted(keys) == sorted(["subjets", "nmae", "subjects.书法", "subjects.地理",
                                   "overrides.min_group_size"])
    message, zh = str(info.value), info.value.render("zh")
    assert message.startswith("5 problems") and all(f"({n})" in message for n in range(1, 6))
    assert zh.startswith("5 处参数问题") and "书法" in zh and "min_group_size" in zh
    assert isinstance(info.value, ParamsError)  # callers catching ParamsError still do


def test_every_problem_of_county_yaml_is_named_in_one_pass(project):
    _edit(project.params_dir / "county.yaml",
          lambda d: d.update({"min_group_size": -1, "language": "fr", "engine": "spark"}))
    with pytest.raises(ParamsProblems) as info:
        load_county(project)
    assert sorted(p.key for p in info.value.problems) == ["engine", "language", "min_group_size"]


@pytest.mark.parametrize("key", ["compare_with", "cohort_prior"])
def test_a_named_season_must_have_params(project, key):
    path = project.params_dir / "2025-spring-g9.yaml"
    _edit(path, lambda d: d.update({key: "2024-spring-g7"}))
    with pytest.raises(ParamsError) as info:
        load_season(project, "2025-spring-g9")
    assert info.value.key == key and "params/2024-spring-g7.yaml" in str(info.value)
    assert "2024-spring-g8" in info.value.hint  # the seasons that exist are listed
    _edit(path, lambda d: d.update({key: "2025-spring-g9"}))
    with pytest.raises(ParamsError, match="itself"):
        load_season(project, "2025-spring-g9")
    _edit(path, lambda d: d.update({key: "2024-spring-g8"}))
    assert getattr(load_season(project, "2025-spring-g9"), key) == "2024-spring-g8"


def test_all_missing_subject_columns_are_named_at_once(project):
    import pandas as pd

    from eduqa.errors import InputError
    from eduqa.intake.clean import clean_season

    csv = project.raw / "2025-spring-g9" / "scores.csv"
    pd.read_csv(csv, dtype=str, keep_default_na=False).drop(
        columns=["物理", "化学", "历史"]).to_csv(csv, index=False)
    with pytest.raises(InputError) as info:
        clean_season(load_season(project, "2025-spring-g9"))
    message = str(info.value)
    assert "3 subjects are missing" in message
    assert all(name in message for name in ("物理", "化学", "历史"))


def test_validate_all_checks_every_season_after_one_fails(project, capsys):
    from eduqa.cli import main

    _edit(project.params_dir / "2024-spring-g8.yaml",
          lambda d: d["subjects"].update({"书法": 50}))
    assert main(["--project", str(project.root), "--lang", "en", "validate", "--all"]) == 2
    out, err = capsys.readouterr()
    assert "2024-spring-g8" in err and "书法" in err
    passed = [line.split(":")[0] for line in out.splitlines() if ": OK" in line]
    assert passed == [s for s in SEASONS if s != "2024-spring-g8"]
