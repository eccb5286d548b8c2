"""Shared fixtures: a private copy of the demo project, the demo seasons cleaned in memory, and
one full report build shared by the report tests."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from scipy import linalg

from eduqa.config.paths import Project

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


def add_to_county(project: Project, text: str) -> None:
    """Append settings (YAML text) to the project's params/county.yaml."""
    county = project.params_dir / "county.yaml"
    county.write_text(county.read_text(encoding="utf-8") + text, encoding="utf-8")


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
    from eduqa.config.params import load_season
    from eduqa.intake.clean import clean_season

    return {s: clean_season(load_season(repo_project, s)) for s in SEASONS}


@pytest.fixture(scope="session")
def built(tmp_path_factory) -> Project:
    """All four demo seasons built once, exactly as `eduqa run --all` does."""
    from eduqa.project.build import run_seasons

    project = copy_project(tmp_path_factory.mktemp("built") / "project")
    messages: list[str] = []
    run_seasons(project, project.season_ids(), progress=messages.append)
    return project


@pytest.fixture(scope="session")
def built_en(tmp_path_factory) -> Project:
    """The demo's 2025-spring-g6 built with ``language: en`` in params/county.yaml."""
    from eduqa.project.build import run_seasons

    project = copy_project(tmp_path_factory.mktemp("english") / "project")
    county = project.params_dir / "county.yaml"
    text = county.read_text(encoding="utf-8")
    assert "language: zh" in text
    county.write_text(text.replace("language: zh", "language: en"), encoding="utf-8")
    run_seasons(project, ["2025-spring-g6"], progress=lambda message: None, language="en")
    return project


def dense_cr2(x, e, codes, rho: float = 0.0, rho_df: float | None = None):
    """Bell & McCaffrey (2002) CR2 and Satterthwaite df with explicit N × N matrices (small N
    only), under the working model Φ_g = I + ρJ: A_g = Φ_g^½ B_g^(−½) Φ_g^½ with
    B_g = Φ_g^½ [(I − H) Φ (I − H)']_gg Φ_g^½ (Pustejovsky & Tipton 2018, with the symmetric
    root), Ω_gh = G_g' Φ G_h, df = (tr Ω)² / tr Ω². ``rho_df`` (default ``rho``) is the
    working model of the df alone (the row-level :func:`eduqa.models.cluster.cr2` keeps the
    independent-errors target for A_g)."""
    n, k = x.shape
    same = codes[:, None] == codes[None, :]
    phi_df = np.eye(n) + (rho if rho_df is None else rho_df) * same
    m = np.linalg.inv(x.T @ x)
    h = x @ m @ x.T
    resid_maker = np.eye(n) - h
    phi = np.eye(n) + rho * (codes[:, None] == codes[None, :])
    middle = resid_maker @ phi @ resid_maker.T
    meat = np.zeros((k, k))
    a_blocks = {}
    for g in np.unique(codes):
        rows = np.flatnonzero(codes == g)
        root = np.real(linalg.sqrtm(phi[np.ix_(rows, rows)]))
        b = root @ middle[np.ix_(rows, rows)] @ root
        a = root @ np.real(linalg.sqrtm(np.linalg.pinv(b))) @ root
        a_blocks[g] = (rows, a)
        u = x[rows].T @ a @ e[rows]
        meat += np.outer(u, u)
    cov = m @ meat @ m
    dfs = []
    for j in range(k):
        columns = []
        for rows, a in a_blocks.values():
            w = a @ x[rows] @ m[:, j]
            columns.append(resid_maker[:, rows] @ w)  # G_g = (I − H)_g' w_g
        big = np.column_stack(columns)
        omega = big.T @ phi_df @ big
        dfs.append(np.trace(omega) ** 2 / np.sum(omega**2))
    return cov, np.array(dfs)


def dense_cr2_gap(y, category, codes, reference, *, target: bool = True):
    """(gap, ci_low, ci_high, p) of reference − category from the dense CR2 oracle, with the
    random-effects working model estimated by ANOVA from the residuals."""
    from scipy import stats

    x = np.column_stack([np.ones(len(y)), (np.asarray(category) != reference).astype(float)])
    y = np.asarray(y, float)
    codes = pd.factorize(np.asarray(codes))[0]
    beta = np.linalg.lstsq(x, y, rcond=None)[0]
    e = y - x @ beta
    groups, total = codes.max() + 1, len(y)
    sizes = np.bincount(codes).astype(float)
    cluster_means = np.bincount(codes, weights=e) / sizes
    sigma2 = np.sum((e - cluster_means[codes]) ** 2) / (total - groups)
    n0 = (total - np.sum(sizes**2) / total) / (groups - 1)
    tau2 = (np.sum(sizes * cluster_means**2) / (groups - 2) - sigma2) / n0
    rho = max(tau2, 0.0) / sigma2
    cov, df = dense_cr2(x, e, codes, rho=rho if target else 0.0, rho_df=rho)
    se, q = np.sqrt(cov[1, 1]), stats.t.ppf(0.975, df[1])
    p = 2 * stats.t.sf(abs(beta[1] / se), df[1])
    return -beta[1], -beta[1] - q * se, -beta[1] + q * se, p


def dense_cr2_interval(y, x, codes, j):
    """95% interval of coefficient ``j`` of OLS y ~ x by the dense CR2 oracle with the
    random-effects working model (ANOVA estimate from the residuals, k = columns of x)."""
    from scipy import stats

    y, x = np.asarray(y, float), np.asarray(x, float)
    codes = pd.factorize(np.asarray(codes))[0]
    beta = np.linalg.lstsq(x, y, rcond=None)[0]
    e = y - x @ beta
    groups, total, k = codes.max() + 1, len(y), x.shape[1]
    sizes = np.bincount(codes).astype(float)
    means = np.bincount(codes, weights=e) / sizes
    sigma2 = np.sum((e - means[codes]) ** 2) / (total - groups)
    n0 = (total - np.sum(sizes**2) / total) / (groups - 1)
    tau2 = (np.sum(sizes * means**2) / (groups - k) - sigma2) / n0
    cov, df = dense_cr2(x, e, codes, rho=max(tau2, 0.0) / sigma2)
    se, q = np.sqrt(cov[j, j]), stats.t.ppf(0.975, df[j])
    return beta[j] - q * se, beta[j] + q * se


@pytest.fixture(scope="session")
def planted(tmp_path_factory):
    """Regenerate the demo county; its record says where each mess was planted. The committed
    files must be exactly what the generator writes."""
    import openpyxl

    from eduqa.synth import write_demo_county

    raw = REPO / "data" / "raw"
    out = tmp_path_factory.mktemp("synth")
    record = write_demo_county(out)
    for path in sorted(raw.rglob("*.csv")):
        assert (out / path.relative_to(raw)).read_bytes() == path.read_bytes(), path
    ours = openpyxl.load_workbook(out / "2025-spring-g6" / "scores.xlsx").active
    theirs = openpyxl.load_workbook(raw / "2025-spring-g6" / "scores.xlsx").active
    assert list(ours.values) == list(theirs.values)
    return record
