"""eduqa's statistics on Dask DataFrames: computed partition by partition, reduced on the cluster.

A season's processed scores are written in parts of whole schools (:func:`eduqa.compute.parquet.write_parts`);
the Dask engine reads each part as one partition (:func:`read_table`). Every statistic here
is a partition-wise piece plus a reduction, and gives the same table as its pandas version
(to rounding, 1e-9 and better; tests/test_partitioned.py checks each against it):

- :func:`summarize` by groups finer than a school (a school, a class): the per-group counts
  and score statistics of each partition (:func:`eduqa.indicators.exam.group_statistics`), put
  together — no group spans two partitions — and finished with the county means;
- :func:`summarize` by coarser groups (the county, townships, urban–rural types): a frequency
  table of (group, subject, status, score) per partition (:func:`eduqa.indicators.exam.frequencies`),
  summed on the cluster (a tree reduction) and turned into the indicators
  (:func:`eduqa.indicators.exam.summarize_frequencies`); the median too is exact;
- :func:`head_counts`: students are counted per partition and summed (a student's rows are
  all in their school's part);
- :func:`school_gap_stats`: the per-school counts, sums and within-school sums of squares
  of the urban–rural gaps (:func:`eduqa.indicators.group_gap` fits its cluster-robust
  regressions and randomization intervals from those alone), a partition's schools each.

Only small tables (a row per group and subject, or per distinct score) ever reach the
notebook's process.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Mapping, Sequence
from pathlib import Path

import numpy as np
import pandas as pd

from eduqa.compute import engine as compute
from eduqa.compute import parquet
from eduqa.compute.frames import plain_columns
from eduqa.config.settings import CompositeWeights, Thresholds
from eduqa.indicators.tallies import (
    _as_list,
    finish_summary,
    frequencies,
    group_statistics,
    restandardising,
    school_sums,
    student_z,
    subject_moments,
    summarize_frequencies,
)
from eduqa.indicators.tallies import head_counts as count
from eduqa.indicators.tallies import school_gap_stats as gap_stats

__all__ = ["read_table", "with_school_columns", "summarize", "head_counts",
           "school_gap_stats", "frequency_table", "composite_z"]

#: Groupings whose groups never span two partitions (each part holds whole schools).
_WITHIN_A_PART = "school_code"


def _plain_strings() -> None:
    """Keep text as pandas' own text type: Dask would turn every text column into its Arrow
    string type (missing as ``pd.NA``), and the statistics, written for pandas' types, would
    then give different column types, or fail on ``NA`` comparisons, under Dask alone. The
    conversion is decided where the graph is built (this process), and is off here."""
    import dask

    dask.config.set({"dataframe.convert-string": False})


def _read_part(path: str, categories: tuple[str, ...], columns=None) -> pd.DataFrame:
    return parquet.read_parquet(path, categories=categories, columns=columns)


def read_table(path: str | Path, categories: Sequence[str] = ()):
    """A processed table (a file, or a folder of parts) as a Dask DataFrame: one partition
    per part, each read as :func:`eduqa.compute.parquet.read_parquet` reads it. Nothing is read but the
    first part's first rows (for the columns' types) until the frame is computed."""
    import dask.dataframe as dd

    _plain_strings()
    parts = parquet.parquet_parts(path)
    if not parts or not parts[0].is_file():
        parquet.read_parquet(path)  # (raises the clear error of a missing table)
    meta = _read_part(str(parts[0]), tuple(categories)).iloc[:0]
    for column, dtype in meta.dtypes.items():  # categories differ from part to part
        if isinstance(dtype, pd.CategoricalDtype):
            meta[column] = meta[column].astype(dtype.categories.dtype)
    return dd.from_map(_read_plain, [str(p) for p in parts], meta=meta,
                       categories=tuple(categories), reader=READER, enforce_metadata=False,
                       label=f"read-{Path(path).stem}")


#: This process's mark on the parts it reads (a part of the key of each read task). Without
#: it the notebooks running side by side on one cluster would share their read tasks (the
#: same table gives the same keys): a part then stays in a worker's memory until every
#: notebook that reads it has used it, and the quicker notebook's reads pile up there while
#: the slower one catches up (at 20M students, hundreds of parts: gigabytes a worker).
READER = f"{os.getpid()}-{uuid.uuid4().hex}"


def _read_plain(path: str, categories: tuple[str, ...], columns=None,
                reader: str = "") -> pd.DataFrame:
    """One part, its categorical columns as plain text (every partition has the same types;
    the statistics factorise them anyway). ``columns``: those only — Dask passes the columns
    a computation uses, so that e.g. the summaries never read the students' keys, the
    longest column of the scores. ``reader`` (:data:`READER`) is not used: it only marks the
    task's key."""
    return plain_columns(_read_part(path, categories, columns))


def with_school_columns(scores, schools: pd.DataFrame,
                        columns: tuple[str, ...] = ("school_name", "township", "urban_rural")):
    """:func:`eduqa.compute.frames.with_school_columns` of a Dask DataFrame: a left join with the
    roster (small: sent to every partition), rows in their order. A join rather than a
    function mapped over the partitions, so that Dask still reads only the columns a
    computation uses."""
    roster = plain_columns(schools.drop_duplicates("school_code")[["school_code", *columns]])
    return scores.merge(roster, on="school_code", how="left")


def summarize(scores, by, full_marks: Mapping[str, float], *,
              thresholds: Thresholds | None = None, weights: CompositeWeights | None = None,
              min_group_size: int = 0) -> pd.DataFrame:
    """:func:`eduqa.indicators.summarize` of a Dask DataFrame of long scores: the same
    table, computed partition by partition (see the module's notes)."""
    keys = _as_list(by)
    thresholds = thresholds or Thresholds()
    weights = weights or CompositeWeights()
    marks = dict(full_marks)
    if _WITHIN_A_PART in keys:
        pieces = scores.map_partitions(_group_piece, keys, marks, thresholds,
                                       meta=_group_piece(scores._meta, keys, marks, thresholds))
        county = _frequency_key(scores, [])
        if not compute.known(county):  # (with the pieces, in one pass over the partitions)
            table, counts = compute.compute(pieces, _frequency_reduction(scores, []))
            compute.remember(county, counts)
        else:
            table = compute.compute(pieces)
        counts = frequency_table(scores)
        table = table.sort_values([*keys, "subject"], kind="stable", na_position="last")
        table = table.reset_index(drop=True)
        county_mean = _county_mean(counts, marks, thresholds)
        return finish_summary(table, keys, marks, county_mean, weights=weights,
                              min_group_size=min_group_size)
    return summarize_frequencies(frequency_table(scores, keys), keys, marks,
                                 thresholds=thresholds, weights=weights,
                                 min_group_size=min_group_size)


def frequency_table(scores, by=None) -> pd.DataFrame:
    """:func:`eduqa.indicators.tallies.frequencies` of a Dask DataFrame: one table per partition, summed
    on the cluster (a tree reduction); only the summed table comes back. Computed once per
    process for the same frame and grouping (:func:`eduqa.compute.engine.remembered`), with the
    frame's head counts in the same pass (a page asks for both first).

    Only the grouping asked for: computing the townships' and the urban–rural types' tables
    in the county's pass as well saved ~10 s of the province's run but raised each worker's
    peak by ~500 MB, over the 4 GB target (benchmarks/README.md)."""
    keys = _as_list(by)
    table = compute.remembered(_frequency_key(scores, keys),
                               lambda: _with_head_counts(scores, keys))
    return table.copy()


def _frequency_key(scores, keys: list[str]) -> tuple:
    return ("frequencies", scores._name, tuple(keys))


def _head_counts_key(scores) -> tuple:
    return ("head counts", scores._name)


def _with_head_counts(scores, keys: list[str]) -> pd.DataFrame:
    """The frequency table by ``keys``; in the same pass, the head counts (remembered) when
    the frame has their columns and they are not known yet."""
    reduction = _frequency_reduction(scores, keys)
    if not {"student_key", "subject", "status", "score"} <= set(scores.columns) or \
            compute.known(_head_counts_key(scores)):
        return compute.compute(reduction)
    table, pieces = compute.compute(reduction, _head_count_pieces(scores))
    compute.remember(_head_counts_key(scores), _head_totals(pieces))
    return table


def _frequency_reduction(scores, keys: list[str]):
    """The (lazy) frequency table by ``keys``: one per partition, summed pairwise."""
    return scores.reduction(_frequency_chunk, aggregate=_frequency_sum, combine=_frequency_sum,
                            chunk_kwargs={"keys": keys}, meta=frequencies(scores._meta, keys))


def _group_piece(part: pd.DataFrame, keys: list[str], full_marks: dict,
                 thresholds: Thresholds) -> pd.DataFrame:
    """One partition's per-group counts and score statistics (before the county means)."""
    frame = part[part["subject"].isin(list(full_marks))]
    table, _ = group_statistics(frame[[*keys, "subject", "score", "status"]], keys, full_marks,
                                thresholds)
    return table


def _frequency_chunk(part: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    return frequencies(part, keys)


def _frequency_sum(frame: pd.DataFrame) -> pd.DataFrame:
    """Frequency tables (concatenated by Dask) summed: the same (keys, subject, status,
    score) counted once."""
    columns = [c for c in frame.columns if c != "count"]
    summed = frame.groupby(columns, sort=True, dropna=False, observed=True)["count"].sum()
    return summed.reset_index()


def _county_mean(counts: pd.DataFrame, full_marks: dict, thresholds: Thresholds
                 ) -> dict[str, float]:
    frame = counts[counts["subject"].isin(list(full_marks))]
    _, county_mean = group_statistics(frame, [], full_marks, thresholds, count="count")
    return county_mean


def _counted(part: pd.DataFrame) -> pd.DataFrame:
    return pd.DataFrame([count(part)])


def head_counts(scores) -> dict[str, int]:
    """:func:`eduqa.indicators.head_counts` of a Dask DataFrame: counted per partition and
    summed (all of a student's rows are in their school's part). Remembered, like the
    frequency tables it is computed with (:func:`frequency_table`)."""
    return dict(compute.remembered(_head_counts_key(scores), lambda: _head_totals(
        compute.compute(_head_count_pieces(scores)))))


def _head_count_pieces(scores):
    return scores.map_partitions(_counted,
                                 meta=pd.DataFrame({"enrolled": np.zeros(0, np.int64),
                                                    "sat": np.zeros(0, np.int64),
                                                    "sat_all": np.zeros(0, np.int64)}))


def _head_totals(pieces: pd.DataFrame) -> dict[str, int]:
    totals = pieces.sum()
    return {name: int(totals[name]) for name in ("enrolled", "sat", "sat_all")}


def school_gap_stats(scores, group: str, cluster: str, full_marks: Mapping[str, float],
                     thresholds: Thresholds) -> pd.DataFrame:
    """:func:`eduqa.indicators.tallies.school_gap_stats` of a Dask DataFrame: each partition's schools
    (whole in it when ``cluster`` is the school), put together in (subject, school) order. A
    school split across partitions (another ``cluster``) is an error of the caller's."""
    pieces = compute.by_part(scores, gap_stats, group, cluster, dict(full_marks), thresholds)
    pieces = pieces.sort_values(["subject", cluster], kind="stable").reset_index(drop=True)
    if pieces.duplicated(["subject", cluster]).any():
        raise ValueError(f"school_gap_stats: '{cluster}' groups span partitions")
    return pieces


def composite_z(scores, keys=("student_key",)):
    """:func:`eduqa.indicators.composite_z` of a Dask DataFrame, as a Dask DataFrame of the
    students (``keys``, ``n_subjects``, ``z_mean``, ``z``), partition by partition: the
    subjects' county means and sds from the summed frequency table, each partition's
    students' mean z (a student's rows are all in their school's part), then their mean and
    sd over students from per-school sums (exact, as the pandas path sums them) to
    re-standardise. The numbers equal the pandas path's to the last bit; rows are in
    partition order, each partition's students sorted by ``keys``."""
    keys = list(keys)
    rows = scores[scores["subject"] != "total"]
    centre, spread = subject_moments(frequency_table(rows))
    meta = student_z(rows._meta, keys, centre, spread)
    students = rows.map_partitions(student_z, keys, centre, spread, meta=meta)
    sums_meta = school_sums(meta, "z_mean")

    def gathered(centre_value=None):
        return compute.compute(students.map_partitions(school_sums, "z_mean", centre_value,
                                                       meta=sums_meta))

    mean, sd = restandardising(gathered(), gathered)
    return students.assign(z=(students["z_mean"] - mean) / sd)[
        [*keys, "n_subjects", "z_mean", "z"]]
