"""The roster and the files keyed by school (README "输入文件的列"): the roster read and
checked (codes, categories, names written one way), the student key's salt, and the staffing
and targets files matched to the roster's schools."""

from __future__ import annotations

import functools
import os
import re
import unicodedata
from pathlib import Path

import numpy as np
import pandas as pd

from eduqa.catalog import joined, say
from eduqa.catalog.vocabulary import YES_WORDS
from eduqa.catalog.words import FILE_KINDS_IN_CHINESE
from eduqa.config.labels import label
from eduqa.config.paths import relative
from eduqa.config.schema import (
    ROSTER_COLUMNS,
    SCHOOL_TYPE_LEVELS,
    STAFFING_COLUMNS,
    TARGET_COLUMNS,
    normalize_text,
    subject_id,
    urban_rural_category,
)
from eduqa.errors import InputError
from eduqa.indicators.staffing import staffing_indicators
from eduqa.intake import readers
from eduqa.intake.records import name_key as _name_key
from eduqa.intake.records import refuse_shared_names
from eduqa.intake.records import school_lookup as _school_lookup

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
    raise InputError.of("intake.schools.resolve_salt.eduqa_salt_not_set", file=roster_path)


def read_roster(path: Path) -> pd.DataFrame:
    """Read ``schools.csv`` into canonical columns, one row per school.

    Returns columns school_code, school_name, aliases, township, urban_rural (urban / town /
    rural), urban_rural_raw, school_type, boarding (bool), enrollment (float, NaN when absent).
    """
    table = readers.read_raw_table(path, ROSTER_COLUMNS, min_hits=3, what="school roster")
    found = readers.map_columns(list(table.frame.columns), ROSTER_COLUMNS)
    for required in ("school_code", "school_name", "township", "urban_rural", "school_type"):
        if required not in found:
            raise InputError.of("intake.schools.read_roster.school_roster_has_no", file=path,
                                column=ROSTER_COLUMNS[required][1], required=required,
                                required2=label(required), columns=list(table.frame.columns))
    frame = pd.DataFrame({key: table.frame[col].map(normalize_text) for key, col in found.items()})
    frame["_row"] = table.source_row
    frame = frame[frame["school_code"] != ""]
    duplicated = frame["school_code"].duplicated(keep=False)
    if duplicated.any():
        first = frame[duplicated].iloc[0]
        raise InputError.of("intake.schools.read_roster.school_code_appears_more", file=path,
                            row=int(first["_row"]), column=found["school_code"],
                            value1=first["school_code"])
    frame["urban_rural_raw"] = frame["urban_rural"]
    frame["urban_rural"] = frame["urban_rural"].map(urban_rural_category)
    bad = frame[frame["urban_rural"].isna()]
    if len(bad):
        row = bad.iloc[0]
        raise InputError.of("intake.schools.read_roster.unknown_urban_rural_type", file=path,
                            row=int(row["_row"]), column=found["urban_rural"],
                            value1=row["urban_rural_raw"])
    bad = frame[~frame["school_type"].isin(list(SCHOOL_TYPE_LEVELS))]
    if len(bad):
        row = bad.iloc[0]
        raise InputError.of("intake.schools.read_roster.unknown_school_type", file=path,
                            row=int(row["_row"]), column=found["school_type"],
                            row_school_type=row["school_type"],
                            school_type_levels=list(SCHOOL_TYPE_LEVELS))
    if "aliases" not in frame:
        frame["aliases"] = ""
    if "boarding" in frame:
        frame["boarding"] = frame["boarding"].isin(YES_WORDS)
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
        if 0x4E00 <= ord(ch) <= 0x9FFF:
            try:
                ch.encode("gb2312")
            except UnicodeEncodeError:
                odd.append(ch)
    return joined(odd)


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
        raise InputError.of("intake.schools.coded.has_no_school_code", file=path,
                            column=ROSTER_COLUMNS["school_code"][0],
                            value1=what[1], value2=what[0], found_values=list(found.values()))
    frame = frame[frame[by] != ""].copy()
    lookup = _school_lookup(roster)
    refuse_shared_names(lookup, frame[by].map(_name_key).to_numpy(), frame[by].to_numpy(),
                        frame["_row"].to_numpy(), file=path, column=found[by])
    codes = frame[by].map(lambda v: lookup.get(_name_key(v), ("", False))[0])
    unknown = frame[codes == ""]
    if len(unknown):
        row = unknown.iloc[0]
        word, word_zh = (say(f"intake.schools.coded.{by}", language) for language in ("en", "zh"))
        raise InputError.of("intake.schools.coded.not_school_roster", file=path,
                            row=int(row["_row"]), column=found[by], word=word, value1=row[by],
                            word_zh=word_zh)
    frame["school_code"] = codes
    return frame.drop(columns=["school_name"], errors="ignore")


def _read_staffing(params, roster) -> tuple[pd.DataFrame, pd.DataFrame | None]:
    """School-level staffing, and the per-subject rows when the file has a subject column."""
    path = params.staffing_file
    table = readers.read_raw_table(path, STAFFING_COLUMNS, min_hits=2, what="staffing file")
    found = readers.map_columns(list(table.frame.columns), STAFFING_COLUMNS)
    for required in ("teachers_in_post",):
        if required not in found:
            raise InputError.of("intake.schools.read_staffing.staffing_file_has_no", file=path,
                                column=STAFFING_COLUMNS[required][1], required=required,
                                required2=label(required), columns=list(table.frame.columns))
    frame = pd.DataFrame({key: table.frame[col].map(normalize_text) for key, col in found.items()})
    frame["_row"] = table.source_row
    frame = _coded(frame, found, roster, path, (FILE_KINDS_IN_CHINESE["staffing file"],
                                                "staffing file"))
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
            what, what_zh = (say("intake.schools.read_staffing.share" if share
                                 else "intake.schools.read_staffing.number", language)
                             for language in ("en", "zh"))
            raise InputError.of("intake.schools.read_staffing.not", file=path, row=int(row["_row"]),
                                column=found[column], value1=row[column], what=what,
                                what_zh=what_zh)
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
        raise InputError.of("intake.schools.read_staffing.school_code_appears_more", file=path,
                            row=int(row["_row"]),
                            column=found.get("school_code", ROSTER_COLUMNS["school_name"][0]),
                            value1=row["school_code"])
    else:
        per_subject = None
    return frame.drop(columns=["_row"], errors="ignore"), per_subject


def _read_targets(params, roster) -> pd.DataFrame:
    """Targets in long form: school_code, subject, indicator, target."""
    columns = ["school_code", "subject", "indicator", "target"]
    if params.targets_file is None:
        return pd.DataFrame(columns=columns)
    path = params.targets_file
    table = readers.read_raw_table(path, TARGET_COLUMNS, min_hits=2, what="targets file")
    found = readers.map_columns(list(table.frame.columns), TARGET_COLUMNS)
    frame = pd.DataFrame({key: table.frame[col].map(normalize_text) for key, col in found.items()})
    frame["_row"] = table.source_row
    frame = _coded(frame, found, roster, path, (FILE_KINDS_IN_CHINESE["targets file"],
                                                "targets file"))
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
        raise InputError.of("intake.schools.read_targets.target_not_number", file=path,
                            row=int(row["_row"]), column=found[row["indicator"]],
                            value1=row["text"])
    percent = long["text"].str.endswith("%")
    long.loc[percent, "target"] = long.loc[percent, "target"] / 100
    return long[columns].sort_values(columns[:3]).reset_index(drop=True)
