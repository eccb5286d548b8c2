"""Classes and teachers in the report (issue 14, points 3–5): the demo's planted weak class is
found, the three-level variance shares, the teacher view (off by default, keyed codes, never
ranked) and the sentences for every case."""

from __future__ import annotations

import re
import subprocess
import sys

import numpy as np
import pandas as pd
import pytest

from eduqa import attribution
from eduqa.config.params import ParamsError, load_county
from eduqa.indicators.classes import class_table, in_class_order, parallel_balance
from eduqa.models.grouped import GroupedStats
from eduqa.models.hierarchy import nested_levels
from eduqa.models.nested import nested_random_intercept
from eduqa.synth import PAPER_SEASONS, WEAK_CLASS, weak_class_school
from eduqa.text import narrative

from conftest import add_to_county


@pytest.mark.parametrize("season", PAPER_SEASONS)
def test_the_demo_s_weak_class_is_the_one_unbalanced_school_s_lowest(cleaned, repo_project,
                                                                     season):
    from eduqa.config.params import load_season

    result = cleaned[season]
    scores = result.scores
    klass, _ = WEAK_CLASS
    school = weak_class_school(scores.drop_duplicates("student_key")[
        ["school_code", "class"]].astype(str))
    table = class_table(scores, load_season(repo_project, season).full_marks, min_group_size=10)
    total = table[table["subject"] == "total"]
    balance = parallel_balance(total, min_group_size=10, cv_limit=0.05).set_index("school_code")
    assert balance.loc[school, "unbalanced"] and balance.loc[school, "lowest_class"] == klass
    assert balance["cv"].idxmax() == school
    assert balance.drop(index=school)["unbalanced"].sum() == 0
    # its rank in the school is last
    mine = total[(total["school_code"] == school)]
    assert mine.set_index("class").loc[klass, "rank_in_school"] == mine["rank_in_school"].max()


def test_the_02_page_names_the_unbalanced_school_and_the_03_page_the_shares(built):
    folder = built.report_season("2025-spring-g9")
    page = (folder / "02-indicators.html").read_text(encoding="utf-8")
    schools = pd.read_parquet(built.processed_season("2025-spring-g9") / "schools.parquet")
    scores = pd.read_parquet(built.processed_season("2025-spring-g9") / "scores.parquet")
    code = weak_class_school(scores.drop_duplicates("student_key")[["school_code", "class"]])
    name = schools.set_index("school_code").loc[code, "school_name"]
    assert re.search(f"1 所平行班之间的差异系数超过 0.050，标为不均衡：{name}（差异系数 0.0[0-9]+，"
                     r"\d+班 [\d.]+ 分、3班 [\d.]+ 分）", page)
    page = (folder / "03-attribution.html").read_text(encoding="utf-8")
    assert "在学校之间" in page and "在同一学校的班级之间" in page
    assert "任课教师分析未开启" in page


def test_classes_are_listed_in_number_order():
    frame = pd.DataFrame({"school_code": ["A", "A", "A", "B"], "class": ["10班", "2班", "1班", "1班"]})
    assert in_class_order(frame)["class"].tolist() == ["1班", "2班", "10班", "1班"]


def _three_levels(rng, schools=40, classes=4, pupils=25, tau_s=0.3, tau_c=0.1):
    rows = []
    for s in range(schools):
        u = rng.normal(0, np.sqrt(tau_s))
        for c in range(classes):
            v = rng.normal(0, np.sqrt(tau_c))
            rows.append(pd.DataFrame({"school_code": f"S{s:02d}", "class": f"{c + 1}班",
                                      "z": u + v + rng.normal(size=pupils)}))
    return pd.concat(rows, ignore_index=True)


def test_variance_levels_are_the_nested_model_s_and_recover_planted_shares():
    rng = np.random.default_rng(3)
    data = _three_levels(rng)
    levels, fit = attribution.variance_levels(data)
    direct = nested_random_intercept(data, "z ~ 1")
    shares = levels.set_index("level")["share"]
    assert shares.sum() == pytest.approx(1.0)
    assert shares["between_schools"] == pytest.approx(direct.shares["school"], rel=1e-12)
    assert shares["between_classes"] == pytest.approx(direct.shares["class"], rel=1e-12)
    truth = np.array([0.3, 0.1, 1.0]) / 1.4
    assert np.allclose(shares.to_numpy(), truth, atol=0.05)
    assert levels.set_index("level")["groups"].tolist() == [40, 160, 4000]
    one_class = data[data["class"] == "1班"]
    empty, none = attribution.variance_levels(one_class)
    assert empty.empty and none is None
    assert "无法区分" in narrative.levels_overview(empty)


def test_levels_sentence_for_either_larger_level():
    schools_more = pd.DataFrame({"level": ["between_schools", "between_classes",
                                           "within_classes"], "share": [0.2, 0.05, 0.75]})
    assert "学校之间的差异大于同校班级之间的差异" in narrative.levels_overview(schools_more)
    classes_more = schools_more.assign(share=[0.02, 0.1, 0.88])
    assert "同校班级之间的差异大于学校之间的差异" in narrative.levels_overview(classes_more)
    assert "Classes of a school differ more" in narrative.levels_overview(classes_more, "en")


def _scores_of(data: pd.DataFrame, subject="math") -> pd.DataFrame:
    return pd.DataFrame({"student_key": [f"k{i}" for i in range(len(data))],
                         "school_code": data["school_code"], "class": data["class"],
                         "subject": subject, "status": "sat", "score": 60 + 10 * data["z"]})


def test_teacher_view_finds_a_planted_teacher_and_never_ranks():
    rng = np.random.default_rng(5)
    data = _three_levels(rng, schools=20, classes=4, pupils=30, tau_c=0.05)
    strong = (data["school_code"] == "S03") & data["class"].isin(["1班", "2班"])
    data.loc[strong, "z"] += 0.8
    assignments = pd.DataFrame({
        "school_code": data["school_code"].unique().repeat(4),
        "class": np.tile(["1班", "2班", "3班", "4班"], 20), "subject": "math"})
    assignments["teacher_key"] = [f"T{s}{'ab'[k // 2]}" for s, k in
                                  zip(assignments["school_code"], np.tile(range(4), 20))]
    view = attribution.teacher_view(_scores_of(data), assignments, min_group_size=10)
    assert len(view) == 40 and (view["subject"] == "math").all()
    assert view["teacher_key"].tolist() == sorted(view["teacher_key"])  # by code, not effect
    mine = view.set_index("teacher_key")
    assert mine.loc["TS03a", "flag"] == "above"
    assert mine.loc["TS03a", "n_classes"] == 2 and mine.loc["TS03a", "n"] == 60
    # the oracle: the subject's own four-level model (schools, teachers, classes) ...
    scores = _scores_of(data)
    z = (scores["score"] - scores["score"].mean()) / scores["score"].std(ddof=1)
    rows = data.assign(z=z.to_numpy()).merge(assignments, on=["school_code", "class"])
    fit = nested_levels(GroupedStats.of(rows, ["school_code", "class"], ["z"],
                                        constant=["teacher_key"]),
                        "z ~ 1", ["school_code", "teacher_key", "class"])
    expected = fit.effects["teacher_key"].set_index("teacher_key").reindex(mine.index)
    assert np.allclose(mine["teacher_effect"], expected["effect"], atol=1e-6)
    assert np.allclose(mine["se"], expected["se"], atol=1e-6)
    # ... whose teacher variance is 0 here (only S03a planted): each teacher is then the
    # fixed-effect contrast of its pupils' mean with the school's, never 0 ± 0 (issue 36)
    assert fit.variances["teacher_key"] == 0 and (mine["basis"] == "contrast").all()
    means = rows.groupby("teacher_key")["z"].mean() - rows.groupby("teacher_key")[
        "school_code"].first().map(rows.groupby("school_code")["z"].mean())
    assert np.allclose(mine["teacher_effect"], means.reindex(mine.index), atol=1e-6)
    assert (mine["ci_high"] - mine["ci_low"] > 0.1).all()
    text = narrative.teachers_overview(view, True)
    assert "不是排名" in text and "40 位（次）教师中，" in text
    assert "任课教师分析未开启" in narrative.teachers_overview(view.iloc[:0], False)
    assert "没有可列的任课教师" in narrative.teachers_overview(view.iloc[:0], True)
    assert attribution.teacher_view(_scores_of(data), pd.DataFrame()).empty


def test_class_sentences_for_no_classes_balanced_and_unbalanced():
    empty = pd.DataFrame(columns=["school_code", "school_name", "class", "mean", "rank",
                                  "small_group"])
    assert "没有班级信息" in narrative.classes_overview(empty, pd.DataFrame(), 0.05, 10)
    classes = pd.DataFrame({"school_code": ["A", "A", "B"], "school_name": ["甲校", "甲校", "乙校"],
                            "class": ["1班", "2班", "1班"], "mean": [80.0, 70.0, 60.0],
                            "rank": [1.0, 2.0, np.nan], "small_group": [False, False, True]})
    balance = pd.DataFrame({"school_code": ["A"], "school_name": ["甲校"], "cv": [0.0667],
                            "highest_class": ["1班"], "highest": [80.0], "lowest_class": ["2班"],
                            "lowest": [70.0], "unbalanced": [True]})
    text = narrative.classes_overview(classes, balance, 0.05, 10)
    assert "全县共 3 个班级，其中 2 个参与全县排名（1 个班参考人数不足 10 人" in text
    assert "综合指数最低的是甲校2班" in text
    assert "标为不均衡：甲校（差异系数 0.067，1班 80.0 分、2班 70.0 分）" in text
    calm = narrative.classes_overview(classes, balance.assign(unbalanced=False), 0.05, 10)
    assert "都不超过 0.050" in calm and "不均衡：" not in calm
    assert "flagged unbalanced" in narrative.classes_overview(classes, balance, 0.05, 10, "en")


@pytest.mark.parametrize("text, key", [("classes:\n  teacher_view: yes-please\n", "teacher_view"),
                                       ("classes:\n  parallel_cv_limit: 2\n", "parallel_cv_limit"),
                                       ("classes:\n  ranking: true\n", "ranking")])
def test_bad_class_rules_are_clear_errors(project, text, key):
    add_to_county(project, text)
    with pytest.raises(ParamsError) as caught:
        load_county(project)
    assert key in str(caught.value)


def _run(project, season, *keep):
    for notebook in project.notebooks.glob("*.ipynb"):
        if notebook.stem not in keep:
            notebook.unlink()
    return subprocess.run([sys.executable, "-m", "eduqa", "--project", str(project.root),
                           "run", season], capture_output=True, text=True, timeout=600)


def test_the_teacher_view_switched_on_shows_codes_and_intervals_not_names(project):
    county = project.params_dir / "county.yaml"
    county.write_text(county.read_text(encoding="utf-8") + "classes:\n  teacher_view: true\n",
                      encoding="utf-8")
    done = _run(project, "2025-spring-g9", "01-clean", "03-attribution")
    assert done.returncode == 0, done.stderr
    page = (project.report_season("2025-spring-g9") / "03-attribution.html").read_text(
        encoding="utf-8")
    assert "本节仅供内部使用" in page and "表：任课教师所教班级的效应" in page
    codes = set(re.findall(r"T[0-9a-f]{8}", page))
    teachers = pd.read_parquet(project.processed_season("2025-spring-g9") / "teachers.parquet")
    assert codes and codes <= set(teachers["teacher_key"])
    raw = pd.read_csv(project.root / "data/raw/2025-spring-g9/teachers.csv", dtype=str)
    assert not [n for n in raw["任课教师"].unique() if n in page]  # names stay out
    assert "teacher_name" not in teachers


def test_teacher_names_only_when_asked(project):
    county = project.params_dir / "county.yaml"
    county.write_text(county.read_text(encoding="utf-8")
                      + "classes:\n  teacher_view: true\n  teacher_names: true\n",
                      encoding="utf-8")
    done = _run(project, "2025-spring-g9", "01-clean", "03-attribution")
    assert done.returncode == 0, done.stderr
    page = (project.report_season("2025-spring-g9") / "03-attribution.html").read_text(
        encoding="utf-8")
    raw = pd.read_csv(project.root / "data/raw/2025-spring-g9/teachers.csv", dtype=str)
    assert [n for n in raw["任课教师"].unique() if n in page]


def test_the_default_report_holds_no_teacher_code(built):
    """classes.teacher_view is off by default: no teacher's code or name in any page, the
    workbook or the Word report."""
    import zipfile

    raw = pd.read_csv(built.root / "data/raw/2025-spring-g9/teachers.csv", dtype=str)
    teachers = pd.read_parquet(built.processed_season("2025-spring-g9") / "teachers.parquet")
    codes = set(teachers["teacher_key"])
    names = set(raw["任课教师"])
    for season in PAPER_SEASONS:
        folder = built.report_season(season)
        texts = [p.read_text(encoding="utf-8") for p in folder.glob("*.html")]
        for book in ("tables.xlsx", "质量分析报告.docx"):
            with zipfile.ZipFile(folder / book) as archive:
                texts += [archive.read(n).decode("utf-8", "replace") for n in archive.namelist()
                          if n.endswith(".xml")]
        blob = "\n".join(texts)
        assert not [c for c in codes if c in blob], season
        assert not [n for n in names if n in blob], season


def test_subject_means_are_the_class_means_wide_and_the_page_lists_the_lowest():
    from eduqa.indicators.classes import on_page, subject_means

    rng = np.random.default_rng(8)
    rows = []
    for school in ("A", "B"):
        for klass in ("1班", "2班", "10班"):
            for subject, full in (("chinese", 120), ("math", 120)):
                n = 5 if (school, klass) == ("B", "10班") else 30
                rows.append(pd.DataFrame({"student_key": [f"{school}{klass}{i}" for i in range(n)],
                                          "school_code": school, "class": klass,
                                          "subject": subject, "status": "sat",
                                          "score": rng.integers(0, full, n).astype(float)}))
    scores = pd.concat(rows, ignore_index=True)
    total = scores.groupby(["student_key", "school_code", "class"], as_index=False)["score"].sum()
    scores = pd.concat([scores, total.assign(subject="total", status="sat")], ignore_index=True)
    table = class_table(scores, {"chinese": 120.0, "math": 120.0, "total": 240.0},
                        min_group_size=10)
    wide = subject_means(table, ["chinese", "math", "total"])
    assert wide[["school_code", "class"]].values.tolist() == [
        ["A", "1班"], ["A", "2班"], ["A", "10班"], ["B", "1班"], ["B", "2班"], ["B", "10班"]]
    plain = scores.groupby(["school_code", "class", "subject"])["score"].mean()
    for row in wide.itertuples(index=False):
        assert row.math == pytest.approx(plain[(row.school_code, row[1], "math")])
    assert wide["small_group"].tolist() == [False] * 5 + [True]
    assert wide["n_sat"].tolist() == [30, 30, 30, 30, 30, 5]
    classes_total = table[table["subject"] == "total"]
    assert len(on_page(classes_total)) == len(classes_total)
    lowest = on_page(classes_total, max_rows=4)
    assert len(lowest) == 2 and lowest["rank"].tolist() == sorted(
        classes_total["rank"].dropna())[::-1][:2]
