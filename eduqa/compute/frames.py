"""Column helpers that stay fast at province scale.

A long score table has millions of rows but only a handful of distinct subjects, statuses or
schools. pandas' ``Series.map`` on its Arrow-backed text columns converts every row on its
own (about a second per two million rows); these helpers work once per distinct value and
spread the result back by integer code — the same values, a small fraction of the time.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

import numpy as np
import pandas as pd

__all__ = ["per_value", "lookup", "group_ids", "plain", "plain_columns", "with_school_columns"]


def per_value(values: pd.Series | np.ndarray, function: Callable, dtype=object) -> np.ndarray:
    """``function`` of every cell, computed once per distinct value and spread back by code.

    Missing cells (None, NaN, NA) are passed to ``function`` like any other value.

    >>> per_value(pd.Series(["a", "b", "a"]), str.upper).tolist()
    ['A', 'B', 'A']
    """
    codes, unique = pd.factorize(values, use_na_sentinel=False)
    # plain objects first: iterating an Arrow-backed array costs microseconds a value
    distinct = unique.to_numpy(dtype=object) if hasattr(unique, "to_numpy") else unique
    return np.asarray([function(v) for v in distinct], dtype=dtype)[codes]


def lookup(values: pd.Series, mapping: Mapping, *, dtype=float) -> pd.Series:
    """``values.map(mapping)`` as a Series of ``dtype`` on the same index: NaN (or None for
    ``dtype=object``) where a value is not in ``mapping``.

    >>> lookup(pd.Series(["math", "art", "math"]), {"math": 120}).tolist()
    [120.0, nan, 120.0]
    """
    missing = np.nan if np.dtype(dtype).kind == "f" else None
    mapped = per_value(values, lambda v: mapping.get(v, missing) if _hashable(v) else missing,
                       dtype=dtype)
    return pd.Series(mapped, index=values.index, dtype=dtype)


def plain(values):
    """A categorical Series or Index as its categories' own dtype (text stays text); any
    other values unchanged. Results carry plain columns, whatever the input held.

    >>> plain(pd.Series(["b", "a"], dtype="category")).dtype
    <StringDtype(na_value=nan)>
    """
    dtype = values.dtype
    return values.astype(dtype.categories.dtype) if isinstance(dtype, pd.CategoricalDtype) \
        else values


def plain_columns(frame: pd.DataFrame) -> pd.DataFrame:
    """``frame`` with every categorical column as its categories' dtype (:func:`plain`); the
    same frame when it has none."""
    found = [c for c, dtype in frame.dtypes.items() if isinstance(dtype, pd.CategoricalDtype)]
    return frame.assign(**{c: plain(frame[c]) for c in found}) if found else frame


def _hashable(value) -> bool:
    try:
        hash(value)
    except TypeError:
        return False
    return True


def group_ids(frame: pd.DataFrame, keys: list[str],
              factorized: Mapping[str, tuple] | None = None) -> tuple[np.ndarray, pd.DataFrame]:
    """The group of every row of ``frame`` by ``keys`` as an integer 0 … G − 1, and the keys
    of each group (a frame of G rows, index 0 … G − 1).

    Groups are numbered as ``frame.groupby(keys, sort=True, dropna=False)`` orders them:
    sorted by the keys, a missing key as a group of its own after the others. Group-bys on
    these integers give the same numbers as on the keys themselves, without factorising the
    text keys again for every aggregation.

    >>> ids, groups = group_ids(pd.DataFrame({"k": ["b", "a", "b"]}), ["k"])
    >>> ids.tolist(), groups["k"].tolist()
    ([1, 0, 1], ['a', 'b'])

    ``factorized`` may hold, for some keys, ``pd.factorize(frame[key], sort=True,
    use_na_sentinel=False)`` already computed by the caller (it is not computed again).
    """
    if not keys:
        return np.zeros(len(frame), dtype=np.int64), pd.DataFrame(index=range(1 if len(frame)
                                                                             else 0))
    codes, uniques = [], []
    for key in keys:
        code, unique = (factorized[key] if factorized and key in factorized else
                        pd.factorize(frame[key], sort=True, use_na_sentinel=False))
        codes.append(code.astype(np.int64))
        uniques.append(unique)
    sizes = [max(len(u), 1) for u in uniques]
    if np.prod(sizes, dtype=float) > 2.0**62:  # (no integer holds every combination)
        grouped = frame.groupby(keys, sort=True, dropna=False)
        return (grouped.ngroup().to_numpy(np.int64),
                plain_columns(grouped.size().index.to_frame(index=False)[keys]))
    combined = codes[0]
    for code, size in zip(codes[1:], sizes[1:]):
        combined = combined * size + code
    cells = int(np.prod(sizes, dtype=float))
    if cells <= 4 * len(frame) + 1024:  # few possible combinations: count them directly
        seen = np.flatnonzero(np.bincount(combined, minlength=cells))
        number = np.zeros(cells, dtype=np.int64)
        number[seen] = np.arange(len(seen))
        ids = number[combined]
    else:
        seen, ids = np.unique(combined, return_inverse=True)
    parts = np.unravel_index(seen, sizes)
    groups = pd.DataFrame({key: plain(unique.take(part)) for key, unique, part in
                           zip(keys, uniques, parts)})
    return ids.reshape(-1), groups


def with_school_columns(scores: pd.DataFrame, schools: pd.DataFrame,
                        columns: tuple[str, ...] = ("school_name", "township", "urban_rural"),
                        *, categorical: bool = False) -> pd.DataFrame:
    """``scores`` with the school's ``columns`` attached: the same frame as
    ``scores.merge(schools[["school_code", *columns]], on="school_code", how="left")`` (rows in
    order, a fresh 0 … n − 1 index, missing where the roster lacks the school), without the
    merge's copy of every column of a long table: the new columns are taken once per school
    and spread by code, the old ones shared. With ``categorical`` the new columns are
    categoricals (categories in text order): the same values in two bytes a row."""
    roster = schools.drop_duplicates("school_code").set_index("school_code")
    codes, uniques = pd.factorize(scores["school_code"], use_na_sentinel=False)
    out = scores.reset_index(drop=True)
    for column in columns:
        per_school = roster[column].reindex(pd.Index(plain(uniques)))
        if categorical:
            held = pd.Categorical(per_school)  # (categories in text order)
            spread = pd.Categorical.from_codes(held.codes.take(codes), dtype=held.dtype)
        else:
            spread = per_school.array.take(codes)
        out[column] = pd.Series(spread, index=out.index, name=column)
    return out
