"""The clean step of a season run: processed data made once per set of inputs, checked
before it is written, and read back (with its findings) while the inputs are unchanged."""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Callable
from pathlib import Path

import pandas as pd

from eduqa.compute import parquet
from eduqa.config.params import SeasonParams
from eduqa.config.schema import CATEGORIES
from eduqa.errors import EduqaError
from eduqa.intake.clean import (
    PROCESSED_FORMAT,
    SUMMARY_FILE,
    CleanResult,
    clean_season,
    write_processed,
)
from eduqa.intake.formats import sha256

__all__ = ["load_processed", "read_processed", "PROCESSED_TABLES", "input_digest", "prepare",
           "check_current", "input_stats", "run_clean", "file_sha256"]

#: The processed tables of a season (docs/DATA.md), besides the paper's per subject
#: (``items-<subject>``, ``choices-<subject>``, ``blueprint-<subject>``).
PROCESSED_TABLES = ("scores", "students", "schools", "targets", "cleaning_log", "items_log",
                    "teachers", "staffing_subjects")


def load_processed(folder: str | Path, read: Callable[[str], pd.DataFrame] | None = None
                   ) -> tuple[CleanResult, list]:
    """The :class:`CleanResult` and findings written by :func:`write_processed`.

    ``read`` gives a processed table by name (e.g. :meth:`eduqa.project.season.Season.load`, which
    shares the tables a notebook has read already); by default each file is read."""
    folder = Path(folder)
    record = json.loads((folder / SUMMARY_FILE).read_text(encoding="utf-8"))
    reader = read or (lambda name: parquet.read_parquet(folder / f"{name}.parquet",
                                                   categories=CATEGORIES.get(name, ())))
    frames = {name: reader(name)
              for name in ("scores", "students", "schools", "targets", "cleaning_log")}
    subjects = folder / "staffing_subjects.parquet"
    result = CleanResult(held={"scores": frames["scores"], "students": frames["students"]},
                         schools=frames["schools"], targets=frames["targets"],
                         log=frames["cleaning_log"], n_rows_in=int(record["n_rows_in"]),
                         layout=record["layout"], salt_is_demo=bool(record["salt_is_demo"]),
                         staffing_subjects=reader("staffing_subjects") if subjects.is_file()
                         else None, summary=record["summary"])
    for subject in record["summary"].get("items", {}):
        for name in (f"items-{subject}", f"choices-{subject}", f"blueprint-{subject}"):
            result.papers[name] = reader(name)
    for name in ("items_log", "teachers"):
        if (folder / f"{name}.parquet").is_file():
            result.papers[name] = reader(name)
    return result, _findings(record)


def _findings(record: dict) -> list:
    """The findings stored in a processed folder's summary."""
    from eduqa.project.checks import Finding

    return [Finding(f["severity"], EduqaError(f["en"], zh=f["zh"]), f["code"])
            for f in record.get("findings", [])]


#: SHA-256 of the input files hashed in this process, by (path, size, modification time): the
#: clean step's input digest, the pages' footer and the workbook's provenance hash each raw
#: file once.
_HASHED: dict[tuple[str, int, int], str] = {}


def file_sha256(path: Path) -> str:
    """:func:`eduqa.intake.formats.sha256` of ``path``, computed once per process while the
    file is unchanged (its size and modification time)."""
    stat = path.stat()
    key = (str(path.resolve()), stat.st_size, stat.st_mtime_ns)
    if key not in _HASHED:
        _HASHED[key] = sha256(path)
    return _HASHED[key]


def input_digest(params: SeasonParams) -> str:
    """SHA-256 over everything the clean step reads: the raw files, both params files, the
    eduqa version and (a one-way fingerprint of) the student-hash key."""
    from eduqa import __version__
    digest = hashlib.sha256(f"eduqa {__version__} processed {PROCESSED_FORMAT}\n".encode())
    for role, path in params.files_read().items():  # (hashed once: the footer names them too)
        digest.update(f"{role} {file_sha256(path)}\n".encode())
    key = os.environ.get("EDUQA_SALT", "") + "|" + os.environ.get("EDUQA_DEMO_KEY", "")
    digest.update(hashlib.sha256(b"eduqa-salt-fingerprint|" + key.encode()).digest())
    return digest.hexdigest()


def prepare(params: SeasonParams, *, load: bool = True) -> tuple[CleanResult | None, list]:
    """The season's cleaned data and the findings of :func:`eduqa.project.checks.season_checks`:
    read from ``data/processed/<season>/`` when it was made from the same inputs (same
    :func:`input_digest`), else cleaned, checked and written there.

    With ``load=False`` processed data that is up to date is not read back (the result is then
    None): the run uses this to make sure of the data before its notebooks start.

    An error finding (e.g. full marks far below the scores) raises
    :class:`~eduqa.project.checks.SeasonCheckError` before anything is written. The folder is locked
    while it is written, so two processes preparing one season take turns."""
    from eduqa.config.storage import season_lock

    project = params.project
    target = project.processed_season(params.season)
    with season_lock(project.processed / f".lock-{params.season}", wait=True):
        digest = input_digest(params)
        record = target / SUMMARY_FILE
        if record.is_file():
            try:
                stored = json.loads(record.read_text(encoding="utf-8"))
            except (OSError, ValueError):
                stored = {}
            if stored.get("digest") == digest:
                _stamp(params)  # the same contents: only the file times may have changed
                if load:
                    return load_processed(target)
                return None, _findings(stored)
        return _clean_checked(params, target, digest)


def _clean_checked(params: SeasonParams, target: Path, digest: str) -> tuple[CleanResult, list]:
    from eduqa.project.checks import raise_errors, season_checks

    result = clean_season(params)
    findings = season_checks(params, result)
    raise_errors(params.season, findings)
    write_processed(result, target, digest=digest, findings=findings,
                    part_rows=params.county.engine.partition_rows)
    _stamp(params)
    return result, findings


def _stamp_path(params: SeasonParams) -> Path:
    """Beside the season's processed folder, not in it: file times are not data (the same
    inputs give byte-identical processed folders)."""
    return params.project.processed / f".inputs-{params.season}.json"


def _stamp(params: SeasonParams) -> None:
    """Record :func:`input_stats` for :func:`check_current` (written whole, then renamed)."""
    path = _stamp_path(params)
    partial = path.with_name(path.name + f".{os.getpid()}")
    partial.write_text(json.dumps(input_stats(params)), encoding="utf-8")
    os.replace(partial, path)


def input_stats(params: SeasonParams) -> dict[str, list[int]]:
    """Size and modification time of every file the clean step reads (raw files and params):
    a cheap check that processed data is still the data of these files."""
    stats = {role: Path(path).stat() for role, path in params.files_read().items()}
    return {role: [stat.st_size, stat.st_mtime_ns] for role, stat in stats.items()}


def check_current(params: SeasonParams) -> None:
    """Raise a clear error when ``data/processed/<season>`` is missing or older than the files
    it was made from (by size and modification time, recorded beside the folder when it was
    made or confirmed; see :func:`input_stats`). Notebooks call
    this instead of cleaning: ``eduqa run`` prepares every season it needs before they start."""
    season = params.season
    record = params.project.processed_season(season) / SUMMARY_FILE
    try:
        stored = json.loads(_stamp_path(params).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        stored = None
    if stored is None or not record.is_file():
        raise EduqaError.of("project.pipeline.check_current.season_has_not_been", season=season,
                            record=record) from None
    if stored != input_stats(params):
        raise EduqaError.of("project.pipeline.check_current.processed_data_season_older",
                            season=season)


def run_clean(season: str, project_dir: str | Path | None = None) -> CleanResult:
    """Load the season's params, clean its raw files, check them (an error finding of
    :func:`eduqa.project.checks.season_checks` raises) and write ``data/processed/<season>/``.

    The season's processed folder is locked while it is written, so two processes cleaning the
    same season take turns."""
    from eduqa.config.params import load_season
    from eduqa.config.paths import Project
    from eduqa.config.storage import season_lock

    project = Project.find(project_dir)
    target = project.processed_season(season)
    with season_lock(project.processed / f".lock-{season}", wait=True):
        params = load_season(project, season)
        result, _ = _clean_checked(params, target, input_digest(params))
    return result


def read_processed(season: str, table: str, project_dir: str | Path | None = None
                   ) -> pd.DataFrame:
    """One processed table of a cleaned season, as the notebooks read it (docs/DATA.md).

    Parameters
    ----------
    season : str
        The season id, e.g. ``2025-spring-g9``.
    table : str
        One of :data:`PROCESSED_TABLES`, or ``items-<subject>``, ``choices-<subject>``,
        ``blueprint-<subject>`` for a subject with item scores.
    project_dir : str or Path, optional
        The project; by default found from the working directory upward.

    Returns
    -------
    DataFrame
        The table, its category columns as pandas categoricals (``scores``: subject, status,
        school_code, class).

    Raises
    ------
    EduqaError
        The season is not cleaned, or its processed data is older than its raw files or
        params (run ``eduqa clean SEASON``), or the season has no such table (the message
        lists the tables it has).

    Examples
    --------
    >>> from eduqa.project.pipeline import read_processed
    >>> scores = read_processed("2025-spring-g9", "scores")  # doctest: +SKIP
    >>> scores.groupby("subject", observed=True)["score"].mean()  # doctest: +SKIP
    """
    from eduqa.config.params import load_season
    from eduqa.config.paths import Project

    params = load_season(Project.find(project_dir), season)
    check_current(params)
    folder = params.project.processed_season(season)
    path = folder / f"{table}.parquet"
    if table.startswith(".") or "/" in table or "\\" in table or not path.exists():
        present = sorted(p.name.removesuffix(".parquet") for p in folder.glob("*.parquet"))
        raise EduqaError.of("project.pipeline.read_processed.season_has_no_processed",
                            season=season, table=table, present=list(present))
    return parquet.read_parquet(path, categories=CATEGORIES.get(table, ()))
