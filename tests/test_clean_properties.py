"""Property tests of the clean step on random raw exports (Hypothesis)."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

import numpy as np
import pandas as pd
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from eduqa.config.params import load_season
from eduqa.config.paths import Project
from eduqa.intake.clean import clean_season

SCHOOLS = ["一小", "二小", "三小"]
FULL = 100

cell = st.one_of(
    st.integers(0, FULL).map(str),  # a valid score
    st.integers(-20, 150).map(str),  # possibly out of range
    st.integers(0, FULL).map(lambda v: str(v).translate(str.maketrans("0123456789",
                                                                      "０１２３４５６７８９"))),
    st.integers(0, FULL).map(lambda v: f"{v}分"),
    st.sampled_from(["缺考", "缺", "作弊", "免考", "", " ", "良好", "n/a", "85.5"]),
)
row = st.tuples(st.one_of(st.integers(1, 25).map(lambda i: f"G{i:04d}"), st.just("")),
                st.sampled_from(SCHOOLS), st.sampled_from(["1班", "2班"]), cell, cell)


def project_with(rows) -> Project:
    root = Path(tempfile.mkdtemp(prefix="eduqa-prop-"))
    (root / "params").mkdir()
    raw = root / "data" / "raw" / "s"
    raw.mkdir(parents=True)
    (root / "params" / "county.yaml").write_text("county: 测试县\n", encoding="utf-8")
    (root / "params" / "2025-spring-g6.yaml").write_text(
        "season: 2025-spring-g6\nname: 测试\ngrade: 6\nsubjects:\n  语文: 100\n  数学: 100\n"
        "files:\n  scores: data/raw/s/scores.csv\n", encoding="utf-8")
    pd.DataFrame({"school_code": ["1", "2", "3"], "school_name": SCHOOLS,
                  "township": "镇", "urban_rural": "乡村", "school_type": "小学"}).to_csv(
        root / "data" / "raw" / "schools.csv", index=False)
    pd.DataFrame(rows, columns=["学籍号", "学校", "班级", "语文", "数学"]).to_csv(
        raw / "scores.csv", index=False)
    return Project(root)


def clean(rows, **options):
    """The random export cleaned (None when it has no usable row); its project removed."""
    from eduqa.errors import InputError

    project = project_with(rows)
    try:
        result = clean_season(load_season(project, "2025-spring-g6"),
                              salt="property-test-key", **options)
        if result.stored is not None:  # (read while their files are there)
            assert len(result.scores) and len(result.students)
        return result
    except InputError as error:  # only "no usable rows" may stop a random export
        assert any(reason in str(error) for reason in (
            "no usable student rows", "no student rows", "holds no scores"))
        return None
    finally:
        shutil.rmtree(project.root, ignore_errors=True)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(row, min_size=1, max_size=40), st.randoms())
def test_clean_invariants(rows, random):
    result = clean(rows)
    if result is None:
        return
    # rows in = rows kept + rows logged as excluded
    assert result.n_rows_in == len(rows)
    kept_rows = result.students["student_key"].nunique()
    excluded = int((result.log["action"] == "exclude_row").sum())
    assert kept_rows + excluded == len(rows)
    # no kept score outside [0, full marks]; a valid score always has status sat
    scores = result.scores[result.scores["subject"] != "total"]
    valid = scores["score"].dropna()
    assert valid.between(0, FULL).all()
    assert (scores.loc[scores["score"].notna(), "status"] == "sat").all()
    assert set(scores["status"]) <= {"sat", "absent", "voided", "exempt", "invalid"}
    # output independent of row order
    shuffled = list(rows)
    random.shuffle(shuffled)
    again = clean(shuffled)
    pd.testing.assert_frame_equal(result.scores, again.scores)
    pd.testing.assert_frame_equal(result.students, again.students)
    assert (result.log["action"].value_counts().sort_index().to_dict()
            == again.log["action"].value_counts().sort_index().to_dict())
    assert np.array_equal(np.sort(result.log["source_row"].dropna().to_numpy()).shape,
                          np.sort(again.log["source_row"].dropna().to_numpy()).shape)


@settings(max_examples=400, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("ab 1２３　\t\n\r\u00a0\u2003\u1680\u200b学校,（）ﾃ\u0301e"
                                            "\x0b\x1c\u2028\u3000")), max_size=12))
def test_normalize_text_fast_path_is_the_plain_formula(text):
    """normalize_text skips NFKC and the white-space regex when they would change nothing;
    the result is always NFKC, white space collapsed to single spaces, trimmed."""
    import re
    import unicodedata

    from eduqa.config.schema import normalize_text

    assert normalize_text(text) == re.sub(r"\s+", " ", unicodedata.normalize("NFKC", text)).strip()


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(row, min_size=1, max_size=40))
def test_totals_and_row_order_equal_a_plain_pandas_oracle(rows):
    """The clean builds totals and the row order from integer codes; here they are rebuilt with
    plain pandas (unstack, sort_values) from the subject rows it kept."""
    result = clean(rows)
    if result is None:
        return
    scores = result.scores
    subjects = scores[scores["subject"] != "total"]
    wide = subjects.set_index(["student_key", "subject"])
    ids = ["chinese", "math"]  # 语文 and 数学 in the params' order
    status = wide["status"].unstack().reindex(columns=ids)
    score = wide["score"].unstack().reindex(columns=ids)
    all_sat = status.eq("sat").all(axis=1)
    expected_status = pd.Series("sat", index=status.index, dtype=object)
    for candidate in ("exempt", "absent", "invalid", "voided"):  # the last one found wins
        expected_status[~all_sat & status.eq(candidate).any(axis=1)] = candidate
    expected_status[status.isna().any(axis=1) & ~all_sat & expected_status.eq("sat")] = "exempt"
    totals = scores[scores["subject"] == "total"].set_index("student_key")
    assert totals.index.is_unique and set(totals.index) == set(status.index)
    pd.testing.assert_series_equal(
        totals["score"].reindex(status.index), score.sum(axis=1).where(all_sat),
        check_names=False)
    assert totals["status"].reindex(status.index).tolist() == expected_status.tolist()
    # school, class, student key, then the subjects in the params' order and the total last
    order = {"chinese": 0, "math": 1, "total": 2}
    oracle = scores.assign(_s=scores["subject"].map(order)).sort_values(
        ["school_code", "class", "student_key", "_s"], kind="mergesort")
    assert oracle.index.tolist() == list(range(len(scores)))


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(row, min_size=1, max_size=40), st.integers(0, 40), st.integers(1, 6),
       st.integers(1, 30))
def test_an_export_cleans_the_same_through_disk(rows, spill_rows, buckets, part_rows):
    """Spilled to disk from any row on, in any number of buckets and parts: the tables, log
    and summary of the export cleaned in memory."""
    held = clean(rows)
    spilled = clean(rows, spill_rows=spill_rows, buckets=buckets, part_rows=part_rows)
    assert (held is None) == (spilled is None)
    if held is None:
        return
    assert (spilled.stored is not None) == (len(rows) > spill_rows)
    scores = held.scores
    if spilled.stored is not None:  # (the key read back as text, as processed data is read)
        scores = scores.astype({"student_key": str})
    pd.testing.assert_frame_equal(spilled.scores, scores)
    for name in ("students", "schools", "log"):
        pd.testing.assert_frame_equal(getattr(spilled, name), getattr(held, name))
    assert spilled.summary == held.summary


def test_one_student_at_two_schools_is_a_conflict_in_either_order():
    """Hypothesis found it: G0001 at 二小 and at 一小 with the same scores was a 'duplicate'
    (the first row kept), so the pupil's school depended on the order of the rows. The same
    id at two schools is now a conflict: both rows excluded, in either order, and logged."""
    rows = [("G0001", "二小", "1班", "0", "1"), ("G0002", "一小", "1班", "70", "80"),
            ("G0001", "一小", "1班", "0", "1")]
    for order in (rows, rows[::-1]):
        result = clean(order)
        kept = result.students
        assert len(kept) == 1 and set(kept["school_code"].astype(str)) == {"1"}
        log = result.log[result.log["kind"] == "conflicting_duplicate"]
        assert sorted(log["source_row"].astype(int)) == [2, 4]  # (the file's rows, header 1)
    # a true copy (same school, class and scores) is still one pupil, the first row kept
    copies = [("G0001", "二小", "1班", "0", "1"), ("G0001", "二小", "1班", "0", "1")]
    result = clean(copies)
    assert len(result.students) == 1
    assert list(result.log.loc[result.log["kind"] == "duplicate_row", "source_row"]) == [3]
