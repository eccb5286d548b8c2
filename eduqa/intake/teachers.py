"""Teachers of record (任课教师): who teaches which class what, read from the county's 任课安排
file, and a teacher's classes aggregated from the class effects — internal use only, off by
default (docs/METHODS.md §E).

Teachers are people: a teacher is known by a keyed code (HMAC, like students), and the name
is kept only when the caller asks for it (``params/county.yaml`` says so for internal use).
A teacher's figure is always the classes' effects with an interval, never a rank of raw means.
"""

from __future__ import annotations

import hashlib
import hmac
from pathlib import Path

import pandas as pd

from eduqa.catalog.vocabulary import (  # noqa: F401
    SCHOOL_COLUMN_SHOWN,
    TEACHER_COLUMNS,
)
from eduqa.config.schema import normalize_text, subject_id
from eduqa.errors import InputError
from eduqa.intake import readers
from eduqa.intake.items import class_label
from eduqa.intake.records import name_key, school_lookup

__all__ = ["TEACHER_COLUMNS", "read_teachers", "teacher_key"]




def teacher_key(identity: str, salt: str) -> str:
    """The keyed code of a teacher: ``T`` and 8 hex characters of HMAC-SHA256 (of the teacher
    id, or school and name), in a key space apart from the students'."""
    digest = hmac.new(salt.encode("utf-8"), f"teacher:{identity}".encode(), hashlib.sha256)
    return "T" + digest.hexdigest()[:8]


def read_teachers(path: str | Path, schools: pd.DataFrame, salt: str, *,
                  keep_names: bool = False) -> pd.DataFrame:
    """Read the 任课安排 file: one row per school, class and subject with its teacher.

    Parameters
    ----------
    path : the CSV or Excel file.
    schools : the roster (``school_code``, ``school_name``, ``aliases``), to resolve schools
        written by name or alias.
    salt : key of the teachers' codes.
    keep_names : keep the teachers' names (internal use only; never in the public report).

    Returns
    -------
    DataFrame
        ``school_code``, ``class`` (one spelling, :func:`eduqa.intake.items.class_label`),
        ``subject`` (canonical), ``teacher_key``, and ``teacher_name`` only with
        ``keep_names``.

    Raises
    ------
    InputError
        A row whose school, subject or teacher cannot be read, or a class and subject given
        two different teachers (the file, row and column named).
    """
    path = Path(path)
    table = readers.read_raw_table(path, TEACHER_COLUMNS, min_hits=2, what="teacher file")
    found = readers.map_columns(list(table.frame.columns), TEACHER_COLUMNS)
    for needed, zh in ((column, TEACHER_COLUMNS[column][0])
                       for column in ("class", "subject", "teacher")):
        if needed not in found:
            raise InputError.of("intake.teachers.read_teachers.teacher_file_has_no_", file=path,
                                column=zh, zh=zh, needed=needed)
    if "school_code" not in found and "school_name" not in found:
        raise InputError.of("intake.teachers.read_teachers.teacher_file_has_no", file=path,
                            column=SCHOOL_COLUMN_SHOWN)
    frame = table.frame
    lookup = school_lookup(schools)  # names, aliases and codes, as the score export's
    codes = set(schools["school_code"].astype(str))
    rows = []
    seen: dict[tuple, tuple[str, int]] = {}
    for at, row_number in zip(frame.index, table.source_row):
        if all(normalize_text(v) == "" for v in frame.loc[at]):
            continue
        if "school_code" in found and normalize_text(frame.at[at, found["school_code"]]):
            school = normalize_text(frame.at[at, found["school_code"]])
            column = found["school_code"]
            known = school in codes
        else:
            column = found["school_name"]
            school = lookup.get(name_key(frame.at[at, column]), ("", False))[0]
            known = bool(school)
        if not known:
            raise InputError.of("intake.teachers.read_teachers.this_school_not_roster", file=path,
                                row=row_number, column=column)
        subject = subject_id(frame.at[at, found["subject"]])
        if subject is None or subject == "total":
            raise InputError.of("intake.teachers.read_teachers.not_known_subject", file=path,
                                row=row_number, column=found["subject"])
        name = normalize_text(frame.at[at, found["teacher"]])
        if not name:
            raise InputError.of("intake.teachers.read_teachers.no_teacher_given", file=path,
                                row=row_number, column=found["teacher"])
        given_id = normalize_text(frame.at[at, found["teacher_id"]]) if "teacher_id" in found \
            else ""
        klass = class_label(frame.at[at, found["class"]])
        key = teacher_key(given_id or f"{school}/{name}", salt)
        place = (school, klass, subject)
        if place in seen and seen[place][0] != key:
            raise InputError.of("intake.teachers.read_teachers.class_has_two_teachers", file=path,
                                row=row_number, column=found["teacher"], klass=klass,
                                subject=subject, value1=seen[place][1], row_number=row_number)
        if place in seen:
            continue
        seen[place] = (key, row_number)
        record = {"school_code": school, "class": klass, "subject": subject,
                  "teacher_key": key}
        if keep_names:
            record["teacher_name"] = name
        rows.append(record)
    columns = ["school_code", "class", "subject", "teacher_key"] + (
        ["teacher_name"] if keep_names else [])
    return pd.DataFrame(rows, columns=columns)
