"""The command line: plain messages and non-zero exits for problems a user can fix, never a
traceback."""

from __future__ import annotations

import json
import subprocess
import sys

import nbformat
import pandas as pd

from eduqa.project.scaffold import NOTEBOOKS_VERSION


def eduqa(project, *args, timeout=600):
    return subprocess.run([sys.executable, "-m", "eduqa", "--project", str(project.root), *args],
                          capture_output=True, text=True, timeout=timeout)


def test_validate_demo_season_ok(project):
    done = eduqa(project, "validate", "2025-spring-g9")
    assert done.returncode == 0, done.stderr
    assert "2025-spring-g9：检查通过" in done.stdout  # Chinese by default
    done = eduqa(project, "--lang", "en", "validate", "2025-spring-g9")
    assert "2025-spring-g9: OK" in done.stdout


def test_message_language_follows_flag_environment_and_county(project, monkeypatch):
    path = project.raw / "2025-spring-g9" / "scores.csv"
    pd.read_csv(path, dtype=str, keep_default_na=False).drop(columns=["物理"]).to_csv(
        path, index=False)
    assert "缺少物理的成绩列" in eduqa(project, "validate", "2025-spring-g9").stderr
    english = "the score column for 物理 (physics) is missing"
    assert english in eduqa(project, "--lang", "en", "validate", "2025-spring-g9").stderr
    monkeypatch.setenv("EDUQA_LANG", "en")
    assert english in eduqa(project, "validate", "2025-spring-g9").stderr
    monkeypatch.delenv("EDUQA_LANG")
    county = project.params_dir / "county.yaml"
    county.write_text(county.read_text(encoding="utf-8").replace("language: zh", "language: en"),
                      encoding="utf-8")
    assert english in eduqa(project, "validate", "2025-spring-g9").stderr


def test_validate_missing_score_column(project):
    path = project.raw / "2025-spring-g9" / "scores.csv"
    pd.read_csv(path, dtype=str, keep_default_na=False).drop(columns=["物理"]).to_csv(
        path, index=False)
    done = eduqa(project, "validate", "2025-spring-g9")
    assert done.returncode == 2
    assert "data/raw/2025-spring-g9/scores.csv" in done.stderr and "“物理”列" in done.stderr
    assert "Traceback" not in done.stderr + done.stdout


def test_validate_unknown_school(project):
    path = project.raw / "2024-spring-g6" / "scores.csv"
    frame = pd.read_csv(path, encoding="gbk", dtype=str, keep_default_na=False)
    frame.loc[7, "学校"] = "希望小学"
    frame.to_csv(path, index=False, encoding="gbk")
    done = eduqa(project, "validate", "2024-spring-g6")
    assert done.returncode == 2
    assert "data/raw/2024-spring-g6/scores.csv" in done.stderr and "希望小学" in done.stderr
    assert "第 9 行" in done.stderr and "schools.csv" in done.stderr  # where to add it
    assert "Traceback" not in done.stderr + done.stdout


def test_validate_params_typo(project):
    path = project.params_dir / "2024-spring-g8.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("subjects:", "subject:"),
                    encoding="utf-8")
    done = eduqa(project, "validate", "2024-spring-g8")
    assert done.returncode == 2
    assert "2024-spring-g8.yaml" in done.stderr and "“subject”" in done.stderr
    assert "是不是“subjects”" in done.stderr  # the close match is suggested
    assert "Traceback" not in done.stderr


def test_run_needs_a_season(project):
    done = eduqa(project, "run")
    assert done.returncode == 2 and "--all" in done.stderr


def test_engine_options_are_checked_before_anything_is_written(project):
    """``--scheduler`` names a Dask cluster: with ``--engine pandas`` it is a plain error,
    given before any season is cleaned."""
    done = eduqa(project, "run", "2025-spring-g9", "--engine", "pandas", "--scheduler",
                 "tcp://127.0.0.1:9")
    assert done.returncode == 2 and "Traceback" not in done.stderr
    assert "--engine dask" in done.stderr and "Dask 集群" in done.stderr
    assert not any(project.processed.iterdir())
    done = eduqa(project, "run", "2025-spring-g9", "--engine", "spark")
    assert done.returncode == 2 and "pandas" in done.stderr and "dask" in done.stderr


def test_failing_notebook_stops_the_run(project):
    broken = nbformat.v4.new_notebook()
    broken.metadata["eduqa"] = {"notebooks": NOTEBOOKS_VERSION}  # (this eduqa's)
    broken.cells = [
        nbformat.v4.new_code_cell('season = "x"\nproject_dir = ".."\noutput_dir = ""',
                                  metadata={"tags": ["parameters"]}),
        nbformat.v4.new_code_cell("value = 1"),
        nbformat.v4.new_code_cell('raise ValueError("planted failure")'),
    ]
    broken.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3",
                                     "language": "python"}
    for other in ("02-indicators", "03-attribution", "04-trends", "05-paper"):  # not needed: faster
        (project.notebooks / f"{other}.ipynb").unlink()
    nbformat.write(broken, project.notebooks / "03-broken.ipynb")
    done = eduqa(project, "run", "2024-spring-g6")
    assert done.returncode == 2
    assert "03-broken.ipynb" in done.stderr and "第 4 个单元格" in done.stderr  # +1 injected
    assert "1/2 01-clean.ipynb 完成" in done.stderr  # progress in Chinese too
    assert "planted failure" in done.stderr and "Traceback" not in done.stderr
    kept = project.reports / "2024-spring-g6.failed" / "03-broken.ipynb"
    assert kept.is_file()
    outputs = [o for c in json.loads(kept.read_text())["cells"] for o in c.get("outputs", [])]
    assert any(o.get("ename") == "ValueError" for o in outputs)
    assert not (project.reports / "2024-spring-g6").exists()  # nothing that looks complete


def test_synth_regenerates_identical_csv(tmp_path, repo_project):
    done = subprocess.run([sys.executable, "-m", "eduqa", "synth", "--out", str(tmp_path)],
                          capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    for name in ("schools.csv", "2025-spring-g9/scores.csv", "2024-spring-g6/staffing.csv"):
        assert (tmp_path / name).read_bytes() == (repo_project.raw / name).read_bytes()
