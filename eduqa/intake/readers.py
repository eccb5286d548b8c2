"""Reading raw exports as the office receives them: a table found under its title lines, its
headers matched, read whole or block by block (the bytes: :mod:`eduqa.intake.formats`).

With :mod:`eduqa.intake.formats`, the only place that opens raw files: read, never written.
"""

from __future__ import annotations

import functools
import itertools
import re
import sys
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from eduqa.catalog import say
from eduqa.catalog.words import (  # noqa: F401
    FILE_KINDS_IN_CHINESE as _WHAT_ZH,
)
from eduqa.config.schema import (
    CSV_SUFFIXES,
    EXCEL_SUFFIXES,
    PARQUET_SUFFIXES,
    normalize_header,
    subject_id,
)
from eduqa.errors import InputError, listed
from eduqa.intake import limits
from eduqa.intake.formats import (
    _cell_text,
    _check_xlsx,
    _column_letters,
    _csv_encoding,
    _csv_records,
    _SheetMarks,
    _too_many_rows,
    _too_wide,
    _trimmed,
    sha256,
)

__all__ = ["RawTable", "RawReader", "ReadNote", "open_raw_table", "read_raw_table", "read_compact",
           "map_columns", "sha256"]


@dataclass
class RawTable:
    """A raw table with all cells as text, exactly as written, plus where each row came from.

    Attributes
    ----------
    path : Path
    frame : DataFrame
        One column per header cell (original header text, made unique), all values ``str``.
    source_row : list[int]
        For each row of ``frame``, the 1-based row number a spreadsheet program shows.
    source_sheet : list[str | None]
        The sheet of each row (Excel files), else None.
    preamble : list[tuple[int, str]]
        Title lines above the header that were skipped: (row number, text).
    encoding : str | None
        Detected text encoding (CSV files).
    """

    path: Path
    frame: pd.DataFrame
    source_row: list[int] | np.ndarray
    source_sheet: list[str | None]
    preamble: list[tuple[int, str]] = field(default_factory=list)
    encoding: str | None = None

    @property
    def n_rows(self) -> int:
        return len(self.frame)


@dataclass(frozen=True)
class ReadNote:
    """Something the reader did to a file that the cleaning log shows: where (1-based row, the
    column's header), what (``action``, ``kind``) and why, never a cell's content."""

    row: int | None
    column: str | None
    action: str
    kind: str
    reason: str
    sheet: str | None = None


@dataclass
class _Sheet:
    """A visible sheet read: its rows as text (an error cell as its error text, e.g.
    ``#N/A``), its merged ranges (0-based first row, first column, last row, last column) and
    the marks of its XML."""

    rows: list[list[str]]
    merged: list[tuple[int, int, int, int]]
    marks: _SheetMarks


def _excel_sheets(path: Path) -> tuple[dict[str, _Sheet], list[str]]:
    """The visible sheets of a workbook by name, and the names of its hidden ones (not read)."""
    import python_calamine

    marks = _check_xlsx(path)
    try:
        book = python_calamine.CalamineWorkbook.from_path(str(path))
        visible: list[str] = []
        hidden: list[str] = []
        sheets: dict[str, tuple[list[list], list[tuple[int, int, int, int]]]] = {}
        for meta in book.sheets_metadata:
            shown = meta.visible == python_calamine.SheetVisibleEnum.Visible
            (visible if shown else hidden).append(meta.name)
        for name in visible:
            sheet = book.get_sheet_by_name(name)
            values = sheet.to_python(skip_empty_area=False)
            merged = [(int(a[0]), int(a[1]), int(b[0]), int(b[1]))
                      for a, b in (getattr(sheet, "merged_cell_ranges", None) or [])]
            sheets[str(name)] = (values, merged)
        book.close()
    except Exception as exc:  # calamine raises its own types for corrupt files
        raise InputError.of("intake.readers.excel_sheets.spreadsheet_cannot_be_opened", file=path,
                            name__=type(exc).__name__, exc=exc) from None
    read = {}
    for name, (values, merged) in sheets.items():
        if len(values) > limits.MAX_ROWS + limits.HEADER_SCAN_ROWS:
            raise _too_many_rows(path, len(values))
        rows = [_trimmed([_cell_text(v) for v in row]) for row in values]
        sheet_marks = marks.get(name, _SheetMarks())
        for (number, column), text in sheet_marks.errors.items():
            if number <= len(rows):
                cells = rows[number - 1]
                cells += [""] * (column - len(cells))
                cells[column - 1] = text
        for number, cells in enumerate(rows, start=1):
            if len(cells) > limits.MAX_COLUMNS:
                raise _too_wide(path, number, len(cells))
        read[name] = _Sheet(rows=rows, merged=merged, marks=sheet_marks)
    return read, [str(name) for name in hidden]


def _runs(numbers: list[int]) -> list[tuple[int, int]]:
    """Sorted numbers as runs of consecutive ones: [(first, last), ...]."""
    runs: list[tuple[int, int]] = []
    for number in sorted(set(numbers)):
        if runs and number == runs[-1][1] + 1:
            runs[-1] = (runs[-1][0], number)
        else:
            runs.append((number, number))
    return runs


def _span(first: int, last: int) -> str:
    return f"{first}" if first == last else f"{first}–{last}"


def _prepare_sheet(path: Path, name: str, sheet: _Sheet, index: int,
                   header: list[str]) -> list[ReadNote]:
    """Make a sheet whose header is row ``index`` (0-based) ready to read, and say what was done:
    refuse formula cells saved without a value; give a merged range's value to every row it
    spans below the header (Excel keeps it in the first cell only); note hidden rows (read)."""
    if sheet.marks.formulas:
        cells = sheet.marks.formulas
        shown, shown_zh = listed(cells), listed(cells, "zh")
        first_row = int(re.sub(r"[A-Z]", "", cells[0]))
        raise InputError.of("intake.readers.prepare_sheet.sheet_has_formula_cells", file=path,
                            row=first_row, name=name, shown=shown, shown_zh=shown_zh)
    notes = []

    def column_name(position: int) -> str:
        return header[position] if position < len(header) else _column_letters(position + 1)

    for top, left, bottom, right in sorted(sheet.merged):
        if top <= index or bottom == top and right == left or top >= len(sheet.rows):
            continue
        value = sheet.rows[top][left] if left < len(sheet.rows[top]) else ""
        for number in range(top, min(bottom, len(sheet.rows) - 1) + 1):
            cells = sheet.rows[number]
            cells += [""] * (right + 1 - len(cells))
            for position in range(left, right + 1):
                cells[position] = value
        notes.append(ReadNote(top + 1, column_name(left), "fill_down", "merged_cell",
                              f"merged cells, rows {_span(top + 1, bottom + 1)}: the first "
                              "cell's value given to each row", name))
    for first, last in _runs([r for r in sheet.marks.hidden_rows if r > index + 1]):
        notes.append(ReadNote(first, None, "read", "hidden_row",
                              f"row {_span(first, last)} hidden in Excel: read like the others",
                              name))
    return notes


def _header_index(rows: list[list[str]], known: set[str], min_hits: int) -> int | None:
    for index, row in enumerate(rows[:limits.HEADER_SCAN_ROWS]):
        keys = {normalize_header(cell) for cell in row if cell and cell.strip()}
        hits = sum(1 for key in keys if key in known or subject_id(key) is not None)
        if hits >= min_hits:
            return index
    return None


def _unique(headers: list[str]) -> list[str]:
    seen: dict[str, int] = {}
    out = []
    for position, header in enumerate(headers):
        header = header.strip() or f"(column {position + 1})"
        if header in seen:
            seen[header] += 1
            header = f"{header}.{seen[header]}"
        else:
            seen[header] = 0
        out.append(header)
    return out


def _what_zh(what: str) -> str:
    return _WHAT_ZH.get(what, what)


@dataclass
class RawReader:
    """A raw export opened for reading: its header found, its body not yet read.

    :meth:`blocks` reads the body a block of rows at a time (a CSV file streamed from disk, a
    Parquet file a batch at a time, an Excel workbook converted once and then cut), so that a
    province's export is never held whole as text; :meth:`read` reads it all at once.

    Attributes
    ----------
    path : Path
    header : list[str]
        The header cells (original text, made unique).
    preamble : list[tuple[int, str]]
        Title lines above the header that were skipped: (row number, text).
    encoding : str | None
        Detected text encoding (CSV files).
    """

    path: Path
    header: list[str]
    preamble: list[tuple[int, str]]
    encoding: str | None
    #: (sheet, position of its header record, a function giving its records afresh)
    _sources: list[tuple[str | None, int, Callable[[], Iterator[list[str]]]]]
    _parquet: bool = False
    #: what reading did that the cleaning log shows (:class:`ReadNote`)
    notes: list[ReadNote] = field(default_factory=list)
    #: at least the file's count of data rows (its lines, its sheets' rows, its row count)
    rows_bound: int = 0

    def blocks(self, rows: int | None = None) -> Iterator[RawTable]:
        """The body in blocks of at most ``rows`` rows (default :data:`~eduqa.intake.limits.BLOCK_ROWS`), in file
        order (each a :class:`RawTable` without the preamble)."""
        rows = rows or limits.BLOCK_ROWS
        if self._parquet:
            yield from self._parquet_blocks(rows)
            return
        width = len(self.header)
        for sheet, index, records in self._sources:
            first, batch = index + 2, []
            for row in itertools.islice(records(), index + 1, None):
                batch.append(row if len(row) == width else (row + [""] * width)[:width])
                if len(batch) == rows:
                    yield self._block(batch, first, sheet)
                    first, batch = first + len(batch), []
            if batch:
                yield self._block(batch, first, sheet)

    def read(self) -> RawTable:
        """The whole body as one :class:`RawTable`."""
        parts = list(self.blocks(rows=sys.maxsize))
        if not parts:
            frame = pd.DataFrame(columns=self.header, dtype=object)
        elif len(parts) == 1:
            frame = parts[0].frame
        else:
            frame = pd.concat([part.frame for part in parts], ignore_index=True)
        return RawTable(path=self.path, frame=frame,
                        source_row=[r for part in parts for r in part.source_row],
                        source_sheet=[s for part in parts for s in part.source_sheet],
                        preamble=self.preamble, encoding=self.encoding)

    def coded_blocks(self, rows: int | None = None
                     ) -> Iterator[tuple[list[tuple[np.ndarray, list[str]]], np.ndarray]]:
        """The body in blocks of at most ``rows`` rows, each column of a block as integer
        codes and the texts they stand for (the texts :meth:`blocks` gives), with the blocks'
        source rows. A Parquet file's text columns are read as dictionaries, so no text object
        is made per cell."""
        if self._parquet:
            yield from self._parquet_coded(rows or limits.BLOCK_ROWS)
            return
        for block in self.blocks(rows):
            yield ([_factorized(block.frame.iloc[:, position].to_numpy(dtype=object))
                    for position in range(len(self.header))],
                   np.asarray(block.source_row, dtype=np.int64))

    def _parquet_coded(self, rows: int
                       ) -> Iterator[tuple[list[tuple[np.ndarray, list[str]]], np.ndarray]]:
        import pyarrow as pa
        import pyarrow.compute as pc
        import pyarrow.parquet as pq

        first = 2
        with pq.ParquetFile(self.path) as parquet:
            for batch in parquet.iter_batches(batch_size=rows):
                columns = []
                for position, column in enumerate(batch.columns):
                    if pa.types.is_dictionary(column.type):  # (its dictionary may be the
                        column = column.cast(column.type.value_type)  # whole file's)
                    column = pc.dictionary_encode(column)
                    _check_dictionary_lengths(self.path, column, first, self.header[position])
                    indices = pc.fill_null(column.indices, len(column.dictionary))
                    distinct = [*_as_text(column.dictionary.to_pandas()), ""]  # ("": null)
                    columns.append((indices.to_numpy(zero_copy_only=False), distinct))
                yield columns, np.arange(first, first + batch.num_rows, dtype=np.int64)
                first += batch.num_rows

    def _block(self, batch: list[list[str]], first: int, sheet: str | None) -> RawTable:
        frame = pd.DataFrame(batch, columns=self.header, dtype=object)
        return RawTable(path=self.path, frame=frame,
                        source_row=list(range(first, first + len(batch))),
                        source_sheet=[sheet] * len(batch), encoding=self.encoding)

    def _parquet_blocks(self, rows: int) -> Iterator[RawTable]:
        import pyarrow.parquet as pq

        first = 2  # the rows numbered as in the same table saved as CSV, header on row 1
        with pq.ParquetFile(self.path) as parquet:
            for batch in parquet.iter_batches(batch_size=min(rows, 1 << 30)):
                _check_cell_lengths(self.path, batch, first, self.header)
                frame = batch.to_pandas()
                frame = pd.DataFrame({header: _as_text(frame.iloc[:, position])
                                      for position, header in enumerate(self.header)})
                yield RawTable(path=self.path, frame=frame,
                               source_row=list(range(first, first + len(frame))),
                               source_sheet=[None] * len(frame))
                first += len(frame)


def _check_cell_lengths(path: Path, batch, first: int, header: list[str]) -> None:
    """Refuse a Parquet batch with a text cell of more than :data:`~eduqa.intake.limits.MAX_CELL_CHARS` characters
    (the limit a CSV file has), naming its row and column, before it is converted."""
    import pyarrow as pa
    import pyarrow.compute as pc

    for position, column in enumerate(batch.columns):
        if not (pa.types.is_string(column.type) or pa.types.is_large_string(column.type)):
            continue
        lengths = pc.utf8_length(column)
        longest = pc.max(lengths).as_py()
        if longest is not None and longest > limits.MAX_CELL_CHARS:
            at = int(np.argmax(lengths.to_numpy(zero_copy_only=False) > limits.MAX_CELL_CHARS))
            raise _long_cell(path, first + at, header[position], longest)


def _long_cell(path: Path, row: int, column: str, longest: int) -> InputError:
    return InputError.of("intake.readers.long_cell.row_has_cell_characters", file=path, row=row,
                         column=column, longest=longest, max_cell_chars=limits.MAX_CELL_CHARS)


def _check_dictionary_lengths(path: Path, column, first: int, header: str) -> None:
    """:func:`_check_cell_lengths` for one dictionary-encoded column of a batch: the longest
    of its distinct texts, and the first row holding it."""
    import pyarrow as pa
    import pyarrow.compute as pc

    values = column.dictionary
    if not (pa.types.is_string(values.type) or pa.types.is_large_string(values.type)):
        return
    lengths = pc.utf8_length(values).to_numpy(zero_copy_only=False)
    if len(lengths) and np.nanmax(lengths) > limits.MAX_CELL_CHARS:
        long_ones = np.flatnonzero(lengths > limits.MAX_CELL_CHARS)
        where = np.isin(column.indices.to_numpy(zero_copy_only=False), long_ones)
        row, longest = first + int(np.argmax(where)), int(np.nanmax(lengths))
        raise _long_cell(path, row, header, longest)


def _factorized(values: np.ndarray) -> tuple[np.ndarray, list[str]]:
    codes, uniques = pd.factorize(values)
    return codes, list(uniques)


def _as_text(values: pd.Series) -> np.ndarray:
    """A typed column of a Parquet export as the text a CSV export would hold
    (:func:`_cell_text`: a missing value blank, 85.0 as 85), converted once per distinct
    value."""
    codes, distinct = pd.factorize(values, use_na_sentinel=False)
    distinct = distinct.to_numpy(dtype=object) if hasattr(distinct, "to_numpy") else distinct
    return np.asarray([_cell_text(v) for v in distinct], dtype=object)[codes]


def open_raw_table(path: str | Path, aliases: Mapping[str, tuple[str, ...]], *,
                   min_hits: int = 2, what: str = "table") -> RawReader:
    """Open a CSV, Excel or Parquet export: check it, find its header row below any title
    rows, and return a :class:`RawReader` that reads its body (all cells as text).

    Parameters
    ----------
    path : path of the file (CSV in UTF-8, UTF-8 with BOM or GBK/GB18030; .xlsx; .parquet).
    aliases : the alias table of the expected columns (see :mod:`eduqa.config.schema`).
    min_hits : how many recognised header cells make a row the header row.
    what : what the file is, for error messages ("scores file", "school roster").

    Notes
    -----
    Cells are returned as text exactly as written (no number parsing), so that a score like
    ``８５`` or ``85分`` reaches the cleaner and is logged when it is recoded. In an Excel file,
    every sheet whose header can be found is read and the rows are stacked. A Parquet file's
    column names are its header; its typed values become the text a CSV export would hold.
    """
    path = Path(path)
    if not path.is_file():
        raise InputError.of("intake.readers.open_raw_table.does_not_exist", file=path, what=what,
                            value1=_what_zh(what))
    known = {normalize_header(a) for names in aliases.values() for a in names}
    suffix = path.suffix.lower()
    encoding = None
    rows_bound = 0
    notes: list[ReadNote] = []
    sheets: dict[str, _Sheet] = {}
    if suffix in CSV_SUFFIXES:
        codec, encoding, rows_bound = _csv_encoding(path)
        sources: list[tuple[str | None, Callable[[], Iterator[list[str]]]]] = [
            (None, lambda: _csv_records(path, codec))]
    elif suffix in EXCEL_SUFFIXES:  # converted once, then read from memory
        sheets, hidden = _excel_sheets(path)
        sources = [(name, functools.partial(iter, sheet.rows)) for name, sheet in sheets.items()]
        rows_bound = sum(len(sheet.rows) for sheet in sheets.values())
        notes += [ReadNote(None, None, "skip_sheet", "hidden_sheet",
                           f"hidden sheet '{name}' not read (only visible sheets are)")
                  for name in hidden]
    elif suffix in PARQUET_SUFFIXES:
        return _open_parquet(path, known, min_hits, what, aliases)
    else:
        raise InputError.of("intake.readers.open_raw_table.cannot_read_files_type", file=path,
                            suffix=suffix)
    found: list[tuple[str | None, int, Callable[[], Iterator[list[str]]]]] = []
    preamble: list[tuple[int, str]] = []
    header: list[str] | None = None
    for sheet, records in sources:
        head = list(itertools.islice(records(), limits.HEADER_SCAN_ROWS))
        index = _header_index(head, known, min_hits)
        if index is None:
            continue
        this_header = _unique(head[index])
        if header is not None and [normalize_header(h) for h in this_header] != [
                normalize_header(h) for h in header]:
            raise InputError.of("intake.readers.open_raw_table.sheet_has_different_columns",
                                file=path, sheet=sheet)
        header = header or this_header
        if sheet in sheets:
            notes += _prepare_sheet(path, sheet, sheets[sheet], index, this_header)
        for number, row in enumerate(head[:index], start=1):
            text = " ".join(c.strip() for c in row if c and c.strip())
            if text:
                preamble.append((number, text))
        found.append((sheet, index, records))
    if header is None:
        raise _no_header(path, aliases, what)
    return RawReader(path=path, header=header, preamble=preamble, encoding=encoding,
                     _sources=found, notes=notes, rows_bound=rows_bound)


def _no_header(path: Path, aliases: Mapping[str, tuple[str, ...]], what: str) -> InputError:
    expected = ", ".join(names[0] for names in list(aliases.values())[:4])
    return InputError.of("intake.readers.no_header.cannot_find_header_row", file=path, what=what,
                         header_scan_rows=limits.HEADER_SCAN_ROWS, value1=_what_zh(what),
                         expected=expected)


def _open_parquet(path: Path, known: set[str], min_hits: int, what: str,
                  aliases: Mapping[str, tuple[str, ...]]) -> RawReader:
    import pyarrow.parquet as pq

    try:
        with pq.ParquetFile(path) as parquet:
            names, n_rows = list(parquet.schema_arrow.names), parquet.metadata.num_rows
    except Exception as exc:  # pyarrow raises its own types for corrupt files
        raise InputError.of("intake.readers.open_parquet.parquet_file_cannot_be", file=path,
                            name__=type(exc).__name__, exc=exc) from None
    if _header_index([names], known, min_hits) is None:
        raise _no_header(path, aliases, what)
    if len(names) > limits.MAX_COLUMNS:
        raise _too_wide(path, 1, len(names))
    if n_rows > limits.MAX_STREAMED_ROWS:
        raise _too_many_rows(path, n_rows, limits.MAX_STREAMED_ROWS)
    return RawReader(path=path, header=_unique(names), preamble=[], encoding=None, _sources=[],
                     _parquet=True, rows_bound=n_rows)


def read_raw_table(path: str | Path, aliases: Mapping[str, tuple[str, ...]], *,
                   min_hits: int = 2, what: str = "table",
                   too_long: tuple[str, str] | None = None) -> RawTable:
    """Read a CSV, Excel or Parquet export whole, as text (:func:`open_raw_table`, then
    :meth:`RawReader.read`). Read whole, a file may hold at most :data:`~eduqa.intake.limits.MAX_ROWS` data rows,
    checked before its body is read (a Parquet file from its metadata); ``too_long`` is what
    to do then (English, Chinese), when the file's kind has a better answer than splitting."""
    reader = open_raw_table(path, aliases, min_hits=min_hits, what=what)
    if reader.rows_bound > limits.MAX_ROWS + limits.HEADER_SCAN_ROWS:
        hint, hint_zh = too_long or (say("intake.readers.split_it", "en"),
                                     say("intake.readers.split_it", "zh"))
        raise InputError.of("intake.readers.too_many_rows", file=reader.path, what=what,
                            what_zh=_what_zh(what), rows=reader.rows_bound,
                            most=limits.MAX_ROWS, hint_en=hint, hint_zh=hint_zh)
    return reader.read()


def read_compact(reader: RawReader) -> RawTable:
    """Read an opened export (:func:`open_raw_table`) a block at a time into a compact table:
    every column categorical (each distinct text held once, each cell an integer code), the
    source rows one integer array. Ten million rows of five columns take about 150 MB
    instead of the gigabytes of one text object per cell that :meth:`RawReader.read` holds; a
    Parquet file's text columns are never made into a text per cell at all. The cells are the
    texts :meth:`RawReader.read` gives (the sheet of each row is not kept: ``source_sheet``
    is empty). The caller checks ``reader.rows_bound`` against its own limit first."""
    distinct: list[dict[str, int]] = [{} for _ in reader.header]
    # (filled in place: rows_bound is at least the data rows; a column's codes widen from
    # int8 only when it has that many distinct texts)
    codes = [np.empty(reader.rows_bound, dtype=np.int8) for _ in reader.header]
    rows = np.empty(reader.rows_bound, dtype=np.int32)
    filled = 0
    for columns, source_row in reader.coded_blocks():
        stop = filled + len(source_row)
        for position, (found, uniques) in enumerate(columns):
            known = distinct[position]
            lookup = np.fromiter((known.setdefault(u, len(known)) for u in uniques),
                                 dtype=np.int32, count=len(uniques))
            wide_enough = np.min_scalar_type(-len(known))
            if np.dtype(wide_enough).itemsize > codes[position].itemsize:
                codes[position] = codes[position].astype(wide_enough)
            codes[position][filled:stop] = lookup[found] if len(found) else found
        rows[filled:stop] = source_row
        filled = stop
    frame = pd.DataFrame({header: pd.Categorical.from_codes(
        codes[position][:filled], categories=pd.Index(list(distinct[position]), dtype=object))
        for position, header in enumerate(reader.header)})
    return RawTable(path=reader.path, frame=frame, source_row=rows[:filled], source_sheet=[],
                    preamble=reader.preamble, encoding=reader.encoding)


def map_columns(headers: list[str], aliases: Mapping[str, tuple[str, ...]]) -> dict[str, str]:
    """Canonical name -> original header, for each canonical column present (first match wins)."""
    lookup = {normalize_header(a): canonical for canonical, names in aliases.items()
              for a in names}
    found: dict[str, str] = {}
    for header in headers:
        canonical = lookup.get(normalize_header(header))
        if canonical is not None and canonical not in found:
            found[canonical] = header
    return found


