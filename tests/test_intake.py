"""The scores export read block by block (issue 15, point 2): whatever the block size, the
clean step gives the same processed tables and the same cleaning log, row for row — a duplicate
split across two blocks, a school's blank subject spread over several, a title line, blank
rows, Excel sheets. A Parquet export is read in batches and cleans to the same data as the CSV
it was made from. Oracles: the same file read as one block, the CSV export, and counts written
out by hand."""

from __future__ import annotations

import pandas as pd
import pytest

from eduqa.config.params import load_season
from eduqa.config.schema import SCORE_COLUMNS
from eduqa.errors import InputError
from eduqa.intake import limits, readers
from eduqa.intake.clean import clean_season

from conftest import SEASONS

#: A small export shaped unlike the demo: a title line, a blank row, an identical duplicate
#: and a disagreeing one far apart, class spellings, a school whose 科学 is blank throughout
#: (not examined), a full-width score, a marker, a score above full marks, a footer row.
MESSY = """\
某县 2024 年春季六年级期末质量监测成绩
学籍号,姓名,学校,班级,语文,数学,英语,科学,总分
S01,甲,县城第一小学,1班,80,90,70,60,300
S02,乙,县城第一小学,(1)班,８５,缺考,70,60,
,,,,,,,,
S03,丙,县城第二小学,一班,10,20,30,,
S04,丁,县城第一小学,2班,90,90,90,90,360
S01,甲,县城第一小学,1班,80,90,70,60,300
S05,戊,县城第二小学,1班,150,20,30,,
S06,己,县城第二小学,01,50,50,50,,150
S04,丁,县城第一小学,2班,91,90,90,90,361
S07,庚,城关一小,2班,60,70,80,90,999
合计,,,,,,,,
S08,辛,县城第二小学,1班,作弊,60,60,,
"""


def _messy(project):
    params = load_season(project, "2024-spring-g6")
    params.scores_file.write_text(MESSY, encoding="utf-8")
    return params


def _same(first, second, *, source_file: bool = True):
    for name in ("scores", "students", "schools"):
        pd.testing.assert_frame_equal(getattr(first, name), getattr(second, name), obj=name)
    left, right = first.log, second.log
    if not source_file:
        left, right = left.drop(columns="source_file"), right.drop(columns="source_file")
    pd.testing.assert_frame_equal(left, right, obj="log")
    assert first.summary == second.summary or not source_file


@pytest.mark.parametrize("rows", [1, 2, 3, 5])
def test_the_messy_export_cleans_the_same_in_blocks_of_any_size(project, monkeypatch, rows):
    params = _messy(project)
    whole = clean_season(params)
    monkeypatch.setattr(limits, "BLOCK_ROWS", rows)
    _same(clean_season(params), whole)


def test_the_messy_export_is_cleaned_as_counted_by_hand(project, monkeypatch):
    monkeypatch.setattr(limits, "BLOCK_ROWS", 2)
    result = clean_season(_messy(project))
    log = result.log
    excluded = log[log["action"] == "exclude_row"].set_index("source_row")["kind"].to_dict()
    # 12 data rows (spreadsheet rows 3-14): the blank row, the footer and both rows of S04
    # (they disagree) are excluded; the identical second S01 as the repeat of the first
    assert result.n_rows_in == 12
    assert excluded[5] == "blank_row" and excluded[13] == "no_school"
    assert {excluded[7], excluded[11]} == {"conflicting_duplicate"}
    assert excluded[8] == "duplicate_row"
    assert result.n_rows_excluded == 5 and result.n_rows_kept == 7
    assert sorted(result.students["student_key"].map(len).unique()) == [20]
    # 县城第二小学 wrote no 科学 at all: not examined there, logged once with its 4 cells
    not_examined = log[log["action"] == "not_examined"]
    assert len(not_examined) == 1 and '"cells": 4' in not_examined["detail"].iloc[0]
    scores = result.scores.astype({"subject": str, "status": str})
    science = scores[scores["subject"] == "science"]
    assert len(science) == 3  # S01, S02 and S07 (城关一小) of 县城第一小学 only
    cells = scores[scores["subject"] != "total"]["status"].value_counts()
    assert cells["invalid"] == 1 and cells["voided"] == 1 and cells["absent"] == 1  # 150, 作弊, 缺考
    assert log["kind"].eq("school_alias").sum() == 1  # 城关一小
    assert log["kind"].eq("total_disagrees").sum() == 1  # S07's 999


@pytest.mark.parametrize("rows", [1, 3, 8, 25])
def test_the_messy_export_cleans_the_same_a_part_of_schools_at_a_time(project, rows):
    """The cells parsed, totalled and ordered a part of whole schools at a time: the same
    tables, log and summary as all at once (a part of one row holds one school)."""
    params = _messy(project)
    _same(clean_season(params, part_rows=rows), clean_season(params, part_rows=10**9))


#: A long export shaped unlike the demo: a student whose rows are at two schools (they go
#: with the school of the first), a subject a school never wrote (not examined, the second
#: school's only row of it then vanishes), a subject not listed, a disagreeing duplicate,
#: scores above full marks at two schools, markers.
MESSY_LONG = """\
student_id,name,school,class,subject,score
L01,甲,县城第一中学,1班,语文,100
L01,甲,县城第一中学,1班,数学,130
L02,乙,县城第一中学,2班,语文,缺考
L02,乙,县城第一中学,2班,数学,90
L03,丙,县城第二中学,1班,语文,80
L03,丙,县城第二中学,1班,物理,
L04,丁,县城第二中学,1班,物理,
L04,丁,县城第二中学,1班,语文,７０
L01,甲,县城第二中学,1班,英语,125
L05,戊,县城第一中学,3班,语文,60
L05,戊,县城第一中学,3班,语文,61
L06,己,县城第一中学,3班,体育,50
L07,庚,县城第一中学,3班,物理,101
L07,庚,县城第一中学,3班,语文,作弊
L08,辛,县城第二中学,2班,数学,121
"""


@pytest.mark.parametrize("rows", [1, 2, 5])
def test_a_long_export_cleans_the_same_a_part_of_schools_at_a_time(project, rows):
    params = load_season(project, "2024-spring-g8")
    params.scores_file.write_text(MESSY_LONG, encoding="utf-8")
    whole = clean_season(params, part_rows=10**9)
    _same(clean_season(params, part_rows=rows), whole)
    # counted by hand: the two rows of L05 disagree (L05 is left with none), 体育 is not
    # listed (L06 is left with none); 物理 was never written at 县城第二中学 (2 cells), so
    # L03 and L04 keep only 语文; L01's 英语 row goes with L01 to 县城第一中学
    log, scores = whole.log, whole.scores.astype(str)
    assert log["kind"].eq("conflicting_duplicate").sum() == 2
    assert log["kind"].eq("subject_not_listed").sum() == 1
    assert (log["kind"] == "not_examined").sum() == 1
    assert '"cells": 2' in log.loc[log["kind"] == "not_examined", "detail"].iloc[0]
    assert log["kind"].eq("out_of_range").sum() == 4  # 130, 125, 101, 121
    assert set(whole.summary["above_full_marks"]) == {"math", "english", "physics"}
    keys = whole.students.set_index("student_key")["school_code"]
    assert keys.value_counts().to_dict() == {"3610200004": 3, "3610200005": 3}
    assert (scores["subject"] == "total").sum() == 6
    english = scores[scores["subject"] == "english"]
    assert english["school_code"].tolist() == ["3610200004"]  # L01's, at its first school
    assert english["status"].tolist() == ["invalid"]  # 125 of 120


@pytest.mark.parametrize("season", SEASONS)
def test_each_demo_season_cleans_the_same_a_part_of_schools_at_a_time(repo_project, cleaned,
                                                                      season):
    _same(clean_season(load_season(repo_project, season), part_rows=500), cleaned[season])


@pytest.mark.parametrize("season", SEASONS)
def test_each_demo_season_cleans_the_same_in_small_blocks(repo_project, cleaned, monkeypatch,
                                                          season):
    monkeypatch.setattr(limits, "BLOCK_ROWS", 37)
    _same(clean_season(load_season(repo_project, season)), cleaned[season])


def test_a_parquet_export_cleans_to_the_same_data_as_its_csv(project, monkeypatch):
    params = load_season(project, "2025-spring-g9")
    csv_result = clean_season(params)
    text = pd.read_csv(params.scores_file, dtype=str, keep_default_na=False)
    typed = text.copy()
    for column in text.columns[4:]:  # the subjects and 总分, as numbers where they all are
        numbers = pd.to_numeric(text[column].replace("", None), errors="coerce")
        if numbers.notna().sum() == text[column].ne("").sum():
            typed[column] = numbers  # (a blank cell becomes a missing value)
    assert any(dtype.kind == "f" for dtype in typed.dtypes), "no typed column to read"
    target = params.scores_file.with_suffix(".parquet")
    typed.to_parquet(target, index=False, row_group_size=100)
    params.scores_file.unlink()
    (project.params_dir / "2025-spring-g9.yaml").write_text(
        (project.params_dir / "2025-spring-g9.yaml").read_text(encoding="utf-8").replace(
            "2025-spring-g9/scores.csv", "2025-spring-g9/scores.parquet"), encoding="utf-8")
    monkeypatch.setattr(limits, "BLOCK_ROWS", 64)
    parquet_result = clean_season(load_season(project, "2025-spring-g9"))
    _same(parquet_result, csv_result, source_file=False)
    assert set(parquet_result.log["source_file"].dropna()) <= {
        "data/raw/2025-spring-g9/scores.parquet"}


def test_a_parquet_export_without_the_columns_is_refused_clearly(tmp_path):
    path = tmp_path / "scores.parquet"
    pd.DataFrame({"a": [1], "b": [2]}).to_parquet(path)
    with pytest.raises(InputError) as caught:
        readers.open_raw_table(path, dict(SCORE_COLUMNS), min_hits=2, what="scores file")
    assert "header" in str(caught.value) and "scores.parquet" in str(caught.value)


def test_the_encoding_is_found_across_chunk_boundaries(tmp_path, monkeypatch):
    monkeypatch.setattr(limits, "CHUNK_BYTES", 7)  # multi-byte characters split between chunks
    rows = "学籍号,学校,语文\n" + "".join(f"S{i},县城第一小学,{i}\n" for i in range(9))
    gbk = tmp_path / "gbk.csv"
    gbk.write_bytes(rows.encode("gbk"))
    table = readers.read_raw_table(gbk, dict(SCORE_COLUMNS))
    assert table.encoding == "gb18030" and table.frame["学校"].eq("县城第一小学").all()
    mixed = tmp_path / "mixed.csv"  # UTF-8, but the sixth line was saved as GBK
    lines = rows.splitlines(keepends=True)
    mixed.write_bytes("".join(lines[:5]).encode() + lines[5].encode("gbk")
                      + "".join(lines[6:]).encode() + "学".encode()[:2] + b"\xff")
    with pytest.raises(InputError) as caught:
        readers.read_raw_table(mixed, dict(SCORE_COLUMNS))
    assert caught.value.where.row == 6


def test_blocks_hold_at_most_the_rows_asked_and_add_up_to_the_whole(tmp_path):
    import openpyxl

    book = openpyxl.Workbook()
    first = book.active
    first.title = "一班"
    first.append(["成绩单"])
    first.append(["学籍号", "学校", "语文"])
    for i in range(7):
        first.append([f"A{i}", "县城第一小学", i])
    second = book.create_sheet("二班")
    second.append(["学籍号", "学校", "语文"])
    for i in range(4):
        second.append([f"B{i}", "县城第一小学", 50 + i])
    path = tmp_path / "scores.xlsx"
    book.save(path)
    reader = readers.open_raw_table(path, dict(SCORE_COLUMNS))
    blocks = list(reader.blocks(3))
    assert [len(b.frame) for b in blocks] == [3, 3, 1, 3, 1]
    whole = reader.read()
    assert whole.preamble == [(1, "成绩单")]
    pd.testing.assert_frame_equal(
        pd.concat([b.frame for b in blocks], ignore_index=True), whole.frame)
    assert [r for b in blocks for r in b.source_row] == whole.source_row == [
        *range(3, 10), *range(2, 6)]
    assert [s for b in blocks for s in b.source_sheet] == ["一班"] * 7 + ["二班"] * 4


def test_a_scaled_season_generated_straight_to_parquet_cleans_like_its_csv(tmp_path):
    """The benchmark's national season is generated as Parquet a row group at a time: the
    same schools and students as the CSV export of the same seed (their scores are drawn
    chunk by chunk), all rows kept; in one chunk, the same export cell for cell."""
    import pyarrow.parquet as pq

    from eduqa.config.paths import Project
    from eduqa.synth import write_scaled_project

    csv_root = write_scaled_project(tmp_path / "csv", 2500, 10)
    parquet_root = write_scaled_project(tmp_path / "parquet", 2500, 10, export="parquet",
                                        chunk=1000)
    whole_root = write_scaled_project(tmp_path / "whole", 2500, 10, export="parquet",
                                      chunk=5000)
    export = parquet_root / "data" / "raw" / "2025-spring-g9" / "scores.parquet"
    assert pq.ParquetFile(export).metadata.num_row_groups == 3
    results = {name: clean_season(load_season(Project(root), "2025-spring-g9"))
               for name, root in (("csv", csv_root), ("parquet", parquet_root),
                                  ("whole", whole_root))}
    for result in results.values():
        assert result.n_rows_in == 2500 and result.n_rows_kept == 2500
    students = ["student_key", "school_code"]  # (classes, too, are drawn chunk by chunk)
    pd.testing.assert_frame_equal(
        results["parquet"].students[students].sort_values(students, ignore_index=True),
        results["csv"].students[students].sort_values(students, ignore_index=True))
    pd.testing.assert_frame_equal(results["whole"].scores, results["csv"].scores)
    assert not results["parquet"].scores["score"].equals(results["csv"].scores["score"])
