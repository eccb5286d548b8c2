"""An export larger than memory is cleaned through disk (issue 15, point 2): its rows spread
over buckets by a hash of the student id and worked a bucket at a time, then a part of whole
schools at a time, the parts written straight to Parquet. Whatever the buckets, the part size
and the point at which the intake starts spilling, the tables, the cleaning log, the summary,
the errors and the processed files are those of the export cleaned in memory (the oracle)."""

from __future__ import annotations

import dataclasses

import numpy as np
import pandas as pd
import pytest
from test_intake import MESSY, MESSY_LONG, _messy
from test_intake import _same as _same_held

from eduqa.compute import parquet
from eduqa.config.params import load_season
from eduqa.errors import InputError
from eduqa.intake import limits
from eduqa.intake.clean import clean_season, score_facts, write_processed
from eduqa.intake.spill import Spill
from eduqa.project.checks import season_checks
from eduqa.project.pipeline import load_processed

from conftest import SEASONS


def _same(spilled, held):
    """As test_intake's, the scores read from their parts as the processed data is read (the
    student key as text, not a categorical)."""
    if spilled.stored is not None:  # (a copy: ``held`` may be a session fixture's)
        held = dataclasses.replace(held, held={
            "scores": held.scores.astype({"student_key": str}), "students": held.students})
    _same_held(spilled, held)


def _spilled(params, **options):
    result = clean_season(params, spill_rows=options.pop("spill_rows", 0), **options)
    assert result.stored is not None
    # (read back only for the item scores' cleaning, which links them to the students)
    assert not result.held or params.item_files, "the scores were held in memory"
    assert result.stored.parent == params.project.processed
    return result


@pytest.mark.parametrize("buckets, part_rows, spill_rows", [
    (1, 10**9, 0), (3, 10**9, 0), (7, 1, 0), (3, 8, 4), (64, 3, 5)])
def test_the_messy_export_cleans_the_same_through_disk(project, monkeypatch, buckets,
                                                       part_rows, spill_rows):
    params = _messy(project)
    whole = clean_season(params)
    assert whole.stored is None  # (12 rows: held in memory by default)
    monkeypatch.setattr(limits, "BLOCK_ROWS", 2)  # (spilling starts in the middle of the file)
    spilled = _spilled(params, buckets=buckets, part_rows=part_rows, spill_rows=spill_rows)
    assert spilled.score_facts() == score_facts(whole.scores)
    _same(spilled, whole)
    assert [f.code for f in season_checks(params, spilled)] == [
        f.code for f in season_checks(params, whole)]


@pytest.mark.parametrize("buckets, part_rows", [(2, 1), (5, 2), (16, 10**9)])
def test_a_long_export_cleans_the_same_through_disk(project, buckets, part_rows):
    params = load_season(project, "2024-spring-g8")
    params.scores_file.write_text(MESSY_LONG, encoding="utf-8")
    _same(_spilled(params, buckets=buckets, part_rows=part_rows), clean_season(params))


@pytest.mark.parametrize("season", SEASONS)
def test_each_demo_season_cleans_the_same_through_disk(project, cleaned, monkeypatch, season):
    monkeypatch.setattr(limits, "BLOCK_ROWS", 500)
    params = load_season(project, season)
    _same(_spilled(params, buckets=5, part_rows=700, spill_rows=900), cleaned[season])


def test_the_parts_written_through_disk_are_the_processed_data(project, tmp_path):
    """write_processed moves the parts into place: the processed folder reads back as that of
    the export cleaned in memory, part for part, and the work folder is gone."""
    params = load_season(project, "2024-spring-g6")
    whole = clean_season(params, part_rows=800)
    write_processed(whole, tmp_path / "held", part_rows=800)
    spilled = _spilled(params, buckets=4, part_rows=800)
    work = spilled.stored
    write_processed(spilled, tmp_path / "spilled", part_rows=800)
    assert not work.exists() and spilled.stored == tmp_path / "spilled"
    for name in ("scores", "students"):
        held = parquet.parquet_parts(tmp_path / "held" / f"{name}.parquet")
        moved = parquet.parquet_parts(tmp_path / "spilled" / f"{name}.parquet")
        assert [p.name for p in moved] == [p.name for p in held] and len(held) > 1
        for one, other in zip(held, moved):
            pd.testing.assert_frame_equal(pd.read_parquet(one), pd.read_parquet(other))
    first, _ = load_processed(tmp_path / "held")
    second, _ = load_processed(tmp_path / "spilled")
    _same(second, first)


def test_errors_through_disk_are_the_errors_in_memory(project):
    """A school name not in the roster, rows all excluded, no score at all: the same message
    (the first row, the names in order), and no work folder left behind."""
    params = _messy(project)
    cases = {
        "unknown": MESSY.replace("县城第二小学,01", "新开小学,01").replace(
            "S07,庚,城关一小", "S07,庚,无名小学"),
        "excluded": "学籍号,学校,语文,数学,英语,科学\n,县城第一小学,1,2,3,4\n,,,,,\n",
        "blank": "学籍号,学校,语文,数学,英语,科学\nS1,县城第一小学,,,,\nS2,县城第二小学,,,,\n",
    }
    for name, text in cases.items():
        params.scores_file.write_text(text, encoding="utf-8")
        with pytest.raises(InputError) as held:
            clean_season(params)
        with pytest.raises(InputError) as spilled:
            clean_season(params, spill_rows=0, buckets=3)
        assert str(spilled.value) == str(held.value), name
        assert not list(params.project.processed.glob(".work-*")), name


def test_the_unknown_school_error_names_them_in_row_order_through_disk(project):
    params = _messy(project)
    params.scores_file.write_text(MESSY.replace("县城第二小学,01", "新开小学,01").replace(
        "S07,庚,城关一小", "S07,庚,无名小学"), encoding="utf-8")
    with pytest.raises(InputError) as caught:
        clean_season(params, spill_rows=0, buckets=7)
    text = str(caught.value)
    assert "2 school name(s)" in text and text.index("新开小学") < text.index("无名小学")
    assert caught.value.where.row == 10  # 新开小学's row (S06), before 无名小学's (12)


def test_score_facts_of_parts_add_up_to_those_of_the_whole(cleaned):
    from eduqa.intake.clean import merge_score_facts

    scores = cleaned["2024-spring-g6"].scores
    facts: dict = {}
    for start in range(0, len(scores), 997):
        facts = merge_score_facts(facts, score_facts(scores.iloc[start:start + 997]))
    assert facts == score_facts(scores)
    sat = scores[scores["status"].eq("sat") & scores["score"].notna()]
    math = sat.loc[sat["subject"] == "math", "score"]  # (plain pandas)
    assert facts["subjects"]["math"] == (len(math), math.min(), math.max())
    assert facts["sat_schools"] == sorted(
        set(sat.loc[sat["subject"] != "total", "school_code"].astype(str)))


def test_a_spilled_table_reads_back_as_its_pieces_stacked(tmp_path):
    pieces = [pd.DataFrame({"text": ["a", None, "乙"], "n": [1, 2, 3],
                            "flag": [True, False, True], "x": [0.5, np.nan, 2.0]}),
              pd.DataFrame({"text": [None, None], "n": [4, 5], "flag": [False, False],
                            "x": [1.0, 1.5]})]
    for folder in (None, tmp_path / "spill"):
        spill = Spill(folder)
        for piece in pieces:
            spill.append("t", piece)
        spill.append("t", pieces[0].iloc[:0])  # (nothing)
        back = spill.read("t")
        expected = pd.concat(pieces, ignore_index=True)
        assert [v if isinstance(v, str) else None for v in back["text"]] == [
            "a", None, "乙", None, None]
        pd.testing.assert_frame_equal(back.drop(columns="text"), expected.drop(columns="text"))
        assert spill.read("t").empty and spill.read("never").empty
        spill.remove()
    assert not (tmp_path / "spill").exists()


def test_county_yaml_sets_the_rows_past_which_the_clean_spills(project):
    params = _messy(project)
    assert clean_season(params).stored is None  # (12 rows, the default 2,000,000)
    county = project.params_dir / "county.yaml"
    county.write_text(county.read_text(encoding="utf-8") + "\ndask:\n  spill_rows: 5\n",
                      encoding="utf-8")
    params = load_season(project, "2024-spring-g6")
    assert params.county.engine.spill_rows == 5
    assert clean_season(params).stored is not None
