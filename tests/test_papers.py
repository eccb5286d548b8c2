"""The 试卷分析 page's tables (eduqa.paper.tables) and sentences (eduqa.paper.text), on papers built
here unlike the demo county's: full marks 150, rural schools that lead, a county of one
urban-rural type, a paper without objective questions, a township with one school."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from eduqa.models.irt import fit_irt
from eduqa.paper import tables as papers
from eduqa.paper import text as paper_text
from eduqa.paper.statistics import item_statistics, paper_statistics
from eduqa.paper.tables import Paper

SCHOOLS = pd.DataFrame({
    "school_code": ["S1", "S2", "S3", "S4"],
    "school_name": ["一中", "二中", "山村小学", "河湾小学"],
    "township": ["城关镇", "城关镇", "山村乡", "河湾乡"],
    "urban_rural": ["urban", "urban", "rural", "rural"]})


def build_paper(rng, *, n_per_school=150, schools=SCHOOLS, rural_shift=0.0, dif=None,
                objective=8, subjective=(("s1", 30.0), ("s2", 40.0), ("s3", 48.0)),
                subject="math") -> Paper:
    """A paper of ``objective`` 4-mark choice questions (options A–D, key cycling A..D) and
    subjective questions of the given full marks (150 in all by default); ability shifted by
    ``rural_shift`` in rural schools; ``dif`` = (question, logit shift for rural pupils)."""
    codes = np.repeat(schools["school_code"].to_numpy(), n_per_school)
    rural = pd.Series(codes).map(dict(zip(schools["school_code"],
                                          schools["urban_rural"] == "rural"))).to_numpy()
    n = len(codes)
    theta = rng.normal(size=n) + rural_shift * rural
    rows = []
    items = {"student_key": [f"k{i:05d}" for i in range(n)], "school_code": codes,
             "class": np.where(np.arange(n) % 2 == 0, "1班", "2班")}
    choices = {"student_key": items["student_key"]}
    letters = "ABCD"
    for j in range(objective):
        q = str(j + 1)
        key = letters[j % 4]
        logit = 1.2 * (theta - (-1 + 2 * j / max(objective - 1, 1)))
        if dif is not None and dif[0] == q:
            logit = logit + dif[1] * rural
        right = rng.random(n) < 1 / (1 + np.exp(-logit))
        wrong = rng.choice([c for c in letters if c != key], size=n)
        choices[q] = np.where(right, key, wrong)
        items[q] = np.where(right, 4.0, 0.0)
        rows.append((q, 4.0, "选择题", f"点{j % 3}", "理解", key))
    for q, marks in subjective:
        share = 1 / (1 + np.exp(-(theta + rng.normal(scale=0.5, size=n))))
        items[q] = np.round(share * marks)
        rows.append((q, marks, "解答题", "点0、点9", "应用", ""))
    blueprint = pd.DataFrame(rows, columns=["question", "full_marks", "type", "knowledge_point",
                                            "ability", "key"])
    blueprint["objective"] = blueprint["key"] != ""
    blueprint["order"] = range(len(blueprint))
    blueprint["knowledge_point"] = blueprint["knowledge_point"].str.split("、")
    blueprint = blueprint.explode("knowledge_point", ignore_index=True)
    return Paper(subject, pd.DataFrame(items), pd.DataFrame(choices), blueprint)


@pytest.fixture
def rng():
    return np.random.default_rng(20261203)


def test_paper_summary_and_question_table_are_the_item_statistics_per_subject(rng):
    math = build_paper(rng)
    chinese = build_paper(rng, subject="chinese", objective=0,
                          subjective=(("1", 100.0), ("2", 50.0)))
    summary = papers.paper_summary([math, chinese])
    assert list(summary["subject"]) == ["math", "chinese"]
    expected = paper_statistics(math.scores, math.full_marks)
    for column in ("mean_score", "sd", "alpha", "sem_points", "skewness"):
        assert summary.loc[0, column] == pytest.approx(expected[column], rel=1e-12)
    assert summary.loc[0, "full_marks"] == 150
    questions = papers.question_table([math, chinese])
    stats = item_statistics(math.scores, math.full_marks)
    mine = questions[questions["subject"] == "math"].reset_index(drop=True)
    assert np.allclose(mine["discrimination"], stats["discrimination"], equal_nan=True)
    assert (mine["flagged"] == stats["flagged"]).all()
    # a subjective question tagged with two points lists both, in the blueprint's order
    assert mine.set_index("question").loc["s1", "knowledge_point"] == "点0、点9"
    assert len(questions) == len(math.questions) + 2


def _plain_rate(paper: Paper, point: str, rows: np.ndarray) -> float:
    """Σ earned / Σ possible over the point's questions, pupils ``rows``: plain pandas."""
    questions = paper.blueprint.loc[paper.blueprint["knowledge_point"] == point, "question"]
    scores = paper.scores.loc[rows, list(dict.fromkeys(questions))]
    marks = pd.Series(paper.full_marks)[scores.columns]
    return float(scores.sum().sum() / (scores.notna() * marks).sum().sum())


def test_point_table_rates_equal_plain_pandas_by_place_and_rural_may_lead(rng):
    paper = build_paper(rng, rural_shift=0.8)  # rural pupils lead here
    table = papers.point_table([paper], SCHOOLS, weakest=2).set_index("knowledge_point")
    rural = paper.places(SCHOOLS).eq("rural").to_numpy()
    for point in table.index:
        assert table.loc[point, "score_rate"] == pytest.approx(
            _plain_rate(paper, point, np.ones(len(rural), bool)), rel=1e-12)
        assert table.loc[point, "rate_rural"] == pytest.approx(
            _plain_rate(paper, point, rural), rel=1e-12)
        assert table.loc[point, "rate_urban"] == pytest.approx(
            _plain_rate(paper, point, ~rural), rel=1e-12)
    assert table["rate_town"].isna().all()  # the county has no 镇区 pupils
    assert len(table) == 4  # 4 points: one flagged (fewer than half), though 2 were asked for
    lowest = table["score_rate"].nsmallest(1).index
    assert set(table.index[table["weakest"]]) == set(lowest)
    # the sentence: rural ahead on every point, named as such, and the weakest named
    text = paper_text.points_overview(table.reset_index(), "zh")
    assert "都不低于城区" in text and "差距最大" not in text
    for point in lowest:
        assert point in text
    english = paper_text.points_overview(table.reset_index(), "en")
    assert "at least as well as urban" in english


@pytest.mark.parametrize("objective, points, flagged", [(1, 1, 0), (2, 2, 1), (3, 3, 1),
                                                         (6, 3, 1)])
def test_a_paper_of_few_points_has_few_flagged_weakest(rng, objective, points, flagged):
    """Issue 33: 「最薄弱」 flagged every row of a paper of 3 knowledge points."""
    paper = build_paper(rng, objective=objective, subjective=())
    table = papers.point_table([paper], SCHOOLS)
    assert len(table) == points and int(table["weakest"].sum()) == flagged
    if flagged:
        assert table.loc[table["weakest"], "score_rate"].max() == table["score_rate"].min()
    text = paper_text.points_overview(table, "zh")
    assert "：。" not in text and ("无从比较" in text) == (points == 1)
    assert "nothing to compare" in paper_text.points_overview(table, "en") or points > 1


def test_how_many_points_are_flagged_weakest():
    assert [papers.flagged(n) for n in range(0, 11)] == [0, 0, 1, 1, 1, 2, 2, 3, 3, 3, 3]
    assert papers.flagged(6, most=1) == 1


def test_points_sentence_when_rural_trails(rng):
    paper = build_paper(rng, rural_shift=-0.8)
    table = papers.point_table([paper], SCHOOLS)
    text = paper_text.points_overview(table, "zh")
    gap = (table["rate_urban"] - table["rate_rural"])
    widest = table.loc[gap.idxmax(), "knowledge_point"]
    assert f"乡村学校与城区差距最大的是{widest}" in text


def test_point_groups_by_class_and_township_against_the_county(rng):
    paper = build_paper(rng, n_per_school=30)
    classes = papers.point_groups([paper], SCHOOLS, "class", min_group_size=16)
    county = papers.point_table([paper], SCHOOLS).set_index("knowledge_point")["score_rate"]
    row = classes[(classes["school_code"] == "S3") & (classes["class"] == "2班")
                  & (classes["knowledge_point"] == "点1")].iloc[0]
    pupils = ((paper.items["school_code"] == "S3") & (paper.items["class"] == "2班")).to_numpy()
    assert row["score_rate"] == pytest.approx(_plain_rate(paper, "点1", pupils), rel=1e-12)
    assert row["rate_difference"] == pytest.approx(row["score_rate"] - county["点1"], rel=1e-12)
    assert row["n"] == 15 and row["small_group"]  # 15 pupils, under the minimum of 16
    townships = papers.point_groups([paper], SCHOOLS, "township")
    assert set(townships["township"]) == {"城关镇", "山村乡", "河湾乡"}  # one school each in two
    below = papers.furthest_below(classes, n=3)
    assert below.empty  # every class is under the minimum here
    below = papers.furthest_below(papers.point_groups([paper], SCHOOLS, "class"), n=3)
    assert len(below) == 3 and (below["rate_difference"].diff().dropna() >= 0).all()
    assert (below["rate_difference"] < 0).all()


def test_option_wide_and_long_equal_value_counts(rng):
    paper = build_paper(rng)
    long = papers.option_table([paper])
    wide = papers.option_wide(long).set_index("question")
    counts = paper.choices["3"].value_counts(normalize=True)
    for letter in "ABCD":
        assert wide.loc["3", letter] == pytest.approx(counts.get(letter, 0.0), rel=1e-12)
    assert wide.loc["3", "key"] == "C"
    drawn = long[long["attracts_strong"] & (long["question"] == "3")]["option"]
    assert wide.loc["3", "strong_draw"] == "、".join(drawn)
    # a paper with no objective questions: no options, and the sentence says why
    essay = build_paper(rng, objective=0)
    assert papers.option_table([essay]).empty
    assert "没有客观题的选项数据" in paper_text.option_overview(papers.option_table([essay]))


def test_dif_groups_follow_the_county_s_types():
    assert papers.dif_groups(pd.Series(["urban", "rural", "town"])) == ("urban", "rural")
    assert papers.dif_groups(pd.Series(["town", "rural"])) == ("town", "rural")
    assert papers.dif_groups(pd.Series(["urban", "town"])) == ("urban", "town")
    assert papers.dif_groups(pd.Series(["rural", "rural"])) is None


def test_dif_table_finds_a_question_planted_in_favour_of_rural_pupils(rng):
    paper = build_paper(rng, n_per_school=600, dif=("4", 1.5))
    table = papers.dif_table([paper], SCHOOLS).set_index("question")
    assert table.loc["4", "ets"] == "C" and table.loc["4", "favours"] == "rural"
    assert (table.drop(index="4")["ets"] != "C").all()
    assert table.loc["s1", "ets"] in ("AA", "BB", "CC")  # scored in steps: Mantel and SMD/SD
    text = paper_text.dif_overview(table.reset_index(), "zh")
    assert "数学第4题（对乡村学生更有利）出现 C 级" in text
    assert "Mathematics Q4 (easier for rural pupils)" in paper_text.dif_overview(
        table.reset_index(), "en")
    assert "城区" in paper_text.dif_caption(table.reset_index(), "zh")


def test_a_paper_of_questions_scored_in_steps_gets_polytomous_dif_and_no_irt_verdict(rng):
    """Issue 33: on a paper scored 0/1/2 every Mantel–Haenszel cell was blank, yet the page
    concluded that no question shows a C-level difference. Issue 37: such questions now get
    Mantel's χ² and the AA/BB/CC classes, and the page says how they are classed; an
    analysis that could not be run still gets no verdict."""
    paper = build_paper(rng, objective=0, subjective=(("s1", 2.0), ("s2", 2.0), ("s3", 12.0)))
    table = papers.dif_table([paper], SCHOOLS)
    assert len(table) == 3 and table["ets"].isin(["AA", "BB", "CC"]).all()
    text = paper_text.dif_overview(table, "zh")
    assert "3 道题，其中 3 道为多分值题" in text and "AA 级可忽略" in text
    assert "3 questions, 3 of them scored in steps" in paper_text.dif_overview(table, "en")
    unrun = table.assign(ets="")
    text = paper_text.dif_overview(unrun, "zh")
    assert "C 级" not in text and "没有题目出现" not in text and "未作此项分析" in text
    english = paper_text.dif_overview(unrun, "en")
    assert "no question shows" not in english and "not run" in english
    view = papers.irt_view([paper])
    assert view.fit.empty and view.left_out == {"math": (0, 600)}
    assert "没有按对错给分的题" in paper_text.irt_overview(view.fit, view.left_out, "zh")
    # a mixed paper: both kinds judged, each by its own rule
    mixed = papers.dif_table([build_paper(rng)], SCHOOLS)
    text = paper_text.dif_overview(mixed, "zh")
    assert "其中 3 道为多分值题" in text and "不在这一分析之内" not in text


def test_a_county_of_one_type_has_no_dif_and_says_so(rng):
    rural_only = SCHOOLS.assign(urban_rural="rural")
    paper = build_paper(rng, schools=rural_only)
    table = papers.dif_table([paper], rural_only)
    assert table.empty
    assert "只有一种城乡类型" in paper_text.dif_overview(table, "zh")


def test_irt_view_fits_both_models_and_leaves_out_small_papers(rng):
    paper = build_paper(rng, n_per_school=100)
    view = papers.irt_view([paper, build_paper(rng, objective=3, subject="chinese")])
    assert view.left_out == {"chinese": (3, 600)}
    right = (paper.scores[[str(j + 1) for j in range(8)]] == 4).astype(float)
    direct = fit_irt(right, "2pl")
    fit = view.fit.set_index("irt_model")
    assert fit.loc["2pl", "loglik"] == pytest.approx(direct.loglik, rel=1e-9)
    assert fit.loc["2pl", "aic"] == pytest.approx(2 * 16 - 2 * direct.loglik, rel=1e-12)
    assert fit.loc["rasch", "bic"] == pytest.approx(
        np.log(400) * 9 - 2 * fit.loc["rasch", "loglik"], rel=1e-12)
    b = view.items[view.items["irt_model"] == "2pl"].set_index("question")["b"]
    assert np.allclose(b.to_numpy(), direct.items["difficulty"].to_numpy())
    assert set(view.curves["question"]) == set(right.columns)
    text = paper_text.irt_overview(view.fit, view.left_out, "zh")
    assert "语文：按对错给分的题只有 3 道" in text


def test_irt_view_samples_a_large_paper_the_same_way_every_time(rng, monkeypatch):
    monkeypatch.setattr(papers, "IRT_SAMPLE", 300)
    paper = build_paper(rng, n_per_school=100)
    first, second = papers.irt_view([paper]), papers.irt_view([paper])
    assert (first.fit["n_students"] == 300).all()
    pd.testing.assert_frame_equal(first.items, second.items)


def test_question_sentences_name_each_flag_and_none(rng):
    paper = build_paper(rng)
    table = papers.question_table([paper])
    table.loc[2, ["discrimination", "negative_discrimination", "low_discrimination",
                  "flagged"]] = [-0.2, True, True, True]
    text = paper_text.question_overview(table, "zh")
    assert "数学第3题：区分度为负（" in text and "区分度偏低" not in text.split("数学第3题")[1][:8]
    assert "应先核对答案" in text
    clean = table.assign(**{c: False for c in ("flagged", "too_hard", "too_easy",
                                                "low_discrimination",
                                                "negative_discrimination")})
    assert paper_text.question_overview(clean, "zh") == f"{len(table)} 道小题都没有触及复查标准。"
    assert "None of the" in paper_text.question_overview(clean, "en")


def test_a_season_without_papers_gives_empty_tables_and_one_note():
    assert papers.paper_summary([]).empty and list(papers.paper_summary([]).columns)
    assert papers.question_table([]).empty
    assert papers.point_table([], SCHOOLS).empty
    assert papers.dif_table([], SCHOOLS).empty
    view = papers.irt_view([])
    assert view.items.empty and view.fit.empty and not view.left_out
    assert "本节从略" in paper_text.paper_overview(papers.paper_summary([]), "zh")
    assert "本节从略" in paper_text.dif_overview(papers.dif_table([], SCHOOLS), present=False)
    assert paper_text.points_overview(papers.point_table([], SCHOOLS), point="ability") == ""
    assert "本节从略" in paper_text.question_overview(papers.question_table([]), "zh")
    assert "no item-level scores" in paper_text.no_papers("en")


def test_paper_results_do_not_clash_with_pandas_names():
    """Issue 36, point 6: paper_statistics(...).sem and .mean were pandas methods, not the
    figures; no name of the paper's results is an attribute of a Series or a DataFrame."""
    from eduqa.paper.statistics import item_statistics, paper_statistics

    items = pd.DataFrame({"1": [1, 0, 1, 1], "2": [2, 1, 0, 2], "3": [3, 1, 2, 4]})
    marks = {"1": 1, "2": 2, "3": 4}
    whole = paper_statistics(items, marks)
    names = [*whole.index, *item_statistics(items, marks).columns]
    clashing = [n for n in names if hasattr(pd.Series, n) or hasattr(pd.DataFrame, n)]
    assert clashing == []
    assert whole.sem_points == whole["sem_points"] and whole.mean_score == items.sum(axis=1).mean()
