"""Row-level helpers shared by the cleaners of every raw file (scores, item scores, teachers):
the cleaning log's columns, the keyed student hash, repeated rows, what the log may keep of a
cell, and how a school's name is matched to the roster."""

from __future__ import annotations

import hashlib
import hmac
import re
import unicodedata

import numpy as np
import pandas as pd

from eduqa.catalog import say
from eduqa.catalog.vocabulary import (  # noqa: F401
    NUMBER_TEXT as _NUMBER_TEXT,
)
from eduqa.compute.frames import per_value
from eduqa.config.schema import STATUS_MARKERS, normalize_text

__all__ = ["SchoolLookup", "refuse_shared_names", "shared_name_error", "LOG_COLUMNS", "duplicates", "log_frame", "loggable", "name_key", "school_lookup", "status_marker",
           "student_key"]

LOG_COLUMNS = ["source_file", "source_row", "column", "original_value", "action", "kind",
               "detail", "reason"]


def log_frame(parts: list[pd.DataFrame], extra: tuple[str, ...] = ()) -> pd.DataFrame:
    """The cleaning log from its parts: the non-empty ones stacked, the columns of
    :data:`LOG_COLUMNS` (a missing one empty) then ``extra``, the source row a nullable
    integer and the text columns objects with None for a missing value."""
    used = [part for part in parts if len(part)]
    log = pd.concat(used, ignore_index=True) if used else pd.DataFrame(
        columns=[*LOG_COLUMNS, *extra])
    for column in LOG_COLUMNS:
        if column not in log:
            log[column] = None
    log = log[[*LOG_COLUMNS, *extra]].copy()
    log["source_row"] = log["source_row"].astype("Int64")
    for column in LOG_COLUMNS:
        if column != "source_row":  # (each distinct text one object: a log may have
            # millions of rows of a few reasons)
            log[column] = pd.Series(per_value(log[column], _text_or_none), index=log.index,
                                    dtype=object)
    return log


def _text_or_none(value: object) -> object:
    return None if value is None or (not isinstance(value, str) and pd.isna(value)) else value


def student_key(raw_ids: pd.Series, salt: str | bytes) -> pd.Series:
    """Keyed hash (HMAC-SHA256, 20 hex characters) of raw student ids.

    The same id and key always give the same hash, so a student links across seasons; without the
    key the id cannot be recovered or recomputed.
    """
    key = salt.encode("utf-8") if isinstance(salt, str) else salt
    keyed = hmac.new(key, digestmod=hashlib.sha256)  # copying the keyed state is cheaper

    def one(raw) -> str:
        state = keyed.copy()
        state.update(str(raw).encode("utf-8"))
        return state.hexdigest()[:20]

    return pd.Series(per_value(raw_ids, one), index=raw_ids.index, dtype=object)


def status_marker(normal: str) -> str | None:
    """The status a normalised cell text marks (缺考 → absent, …), or None."""
    return STATUS_MARKERS.get(normal) or STATUS_MARKERS.get(normal.lower())


#: The largest value a cell may show in the log: no paper has more marks (a 中考 total is 800).
LOGGABLE_MAX = 1000


def loggable(text: object, *, quoted: bool = False) -> object:
    """A raw cell's text as the cleaning log may keep it.

    Only what reads as a score — a number of at most :data:`LOGGABLE_MAX` in size, possibly
    with 分 (a typed −3 is kept: it tells the office what to correct and names nobody) — or a
    status marker (缺考 …) is kept: anything else may be personal (a child's name, a note, an
    ID-card or phone number typed into a score cell), and the processed data hold no personal
    data, so the log keeps only its length. The file, row and column of the entry locate the
    cell.

    >>> loggable("85分"), loggable("缺考"), loggable("１０５"), loggable(92.5)
    ('85分', '缺考', '１０５', 92.5)
    >>> loggable("张三"), loggable("13800138000"), loggable("8.5.1")
    ('[text withheld: 2 characters]', '[text withheld: 11 characters]', '[text withheld: 5 characters]')
    """
    if not isinstance(text, str):
        if isinstance(text, (int, float)) and not isinstance(text, bool) and not (
                abs(text) <= LOGGABLE_MAX):
            return f"[value withheld: {len(str(text))} characters]"
        return text
    normal = normalize_text(text)
    number = _NUMBER_TEXT.match(normal)
    keep = (number is not None and abs(float(number.group(1))) <= LOGGABLE_MAX) or (
        status_marker(normal) is not None)
    if keep:
        return f"'{text}'" if quoted else text
    return f"[text withheld: {len(normal)} characters]"


def name_key(name: object) -> str:
    """Matching key of a school name or code: NFKC (full-width letters and digits, no-break
    and ideographic spaces), no whitespace and no invisible format characters."""
    text = normalize_text(name)
    text = "".join(ch for ch in text if unicodedata.category(ch) != "Cf")
    return re.sub(r"\s+", "", text)


class SchoolLookup(dict):
    """normalised name / alias / code -> (school_code, matched_by_alias), with ``shared``:
    each name that two or more roster schools carry (中心小学 in two townships) -> those
    schools' (code, name, township). A shared name maps to no school: a file that names a
    school only by it cannot say which one is meant."""

    shared: dict[str, list[tuple[str, str, str]]]


def school_lookup(roster: pd.DataFrame) -> SchoolLookup:
    """normalised name / alias / code -> (school_code, matched_by_alias); names shared by
    several schools are listed in ``shared`` (see :class:`SchoolLookup`) and not looked up."""
    lookup = SchoolLookup()
    owners: dict[str, list[tuple[str, str, str]]] = {}
    for row in roster.itertuples(index=False):
        owners.setdefault(name_key(row.school_name), []).append(
            (str(row.school_code), str(row.school_name), str(getattr(row, "township", ""))))
    lookup.shared = {key: found for key, found in owners.items() if len(found) > 1}
    for row in roster.itertuples(index=False):
        lookup[name_key(row.school_code)] = (row.school_code, False)
        if name_key(row.school_name) not in lookup.shared:
            lookup[name_key(row.school_name)] = (row.school_code, False)
        for alias in str(row.aliases).split("|"):
            if alias.strip() and name_key(alias) not in lookup.shared:
                lookup.setdefault(name_key(alias), (row.school_code, True))
    return lookup


def refuse_shared_names(lookup: SchoolLookup, keys, texts, rows, *, file,
                        column: str | None, roster: str = "schools.csv",
                        townships=None) -> None:
    """Raise :func:`shared_name_error` at the first row whose school (``keys``: normalised
    names, one a row) is a name several roster schools share; ``texts`` and ``rows`` are the
    rows' school cells as written and their source row numbers; ``townships`` the rows'
    township cells when the file has that column (which then named none of those schools)."""
    if not lookup.shared:
        return
    hits = np.flatnonzero(pd.Series(keys, dtype=object).isin(list(lookup.shared)).to_numpy())
    if len(hits):
        at = int(hits[0])
        town = None if townships is None else str(np.asarray(townships, dtype=object)[at])
        raise shared_name_error(str(texts[at]), lookup.shared[keys[at]], file=file,
                                row=int(rows[at]), column=column, roster=roster, township=town)


def shared_name_error(name: str, schools: list[tuple[str, str, str]], *, file, row: int | None,
                      column: str | None, roster: str, township: str | None = None):
    """The error for a file that names a school only by a name two roster schools share
    (with ``township``: the row's township cell, which is none of theirs)."""
    from eduqa.errors import InputError

    listed, listed_zh = ([say("intake.records.school_in_township", language, code=code,
                              town=town) for code, _, town in schools]
                         for language in ("en", "zh"))
    if township is not None:
        told, told_zh = (say("intake.records.township_not_theirs" if township.strip()
                             else "intake.records.township_blank", language, township=township)
                         for language in ("en", "zh"))
        return InputError.of("intake.records.shared_name_error.school_name_belongs_schools_",
                             file=file, row=row, column=column, name=name, n_schools=len(schools),
                             listed=listed, told=told, listed_zh=listed_zh, told_zh=told_zh,
                             roster=roster)
    return InputError.of("intake.records.shared_name_error.school_name_belongs_schools", file=file,
                         row=row, column=column, name=name, n_schools=len(schools), listed=listed,
                         listed_zh=listed_zh, roster=roster)


def duplicates(frame: pd.DataFrame, key: list[str],
                value_columns: list[str]) -> tuple[pd.Series, pd.Series]:
    """Exclusion reason and kind code per row for repeated ``key`` values ('' and None when the
    row is kept).

    ``frame`` holds the key, the values that must agree and ``_row`` (source row numbers).
    """
    reason = pd.Series("", index=frame.index, dtype=object)
    kind = pd.Series(None, index=frame.index, dtype=object)
    repeated = frame.duplicated(key, keep=False)
    if not repeated.any():
        return reason, kind
    part = frame[repeated]
    group_id = part.groupby(key, sort=False).ngroup()
    versions = part.drop_duplicates(key + value_columns).groupby(key, sort=False).size()
    conflicting = group_id.map(pd.Series(versions.to_numpy() > 1))
    row_lists = part.groupby(group_id)["_row"].agg(lambda s: ", ".join(map(str, sorted(s))))
    first_rows = part.groupby(group_id)["_row"].min()
    later_copy = (~conflicting) & part.duplicated(key + value_columns, keep="first")
    reason[later_copy[later_copy].index] = "duplicate of row " + group_id[later_copy].map(
        first_rows).astype(str)
    reason[conflicting[conflicting].index] = (
        "same student id on rows " + group_id[conflicting].map(row_lists)
        + " with different entries: all excluded; correct the export")
    kind[later_copy[later_copy].index] = "duplicate_row"
    kind[conflicting[conflicting].index] = "conflicting_duplicate"
    return reason, kind
