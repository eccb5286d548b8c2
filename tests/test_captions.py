"""Every table and figure says what it shows and for whom (N), and the N is right (issue 16,
points 5 and 7): 应考 / 实考 / 各科全部参考 are told apart on the cards, in the sentences and in
the captions."""

from __future__ import annotations

import re

import docx
import pandas as pd
import pytest

from eduqa.indicators.exam import head_counts
from eduqa.report.word import WORD_FILE
from eduqa.synth import PAPER_SEASONS
from eduqa.text.captions import CAPTIONS, caption

from conftest import SEASONS, html_tables

PAGES = ("01-clean", "02-indicators", "03-attribution", "04-trends", "05-paper")


def _captions(page: str) -> tuple[list[str], list[str]]:
    tables = re.findall(r'<table[^>]*class="eduqa-table"[^>]*>\s*<caption[^>]*>(.*?)</caption>',
                        page, re.S)
    return tables, re.findall(r"<figcaption>(.*?)</figcaption>", page, re.S)


@pytest.mark.parametrize("season", SEASONS)
def test_every_table_and_figure_has_a_caption(built, season):
    folder = built.report_season(season)
    for name in PAGES:
        page = (folder / f"{name}.html").read_text(encoding="utf-8")
        n_tables = len(re.findall(r'<table[^>]*class="eduqa-table"', page))
        n_images = len(re.findall(r"<img\b", page))
        table_captions, figure_captions = _captions(page)
        assert len(table_captions) == n_tables, (season, name)
        assert len(figure_captions) == n_images, (season, name)  # every image in a <figure>
        assert all(c.startswith("表：") and len(c) > 8 for c in table_captions), table_captions
        assert all(c.startswith("图：") and len(c) > 8 for c in figure_captions), figure_captions
        # (the grade-6 seasons have no item scores: their 05 page is one note)
        assert n_tables + n_images > 0 or (name == "05-paper" and season not in PAPER_SEASONS)


def test_caption_numbers_are_the_tables_own(built, cleaned):
    season = "2025-spring-g9"
    folder = built.report_season(season)
    page = (folder / "02-indicators.html").read_text(encoding="utf-8")
    tables = html_tables(page)
    captions, _ = _captions(page)
    # the schools table: as many schools as rows, the students the sum of its 实考人数
    at = next(i for i, c in enumerate(captions) if c.startswith("表：各校总分指标"))
    header, *rows = tables[at]
    sat = sum(int(r[header.index("实考人数")].replace(",", "")) for r in rows)
    assert f"{len(rows)} 所学校，总分实考 {sat:,} 人" in captions[at]
    # the county table: 应考 / 实考 / 各科全部参考 by plain pandas over the cleaned scores
    scores = cleaned[season].scores
    subjects = scores[scores["subject"] != "total"]
    enrolled = subjects.loc[subjects["status"] != "exempt", "student_key"].nunique()
    sat_any = subjects.loc[(subjects["status"] == "sat") & subjects["score"].notna(),
                           "student_key"].nunique()
    total = scores[(scores["subject"] == "total") & (scores["status"] == "sat")]
    county = next(c for c in captions if c.startswith("表：全县各学科"))
    assert (f"应考 {enrolled:,} 人，实考 {sat_any:,} 人（至少一科），各科全部参考 "
            f"{total['score'].notna().sum():,} 人") in county
    # the landing cards and the county sentence use the same counts
    landing = (folder / "index.html").read_text(encoding="utf-8")
    cards = dict((name, value) for value, name in re.findall(
        r'<div class="value">([^<]*)</div><div class="name">([^<]*)</div>', landing))
    assert cards["应考学生"] == f"{enrolled:,}" and cards["实考学生（至少一科）"] == f"{sat_any:,}"
    assert f"全县应考学生 {enrolled:,} 人，其中 {sat_any:,} 人至少参加一科" in page


def test_word_figures_carry_the_page_captions(built):
    folder = built.report_season("2025-spring-g9")
    document = docx.Document(folder / WORD_FILE)
    figures = [p.text for p in document.paragraphs
               if p.style.name == "Caption" and p.text.startswith("图 ")]
    page_captions = [c.removeprefix("图：") for name in ("02-indicators", "03-attribution")
                     for c in _captions((folder / f"{name}.html").read_text("utf-8"))[1]]
    page_captions += [c.removeprefix("图：") for c in _captions(
        (folder / "05-paper.html").read_text("utf-8"))[1][:1]]  # the paper page's first
    assert figures and len(figures) == len(page_captions)
    for text, expected in zip(figures, page_captions):
        assert re.fullmatch(r"图 \d+　.+", text) and text.split("　", 1)[1] == expected


def test_english_pages_have_english_captions(built_en):
    page = (built_en.report_season("2025-spring-g6") / "02-indicators.html").read_text("utf-8")
    tables, figures = _captions(page)
    assert tables and all(c.startswith("Table: ") for c in tables)
    assert figures and all(c.startswith("Figure: ") for c in figures)
    names = ("2024年春季六年级期末质量监测",)  # a season's own name is the user's text
    assert not any(re.search(r"[\u4e00-\u9fff]", re.sub("|".join(names), "", c))
                   for c in tables + figures)


def test_head_counts_by_hand():
    """A county unlike the demo: pupils who sat nothing, one exempt everywhere, one exempt in a
    single subject (enrolled, but without a total)."""
    rows = []
    def pupil(key, statuses):  # noqa: E306 - a small builder
        for subject, status in zip(("chinese", "math"), statuses):
            rows.append((key, subject, status, 80.0 if status == "sat" else None))
        full = all(s == "sat" for s in statuses)
        rows.append((key, "total", "sat" if full else "incomplete", 160.0 if full else None))
    pupil("a", ("sat", "sat"))
    pupil("b", ("sat", "absent"))
    pupil("c", ("absent", "absent"))       # sat nothing: enrolled, not 实考
    pupil("d", ("exempt", "exempt"))       # exempt everywhere: not enrolled
    pupil("e", ("exempt", "sat"))          # enrolled and 实考, no total
    pupil("f", ("voided", "absent"))       # a voided paper is no valid score
    frame = pd.DataFrame(rows, columns=["student_key", "subject", "status", "score"])
    assert head_counts(frame) == {"enrolled": 5, "sat": 3, "sat_all": 1}


def test_caption_fields_come_from_the_frame_or_fail_loudly():
    frame = pd.DataFrame({"school_code": ["1", "2", "2"], "n_sat": [10, 20, 5]})
    assert caption("effects", "zh", frame) == ("表：各校学校效应：考虑城乡、师资等条件后的差异"
                                               "（2 所学校，35 名学生）")
    with pytest.raises(KeyError, match="min_group"):
        caption("school_total", "zh", frame)
    assert all(kind in ("table", "figure") for kind, _, _ in CAPTIONS.values())
    for key, (_, zh, en) in CAPTIONS.items():  # the same fields in both languages
        assert set(re.findall(r"{(\w+)", zh)) == set(re.findall(r"{(\w+)", en)), key
