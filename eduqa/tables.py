"""Display tables and the Excel workbook: Chinese (or English) headers, ordering, rounding.

Rounding happens here, last, on a copy; the statistics modules never round.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path

import pandas as pd

from .labels import SUBJECT_ORDER, label

__all__ = ["PERCENT_COLUMNS", "order_subjects", "school_table", "styled", "write_workbook"]

PERCENT_COLUMNS = {
    "participation", "score_rate", "pass_rate", "good_rate", "excellent_rate", "low_rate",
    "above_mean_rate", "absence_rate", "shortage_rate", "out_of_field_share", "share_over_50",
    "share_senior_title",
}
INTEGER_COLUMNS = {
    "n_enrolled", "n_sat", "n_absent", "rank", "near_pass", "near_excellent", "n_rows", "count",
    "n_students", "n_schools", "teachers_in_post", "out_of_field", "enrollment",
}
_VALUE_COLUMNS = ("subject", "urban_rural", "status", "action")


def order_subjects(frame: pd.DataFrame, column: str = "subject") -> pd.DataFrame:
    """Rows sorted in the customary subject order (语文, 数学, 英语, … 总分), stably."""
    rank = {s: i for i, s in enumerate(SUBJECT_ORDER)}
    return frame.iloc[frame[column].map(lambda s: rank.get(s, len(rank))).argsort(
        kind="mergesort")]


def school_table(summary: pd.DataFrame, schools: pd.DataFrame, *,
                 columns: Sequence[str]) -> pd.DataFrame:
    """Join school names, township and urban-rural type onto a per-school summary."""
    info = schools[["school_code", "school_name", "township", "urban_rural"]]
    out = summary.merge(info, on="school_code", how="left")
    return out[["school_code", "school_name", "township", "urban_rural", *columns]]


def _format(column: str) -> str:
    if column in PERCENT_COLUMNS:
        return "{:.1%}"
    if column in INTEGER_COLUMNS:
        return "{:,.0f}"
    return "{:,.1f}"


def styled(frame: pd.DataFrame, language: str = "zh", *, caption: str | None = None,
           percent: Sequence[str] = (), decimals: Mapping[str, int] | None = None,
           highlight: str | None = None):
    """A pandas Styler for the HTML page: labels for headers and values, numbers formatted,
    missing values shown as '—', no index."""
    from .labels import relabel

    shown = relabel(frame, language, values=_VALUE_COLUMNS)
    formats = {}
    for column in frame.columns:
        if pd.api.types.is_bool_dtype(frame[column]):
            continue
        if not pd.api.types.is_numeric_dtype(frame[column]):
            continue
        spec = _format(column)
        if column in percent:
            spec = "{:.1%}"
        if decimals and column in decimals:
            spec = f"{{:,.{decimals[column]}f}}"
        formats[label(column, language)] = spec
    bools = [label(c, language) for c in frame.columns if pd.api.types.is_bool_dtype(frame[c])]
    yes = "是" if language == "zh" else "yes"
    for column in bools:
        shown[column] = shown[column].map({True: yes, False: ""})
    styler = shown.style.format(formats, na_rep="—").hide(axis="index")
    if caption:
        styler = styler.set_caption(caption)
    styler = styler.set_table_attributes('class="eduqa-table"')
    return styler


def write_workbook(tables: Mapping[str, pd.DataFrame], path: str | Path,
                   language: str = "zh") -> Path:
    """Write each table to its own sheet with display headers; numbers stay numbers, with
    percent / integer / one-decimal display formats.

    ``tables`` maps a sheet name (already in the display language) to a frame with canonical
    column names.
    """
    from openpyxl.utils import get_column_letter

    from .labels import relabel

    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    with pd.ExcelWriter(path, engine="openpyxl") as writer:
        for sheet_name, frame in tables.items():
            name = label(sheet_name, language)[:31]
            relabel(frame, language, values=_VALUE_COLUMNS).to_excel(
                writer, sheet_name=name, index=False)
            sheet = writer.sheets[name]
            for position, column in enumerate(frame.columns, start=1):
                letter = get_column_letter(position)
                if column in PERCENT_COLUMNS:
                    number_format = "0.0%"
                elif column in INTEGER_COLUMNS:
                    number_format = "0"
                elif pd.api.types.is_float_dtype(frame[column]):
                    number_format = "0.0"
                else:
                    number_format = None
                if number_format:
                    for cell in sheet[letter][1:]:
                        cell.number_format = number_format
                width = max(len(str(label(column, language))) * 2, 10)
                sheet.column_dimensions[letter].width = min(width, 40)
            sheet.freeze_panes = "A2"
    return path
