"""The scores export as the clean step reads it: only the columns eduqa uses, block by block, each
repeated text held once; past a size, spread over buckets on disk by student; the schools of its
rows matched to the roster (by code, name or township and name)."""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pandas as pd

from eduqa import catalog
from eduqa.catalog import say
from eduqa.catalog.vocabulary import ID_COLUMNS_SHOWN, SCHOOL_COLUMN_SHOWN
from eduqa.compute.frames import per_value
from eduqa.config.labels import label
from eduqa.config.params import SeasonParams
from eduqa.config.schema import ID_PRIORITY, SCORE_COLUMNS, normalize_text, subject_id
from eduqa.errors import InputError, listed
from eduqa.intake import readers
from eduqa.intake.cells import _norm
from eduqa.intake.records import name_key as _name_key
from eduqa.intake.records import refuse_shared_names
from eduqa.intake.schools import _not_simplified, _school_key
from eduqa.intake.spill import Spill


@dataclass
class _Export:
    """Rows of the scores export as the cleaner holds them: only the columns eduqa uses (the
    frame's index is each row's place in the whole export), their source rows and sheets, and
    which rows are blank in every column, the unused ones included. ``ids``: the normalised
    student ids, when the intake computed them already."""

    frame: pd.DataFrame
    source_row: np.ndarray
    source_sheet: np.ndarray
    blank: np.ndarray
    ids: pd.Series | None = None


@dataclass
class _Intake:
    """The export read: its rows in buckets (one bucket in memory; past ``spill_rows`` rows,
    spread over buckets on disk by a hash of the normalised student id, so that each student's
    rows are in one bucket), and what the file says of itself."""

    buckets: list[Callable[[], _Export]]
    preamble: list[tuple[int, str]]
    encoding: str | None
    notes: list[readers.ReadNote]
    headers: list[str]
    n_rows: int
    first_row: int


#: Buckets of an export spilled to disk (each ~1/64 of the rows: 0.3M rows of a 20M export).
SPILL_BUCKETS = 64


def _intake(reader: readers.RawReader, used: list[str], distinct: str, spill: Spill,
            spill_rows: int, n_buckets: int) -> _Intake:
    """Read ``reader`` block by block: the columns ``used`` (``distinct``, the student id, is
    different in every row and kept as read), each repeated text one shared string (a
    province's export as text is gigabytes; its scores, schools and classes are a few thousand
    distinct strings). Past ``spill_rows`` rows, the rows go to ``n_buckets`` buckets in
    ``spill`` instead (the rows read so far first)."""
    pools: dict[str, dict[str, str]] = {column: {} for column in used if column != distinct}
    parts: dict[str, list[np.ndarray]] = {column: [] for column in used}
    blanks: list[np.ndarray] = []
    rows: list[np.ndarray] = []
    sheets: list[np.ndarray] = []
    n, spilled, first_row = 0, False, None

    def joined(arrays: list, dtype) -> np.ndarray:
        return np.concatenate(arrays) if arrays else np.zeros(0, dtype=dtype)

    def held() -> _Export:
        frame = pd.DataFrame({column: joined(parts[column], object) for column in used})
        return _Export(frame=frame, source_row=joined(rows, np.int64),
                       source_sheet=joined(sheets, object), blank=joined(blanks, bool))

    def to_buckets(export: _Export, start: int) -> None:
        ids = _norm(export.frame[distinct])
        which = pd.util.hash_array(ids.to_numpy(dtype=object)) % np.uint64(n_buckets)
        table = export.frame.assign(
            _index=np.arange(start, start + len(export.frame), dtype=np.int64),
            _row=export.source_row, _sheet=export.source_sheet, _blank=export.blank,
            _id=ids.to_numpy())
        for bucket in np.unique(which):
            spill.append(f"rows-{bucket}", table[which == bucket])

    for block in reader.blocks():
        frame = block.frame
        if first_row is None and len(frame):
            first_row = int(block.source_row[0])
        blank = np.ones(len(frame), dtype=bool)
        for column in frame.columns:
            codes, values = pd.factorize(frame[column], use_na_sentinel=False)
            blank &= np.asarray([normalize_text(v) == "" for v in values], dtype=bool)[codes]
            if spilled:
                continue
            if column in pools:
                pool = pools[column]
                shared = np.asarray([pool.setdefault(v, v) for v in values], dtype=object)
                parts[column].append(shared[codes])
            elif column == distinct:  # (a copy: a view would keep the whole block alive)
                parts[column].append(frame[column].to_numpy(dtype=object, copy=True))
        if spilled:
            to_buckets(_Export(frame=frame[used], source_row=np.asarray(block.source_row,
                                                                        dtype=np.int64),
                               source_sheet=np.asarray(block.source_sheet, dtype=object),
                               blank=blank), n)
        else:
            blanks.append(blank)
            rows.append(np.asarray(block.source_row, dtype=np.int64))
            sheets.append(np.asarray(block.source_sheet, dtype=object))
        n += len(frame)
        if not spilled and n > spill_rows:
            spilled = True
            to_buckets(held(), 0)
            pools.clear()
            for column in parts:
                parts[column] = []
            blanks.clear()
            rows.clear()
            sheets.clear()
    buckets: list[Callable[[], _Export]]
    if spilled:
        buckets = [functools.partial(_bucket, spill, name, used)
                   for name in sorted(spill.names(), key=lambda text: int(text.split("-")[1]))]
    else:
        buckets = [functools.partial(lambda export: export, held())]
    return _Intake(buckets=buckets, preamble=reader.preamble, encoding=reader.encoding,
                   notes=reader.notes,
                   headers=list(reader.header), n_rows=n,
                   first_row=first_row if first_row is not None else 0)


def _bucket(spill: Spill, name: str, used: list[str]) -> _Export:
    """A bucket's rows read back from disk as an :class:`_Export`."""
    table = spill.read(name)
    index = pd.Index(table["_index"].to_numpy(np.int64))
    frame = pd.DataFrame({column: table.pop(column).array for column in used})  # (Arrow text)
    frame.index = index
    return _Export(frame=frame, source_row=table["_row"].to_numpy(np.int64),
                   source_sheet=table["_sheet"].to_numpy(dtype=object),
                   blank=table["_blank"].to_numpy(bool),
                   ids=pd.Series(table["_id"].to_numpy(dtype=object), index=index, dtype=object))


def _read_scores(params: SeasonParams):
    aliases = dict(SCORE_COLUMNS)
    reader = readers.open_raw_table(params.scores_file, aliases, min_hits=2, what="scores file")
    headers = list(reader.header)
    found = readers.map_columns(headers, aliases)
    subject_columns: dict[str, str] = {}
    for header in headers:
        canonical = subject_id(header)
        if canonical is not None and canonical not in subject_columns and header not in (
                found.get("subject"), found.get("score")):
            subject_columns[canonical] = header
    layout = "long" if "subject" in found and "score" in found else "wide"
    id_field = next((f for f in ID_PRIORITY if f in found), None)
    shown = listed(headers)
    if id_field is None:
        raise InputError.of("intake.export.read_scores.no_student_id_column",
                            file=params.scores_file, column=ID_COLUMNS_SHOWN, shown=shown)
    if "school_name" not in found and "school_code" not in found:
        raise InputError.of("intake.export.read_scores.no_school_column", file=params.scores_file,
                            column=SCHOOL_COLUMN_SHOWN, shown=shown)
    absent = [s for s in params.subjects if s not in subject_columns]
    if layout == "wide" and absent:
        names = [label(subject) for subject in absent]
        raise InputError.of("intake.export.read_scores.no_column" if len(absent) == 1
                            else "intake.export.read_scores.no_columns",
                            file=params.scores_file, column=catalog.joined(names),
                            names=names, n=len(absent), first=names[0], first_id=absent[0],
                            described=[f"{label(s)} ({s})" for s in absent],
                            params_name=params.source.name, shown=shown)
    # the columns the cleaner reads: not the names, nor the ids other than the one used
    wanted = {found[c] for c in ("school_code", "school_name", "township", "class", "subject",
                                 "score") if c in found} | {found[id_field]} | {
        header for subject, header in subject_columns.items()
        if subject == "total" or subject in params.subjects}
    used = [header for header in headers if header in wanted]
    return reader, used, found, subject_columns, id_field, layout


def _resolve_schools(table: _Export, found, lookup, has_id, path=None):
    """school_code per row ('' when the cell is blank), the rows matched through an alias, the
    school cells as read, and the school names not in the roster (with the place in the
    export and the source row of each one's first row).

    Rows without a student id (footers such as 合计 / 平均分) are excluded anyway, so their
    school cell is not checked against the roster."""
    column = found.get("school_code") or found["school_name"]
    values = pd.Series(per_value(table.frame[column], _school_key), index=table.frame.index)
    if "school_code" in found and "school_name" in found:
        # prefer the code, fall back to the name where the code is blank
        names = pd.Series(per_value(table.frame[found["school_name"]], _school_key),
                          index=table.frame.index)
        values = values.where(values != "", names)
    values = values.where(has_id.to_numpy(), "")
    values, by_township, towns = _by_township(values, table, found, lookup)
    refuse_shared_names(lookup, values.to_numpy(), table.frame[column].to_numpy(),
                        table.source_row, file=path, column=column, townships=towns)
    unique = pd.unique(values)
    resolved = {v: lookup.get(v) for v in unique if v != ""}
    unknown = {}
    for v in (v for v, hit in resolved.items() if hit is None):
        at = int(np.argmax(values.to_numpy() == v))
        unknown[v] = (int(values.index[at]), int(table.source_row[at]))
        resolved[v] = ("", False)
    code = pd.Series(per_value(values, lambda v: resolved[v][0] if v else ""),
                     index=values.index)
    by_alias = pd.Series(per_value(values, lambda v: bool(v) and resolved[v][1], dtype=bool),
                         index=values.index)
    return code, by_alias, by_township, table.frame[column], unknown


def _by_township(values: pd.Series, table: _Export, found, lookup):
    """Rows naming a school by a name two roster schools share (中心小学 in two townships)
    resolved by the export's township column where it names one of them: the rows' keys
    (the school's code for those), which rows were so resolved, and the township cells
    (None without a township column)."""
    resolved = pd.Series(False, index=values.index)
    if "township" not in found:
        return values, resolved, None
    towns = table.frame[found["township"]]
    if not lookup.shared:
        return values, resolved, towns
    shared = values.isin(list(lookup.shared)).to_numpy()
    if not shared.any():
        return values, resolved, towns
    owner = {(name, _name_key(town)): _name_key(code)
             for name, owners in lookup.shared.items() for code, _, town in owners}
    town_keys = per_value(towns[shared], _school_key)
    picked = [owner.get((name, town), name) for name, town in zip(values[shared], town_keys)]
    values = values.copy()
    before = values[shared].to_numpy()
    values[shared] = picked
    resolved[shared] = np.asarray(picked, dtype=object) != before
    return values, resolved, towns


def _unknown_schools(unknown: dict[str, tuple[int, int]], found, source_file, roster_path):
    """Raise the error that names the school names not in the roster (``unknown``: each
    one's place in the export and source row of its first row)."""
    if not unknown:
        return
    column = found.get("school_code") or found["school_name"]
    first_rows = {v: row for v, (_, row) in sorted(unknown.items(), key=lambda i: i[1][0])}

    def odd(v, language):
        chars = _not_simplified(v)
        return say("intake.export.unknown_schools.odd", language, chars=chars) if chars else ""

    first_ten = sorted(first_rows.items(), key=lambda item: item[1])[:10]
    listed, listed_zh = ([say("intake.export.unknown_schools.name", language, name=v, row=r,
                              odd=odd(v, language)) for v, r in first_ten]
                         for language in ("en", "zh"))
    more, more_zh = ((say("intake.export.unknown_schools.more", language,
                          more=len(unknown) - 10) if len(unknown) > 10 else "")
                     for language in ("en", "zh"))
    raise InputError.of("intake.export.unknown_schools.school_name_not_school", file=source_file,
                        row=min(first_rows.values()), column=column, n_unknown=len(unknown),
                        listed=listed, more=more, listed_zh=listed_zh, more_zh=more_zh,
                        roster_path=roster_path)
