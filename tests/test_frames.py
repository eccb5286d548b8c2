"""eduqa.frames: the fast column helpers against plain pandas (the oracle)."""

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from eduqa.frames import group_ids, lookup, per_value

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
