"""The report in English (``language: en`` in params/county.yaml): every page, sentence, table
header and workbook sheet in English; Chinese only where it is the user's own data (school,
township and county names, the season's display name, raw values quoted on the cleaning page,
the parameter files in the footer)."""

from __future__ import annotations

import re

import openpyxl
import pandas as pd
import pytest

SEASON = "2025-spring-g6"  # the xlsx export with 教学点, 学科短板 and small groups
CJK = re.compile(r"[\u4e00-\u9fff]+")


@pytest.fixture(scope="module")
def english(built_en):
    return built_en  # SEASON built in English (conftest: shared with tests/test_directions.py)


def _user_words(project) -> list[str]:
    roster = pd.read_csv(project.raw / "schools.csv", dtype=str, keep_default_na=False)
    words = set(roster["school_name"]) | set(roster["township"])
    words |= {a for aliases in roster["aliases"] for a in aliases.split("|") if a}
    words |= {"2025年春季六年级期末质量监测", "2024年春季六年级期末质量监测", "示范县"}
    # class names are the schools' own (written one way, 1班, by the clean step)
    words |= {f"{k}班" for k in range(1, 40)}
    return sorted(words, key=len, reverse=True)


def _visible_text(html: str) -> str:
    html = html.split('class="eduqa-footer')[0]  # the footer quotes the params files as written
    html = re.sub(r"<style.*?</style>", " ", html, flags=re.S)
    html = re.sub(r'\sid="[^"]*"', " ", html)  # heading anchors repeat the heading text
    return re.sub(r"<[^>]+>", " ", html)


def test_english_pages_hold_no_chinese_of_their_own(english):
    words = _user_words(english)
    pages = sorted(english.report_season(SEASON).glob("*.html"))
    assert [p.name for p in pages] == ["01-clean.html", "02-indicators.html",
                                       "03-attribution.html", "04-trends.html", "05-paper.html",
                                       "index.html"]
    schools = sorted((english.report_season(SEASON) / "schools").glob("*.html"))
    assert len(schools) > 5  # the school reports (issue 37), their index first
    for page in [*pages, *schools[:4]]:
        html = page.read_text(encoding="utf-8")
        assert 'lang="en"' in html, page.name
        text = _visible_text(html)
        for word in words:
            text = text.replace(word, " ")
        left = CJK.findall(text)
        if page.name == "01-clean.html":  # raw values as written in the export ("85分")
            left = [w for w in left if w not in {"分"}]
        assert not left, (page.name, left[:10])
    indicators = (english.report_season(SEASON) / "02-indicators.html").read_text()
    assert "Exam indicators" in indicators and "Pass rate" in indicators


def test_english_workbook_headers_and_sheet_names(english):
    words = set(_user_words(english))
    book = openpyxl.load_workbook(english.report_season(SEASON) / "tables.xlsx", read_only=True)
    assert len(book.sheetnames) >= 20
    for sheet in book.worksheets:
        assert not CJK.search(sheet.title), sheet.title
        header = next(sheet.iter_rows(values_only=True))
        own = [h for h in header if CJK.search(str(h)) and str(h) not in words]  # not a season
        assert not own, (sheet.title, header)


def test_the_english_paper_page_has_no_chinese_of_its_own(tmp_path):
    """2025-spring-g9 (with item scores) in English: the 05 page's sentences, headers and
    captions are English; Chinese only in the user's data (schools, the blueprint's question
    types, knowledge points and ability levels)."""
    from eduqa.project.build import run_seasons

    from conftest import copy_project

    project = copy_project(tmp_path / "project")
    county = project.params_dir / "county.yaml"
    county.write_text(county.read_text(encoding="utf-8").replace("language: zh", "language: en"),
                      encoding="utf-8")
    for notebook in project.notebooks.glob("*.ipynb"):
        if notebook.stem not in ("01-clean", "05-paper"):
            notebook.unlink()
    run_seasons(project, ["2025-spring-g9"], progress=lambda message: None, language="en")
    words = set(_user_words(project)) | {"2025年春季九年级期末质量监测"}
    for subject in ("math", "chinese"):
        blueprint = pd.read_csv(project.raw / "2025-spring-g9" / f"blueprint-{subject}.csv",
                                dtype=str, keep_default_na=False)
        for column in blueprint.columns:
            for value in blueprint[column]:
                words |= {part for part in re.split(r"[、,]", value) if part}
    html = (project.report_season("2025-spring-g9") / "05-paper.html").read_text(
        encoding="utf-8")
    shown = " ".join(_visible_text(html).split())
    text = shown
    for word in sorted((w for w in words if CJK.search(w)), key=len, reverse=True):
        text = text.replace(word, " ")
    assert not CJK.findall(text), CJK.findall(text)[:10]
    assert "Mathematics Q7: negative discrimination" in shown
    # (the planted DIF of 数学第10题; the 解答题 carry no planted DIF since their marks vary
    # question by question, issue 37)
    assert "Mathematics Q10 (easier for urban pupils)" in shown
    assert "large (C) difference" in shown
    assert "fitted by the graded response model" in shown
    assert "Questions scored in steps (constructed response, essays) are classed" in shown
