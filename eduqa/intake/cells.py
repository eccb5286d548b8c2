"""Score cells of the clean step: a cell's text parsed (numbers, status markers, full-width
digits), the stated total checked against the sum, duplicate rows found, and every changed cell
logged."""

from __future__ import annotations

import numpy as np
import pandas as pd

from eduqa.catalog.vocabulary import POINTS_SUFFIX
from eduqa.compute.frames import lookup, per_value
from eduqa.config.labels import label
from eduqa.config.schema import STATUSES, normalize_text, subject_id
from eduqa.intake.records import _NUMBER_TEXT, LOGGABLE_MAX
from eduqa.intake.records import duplicates as _duplicates
from eduqa.intake.records import loggable as _loggable
from eduqa.intake.records import status_marker as _status_marker


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


def _wide_duplicates(params, normal, rows, excluded, raw_id, subject_columns, school, klass):
    """Why each row still kept is excluded as a duplicate ('' if it is not), and the kind. A
    repeated row is a copy only when its school, class and scores are all the same: the same
    student at two schools (or in two classes) is a conflict, whatever the order of the rows
    (which school a pupil belongs to is never decided by which row comes first)."""
    subjects = list(params.subjects)
    headers = [subject_columns[s] for s in subjects]
    candidates = excluded == ""
    frame = pd.DataFrame({subject: normal[header][candidates]
                          for subject, header in zip(subjects, headers)})
    frame["_id"] = raw_id[candidates]
    frame["_school"] = school[candidates]
    frame["_class"] = klass[candidates]
    frame["_row"] = rows[candidates]
    reason = pd.Series("", index=raw_id.index, dtype=object)
    kind = pd.Series(None, index=raw_id.index, dtype=object)
    reason[candidates], kind[candidates] = _duplicates(frame, ["_id"],
                                                       [*subjects, "_school", "_class"])
    return reason, kind


def _long_duplicates(params, normal, rows, excluded, raw_id, found, school):
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
                          "_school": school[candidates], "_row": rows[candidates]})
    values = ["score", "_school"]  # (as in the wide layout: two schools are a conflict)
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
    tally: dict[str, dict] = {"above": {}}
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
        parsed = pd.to_numeric(stated.str.replace(POINTS_SUFFIX, "", regex=False),
                               errors="coerce")
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
                "reason": label("total") + " in the export differs from the sum of subjects ("
                          + computed[disagree].map("{:g}".format).to_numpy()
                          + "); the sum is used",
                "_order": order[disagree[disagree].index.to_numpy(np.int64)]}))
    return total, logs
