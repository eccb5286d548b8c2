"""Issue 12: every direction sentence on every page is right whatever the sign of the gap.

Seasons where rural schools lead or do not differ (a generated county unlike the demo) or
trail (the demo), each built in Chinese and in English exactly as ``eduqa run`` builds them. Every
sentence of every page that compares rural with urban pupils is parsed; its direction word, its
amount and its verdict are checked against the numbers of the season's own workbook — one
figure per quantity across the landing page, the pages and the workbook.
"""

from __future__ import annotations

import html
import re
import shutil
from decimal import ROUND_HALF_UP, Decimal

import openpyxl
import pytest

from eduqa.config.paths import Project
from eduqa.project.scaffold import init_project, new_season
from eduqa.synth import write_other_county

from conftest import REPO

#: direction -> (year of its seasons, rural effect in SD, school SD) of the generated county;
#: rural schools trail in the demo county's 2025-spring-g6 (19 rural schools), built in
#: Chinese and in English by the shared fixtures ``built`` and ``built_en``
GENERATED = {"rural_leads": (2021, 0.7, 0.2), "no_gap": (2023, 0.0, 0.02)}
DIRECTIONS = [*GENERATED, "rural_trails"]
LANGUAGES = {"zh": "spring", "en": "autumn"}


def _season(direction: str, language: str) -> str:
    return f"{GENERATED[direction][0]}-{LANGUAGES[language]}-g6"


@pytest.fixture(scope="module")
def directions_project(tmp_path_factory):
    """One county unlike the demo, four seasons (rural schools lead / no gap × two report
    languages), built."""
    from eduqa.project.build import run_seasons

    root = tmp_path_factory.mktemp("directions") / "project"
    project = init_project(root, "青山县", notebooks=REPO / "notebooks")
    staging = root.parent / "exports"
    for direction, (year, effect, school_sd) in GENERATED.items():
        for language in LANGUAGES:
            season = _season(direction, language)
            files = write_other_county(staging / season, season, rural_effect=effect,
                                       seed=year, school_sd=school_sd)
            shutil.copy(files["roster"], project.raw / "schools.csv")  # same roster each time
            new_season(project, season)
            folder = project.raw / season
            shutil.copy(files["scores"], folder / "scores.xlsx")
            shutil.copy(files["staffing"], folder / "staffing.csv")
            if language == "en":
                params = project.params_dir / f"{season}.yaml"
                params.write_text(params.read_text(encoding="utf-8")
                                  + "overrides:\n  language: en\n", encoding="utf-8")
    with pytest.MonkeyPatch.context() as patch:  # a real county's key, for this build only
        patch.setenv("EDUQA_SALT", "directions-test-key")
        run_seasons(project, [_season(d, lang) for d in GENERATED for lang in LANGUAGES],
                    progress=lambda _: None)
    return project


def _text(path) -> str:
    page = path.read_text(encoding="utf-8")
    page = re.sub(r"<(style|script)\b.*?</\1>", " ", page, flags=re.S)
    page = re.sub(r"<details\b.*?</details>", " ", page, flags=re.S)  # the params listing
    page = re.sub(r"<(td|th)\b", " <\\1", page)
    return html.unescape(re.sub(r"<[^>]+>", "\n", page))


def _sentences(text: str, language: str) -> list[str]:
    parts = re.split(r"[。\n]" if language == "zh" else r"(?<=[.])\s+|\n", text)
    return [p.strip() for p in parts if p.strip()]


def _fixed(value: float, places: int) -> str:
    return f"{Decimal(f'{value:.15g}').quantize(Decimal(10) ** -places, ROUND_HALF_UP):,.{places}f}"


def _workbook_gap(project: Project, season: str, language: str) -> dict:
    """The total's rural row of the gap sheet, by the workbook's own headers."""
    from eduqa.config.labels import label

    book = openpyxl.load_workbook(project.report_season(season) / "tables.xlsx")
    sheet = book[label("gap_means", language)[:31]]
    rows = list(sheet.iter_rows(values_only=True))
    header = {name: k for k, name in enumerate(rows[0])}
    for row in rows[1:]:
        if row[header[label("subject", language)]] == label("total", language) and \
                row[header[label("category", language)]] == label("rural", language):
            return {key: row[header[label(key, language)]]
                    for key in ("gap", "ci_low", "ci_high", "gap_sd", "gap_sd_low", "gap_sd_high")}
    raise AssertionError(f"{season}: no total/rural row in the gap sheet")


def _check_page(sentences, truth, language, where):
    """Every rural-vs-urban sentence: its direction word and amount follow the workbook."""
    rural_higher = truth["gap"] < 0
    clear = truth["ci_low"] > 0 or truth["ci_high"] < 0
    points, sd = _fixed(abs(truth["gap"]), 1), _fixed(abs(truth["gap_sd"]), 2)
    checked = 0
    for sentence in sentences:
        if language == "zh":
            assert not re.search(r"[高低]\s*-\d", sentence), (where, sentence)
            match = re.search(r"乡村学校学生总分平均比城区学校([高低]) ([\d.,]+) 分（([\d.]+) 个标准差",
                              sentence)
            if match:
                checked += 1
                assert clear, (where, "a direction claimed on an unclear gap", sentence)
                assert match.group(1) == ("高" if rural_higher else "低"), (where, sentence)
                assert (match.group(2), match.group(3)) == (points, sd), (where, sentence)
            if "乡村学校与城区学校学生总分平均差异不明显" in sentence:
                checked += 1
                assert not clear, (where, sentence)
                assert f"乡村{'高' if rural_higher else '低'} {points} 分" in sentence
            if "落后于城区学校的差距" in sentence or "领先于城区学校的差距" in sentence:
                assert clear, (where, sentence)
                assert ("领先" if rural_higher else "落后") in sentence, (where, sentence)
        else:
            assert not re.search(r"\b(above|below|higher|lower) -\d", sentence), (where, sentence)
            match = re.search(r"Rural students' mean total is ([\d.,]+) points (above|below) "
                              r"urban students' \(([\d.]+) SD", sentence)
            if match:
                checked += 1
                assert clear, (where, sentence)
                assert match.group(2) == ("above" if rural_higher else "below"), (where, sentence)
                assert (match.group(1), match.group(3)) == (points, sd), (where, sentence)
            if "Rural and urban students' mean totals do not differ clearly" in sentence:
                checked += 1
                assert not clear, (where, sentence)
            if "rural schools lead urban ones" in sentence or "rural schools trail" in sentence:
                assert clear, (where, sentence)
                assert ("lead" if rural_higher else "trail") in sentence, (where, sentence)
    return checked


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("direction", DIRECTIONS)
def test_direction_words_follow_the_numbers_on_every_page(request, direction, language):
    if direction == "rural_trails":
        project = request.getfixturevalue("built" if language == "zh" else "built_en")
        season = "2025-spring-g6"
    else:
        project = request.getfixturevalue("directions_project")
        season = _season(direction, language)
    truth = _workbook_gap(project, season, language)
    clear = truth["ci_low"] > 0 or truth["ci_high"] < 0
    # the fixture covers the three directions it is named for
    expected = {"rural_leads": (True, True), "rural_trails": (True, False),
                "no_gap": (False, None)}[direction]
    assert clear == expected[0], truth
    if clear:
        assert (truth["gap"] < 0) == expected[1], truth
    folder = project.report_season(season)
    pages = sorted(folder.glob("*.html"))
    assert {p.name for p in pages} >= {"index.html", "01-clean.html", "02-indicators.html",
                                       "03-attribution.html", "04-trends.html"}
    found = {}
    for page in pages:
        found[page.name] = _check_page(_sentences(_text(page), language), truth, language,
                                       f"{season}/{page.name}")
    # the gap is stated on the landing page and on the 02 page, the same way
    assert found["index.html"] >= 1 and found["02-indicators.html"] >= 1, found
    landing = _text(folder / "index.html")
    points = _fixed(abs(truth["gap"]), 1)
    card = ((f"{'乡村' if truth['gap'] < 0 else '城区'}高 {points} 分") if language == "zh" else
            f"{'rural' if truth['gap'] < 0 else 'urban'} {points} points higher")
    assert card in landing, landing[:800]
    if not clear:  # no share of a gap that is not clearly there
        assert "%" not in " ".join(s for s in _sentences(landing, language)
                                   if "缺编" in s or "shortage" in s)
