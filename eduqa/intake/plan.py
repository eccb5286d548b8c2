"""The plan of a clean: the cell counts of every part of the export merged into one plan (which
subjects each school sat, where each student's class and school are), each part's scores placed
by it, and the column and class logs."""

from __future__ import annotations

import json
from dataclasses import dataclass

import numpy as np
import pandas as pd

from eduqa.config.schema import ID_PRIORITY, normalize_text
from eduqa.intake.cells import _Cells, _in_order, _parse_cell, _parse_scores, _total


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
