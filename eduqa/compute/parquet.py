"""Processed data on disk: Parquet files and the parts of a long table (whole schools per
part), written whole and read back with the same types."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pandas as pd

from eduqa.errors import InputError

__all__ = ["write_parquet", "read_parquet", "write_parts", "write_part", "part_bounds",
           "parquet_parts", "ROW_GROUP"]

#: Rows per Parquet row group, and per chunk when categoricals are written as text.
ROW_GROUP = 1 << 20


def write_parquet(frame: pd.DataFrame, path: str | Path) -> None:
    """Write a frame as Parquet (no index), creating the folder.

    Categorical columns are written as their categories' values (text stays text), so the
    file reads the same whether a frame held text or categoricals; they are converted one row
    group at a time, never the whole column at once (a long table's text is gigabytes)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    _RowWriter(frame).write(path, 0, len(frame))


def part_bounds(keys: pd.Series, rows: int) -> list[tuple[int, int]]:
    """Cut a table whose rows come grouped by ``keys`` (each key's rows together, e.g. a
    season's scores, in school order) into parts of whole groups: each part as many whole
    groups as fit in ``rows`` (a group larger than that is a part of its own). Returns
    (start, stop) row positions; one empty part for an empty table.

    >>> part_bounds(pd.Series(["a", "a", "b", "c", "c", "c"]), 3)
    [(0, 3), (3, 6)]
    """
    n = len(keys)
    if n == 0:
        return [(0, 0)]
    codes = pd.factorize(keys, use_na_sentinel=False)[0]
    starts = np.concatenate([[0], np.flatnonzero(codes[1:] != codes[:-1]) + 1, [n]])
    bounds, first = [], 0
    for index in range(1, len(starts)):
        stop = int(starts[index])
        if stop - first > rows and int(starts[index - 1]) > first:
            bounds.append((first, int(starts[index - 1])))
            first = int(starts[index - 1])
    bounds.append((first, n))
    return bounds


def write_parts(frame: pd.DataFrame, folder: str | Path, key: str | None = None,
                rows: int = 1 << 20, *, bounds: list[tuple[int, int]] | None = None
                ) -> list[Path]:
    """Write ``frame`` as a partitioned Parquet table: ``folder/part-00000.parquet`` … , each
    part holding whole groups of ``key`` (:func:`part_bounds`, at most ``rows`` rows unless
    one group is larger), or the row ranges ``bounds``, in row order. :func:`read_parquet`
    reads the folder back as one frame; the Dask engine reads each part as a partition
    (:mod:`eduqa.indicators.partitioned`)."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    writer = _RowWriter(frame)
    paths = []
    if bounds is None:
        if key is None:
            raise ValueError("write_parts needs a key or the bounds")
        bounds = part_bounds(frame[key], rows)
    for number, (start, stop) in enumerate(bounds):
        path = folder / f"part-{number:05d}.parquet"
        writer.write(path, start, stop)
        paths.append(path)
    return paths


def write_part(frame: pd.DataFrame, path: str | Path) -> Path:
    """Write ``frame`` as one part of a partitioned table (as :func:`write_parts` writes each
    part), making its folder."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    _RowWriter(frame).write(path, 0, len(frame))
    return path


def parquet_parts(path: str | Path) -> list[Path]:
    """The files of a processed table: the file itself, or the parts of a partitioned table
    (:func:`write_parts`) in order."""
    path = Path(path)
    return sorted(path.glob("part-*.parquet")) if path.is_dir() else [path]


class _RowWriter:
    """Writes row ranges of one frame to Parquet files, its categorical columns' categories
    turned into Arrow text once for all of them."""

    def __init__(self, frame: pd.DataFrame):
        import pyarrow as pa

        from eduqa.compute.frames import plain

        self.frame = frame
        # each categorical's categories become an Arrow array once; a chunk's text is then
        # taken from it by code in Arrow (converting every chunk through pandas converts all
        # the categories again each time: 2M student keys × 16 chunks at province scale)
        self.coded = {
            column: (frame[column].cat.codes.to_numpy(),
                     pa.array(plain(frame[column].cat.categories).to_numpy()))
            for column, dtype in frame.dtypes.items() if isinstance(dtype, pd.CategoricalDtype)}
        self.others = [column for column in frame.columns if column not in self.coded]

    def write(self, path: Path, start: int, stop: int) -> None:
        import pyarrow as pa
        import pyarrow.parquet as pq

        frame = self.frame
        if not self.coded:
            part = frame if (start, stop) == (0, len(frame)) else frame.iloc[start:stop]
            part.to_parquet(path, index=False, row_group_size=ROW_GROUP)
            return
        writer = None
        try:
            for first in range(start, max(stop, start + 1), ROW_GROUP):
                last = min(first + ROW_GROUP, stop)
                texts = {column: categories.take(pa.array(codes[first:last],
                                                          mask=codes[first:last] < 0))
                         for column, (codes, categories) in self.coded.items()}
                if self.others:
                    table = pa.Table.from_pandas(frame[self.others].iloc[first:last],
                                                 preserve_index=False)
                    for column, text in texts.items():
                        table = table.append_column(column, text)
                else:
                    table = pa.table(texts)
                table = table.select(list(frame.columns))
                if writer is None:
                    writer = pq.ParquetWriter(path, table.schema)
                elif table.schema != writer.schema:  # (e.g. a chunk whose column is all missing)
                    table = table.cast(writer.schema)
                writer.write_table(table, row_group_size=ROW_GROUP)
        finally:
            if writer is not None:
                writer.close()


def read_parquet(path: str | Path, categories: Sequence[str] = (),
                 columns: Sequence[str] | None = None) -> pd.DataFrame:
    """Read a processed Parquet file, or a partitioned table's folder of parts
    (:func:`write_parts`, read in order as one frame), with a clear error when the clean step
    has not run.

    The text columns named in ``categories`` (those of them the file has) are read as
    categoricals whose categories are in text order, so that sorting, grouping and
    factorising them give the same order as the text would: the same values in a fraction of
    the memory for a long table's few schools, subjects and statuses. ``columns`` reads
    those columns only (in that order)."""
    path = Path(path)
    parts = parquet_parts(path)
    wanted_columns = None if columns is None else list(columns)
    if not parts or not parts[0].is_file():
        raise InputError.of("compute.parquet.read_parquet.processed_data_missing", file=path)
    if not categories and len(parts) == 1:
        return pd.read_parquet(parts[0], columns=wanted_columns)
    import pyarrow as pa
    import pyarrow.dataset as ds
    import pyarrow.parquet as pq

    schema = pq.read_schema(parts[0])
    text = {field.name for field in schema
            if pa.types.is_string(field.type) or pa.types.is_large_string(field.type)}
    wanted = [column for column in categories if column in text
              and (wanted_columns is None or column in wanted_columns)]
    if len(parts) == 1:
        frame = pd.read_parquet(parts[0], read_dictionary=wanted, columns=wanted_columns)
    else:  # the parts in their order (a dataset of named files keeps it)
        form = ds.ParquetFileFormat(read_options=ds.ParquetReadOptions(
            dictionary_columns=wanted))
        frame = ds.dataset([str(p) for p in parts], format=form).to_table(
            columns=wanted_columns).to_pandas()
    for column in wanted:
        values = frame[column]
        if isinstance(values.dtype, pd.CategoricalDtype):
            frame[column] = values.cat.reorder_categories(values.cat.categories.sort_values())
    return frame
