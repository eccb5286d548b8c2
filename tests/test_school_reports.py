"""校本报告 (eduqa.report.school, eduqa.text.narrative.school): one internal report per school —
its numbers against the season's workbook, only its own classes, small schools without figures,
hostile names made safe, the Word document's sections and styles, sentences right whatever the
sign of the numbers."""

from __future__ import annotations

import re
import zipfile

import numpy as np
import pandas as pd
import pytest

from eduqa.report.school import SCHOOL_FOLDER, school_file_stem
from eduqa.text.narrative.school import (
    SchoolFacts,
    school_basic,
    school_plan,
    school_problems,
    school_strengths,
)

from conftest import html_tables


def _text(page: str) -> str:
    import html

    body = page[page.find("<main>"):page.find("</main>")]
    return html.unescape(re.sub(r"<[^>]+>", "\n", body))


# --- file names ---------------------------------------------------------------------------

@pytest.mark.parametrize("code, name", [("../../etc", "passwd"), ("3610", "a/b\\c"),
                                        ("1", "<script>x</script>"), ("2", "名\x00字\n"),
                                        ("3", ".hidden")])
def test_a_hostile_name_makes_a_safe_file_name(code, name):
    stem = school_file_stem(code, name)
    assert re.fullmatch(r"[\w\-]+", stem) and ".." not in stem and "/" not in stem
    assert not stem.startswith((".", "_"))


def test_two_schools_of_one_name_and_code_get_two_files():
    taken: set[str] = set()
    first, second = school_file_stem("1", "中心小学", taken), school_file_stem("1", "中心小学", taken)
    assert first != second and first == "1-中心小学"


# --- the demo's reports ---------------------------------------------------------------------

@pytest.fixture(scope="module")
def g9(built):
    folder = built.reports / "2025-spring-g9"
    sheets = pd.read_excel(folder / "tables.xlsx", sheet_name=None, dtype={"学校代码": str})
    return folder, sheets


def test_every_school_has_a_page_and_a_document_listed_in_the_index(g9):
    folder, sheets = g9
    schools = sheets["各校总分"]
    index = (folder / SCHOOL_FOLDER / "index.html").read_text(encoding="utf-8")
    rows = html_tables(index)[0][1:]
    assert sorted(r[0] for r in rows) == sorted(schools["学校代码"])
    for code, name in zip(schools["学校代码"], schools["学校"]):
        stem = school_file_stem(code, name)
        assert (folder / SCHOOL_FOLDER / f"{stem}.html").is_file()
        assert (folder / SCHOOL_FOLDER / f"{stem}.docx").is_file()
        assert f'href="{stem}.html"' in index
    assert 'href="schools/index.html"' in (folder / "index.html").read_text(encoding="utf-8")


def test_a_school_page_agrees_with_the_workbook_and_shows_only_its_own_classes(g9):
    folder, sheets = g9
    schools, county = sheets["各校总分"], sheets["全县各学科"]
    classes = sheets["各班总分"]
    county_mean = county.loc[county["学科"] == "总分", "平均分"].iloc[0]
    for _, school in schools.iterrows():
        page = (folder / SCHOOL_FOLDER / f"{school_file_stem(school['学校代码'], school['学校'])}.html"
                ).read_text(encoding="utf-8")
        text = _text(page)
        assert f"平均分 {school['平均分']:,.1f}（全县 {county_mean:,.1f}" in text
        gap = school["平均分"] - county_mean
        assert (f"高于全县 {abs(gap):,.1f} 分" in text) if round(gap, 1) > 0 else (
            f"低于全县 {abs(gap):,.1f} 分" in text)
        if pd.notna(school["名次"]):
            assert f"列第 {int(school['名次'])} 名" in text
        # its classes, and nobody else's: the class table has exactly its classes
        own = classes[classes["学校代码"] == school["学校代码"]]
        shown = [t for t in html_tables(page) if t[0][:2] == ["班级", "实考人数"]]
        assert shown and sorted(r[0] for r in shown[0][1:]) == sorted(own["班级"])
        others = set(schools["学校"]) - {school["学校"]}
        assert not any(other in text for other in others)
        for word in ("nan", "None", "True", "False"):
            assert not re.search(rf"(?<![A-Za-z]){word}(?![A-Za-z])", text), word


def test_the_word_document_has_the_five_sections_in_word_styles(g9):
    folder, sheets = g9
    school = sheets["各校总分"].iloc[0]
    path = folder / SCHOOL_FOLDER / f"{school_file_stem(school['学校代码'], school['学校'])}.docx"
    from docx import Document

    document = Document(str(path))
    headings = [p.text for p in document.paragraphs if p.style.name == "Heading 1"]
    assert headings[:5] == ["一、基本情况", "二、主要成绩", "三、存在问题", "四、原因分析",
                            "五、改进建议"]
    plan = [p.text for p in document.paragraphs if p.style.name == "List Number"]
    assert len(plan) == 3 and all(plan)
    assert document.paragraphs[0].style.name == "Title" and school["学校"] in document.paragraphs[0].text
    assert len(document.tables) >= 2
    # the same inputs, the same bytes: fixed zip dates
    assert {info.date_time for info in zipfile.ZipFile(path).infolist()} == {(2000, 1, 1, 0, 0, 0)}


def test_school_reports_can_be_turned_off(project):
    from eduqa.project.build import run_seasons

    county = project.params_dir / "county.yaml"
    county.write_text(county.read_text(encoding="utf-8").replace(
        "school_reports: true", "school_reports: false"), encoding="utf-8")
    run_seasons(project, ["2024-spring-g8"], progress=lambda message: None)
    folder = project.reports / "2024-spring-g8"
    assert (folder / "index.html").is_file() and not (folder / SCHOOL_FOLDER).exists()
    assert "schools/index.html" not in (folder / "index.html").read_text(encoding="utf-8")


# --- the sentences, on planted rows -----------------------------------------------------------

def _facts(mean=60.0, county_mean=70.0, n=40, **fields) -> SchoolFacts:
    total = pd.Series({"school_code": "S1", "school_name": "甲校", "n_sat": n, "mean": mean,
                       "pass_rate": 0.5, "excellent_rate": 0.1, "low_rate": 0.2,
                       "composite": 40.0, "rank": 3.0, "rank_previous": 5.0, "rank_change": 2.0})
    county = pd.Series({"mean": county_mean, "pass_rate": 0.6, "excellent_rate": 0.12,
                        "low_rate": 0.1})
    subjects = pd.DataFrame({"subject": ["chinese", "math", "english"], "n_sat": [n] * 3,
                             "above_mean_rate": [0.05, -0.12, 0.0]})
    return SchoolFacts(code="S1", name="甲校", total=total, county_total=county, n_ranked=12,
                       subjects=subjects, **fields)


def test_the_basic_sentence_turns_with_the_sign_of_the_gap():
    below = school_basic(_facts(60, 70))
    assert "平均分 60.0（全县 70.0，低于全县 10.0 分）" in below and "列第 3 名" in below
    above = school_basic(_facts(75.5, 70))
    assert "高于全县 5.5 分" in above
    level = school_basic(_facts(70.02, 70))
    assert "与全县持平" in level and "高于全县 0.0" not in level
    english = school_basic(_facts(60, 70), "en")
    assert "10.0 points below the county" in english


def test_strengths_and_problems_list_the_subjects_on_their_side():
    facts = _facts()
    strengths = " ".join(school_strengths(facts))
    problems = " ".join(school_problems(facts))
    assert "语文（超均率 +5.0%）" in strengths and "数学" not in strengths
    assert "数学（超均率 −12.0%）" in problems and "语文" not in problems
    assert "英语" not in strengths + problems  # level with the county: on neither side
    assert "前进 2 位（上次第 5 名）" in strengths
    assert "低分率 20.0%，高于全县的 10.0%" in problems


def test_a_school_of_too_few_pupils_gets_no_figure():
    facts = _facts(n=3, suppress_below=5)
    text = school_basic(facts) + "".join(school_strengths(facts) + school_problems(facts)
                                          + school_plan(facts))
    assert "不公布本校的成绩数字" in text
    assert not re.search(r"\d+\.\d", text)  # no mean, no rate


def test_the_plan_has_three_sentences_tied_to_the_problems():
    points = pd.DataFrame({"subject": ["math"], "knowledge_point": ["函数"], "score_rate": [0.4],
                           "rate_difference": [-0.15]})
    classes = pd.DataFrame({"class": ["1班", "2班", "3班"], "n_sat": [40, 40, 4],
                            "composite": [50.0, 45.0, 10.0], "near_pass": [3, 6, 1],
                            "near_excellent": [1, 0, 0]})
    facts = _facts(points=points, classes=classes, near_pass=10, near_excellent=1)
    plan = school_plan(facts)
    assert len(plan) == 3
    assert "数学“函数”" in plan[0] and "低 15.0 个百分点" in plan[0]
    assert "及格线下 10 名、优秀线下 1 名" in plan[1] and "2班最多（6 人）" in plan[1]
    # the class of 4 pupils is never named as the lowest: too small to judge
    assert "2班综合指数在本校最低" in plan[2]
    none_near = school_plan(_facts(near_pass=0, near_excellent=0))
    assert "没有临界生" in none_near[1] and len(none_near) == 3
    assert np.isfinite(facts.total["mean"])


@pytest.mark.parametrize("flag, change, low, high, said", [
    ("improved", 0.31, 0.10, 0.52, "平均标准分提高 0.31（95% 区间 0.10 至 0.52），进步明显"),
    ("fell_back", -0.42, -0.70, -0.14, "平均标准分下降 0.42（95% 区间 -0.70 至 -0.14），退步明显"),
    ("no_clear_change", -0.40, -1.00, 0.20, "变化不明显（变化 -0.40，95% 区间 -1.00 至 0.20）")])
def test_the_trend_since_last_time_is_said_with_its_sign(flag, change, low, high, said):
    row = pd.Series({"flag": flag, "change": change, "ci_low": low, "ci_high": high})
    facts = _facts(change=row)
    assert said in school_basic(facts)
    lists = " ".join(school_strengths(facts) + school_problems(facts))
    assert ("进步明显" in lists) == (flag == "improved")
    assert ("退步明显" in lists) == (flag == "fell_back")
