"""Shared fixtures: a private copy of the demo project, the demo seasons cleaned in memory, and
one full report build shared by the report tests."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from eduqa.paths import Project

REPO = Path(__file__).resolve().parents[1]
def english_phrases(message: str) -> list[str]:
    """Runs of three or more English words outside quotes and brackets (which hold values,
    paths and column names from the user's own files): what a Chinese message must not hold."""
    stripped = re.sub(r"“[^”]*”|‘[^’]*’|'[^']*'|（[^）]*）|\([^)]*\)", " ", message)
    stripped = re.sub(r"[^\s：，；]*[/\\.][^\s：，；]*", " ", stripped)  # paths, file names
    return re.findall(r"[A-Za-z]{2,}(?:[ ,]+[A-Za-z]{2,}){2,}", stripped)


def html_tables(page: str, css_class: str | None = "eduqa-table") -> list[list[list[str]]]:
    """The tables of a page as lists of rows of cell text (header row first): the eduqa tables
    by default, every table with ``css_class=None``."""
    from html.parser import HTMLParser

    tables: list[list[list[str]]] = []

    class Parser(HTMLParser):
        def __init__(self):
            super().__init__()
            self.table = None
            self.row = None
            self.cell = None

        def handle_starttag(self, tag, attrs):
            if tag == "table" and (css_class is None
                                   or css_class in (dict(attrs).get("class") or "")):
                self.table = []
            elif tag == "tr" and self.table is not None:
                self.row = []
            elif tag in ("td", "th") and self.row is not None:
                self.cell = ""

        def handle_endtag(self, tag):
            if tag in ("td", "th") and self.cell is not None:
                self.row.append(self.cell.strip())
                self.cell = None
            elif tag == "tr" and self.row is not None:
                self.table.append(self.row)
                self.row = None
            elif tag == "table" and self.table is not None:
                tables.append(self.table)
                self.table = None

        def handle_data(self, data):
            if self.cell is not None:
                self.cell += data

    Parser().feed(page)
    return tables


SEASONS = ["2024-spring-g6", "2024-spring-g8", "2025-spring-g6", "2025-spring-g9"]


def copy_project(target: Path) -> Project:
    """A project folder with the repository's params, raw data and notebooks (no outputs)."""
    for part in ("params", "notebooks", "data/raw"):
        shutil.copytree(REPO / part, target / part,
                        ignore=shutil.ignore_patterns(".ipynb_checkpoints"))
    (target / "data" / "processed").mkdir(parents=True)
    (target / "reports").mkdir()
    return Project(target)


@pytest.fixture
def project(tmp_path) -> Project:
    """A fresh, writable copy of the demo project for one test."""
    return copy_project(tmp_path / "project")


@pytest.fixture(scope="session")
def repo_project() -> Project:
    """The repository itself, read-only: tests must not write into it."""
    return Project(REPO)


@pytest.fixture(scope="session")
def cleaned(repo_project):
    """Every demo season cleaned in memory (nothing written)."""
    from eduqa.clean import clean_season
    from eduqa.params import load_season

    return {s: clean_season(load_season(repo_project, s)) for s in SEASONS}


@pytest.fixture(scope="session")
def built(tmp_path_factory) -> Project:
    """All four demo seasons built once, exactly as `eduqa run --all` does."""
    from eduqa.report import run_seasons

    project = copy_project(tmp_path_factory.mktemp("built") / "project")
    messages: list[str] = []
    run_seasons(project, project.season_ids(), progress=messages.append)
    return project
