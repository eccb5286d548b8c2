"""eduqa.compute.frames: the fast column helpers against plain pandas (the oracle)."""

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from eduqa.compute.frames import group_ids, lookup, per_value, plain_columns

_TEXT = st.sampled_from(["a", "b", "语文", "数学", "", None])


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(_TEXT, _TEXT, st.integers(0, 3)), min_size=1, max_size=40),
       st.sampled_from(["str", object]))
def test_group_ids_number_the_groups_as_a_sorted_group_by(rows, dtype):
    frame = pd.DataFrame(rows, columns=["k1", "k2", "k3"]).astype({"k1": dtype, "k2": dtype})
    for keys in (["k1"], ["k1", "k2"], ["k2", "k3", "k1"]):
        ids, groups = group_ids(frame, keys)
        grouped = frame.groupby(keys, sort=True, dropna=False)
        assert ids.tolist() == grouped.ngroup().tolist()
        expected = grouped.size().index.to_frame(index=False)
        assert len(groups) == len(expected)
        for key in keys:  # missing keys compare equal to missing keys
            assert groups[key].isna().tolist() == expected[key].isna().tolist()
            assert groups[key].dropna().tolist() == expected[key].dropna().tolist()
        # the same groups from categoricals (as a season holds its scores), with plain keys
        held = frame.astype({"k1": "category", "k2": "category"})
        held_ids, held_groups = group_ids(held, keys)
        assert held_ids.tolist() == ids.tolist()
        pd.testing.assert_frame_equal(held_groups, groups, check_dtype=dtype == "str")


def test_group_ids_of_many_combinations_take_the_sorting_route():
    rng = np.random.default_rng(1)
    frame = pd.DataFrame({"a": rng.integers(0, 10**6, 500), "b": rng.integers(0, 10**6, 500)})
    ids, groups = group_ids(frame, ["a", "b"])
    assert ids.tolist() == frame.groupby(["a", "b"], sort=True).ngroup().tolist()
    assert groups["a"].tolist() == frame.groupby(["a", "b"]).size().index.get_level_values(
        "a").tolist()


def test_group_ids_without_keys_are_one_group():
    ids, groups = group_ids(pd.DataFrame({"x": [1, 2, 3]}), [])
    assert ids.tolist() == [0, 0, 0] and len(groups) == 1


@settings(max_examples=60, deadline=None)
@given(st.lists(_TEXT, max_size=30), st.sampled_from(["str", object]))
def test_lookup_equals_series_map(values, dtype):
    series = pd.Series(values, dtype=dtype, index=np.arange(len(values)) * 3)
    mapping = {"a": 1, "语文": 150.0, "": 2.5}
    got = lookup(series, mapping)
    expected = series.map(mapping).astype(float)
    pd.testing.assert_series_equal(got, expected, check_names=False)


def test_lookup_of_text_and_per_value():
    series = pd.Series(["x", "y", "x", None], dtype="str")
    assert lookup(series, {"x": "col 1"}, dtype=object).tolist() == ["col 1", None, "col 1", None]
    calls = []
    out = per_value(series, lambda v: calls.append(v) or str(v).upper())
    assert out.tolist() == ["X", "Y", "X", "NAN"] and len(calls) == 3  # once per distinct value


@pytest.mark.parametrize("n", [0, 1])
def test_group_ids_of_tiny_frames(n):
    frame = pd.DataFrame({"k": ["a"] * n})
    ids, groups = group_ids(frame, ["k"])
    assert ids.tolist() == [0] * n and groups["k"].tolist() == ["a"] * min(n, 1)


_ROW = st.tuples(st.sampled_from(["k1", "k2", "k3", None]), st.sampled_from(["1", "2", "9", None]),
                 st.sampled_from(["chinese", "math", "total"]),
                 st.sampled_from(["sat", "absent", "exempt", "voided"]),
                 st.one_of(st.none(), st.floats(0, 100)))


@settings(max_examples=60, deadline=None)
@given(st.lists(_ROW, min_size=0, max_size=40))
def test_school_columns_and_head_counts_equal_plain_pandas(rows):
    """Season.scores_with_schools attaches the school columns without a merge, and
    head_counts counts students without copying the table: both against plain pandas (a
    left merge; nunique of the filtered rows), with missing keys, a school missing from the
    roster and a status that disagrees with the score."""
    from eduqa.indicators.exam import head_counts
    from eduqa.project.season import with_school_columns

    scores = pd.DataFrame(rows, columns=["student_key", "school_code", "subject", "status",
                                         "score"]).astype({"student_key": "str",
                                                           "school_code": "str"})
    schools = pd.DataFrame({"school_code": ["2", "1", "3"], "school_name": ["乙", "甲", "丙"],
                            "township": ["镇", "城", None], "urban_rural": "rural",
                            "n_students": 5}).astype({"school_code": "str"})
    expected = scores.merge(schools[["school_code", "school_name", "township", "urban_rural"]],
                            on="school_code", how="left")
    pd.testing.assert_frame_equal(with_school_columns(scores, schools), expected)
    # as Season holds them: the scores' text columns and the attached ones categorical
    held = scores.astype({c: "category" for c in ["school_code", "subject", "status"]})
    attached = with_school_columns(held, schools, categorical=True)
    assert all(isinstance(attached[c].dtype, pd.CategoricalDtype)
               for c in ["school_name", "township", "urban_rural"])
    pd.testing.assert_frame_equal(plain_columns(attached), expected)
    assert head_counts(held) == head_counts(scores)
    subjects = scores[scores["subject"] != "total"]
    valid = subjects["status"].eq("sat") & subjects["score"].notna()
    total = scores[(scores["subject"] == "total") & scores["status"].eq("sat")
                   & scores["score"].notna()]
    assert head_counts(scores) == {
        "enrolled": subjects.loc[subjects["status"].ne("exempt"), "student_key"].nunique(),
        "sat": subjects.loc[valid, "student_key"].nunique(),
        "sat_all": total["student_key"].nunique()}
