"""Inputs of the paper analysis (eduqa.intake.items): question names, class names, blueprints."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from eduqa.errors import InputError
from eduqa.intake.items import class_label, question_id, read_blueprint


@pytest.mark.parametrize("header, expected", [
    ("1", "1"), ("第3题", "3"), ("3题", "3"), ("17(1)", "17(1)"), ("17（1）", "17(1)"),
    (" 第17(2)题 ", "17(2)"), ("选择题1", "选择题1"), ("１２", "12"), ("3.0", "3"), ("", None),
])
def test_question_names_are_written_one_way(header, expected):
    assert question_id(header) == expected


@pytest.mark.parametrize("text, expected", [
    ("1班", "1班"), ("(1)班", "1班"), ("（1）班", "1班"), ("一班", "1班"), ("01", "1班"),
    ("1", "1班"), ("十二班", "12班"), ("初三（12）班", "12班"), ("九年级3班", "3班"),
    ("高一(3)班", "3班"), ("实验班", "实验班"), ("初三", "初三"), ("", ""),
])
def test_class_names_are_written_one_way(text, expected):
    assert class_label(text) == expected


def _write(path, rows, encoding="utf-8"):
    pd.DataFrame(rows[1:], columns=rows[0]).to_csv(path, index=False, encoding=encoding)
    return path


def test_a_blueprint_with_several_points_per_question(tmp_path):
    path = _write(tmp_path / "bp.csv", [
        ["题号", "题型", "分值", "知识点", "能力层级", "答案"],
        ["1", "单选题", "3", "有理数", "了解", "b"],
        ["第2题", "填空题", "4分", "函数、方程", "理解", ""],
        ["17(1)", "解答题", "6", "几何；函数", "应用", ""]], encoding="gbk")
    blueprint = read_blueprint(path, "数学")
    assert list(blueprint["question"]) == ["1", "2", "2", "17(1)", "17(1)"]
    assert blueprint.loc[blueprint["question"] == "2", "knowledge_point"].tolist() == [
        "函数", "方程"]
    assert blueprint["full_marks"].tolist() == [3.0, 4.0, 4.0, 6.0, 6.0]
    assert blueprint["objective"].tolist() == [True, False, False, False, False]
    assert blueprint.loc[0, "key"] == "B"
    assert blueprint.drop_duplicates("question")["order"].tolist() == [0, 1, 2]


@pytest.mark.parametrize("rows, message, row", [
    ([["题号", "分值"], ["1", "3"], ["第1题", "4"]], "listed twice", 3),
    ([["题号", "分值"], ["1", "三"]], "not a positive number", 2),
    ([["题号", "分值", "题型"], ["1", "3", "选择题"]], "without an answer key", 2),
])
def test_blueprint_errors_name_the_row(tmp_path, rows, message, row):
    path = _write(tmp_path / "bp.csv", rows)
    with pytest.raises(InputError, match=message) as caught:
        read_blueprint(path, "数学")
    assert caught.value.where.row == row
    assert caught.value.where.file == path


def test_a_blueprint_without_full_marks_says_which_column(tmp_path):
    path = _write(tmp_path / "bp.csv", [["题号", "知识点"], ["1", "函数"]])
    with pytest.raises(InputError, match="满分") as caught:
        read_blueprint(path, "数学")
    assert "题号" in caught.value.hint


# --- item scores ------------------------------------------------------------------------------

SALT = "test-salt"


def _key(raw_id):
    from eduqa.intake.clean import student_key

    return student_key(pd.Series([raw_id]), SALT).iloc[0]


@pytest.fixture
def paper(tmp_path):
    """A 数学 paper of 3 questions (1: single choice, key C, 4 marks; 2: 6 marks; 第3题: 10
    marks) and six pupils; the season's scores say what each sat."""
    blueprint = read_blueprint(_write(tmp_path / "bp.csv", [
        ["题号", "题型", "分值", "知识点", "答案"],
        ["1", "单选题", "4", "函数", "C"], ["2", "填空题", "6", "方程", ""],
        ["3", "解答题", "10", "几何、函数", ""]]), "math")
    scores = pd.DataFrame({
        "student_key": [_key(i) for i in ["A1", "A2", "A3", "A4", "A5"]],
        "school_code": ["s1", "s1", "s2", "s2", "s2"], "class": ["1班"] * 5,
        "subject": "math", "score": [20.0, 9.0, 13.0, float("nan"), 16.0],
        "status": ["sat", "sat", "sat", "absent", "sat"]})
    export = _write(tmp_path / "items.csv", [
        ["考号", "学校", "班级", "1", "2", "第3题", "总分"],
        ["A1", "一中", "1班", "C", "6", "10", "20"],     # kept: 4 + 6 + 10
        ["A2", "一中", "1班", "B", "4", "5", "9"],       # kept: 0 + 4 + 5
        ["A3", "二中", "1班", "c", "9", "", "13"],       # 9 > 6 marks: invalid; 第3题 blank
        ["A4", "二中", "1班", "A", "1", "1", "1"],       # absent in 数学: excluded
        ["A5", "二中", "1班", "C", "6", "3", "13"],      # 13 != 16: excluded
        ["A9", "二中", "1班", "C", "6", "3", "13"],      # not in the score export
        ["", "二中", "1班", "C", "6", "3", "13"],        # no id
        ["A1", "一中", "1班", "C", "6", "10", "20"]])    # identical copy of row 2
    return export, blueprint, scores


def test_item_scores_are_read_scored_and_checked(paper):
    from eduqa.intake.items import clean_items

    export, blueprint, scores = paper
    result = clean_items(export, "math", blueprint, scores, SALT)
    items = result.items.set_index("student_key")
    assert list(items.columns) == ["school_code", "class", "1", "2", "3"]
    assert items.loc[_key("A1"), ["1", "2", "3"]].tolist() == [4.0, 6.0, 10.0]
    assert items.loc[_key("A2"), ["1", "2", "3"]].tolist() == [0.0, 4.0, 5.0]
    a3 = items.loc[_key("A3")]
    assert a3["1"] == 4.0 and pd.isna(a3["2"]) and pd.isna(a3["3"])  # invalid; blank
    assert set(items.index) == {_key("A1"), _key("A2"), _key("A3")}
    choices = result.choices.set_index("student_key")
    assert choices.loc[_key("A3"), "1"] == "C"  # written c
    log = result.log
    excluded = log[log["action"] == "exclude_row"].set_index("source_row")
    assert excluded.loc[5, "kind"] == "item_not_sat"
    assert excluded.loc[6, "kind"] == "item_sum_mismatch"
    assert "13" in excluded.loc[6, "reason"] and "16" in excluded.loc[6, "reason"]
    assert excluded.loc[7, "kind"] == "item_student_unknown"
    assert excluded.loc[8, "kind"] == "no_student_id"
    assert excluded.loc[9, "kind"] == "duplicate_row"
    invalid = log[log["kind"] == "item_invalid"]
    assert invalid["source_row"].tolist() == [4] and invalid["column"].tolist() == ["2"]
    # rows in = rows kept + rows logged as excluded
    assert result.n_rows_in == len(result.items) + result.n_rows_excluded == 8


def _long(rows):
    """The wide rows of the ``paper`` fixture as a long export: one row per pupil and
    question, the option of question 1 in its own column."""
    out = [["考号", "学校", "班级", "题号", "得分", "选项"]]
    for pupil, school, klass, one, two, three, _total in rows:
        out += [[pupil, school, klass, "1", "", one], [pupil, school, klass, "2", two, ""],
                [pupil, school, klass, "第3题", three, ""]]
    return out


def test_a_long_item_export_gives_the_wide_export_s_items_and_logs_every_row(paper, tmp_path):
    from eduqa.intake.items import clean_items

    export, blueprint, scores = paper
    wide_rows = pd.read_csv(export, dtype=str, keep_default_na=False).to_numpy().tolist()
    rows = _long(wide_rows)
    rows.insert(5, ["A2", "一中", "1班", "2", "3", ""])  # A2's question 2 again, differently
    rows.append(["A3", "二中", "1班", "", "5", ""])         # no question number
    path = _write(tmp_path / "items-long.csv", rows)
    long = clean_items(path, "math", blueprint, scores, SALT)
    wide = clean_items(export, "math", blueprint, scores, SALT)
    # A2 is excluded as a whole here; A1 and A3 are as in the wide export
    expected = wide.items[wide.items["student_key"] != _key("A2")].reset_index(drop=True)
    pd.testing.assert_frame_equal(long.items, expected)
    assert long.choices.set_index("student_key").loc[_key("A3"), "1"] == "C"
    log = long.log
    excluded = log[log["action"] == "exclude_row"]
    assert long.n_rows_in == 26 and long.n_rows_kept == 6 and len(excluded) == 20
    by_kind = excluded["kind"].value_counts()
    assert by_kind["conflicting_duplicate"] == 4   # every row of A2
    assert by_kind["item_not_sat"] == 3 and by_kind["item_sum_mismatch"] == 3
    assert by_kind["item_student_unknown"] == 3 and by_kind["no_student_id"] == 3
    assert by_kind["duplicate_row"] == 3 and by_kind["item_no_question"] == 1
    assert sorted(excluded["source_row"]) == sorted(set(excluded["source_row"]))  # once each
    invalid = log[log["kind"] == "item_invalid"]  # A3's 9 of 6 marks, on its own raw row
    assert invalid["column"].tolist() == ["得分"] and invalid["original_value"].tolist() == ["9"]
    assert rows[int(invalid["source_row"].iloc[0]) - 1][:5] == ["A3", "二中", "1班", "2", "9"]


def test_a_long_export_naming_a_question_the_blueprint_lacks_is_an_error(paper, tmp_path):
    from eduqa.intake.items import clean_items

    export, blueprint, scores = paper
    rows = _long(pd.read_csv(export, dtype=str, keep_default_na=False).to_numpy().tolist()[:1])
    rows.append(["A1", "一中", "1班", "第9题", "2", ""])
    with pytest.raises(InputError, match="9"):
        clean_items(_write(tmp_path / "long.csv", rows), "math", blueprint, scores, SALT)


def test_a_blueprint_question_the_export_lacks_names_both_files(paper, tmp_path):
    from eduqa.intake.items import clean_items

    export, blueprint, scores = paper
    more = pd.concat([blueprint, blueprint.iloc[[0]].assign(question="4")], ignore_index=True)
    with pytest.raises(InputError) as caught:
        clean_items(export, "math", more, scores, SALT, blueprint_path="bp-math.csv")
    assert "4" in str(caught.value) and "bp-math.csv" in str(caught.value)
    assert "items.csv" in str(caught.value)


def test_a_million_missing_questions_make_a_short_message(paper):
    """Issue 34 point 5: a 1,000,000-row blueprint made one message of 7.9 MB. The first 20
    are named, and the count of the rest."""
    from eduqa.intake.items import clean_items

    export, blueprint, scores = paper
    more = pd.concat([blueprint, pd.DataFrame({"question": [f"x{i}" for i in range(1_000_000)],
                                               "full_marks": 1.0})], ignore_index=True)
    with pytest.raises(InputError) as caught:
        clean_items(export, "math", more, scores, SALT, blueprint_path="bp-math.csv")
    message, zh = str(caught.value), caught.value.render("zh")
    assert "x0, x1" in message and "x19 and 999,980 more" in message
    assert "等共 1,000,000 个" in zh and len(message) < 1_000 and len(zh) < 1_000


def test_an_export_question_the_blueprint_lacks_is_an_error(paper):
    from eduqa.intake.items import clean_items

    export, blueprint, scores = paper
    fewer = blueprint[blueprint["question"] != "3"]
    with pytest.raises(InputError, match="第3题"):
        clean_items(export, "math", fewer, scores, SALT)


def test_the_sum_tolerance_is_a_setting(paper):
    from eduqa.intake.items import clean_items

    export, blueprint, scores = paper
    loose = clean_items(export, "math", blueprint, scores, SALT, tolerance=5)
    assert _key("A5") in set(loose.items["student_key"])
    assert "item_sum_mismatch" not in set(loose.log["kind"])


def test_the_clean_step_writes_a_subject_s_item_scores_beside_the_season(project):
    """The demo's 数学 scores split into three questions (an objective 4-mark question keyed
    A, then 56 and 60 marks); one pupil's questions planted to sum 1 mark off."""
    import yaml

    from eduqa.config.params import load_season
    from eduqa.indicators.quality import row_accounting
    from eduqa.project.pipeline import load_processed, prepare

    season = "2025-spring-g9"
    folder = project.root / "data" / "raw" / season
    raw = pd.read_csv(folder / "scores.csv", dtype=str, keep_default_na=False)
    score = pd.to_numeric(raw["数学"], errors="coerce")
    first = pd.Series(["A" if s >= 4 else "B" for s in score.fillna(0)]).where(score.notna(), "")
    rest = score - (score >= 4) * 4
    second, third = rest.clip(upper=56), rest - rest.clip(upper=56)
    items = pd.DataFrame({"考号": raw["考号"], "学籍号": raw["学籍号"], "学校": raw["学校"],
                          "班级": raw["班级"], "1": first,
                          "第2题": second.map(lambda v: "" if pd.isna(v) else f"{v:g}"),
                          "第3题": third.map(lambda v: "" if pd.isna(v) else f"{v:g}")})
    planted = int(score.first_valid_index())
    items.loc[planted, "第2题"] = f"{second[planted] - 1:g}" if second[planted] >= 1 else "1"
    items.to_csv(folder / "items-math.csv", index=False, encoding="utf-8")
    _write(folder / "blueprint-math.csv", [["题号", "题型", "分值", "知识点", "答案"],
                                           ["1", "选择题", "4", "数与式", "A"],
                                           ["2", "填空题", "56", "函数", ""],
                                           ["3", "解答题", "60", "几何、函数", ""]])
    path = project.params_dir / f"{season}.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data["files"]["items"] = {"数学": f"data/raw/{season}/items-math.csv"}
    data["files"]["blueprints"] = {"数学": f"data/raw/{season}/blueprint-math.csv"}
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")

    params = load_season(project, season)
    result, _ = prepare(params)
    back, _ = load_processed(project.processed_season(season))
    for name in ("items-math", "choices-math", "blueprint-math", "items_log"):
        assert name in back.papers, name
    written = back.papers["items-math"]
    scores = result.scores
    sat = scores[(scores["subject"] == "math") & (scores["status"] == "sat")]
    log = back.papers["items_log"]
    mismatched = log[log["kind"] == "item_sum_mismatch"]
    assert len(mismatched) >= 1
    assert int(mismatched["source_row"].iloc[0]) == planted + 2
    # every pupil who sat 数学 is in the item data unless a logged reason says why not
    excluded = int((log["action"] == "exclude_row").sum())
    assert back.summary["items"]["math"] == {"rows_in": len(raw), "rows_kept": len(written),
                                              "rows_excluded": excluded}
    assert len(written) == len(sat) - len(mismatched)
    assert len(written) + excluded == len(raw)
    merged = written.merge(sat[["student_key", "score"]].astype({"student_key": str}),
                           on="student_key")
    # (the demo's messy cells — full-width digits, 分 — are not numbers in this test's own
    # split, so those pupils' questions are blank: missing responses, not checked)
    complete = merged[["1", "2", "3"]].notna().all(axis=1)
    assert complete.mean() > 0.9
    assert (merged.loc[complete, ["1", "2", "3"]].sum(axis=1)
            == merged.loc[complete, "score"]).all()
    # the score export's own accounting is untouched by the item rows
    accounting = row_accounting(back.n_rows_in, back.log).set_index("item")["n_rows"]
    assert accounting["rows_kept"] == back.summary["rows_kept"]


# --- the demo county's papers: the planted questions are found -------------------------------


@pytest.mark.parametrize("season", ["2024-spring-g8", "2025-spring-g9"])
def test_the_demo_papers_show_what_was_planted(cleaned, season):
    """eduqa.synth.PAPER_PLANTS: 数学 question 7 discriminates negatively, question 10 is
    harder for rural pupils of the same total (ETS C), option D of question 3 draws the strong
    pupils; no other question is class C."""
    from eduqa.models.dif import dif_mantel_haenszel
    from eduqa.paper.statistics import item_statistics, option_shares
    from eduqa.synth import PAPER_PLANTS

    result = cleaned[season]
    items = result.papers["items-math"]
    blueprint = result.papers["blueprint-math"].drop_duplicates("question")
    marks = dict(zip(blueprint["question"], blueprint["full_marks"]))
    questions = list(blueprint["question"])
    stats = item_statistics(items[questions], marks).set_index("question")
    _, negative, _ = PAPER_PLANTS["negative_discrimination"]
    assert stats.loc[negative, "negative_discrimination"]
    assert (stats.drop(index=negative)["discrimination"] > 0).all()

    place = items["school_code"].astype(str).map(
        result.schools.set_index("school_code")["urban_rural"])
    rural = place.map({"rural": True, "urban": False})  # 镇区 in neither group
    dif = dif_mantel_haenszel(items[questions], marks, rural).set_index("question")
    _, planted, _ = PAPER_PLANTS["dif"]
    assert dif.loc[planted, "ets"] == "C" and dif.loc[planted, "favours"] == "reference"
    assert (dif.drop(index=planted)["ets"] != "C").all()

    _, trap_question, trap = PAPER_PLANTS["strong_distractor"]
    choices = result.papers["choices-math"]
    keys = dict(zip(blueprint["question"], blueprint["key"]))
    objective = [q for q in questions if keys[q]]
    total = items[questions].sum(axis=1)
    options = option_shares(choices[objective], keys, total).set_index(["question", "option"])
    assert options.loc[(trap_question, trap), "attracts_strong"]
    assert not options.loc[(trap_question, keys[trap_question]), "attracts_strong"]


@pytest.mark.parametrize("season", ["2024-spring-g8", "2025-spring-g9"])
def test_the_demo_s_planted_sum_mismatch_is_logged(cleaned, planted, season):
    log = cleaned[season].papers["items_log"]
    for subject, file_id in (("数学", "math"), ("语文", "chinese")):
        row = planted[season]["papers"][subject]["sum_mismatch_row"]
        mine = log[(log["subject"] == file_id) & (log["kind"] == "item_sum_mismatch")]
        assert row in set(mine["source_row"].astype(int)), (subject, row)


@pytest.mark.parametrize("seed", range(12))
def test_the_long_export_widened_on_codes_equals_the_row_wise_widening(seed):
    """Issue 34: the long export is widened on integer codes; on random exports (ids with
    blanks, full-width and padded spellings, missing and repeated questions, identical and
    conflicting repeats, options) it gives what the row-wise implementation gave: the same
    wide rows, raw rows per pupil, conflicts, cell rows, rows set aside and spread
    exclusions."""
    import numpy as np
    from long_export_oracle import RowWiseLongExport

    from eduqa.intake.items import _LongExport

    rng = np.random.default_rng(seed)
    n = int(rng.integers(0, 120))
    ids = rng.choice(["A1", "Ａ1", " A1 ", "A2", "A3", "B7", "", "C9", "c9"], n)
    questions = rng.choice(["1", "第1题", "2", "３", "3", "", " 2 "], n)
    frame = pd.DataFrame({"考号": ids, "学校": rng.choice(["一中", "二中"], n),
                          "题号": questions, "得分": rng.choice(["", "1", "2", "１", "x"], n),
                          "选项": rng.choice(["", "", "A", "b", "Ｃ"], n)}).astype(object)
    rows = np.arange(2, n + 2) + rng.integers(0, 3)
    found = {"question": "题号", "item_score": "得分", "option": "选项"}
    if seed % 3 == 0:
        frame = frame.drop(columns="选项")
        found.pop("option")
    blueprint = pd.DataFrame({"question": ["1", "2", "3", "4"]})
    args = (frame, rows, "考号", found, blueprint, Path("x.csv"), "x.csv")
    ours, theirs = _LongExport(*args), RowWiseLongExport(*args)
    pd.testing.assert_frame_equal(ours.wide.astype(object).reset_index(drop=True),
                                  theirs.wide.reset_index(drop=True), check_dtype=False)
    assert list(ours.first_row) == list(theirs.first_row)
    assert ours.members == [sorted(m) for m in theirs.members]
    assert list(ours.conflicting) == list(theirs.conflicting)
    for q in theirs.cell_row:
        assert ours.cell_row[q].tolist() == theirs.cell_row[q].tolist(), q
    key = ["source_row", "kind"]
    pd.testing.assert_frame_equal(
        ours.aside.sort_values(key).reset_index(drop=True),
        theirs.aside.sort_values(key).reset_index(drop=True), check_dtype=False)
    dropped = rng.random(len(ours.wide)) < 0.4
    excluded = pd.DataFrame({"kind": "x", "detail": None,
                             "reason": [f"r{i}" for i in range(int(dropped.sum()))]})
    pd.testing.assert_frame_equal(ours.every_row(excluded, dropped),
                                  theirs.every_row(excluded, dropped), check_dtype=False)
