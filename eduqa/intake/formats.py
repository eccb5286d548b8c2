"""A raw file's bytes before it becomes a table: its checksum, the CSV's encoding found and its
records split, and the checks on an .xlsx before it is opened (its size once inflated, formulas,
hidden rows, error cells)."""

from __future__ import annotations

import codecs
import csv
import hashlib
import math
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from eduqa.errors import InputError
from eduqa.intake import limits


def sha256(path: str | Path) -> str:
    """Hex SHA-256 of a file's bytes (for the provenance footer)."""
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _empty(path: Path) -> InputError:
    return InputError.of("intake.formats.empty.file_empty", file=path)


def _binary(path: Path) -> InputError:
    return InputError.of("intake.formats.binary.this_not_text_csv", file=path)


class _Decoding:
    """Whether a file's bytes, fed chunk by chunk, decode as ``codec``: ``failed`` is None,
    or the byte offset where the first undecodable byte is."""

    def __init__(self, codec: str):
        self.decoder = codecs.getincrementaldecoder(codec)()
        self.offset = 0
        self.failed: int | None = None

    def feed(self, chunk: bytes) -> None:
        """The next chunk; ``b""`` at the end of the file."""
        if self.failed is not None:
            return
        pending = len(self.decoder.getstate()[0])  # bytes of the last chunk not yet decoded
        try:
            self.decoder.decode(chunk, final=not chunk)
        except UnicodeDecodeError as exc:
            self.failed = max(0, self.offset - pending + exc.start)
        self.offset += len(chunk)


def _decodes(path: Path, codec: str) -> int | None:
    """None when the whole file decodes as ``codec``, else the byte offset where it fails.
    Streams the file; never holds it whole."""
    decoding = _Decoding(codec)
    with open(path, "rb") as handle:
        for chunk in iter(lambda: handle.read(limits.CHUNK_BYTES), b""):
            decoding.feed(chunk)
            if decoding.failed is not None:
                return decoding.failed
    decoding.feed(b"")
    return decoding.failed


def _csv_encoding(path: Path) -> tuple[str, str, int]:
    """The codec to open a CSV file with and the encoding reported for it (UTF-16 with a BOM,
    UTF-8 with or without a BOM, or GBK/GB18030), after the size, row and emptiness checks.
    The file is read in chunks: once for its lines, its emptiness and UTF-8 together, again
    only for the other encodings. Also returns the file's count of lines."""
    size = path.stat().st_size
    if size > limits.MAX_CSV_BYTES:
        raise InputError.of("intake.formats.csv_encoding.file_bytes_more_than", file=path,
                            size=size, max_csv_bytes=limits.MAX_CSV_BYTES)
    lines, blank = 0, True
    utf8 = _Decoding("utf-8-sig")
    with open(path, "rb") as handle:
        head = handle.read(4096)
        handle.seek(0)
        for chunk in iter(lambda: handle.read(limits.CHUNK_BYTES), b""):
            lines += chunk.count(b"\n")
            blank = blank and not chunk.strip()
            utf8.feed(chunk)
    utf8.feed(b"")
    if lines > limits.MAX_STREAMED_ROWS + limits.HEADER_SCAN_ROWS:
        raise _too_many_rows(path, lines, limits.MAX_STREAMED_ROWS)
    if blank:
        raise _empty(path)
    if head[:2] in (b"\xff\xfe", b"\xfe\xff") and _decodes(path, "utf-16") is None:
        return "utf-16", "utf-16", lines  # Excel's "Unicode text": UTF-16 with a BOM
    if b"\x00" in head:
        raise _binary(path)
    failed = utf8.failed
    if failed is None:
        return "utf-8-sig", "utf-8", lines
    if _decodes(path, "gb18030") is None:
        return "gb18030", "gb18030", lines
    with open(path, "rb") as handle:
        line = sum(block.count(b"\n") for block in iter(
            lambda: handle.read(min(limits.CHUNK_BYTES, failed - handle.tell())), b"")) + 1
    raise InputError.of("intake.formats.csv_encoding.text_encoding_neither_utf", file=path,
                        row=line, line=line)


def _too_many_rows(path: Path, rows: int, limit: int | None = None) -> InputError:
    """Too many rows: in a workbook (``limit`` None: :data:`MAX_ROWS`) or a streamed export."""
    if limit is None:  # a workbook: converted whole in memory
        limit = limits.MAX_ROWS
        return InputError.of("intake.formats.too_many_rows.sheet_has_more_than", file=path,
                             limit=limit, rows=rows, max_streamed_rows=limits.MAX_STREAMED_ROWS)
    return InputError.of("intake.formats.too_many_rows.file_has_more_than", file=path, limit=limit,
                         rows=rows)


def _too_wide(path: Path, row: int, columns: int) -> InputError:
    return InputError.of("intake.formats.too_wide.row_has_non_empty", file=path, row=row,
                         columns=columns, max_columns=limits.MAX_COLUMNS)


def _trimmed(row: list[str]) -> list[str]:
    """A row without its trailing empty cells (exports padded to 16,384 columns)."""
    end = len(row)
    while end and not row[end - 1].strip():
        end -= 1
    return row[:end] if end < len(row) else row


def _csv_records(path: Path, codec: str) -> Iterator[list[str]]:
    """The records of a CSV file (comma- or tab-separated, as its start shows) without their
    trailing empty cells, read from the file as they are needed."""
    with open(path, encoding=codec, newline="") as handle:
        sample = handle.read(8192)
    delimiter = "\t" if sample.count("\t") > sample.count(",") else ","
    with open(path, encoding=codec, newline="") as handle:
        reader = csv.reader(handle, delimiter=delimiter)
        try:
            for row in reader:
                if row and not row[-1].strip():  # (most rows end in a value: nothing to trim)
                    row = _trimmed(row)
                if len(row) > limits.MAX_COLUMNS:
                    raise _too_wide(path, reader.line_num, len(row))
                yield row
        except csv.Error as exc:
            line = reader.line_num
            raise InputError.of("intake.formats.csv_records.line_cannot_be_read", file=path,
                                row=line, line=line, exc=exc, max_cell_chars=limits.MAX_CELL_CHARS) from None


_CELL_REF = re.compile(rb'<c r="([A-Z]{1,3})([0-9]{1,7})"')


def _column_number(letters: bytes) -> int:
    number = 0
    for letter in letters:
        number = number * 26 + letter - 64
    return number


def _column_letters(number: int) -> str:
    letters = ""
    while number:
        number, rest = divmod(number - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


@dataclass
class _SheetMarks:
    """What an .xlsx sheet's XML says that a reader's values do not: its error cells (1-based
    (row, column) -> the error text, e.g. ``#N/A``), its formula cells saved without a value
    (their references, e.g. ``D3``) and its hidden rows (1-based)."""

    errors: dict[tuple[int, int], str] = field(default_factory=dict)
    formulas: list[str] = field(default_factory=list)
    hidden_rows: list[int] = field(default_factory=list)


# Marks an .xlsx sheet can hold, each looked for only in the parts whose bytes contain it (most
# exports have none). Cells are written with their reference first (``<c r="D3" ...>``) by
# Excel, WPS and openpyxl. A formula whose value is the empty text is saved as ``t="str"`` with
# an empty value: that is a value, not a missing one.
_ERROR_CELL = re.compile(rb'<c r="([A-Z]{1,3})([0-9]{1,7})"[^>]*?\st="e"[^>]*>'
                         rb'(?:<f[^>]*/>|<f[^>]*>[^<]*</f>)?<v>([^<]{1,16})</v>')


_BARE_FORMULA = re.compile(rb'<c r="([A-Z]{1,3}[0-9]{1,7})"(?:\s(?:(?!t="str")[^>])*)?(?<!/)>'
                           rb'(?:<f[^>]*/>|<f[^>]*>[^<]*</f>)(?:<v\s*/>|<v></v>)?</c>')


_HIDDEN_ROW = re.compile(rb'<row r="([0-9]{1,7})"[^>]*?\shidden="(?:1|true)"')


def _marks(block: bytes, marks: _SheetMarks) -> None:
    """Add the marks of ``block`` (whole rows of a sheet's XML) to ``marks``."""
    if b't="e"' in block:
        for letters, digits, text in _ERROR_CELL.findall(block):
            marks.errors[(int(digits), _column_number(letters))] = text.decode(
                "utf-8", "replace")
    if b"<f" in block:
        marks.formulas += [ref.decode() for ref in _BARE_FORMULA.findall(block)]
    if b"hidden=" in block:
        marks.hidden_rows += [int(digits) for digits in _HIDDEN_ROW.findall(block)]


def _check_xlsx(path: Path) -> dict[str, _SheetMarks]:
    """Refuse an .xlsx before it is loaded when its sheets would inflate beyond
    :data:`MAX_XLSX_XML_BYTES`, or when a cell lies beyond :data:`MAX_ROWS` rows or
    :data:`MAX_COLUMNS` columns (a stray value at XFD1048576 makes the used range 17 billion
    cells, which a reader would fill in). Streams each part with a cap; never inflates it all.
    Returns each sheet's :class:`_SheetMarks` by sheet name (empty for a file that is not a
    zip: an .xls, or a corrupt file whose reader's own error says so)."""
    import zipfile

    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError):
        return {}
    found: dict[str, _SheetMarks] = {}
    with archive:
        parts = [i for i in archive.infolist() if i.filename.startswith("xl/worksheets/")
                 or i.filename == "xl/sharedStrings.xml"]
        inflated = 0
        for info in parts:
            if inflated + info.file_size > limits.MAX_XLSX_XML_BYTES:
                raise _xlsx_too_big(path)
            last_row = last_column = 0
            tail = edge = b""
            n_rows = 0
            marks = _SheetMarks()
            with archive.open(info) as stream:
                while True:
                    chunk = stream.read(1 << 22)
                    if not chunk:
                        break
                    inflated += len(chunk)
                    if inflated > limits.MAX_XLSX_XML_BYTES:
                        raise _xlsx_too_big(path)
                    if info.filename.startswith("xl/worksheets/"):
                        for letters, digits in _CELL_REF.findall(edge + chunk):
                            last_column = max(last_column, _column_number(letters))
                            last_row = max(last_row, int(digits))
                        edge = chunk[-24:]
                        block = tail + chunk
                        cut = block.rfind(b"</row>") + len(b"</row>")
                        if cut >= len(b"</row>"):
                            n_rows += block.count(b"<row ", 0, cut)
                            _marks(block[:cut], marks)
                            tail = block[cut:]
                        else:
                            tail = block
                        if len(tail) > (1 << 24):  # no row end in 16 MB: not a real sheet
                            tail = tail[-(1 << 20):]
                if tail:
                    _marks(tail, marks)
            found[info.filename] = marks
            n_rows += tail.count(b"<row ")
            if n_rows > limits.MAX_ROWS + limits.HEADER_SCAN_ROWS:
                raise _too_many_rows(path, n_rows)
            if last_row > limits.MAX_ROWS + limits.HEADER_SCAN_ROWS or last_column > limits.MAX_COLUMNS:
                cell = f"{_column_letters(last_column)}{last_row}"
                raise InputError.of("intake.formats.check_xlsx.sheet_has_cells_as", file=path,
                                    cell=cell, last_row=last_row, last_column=last_column,
                                    max_rows=limits.MAX_ROWS, max_columns=limits.MAX_COLUMNS)
        names = _sheet_parts(archive)
    return {name: found[part] for name, part in names.items() if part in found}


def _sheet_parts(archive) -> dict[str, str]:
    """Sheet name -> the zip member holding it, from the workbook and its relationships."""
    import xml.etree.ElementTree as ET

    main = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
    relation = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
    try:
        book = ET.fromstring(archive.read("xl/workbook.xml")[:10_000_000])
        rels = ET.fromstring(archive.read("xl/_rels/workbook.xml.rels")[:10_000_000])
    except (KeyError, ET.ParseError):
        return {}
    targets = {}
    for rel in rels:
        target = rel.get("Target", "")
        target = target.lstrip("/") if target.startswith("/") else f"xl/{target}"
        targets[rel.get("Id")] = target
    return {sheet.get("name", ""): targets.get(sheet.get(relation), "")
            for sheet in book.iter(f"{main}sheet")}


def _xlsx_too_big(path: Path) -> InputError:
    return InputError.of("intake.formats.xlsx_too_big.spreadsheet_sheets_inflate_more", file=path,
                         max_xlsx_xml_bytes=limits.MAX_XLSX_XML_BYTES)


def _cell_text(value: object) -> str:
    if value is None or value is pd.NA:
        return ""
    if isinstance(value, float):
        if math.isnan(value):
            return ""
        if value.is_integer() and abs(value) < 1e15:
            return str(int(value))
        return repr(value)
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return str(value)
