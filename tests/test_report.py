"""The built demo reports (all four seasons, as `eduqa run --all` builds them): complete,
offline, no code, no student names or ids, numbers equal to the processed data."""

from __future__ import annotations

import json
import re
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from eduqa.report import external_references

from conftest import REPO, SEASONS

RAW = REPO / "data" / "raw"
PAGES = ["index.html", "01-clean.html", "02-indicators.html"]


def all_pages(project) -> list[Path]:
    return sorted(project.reports.rglob("*.html"))


def personal_values() -> set[str]:
    """Every student name and raw id in the raw files."""
    values: set[str] = set()
    for season in SEASONS:
        folder = RAW / season
        if (folder / "scores.xlsx").exists():
            frame = pd.read_excel(folder / "scores.xlsx", header=2, dtype=str,
                                  engine="openpyxl")
        else:
            encoding = "gbk" if season == "2024-spring-g6" else "utf-8-sig"
            frame = pd.read_csv(folder / "scores.csv", encoding=encoding, dtype=str)
        for column in ("姓名", "name", "学籍号", "student_id", "考号"):
            if column in frame:
                values |= set(frame[column].dropna())
    return values


# --- the checker itself can fail ---------------------------------------------------------------


@pytest.mark.parametrize("snippet", [
    '<script src="https://cdnjs.cloudflare.com/ajax/libs/require.js/2.1.10/require.min.js">',
    '<link rel="stylesheet" href="//fonts.example.org/css">',
    '<img src="http://example.org/a.png">',
    '<style>@import "https://example.org/x.css";</style>',
    '<style>body { background: url(https://example.org/bg.png) }</style>',
    '<div style="background-image: url(\'http://example.org/a.png\')"></div>',
])
def test_checker_finds_external_references(snippet):
    assert external_references(snippet)


def test_checker_allows_local_and_data_references():
    page = ('<a href="01-clean.html">x</a><a href="#top">y</a><img src="data:image/png;base64,AA">'
            '<style>/* see https://example.org */ .a { background: url(data:image/svg+xml;base64,A) }'
            '</style><p>https://example.org is only text</p>')
    assert external_references(page) == []


# --- the built reports -------------------------------------------------------------------------


def test_every_season_is_built(built):
    for season in SEASONS:
        folder = built.report_season(season)
        for name in [*PAGES, "01-clean.ipynb", "02-indicators.ipynb", "tables.xlsx"]:
            assert (folder / name).is_file(), f"{season}/{name}"
    assert not list(built.reports.glob(".build-*")) and not list(built.reports.glob("*.failed"))


def test_index_lists_seasons_newest_first(built):
    page = (built.reports / "index.html").read_text(encoding="utf-8")
    links = re.findall(r'href="([^"]+)/index.html"', page)
    assert links == ["2025-spring-g9", "2025-spring-g6", "2024-spring-g8", "2024-spring-g6"]


def test_no_page_makes_a_network_request(built):
    pages = all_pages(built)
    assert len(pages) == 1 + 3 * len(SEASONS)
    for page in pages:
        assert external_references(page.read_text(encoding="utf-8")) == [], page
        assert "<script" not in page.read_text(encoding="utf-8"), page


def test_no_code_cells_in_html(built):
    sources = []
    for notebook in (REPO / "notebooks").glob("*.ipynb"):
        for cell in json.loads(notebook.read_text())["cells"]:
            sources += [line.strip() for line in "".join(cell["source"]).splitlines()
                        if len(line.strip()) > 12]
    assert sources
    for page in all_pages(built):
        text = page.read_text(encoding="utf-8")
        assert not re.search(r'class="[^"]*(jp-InputArea|jp-InputPrompt)', text), page
        leaked = [line for line in sources if line in text]
        assert not leaked, (page, leaked[:3])


def test_no_student_name_or_raw_id_anywhere_in_reports(built):
    secrets = personal_values()
    assert len(secrets) > 10000
    pattern = re.compile("|".join(sorted(map(re.escape, secrets), key=len, reverse=True)))
    outputs = [*all_pages(built), *built.reports.rglob("*.ipynb")]
    for path in outputs:
        match = pattern.search(path.read_text(encoding="utf-8"))
        assert match is None, (path, match and match.group(0))
    for workbook in built.reports.rglob("*.xlsx"):
        book = openpyxl.load_workbook(workbook, read_only=True)
        for sheet in book.worksheets:
            for row in sheet.iter_rows(values_only=True):
                for value in row:
                    assert not (isinstance(value, str) and pattern.search(value)), workbook


def test_pages_are_chinese_with_figures(built):
    for season in SEASONS:
        page = (built.report_season(season) / "02-indicators.html").read_text(encoding="utf-8")
        assert 'lang="zh-CN"' in page
        assert "全县总体情况" in page and "及格率" in page
        assert page.count('src="data:image/png;base64,') >= 1


def test_executed_notebooks_have_no_errors_or_glyph_warnings(built):
    """The papermill smoke test: every notebook ran on every demo season."""
    for season in SEASONS:
        for name in ("01-clean.ipynb", "02-indicators.ipynb"):
            cells = json.loads((built.report_season(season) / name).read_text())["cells"]
            outputs = [o for c in cells for o in c.get("outputs", [])]
            assert not [o for o in outputs if o["output_type"] == "error"], (season, name)
            stderr = "".join("".join(o.get("text", "")) for o in outputs
                             if o.get("name") == "stderr")
            assert "missing from font" not in stderr, (season, name)


def test_workbook_numbers_equal_processed_data(built):
    season = "2025-spring-g9"
    scores = pd.read_parquet(built.processed_season(season) / "scores.parquet")
    total = scores[(scores["subject"] == "total") & (scores["status"] == "sat")]
    book = openpyxl.load_workbook(built.report_season(season) / "tables.xlsx")
    assert book.sheetnames == ["全县各学科", "各校总分", "各校各学科"]
    sheet = book["全县各学科"]
    header = [c.value for c in sheet[1]]
    rows = {r[0]: dict(zip(header, r)) for r in sheet.iter_rows(min_row=2, values_only=True)}
    assert rows["总分"]["平均分"] == pytest.approx(total["score"].mean())
    assert rows["总分"]["及格率"] == pytest.approx((total["score"] >= 0.6 * 760).mean())
    assert sheet.cell(2, header.index("及格率") + 1).number_format == "0.0%"


def test_season_index_headline_equals_processed_data(built):
    season = "2024-spring-g6"
    scores = pd.read_parquet(built.processed_season(season) / "scores.parquet")
    mean = scores.loc[(scores["subject"] == "total") & (scores["status"] == "sat"),
                      "score"].mean()
    page = (built.report_season(season) / "index.html").read_text(encoding="utf-8")
    assert f"{mean:,.1f} / 400" in page


def test_provenance_footer(built):
    page = (built.report_season("2025-spring-g9") / "02-indicators.html").read_text(
        encoding="utf-8")
    import hashlib

    digest = hashlib.sha256((RAW / "2025-spring-g9" / "scores.csv").read_bytes()).hexdigest()
    assert digest[:16] in page and "eduqa 版本" in page and "cohort_prior" in page
