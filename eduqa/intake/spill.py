"""Tables the clean step sets aside while it works: kept in memory, or — for an export larger
than memory — appended to Arrow IPC stream files in a work folder inside the project and read
back one at a time (:func:`eduqa.intake.clean.clean_season`).

A table is written in pieces (:meth:`Spill.append`) and read whole (:meth:`Spill.read`), its
pieces in the order they were appended. Text columns go to disk as Arrow text and come back
as plain Python strings, so a table read back equals the pieces stacked in memory."""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd

__all__ = ["Spill"]


class Spill:
    """Named tables set aside: in memory (``folder`` None) or on disk in ``folder`` (made on
    the first write, removed by :meth:`remove`)."""

    def __init__(self, folder: Path | None = None):
        self.folder = None if folder is None else Path(folder)
        self._pieces: dict[str, list[pd.DataFrame]] = {}
        self._writers: dict[str, tuple] = {}

    @property
    def on_disk(self) -> bool:
        return self.folder is not None

    def append(self, name: str, frame: pd.DataFrame) -> None:
        """Add the rows of ``frame`` (its index is not kept) to the table ``name``."""
        if not len(frame):
            return
        if self.folder is None:
            self._pieces.setdefault(name, []).append(frame.reset_index(drop=True))
            return
        import pyarrow as pa

        if name not in self._writers:
            self.folder.mkdir(parents=True, exist_ok=True)
            schema = pa.schema([(column, _arrow_type(frame[column]))
                                for column in frame.columns])
            sink = pa.OSFile(str(self.folder / f"{name}.arrow"), "wb")
            self._writers[name] = (sink, pa.ipc.new_stream(sink, schema), schema)
        _, writer, schema = self._writers[name]
        writer.write_table(pa.Table.from_pandas(frame, schema=schema, preserve_index=False))

    def names(self) -> list[str]:
        return sorted({*self._pieces, *self._writers})

    def read(self, name: str) -> pd.DataFrame:
        """The table ``name`` whole (an empty frame when nothing was appended to it); its
        pieces are let go (on disk, its file is removed)."""
        if self.folder is None:
            pieces = self._pieces.pop(name, [])
            if not pieces:
                return pd.DataFrame()
            return pieces[0] if len(pieces) == 1 else pd.concat(pieces, ignore_index=True)
        if name not in self._writers:
            return pd.DataFrame()
        import pyarrow as pa

        sink, writer, _ = self._writers.pop(name)
        writer.close()
        sink.close()
        path = self.folder / f"{name}.arrow"
        with pa.OSFile(str(path), "rb") as source:
            table = pa.ipc.open_stream(source).read_all()
        path.unlink()
        columns = {}
        for column in table.column_names:
            values = table.column(column)
            if pa.types.is_large_string(values.type) or pa.types.is_string(values.type):
                # text as pandas holds it (Arrow strings, no Python object a value); a missing
                # value as None, as it was appended
                columns[column] = values.to_numpy(zero_copy_only=False) if values.null_count \
                    else values.to_pandas().array
            else:
                columns[column] = values.to_numpy()
            table = table.drop_columns([column])  # (each column's Arrow copy let go)
        return pd.DataFrame(columns)

    def remove(self) -> None:
        """Close and delete every table (on disk, the work folder)."""
        for sink, writer, _ in self._writers.values():
            writer.close()
            sink.close()
        self._writers.clear()
        self._pieces.clear()
        if self.folder is not None:
            shutil.rmtree(self.folder, ignore_errors=True)


def _arrow_type(values: pd.Series):
    import pyarrow as pa

    if pd.api.types.is_bool_dtype(values.dtype):
        return pa.bool_()
    if pd.api.types.is_integer_dtype(values.dtype):
        return pa.int64()
    if pd.api.types.is_float_dtype(values.dtype):
        return pa.float64()
    return pa.large_string()
