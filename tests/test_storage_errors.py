"""A full disk or a read-only folder (issue 33, point 5): a plain message naming the folder and
what to do, exit 2, and the season's previous report and processed data untouched. The disk is
filled by making the write raise what the operating system raises (ENOSPC, EACCES); a real
read-only folder is used too where the tests do not run as root (root may write anywhere)."""

from __future__ import annotations

import errno
import hashlib
import os

import pytest

from eduqa.cli import main
from eduqa.config.storage import StorageError, storage_error

SEASON = "2024-spring-g6"


def _digests(folder):
    return {p.relative_to(folder): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture
def ran(project, capsys):
    assert main(["--project", str(project.root), "run", SEASON]) == 0
    capsys.readouterr()
    return project


def _leftovers(project):
    return sorted(p.name for p in [*project.reports.iterdir(),
                                   *project.processed.iterdir()]
                  if p.name.startswith((".build-", ".old-")) or p.name.endswith(".failed"))


def test_a_full_disk_while_the_report_is_finished(ran, capsys, monkeypatch):
    from eduqa.project import build

    before = _digests(ran.report_season(SEASON))
    processed = _digests(ran.processed_season(SEASON))

    def full(params, folder, *args, **kwargs):
        raise OSError(errno.ENOSPC, "No space left on device", str(folder / "index.html"))

    monkeypatch.setattr(build, "_write_season_index", full)
    assert main(["--project", str(ran.root), "run", SEASON]) == 2
    err = capsys.readouterr().err
    assert "磁盘已满" in err and "怎么办" in err and "内部错误" not in err
    assert f".build-{SEASON}" in err  # the folder is named
    assert _digests(ran.report_season(SEASON)) == before
    assert _digests(ran.processed_season(SEASON)) == processed
    assert _leftovers(ran) == []
    assert main(["--project", str(ran.root), "--lang", "en", "run", SEASON]) == 2
    err = capsys.readouterr().err
    assert "is full" in err and "free some space" in err and "Traceback" not in err


def test_a_read_only_processed_folder_when_the_season_is_cleaned(ran, capsys, monkeypatch):
    from eduqa.compute import parquet

    processed = _digests(ran.processed_season(SEASON))

    def denied(frame, path):
        raise PermissionError(errno.EACCES, "Permission denied", str(path))

    monkeypatch.setattr(parquet, "write_parquet", denied)
    assert main(["--project", str(ran.root), "clean", SEASON]) == 2
    err = capsys.readouterr().err
    assert "无权写入" in err and str(ran.processed) in err and "内部错误" not in err
    assert _digests(ran.processed_season(SEASON)) == processed
    assert _leftovers(ran) == []


def test_a_notebook_cell_that_hits_a_full_disk_is_told_plainly():
    from eduqa.project.build import _storage_failure

    plain = _storage_failure({"ename": "OSError", "evalue": "[Errno 28] No space left on device: "
                              "'/data/county/reports/.build-2026-spring-g6/fig-3.png'"})
    assert isinstance(plain, StorageError)
    assert "/data/county/reports/.build-2026-spring-g6" in str(plain)
    assert _storage_failure({"ename": "ValueError", "evalue": "[Errno 28] x: 'y'"}) is None
    assert _storage_failure({"ename": "OSError", "evalue": "[Errno 2] No such file: 'y'"}) is None


@pytest.mark.parametrize("code, words", [(errno.ENOSPC, "磁盘已满"), (errno.EDQUOT, "磁盘已满"),
                                         (errno.EROFS, "无权写入"), (errno.EACCES, "无权写入")])
def test_storage_errors_name_the_folder(tmp_path, code, words):
    plain = storage_error(OSError(code, os.strerror(code), str(tmp_path / "x.parquet")))
    assert words in plain.render("zh") and str(tmp_path) in plain.render("zh")
    assert storage_error(OSError(errno.ENOENT, "No such file", "x")) is None


@pytest.mark.skipif(os.geteuid() == 0, reason="root may write in a read-only folder")
def test_a_really_read_only_reports_folder(ran, capsys):
    before = _digests(ran.report_season(SEASON))
    folders = [ran.reports, ran.report_season(SEASON)]
    for folder in folders:
        folder.chmod(0o555)
    try:
        assert main(["--project", str(ran.root), "run", SEASON]) == 2
    finally:
        for folder in folders:
            folder.chmod(0o755)
    err = capsys.readouterr().err
    assert "无权写入" in err and "内部错误" not in err
    assert _digests(ran.report_season(SEASON)) == before
