"""Inputs of the paper analysis (试卷分析): question names, the paper blueprint (双向细目表) and
class names, read from the county's own files with clear errors.

The item statistics themselves are in :mod:`eduqa.paper.statistics`; DIF and IRT in :mod:`eduqa.models`.
"""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

import numpy as np
import pandas as pd

from eduqa.catalog import say
from eduqa.catalog.vocabulary import (  # noqa: F401
    BLUEPRINT_COLUMNS,
    CLASS_WRITTEN,
    ID_COLUMNS_SHOWN,
    LONG_ITEM_COLUMNS,
    OBJECTIVE_TYPES,
    POINTS_SUFFIX,
    TEN,
)
from eduqa.catalog.vocabulary import (
    CHINESE_DIGITS as _CHINESE_DIGITS,
)
from eduqa.catalog.vocabulary import (
    CLASS_NAME as _CLASS,
)
from eduqa.catalog.vocabulary import (
    LIST_SEPARATORS as _SPLIT,
)
from eduqa.catalog.vocabulary import (
    QUESTION_NUMBERED as _NUMBERED,
)
from eduqa.catalog.vocabulary import (
    QUESTION_WRAPPED as _WRAPPED,
)
from eduqa.config.schema import ID_PRIORITY, SCORE_COLUMNS, normalize_text, subject_id
from eduqa.errors import InputError, listed
from eduqa.intake import readers
from eduqa.intake.records import duplicates, log_frame, loggable, student_key

__all__ = ["BLUEPRINT_COLUMNS", "LONG_ITEM_COLUMNS", "OBJECTIVE_TYPES", "class_label",
           "question_id", "read_blueprint"]


def question_id(header: object) -> str | None:
    """The canonical name of a question column or blueprint entry, or None for an empty one.

    Full-width characters and spaces are normalised (NFKC), ``第3题`` and ``3题`` are ``3``,
    ``17（1）`` is ``17(1)``; a name such as ``选择题1`` is kept as written. The same function
    is applied to the export's headers and to the blueprint's question column, so the two
    match however each was typed.

    >>> [question_id(v) for v in ["第3题", " 17（1） ", "选择题1", "１２", ""]]
    ['3', '17(1)', '选择题1', '12', None]
    """
    text = unicodedata.normalize("NFKC", normalize_text(header)).replace(" ", "")
    if not text:
        return None
    match = _WRAPPED.match(text) or (_NUMBERED.match(text) if text[0].isdigit() else None)
    if match:
        text = match.group(1)
    if re.fullmatch(r"\d+(\.0+)?", text):  # 3.0 from a spreadsheet's number cell
        text = str(int(float(text)))
    return text


def _chinese_number(text: str) -> int | None:
    """一 … 九十九 as an integer, else None."""
    if not text or any(c not in _CHINESE_DIGITS and c != TEN for c in text):
        return None
    if TEN not in text:
        return int("".join(str(_CHINESE_DIGITS[c]) for c in text)) if len(text) == 1 else None
    tens, _, ones = text.partition(TEN)
    if len(tens) > 1 or len(ones) > 1:
        return None
    return (_CHINESE_DIGITS[tens] if tens else 1) * 10 + (_CHINESE_DIGITS[ones] if ones else 0)


def class_label(value: object) -> str:
    """A class name in one spelling: ``1班``, ``(1)班``, ``（1）班``, ``一班``, ``01``, ``1``
    and ``初三(1)班`` of a grade's export are all ``1班``; any other name (``实验班``,
    ``火箭班``) is kept as written (normalised text); an empty cell is ``""``.

    >>> [class_label(v) for v in ["1班", "(1)班", "一班", "01", "初三（12）班", "实验班", ""]]
    ['1班', '1班', '1班', '1班', '12班', '实验班', '']
    """
    text = unicodedata.normalize("NFKC", normalize_text(value)).replace(" ", "")
    if not text:
        return ""
    match = _CLASS.fullmatch(text)
    if not match:
        return text
    number = match.group(1)
    value_ = int(number) if number.isdigit() else _chinese_number(number)
    return CLASS_WRITTEN.format(value_) if value_ else text


def read_blueprint(path: str | Path, subject: str) -> pd.DataFrame:
    """Read a paper blueprint (双向细目表): one row per question with its full marks, and
    optionally its type, knowledge point(s), ability level and answer key.

    Parameters
    ----------
    path : path of the CSV or Excel file.
    subject : the subject it belongs to (for messages).

    Returns
    -------
    DataFrame
        One row per question and knowledge point (a question with several points, written
        ``函数、方程``, has a row for each): ``question`` (see :func:`question_id`),
        ``full_marks``, ``type``, ``objective`` (scored from a chosen option), ``knowledge_point``,
        ``ability``, ``key`` (upper-case; "" when none), ``order`` (position in the file).

    Raises
    ------
    InputError
        With the file, row and column: no question or full-marks column, a question twice,
        full marks that are not a positive number, an objective question without a key.
    """
    path = Path(path)
    table = readers.read_raw_table(path, BLUEPRINT_COLUMNS, min_hits=2, what="blueprint")
    found = readers.map_columns(list(table.frame.columns), BLUEPRINT_COLUMNS)
    for needed, zh in ((column, BLUEPRINT_COLUMNS[column][0])
                       for column in ("question", "full_marks")):
        if needed not in found:
            shown = listed(table.frame.columns)
            raise InputError.of("intake.items.read_blueprint.blueprint_has_no_column", file=path,
                                column=zh, subject=subject, zh=zh, needed=needed, shown=shown,
                                value1=listed(table.frame.columns, "zh"))
    frame = table.frame
    rows = pd.Series(table.source_row, index=frame.index)

    def column(name: str) -> pd.Series:
        if name not in found:
            return pd.Series("", index=frame.index)
        return frame[found[name]].map(normalize_text)

    question = frame[found["question"]].map(question_id)
    used = question.notna()
    records = []
    seen: dict[str, int] = {}
    marks_text, types = column("full_marks"), column("type")
    points, abilities, keys = column("knowledge_point"), column("ability"), column("key")
    for at in frame.index[used.to_numpy()]:
        name, row = question[at], int(rows[at])
        if name in seen:
            raise InputError.of("intake.items.read_blueprint.question_listed_twice_rows", file=path,
                                row=row, column=found["question"], name=name, value1=seen[name])
        seen[name] = row
        marks = pd.to_numeric(marks_text[at].replace(POINTS_SUFFIX, ""), errors="coerce")
        if not np.isfinite(marks) or marks <= 0:
            raise InputError.of("intake.items.read_blueprint.full_marks_question_not", file=path,
                                row=row, column=found["full_marks"], name=name,
                                value1=marks_text[at])
        kind = types[at]
        objective = any(word in kind for word in OBJECTIVE_TYPES)
        key = unicodedata.normalize("NFKC", keys[at]).replace(" ", "").upper()
        if objective and not key:
            raise InputError.of("intake.items.read_blueprint.question_objective_question_without",
                                file=path, row=row, column=found.get("key", BLUEPRINT_COLUMNS["key"][0]), name=name,
                                kind=kind)
        tagged = [p for p in _SPLIT.split(points[at]) if p] or [""]
        for point in tagged:
            records.append({"question": name, "full_marks": float(marks), "type": kind,
                            "objective": objective, "knowledge_point": point,
                            "ability": abilities[at], "key": key, "order": len(seen) - 1})
    if not records:
        raise InputError.of("intake.items.read_blueprint.blueprint_lists_no_question", file=path,
                            subject=subject)
    return pd.DataFrame(records)


_LETTERS = re.compile(r"^[A-Z]{1,6}$")


class ItemsResult:
    """The item scores of one subject, cleaned: ``items`` (``student_key``, ``school_code``,
    ``class``, then one float column per question in blueprint order, NaN where the
    question's score is missing or invalid), ``choices`` (``student_key`` and the option
    chosen per objective question, "" for a blank, when the export held options), ``log``
    (cleaning-log entries, columns of :data:`eduqa.intake.records.LOG_COLUMNS`), ``n_rows_in``."""

    def __init__(self, items: pd.DataFrame, choices: pd.DataFrame, log: pd.DataFrame,
                 n_rows_in: int):
        self.items, self.choices, self.log, self.n_rows_in = items, choices, log, n_rows_in

    @property
    def n_rows_excluded(self) -> int:
        return int((self.log["action"] == "exclude_row").sum())

    @property
    def n_rows_kept(self) -> int:
        """Raw rows kept: one per pupil in a wide export, one per pupil and question in a
        long one."""
        return self.n_rows_in - self.n_rows_excluded


def clean_items(path: str | Path, subject: str, blueprint: pd.DataFrame,
                scores: pd.DataFrame, salt: str, *, tolerance: float = 0.5,
                blueprint_path: str | Path | None = None, source: str | None = None
                ) -> ItemsResult:
    """Clean one subject's item-score export (小题分): wide (one column per question) or long
    (one row per pupil and question: columns 题号 and 得分, and 选项 for objective questions,
    besides the id, school and class; :data:`LONG_ITEM_COLUMNS`).

    Parameters
    ----------
    path : the export (CSV or Excel; the same reader, encodings and title rows as score
        exports).
    subject : the subject (canonical id, e.g. ``math``).
    blueprint : :func:`read_blueprint` of the subject's paper.
    scores : the season's long scores (``student_key``, ``school_code``, ``class``,
        ``subject``, ``score``, ``status``): the students and their subject scores.
    salt : the key of the student hash (the same as the score export's).
    tolerance : how far the question scores' sum may be from the subject score.
    blueprint_path, source : how the blueprint and the export are named in messages and in
        the log.

    Returns
    -------
    ItemsResult

    Notes
    -----
    A question cell holds a score, or for an objective question the option chosen (scored
    full marks when it equals the key, else 0). A blank cell is a missing response (NaN); a
    score below 0 or above the question's full marks, or other text, is invalid (NaN, logged).
    Rows are excluded, each logged with its reason: no student id; the same id twice (kept
    once when identical); a student not in the score export; a student who did not sit the
    subject; question scores that do not sum to the subject score within ``tolerance`` (only
    checked when every question is scored). Rows in = rows kept + rows logged as excluded.
    In a long export every raw row of an excluded pupil is logged, and so is a row with no
    question number or repeating a pupil's question with the same entry; a pupil with one
    question given twice differently is excluded as a whole.

    Raises
    ------
    InputError
        A blueprint question the export lacks, or an export column that is neither a known
        column nor a blueprint question (the message names both files).
    """

    path = Path(path)
    source = source or path.name
    aliases = {k: v for k, v in SCORE_COLUMNS.items() if k not in ("subject", "score")}
    reader = readers.open_raw_table(path, {**aliases, **LONG_ITEM_COLUMNS}, min_hits=2,
                               what="item scores file")
    long_found = readers.map_columns(reader.header, LONG_ITEM_COLUMNS)
    is_long = "question" in long_found and "item_score" in long_found
    subject_rows = scores[scores["subject"] == subject]
    _check_rows(reader, is_long, subject, int(subject_rows["student_key"].nunique()),
                int(blueprint["question"].nunique()), source)
    table = readers.read_compact(reader)
    frame, source_row = table.frame, np.asarray(table.source_row)
    del table  # (a long export's frame is let go once widened)
    found = readers.map_columns(list(frame.columns), aliases)
    id_field = next((f for f in ID_PRIORITY if f in found), None)
    if id_field is None:  # (either layout: widening keeps the id column)
        raise InputError.of("intake.items.clean_items.no_student_id_column", file=path,
                            column=ID_COLUMNS_SHOWN)
    long = None
    if is_long:
        long = _LongExport(frame, source_row, found[id_field], long_found, blueprint, path,
                           source)
        frame, source_row = long.wide, long.first_row
        found = readers.map_columns(list(frame.columns), aliases)
    questions = list(dict.fromkeys(blueprint["question"]))
    where = str(blueprint_path) if blueprint_path else "the blueprint"
    column_of = _question_columns(list(frame.columns), set(found.values()), questions, where,
                                  source, path)
    n = len(frame) if long is None else long.n_rows
    rows = pd.Series(source_row, index=frame.index, dtype="int64")
    id_codes, id_texts = _coded(frame[found[id_field]], normalize_text)
    raw_id = pd.Series(id_texts[id_codes] if len(id_codes) else np.zeros(0, dtype=object),
                       index=frame.index, dtype=object)
    reason = pd.Series("", index=frame.index, dtype=object)
    kind = pd.Series(None, index=frame.index, dtype=object)
    detail = pd.Series(None, index=frame.index, dtype=object)
    reason[raw_id == ""], kind[raw_id == ""] = "no student id", "no_student_id"
    candidates = reason == ""
    # each question's cells as codes of their distinct normalised texts (a city's item export
    # is millions of cells; their distinct texts are a few dozen)
    coded = {q: _coded(frame[column_of[q]], normalize_text) for q in questions}
    chosen_rows = candidates.to_numpy()
    check = pd.DataFrame({q: coded[q][0][chosen_rows] for q in questions},
                         index=frame.index[chosen_rows])
    check["_id"], check["_row"] = raw_id[candidates], rows[candidates]
    reason[candidates], kind[candidates] = duplicates(check, ["_id"], questions)
    if long is not None:  # a question given twice with different entries: the whole pupil
        twice = pd.Series(long.conflicting, index=frame.index) & (reason == "")
        reason[twice] = [f"a question given twice with different entries (rows "
                         f"{', '.join(map(str, long.rows_of(int(i))))}): all excluded; "
                         "correct the export" for i in np.flatnonzero(twice.to_numpy())]
        kind[twice] = "conflicting_duplicate"
    keys = pd.Series(student_key(raw_id, salt).to_numpy(), index=frame.index)

    # the cells: a number, an option letter (objective questions), blank, or invalid
    per_question = blueprint.drop_duplicates("question").set_index("question")
    scores_out = {}
    chosen: dict[str, pd.Series] = {}
    invalid_cells = []
    for q in questions:
        marks = float(per_question.loc[q, "full_marks"])
        number, letters, invalid = _question_cells(coded[q], frame.index, marks,
                                                   bool(per_question.loc[q, "objective"]),
                                                   per_question.loc[q, "key"])
        if letters is not None:
            chosen[q] = letters
        if invalid.any():
            invalid_cells.append((q, marks, invalid))
        scores_out[q] = number.where(~invalid)

    # the students: in the score export, and sitting this subject
    known_students = subject_rows.drop_duplicates("student_key").set_index("student_key")
    items = pd.DataFrame(scores_out)
    del scores_out
    _check_students(reason, kind, detail, keys, known_students, subject,
                    items.sum(axis=1, min_count=len(questions)), tolerance)

    dropped = reason != ""
    cell_logs = []
    for q, marks, invalid in invalid_cells:  # (cells of the rows kept)
        bad = invalid & ~dropped
        cell_logs.append(pd.DataFrame({
            "source_file": source,
            "source_row": (rows[bad] if long is None else long.cell_row[q][bad]).to_numpy(),
            "column": column_of[q] if long is None else long.score_column,
            "original_value": [loggable(v) for v in frame.loc[bad, column_of[q]]],
            "action": "set_invalid", "kind": "item_invalid",
            "detail": [f'{{"question": "{q}", "full_marks": {marks:g}}}'] * int(bad.sum()),
            "reason": f"question {q}: not a score from 0 to {marks:g}"}))
    excluded = pd.DataFrame({"source_row": rows[dropped].to_numpy(),
                             "kind": kind[dropped].to_numpy(), "detail": detail[dropped].to_numpy(),
                             "reason": reason[dropped].to_numpy()})
    if long is not None:  # every raw row of an excluded pupil, and the rows set aside first
        excluded = long.every_row(excluded, dropped.to_numpy())
    logs = [excluded.assign(source_file=source, column=None, original_value=None,
                            action="exclude_row"), *cell_logs]
    log = log_frame(logs)
    kept = np.flatnonzero(~dropped.to_numpy())
    who = known_students.reindex(keys.to_numpy()[kept])
    # the pupils kept, by school, class and key: each column taken once, in that order
    rank = np.lexsort([keys.to_numpy()[kept], who["class"].astype(str).to_numpy(),
                       who["school_code"].astype(str).to_numpy()])
    order, who = kept[rank], who.iloc[rank]
    out = pd.DataFrame({"student_key": keys.to_numpy()[order],
                        "school_code": who["school_code"].astype(object).to_numpy(),
                        "class": who["class"].astype(object).to_numpy()})
    for q in questions:
        out[q] = items[q].to_numpy()[order]
    del items
    choices = pd.DataFrame({"student_key": keys.to_numpy()[order],
                            **{q: chosen[q].to_numpy()[order] for q in chosen}})
    return ItemsResult(items=out, choices=choices,
                       log=log, n_rows_in=n)


def _question_columns(headers: list[str], known: set[str], questions: list[str], where: str,
                      source: str, path: Path) -> dict[str, str]:
    """Each blueprint question's column of the export; a question the export lacks, or a
    column that is neither a known column nor a question of the blueprint, is an error naming
    both files."""
    column_of: dict[str, str] = {}
    extra = []
    for header in headers:
        if header in known or subject_id(header) is not None:  # (a 总分 / subject column)
            continue
        name = question_id(header)
        if name is None:
            continue
        if name in questions and name not in column_of:
            column_of[name] = header
        else:
            extra.append(header)
    lacking = [q for q in questions if q not in column_of]
    if lacking:
        shown = listed(lacking)
        raise InputError.of("intake.items.question_columns.blueprint_lists_question_which",
                            file=path, column=lacking[0], where=where, shown=shown, source=source,
                            value1=listed(lacking, "zh"))
    if extra:
        shown = listed(extra)
        raise InputError.of("intake.items.question_columns.item_scores_have_column", file=path,
                            column=extra[0], source=source, shown=shown, where=where,
                            value1=listed(extra, "zh"))
    return column_of


def _question_cells(coded: tuple[np.ndarray, np.ndarray], index: pd.Index, marks: float,
                    objective: bool, key) -> tuple[pd.Series, pd.Series | None, pd.Series]:
    """One question's cells (codes of their distinct normalised texts): (the score, the
    option letters chosen when the question is objective and answered by letter, else None,
    which given cells are invalid). A letter scores ``marks`` when it is the ``key``, else 0."""
    codes, texts = coded
    distinct = pd.Series(texts, dtype=object)
    upper = distinct.str.upper() if len(distinct) else distinct
    each = {  # (of the distinct texts, then spread over the cells)
        "number": pd.to_numeric(distinct.str.replace(POINTS_SUFFIX, "", regex=False)
                                if len(distinct) else distinct, errors="coerce"),
        "letters": upper.where(upper.str.match(_LETTERS), "") if len(distinct)
        else distinct,
        "given": distinct != ""}
    number = pd.Series(each["number"].to_numpy(dtype=float)[codes], index=index)
    letters = pd.Series(each["letters"].to_numpy(dtype=object)[codes], index=index,
                        dtype=object)
    given = pd.Series(each["given"].to_numpy(dtype=bool)[codes], index=index)
    chosen = None
    if objective and (letters != "").any():
        chosen = letters
        number = number.where(letters == "", np.where(letters == key, marks, 0.0))
    invalid = given & (number.isna() | (number < 0) | (number > marks))
    return number, chosen, invalid


def _check_students(reason: pd.Series, kind: pd.Series, detail: pd.Series, keys: pd.Series,
                    known_students: pd.DataFrame, subject: str, total: pd.Series,
                    tolerance: float) -> None:
    """Mark (in place) the rows whose pupil is not in the score export, did not sit the
    subject, or whose question scores (``total``, when every question is scored) are more
    than ``tolerance`` from the subject score."""
    in_export = keys.isin(known_students.index)
    missing = (reason == "") & ~in_export
    reason[missing], kind[missing] = "student not in the score export", "item_student_unknown"
    status = keys.map(known_students["status"].astype(object))
    absent = (reason == "") & (status != "sat")
    if absent.any():
        reason[absent] = [f"no {subject} score to check against (status: {v})"
                          for v in status[absent]]
        kind[absent] = "item_not_sat"
    stated = keys.map(known_students["score"].astype(float))
    off = (reason == "") & total.notna() & ((total - stated).abs() > tolerance)
    if off.any():
        reason[off] = [f"question scores sum to {a:g}, the {subject} score is {b:g}"
                       for a, b in zip(total[off], stated[off])]
        kind[off] = "item_sum_mismatch"
        detail[off] = [f'{{"sum": {a:g}, "score": {b:g}}}'
                       for a, b in zip(total[off], stated[off])]


def _coded(values: pd.Series, function) -> tuple[np.ndarray, np.ndarray]:
    """``function`` of every value, computed once per distinct value: the codes of the
    results (-1 where the result is None; int16 when they are few enough, else int32) and the
    distinct results."""
    if isinstance(values.dtype, pd.CategoricalDtype):  # (a compact read: codes already)
        codes, uniques = values.cat.codes.to_numpy(), values.cat.categories.to_numpy(object)
    else:
        codes, uniques = pd.factorize(values.to_numpy(dtype=object), use_na_sentinel=False)
    results, distinct = pd.factorize(
        pd.Series([function(u) for u in uniques], dtype=object), use_na_sentinel=True)
    small = np.int16 if len(distinct) < 2**15 - 1 else np.int32
    coded = results.astype(small)[codes] if len(codes) else np.zeros(0, dtype=small)
    return coded, np.asarray(distinct, dtype=object)


def _later(keys: np.ndarray) -> np.ndarray:
    """Which entries of ``keys`` repeat an earlier one (``duplicated(keep="first")`` of
    integers, by sorting)."""
    later = np.ones(len(keys), dtype=bool)
    later[np.unique(keys, return_index=True)[1]] = False
    return later


def _texts(values: pd.Series, positions: np.ndarray) -> np.ndarray:
    """The texts of ``values`` at ``positions`` (of a categorical column, without making an
    object per cell of the whole column)."""
    if isinstance(values.dtype, pd.CategoricalDtype):
        return values.cat.categories.to_numpy(object)[values.cat.codes.to_numpy()[positions]]
    return values.to_numpy(dtype=object)[positions]


#: Data rows an item-score export may hold at most, whatever the season: it is read compactly
#: (:func:`eduqa.intake.readers.read_compact`), e.g. 800,000 pupils × 25 questions in the long layout.
MAX_ITEM_ROWS = 20_000_000

#: An item export may hold this many times the rows its season's pupils fill (one per pupil
#: of the subject in the score export, and per question in the long layout), plus
#: :data:`SPARE_ITEM_ROWS`: room for repeated rows and for pupils the score export does not
#: have (e.g. a platform's export of a few more schools), each logged; and a bound on how
#: much a wrong or hostile file makes eduqa read and log (a million rows logged cost about
#: 0.5 GB; benchmarks/bench_limits.py).
ITEM_ROWS_SLACK = 1.1
SPARE_ITEM_ROWS = 1_000_000


def _check_rows(reader: readers.RawReader, is_long: bool, subject: str, pupils: int,
                questions: int, source: str) -> None:
    """Refuse an item export with more rows than its season can fill (``pupils`` of the
    subject in the score export, ``questions`` on its paper; see :data:`ITEM_ROWS_SLACK`) or
    than :data:`MAX_ITEM_ROWS`, before its body is read (a Parquet file from its metadata)."""
    per_pupil = questions if is_long else 1
    allowed = int(pupils * per_pupil * ITEM_ROWS_SLACK) + SPARE_ITEM_ROWS
    rows = reader.rows_bound
    if rows > MAX_ITEM_ROWS:
        raise InputError.of("intake.items.check_rows.too_many_long" if is_long
                            else "intake.items.check_rows.too_many_wide", file=reader.path,
                            source=source, rows=rows, most=MAX_ITEM_ROWS)
    if rows > allowed:
        each, each_zh = (say("intake.items.check_rows.long_rows" if is_long
                             else "intake.items.check_rows.wide_rows", language,
                             questions=questions) for language in ("en", "zh"))
        raise InputError.of("intake.items.check_rows.item_scores_have_rows", file=reader.path,
                            source=source, rows=rows, pupils=pupils, subject=subject, each=each,
                            allowed=allowed, each_zh=each_zh)


def _unknown_questions(unknown: list, source: str, path: Path, column: str) -> InputError:
    """The error for a long export naming questions the blueprint does not list."""
    return InputError.of("intake.items.unknown_questions.item_scores_name_question", file=path,
                         column=column, source=source, value1=listed(unknown),
                         value2=listed(unknown, "zh"))


class _CellRows:
    """The raw row of each question's entry of each wide row (``cell_row[question]``: a
    nullable integer Series on the wide rows), made on demand from one integer grid."""

    def __init__(self, at: np.ndarray, questions: list[str], index: pd.Index):
        self._at, self._column, self._index = at, {q: j for j, q in enumerate(questions)}, index

    def __getitem__(self, question: str) -> pd.Series:
        values = self._at[:, self._column[question]]
        return pd.Series(pd.arrays.IntegerArray(values.astype(np.int64), values < 0),
                         index=self._index)

    def __iter__(self):
        return iter(self._column)


class _LongExport:
    """A long item-score export (one row per pupil and question) turned into the wide layout
    the cleaner reads: one row per pupil id, one text column per question (the option when
    the row gives one, else the score). Raw rows that cannot go into it — no question, the
    same question twice for a pupil — are set aside with their reasons, so that every raw row
    is kept (with its pupil) or logged.

    Worked on codes: each column's distinct texts are normalised once, and the pupils,
    questions and entries are integer codes (a city's export is millions of rows; each
    pupil's raw rows are held as one sorted array with offsets, not a list per pupil)."""

    def __init__(self, frame: pd.DataFrame, source_row: np.ndarray, id_column: str,
                 long_found: dict, blueprint: pd.DataFrame, path: Path, source: str):
        self.n_rows = n = len(frame)
        self.score_column = long_found["item_score"]
        rows = np.asarray(source_row)
        ids, id_text = _coded(frame[id_column], normalize_text)
        question, question_text = _coded(frame[long_found["question"]], question_id)
        score, score_text = _coded(frame[self.score_column], normalize_text)
        # the entry: the option when the row gives one, else the score — as codes into the
        # two columns' distinct texts, made one code per distinct text
        cell, texts = score, score_text
        if "option" in long_found:
            option, option_text = _coded(frame[long_found["option"]], normalize_text)
            given = (option_text != "")[option]
            cell = np.where(given, option.astype(np.int32) + len(score_text), score)
            del option, given
            texts = np.concatenate([score_text, option_text])
        same_text, cell_values = pd.factorize(pd.Series(texts, dtype=object))
        cell = same_text.astype(np.int32)[cell] if n else cell
        del score
        cell_values = np.asarray(cell_values, dtype=object)
        known = set(blueprint["question"])
        unknown = sorted({q for q in question_text if q not in known}, key=str)
        if unknown:
            raise _unknown_questions(unknown, source, path, long_found["question"])
        no_question = question < 0
        no_id = (id_text == "")[ids] if n else np.zeros(0, dtype=bool)
        usable = ~no_question & ~no_id
        aside = [pd.DataFrame({"source_row": rows[no_question], "kind": "item_no_question",
                               "detail": None, "reason": "no question number on the row"})]
        # a pupil's question given on more than one row: found by counting each (pupil,
        # question) pair, then sorted out among those rows only (in a sane export, none)
        n_pairs = len(id_text) * (len(question_text) + 1)
        pair = ids.astype(np.int64) * (len(question_text) + 1) + question
        pair[~usable] = n_pairs
        several = np.bincount(pair, minlength=n_pairs + 1) > 1
        several = several[pair] & usable
        repeated = np.zeros(n, dtype=bool)  # (not the pair's first row)
        same = np.zeros(n, dtype=bool)  # (an earlier row of the pair has the same entry)
        involved = np.flatnonzero(several)  # (in row order)
        repeated[involved] = _later(pair[involved])
        same[involved] = _later(pair[involved] * (len(cell_values) + 1) + cell[involved])
        del pair, several
        aside.append(pd.DataFrame({"source_row": rows[same], "kind": "duplicate_row",
                                   "detail": None,
                                   "reason": "the same pupil and question again with the "
                                             "same entry"}))
        conflicting_ids = np.unique(ids[repeated & ~same])
        aside = [a for a in aside if len(a)]
        self.aside = pd.concat(aside, ignore_index=True) if aside else pd.DataFrame(
            columns=["source_row", "kind", "detail", "reason"])
        keep = np.flatnonzero(usable & ~same).astype(np.int32)  # (positions < 2**31)
        first_of_pair = keep[~repeated[keep]] if repeated.any() else keep
        del repeated, same, usable
        # the pupils: one wide row each, in the order of their first raw row; rows without an
        # id stay one pupil-row each (the cleaner excludes them as "no student id")
        first_at = np.full(len(id_text), n, dtype=np.int64)
        np.minimum.at(first_at, ids[keep], keep)
        present = np.flatnonzero(first_at < n)
        by_first = present[np.argsort(first_at[present], kind="stable")]
        n_pupils = len(by_first)
        pupil_of_id = np.full(len(id_text), -1, dtype=np.int32)
        pupil_of_id[by_first] = np.arange(n_pupils, dtype=np.int32)
        first = first_at[by_first]  # (each pupil's first raw row, pupils in order)
        pupil = pupil_of_id[ids[keep]]
        order = np.argsort(pupil, kind="stable")  # (raw rows in file order within a pupil)
        self._rows = rows[keep[order]]
        del order
        counts = np.bincount(pupil, minlength=n_pupils)
        del pupil
        blank = np.flatnonzero(~no_question & no_id)
        others = [c for c in frame.columns if c not in (
            long_found["question"], self.score_column, long_found.get("option"))]
        wide = pd.DataFrame({c: _texts(frame[c], np.concatenate([first, blank]))
                             for c in others}, index=range(n_pupils + len(blank)))
        # the grid of entries (codes into the distinct entries, "" where none) and of the raw
        # row of each entry (-1 where none), a column per question of the blueprint
        questions = list(dict.fromkeys(blueprint["question"]))
        categories = list(cell_values) + ([] if "" in set(cell_values) else [""])
        column_of = np.full(len(question_text), -1, dtype=np.int64)
        for j, q in enumerate(questions):
            column_of[[i for i, t in enumerate(question_text) if t == q]] = j
        grid = np.full((len(wide), len(questions)), categories.index(""), dtype=np.int32)
        at = np.full((len(wide), len(questions)), -1, dtype=np.int32)
        who = pupil_of_id[ids[first_of_pair]]
        where = column_of[question[first_of_pair]]
        grid[who, where] = cell[first_of_pair]
        at[who, where] = rows[first_of_pair]
        at[n_pupils:] = rows[blank][:, None]
        for j, q in enumerate(questions):
            wide[q] = pd.Categorical.from_codes(grid[:, j], categories=categories)
        self.cell_row = _CellRows(at, questions, wide.index)
        self._starts = np.concatenate([[0], np.cumsum(counts), len(self._rows)
                                       + np.arange(1, len(blank) + 1)])
        self._rows = np.concatenate([self._rows, rows[blank]])
        self.conflicting = np.concatenate([np.isin(by_first, conflicting_ids),
                                           np.zeros(len(blank), dtype=bool)])
        self.first_row = self._rows[self._starts[:-1]] if len(wide) else np.zeros(
            0, dtype=np.int64)
        self.wide = wide

    def rows_of(self, pupil: int) -> list[int]:
        """The raw rows of wide row ``pupil``, in order."""
        return self._rows[self._starts[pupil]:self._starts[pupil + 1]].tolist()

    @property
    def members(self) -> list[list[int]]:
        """The raw rows of every wide row (as :meth:`rows_of`)."""
        return [self.rows_of(i) for i in range(len(self._starts) - 1)]

    def every_row(self, excluded: pd.DataFrame, dropped: np.ndarray) -> pd.DataFrame:
        """The exclusions of pupil-rows spread over each pupil's raw rows, with the rows set
        aside before widening."""
        which = np.flatnonzero(dropped)
        lengths = np.diff(self._starts)[which]
        spread = excluded.loc[excluded.index.repeat(lengths)].reset_index(drop=True)
        spread["source_row"] = np.concatenate(
            [self._rows[self._starts[i]:self._starts[i + 1]] for i in which]) if len(which) \
            else np.zeros(0, dtype=np.int64)
        return pd.concat([spread, self.aside], ignore_index=True).sort_values(
            "source_row", kind="stable").reset_index(drop=True)
