"""Faults (issue 11, point 18): ``kill -9`` at random points of a run leaves
``reports/<season>`` and ``data/processed/<season>`` as the old version or the new one; two
runs of one season cannot interleave; reruns give byte-identical pages (apart from the stated
time stamp in the footer), Parquet files and workbooks."""

from __future__ import annotations

import hashlib
import os
import re
import signal
import subprocess
import sys
import time

import numpy as np
import pandas as pd
import pytest

from eduqa.config.storage import SeasonBusy, recover, replace_dir, season_lock

SEASON = "2024-spring-g6"
#: The footer's "generated at" stamp, the only part of a page that changes between runs.
STAMP = re.compile(rb"\d{4}-\d{2}-\d{2} \d{2}:\d{2}")


def _start(project):
    return subprocess.Popen([sys.executable, "-m", "eduqa", "--project", str(project.root), "run",
                             SEASON], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                            start_new_session=True, env={**os.environ, "EDUQA_JOBS": "2"})


def _manifest(folder):
    """Every file of a folder with a digest (pages without their time stamp; executed
    notebooks, which record run times, by name only)."""
    if not folder.exists():
        return None
    out = {}
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        data = path.read_bytes()
        if path.suffix == ".html":
            data = STAMP.sub(b"", data)
        if path.suffix == ".ipynb":
            data = b""
        out[str(path.relative_to(folder))] = hashlib.sha256(data).hexdigest()
    return out


def _state(project):
    return (_manifest(project.report_season(SEASON)),
            _manifest(project.processed_season(SEASON)))


def _run(project):
    done = _start(project)
    assert done.wait(timeout=600) == 0, done.stderr.read().decode()


@pytest.mark.slow
def test_kill_at_random_points_leaves_the_old_or_the_new_version_and_reruns_are_identical(
        project):
    for later in ("03-attribution", "04-trends", "05-paper"):  # two pages show it as well as four, faster
        (project.notebooks / f"{later}.ipynb").unlink()
    path = project.raw / SEASON / "scores.csv"
    original = path.read_bytes()
    frame = pd.read_csv(path, encoding="gbk", dtype=str, keep_default_na=False)
    frame.loc[frame.index[:400], "数学"] = "0"  # the new version: pages, workbook, data differ
    frame.to_csv(path, index=False, encoding="gbk")
    changed = path.read_bytes()
    raw = {"old": original, "new": changed}
    states = {}
    for version in ("old", "new"):
        path.write_bytes(raw[version])
        started = time.perf_counter()
        _run(project)
        duration = time.perf_counter() - started
        states[version] = _state(project)
    assert states["old"][0] != states["new"][0] and states["old"][1] != states["new"][1]
    reports = [states["old"][0], states["new"][0]]
    processed = [states["old"][1], states["new"][1]]
    current = "new"
    for point in np.random.default_rng(11).uniform(0.1, 1.0, 2) * duration:
        current = "old" if current == "new" else "new"
        path.write_bytes(raw[current])  # each interrupted run heads for the other version
        process = _start(project)
        time.sleep(point)
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()
        report_state, processed_state = _state(project)
        assert report_state in reports and processed_state in processed, point
    # a kill never leaves the season locked; a complete run of the same inputs as the "new"
    # run above gives byte-identical pages (but the stamp), workbook and Parquet files: the
    # manifests hash their bytes
    path.write_bytes(raw["new"])
    _run(project)
    final = _state(project)
    assert final == states["new"]
    assert sum(name.endswith((".html", ".xlsx")) for name in final[0]) >= 4  # 01, 02, index
    assert sum(name.endswith(".parquet") for name in final[1]) >= 5


def test_two_runs_of_one_season_cannot_interleave(project):
    with season_lock(project.reports / f".lock-{SEASON}", wait=False):
        done = subprocess.run([sys.executable, "-m", "eduqa", "--project", str(project.root),
                               "run", SEASON], capture_output=True, text=True, timeout=120)
    assert done.returncode == 2
    assert "另一个 eduqa 进程" in done.stderr and str(os.getpid()) in done.stderr
    assert not project.report_season(SEASON).exists()
    with season_lock(project.reports / "x.lock", wait=False), pytest.raises(SeasonBusy):
        with season_lock(project.reports / "x.lock", wait=False):
            pass  # flock locks are per open file: a second open in one process conflicts too


def test_replace_dir_swaps_whole_folders(tmp_path, monkeypatch):
    from eduqa.config import storage

    target, build = tmp_path / "season", tmp_path / ".build"
    for exchange in (True, False):
        shutil_tree = {"a.txt": "old", "gone.txt": "old"}
        target.mkdir()
        for name, text in shutil_tree.items():
            (target / name).write_text(text)
        build.mkdir()
        (build / "a.txt").write_text("new")
        if not exchange:
            monkeypatch.setattr(storage, "_exchange", lambda a, b: False)
        replace_dir(build, target)
        assert sorted(p.name for p in target.iterdir()) == ["a.txt"]
        assert (target / "a.txt").read_text() == "new" and not build.exists()
        assert not (tmp_path / ".old-season").exists()
        for path in target.iterdir():
            path.unlink()
        target.rmdir()
    # a crash between the two renames of the fallback: the next run puts the old folder back
    old = tmp_path / ".old-season"
    old.mkdir()
    (old / "a.txt").write_text("old")
    recover(target)
    assert (target / "a.txt").read_text() == "old" and not old.exists()


def test_a_clean_beside_a_run_waits_for_the_run(project):
    """Issue 34 point 8: a `clean` of the season running beside a `run` produced a report whose
    pages came from two versions of the data. The run read-locks the processed data; the
    clean, which writes it, waits until the run is done."""
    eduqa = [sys.executable, "-m", "eduqa", "--project", str(project.root)]
    assert subprocess.run([*eduqa, "clean", SEASON], capture_output=True).returncode == 0
    run = subprocess.Popen([*eduqa, "run", SEASON], stdout=subprocess.DEVNULL,
                           stderr=subprocess.PIPE, env={**os.environ, "EDUQA_JOBS": "2"})
    build = project.reports / f".build-{SEASON}"
    deadline = time.monotonic() + 120
    while not build.exists() and run.poll() is None and time.monotonic() < deadline:
        time.sleep(0.05)
    assert build.exists(), "the run's notebooks never started"
    clean = subprocess.Popen([*eduqa, "clean", SEASON], stdout=subprocess.DEVNULL,
                             stderr=subprocess.PIPE)
    time.sleep(1.0)
    run_running = run.poll() is None
    clean_waiting = clean.poll() is None
    assert run.wait(timeout=300) == 0, run.stderr.read()
    ended_after_run = clean.poll() is None or not run_running
    assert clean.wait(timeout=300) == 0, clean.stderr.read()
    if run_running:  # (the run was still building a second after the clean started)
        assert clean_waiting and ended_after_run


def _descendants(pid: int) -> list:
    import psutil

    try:
        return psutil.Process(pid).children(recursive=True)
    except psutil.NoSuchProcess:
        return []


@pytest.mark.slow
@pytest.mark.parametrize("engine", ["pandas", "dask"])
def test_a_killed_run_takes_its_children_with_it_and_the_next_run_clears_up(project, engine):
    """Issue 34 point 8: after ``kill -9`` of ``eduqa run`` (the run's process only, not its
    group), its notebook workers — and with the Dask engine the cluster's workers — end
    within seconds instead of writing on into the build folder; the next run removes the
    build folders no live run is writing (that season's and another's) and succeeds."""
    import psutil

    eduqa = [sys.executable, "-m", "eduqa", "--project", str(project.root)]
    assert subprocess.run([*eduqa, "clean", SEASON], capture_output=True).returncode == 0
    run = subprocess.Popen([*eduqa, "run", SEASON, "--engine", engine],
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                           env={**os.environ, "EDUQA_JOBS": "2"})
    build = project.reports / f".build-{SEASON}"
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and run.poll() is None and not (
            build.exists() and any(build.iterdir())):
        time.sleep(0.05)
    time.sleep(1.0)  # (notebooks running)
    children = _descendants(run.pid)
    assert run.poll() is None and len(children) >= 3, children  # fork server, 2 workers …
    os.kill(run.pid, signal.SIGKILL)  # the run alone, as `kill -9 PID` does
    run.wait()
    gone, alive = psutil.wait_procs(children, timeout=15)
    assert not alive, [(p.pid, p.cmdline()[:3]) for p in alive]
    assert build.exists()  # left behind by the killed run …
    stale = project.reports / ".build-2025-spring-g9"  # … and one of another season
    stale.mkdir()
    (stale / "01-clean.html").write_text("left by a run killed long ago", encoding="utf-8")
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                          capture_output=True, text=True).stdout.strip()
    work = project.processed / f".work-{SEASON}-{dead}"  # a clean killed mid-way
    (work / "bucket").mkdir(parents=True)
    mine = project.processed / f".work-{SEASON}-{os.getpid()}"  # a live process's: kept
    mine.mkdir()
    _run(project)
    assert not [p.name for p in project.reports.iterdir() if p.name.startswith(".build")]
    assert not work.exists() and mine.exists()
    assert (project.report_season(SEASON) / "index.html").is_file()


def test_a_report_whose_pages_read_other_data_than_the_run_is_not_published(project,
                                                                           monkeypatch):
    """Issue 34 point 8: every page records the digest of the processed data it read; the
    run refuses to publish pages built from other data than the data it locked. Planted: the
    run (this process) expects another digest than the notebooks (in the workers) read."""
    from eduqa.errors import EduqaError
    from eduqa.project import build

    build.run_seasons(project, [SEASON], progress=lambda _: None)
    before = _state(project)
    page = (project.report_season(SEASON) / "02-indicators.html").read_text("utf-8")
    from eduqa.config.storage import processed_digest

    digest = processed_digest(project.processed_season(SEASON))
    assert len(digest) == 64 and digest[:16] in page  # the footer records it
    real = build._processed_digests
    monkeypatch.setattr(build, "_processed_digests", lambda *a: {
        folder: "0" * 64 for folder in real(*a)})
    with pytest.raises(EduqaError, match="changed while the report was being built") as caught:
        build.run_seasons(project, [SEASON], progress=lambda _: None)
    assert "原有报告保持不变" in caught.value.render("zh")
    assert _state(project) == before
    assert not [p.name for p in project.reports.iterdir() if p.name.startswith(".build")]


def test_the_processed_digest_follows_the_content_not_the_time(project):
    """The digest is of the data: the same inputs cleaned twice give the same digest (the
    pages stay byte-identical); other data give another."""
    from eduqa.config.storage import processed_digest

    eduqa = [sys.executable, "-m", "eduqa", "--project", str(project.root), "clean", SEASON]
    folder = project.processed_season(SEASON)
    assert subprocess.run(eduqa, capture_output=True).returncode == 0
    first = processed_digest(folder)
    import shutil

    shutil.rmtree(folder)
    time.sleep(0.01)
    assert subprocess.run(eduqa, capture_output=True).returncode == 0
    assert processed_digest(folder) == first
    path = project.raw / SEASON / "scores.csv"
    frame = pd.read_csv(path, encoding="gbk", dtype=str, keep_default_na=False)
    frame.loc[frame.index[:5], "数学"] = "0"
    frame.to_csv(path, index=False, encoding="gbk")
    assert subprocess.run(eduqa, capture_output=True).returncode == 0
    assert processed_digest(folder) not in ("", first)
