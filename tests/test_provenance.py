"""Provenance on every page and in the workbook (issue 35): the SHA-256 of every input of every
season a report reads (the cohort's prior season and the comparison seasons too), eduqa's
commit and the package versions. Oracles: hashlib on the files, git itself, importlib."""

from __future__ import annotations

import hashlib
import importlib.metadata
import shutil
import subprocess

import openpyxl
import pytest

from eduqa.config.params import load_season
from eduqa.project.provenance import inputs, package_versions, provenance_rows, source_commit
from eduqa.report.tables import PROVENANCE_SHEET, write_workbook

from conftest import REPO


def _sha(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_the_inputs_are_every_file_of_every_season_read(repo_project):
    """2025-spring-g9 reads its own files and those of its cohort's prior season
    (2024-spring-g8): each named with the SHA-256 of its bytes."""
    params = load_season(repo_project, "2025-spring-g9")
    found = inputs(params)
    seasons = {item.season for item in found}
    assert seasons == {"", "2024-spring-g8", "2025-spring-g9"}
    for season in ("2024-spring-g8", "2025-spring-g9"):
        these = load_season(repo_project, season)
        expected = {these.source, *these.input_files().values()}
        named = {repo_project.root / item.path for item in found if item.season == season}
        assert named == expected, season
    for item in found:
        assert item.sha256 == _sha(repo_project.root / item.path), item.path


def test_the_commit_is_git_s_and_the_versions_are_installed_ones():
    if shutil.which("git") is None or not (REPO / ".git").exists():
        pytest.skip("not a git clone")
    head = subprocess.run(["git", "rev-parse", "HEAD"], cwd=REPO, capture_output=True,
                          text=True, check=True).stdout.strip()
    assert source_commit() == head
    versions = package_versions()
    assert versions["pandas"] == importlib.metadata.version("pandas")
    assert versions["statsmodels"] == importlib.metadata.version("statsmodels")


def test_every_page_and_the_workbook_carry_the_provenance(built):
    """The footer of every page and the workbook's last sheet name the prior season's score
    export with its full SHA-256; the workbook's value cells are text."""
    season = "2025-spring-g9"
    params = load_season(built, season)
    prior = load_season(built, "2024-spring-g8").scores_file
    digest = _sha(prior)
    folder = built.report_season(season)
    pages = sorted(folder.glob("*.html"))
    assert len(pages) >= 6
    for page in pages:
        text = page.read_text(encoding="utf-8")
        assert digest in text and prior.relative_to(built.root).as_posix() in text, page.name
    book = openpyxl.load_workbook(folder / "tables.xlsx", read_only=True)
    assert book.sheetnames[-1] == PROVENANCE_SHEET[True]
    rows = [tuple(r) for r in book[PROVENANCE_SHEET[True]].iter_rows(min_row=2, values_only=True)]
    assert rows == provenance_rows(params, "zh")
    assert any(value == digest and "2024-spring-g8 scores" in item for item, value in rows)


def test_a_provenance_value_that_reads_as_a_formula_stays_text(tmp_path):
    import pandas as pd

    path = write_workbook({"school_total": pd.DataFrame({"school_code": ["a"], "n_sat": [40]})},
                          tmp_path / "t.xlsx",
                          provenance=[("scores: data/raw/=HYPERLINK(1)", "=1+1")])
    sheet = openpyxl.load_workbook(path)[PROVENANCE_SHEET[True]]
    assert sheet["B2"].value == "=1+1" and sheet["B2"].data_type == "s"
    assert sheet["A2"].data_type == "s"
