"""Limits on one raw file, so that a careless or malicious export ends quickly with a clear
message instead of exhausting memory (README: limits), and the sizes the readers work in.

A CSV or Parquet export is streamed (read a block at a time, spilled to disk past
``dask.spill_rows`` rows), so its memory does not grow with its length: it is limited by its size
on disk and a row count that bounds the time and disk a season takes. A workbook is converted
whole, so it keeps a row limit. The readers look these up at call time (``limits.MAX_ROWS``), so
a test may lower one with ``monkeypatch.setattr(limits, ...)``."""

from __future__ import annotations

#: Rows above the header that are searched for it (title lines, notes).
HEADER_SCAN_ROWS = 30
#: Data rows of a workbook's sheet (Excel itself stops at 1,048,576).
MAX_ROWS = 2_000_000
#: Data rows of a streamed export (CSV or Parquet): a national grade is 15–20 million pupils;
#: 50 million long rows (pupil × subject) is a province's grade in nine subjects and more.
MAX_STREAMED_ROWS = 50_000_000
#: Columns of a row, after trailing empty cells are dropped.
MAX_COLUMNS = 1_000
#: Characters in one cell (the csv module's own limit).
MAX_CELL_CHARS = 131_072
#: Bytes of one CSV file.
MAX_CSV_BYTES = 2_000_000_000
#: Bytes of an .xlsx's sheets and shared strings once inflated (a county export is 10–50 MB).
MAX_XLSX_XML_BYTES = 500_000_000

#: Bytes read at a time when a CSV file is checked and read (it is never read whole).
CHUNK_BYTES = 1 << 23

#: Data rows per block when a raw export is read block by block (:meth:`RawReader.blocks`).
BLOCK_ROWS = 200_000
