"""The clean step: raw exports -> validated, long, privacy-safe processed data (DESIGN §4).

Every change to a cell and every row that is not used is written to the cleaning log with its
source file, source row, column, original value, action and reason, so that

    raw data rows in = rows kept + rows logged as excluded (action ``exclude_row``)

always holds. Student names are dropped on reading; raw ids are replaced by a keyed hash.
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
import re
import shutil
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from eduqa.compute import parquet
from eduqa.compute.frames import lookup, per_value, plain_columns
from eduqa.config.labels import label
from eduqa.config.params import SeasonParams
from eduqa.config.paths import relative
from eduqa.config.schema import (
    CATEGORIES,
    ID_PRIORITY,
    ROSTER_COLUMNS,
    SCHOOL_TYPE_LEVELS,
    SCORE_COLUMNS,
    STAFFING_COLUMNS,
    STATUSES,
    TARGET_COLUMNS,
    normalize_text,
    subject_id,
    urban_rural_category,
)
from eduqa.config.settings import EngineSettings
from eduqa.errors import InputError, listed
from eduqa.indicators.staffing import staffing_indicators
from eduqa.intake import readers as io
from eduqa.intake.records import (
    _NUMBER_TEXT,
    LOG_COLUMNS,
    LOGGABLE_MAX,
    log_frame,
    refuse_shared_names,
    student_key,
)
from eduqa.intake.records import duplicates as _duplicates
from eduqa.intake.records import loggable as _loggable
from eduqa.intake.records import name_key as _name_key
from eduqa.intake.records import school_lookup as _school_lookup
from eduqa.intake.records import status_marker as _status_marker
from eduqa.intake.spill import Spill

__all__ = [
    "CleanResult",
    "clean_season",
    "write_processed",
    "student_key",
    "read_roster",
    "DEMO_SALT",
    "LOG_COLUMNS",
    "resolve_salt",
]

#: Key used for the student hash when ``EDUQA_SALT`` is not set. Fine for the demo county; a real
#: county must set its own secret so that hashes cannot be recomputed from ids by outsiders.
DEMO_SALT = "eduqa-demo-salt-not-secret"
#: School codes of the bundled demo county and of eduqa's synthetic benchmark projects.
_SYNTHETIC_CODE = re.compile(r"36102\d{5}|9\d{9}")


def resolve_salt(salt: str | None, roster: pd.DataFrame, roster_path: Path) -> str:
    """The key of the student hash: ``salt``, else ``$EDUQA_SALT``; the public demo key only
    for the bundled demo county (every school code synthetic) or when ``EDUQA_DEMO_KEY=1``
    (``eduqa --demo-key``) says so. Keys made with the public demo key can be reversed by
    hashing every plausible 学籍号, so a real county without a key of its own is refused."""
    chosen = salt or os.environ.get("EDUQA_SALT") or ""
    if chosen:
        return chosen
    codes = roster["school_code"].astype(str)
    if codes.map(lambda code: bool(_SYNTHETIC_CODE.fullmatch(code))).all():
        return DEMO_SALT
    if os.environ.get("EDUQA_DEMO_KEY") == "1":
        return DEMO_SALT
    raise InputError(
        "EDUQA_SALT is not set, and this is not the bundled demo county: student keys made "
        "with the public demo key could be reversed by anyone who hashes every plausible "
        "student id", file=roster_path,
        hint="set a secret key of the county's own before cleaning, e.g. "
             "export EDUQA_SALT='a long random phrase' (keep it safe and use the same one every "
             "season, or students will not link across seasons); for a trial run only, pass "
             "--demo-key",
        zh="没有设置密钥 EDUQA_SALT，而这不是自带的示范县：用公开的演示密钥生成的学生编号，任何人都可以"
           "用所有可能的学籍号逐一试算而还原",
        hint_zh="请先设置本县自己的密钥，例如 export EDUQA_SALT='一段足够长的随机文字'（妥善保管，"
                "每个考试季都用同一个，否则学生无法跨学期匹配）；仅作试运行时可加 --demo-key")
#: Version of the layout of data/processed: a change (e.g. a new log column) makes every season's
#: processed data stale, so it is cleaned again rather than read in the old layout.
PROCESSED_FORMAT = 3  # 3: scores and students in parts of whole schools

#: The cleaning log: where (file, row, column, original value), what was done (``action``), why
#: in a machine-readable code (``kind``, a key of :data:`eduqa.indicators.quality.KIND_LABELS`, with its
#: parameters as JSON in ``detail``), and the same in an English sentence (``reason``).
_SCORE_COLUMNS = ["student_key", "school_code", "class", "subject", "score", "status"]


@dataclass
class CleanResult:
    """Everything the clean step produces for one season.

    ``scores`` and ``students`` are held in memory, or — from an export cleaned through disk —
    stored as partitioned Parquet in the folder ``stored`` and read when first asked for."""

    held: dict[str, pd.DataFrame]
    schools: pd.DataFrame
    targets: pd.DataFrame
    log: pd.DataFrame
    n_rows_in: int
    layout: str
    salt_is_demo: bool
    staffing_subjects: pd.DataFrame | None = None
    summary: dict = field(default_factory=dict)
    #: The paper analysis's tables, by name (``items-<subject>``, ``choices-<subject>``,
    #: ``blueprint-<subject>`` and ``items_log``), for the subjects with item scores; the item
    #: rows have their own accounting (``summary["items"]``), apart from the score export's;
    #: and ``teachers`` (任课安排, keyed teacher codes) when the season has the file.
    papers: dict[str, pd.DataFrame] = field(default_factory=dict)
    #: the folder of ``scores.parquet`` and ``students.parquet`` when they are not held
    stored: Path | None = None
    #: :func:`score_facts` of the scores (computed from them when not given)
    facts: dict | None = None

    @property
    def scores(self) -> pd.DataFrame:
        return self._table("scores")

    @property
    def students(self) -> pd.DataFrame:
        return self._table("students")

    def _table(self, name: str) -> pd.DataFrame:
        if name not in self.held:
            if self.stored is None:
                raise KeyError(name)
            self.held[name] = parquet.read_parquet(self.stored / f"{name}.parquet",
                                              categories=CATEGORIES.get(name, ()))
        return self.held[name]

    def score_facts(self) -> dict:
        """:func:`score_facts` of the scores, without reading stored scores."""
        if self.facts is None:
            self.facts = score_facts(self.scores)
        return self.facts

    @property
    def n_rows_excluded(self) -> int:
        return int((self.log["action"] == "exclude_row").sum())

    @property
    def n_rows_kept(self) -> int:
        return self.n_rows_in - self.n_rows_excluded


# ---------------------------------------------------------------------------------------------
# small pure helpers


def _norm(values: pd.Series) -> pd.Series:
    """:func:`normalize_text` of every cell, as a Series on the same index."""
    return pd.Series(per_value(values, normalize_text), index=values.index, dtype=object)


def _parse_cell(text: str) -> tuple[float, str, str | None, str | None, str | None]:
    """(score, status, action, kind, reason) of one raw score cell; action is None when
    unchanged."""
    normal = normalize_text(text)
    if normal == "":
        return np.nan, "absent", "status", "blank_cell_absent", "blank score cell: counted as absent"
    marker = _status_marker(normal)
    if marker is not None:
        return np.nan, marker, "status", "status_marker", f"marker '{normal}' means {marker}"
    match = _NUMBER_TEXT.match(normal)
    if match:
        value = float(match.group(1))
        if normal != text:
            return (value, "sat", "recode", "text_recoded",
                    f"text '{text}' read as {match.group(1)}")
        if normal != match.group(1):
            return (value, "sat", "recode", "text_recoded",
                    f"unit removed: '{text}' read as {match.group(1)}")
        return value, "sat", None, None, None
    return (np.nan, "invalid", "set_invalid", "not_a_score",
            f"{_loggable(text, quoted=True)} is not a score or a known status marker")


# ---------------------------------------------------------------------------------------------
# the school roster


def read_roster(path: Path) -> pd.DataFrame:
    """Read ``schools.csv`` into canonical columns, one row per school.

    Returns columns school_code, school_name, aliases, township, urban_rural (urban / town /
    rural), urban_rural_raw, school_type, boarding (bool), enrollment (float, NaN when absent).
    """
    table = io.read_raw_table(path, ROSTER_COLUMNS, min_hits=3, what="school roster")
    found = io.map_columns(list(table.frame.columns), ROSTER_COLUMNS)
    for required in ("school_code", "school_name", "township", "urban_rural", "school_type"):
        if required not in found:
            raise InputError(
                f"the school roster has no '{required}' column ({label(required)})",
                file=path, column=ROSTER_COLUMNS[required][1],
                hint="columns found: " + ", ".join(table.frame.columns),
                zh=f"学校名单缺少“{label(required)}”列（{required}）",
                hint_zh="请补上这一列；现有的列：" + "、".join(table.frame.columns))
    frame = pd.DataFrame({key: table.frame[col].map(normalize_text) for key, col in found.items()})
    frame["_row"] = table.source_row
    frame = frame[frame["school_code"] != ""]
    duplicated = frame["school_code"].duplicated(keep=False)
    if duplicated.any():
        first = frame[duplicated].iloc[0]
        raise InputError(f"school code {first['school_code']} appears more than once",
                         file=path, row=int(first["_row"]), column=found["school_code"],
                         hint="give every school one row",
                         zh=f"学校代码 {first['school_code']} 出现了不止一次",
                         hint_zh="每所学校只占一行")
    frame["urban_rural_raw"] = frame["urban_rural"]
    frame["urban_rural"] = frame["urban_rural"].map(urban_rural_category)
    bad = frame[frame["urban_rural"].isna()]
    if len(bad):
        row = bad.iloc[0]
        raise InputError(f"unknown urban-rural type '{row['urban_rural_raw']}'", file=path,
                         row=int(row["_row"]), column=found["urban_rural"],
                         hint="use 城区, 镇区 or 乡村, or the national code 111-220",
                         zh=f"无法识别的城乡类型“{row['urban_rural_raw']}”",
                         hint_zh="请填写 城区、镇区 或 乡村，或国家统计用城乡分类代码 111–220")
    bad = frame[~frame["school_type"].isin(list(SCHOOL_TYPE_LEVELS))]
    if len(bad):
        row = bad.iloc[0]
        raise InputError(f"unknown school type '{row['school_type']}'", file=path,
                         row=int(row["_row"]), column=found["school_type"],
                         hint="use one of " + ", ".join(SCHOOL_TYPE_LEVELS),
                         zh=f"无法识别的学校类型“{row['school_type']}”",
                         hint_zh="请填写以下之一：" + "、".join(SCHOOL_TYPE_LEVELS))
    if "aliases" not in frame:
        frame["aliases"] = ""
    if "boarding" in frame:
        frame["boarding"] = frame["boarding"].isin(["是", "yes", "Yes", "Y", "1", "true", "True"])
    else:
        frame["boarding"] = False
    if "enrollment" in frame:
        frame["enrollment"] = pd.to_numeric(frame["enrollment"], errors="coerce")
    else:
        frame["enrollment"] = np.nan
    columns = ["school_code", "school_name", "aliases", "township", "urban_rural",
               "urban_rural_raw", "school_type", "boarding", "enrollment"]
    return frame[columns].sort_values("school_code").reset_index(drop=True)


#: (the school cells of every bucket of a spilled export hold most schools' names: each name's
#: key and invisible characters are worked out once)
_school_key = functools.lru_cache(maxsize=1 << 17)(_name_key)


@functools.lru_cache(maxsize=1 << 17)
def _invisible_listed(text: object) -> str:
    return ", ".join(_invisible(text))


def _invisible(text: object) -> list[str]:
    """Invisible format characters in a value (zero-width space U+200B, BOM U+FEFF, joiners,
    direction marks: Unicode category Cf), as U+XXXX codes."""
    return sorted({f"U+{ord(ch):04X}" for ch in str(text) if unicodedata.category(ch) == "Cf"})


def _not_simplified(name: str) -> str:
    """The characters of a name outside GB2312 (traditional or rare forms such as 學, 實), which
    a roster written in simplified characters will not match."""
    odd = []
    for ch in dict.fromkeys(name):
        if "\u4e00" <= ch <= "\u9fff":
            try:
                ch.encode("gb2312")
            except UnicodeEncodeError:
                odd.append(ch)
    return "、".join(odd)


# ---------------------------------------------------------------------------------------------
# scores


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
    notes: list[io.ReadNote]
    headers: list[str]
    n_rows: int
    first_row: int


#: Buckets of an export spilled to disk (each ~1/64 of the rows: 0.3M rows of a 20M export).
SPILL_BUCKETS = 64


def _intake(reader: io.RawReader, used: list[str], distinct: str, spill: Spill,
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
    reader = io.open_raw_table(params.scores_file, aliases, min_hits=2, what="scores file")
    headers = list(reader.header)
    found = io.map_columns(headers, aliases)
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
        raise InputError("no student id column", file=params.scores_file, column="学籍号/考号",
                         hint="the export needs a column such as 学籍号, 学号 or 考号; columns "
                              f"found: {shown}",
                         zh="成绩表中没有学生编号列",
                         hint_zh=f"导出的成绩表需要 学籍号、学号 或 考号 等列；现有的列：{shown}")
    if "school_name" not in found and "school_code" not in found:
        raise InputError("no school column", file=params.scores_file, column="学校",
                         hint=f"the export needs a column 学校 or 学校代码; columns found: {shown}",
                         zh="成绩表中没有学校列",
                         hint_zh=f"导出的成绩表需要“学校”或“学校代码”列；现有的列：{shown}")
    absent = [s for s in params.subjects if s not in subject_columns]
    if layout == "wide" and absent:
        names = [label(subject) for subject in absent]
        one = len(absent) == 1
        raise InputError(
            f"the score column for {names[0]} ({absent[0]}) is missing" if one else
            f"the score columns of {len(absent)} subjects are missing: "
            + ", ".join(f"{label(s)} ({s})" for s in absent),
            file=params.scores_file, column="、".join(names),
            hint=f"add the column(s), or remove {', '.join(names)} from subjects in "
                 f"{params.source.name}; columns found: {shown}",
            zh=f"缺少{names[0]}的成绩列" if one else
            f"缺少 {len(absent)} 个学科的成绩列：{'、'.join(names)}",
            hint_zh=f"请补上这些列，或从 {params.source.name} 的 subjects 中删去"
                    f"{'、'.join(names)}；现有的列：{shown}")
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

    def odd_en(v):
        chars = _not_simplified(v)
        return f", with traditional or rare characters {chars}" if chars else ""

    def odd_zh(v):
        chars = _not_simplified(v)
        return f"，其中 {chars} 是繁体字或生僻字，名单按简体书写时不会匹配" if chars else ""

    listed = "; ".join(f"'{v}' (first at row {r}{odd_en(v)})" for v, r in sorted(
        first_rows.items(), key=lambda item: item[1])[:10])
    more = f" and {len(unknown) - 10} more" if len(unknown) > 10 else ""
    listed_zh = "；".join(f"“{v}”（首次出现在第 {r} 行{odd_zh(v)}）" for v, r in sorted(
        first_rows.items(), key=lambda item: item[1])[:10])
    more_zh = f"等，另有 {len(unknown) - 10} 个" if len(unknown) > 10 else ""
    raise InputError(
        f"{len(unknown)} school name(s) are not in the school roster: {listed}{more}",
        file=source_file, row=min(first_rows.values()), column=column,
        hint=f"add each as a school, or as an alias (column 'aliases', '|'-separated) of the "
             f"right school, in {roster_path}",
        zh=f"有 {len(unknown)} 个学校名称不在学校名单中：{listed_zh}{more_zh}",
        hint_zh=f"在 {roster_path} 中把它们作为新学校加入，或加到对应学校的别名列 aliases "
                "（多个别名用 | 分隔）")


def clean_season(params: SeasonParams, *, salt: str | None = None,
                 part_rows: int | None = None, spill_rows: int | None = None,
                 buckets: int | None = None) -> CleanResult:
    """Clean one season's raw files into the processed frames of DESIGN §4.

    Parameters
    ----------
    params : SeasonParams
        The validated season parameters (see :func:`eduqa.config.params.load_season`).
    salt : str, optional
        Key of the student hash; default ``$EDUQA_SALT``; :data:`DEMO_SALT` only for the demo
        county or with ``EDUQA_DEMO_KEY=1`` (see :func:`resolve_salt`).
    part_rows : int, optional
        The cells are parsed and totalled a part of whole schools at a time, of about this
        many rows of the scores table (default: ``dask.partition_rows`` of county.yaml); the
        result does not depend on it.
    spill_rows, buckets : int, optional
        An export of more than ``spill_rows`` rows (default: ``dask.spill_rows`` of
        county.yaml, 2,000,000) is cleaned through disk: its rows are spread over ``buckets`` buckets (default
        :data:`SPILL_BUCKETS`) by a hash of the student id and worked a bucket at a time, then
        a part of whole schools at a time, in a work folder beside the season's processed
        folder; the scores and students are then not held in memory but written as parts
        (read on demand, moved into place by :func:`write_processed`). The result does not
        depend on either.

    Returns
    -------
    CleanResult
        ``scores`` (long: student_key, school_code, class, subject, score, status — the total is
        the subject ``total``), ``students``, ``schools``, ``targets``, ``log`` and counts;
        ``staffing_subjects`` (per school and subject: shortage, shortage_rate,
        out_of_field_share) when the staffing file has a subject column.

    Notes
    -----
    Rules, each logged where it applies:

    - blank rows, rows without a student id or a school are excluded;
    - a student id on several rows (in a long export: id and subject): identical rows are kept
      once; rows that disagree are all excluded, since eduqa cannot tell which is right;
    - score cells are read as text: full-width digits, spaces and a trailing 分 are recoded; the
      markers 缺考/缺/缺席 (absent), 作弊/违纪 (voided), 免考 (exempt) set the status; a blank
      cell is absent, unless a school has no score at all in that subject (not examined there,
      and then not counted); scores below 0 or above full marks, and other text, are invalid;
    - the total (subject ``total``) is recomputed from the subjects; a 总分 column in the export
      is only checked against it. Its status is ``sat`` only when every subject was sat,
      otherwise the first of voided, invalid, absent, exempt found among the subjects.
    """
    import weakref

    root = params.project.root
    roster_path = root / params.county.roster
    roster = read_roster(roster_path)
    salt = resolve_salt(salt, roster, roster_path)
    reader, used, found, subject_columns, id_field, layout = _read_scores(params)
    source = relative(params.scores_file, root)
    work = params.project.processed / f".work-{params.season}-{os.getpid()}"
    disk = Spill(work / "spill")
    try:
        intake = _intake(reader, used, found[id_field], disk,
                         params.county.engine.spill_rows if spill_rows is None else spill_rows,
                         SPILL_BUCKETS if buckets is None else buckets)
        spilled = bool(disk.names())
        result = _clean_rows(params, intake, found, subject_columns, id_field, layout, roster,
                             roster_path, salt, source, disk if spilled else Spill(),
                             work if spilled else None, part_rows)
    except BaseException:
        disk.remove()
        shutil.rmtree(work, ignore_errors=True)
        raise
    disk.remove()
    if spilled:  # the parts stay until the result is let go (or moved by write_processed)
        weakref.finalize(result, shutil.rmtree, work, True)
    return result


@dataclass
class _Rows:
    """What one bucket of the export's rows gives (its logs each with ``_order``, the row's
    place in the export)."""

    logs: list[pd.DataFrame]  # excluded rows, invisible characters, aliases
    reasons: pd.DataFrame  # per exclusion reason: rows, first place
    unknown: dict  # school names not in the roster: (first place, its source row)
    classes: pd.DataFrame  # per class spelling: label, first place, kept rows
    subjects: set  # (long) the subjects of the kept rows


def _clean_rows(params, intake: _Intake, found, subject_columns, id_field, layout, roster,
                roster_path, salt, source, store: Spill, work: Path | None,
                part_rows: int | None) -> CleanResult:
    """The clean step on the rows read: first each bucket's rows (exclusions, duplicates,
    classes, keys: all a matter of one student's rows), then what the whole export decides
    (school names not in the roster, subjects not examined at a school, each student's school
    and the parts), then each part's cells parsed, summed into totals and put in order — the
    same tables and log, whatever the buckets and the part size (at province scale the cells of
    every row at once are gigabytes). With ``work``, the parts' tables are written there."""
    root = params.project.root
    if intake.n_rows == 0:
        raise InputError("the scores file has no student rows below the header",
                         file=params.scores_file,
                         hint="export the scores again; the file holds only the header",
                         zh="成绩表在表头下面没有学生数据",
                         hint_zh="请重新导出成绩；该文件只有表头")
    wide = layout == "wide"
    logs: list[pd.DataFrame] = [_column_log(intake, found, subject_columns, id_field, params,
                                            source)]
    headers = [subject_columns[s] for s in params.subjects] if wide else [found["score"]]
    lookup_schools = _school_lookup(roster)
    names = dict(zip(roster.school_code, roster.school_name))
    pieces = []
    counts = None
    for number, bucket in enumerate(intake.buckets):
        rows, kept = _rows_of(params, bucket(), found, subject_columns, id_field, layout,
                              headers, lookup_schools, names, salt, source)
        # (each bucket has cells of most schools: the counts are added up as they come)
        here = _cell_counts(kept, params, headers, wide)
        counts = _merged_counts([here] if counts is None else [counts, here])
        store.append(f"kept-{number}", kept)
        del kept
        pieces.append(rows)
    unknown: dict = {}
    for rows in pieces:
        for value, (place, row) in rows.unknown.items():
            if value not in unknown or place < unknown[value][0]:
                unknown[value] = (place, row)
    _unknown_schools(unknown, found, params.scores_file, relative(roster_path, root))
    reasons = pd.concat([rows.reasons for rows in pieces]).groupby("reason", sort=False).agg(
        n=("n", "sum"), first=("first", "min"))
    if reasons["n"].sum() == intake.n_rows:
        reasons = reasons.sort_values("first").sort_values("n", ascending=False, kind="stable")
        listed = "; ".join(f"{reason} ({n} rows)" for reason, n in reasons["n"].head(3).items())
        raise InputError(
            f"no usable student rows: all {intake.n_rows} rows are excluded ({listed})",
            file=params.scores_file, row=intake.first_row,
            hint="check that the file is the score export and that its rows carry a student "
                 "id and a school",
            zh=f"没有可用的学生数据：全部 {intake.n_rows} 行都被排除（{listed}）",
            hint_zh="请确认这是成绩导出文件，且每行都有学生编号和学校")
    for section in range(len(pieces[0].logs) if pieces else 0):
        logs.append(_in_log_order([rows.logs[section] for rows in pieces]))
    logs.append(_class_log(pd.concat([rows.classes for rows in pieces]), found.get("class"),
                           source))
    subjects = list(params.subjects) if wide else sorted(set().union(
        *[rows.subjects for rows in pieces]))
    plan = _plan(counts, subjects, headers, wide)
    logs.append(plan.log)
    del pieces
    # each student's school (that of their first cell left) and the parts of whole schools
    vanished = []
    size = pd.Series(dtype=np.int64)
    n_buckets = len(intake.buckets)
    for number in range(n_buckets):
        kept = store.read(f"kept-{number}")
        if kept.empty:  # (a bucket of excluded rows only)
            continue
        alive, sizes, gone = _homes(kept, plan, subjects, wide)
        del kept
        store.append(f"alive-{number}", alive)
        size = sizes if size.empty else size.add(sizes, fill_value=0).astype(np.int64)
        vanished.append(gone)
    if not size.sum():
        raise InputError("the scores file holds no scores: every score cell is blank",
                         file=params.scores_file,
                         hint="export the scores again; this looks like an empty template",
                         zh="成绩表中没有任何成绩：所有成绩格都是空的",
                         hint_zh="请重新导出成绩；这个文件看起来是空白模板")
    limit = params.county.engine.partition_rows if part_rows is None else part_rows
    part_of, part, filled = {}, 0, 0
    for school, n in sorted(size.items(), key=lambda item: str(item[0])):
        if filled and filled + n > limit:
            part, filled = part + 1, 0
        part_of[school], filled = part, filled + int(n)
    for number in range(n_buckets):
        alive = store.read(f"alive-{number}")
        which = alive.pop("_home").map(part_of).to_numpy(np.int64) if len(alive) else \
            np.zeros(0, dtype=np.int64)
        for index in np.unique(which):
            store.append(f"part-{index}", alive[which == index])
        del alive
    # each part's cells parsed, totalled and put in order
    stated = subject_columns.get("total") if wide else None
    tables, cell_logs, total_logs, tallies, counts = [], [], [], [], []
    facts: dict = {}
    for index in range(part + 1):
        # (the part's rows bucket by bucket: each student's rows in order in one bucket; the
        # logs are merged by place, the table is put in order below)
        rows = store.read(f"part-{index}")
        table, cell_log, tally, total_log = _part_scores(params, rows, plan, subjects, headers,
                                                         wide, intake.n_rows, stated)
        del rows
        cell_logs.append(cell_log)
        tallies.append(tally)
        total_logs.extend(total_log)
        if work is None:
            tables.append(table)
            continue
        students = _students_of(table)
        parquet.write_part(table, work / "scores.parquet" / f"part-{index:05d}.parquet")
        parquet.write_part(students, work / "students.parquet" / f"part-{index:05d}.parquet")
        facts = merge_score_facts(facts, score_facts(table))
        counts.append(students.groupby("school_code").size())
        del table, students
    logs.append(_in_log_order(cell_logs))
    # a row whose every cell fell under "not examined" (its school has no score at all in
    # those subjects) is not a student of this exam: excluded, and said so
    logs.append(_in_log_order(vanished))
    logs.append(_in_log_order(total_logs))
    if work is None:
        scores = _stacked(tables)
        del tables
        held = {"scores": scores, "students": _students_of(scores)}
        count = held["students"].groupby("school_code").size()
    else:
        held = {}
        count = pd.concat(counts).groupby(level=0).sum() if counts else pd.Series(dtype=int)
    schools, staffing_subjects, staffing_logs = _schools_frame(params, roster, count)
    logs.extend(staffing_logs)
    targets = _read_targets(params, roster)
    log = log_frame(logs)
    result = CleanResult(held=held, schools=schools, targets=targets, log=log,
                         n_rows_in=intake.n_rows, layout=layout,
                         salt_is_demo=salt == DEMO_SALT, staffing_subjects=staffing_subjects,
                         stored=work, facts=facts if work is not None else None)
    papers, paper_counts = _clean_papers(params, result, salt)
    if params.teachers_file is not None:
        from eduqa.intake.teachers import read_teachers

        # keyed codes only: names are stored only when county.yaml asks for them
        # (classes.teacher_names, for internal use)
        papers["teachers"] = read_teachers(
            params.teachers_file, roster, salt,
            keep_names=params.county.classes.teacher_names)
    result.papers = papers
    result.summary = {
        "rows_in": result.n_rows_in, "rows_kept": result.n_rows_kept,
        "rows_excluded": result.n_rows_excluded, "students": int(count.sum()),
        "schools": int((count > 0).sum()), "layout": layout,
        "encoding": intake.encoding, "subjects": list(params.subjects),
        "not_examined": plan.not_examined,
        "above_full_marks": _above_full_marks(tallies, subjects),
    }
    if paper_counts:
        result.summary["items"] = paper_counts
    return result


def _students_of(scores: pd.DataFrame) -> pd.DataFrame:
    """One row per student: key, school, class (in the scores' order)."""
    return plain_columns(scores[["student_key", "school_code", "class"]]
                         .drop_duplicates("student_key").reset_index(drop=True))


def _rows_of(params, table: _Export, found, subject_columns, id_field, layout, headers,
             lookup_schools, names, salt, source) -> tuple[_Rows, pd.DataFrame]:
    """Phase one, on one bucket of the export's rows (each student's rows all in it): why each
    row is excluded, the schools and classes read; and the kept rows with their keys (the
    texts of the score cells as _cell0, _cell1 …)."""
    raw = table.frame
    index = raw.index
    place = index.to_numpy(np.int64)
    rows = pd.Series(table.source_row, index=index, dtype="int64")
    if len(table.source_sheet) and table.source_sheet[0] is not None:
        source_of_row = pd.Series([f"{source}[{s}]" for s in table.source_sheet], index=index)
    else:
        source_of_row = pd.Series(source, index=index)
    id_column = found[id_field]
    normal = {column: table.ids if column == id_column and table.ids is not None
              else _norm(raw[column]) for column in raw.columns}
    raw_id = normal[id_column]
    school_code, by_alias, by_township, school_text, unknown = _resolve_schools(
        table, found, lookup_schools, has_id=raw_id != "", path=params.scores_file)
    klass = normal[found["class"]] if "class" in found else pd.Series("", index=index)

    # why each row is excluded ('' = kept; its kind code beside it); checks in order, first
    # reason wins
    excluded = pd.Series("", index=index)
    excluded_kind = pd.Series(None, index=index, dtype=object)
    blank = pd.Series(table.blank, index=index)
    for mask, reason, kind in ((blank, "blank row", "blank_row"),
                               (raw_id == "", "no student id", "no_student_id"),
                               (school_code == "", "no school", "no_school")):
        mask = mask & (excluded == "")
        excluded[mask], excluded_kind[mask] = reason, kind
    subject = None
    if layout == "wide":
        extra_reason, extra_kind = _wide_duplicates(params, normal, rows, excluded, raw_id,
                                                    subject_columns)
    else:
        extra_reason, extra_kind, subject = _long_duplicates(params, normal, rows, excluded,
                                                             raw_id, found)
    # the normalised texts are done with (the duplicates are decided), but for the export's
    # own 总分, checked against the sum
    stated = normal[subject_columns["total"]] if layout == "wide" and \
        "total" in subject_columns else None
    del normal
    excluded_kind = excluded_kind.where(excluded != "", extra_kind)
    excluded = excluded.where(excluded != "", extra_reason)
    dropped = excluded != ""
    gone = dropped.to_numpy()
    reasons = pd.DataFrame({"reason": excluded[dropped].to_numpy(), "first": place[gone]}) \
        .groupby("reason", sort=False).agg(n=("first", "size"), first=("first", "min")) \
        .reset_index()
    logs = [pd.DataFrame({
        "source_file": source_of_row[dropped].to_numpy(), "source_row": rows[dropped].to_numpy(),
        "column": None, "original_value": None, "action": "exclude_row",
        "kind": excluded_kind[dropped].to_numpy(), "reason": excluded[dropped].to_numpy(),
        "_order": place[gone]})]
    invisible = pd.Series(per_value(school_text, _invisible_listed),
                          index=school_text.index)
    hidden_rows = (invisible != "") & ~dropped
    logs.append(pd.DataFrame({
        "source_file": source_of_row[hidden_rows].to_numpy(),
        "source_row": rows[hidden_rows].to_numpy(),
        "column": found.get("school_name") or found.get("school_code"),
        "original_value": school_text[hidden_rows].map(_name_key).to_numpy(),
        "action": "recode", "kind": "invisible_characters",
        "detail": [json.dumps({"characters": v}, ensure_ascii=False)
                   for v in invisible[hidden_rows]],
        "reason": "invisible characters removed from the school name: "
                  + invisible[hidden_rows].to_numpy(),
        "_order": place[hidden_rows.to_numpy()]}))
    alias_rows = by_alias & ~dropped
    logs.append(pd.DataFrame({
        "source_file": source_of_row[alias_rows].to_numpy(),
        "source_row": rows[alias_rows].to_numpy(),
        "column": found.get("school_name") or found.get("school_code"),
        "original_value": school_text[alias_rows].to_numpy(), "action": "map_school",
        "kind": "school_alias",
        "detail": [json.dumps({"school_code": code, "school_name": names.get(code)},
                              ensure_ascii=False) for code in school_code[alias_rows]],
        "reason": "school written by an alias of " + school_code[alias_rows].map(names).to_numpy(),
        "_order": place[alias_rows.to_numpy()]}))
    town_rows = by_township & ~dropped
    logs.append(pd.DataFrame({
        "source_file": source_of_row[town_rows].to_numpy(),
        "source_row": rows[town_rows].to_numpy(),
        "column": found.get("township"), "original_value": None, "action": "map_school",
        "kind": "shared_name_township",
        "detail": [json.dumps({"school_code": code, "school_name": names.get(code)},
                              ensure_ascii=False) for code in school_code[town_rows]],
        "reason": "a school name several roster schools share, told apart by the township "
                  "column: " + school_code[town_rows].to_numpy(),
        "_order": place[town_rows.to_numpy()]}))
    # classes in one spelling ((1)班, 一班, 01 → 1班)
    klass, classes = _class_names(klass, dropped)
    # per kept row: school, class, the keyed hash, the student (the place of the id's first
    # row: one raw row per student in a wide export, several in a long one) and the cells
    codes = pd.factorize(raw_id)[0]
    first_place = place[np.unique(codes, return_index=True)[1]] if len(codes) else place
    keep = np.flatnonzero(~gone)
    kept = pd.DataFrame({
        "_index": place[keep], "school_code": school_code.to_numpy()[keep],
        "class": klass.to_numpy()[keep],
        "student_key": student_key(raw_id.iloc[keep], salt).to_numpy(),
        "_student": first_place[codes[keep]], "source_row": rows.to_numpy()[keep],
        "source_file": source_of_row.to_numpy()[keep]})
    for number, header in enumerate(headers):
        kept[f"_cell{number}"] = raw[header].to_numpy(dtype=object)[keep]
    if subject is not None:
        kept["subject"] = subject.to_numpy(dtype=object)[keep]
    if stated is not None:
        kept["_stated"] = stated.to_numpy(dtype=object)[keep]
    return _Rows(logs=logs, reasons=reasons, unknown=unknown, classes=classes,
                 subjects=set(kept["subject"]) if subject is not None else set()), kept


def _cell_counts(kept: pd.DataFrame, params, headers, wide: bool) -> pd.DataFrame:
    """Per (school, subject) of the kept rows' cells: how many, how many blank, the place of
    the first row and its file."""
    school_codes, school_labels = pd.factorize(kept["school_code"])
    place = kept["_index"].to_numpy(np.int64)
    if wide:
        subjects = list(params.subjects)
        columns = [(np.full(len(kept), code, dtype=np.int64), kept[f"_cell{code}"])
                   for code in range(len(headers))]
    else:
        codes, labels = pd.factorize(kept["subject"])
        subjects = list(labels)
        columns = [(codes.astype(np.int64), kept["_cell0"])]
    width = max(len(subjects), 1)
    n = np.zeros(len(school_labels) * width, dtype=np.int64)
    blanks = np.zeros_like(n)
    first = np.full(len(n), np.iinfo(np.int64).max, dtype=np.int64)
    for code, texts in columns:
        values, unique = pd.factorize(texts, use_na_sentinel=False)
        blank = np.asarray([_parse_cell(text)[3] == "blank_cell_absent" for text in unique],
                           dtype=bool)[values] if len(unique) else np.zeros(0, dtype=bool)
        pair = school_codes * width + code  # (school, subject) of each cell
        n += np.bincount(pair, minlength=len(n))
        blanks += np.bincount(pair, weights=blank, minlength=len(n)).astype(np.int64)
        np.minimum.at(first, pair, place)
    used = np.flatnonzero(n)
    at = pd.Index(place).get_indexer(first[used])
    return pd.DataFrame({"school_code": school_labels[used // width].astype(object),
                         "subject": np.asarray(subjects, dtype=object)[used % width],
                         "n": n[used], "blanks": blanks[used], "first": first[used],
                         "source_file": kept["source_file"].to_numpy()[at]})


def _class_log(classes: pd.DataFrame, column: str | None, source: str) -> pd.DataFrame:
    """One log entry per class spelling that changed (with how many kept rows had it), in the
    order the spellings first appear in the export."""
    merged = classes.groupby("spelling", sort=False).agg(
        label=("label", "first"), first=("first", "min"), n=("n", "sum")).sort_values(
        "first", kind="stable")
    changed = [(old, new, int(n)) for old, new, n in zip(merged.index, merged["label"],
                                                         merged["n"])
               if new != normalize_text(old) and n]
    return pd.DataFrame({
        "source_file": source, "source_row": None, "column": column,
        "original_value": [old for old, _, _ in changed], "action": "recode",
        "kind": "class_renamed",
        "detail": [json.dumps({"class": new, "rows": n}, ensure_ascii=False)
                   for _, new, n in changed],
        "reason": [f"class '{old}' read as '{new}' ({n} rows)" for old, new, n in changed]})


def _homes(kept: pd.DataFrame, plan: _Plan, subjects: list[str], wide: bool):
    """Per bucket: the kept rows left with a cell (with ``_home``, the student's school: that
    of their first row left), the score rows of each school's students (cells and a total a
    student), and the log of the rows left without a cell."""
    school = plan.schools.get_indexer(kept["school_code"])
    if wide:
        left = np.zeros(len(kept), dtype=np.int64)
        for code in range(len(subjects)):
            left += ~plan.dead[school, code]
    else:
        code = pd.Index(subjects).get_indexer(kept["subject"])
        left = (~plan.dead[school, code]).astype(np.int64) if len(kept) else \
            np.zeros(0, dtype=np.int64)
    gone = left == 0
    log = pd.DataFrame({
        "source_file": kept["source_file"].to_numpy()[gone],
        "source_row": kept["source_row"].to_numpy()[gone], "column": None,
        "original_value": None, "action": "exclude_row", "kind": "not_examined_row",
        "reason": "no score in any subject: the school has no entry in these subjects "
                  "(not examined there)", "_order": kept["_index"].to_numpy()[gone]})
    alive = kept[~gone]
    left = left[~gone]
    del kept
    home = alive.groupby("_student", sort=False)["school_code"].transform("first")
    sizes = (pd.Series(left, index=alive.index).groupby(home).sum()
             + alive["_student"].groupby(home).nunique())
    return alive.assign(_home=home.to_numpy()), sizes, log


def _part_scores(params, rows: pd.DataFrame, plan: _Plan, subjects, headers, wide, n_raw,
                 stated_header):
    """One part's kept rows (whole schools; each student's rows in the export's order): its
    cells parsed, the totals, the part's scores table in order, its cell log, tally and total
    log."""
    firsts, local = np.unique(rows["_student"].to_numpy(np.int64), return_inverse=True)
    index = pd.Index(rows["_index"].to_numpy(np.int64))
    info = pd.DataFrame({"school_code": rows["school_code"].to_numpy(dtype=object),
                         "class": rows["class"].to_numpy(dtype=object),
                         "student_key": rows["student_key"].to_numpy(dtype=object),
                         "_student": local.astype(np.int64),
                         "source_row": rows["source_row"].to_numpy(np.int64),
                         "source_file": rows["source_file"].to_numpy(dtype=object)}, index=index)
    stated = pd.Series(rows["_stated"].to_numpy(dtype=object), index=index) \
        if "_stated" in rows else None
    cells = _Cells(rows, subjects, headers, wide, n_raw)
    del rows
    long = cells.of(np.arange(len(index))).join(info[["school_code", "_student"]], on="_index")
    long = long[~plan.not_examined_cells(long)]
    long, cell_log, tally = _parse_scores(params, long, info, cells.order)
    total, total_log = _total(params, long, info, stated, stated_header, firsts)
    # the cells' other columns are done with: freed before the ordered table is built
    long = long[["subject", "_student", "status", "score"]].copy()
    return _in_order(params, long, info, total), cell_log, tally, total_log


def score_facts(scores: pd.DataFrame) -> dict:
    """What the season checks need of the scores (:mod:`eduqa.project.checks`), from a table or a part
    of it (:func:`merge_score_facts`): the schools with a subject score sat, and per subject
    (the total included) the count, lowest and highest of the scores sat."""
    sat = scores[scores["status"].eq("sat") & scores["score"].notna()]
    subject = sat["subject"].astype(object)
    per = sat["score"].groupby(subject.to_numpy()).agg(["size", "min", "max"])
    return {"sat_schools": sorted(set(sat.loc[(subject != "total").to_numpy(), "school_code"]
                                      .astype(object))),
            "subjects": {s: (int(r["size"]), float(r["min"]), float(r["max"]))
                         for s, r in per.iterrows()}}


def merge_score_facts(one: dict, other: dict) -> dict:
    """The :func:`score_facts` of two tables' rows together."""
    if not one:
        return other
    subjects = dict(one["subjects"])
    for s, (n, low, high) in other["subjects"].items():
        if s in subjects:
            n0, low0, high0 = subjects[s]
            subjects[s] = (n0 + n, min(low0, low), max(high0, high))
        else:
            subjects[s] = (n, low, high)
    return {"sat_schools": sorted(set(one["sat_schools"]) | set(other["sat_schools"])),
            "subjects": subjects}


def _clean_papers(params: SeasonParams, result: CleanResult, salt: str
                  ) -> tuple[dict[str, pd.DataFrame], dict[str, dict[str, int]]]:
    """The item scores, chosen options and blueprint of every subject with an item-score
    export (:func:`eduqa.intake.items.clean_items`), their log, and each subject's row counts."""
    from eduqa.intake.items import clean_items, read_blueprint

    root = params.project.root
    tables: dict[str, pd.DataFrame] = {}
    logs, counts = [], {}
    for subject, path in params.item_files.items():
        blueprint_path = params.blueprint_files[subject]
        blueprint = read_blueprint(blueprint_path, label(subject))
        cleaned = clean_items(path, subject, blueprint, result.scores, salt,
                              tolerance=params.county.paper.sum_tolerance,
                              blueprint_path=relative(blueprint_path, root),
                              source=relative(path, root))
        tables[f"items-{subject}"] = cleaned.items
        tables[f"choices-{subject}"] = cleaned.choices
        tables[f"blueprint-{subject}"] = blueprint
        logs.append(cleaned.log.assign(subject=subject))
        counts[subject] = {"rows_in": cleaned.n_rows_in, "rows_kept": cleaned.n_rows_kept,
                           "rows_excluded": cleaned.n_rows_excluded}
    if logs:
        tables["items_log"] = log_frame(logs, extra=("subject",))
    return tables, counts


def _class_names(klass: pd.Series, dropped: pd.Series) -> tuple[pd.Series, pd.DataFrame]:
    """Every class in one spelling (:func:`eduqa.intake.items.class_label`), and per spelling its
    label, the place of its first row and how many kept rows have it (for :func:`_class_log`)."""
    from eduqa.intake.items import class_label

    codes, spellings = pd.factorize(klass, use_na_sentinel=False)
    labels = [class_label(v) for v in spellings]
    renamed = pd.Series(np.asarray(labels, dtype=object)[codes] if len(codes) else [],
                        index=klass.index, dtype=object)
    counts = np.bincount(codes[~dropped.to_numpy()], minlength=len(spellings)) if len(codes) \
        else np.zeros(0, dtype=int)
    first = klass.index.to_numpy(np.int64)[np.unique(codes, return_index=True)[1]] \
        if len(codes) else np.zeros(0, dtype=np.int64)
    return renamed, pd.DataFrame({"spelling": np.asarray(spellings, dtype=object),
                                  "label": labels, "first": first, "n": counts})


def _column_log(table, found, subject_columns, id_field, params, source) -> pd.DataFrame:
    """Log title lines skipped, what reading did (hidden sheets and rows, merged cells),
    personal columns dropped and columns not used."""
    entries = [(row, None, None, "skip_title", "title_line",  # (by length: it may name people)
                f"title line above the header ({len(text)} characters)", source)
               for row, text in table.preamble]
    entries += [(note.row, note.column, None, note.action, note.kind, note.reason,
                 f"{source}[{note.sheet}]" if note.sheet else source) for note in table.notes]
    for canonical in ("name", *ID_PRIORITY):
        if canonical in found:
            reason = ("student id: replaced by a keyed hash, never stored"
                      if canonical == id_field else "personal data: not stored")
            entries.append((None, found[canonical], None, "drop_column", "personal_data",
                            reason, source))
    used = set(found.values()) | set(subject_columns.values())
    for header in table.headers:
        if header not in used:
            entries.append((None, header, None, "ignore_column", "unused_column",
                            "column not used by eduqa", source))
    for subject, header in subject_columns.items():
        if subject != "total" and subject not in params.subjects:
            entries.append((None, header, None, "ignore_column", "unused_column",
                            "subject not listed in the season params", source))
    return pd.DataFrame(entries, columns=["source_row", "column", "original_value", "action",
                                          "kind", "reason", "source_file"])


class _Cells:
    """The score cells of a part's kept rows, in the order of the long frame they make: in a
    wide export subject by subject (as DataFrame.melt orders them), each subject's cells in row
    order; in a long export one cell a row, in row order. :meth:`of` gives the cells of some
    rows; subject and column come as codes (at province scale a text column on every cell is
    hundreds of MB)."""

    def __init__(self, rows: pd.DataFrame, subjects: list[str], headers: list[str], wide: bool,
                 n_raw: int):
        self.wide = wide
        self.headers = headers
        self.subjects = list(subjects)
        self.subject = None if wide else rows["subject"].to_numpy(dtype=object)
        self.n_raw = n_raw
        # the text columns as pandas holds them (Arrow strings: a part's cells are taken
        # without a Python object per cell)
        self.texts = {h: rows[f"_cell{number}"].reset_index(drop=True)
                      for number, h in enumerate(headers)}
        self.index = rows["_index"].to_numpy(np.int64)

    def of(self, positions: np.ndarray) -> pd.DataFrame:
        """The cells of the rows at ``positions`` (ascending)."""
        index = self.index[positions]
        if self.wide:
            which = np.repeat(np.arange(len(self.subjects), dtype=np.int8), len(positions))
            return pd.DataFrame({
                "_index": np.tile(index, len(self.subjects)),
                "subject": pd.Categorical.from_codes(which, categories=self.subjects),
                "raw": pd.concat([self.texts[h].take(positions) for h in self.headers],
                                 ignore_index=True).array
                if self.subjects else np.zeros(0, dtype=object),
                "_column": pd.Categorical.from_codes(which, categories=self.headers)})
        assert self.subject is not None
        return pd.DataFrame({
            "_index": index,
            "subject": pd.Categorical(self.subject[positions], categories=self.subjects),
            "raw": self.texts[self.headers[0]].take(positions).array,
            "_column": pd.Categorical.from_codes(np.zeros(len(positions), dtype=np.int8),
                                                 categories=self.headers)})

    def order(self, long: pd.DataFrame) -> np.ndarray:
        """Each cell's place in the whole export's long frame (to merge the parts' logs)."""
        index = long["_index"].to_numpy(np.int64)
        if not self.wide:
            return index
        return long["subject"].cat.codes.to_numpy(np.int64) * (self.n_raw + 1) + index


@dataclass
class _Plan:
    """What the whole export decides before its cells are parsed a part at a time."""

    log: pd.DataFrame  # the not-examined entries
    not_examined: list  # (school_code, subject, column)
    schools: pd.Index  # the schools of the kept rows
    dead: np.ndarray  # (school, subject code): not examined

    def not_examined_cells(self, long: pd.DataFrame) -> np.ndarray:
        if not self.dead.any():
            return np.zeros(len(long), dtype=bool)
        school = self.schools.get_indexer(long["school_code"])
        return self.dead[school, long["subject"].cat.codes.to_numpy()]


def _merged_counts(counts: list[pd.DataFrame]) -> pd.DataFrame:
    """Cell counts (:func:`_cell_counts`) of several buckets added up."""
    if len(counts) == 1:
        return counts[0]
    return pd.concat(counts, ignore_index=True).sort_values("first", kind="stable").groupby(
        ["school_code", "subject"], sort=False).agg(
        n=("n", "sum"), blanks=("blanks", "sum"), first=("first", "first"),
        source_file=("source_file", "first")).reset_index()


def _plan(merged: pd.DataFrame, subjects: list[str], headers: list[str], wide: bool) -> _Plan:
    """A subject with no entry at all at a school was not examined there (not an absence):
    those (school, subject) pairs and their log, from the export's cell counts
    (:func:`_merged_counts`)."""
    schools = pd.Index(sorted(merged["school_code"].unique()))
    width = max(len(subjects), 1)
    merged["code"] = pd.Index(subjects).get_indexer(merged["subject"])
    dead = np.zeros((len(schools), width), dtype=bool)
    empty = merged[merged["blanks"] == merged["n"]]
    dead[schools.get_indexer(empty["school_code"]), empty["code"].to_numpy()] = True
    empty = empty.sort_values(["school_code", "code"], kind="stable")
    columns = [headers[c] if wide else headers[0] for c in empty["code"]]
    log = pd.DataFrame({
        "source_file": empty["source_file"].to_numpy(),
        "source_row": None, "column": columns, "original_value": None,
        "action": "not_examined", "kind": "not_examined",
        "detail": [json.dumps({"school_code": c, "cells": int(n)}) for c, n in
                   zip(empty["school_code"], empty["n"])],
        "reason": ["school " + c + ": all " + str(int(n)) + " cells of this subject are blank; "
                   "the subject is treated as not examined at this school (not counted as "
                   "absences)" for c, n in zip(empty["school_code"], empty["n"])]})
    return _Plan(log=log, not_examined=list(zip(empty["school_code"], empty["subject"],
                                                columns)),
                 schools=schools, dead=dead)


def _in_log_order(parts: list[pd.DataFrame]) -> pd.DataFrame:
    """The parts' log entries in the order the whole export gives them (their ``_order``)."""
    used = [part for part in parts if len(part)]
    if not used:
        return pd.DataFrame()
    merged = pd.concat(used, ignore_index=True)
    merged = merged.iloc[np.argsort(merged["_order"].to_numpy(), kind="stable")]
    return merged.drop(columns="_order").reset_index(drop=True)


def _above_full_marks(tallies: list[dict], subjects: list[str]) -> dict:
    """Per subject with scores above full marks: (how many, cells of the subject, the
    largest), from the parts' tallies, in the subjects' order."""
    out = {}
    for subject in subjects:
        above = [t["above"][subject] for t in tallies if subject in t["above"]]
        if above:
            out[subject] = (sum(n for n, _ in above),
                            sum(int(t["cells"].get(subject, 0)) for t in tallies),
                            max(largest for _, largest in above))
    return out


def _stacked(parts: list[pd.DataFrame]) -> pd.DataFrame:
    """The parts' score tables, one after another (each holds whole schools, in order): the
    categorical columns with the categories of them all, in text order (as one
    :func:`_category` of the whole table gives them)."""
    import pyarrow as pa
    import pyarrow.compute as pc

    if len(parts) == 1:
        return parts[0]
    out = {}
    for column in list(parts[0].columns):
        values = [part.pop(column).array for part in parts]  # (each part's column freed)
        if not isinstance(values[0].dtype, pd.CategoricalDtype):
            out[column] = np.concatenate([np.asarray(v) for v in values])
            continue
        kinds = [v.categories for v in values]
        if all(k.equals(kinds[0]) for k in kinds[1:]):
            out[column] = pd.Categorical.from_codes(
                np.concatenate([v.codes for v in values]), categories=kinds[0], validate=False)
            continue
        # each part's categories are sorted: one sort of them all gives every category's
        # place among the union (a student's key is in one part only; 2M of them a province)
        joined = kinds[0].append(kinds[1:])
        order = np.asarray(pc.sort_indices(pa.array(joined.to_numpy(dtype=object))))
        ordered = joined.to_numpy(dtype=object)[order]
        new = np.ones(len(ordered), dtype=bool)
        new[1:] = ordered[1:] != ordered[:-1]
        rank = np.empty(len(ordered), dtype=np.int64)
        rank[order] = np.cumsum(new) - 1
        categories = pd.Index(ordered[new], dtype=joined.dtype)
        offsets = np.cumsum([0, *[len(k) for k in kinds[:-1]]])
        codes = np.concatenate([np.where(v.codes >= 0, rank[start + v.codes.astype(np.int64)], -1)
                                for v, start in zip(values, offsets)])
        out[column] = pd.Categorical.from_codes(codes, categories=categories, validate=False)
    return pd.DataFrame(out)


def _wide_duplicates(params, normal, rows, excluded, raw_id, subject_columns):
    """Why each row still kept is excluded as a duplicate ('' if it is not), and the kind."""
    subjects = list(params.subjects)
    headers = [subject_columns[s] for s in subjects]
    candidates = excluded == ""
    frame = pd.DataFrame({subject: normal[header][candidates]
                          for subject, header in zip(subjects, headers)})
    frame["_id"] = raw_id[candidates]
    frame["_row"] = rows[candidates]
    reason = pd.Series("", index=raw_id.index, dtype=object)
    kind = pd.Series(None, index=raw_id.index, dtype=object)
    reason[candidates], kind[candidates] = _duplicates(frame, ["_id"], subjects)
    return reason, kind


def _long_duplicates(params, normal, rows, excluded, raw_id, found):
    """As :func:`_wide_duplicates` (and subjects not listed), and each row's subject."""
    subject_text = normal[found["subject"]]
    subject = subject_text.map(subject_id)
    reason = pd.Series("", index=raw_id.index, dtype=object)
    kind = pd.Series(None, index=raw_id.index, dtype=object)
    not_listed = (excluded == "") & ~subject.isin(list(params.subjects))
    shown = subject_text[not_listed].where(
        subject[not_listed].notna(), subject_text[not_listed].map(_loggable))
    reason[not_listed] = "subject '" + shown + "' is not listed in the season params"
    kind[not_listed] = "subject_not_listed"
    candidates = (excluded == "") & (reason == "")
    frame = pd.DataFrame({"_id": raw_id[candidates], "subject": subject[candidates],
                          "score": normal[found["score"]][candidates],
                          "_row": rows[candidates]})
    values = ["score"]
    if "class" in found:
        frame["class"] = normal[found["class"]][candidates]
        values.append("class")
    reason[candidates], kind[candidates] = _duplicates(frame, ["_id", "subject"], values)
    return reason, kind, subject


def _cell_log(long: pd.DataFrame, info: pd.DataFrame, mask, action, kind,
              reason) -> pd.DataFrame:
    """Log entries of the cells ``long[mask]``: ``action``, ``kind`` and ``reason`` each one
    value for all, or one per cell logged."""
    part = long[mask]
    where = info.loc[part["_index"].to_numpy()]  # the raw rows of these cells
    return pd.DataFrame({"source_file": where["source_file"].to_numpy(),
                         "source_row": where["source_row"].to_numpy(),
                         "column": part["_column"].to_numpy(dtype=object),
                         "original_value": per_value(part["raw"], _loggable),
                         "action": action, "kind": kind, "reason": reason})


def _parse_scores(params, long, info, order):
    """Parse every raw score cell of a part (its not-examined cells already left out);
    returns the long frame with score and status, the part's cell log (with each entry's
    place in the whole export's, ``_order``, from ``order``) and its tally: the cells of each
    subject and, per subject, how many scores lie above full marks and the largest.

    Each distinct text is parsed once; the cells keep its number (``_parsed``), from which
    the log entries of the cells that changed are written."""
    codes, unique = pd.factorize(long["raw"], use_na_sentinel=False)
    parsed = [_parse_cell(text) for text in unique]

    def of_text(position: int, dtype=object) -> np.ndarray:
        return np.asarray([p[position] for p in parsed], dtype=dtype)

    statuses = list(STATUSES)
    long["score"] = of_text(0, float)[codes] if len(parsed) else np.zeros(0)
    long["status"] = pd.Categorical.from_codes(
        np.asarray([statuses.index(p[1]) for p in parsed], dtype=np.int8)[codes]
        if len(parsed) else np.zeros(0, dtype=np.int8), categories=statuses)
    long["_parsed"] = codes.astype(np.int32)
    del codes
    tally = {"above": {}}
    marks = lookup(long["subject"], params.subjects)
    sat = long["status"] == "sat"
    out_of_range = sat & ((long["score"] < 0) | (long["score"] > marks))
    above = sat & (long["score"] > marks)
    tally["cells"] = long.groupby("subject", sort=False, observed=True).size().to_dict()
    for subject, part in long.loc[above, "score"].groupby(long.loc[above, "subject"],
                                                           observed=True):
        # (the highest capped: a phone or ID number typed as a score is not kept anywhere)
        tally["above"][subject] = (len(part), float(min(part.max(), LOGGABLE_MAX)))
    recoded = np.asarray([p[2] is not None for p in parsed], dtype=bool)  # (an action)
    changed = out_of_range | pd.Series(recoded[long["_parsed"].to_numpy()] if len(parsed)
                                       else np.zeros(0, dtype=bool), index=long.index)
    numbers = long.loc[changed, "_parsed"].to_numpy()
    action, kind, reason = (of_text(position)[numbers] if len(parsed) else
                            np.zeros(0, dtype=object) for position in (2, 3, 4))
    outside = out_of_range[changed].to_numpy()
    if outside.any():
        action[outside], kind[outside] = "set_invalid", "out_of_range"
        shown = long.loc[out_of_range, "score"].map(  # (a long number may be an ID: not shown)
            lambda v: f"{v:g}" if abs(v) <= LOGGABLE_MAX else f"of {len(f'{v:.0f}')} digits")
        reason[outside] = (
            "score " + shown + " is outside 0-"
            + marks[out_of_range].map("{:g}".format) + " (full marks)").to_numpy()
        long.loc[out_of_range, "status"] = "invalid"
        long.loc[out_of_range, "score"] = np.nan
    log = _cell_log(long, info, changed, action, kind, reason)
    log["_order"] = order(long[changed])
    return long, log, tally


def _in_order(params, long: pd.DataFrame, info: pd.DataFrame,
              total: pd.DataFrame) -> pd.DataFrame:
    """Subject rows and totals in a fixed order: school, class, student key, then the subjects
    as listed in the params and the total last.

    Built from integer codes rather than by sorting the rows themselves (fast at province
    scale): the students are ordered once; each row's place follows from its student's rank
    and its subject's position; the per-student columns are then read in that (sequential)
    order. The text columns come out as categoricals (categories in text order, as
    :meth:`eduqa.project.season.Season.load` reads them) built straight from those codes: at province
    scale the text of 16M rows would be gigabytes; :func:`eduqa.compute.parquet.write_parquet` writes them
    as plain text."""
    subjects = [*params.subjects, "total"]
    factorized = {c: pd.factorize(total[c], sort=True, use_na_sentinel=False)
                  for c in ("student_key", "class", "school_code")}
    ordered = np.lexsort([codes for codes, _ in factorized.values()])  # (stable)
    rank = np.zeros(int(total["_student"].max()) + 1, dtype=np.int64)
    rank[total["_student"].to_numpy()[ordered]] = np.arange(len(ordered))
    position = {s: i for i, s in enumerate(subjects)}
    subject = np.concatenate([per_value(long["subject"], position.get, dtype=np.int64),
                              np.full(len(total), len(subjects) - 1, dtype=np.int64)])
    student = np.concatenate([long["_student"].to_numpy(), total["_student"].to_numpy()])
    key = rank[student] * len(subjects) + subject  # one row per (student, subject)
    del student
    slots = np.full(int(key.max()) + 1 if len(key) else 0, -1, dtype=np.int64)
    slots[key] = np.arange(len(key))
    index = slots[slots >= 0]  # the rows by key (a counting sort: each key is one row)
    del slots
    if len(index) != len(key):  # (a key twice: cannot happen after the duplicate checks)
        index = np.argsort(key, kind="stable")
    reader = ordered[key[index] // len(subjects)]  # each row's student, as a row of total
    del key
    status, names = _codes([long["status"], total["status"]])
    frame = pd.DataFrame({name: _category(factorized[name][0][reader], factorized[name][1])
                          for name in ("student_key", "school_code", "class")})
    del reader
    frame["subject"] = _category(subject[index], subjects)
    frame["score"] = np.concatenate([long["score"].to_numpy(float),
                                     total["score"].to_numpy(float)])[index]
    frame["status"] = _category(status[index], names)
    return frame


def _category(codes: np.ndarray, values) -> pd.Categorical:
    """The values ``values[codes]`` as a categorical: only the values used, in text order (text
    categories as ``str``), a missing value as a missing entry."""
    values = pd.Index(values)
    used = np.bincount(codes, minlength=len(values)) > 0 if len(codes) else \
        np.zeros(len(values), dtype=bool)
    remap, categories = pd.factorize(values.where(used), sort=True)
    if categories.inferred_type in ("string", "empty"):
        categories = categories.astype("str")
    return pd.Categorical.from_codes(remap[codes], categories=categories, validate=False)


def _codes(parts: list[pd.Series]) -> tuple[np.ndarray, list]:
    """Integer codes of the values of several columns, stacked, and the distinct values."""
    names: dict = {}
    codes = []
    for part in parts:
        code, unique = pd.factorize(part, use_na_sentinel=False)
        remap = np.asarray([names.setdefault(v, len(names)) for v in unique], dtype=np.int64)
        codes.append(remap[code] if len(remap) else code.astype(np.int64))
    return np.concatenate(codes), list(names)


def _total(params, long, info, stated_text, header, order):
    """The total as subject ``total`` per student, and logs where the export's 总分 (the
    normalised text ``stated_text`` of column ``header``, by the row's place in the export;
    None when the export has none) disagrees; ``order``: each student's place in the export's
    order of students (to merge the parts' logs)."""
    subjects = list(params.subjects)
    # one row per student (sorted by _student) and a column per subject, as integer arrays:
    # the score and the status code of every cell, -1 / NaN where the student has no row
    student = long["_student"].to_numpy()
    seen = np.zeros(int(student.max()) + 1 if len(student) else 0, dtype=bool)
    seen[student] = True
    students = np.flatnonzero(seen)
    row = np.cumsum(seen) - 1
    row = row[student] if len(student) else row
    position = {s: i for i, s in enumerate(subjects)}
    column = per_value(long["subject"], lambda v: position.get(v, -1), dtype=np.int64)
    listed = column >= 0
    codes, names = pd.factorize(long["status"], use_na_sentinel=False)
    code = {name: i for i, name in enumerate(names)}
    status = np.full((len(students), len(subjects)), -1, dtype=np.int64)
    status[row[listed], column[listed]] = codes[listed]
    scores = np.full((len(students), len(subjects)), np.nan)
    scores[row[listed], column[listed]] = long["score"].to_numpy(float)[listed]

    def any_is(name: str) -> np.ndarray:
        return (status == code[name]).any(axis=1) if name in code else np.zeros(
            len(students), dtype=bool)

    all_sat = (status == code["sat"]).all(axis=1) if "sat" in code else np.zeros(
        len(students), dtype=bool)
    total_status = np.full(len(students), "sat", dtype=object)
    for candidate in ("exempt", "absent", "invalid", "voided"):  # last assignment wins
        total_status[~all_sat & any_is(candidate)] = candidate
    # a subject missing for this student (not examined at the school, or no row in a long file)
    missing = (status == -1).any(axis=1) & ~all_sat & (total_status == "sat")
    total_status[missing] = "exempt"
    summed = np.zeros(len(students))  # subject by subject, in the params' order
    for at in range(len(subjects)):
        summed += np.nan_to_num(scores[:, at])
    summed[~all_sat | np.isnan(scores).all(axis=1)] = np.nan
    index = pd.Index(students, name="_student")
    first = long[["_student", "_index"]].drop_duplicates("_student").set_index("_student")
    where = info.loc[first["_index"].to_numpy()]  # (the raw rows of this part only)
    first = first.assign(**{c: where[c].to_numpy() for c in info.columns
                            if c != "_student"}).loc[index]
    total = pd.DataFrame({
        "student_key": first["student_key"].to_numpy(), "_student": students,
        "school_code": first["school_code"].to_numpy(), "class": first["class"].to_numpy(),
        "subject": "total", "score": summed, "status": total_status})
    all_sat = pd.Series(all_sat, index=index)
    logs = []
    if stated_text is not None:
        stated = pd.Series(stated_text.loc[first["_index"].to_numpy()].to_numpy(), index=index)
        parsed = pd.to_numeric(stated.str.replace("分", "", regex=False), errors="coerce")
        computed = total.set_index("_student")["score"]
        disagree = all_sat & parsed.notna() & ((parsed - computed).abs() > 0.01)
        disagree = disagree | (all_sat & parsed.isna() & stated.ne(""))
        if disagree.any():
            rows = first.loc[disagree[disagree].index]
            logs.append(pd.DataFrame({
                "source_file": rows["source_file"].to_numpy(),
                "source_row": rows["source_row"].to_numpy(), "column": header,
                "original_value": per_value(stated[disagree], _loggable),
                "action": "recompute_total",
                "kind": "total_disagrees",
                "reason": "总分 in the export differs from the sum of subjects ("
                          + computed[disagree].map("{:g}".format).to_numpy()
                          + "); the sum is used",
                "_order": order[disagree[disagree].index.to_numpy(np.int64)]}))
    return total, logs


# ---------------------------------------------------------------------------------------------
# schools, staffing, targets


def _schools_frame(params, roster, counts: pd.Series):
    """Roster joined with staffing and the derived staffing indicators, plus this season's
    student count per school (``counts``); the per-subject staffing indicators (or None); log
    entries."""
    logs = []
    frame = roster.copy()
    frame["n_students"] = frame["school_code"].map(counts).fillna(0).astype(int)
    staff_columns = ["teachers_in_post", "required", "out_of_field", "share_over_50",
                     "share_senior_title"]
    per_subject = None
    if params.staffing_file is not None:
        staff, per_subject = _read_staffing(params, roster)
        frame = frame.merge(staff, on="school_code", how="left")
        missing = frame.loc[frame["teachers_in_post"].isna() & (frame["n_students"] > 0),
                            "school_code"]
        if len(missing):
            logs.append(pd.DataFrame({
                "source_file": relative(params.staffing_file, params.project.root),
                "source_row": None, "column": "school_code", "original_value": missing.values,
                "action": "missing_staffing", "kind": "no_staffing",
                "reason": "school has students this season but no staffing row"}))
    for column in staff_columns:
        if column not in frame:
            frame[column] = np.nan
    frame = staffing_indicators(frame, params.county.staffing_norms)
    frame = frame.sort_values("school_code").reset_index(drop=True)
    subjects = None
    if per_subject is not None:  # required must be given per subject: norms are per school
        subject_rows = per_subject.merge(roster[["school_code", "school_type"]],
                                         on="school_code", how="left")
        if "required" not in subject_rows:
            subject_rows["required"] = np.nan
        subject_rows["enrollment"] = np.nan
        subjects = staffing_indicators(subject_rows, params.county.staffing_norms).drop(
            columns=["enrollment", "students_per_teacher", "required_source"])
    return frame, subjects, logs


def _coded(frame: pd.DataFrame, found: dict, roster: pd.DataFrame, path: Path,
           what: tuple[str, str]) -> pd.DataFrame:
    """``frame`` (one row per file row, ``_row`` = source row) with ``school_code`` resolved
    from the code column, or else from the school name column (names and aliases of the
    roster); rows without either are left out (blank lines); an unknown school is an error
    naming the row."""
    by = "school_code" if "school_code" in found else "school_name"
    if by not in found:
        raise InputError(f"the {what[1]} has no school code or school name column", file=path,
                         column="学校代码",
                         hint="add a 学校代码 (or 学校名称) column; columns found: "
                              + ", ".join(found.values()),
                         zh=f"{what[0]}中没有“学校代码”或“学校名称”列",
                         hint_zh="请补上“学校代码”（或“学校名称”）列；现有的列："
                                 + "、".join(found.values()))
    frame = frame[frame[by] != ""].copy()
    lookup = _school_lookup(roster)
    refuse_shared_names(lookup, frame[by].map(_name_key).to_numpy(), frame[by].to_numpy(),
                        frame["_row"].to_numpy(), file=path, column=found[by])
    codes = frame[by].map(lambda v: lookup.get(_name_key(v), ("", False))[0])
    unknown = frame[codes == ""]
    if len(unknown):
        row = unknown.iloc[0]
        word, word_zh = ("school code", "学校代码") if by == "school_code" else ("school",
                                                                              "学校")
        raise InputError(f"{word} {row[by]} is not in the school roster",
                         file=path, row=int(row["_row"]), column=found[by],
                         hint="correct it, or add the school (or this spelling as an alias) "
                              "to schools.csv",
                         zh=f"{word_zh} {row[by]} 不在学校名单中",
                         hint_zh="请更正，或把该校（或这种写法作为别名）加入 schools.csv")
    frame["school_code"] = codes
    return frame.drop(columns=["school_name"], errors="ignore")


def _read_staffing(params, roster) -> tuple[pd.DataFrame, pd.DataFrame | None]:
    """School-level staffing, and the per-subject rows when the file has a subject column."""
    path = params.staffing_file
    table = io.read_raw_table(path, STAFFING_COLUMNS, min_hits=2, what="staffing file")
    found = io.map_columns(list(table.frame.columns), STAFFING_COLUMNS)
    for required in ("teachers_in_post",):
        if required not in found:
            raise InputError(f"the staffing file has no '{required}' column ({label(required)})",
                             file=path, column=STAFFING_COLUMNS[required][1],
                             hint="columns found: " + ", ".join(table.frame.columns),
                             zh=f"师资表缺少“{label(required)}”列（{required}）",
                             hint_zh="请补上这一列；现有的列：" + "、".join(table.frame.columns))
    frame = pd.DataFrame({key: table.frame[col].map(normalize_text) for key, col in found.items()})
    frame["_row"] = table.source_row
    frame = _coded(frame, found, roster, path, ("师资表", "staffing file"))
    numeric = [c for c in ("teachers_in_post", "required", "out_of_field", "share_over_50",
                           "share_senior_title") if c in frame]
    for column in numeric:
        text = frame[column].astype(str)
        share = column.startswith("share_")
        percent = text.str.endswith("%") if share else pd.Series(False, index=frame.index)
        values = pd.to_numeric(text.str.removesuffix("%").replace("", np.nan), errors="coerce")
        values = values.where(~percent, values / 100)
        bad = values.isna() & frame[column].ne("")
        if share:  # a share is 0–1 (or a percent): 35 where 0.35 was meant is refused
            bad |= values.notna() & ~values.between(0, 1)
        if bad.any():
            row = frame[bad].iloc[0]
            what = "a share between 0 and 1 (or a percent such as 35%)" if share else "a number"
            what_zh = "0 到 1 之间的比例（或百分数，如 35%）" if share else "数字"
            raise InputError(f"'{row[column]}' is not {what}", file=path, row=int(row["_row"]),
                             column=found[column], hint=f"enter {what} or leave it blank",
                             zh=f"“{row[column]}”不是{what_zh}", hint_zh=f"请填写{what_zh}，或留空")
        frame[column] = values
    if "subject" in frame:  # per-subject staffing: the school-level numbers are sums
        frame["subject"] = frame["subject"].map(lambda s: subject_id(s) or s)
        per_subject = frame.drop(columns=["_row"])
        sums = frame.groupby("school_code")[[c for c in numeric if not c.startswith("share")]].sum(
            min_count=1)
        shares = frame.groupby("school_code")[[c for c in numeric if c.startswith("share")]].mean()
        frame = sums.join(shares).reset_index()
    elif frame["school_code"].duplicated().any():
        row = frame[frame["school_code"].duplicated()].iloc[0]
        raise InputError(f"school code {row['school_code']} appears more than once", file=path,
                         row=int(row["_row"]), column=found.get("school_code", "学校名称"),
                         hint="one row per school, or add a 学科 column for per-subject rows",
                         zh=f"学校代码 {row['school_code']} 出现了不止一次",
                         hint_zh="每所学校一行；如按学科分行填写，请加一列“学科”")
    else:
        per_subject = None
    return frame.drop(columns=["_row"], errors="ignore"), per_subject


def _read_targets(params, roster) -> pd.DataFrame:
    """Targets in long form: school_code, subject, indicator, target."""
    columns = ["school_code", "subject", "indicator", "target"]
    if params.targets_file is None:
        return pd.DataFrame(columns=columns)
    path = params.targets_file
    table = io.read_raw_table(path, TARGET_COLUMNS, min_hits=2, what="targets file")
    found = io.map_columns(list(table.frame.columns), TARGET_COLUMNS)
    frame = pd.DataFrame({key: table.frame[col].map(normalize_text) for key, col in found.items()})
    frame["_row"] = table.source_row
    frame = _coded(frame, found, roster, path, ("目标责任状表", "targets file"))
    if "subject" in frame:
        frame["subject"] = frame["subject"].map(lambda s: subject_id(s) or s)
    else:
        frame["subject"] = "total"
    indicators = [c for c in ("mean", "pass_rate", "excellent_rate", "rank") if c in frame]
    long = frame.melt(id_vars=["school_code", "subject", "_row"], value_vars=indicators,
                      var_name="indicator", value_name="text")
    long = long[long["text"] != ""]
    text = long["text"].str.rstrip("%")
    long["target"] = pd.to_numeric(text, errors="coerce")
    bad = long["target"].isna()
    if bad.any():
        row = long[bad].iloc[0]
        raise InputError(f"target '{row['text']}' is not a number", file=path,
                         row=int(row["_row"]), column=found[row["indicator"]],
                         hint="enter a number (a rate may be written 85% or 0.85)",
                         zh=f"目标值“{row['text']}”不是数字",
                         hint_zh="请填写数字（比率可写成 85% 或 0.85）")
    percent = long["text"].str.endswith("%")
    long.loc[percent, "target"] = long.loc[percent, "target"] / 100
    return long[columns].sort_values(columns[:3]).reset_index(drop=True)


# ---------------------------------------------------------------------------------------------
# writing


#: The processed tables written in parts of whole schools (:func:`eduqa.compute.parquet.write_parts`):
#: the long ones, which the Dask engine reads a part per partition.
PARTITIONED = ("scores", "students")


def write_processed(result: CleanResult, out_dir: str | Path, *, digest: str | None = None,
                    findings: list | None = None,
                    part_rows: int = EngineSettings.partition_rows) -> dict[str, Path]:
    """Write the processed Parquet files of one season, and ``summary.json`` (row counts, the
    digest of the inputs they were made from, the findings of :func:`eduqa.project.checks.season_checks`);
    returns their paths by name.

    ``scores`` and ``students`` are partitioned tables (folders of parts, each part whole
    schools and at most ``part_rows`` score rows; the students' part *i* holds the schools of
    the scores' part *i*): both engines read them, the Dask engine a part per partition.

    The files are written into a new folder beside ``out_dir`` that then replaces it in one
    step (:func:`eduqa.config.storage.replace_dir`): a crash leaves the old files or the new ones,
    never a mix."""

    out_dir = Path(out_dir)
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    build = out_dir.parent / f".build-{out_dir.name}-{os.getpid()}"
    shutil.rmtree(build, ignore_errors=True)
    build.mkdir()
    try:
        return _write_processed(result, out_dir, build, digest, findings, part_rows)
    except BaseException:  # (a full disk, a kill: no half-written folder is left behind)
        shutil.rmtree(build, ignore_errors=True)
        raise


def _write_processed(result: CleanResult, out_dir: Path, build: Path, digest: str | None,
                     findings: list | None, part_rows: int) -> dict[str, Path]:
    """:func:`write_processed` into the new folder ``build``, then put it in place."""
    from eduqa.config.storage import replace_dir

    # scores and students cleaned through disk are parts already: moved, not rewritten
    stored = result.stored if result.stored is not None and (
        result.stored / "scores.parquet").is_dir() and result.stored != out_dir else None
    files = {"schools": result.schools, "targets": result.targets, "cleaning_log": result.log}
    if stored is None:
        files = {"scores": result.scores, "students": result.students, **files}
    else:
        for name in ("scores", "students"):
            os.replace(stored / f"{name}.parquet", build / f"{name}.parquet")
    paths = {name: out_dir / f"{name}.parquet" for name in ("scores", "students")}
    if result.staffing_subjects is not None:
        files["staffing_subjects"] = result.staffing_subjects
    files.update(result.papers)
    score_parts = parquet.part_bounds(result.scores["school_code"], part_rows) \
        if stored is None else []
    for name, frame in files.items():
        if name == "scores":
            parquet.write_parts(frame, build / f"{name}.parquet", bounds=score_parts)
        elif name == "students":
            parquet.write_parts(frame, build / f"{name}.parquet",
                           bounds=_aligned_bounds(frame["school_code"], result.scores,
                                                  score_parts))
        else:
            parquet.write_parquet(frame, build / f"{name}.parquet")
        paths[name] = out_dir / f"{name}.parquet"
    summary = {"n_rows_in": result.n_rows_in, "layout": result.layout,
               "salt_is_demo": result.salt_is_demo, "summary": result.summary,
               "digest": digest,
               "findings": [{"severity": f.severity, "code": f.code, "en": f.render("en"),
                             "zh": f.render("zh")} for f in findings or []],
               # the content of every file written (so the summary's own digest is the
               # digest of the season's processed data: eduqa.config.storage.processed_digest)
               "data_digest": _files_digest(build)}
    (build / SUMMARY_FILE).write_text(json.dumps(summary, ensure_ascii=False, indent=1,
                                                 sort_keys=True), encoding="utf-8")
    paths["summary"] = out_dir / SUMMARY_FILE
    replace_dir(build, out_dir)
    if stored is not None:  # (its work folder is empty now)
        shutil.rmtree(stored, ignore_errors=True)
        result.stored = out_dir
    return paths


#: The processed folder's record of what it was made from (see :func:`prepare`).
SUMMARY_FILE = "summary.json"


def _files_digest(folder: Path) -> str:
    """SHA-256 over every file of ``folder`` (its path relative to the folder and its
    content's SHA-256), in path order."""
    digest = hashlib.sha256()
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        digest.update(f"{path.relative_to(folder).as_posix()}\0{io.sha256(path)}\n".encode())
    return digest.hexdigest()


def _aligned_bounds(schools: pd.Series, scores: pd.DataFrame,
                    score_parts: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Row ranges of a table in school order (the students) that hold the schools of each
    part of the scores: part *i* of both tables covers the same schools. A school without
    score rows goes with the part of the school before it."""
    if len(schools) == 0 or len(score_parts) == 1:
        return [(0, len(schools))] + [(len(schools), len(schools))] * (len(score_parts) - 1)
    codes = scores["school_code"]
    part_of = {}
    for number, (start, stop) in enumerate(score_parts):
        part_of.update(dict.fromkeys(pd.unique(codes.iloc[start:stop]).tolist(), number))
    numbers = pd.Series(pd.array(schools.map(part_of).tolist(), dtype="Int64")).ffill().fillna(0)
    numbers = numbers.to_numpy(dtype=np.int64)
    if (np.diff(numbers) < 0).any():  # (not in the scores' school order: parts of their own)
        return parquet.part_bounds(schools, max(1, len(schools) // len(score_parts)))
    edges = np.searchsorted(numbers, np.arange(len(score_parts) + 1), side="left")
    edges[-1] = len(schools)
    return [(int(edges[i]), int(edges[i + 1])) for i in range(len(score_parts))]


