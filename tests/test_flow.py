"""Issue 13, point 1 (first step): a run cleans every season it needs before any notebook
starts, and notebooks never write to data/processed — they check that it is current."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import nbformat
import numpy as np
import pandas as pd
import pytest

from eduqa.compute import parquet
from eduqa.errors import EduqaError
from eduqa.project.season import Season, seasons_needed

from conftest import REPO, SEASONS


def test_seasons_needed_follow_compare_with_and_cohort_prior(repo_project):
    assert seasons_needed(repo_project, "2025-spring-g6") == ["2024-spring-g6", "2025-spring-g6"]
    assert seasons_needed(repo_project, "2025-spring-g9") == ["2024-spring-g8", "2025-spring-g9"]
    assert seasons_needed(repo_project, "2024-spring-g8") == ["2024-spring-g8"]


def test_processed_data_is_written_before_any_notebook_starts(built):
    """Oracle: file times against the start time papermill records in each executed
    notebook."""
    starts = []
    for season in SEASONS:
        for path in built.report_season(season).glob("*.ipynb"):
            start = nbformat.read(path, as_version=4).metadata["papermill"]["start_time"]
            starts.append(dt.datetime.fromisoformat(start).replace(
                tzinfo=dt.UTC).timestamp())
    from eduqa.project.build import PAGE_TITLES

    assert len(starts) == len(PAGE_TITLES) * len(SEASONS)
    written = [path.stat().st_mtime for season in SEASONS  # (the .lock-* files hold a pid)
               for path in built.processed_season(season).rglob("*") if path.is_file()]
    assert written and max(written) < min(starts)
    for season in SEASONS:  # every season's data records what it was made from
        record = json.loads((built.processed_season(season) / "summary.json").read_text())
        stamp = json.loads((built.processed / f".inputs-{season}.json").read_text())
        assert record["digest"] and set(stamp) >= {"roster", "scores", "params"}


def test_a_notebook_refuses_missing_or_stale_data_instead_of_cleaning(project):
    from eduqa.project.pipeline import run_clean

    with pytest.raises(EduqaError, match="has not been cleaned yet") as caught:
        Season.open("2025-spring-g9", project.root)
    assert "eduqa clean 2025-spring-g9" in caught.value.render("zh")
    run_clean("2025-spring-g9", project.root)
    season = Season.open("2025-spring-g9", project.root)
    with pytest.raises(EduqaError, match="2024-spring-g8 has not been cleaned"):
        season.cohort_prior_scores()  # the earlier season is never cleaned from a notebook
    assert not project.processed_season("2024-spring-g8").exists()
    staffing = project.raw / "2025-spring-g9" / "staffing.csv"
    staffing.write_text(staffing.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    with pytest.raises(EduqaError, match="older than its raw files"):
        Season.open("2025-spring-g9", project.root)
    # the same contents written again (a copy, a touch): the run confirms the data, and
    # notebooks accept it again; the processed folder itself is unchanged
    from eduqa.config.params import load_season
    from eduqa.project.pipeline import prepare

    staffing.write_text(staffing.read_text(encoding="utf-8")[:-1], encoding="utf-8")
    before = (project.processed_season("2025-spring-g9") / "summary.json").read_bytes()
    with pytest.raises(EduqaError, match="older than its raw files"):
        Season.open("2025-spring-g9", project.root)  # restored bytes, but a new file time
    prepare(load_season(project, "2025-spring-g9"), load=False)
    Season.open("2025-spring-g9", project.root)
    assert (project.processed_season("2025-spring-g9") / "summary.json").read_bytes() == before


def test_a_kernel_reads_each_processed_table_once(project, monkeypatch):
    """Season.open and the earlier seasons it reaches are opened once per process; each table is
    read from disk once however often cells ask, and read again after the season is cleaned
    again. Oracle: a count of the Parquet reads."""
    from eduqa.project.pipeline import run_clean

    run_clean("2024-spring-g6", project.root)
    run_clean("2025-spring-g6", project.root)
    reads: list[str] = []
    real = parquet.read_parquet
    monkeypatch.setattr(parquet, "read_parquet", lambda path, *a, **k: reads.append(
        f"{path.parent.name}/{path.stem}") or real(path, *a, **k))
    season = Season.open("2025-spring-g6", project.root)
    for _ in range(3):
        season.scores_with_schools()
        season.load("scores")
        season.comparison_scores()
        [h.scores_with_schools() for h in season.history()]
    assert Season.open("2025-spring-g6", project.root) is season
    assert sorted(reads) == ["2024-spring-g6/schools", "2024-spring-g6/scores",
                             "2025-spring-g6/schools", "2025-spring-g6/scores"]
    merged = season.scores_with_schools()
    assert len(merged) == len(season.load("scores")) and "township" in merged
    result, _ = season.cleaned()  # the 01 page's clean result shares the tables read
    shared = season.load("scores")  # (a copy-on-write view of the one table read)
    assert np.shares_memory(result.scores["score"].to_numpy(), shared["score"].to_numpy())
    assert reads.count("2025-spring-g6/scores") == 1
    # held as categoricals in text order; the values those of the file
    plain = real(season.processed_dir / "scores.parquet")
    for column in ("school_code", "class", "subject", "status"):
        held = season.load("scores")[column]
        assert isinstance(held.dtype, pd.CategoricalDtype)
        assert list(held.cat.categories) == sorted(held.cat.categories)
        assert held.astype(str).tolist() == plain[column].astype(str).tolist()
    run_clean("2025-spring-g6", project.root)  # cleaned again: read again
    again = Season.open("2025-spring-g6", project.root)
    again.load("scores")
    assert reads.count("2025-spring-g6/scores") == 2


@pytest.mark.slow
def test_concurrent_runs_sharing_a_prior_season_equal_the_sequential_run(built, project):
    """Two `eduqa run`s at once whose seasons both read 2024-spring-g6 (each prepares it; the
    processed-data lock makes them take turns): the same season's workbook is byte-identical
    to the season built alone (the `built` fixture), the twin's tables equal to the last bit
    (its provenance sheet names its own files), and every generated sentence equal."""
    import shutil
    import subprocess
    import sys

    import golden

    twin = "2025-autumn-g6"  # the demo's 2025-spring-g6 under another id, same prior season
    shutil.copytree(project.raw / "2025-spring-g6", project.raw / twin)
    text = (project.params_dir / "2025-spring-g6.yaml").read_text(encoding="utf-8")
    (project.params_dir / f"{twin}.yaml").write_text(
        text.replace("season: 2025-spring-g6", f"season: {twin}")
            .replace("data/raw/2025-spring-g6/", f"data/raw/{twin}/"), encoding="utf-8")
    runs = [subprocess.Popen([sys.executable, "-m", "eduqa", "--project", str(project.root),
                              "run", season], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                             text=True) for season in ("2025-spring-g6", twin)]
    for run in runs:
        assert run.wait(timeout=600) == 0, run.stderr.read()
    alone = built.report_season("2025-spring-g6")
    expected = golden.snapshot(alone)["text"]
    same = project.report_season("2025-spring-g6")
    assert (same / "tables.xlsx").read_bytes() == (alone / "tables.xlsx").read_bytes()
    tables = golden.snapshot(alone)["tables"]
    for season in ("2025-spring-g6", twin):
        shot = golden.snapshot(project.report_season(season))
        assert shot["text"] == expected, season
        assert list(shot["tables"]) == list(tables)  # (the twin's provenance names its files)
        for name, frame in tables.items():
            pd.testing.assert_frame_equal(shot["tables"][name], frame)
    stamp = json.loads((project.processed / ".inputs-2024-spring-g6.json").read_text())
    assert stamp  # the shared prior season was prepared once and is current for both


def test_a_notebook_finds_its_project_from_the_working_directory(project, monkeypatch):
    """The notebooks' default ``project_dir`` is "", and Season.open then finds the project
    from the working directory upward: from the project's root (papermill run from the
    repository) and from its notebooks/ folder (JupyterLab) alike."""
    import nbformat

    from eduqa.project.pipeline import run_clean

    for path in sorted((REPO / "notebooks").glob("[0-9][0-9]-*.ipynb")):
        defaults: dict = {}
        exec(nbformat.read(path, as_version=4).cells[0].source, {}, defaults)
        assert defaults["project_dir"] == "", path.name
    run_clean("2025-spring-g6", project.root)
    monkeypatch.delenv("EDUQA_PROJECT", raising=False)
    (project.root / "notebooks").mkdir(exist_ok=True)
    for folder in (project.root, project.root / "notebooks"):
        monkeypatch.chdir(folder)
        assert Season.open("2025-spring-g6", "").params.project.root == project.root
    monkeypatch.chdir(project.root.parent)  # above the project: no project is found
    with pytest.raises(EduqaError, match="No eduqa project found"):
        Season.open("2025-spring-g6", "")


def test_a_worker_reads_a_season_s_scores_once_across_its_notebooks(built, monkeypatch):
    """Issue 35: a notebook worker runs several notebooks; between them it keeps the seasons
    it opened (caches.forget_all), so each season's scores are read once per process — and a
    notebook's changes to a table never reach the next notebook, and data written again is
    read again."""
    import os

    from eduqa import caches
    from eduqa.project import season as season_module

    reads: list[str] = []
    real = parquet.read_parquet

    def counted(path, *args, **kwargs):
        reads.append(Path(path).parent.name + "/" + Path(path).name)
        return real(path, *args, **kwargs)

    monkeypatch.setattr(parquet, "read_parquet", counted)
    season_module.forget_opened()
    name = "2025-spring-g9"
    total = None
    for _notebook in range(3):
        caches.forget_all()  # (what the runner does before each notebook)
        opened = Season.open(name, built.root)
        scores = opened.load("scores")
        opened.scores_with_schools()
        if total is None:
            total = float(scores["score"].sum())
        assert float(scores["score"].sum()) == total
        scores["score"] = 0.0  # a notebook changing its table in place …
        scores.loc[scores.index[0], "status"] = "absent"
        joined = opened.scores_with_schools()
        joined["score"] = -1.0
    assert reads.count(f"{name}/scores.parquet") == 1, reads  # … reaches no other notebook
    for other in ("2024-spring-g6", "2025-spring-g6", "2024-spring-g8", "2025-spring-g9"):
        caches.forget_all()
        Season.open(other, built.root).load("scores")
    assert len(season_module._OPENED) == season_module.KEEP_OPENED  # (the oldest forgotten)
    summary = built.processed_season(name) / "summary.json"
    stat = summary.stat()
    os.utime(summary, ns=(stat.st_atime_ns, stat.st_mtime_ns + 10**9))  # written again
    caches.forget_all()
    Season.open(name, built.root).load("scores")
    os.utime(summary, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    assert reads.count(f"{name}/scores.parquet") == 2, reads
    season_module.forget_opened()
