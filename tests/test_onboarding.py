"""A new county from nothing: the README's first-season commands, followed literally in a fresh
copy of the project, give a report (and init never deletes a county's own files)."""

from __future__ import annotations

import re
import shlex
import shutil
import subprocess
import sys

import pandas as pd
import pytest
import yaml

from eduqa.cli import main
from eduqa.config.params import load_season
from eduqa.config.paths import Project
from eduqa.errors import EduqaError
from eduqa.project.scaffold import DEFAULT_SUBJECTS, init_project, new_season
from eduqa.synth import write_other_county

from conftest import REPO

SEASON = "2026-spring-g6"


def readme_commands() -> list[str]:
    """The command lines of the README's first-season block (comments are the office's own
    steps, done by the test)."""
    text = (REPO / "README.md").read_text(encoding="utf-8")
    block = re.search(r"<!-- first-season.*?-->\s*```bash\n(.*?)```", text, re.S).group(1)
    return [line.split("  #")[0].strip() for line in block.splitlines()
            if line.strip() and not line.lstrip().startswith("#")]


def test_readme_first_season_from_nothing(tmp_path):
    root = tmp_path / "clone"
    for part in ("params", "notebooks", "data/raw"):  # what a fresh clone holds
        shutil.copytree(REPO / part, root / part)
    (root / "data" / "processed").mkdir()
    (root / "reports").mkdir()
    exports = write_other_county(tmp_path / "from-the-platform", SEASON, rural_effect=0.5)
    environment = {"EDUQA_LANG": "zh"}
    commands = readme_commands()
    assert commands[0] == "make install" and len(commands) == 6
    for command in commands[1:]:
        if command.startswith("export "):
            name, value = command.removeprefix("export ").split("=", 1)
            environment[name] = shlex.split(value)[0]
            continue
        words = shlex.split(command)
        assert words[0] == ".venv/bin/eduqa"
        done = subprocess.run([sys.executable, "-m", "eduqa", *words[1:]], cwd=root,
                              capture_output=True, text=True, timeout=600,
                              env={**__import__("os").environ, **environment})
        assert done.returncode == 0, (command, done.stdout, done.stderr)
        if words[1] == "init":  # ① the office fills in the roster
            assert not (root / "params" / "2025-spring-g9.yaml").exists()
            assert not (root / "data" / "raw" / "2025-spring-g9").exists()
            header = (root / "data" / "raw" / "schools.csv").read_text(encoding="utf-8")
            assert header.strip() == ",".join(pd.read_csv(exports["roster"]).columns)
            shutil.copy(exports["roster"], root / "data" / "raw" / "schools.csv")
        if words[1] == "new-season":  # ② copy the exports in, the platform's name kept
            folder = root / "data" / "raw" / SEASON
            shutil.copy(exports["scores"], folder / "2026春六年级期末成绩.xlsx")
            shutil.copy(exports["staffing"], folder / "staffing.csv")
            params = yaml.safe_load((root / "params" / f"{SEASON}.yaml").read_text("utf-8"))
            assert params["subjects"] == DEFAULT_SUBJECTS[6] and params["compare_with"] is None
            assert params["name"] == "青山县2026年春季六年级期末质量监测"
        if words[1] == "validate":
            assert f"{SEASON}：检查通过" in done.stdout
            # found by itself, and said so (files.scores still names scores.xlsx)
            assert "已自动使用同一文件夹中唯一的成绩表 2026春六年级期末成绩.xlsx" in done.stdout
    report = root / "reports" / SEASON
    index = (report / "index.html").read_text(encoding="utf-8")
    assert "青山县" in index and (report / "tables.xlsx").is_file()
    assert "演示密钥" not in index  # a real key was set
    # rural schools lead in this county: the landing page says so, with no negative gap
    assert re.search(r"乡村学校[^。]*高于城区学校|城区学校[^。]*低于乡村学校|乡村学校[^。]*比城区学校高",
                     index), index
    assert not re.search(r"[高低]\s*-\d", index)


def test_init_refuses_a_county_project_and_needs_remove_demo(project):
    with pytest.raises(EduqaError, match="remove-demo"):
        init_project(project.root, "青山县")
    assert (project.params_dir / "2025-spring-g9.yaml").exists()  # nothing removed
    init_project(project.root, "青山县", remove_demo=True)
    assert sorted(p.name for p in project.params_dir.iterdir()) == ["county.yaml"]
    assert yaml.safe_load((project.params_dir / "county.yaml").read_text("utf-8"))[
        "county"] == "青山县"
    (project.raw / "schools.csv").write_text("学校代码,学校名称\n4305200001,凤城一小\n",
                                             encoding="utf-8")
    with pytest.raises(EduqaError, match="already holds") as caught:
        init_project(project.root, "别的县", remove_demo=True)
    assert "不会覆盖" in caught.value.render("zh")
    assert "4305200001" in (project.raw / "schools.csv").read_text(encoding="utf-8")


def test_init_in_a_new_folder_copies_the_notebooks(tmp_path):
    made = init_project(tmp_path / "青山县", "青山县: \"北片\"", language="en")
    assert sorted(p.name for p in made.notebooks.glob("*.ipynb")) == sorted(
        p.name for p in (REPO / "notebooks").glob("*.ipynb"))
    county = yaml.safe_load((made.params_dir / "county.yaml").read_text("utf-8"))
    assert county["county"] == "青山县: \"北片\"" and county["language"] == "en"
    assert Project.find(made.root).root == made.root


@pytest.mark.parametrize("season, grade, subjects", [
    ("2026-autumn-g9", 9, DEFAULT_SUBJECTS[9]), ("2027-spring-g12", 12, DEFAULT_SUBJECTS[12])])
def test_new_season_without_from(project, season, grade, subjects):
    target, folder = new_season(project, season)
    data = yaml.safe_load(target.read_text(encoding="utf-8"))
    assert data["grade"] == grade and data["subjects"] == subjects
    assert data["files"]["scores"] == f"data/raw/{season}/scores.xlsx"
    assert "scores.xlsx" in (folder / "README.txt").read_text(encoding="utf-8")
    with pytest.raises(EduqaError, match="grade"):
        new_season(project, "2026-spring-all")


def test_new_season_without_from_names_last_years_seasons(project):
    """Issue 33: the blank season left cohort_prior empty though last year's lower grade was
    there. The demo has 2025-spring-g6 (and no 2025-spring-g7)."""
    target, _ = new_season(project, "2026-spring-g7")
    data = yaml.safe_load(target.read_text(encoding="utf-8"))
    assert data["cohort_prior"] == "2025-spring-g6" and data["compare_with"] is None
    target, _ = new_season(project, "2026-spring-g6")
    data = yaml.safe_load(target.read_text(encoding="utf-8"))
    assert data["compare_with"] == "2025-spring-g6" and data["cohort_prior"] is None
    assert load_season(project, "2026-spring-g6", check_files=False).compare_with == \
        "2025-spring-g6"


@pytest.mark.parametrize("season, name", [("2026-spring-g10", "高一"), ("2026-spring-g12", "高三")])
def test_new_season_from_a_junior_season_into_senior_grades(project, season, name):
    """g10–g12 from a g9 season with a paper analysis: was an internal error (the grade name,
    the files.items mapping)."""
    target, _ = new_season(project, season, "2025-spring-g9")
    data = yaml.safe_load(target.read_text(encoding="utf-8"))
    assert name in data["name"] and "九年级" not in data["name"]
    assert data["files"]["items"]["数学"] == f"data/raw/{season}/items-math.csv"
    params = load_season(project, season, check_files=False)
    assert params.grade == int(season.split("g")[-1]) and params.level == "senior"
    assert params.cohort_prior == (None if season.endswith("12") else "2025-spring-g9")


@pytest.mark.parametrize("season", ["2026-spring-g0", "2026-spring-g13"])
def test_new_season_of_no_grade_is_a_plain_error(project, capsys, season):
    assert main(["--project", str(project.root), "new-season", season]) == 2
    assert main(["--project", str(project.root), "new-season", season, "--from",
                 "2025-spring-g9"]) == 2
    err = capsys.readouterr().err
    assert "内部错误" not in err and err.count("1 到 12") == 2


def test_printed_commands_work_from_a_project_made_elsewhere(tmp_path, capsys):
    """`init FOLDER` and the season README told users to run .venv/bin/eduqa, which such a
    project does not have: the command printed is the one that runs."""
    folder = tmp_path / "青山县"
    assert main(["init", str(folder), "--county", "青山县"]) == 0
    out = capsys.readouterr().out
    line = next(line.strip() for line in out.splitlines() if "new-season" in line)
    command = shlex.split(line.split("&&")[-1])[:-2]  # the command before `new-season SEASON`
    assert not (folder / ".venv").exists()
    done = subprocess.run([*command, "--version"], capture_output=True, text=True, cwd=folder)
    assert done.returncode == 0, (command, done.stderr)
    new_season(Project(folder), "2026-spring-g6")
    readme = (folder / "data" / "raw" / "2026-spring-g6" / "README.txt").read_text("utf-8")
    assert ".venv/bin/eduqa" not in readme.replace(str(REPO / ".venv/bin/eduqa"), "")


def _as_copied_by_an_older_eduqa(path) -> None:
    """A notebook as `eduqa init` of eduqa 0.1 copied it: no notebooks version, an import of
    a module that is gone."""
    import json

    notebook = json.loads(path.read_text(encoding="utf-8"))
    notebook["metadata"].get("eduqa", {}).pop("notebooks", None)
    for cell in notebook["cells"]:
        if cell["cell_type"] == "code" and "Season" in "".join(cell["source"]):
            cell["source"] = ["from eduqa.season import Season\n", *cell["source"]]
            break
    path.write_text(json.dumps(notebook, ensure_ascii=False), encoding="utf-8")


def test_notebooks_of_an_older_eduqa_are_refused_before_cleaning_and_updated(project, capsys):
    """A county's project keeps the notebooks `eduqa init` copied; after an upgrade those of
    an older eduqa are refused before anything is cleaned, naming them and the command;
    `eduqa update-notebooks` keeps them in notebooks/old-1/ and puts this eduqa's in place."""
    from eduqa.project.scaffold import outdated_notebooks, shipped_notebooks

    old = project.notebooks / "02-indicators.ipynb"
    _as_copied_by_an_older_eduqa(old)
    before = old.read_bytes()
    assert outdated_notebooks(project) == ["02-indicators.ipynb"]
    assert main(["--project", str(project.root), "run", "2025-spring-g6"]) == 2
    err = capsys.readouterr().err
    assert "02-indicators.ipynb" in err and "update-notebooks" in err and "旧版" in err
    assert not any(project.processed.iterdir())  # refused before the clean step
    assert main(["--project", str(project.root), "update-notebooks"]) == 0
    assert "old-1" in capsys.readouterr().out
    assert (project.notebooks / "old-1" / "02-indicators.ipynb").read_bytes() == before
    for shipped in sorted(shipped_notebooks().glob("[0-9][0-9]-*.ipynb")):
        assert (project.notebooks / shipped.name).read_bytes() == shipped.read_bytes()
    assert outdated_notebooks(project) == []
    assert main(["--project", str(project.root), "update-notebooks"]) == 0  # again: old-2
    assert (project.notebooks / "old-2" / "02-indicators.ipynb").is_file()


def test_the_installed_eduqa_s_own_notebooks_need_no_update(repo_project, capsys):
    from eduqa.project.scaffold import outdated_notebooks

    assert outdated_notebooks(repo_project) == []
    assert main(["--project", str(repo_project.root), "update-notebooks"]) == 0
    assert "无需更新" in capsys.readouterr().out
