"""Issue 12, point 4: plain words for leaders, statistics in an appendix; associational
wording; staffing in whole teachers with 超编 next to 缺编; 分数段 in points with counts."""

from __future__ import annotations

import html
import re

import pytest

from conftest import SEASONS, html_tables

#: What a leader should not meet in the main text: method and software names, formulas,
#: parameter and variable names.
TECHNICAL = re.compile(r"CR2|Gelbach|Oaxaca|Shapley|REML|statsmodels|[Pp]ython|patsy|~|"
                       r"compare_with|cohort_prior|\bM[0-3]\b|\b[a-z]+_[a-z_]+\b|\bz 分")
CAUSAL_ZH = re.compile(r"导致|因为|造成")  # (原因 only appears in "not a proven cause")


def _main_text(page: str) -> str:
    """A page's text without its technical appendix, the provenance footer, styles and
    scripts."""
    page = re.sub(r"<(style|script)\b.*?</\1>", " ", page, flags=re.S)
    page = re.sub(r"<footer\b.*?</footer>", " ", page, flags=re.S)
    page = re.sub(r"<details\b.*?</details>", " ", page, flags=re.S)
    cut = re.search(r"<h2[^>]*>\s*(技术附录|Technical appendix)", page)
    if cut:
        page = page[:cut.start()]
    return html.unescape(re.sub(r"<[^>]+>", " ", page))


@pytest.mark.parametrize("season", SEASONS)
def test_main_text_has_no_formulas_variable_or_method_names(built, season):
    folder = built.report_season(season)
    for page in sorted(folder.glob("*.html")):
        text = _main_text(page.read_text(encoding="utf-8"))
        found = TECHNICAL.findall(text)
        assert not found, (page.name, sorted(set(found))[:10])
        assert not CAUSAL_ZH.search(text), (page.name, CAUSAL_ZH.findall(text))


def test_attribution_page_is_about_association_with_an_appendix(built):
    page = (built.report_season("2025-spring-g9") / "03-attribution.html").read_text("utf-8")
    title = re.search(r"<title>(.*?)</title>", page).group(1)
    assert "有关" in title and "原因" not in title and "归因" not in title
    assert "关联分析" in page
    appendix = page.index("技术附录")
    for heading in ("多层模型 M0–M3", "Gelbach 分解", "Oaxaca–Blinder", "Shapley R²"):
        assert page.index(heading) > appendix, heading
    assert page.index("高于或低于预期") < appendix  # the plain part comes first


def test_glossary_explains_the_statistical_words_once(built):
    index = (built.report_season("2025-spring-g9") / "index.html").read_text(encoding="utf-8")
    glossary = index[index.index("术语说明"):]
    for term in ("标准差", "95% 置信区间", "学校聚类自助法", "差异系数"):
        assert f"<dt>{term}</dt>" in glossary
    assert index.count("<dt>标准差</dt>") == 1


def test_staffing_in_whole_teachers_with_surplus(built, cleaned):
    page = (built.report_season("2025-spring-g9") / "02-indicators.html").read_text("utf-8")
    table = next(t for t in html_tables(page) if "超编人数" in t[0] and "学校" in t[0])
    header = table[0]
    assert header.index("超编人数") == header.index("缺编人数") + 1
    schools = cleaned["2025-spring-g9"].schools.set_index("school_name")
    name_column = header.index("学校")
    for row in table[1:]:
        school = schools.loc[row[name_column]]
        for column, key in (("核定编制", "required"), ("缺编人数", "shortage"),
                            ("超编人数", "surplus")):
            cell = row[header.index(column)]
            assert re.fullmatch(r"[\d,]+", cell), (column, cell)  # whole teachers
            oracle = max(0.0, school["required"] - school["teachers_in_post"]) if \
                key == "shortage" else max(0.0, school["teachers_in_post"] - school[
                    "required"]) if key == "surplus" else school["required"]
            assert int(cell.replace(",", "")) == int(oracle + 0.5), (column, row)
        assert not (int(row[header.index("缺编人数")]) and int(row[header.index("超编人数")]))


def test_score_bands_in_points_with_counts(built, cleaned):
    page = (built.report_season("2025-spring-g9") / "02-indicators.html").read_text("utf-8")
    table = next(t for t in html_tables(page) if "分数段（分）" in t[0])
    header = table[0]
    rows = {(r[header.index("学科")], r[header.index("分数段（分）")]): r for r in table[1:]}
    scores = cleaned["2025-spring-g9"].scores
    chinese = scores[(scores["subject"] == "chinese") & scores["status"].eq("sat")]["score"]
    count = int(((chinese >= 108) & (chinese <= 120)).sum())  # top band includes full marks
    assert rows[("语文", "108–120")][header.index("人数")] == f"{count:,}"
    assert ("总分", "684–760") in rows
