"""The vocabulary of raw exports: header aliases, subject names, status markers, category codes.

Real marking-system exports name the same column many ways (考号 / 准考证号 / 学号 / student_id).
Every alias table lives here, so adding a spelling met in the wild is a one-line change.
"""

from __future__ import annotations

import re
import unicodedata

from eduqa.catalog.vocabulary import (  # noqa: F401
    CATEGORIES,
    HEADER_NOISE,
    ROSTER_COLUMNS,
    SCHOOL_TYPE_LEVELS,
    SCORE_COLUMNS,
    STAFFING_COLUMNS,
    STATUS_MARKERS,
    SUBJECT_ALIASES,
    TARGET_COLUMNS,
    URBAN_RURAL,
)

__all__ = [
    "normalize_text",
    "normalize_header",
    "SCORE_COLUMNS",
    "ID_PRIORITY",
    "SUBJECT_ALIASES",
    "subject_id",
    "STATUS_MARKERS",
    "URBAN_RURAL",
    "urban_rural_category",
    "ROSTER_COLUMNS",
    "STAFFING_COLUMNS",
    "TARGET_COLUMNS",
    "STATUSES",
    "SCHOOL_LEVELS",
    "SCHOOL_TYPE_LEVELS",
]

STATUSES = ("sat", "absent", "voided", "exempt", "invalid")


def normalize_text(value: object) -> str:
    """NFKC-normalise (full-width -> half-width), trim, and collapse inner whitespace."""
    if value is None:
        return ""
    text = str(value)
    if not unicodedata.is_normalized("NFKC", text):
        text = unicodedata.normalize("NFKC", text)
    if text.isprintable() and "  " not in text:  # its only white space: single ASCII spaces
        return text.strip()
    return re.sub(r"\s+", " ", text).strip()


def normalize_header(value: object) -> str:
    """Header key used for alias lookup: NFKC, no spaces or punctuation, lower case."""
    text = normalize_text(value).lower()
    return HEADER_NOISE.sub("", text)


# A student's identity is taken from the most stable id present (学籍号 links across seasons).
ID_PRIORITY = ("registry_id", "student_no", "exam_id")


_SUBJECT_LOOKUP = {
    normalize_header(alias): canonical
    for canonical, aliases in SUBJECT_ALIASES.items()
    for alias in aliases
}


def subject_id(name: object) -> str | None:
    """Canonical subject id of a header or subject name, or None when it is not a subject."""
    return _SUBJECT_LOOKUP.get(normalize_header(name))


def urban_rural_category(value: object) -> str | None:
    """Map a roster's urban-rural entry (word or national code) to urban / town / rural."""
    text = normalize_text(value)
    if text.endswith(".0"):
        text = text[:-2]
    return URBAN_RURAL.get(text) or URBAN_RURAL.get(text.lower())


# Exam school level of a season, and which school types teach it.
SCHOOL_LEVELS = ("primary", "junior", "senior")


#: the table files eduqa reads
CSV_SUFFIXES = {".csv", ".txt", ".tsv"}


EXCEL_SUFFIXES = {".xlsx", ".xlsm", ".xls", ".xlsb", ".ods"}


PARQUET_SUFFIXES = {".parquet"}


#: Every file type :func:`read_table` reads.
TABLE_SUFFIXES = frozenset(CSV_SUFFIXES | EXCEL_SUFFIXES | PARQUET_SUFFIXES)
