"""No way in through the user's files (issue 11, points 13, 14, 16): YAML that would run code or
expand without bound, season ids and paths that would leave the project, and student keys made
with the public demo key for a real county."""

from __future__ import annotations

import os
import subprocess
import sys

import pandas as pd
import pytest

from eduqa.config.params import load_county, load_season
from eduqa.errors import EduqaError, ParamsError


def eduqa(project, *args, env=None, timeout=120):
    environment = {**os.environ, **(env or {})}
    return subprocess.run([sys.executable, "-m", "eduqa", "--project", str(project.root), *args],
                          capture_output=True, text=True, timeout=timeout, env=environment)


def _tree(root):
    """Every path under the project, but the lock files of a season being written."""
    return sorted(str(p.relative_to(root)) for p in root.rglob("*")
                  if not p.name.startswith(".lock-"))


# --- YAML ------------------------------------------------------------------------------------


def test_python_tags_in_params_never_run(project, tmp_path):
    marker = tmp_path / "ran"
    season = project.params_dir / "2025-spring-g9.yaml"
    season.write_text(season.read_text(encoding="utf-8") + (
        f"extra: !!python/object/apply:os.system ['touch {marker}']\n"), encoding="utf-8")
    with pytest.raises(ParamsError) as caught:
        load_season(project, "2025-spring-g9")
    assert not marker.exists()
    assert "python/object" in str(caught.value) and len(str(caught.value)) < 600
    done = eduqa(project, "validate", "2025-spring-g9")
    assert done.returncode == 2 and not marker.exists() and "Traceback" not in done.stderr


def test_yaml_aliases_are_refused_before_they_expand(project):
    """'Billion laughs': nine levels of nine aliases would be 10⁹ strings. Refused at the first
    alias, with a short message (a timeout guards the test from a hang)."""
    lines = ['a0: &a0 ["lol"]']
    lines += [f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 9) + "]" for i in range(1, 10)]
    county = project.params_dir / "county.yaml"
    county.write_text(county.read_text(encoding="utf-8") + "\n".join(lines) + "\n",
                      encoding="utf-8")
    with pytest.raises(ParamsError) as caught:
        load_county(project)
    assert "aliases" in str(caught.value) and len(str(caught.value)) < 600
    done = eduqa(project, "validate", "2025-spring-g9", timeout=60)
    assert done.returncode == 2 and "别名" in done.stderr and len(done.stderr) < 800


def test_an_oversized_params_file_is_refused(project):
    county = project.params_dir / "county.yaml"
    county.write_text(county.read_text(encoding="utf-8") + "#" * 1_100_000 + "\n",
                      encoding="utf-8")
    with pytest.raises(ParamsError, match="larger than"):
        load_county(project)


# --- season ids and paths ------------------------------------------------------------------------

BAD_IDS = ["../2025-spring-g9", "..", "/tmp/2025-spring-g9", "2025 spring g9",
           "2025-spring-g9;rm -rf x", "2025-spring-g9\n", "2025-spring-$(id)", "2025-spring-g9/..",
           "2025-spring-g9`id`", "２０２５-spring-g9"]


@pytest.mark.parametrize("command", ["run", "validate", "clean", "new-season"])
def test_bad_season_ids_are_refused_by_every_command_before_anything_is_created(project,
                                                                                command):
    before = _tree(project.root)
    for bad in BAD_IDS:
        args = [command, bad] + (["--from", "2025-spring-g9"] if command == "new-season" else [])
        done = eduqa(project, *args)
        assert done.returncode == 2, (bad, done.stderr)
        assert "不是有效的考试季名称" in done.stderr and "Traceback" not in done.stderr
    done = eduqa(project, "new-season", "2026-spring-g9", "--from", "../x")
    assert done.returncode == 2 and "不是有效的考试季名称" in done.stderr
    assert _tree(project.root) == before


def test_input_paths_may_not_leave_the_project(project, tmp_path):
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    source = project.raw / "2025-spring-g9" / "scores.csv"
    (outside / "scores.csv").write_bytes(source.read_bytes())
    season = project.params_dir / "2025-spring-g9.yaml"
    original = season.read_text(encoding="utf-8")
    for path in (str(outside / "scores.csv"), "../" * 3 + "scores.csv",
                 "data/raw/../../../scores.csv"):
        season.write_text(original.replace("data/raw/2025-spring-g9/scores.csv", path),
                          encoding="utf-8")
        with pytest.raises(ParamsError, match="outside the project"):
            load_season(project, "2025-spring-g9")
    # a symlink inside the project that points outside it is refused too
    link = project.raw / "2025-spring-g9" / "linked.csv"
    link.symlink_to(outside / "scores.csv")
    season.write_text(original.replace("scores.csv", "linked.csv"), encoding="utf-8")
    with pytest.raises(ParamsError, match="outside the project"):
        load_season(project, "2025-spring-g9")
    done = eduqa(project, "validate", "2025-spring-g9")
    assert done.returncode == 2 and "项目文件夹之外" in done.stderr
    # ... unless county.yaml names that folder as allowed
    county = project.params_dir / "county.yaml"
    county.write_text(county.read_text(encoding="utf-8")
                      + f"outside_folders: ['{outside}']\n", encoding="utf-8")
    assert load_season(project, "2025-spring-g9").scores_file == link
    county.write_text(county.read_text(encoding="utf-8").replace(
        f"outside_folders: ['{outside}']", "outside_folders: ['relative/path']"),
        encoding="utf-8")
    with pytest.raises(ParamsError, match="absolute"):
        load_county(project)


def test_project_paths_check_the_season_id(repo_project):
    with pytest.raises(EduqaError, match="not a season id"):
        repo_project.report_season("../../etc")
    assert repo_project.processed_season("2025-spring-g9").name == "2025-spring-g9"


# --- student keys -----------------------------------------------------------------------------


def _real_county(project):
    """The demo county's files under school codes that are not eduqa's synthetic ones."""
    roster = pd.read_csv(project.raw / "schools.csv", dtype=str, keep_default_na=False)
    roster["school_code"] = "2" + roster["school_code"].str[1:]
    roster.to_csv(project.raw / "schools.csv", index=False)
    for season in ("2025-spring-g9", "2024-spring-g8"):
        path = project.raw / season / "staffing.csv"
        staffing = pd.read_csv(path, dtype=str, keep_default_na=False)
        code = [c for c in staffing.columns if "代码" in c or c == "school_code"][0]
        staffing[code] = "2" + staffing[code].str[1:]
        staffing.to_csv(path, index=False)
        path = project.raw / season / "targets.csv"
        targets = pd.read_csv(path, dtype=str, keep_default_na=False)
        code = [c for c in targets.columns if "代码" in c or c == "school_code"]
        if code:
            targets[code[0]] = "2" + targets[code[0]].str[1:]
            targets.to_csv(path, index=False)


def test_a_real_county_without_its_own_key_is_refused(project):
    _real_county(project)
    env = {"EDUQA_SALT": "", "EDUQA_DEMO_KEY": ""}
    before = _tree(project.root)
    done = eduqa(project, "clean", "2025-spring-g9", env=env)
    assert done.returncode == 2, done.stderr
    assert "EDUQA_SALT" in done.stderr and "还原" in done.stderr and "--demo-key" in done.stderr
    assert _tree(project.root) == before  # nothing processed
    done = eduqa(project, "--demo-key", "clean", "2025-spring-g9", env=env)
    assert done.returncode == 0, done.stderr
    done = eduqa(project, "clean", "2025-spring-g9", env={"EDUQA_SALT": "county-secret"})
    assert done.returncode == 0, done.stderr


def test_the_demo_county_runs_with_the_demo_key(project):
    done = eduqa(project, "clean", "2025-spring-g9", env={"EDUQA_SALT": "", "EDUQA_DEMO_KEY": ""})
    assert done.returncode == 0, done.stderr
