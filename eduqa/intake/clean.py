"""The clean step: raw exports -> validated, long, privacy-safe processed data (docs/DATA.md).

Every change to a cell and every row that is not used is written to the cleaning log with its
source file, source row, column, original value, action and reason, so that

    raw data rows in = rows kept + rows logged as excluded (action ``exclude_row``)

always holds. Student names are dropped on reading; raw ids are replaced by a keyed hash.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from eduqa.compute import parquet
from eduqa.compute.frames import per_value, plain_columns
from eduqa.config.labels import label
from eduqa.config.params import SeasonParams
from eduqa.config.paths import relative
from eduqa.config.schema import CATEGORIES
from eduqa.config.settings import EngineSettings
from eduqa.errors import InputError
from eduqa.intake import readers
from eduqa.intake.cells import _long_duplicates, _norm, _stacked, _wide_duplicates
from eduqa.intake.export import (
    SPILL_BUCKETS,
    _Export,
    _Intake,
    _intake,
    _read_scores,
    _resolve_schools,
    _unknown_schools,
)
from eduqa.intake.plan import (
    _above_full_marks,
    _cell_counts,
    _class_log,
    _class_names,
    _column_log,
    _homes,
    _in_log_order,
    _merged_counts,
    _part_scores,
    _plan,
)
from eduqa.intake.records import LOG_COLUMNS, log_frame, student_key
from eduqa.intake.records import name_key as _name_key
from eduqa.intake.records import school_lookup as _school_lookup
from eduqa.intake.schools import (
    DEMO_SALT,
    _invisible_listed,
    _read_targets,
    _schools_frame,
    read_roster,
    resolve_salt,
)
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


# ---------------------------------------------------------------------------------------------
# the school roster


# ---------------------------------------------------------------------------------------------
# scores


def clean_season(params: SeasonParams, *, salt: str | None = None,
                 part_rows: int | None = None, spill_rows: int | None = None,
                 buckets: int | None = None) -> CleanResult:
    """Clean one season's raw files into the processed frames of docs/DATA.md.

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
        raise InputError.of("intake.clean.clean_rows.scores_file_has_no", file=params.scores_file)
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
    _refuse_unusable_rows(params, intake, pieces, found, relative(roster_path, root))
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
    n_buckets = len(intake.buckets)
    size, vanished = _homes_by_bucket(params, store, plan, subjects, wide, n_buckets)
    limit = params.county.engine.partition_rows if part_rows is None else part_rows
    part = _into_parts(store, size, limit, n_buckets)
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
    result.papers, paper_counts = _papers_and_teachers(params, result, roster, salt)
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


def _refuse_unusable_rows(params, intake: _Intake, pieces: list, found, roster_name) -> None:
    """Refuse the export when a school in it is not in the roster (each such value at its
    first place) or when no row is usable (the three commonest reasons said)."""
    unknown: dict = {}
    for rows in pieces:
        for value, (place, row) in rows.unknown.items():
            if value not in unknown or place < unknown[value][0]:
                unknown[value] = (place, row)
    _unknown_schools(unknown, found, params.scores_file, roster_name)
    reasons = pd.concat([rows.reasons for rows in pieces]).groupby("reason", sort=False).agg(
        n=("n", "sum"), first=("first", "min"))
    if reasons["n"].sum() == intake.n_rows:
        reasons = reasons.sort_values("first").sort_values("n", ascending=False, kind="stable")
        listed = "; ".join(f"{reason} ({n} rows)" for reason, n in reasons["n"].head(3).items())
        raise InputError.of("intake.clean.refuse_unusable_rows.no_usable_student_rows",
                            file=params.scores_file, row=intake.first_row, n_rows=intake.n_rows,
                            listed=listed)


def _homes_by_bucket(params, store: Spill, plan, subjects, wide: bool,
                     n_buckets: int) -> tuple[pd.Series, list[pd.DataFrame]]:
    """Each student's school (that of their first cell left), bucket by bucket into
    ``alive-<n>``: the rows per school, and the log of rows left with no cell at all."""
    vanished = []
    size = pd.Series(dtype=np.int64)
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
        raise InputError.of("intake.clean.homes_by_bucket.scores_file_holds_no",
                            file=params.scores_file)
    return size, vanished


def _into_parts(store: Spill, size: pd.Series, limit: int, n_buckets: int) -> int:
    """The rows of whole schools into parts of about ``limit`` rows (schools in code order):
    ``part-<k>`` in ``store``; returns the last part's number."""
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
    return part


def _papers_and_teachers(params, result: CleanResult, roster, salt: str) -> tuple[dict, dict]:
    """The paper tables (item scores, blueprints) and the teachers of record, keyed codes only
    (names are stored only when county.yaml asks for them: classes.teacher_names)."""
    papers, paper_counts = _clean_papers(params, result, salt)
    if params.teachers_file is not None:
        from eduqa.intake.teachers import read_teachers

        papers["teachers"] = read_teachers(
            params.teachers_file, roster, salt,
            keep_names=params.county.classes.teacher_names)
    return papers, paper_counts


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
                                                    subject_columns, school_code, klass)
    else:
        extra_reason, extra_kind, subject = _long_duplicates(params, normal, rows, excluded,
                                                             raw_id, found, school_code)
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


# ---------------------------------------------------------------------------------------------
# schools, staffing, targets


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
        digest.update(f"{path.relative_to(folder).as_posix()}\0{readers.sha256(path)}\n".encode())
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


