"""Display tables and the Excel workbook: Chinese (or English) headers, ordering, rounding.

Rounding happens here, last, on a copy; the statistics modules never round.
"""

from __future__ import annotations

import datetime as _dt
import hashlib
import html
import os
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path

import numpy as np
import pandas as pd

from eduqa.catalog import joined, say
from eduqa.compute.frames import per_value
from eduqa.config.columns import (
    COLUMNS,
    FLAG,
    INTEGER,
    NUMBER,
    P_VALUE,
    PERCENT,
    PRECISE,
    TEXT,
    YES_NO,
    column_format,
    view_columns,
)
from eduqa.config.labels import SUBJECT_ORDER, label, relabel
from eduqa.errors import EduqaError
from eduqa.indicators.privacy import marked, suppress, suppressed_rows
from eduqa.text.numbers import display_number

__all__ = ["safe_markdown", "column_kind", "excel_format", "pick", "order_subjects", "school_table", "styled", "write_workbook",
           "band_table", "county_comparison", "weak_subjects", "near_by_subject", "or_note",
           "target_table", "first_and_last", "PAGE_ROW_LIMIT"]

#: Excel number formats by column kind at the kind's default decimals
#: (:func:`excel_format` for others).
EXCEL_FORMATS = {PERCENT: "0.0%", INTEGER: "#,##0", P_VALUE: '[<0.001]"<0.001";0.000',
                 PRECISE: "0.000", NUMBER: "#,##0.0"}
SMALL_GROUP_STYLE = "color: #8a8a8a"
_VALUE_COLUMNS = ("subject", "urban_rural", "status", "action", "indicator", "category",
                  "part", "flag", "term", "factor", "option", "reference", "focal", "favours",
                  "irt_model", "level", "basis", "quality", "progress")


def order_subjects(frame: pd.DataFrame, column: str = "subject") -> pd.DataFrame:
    """Rows sorted in the customary subject order (语文, 数学, 英语, … 总分), stably."""
    rank = {s: i for i, s in enumerate(SUBJECT_ORDER)}
    order = per_value(frame[column], lambda s: rank.get(s, len(rank)), dtype=np.int64)
    return frame.iloc[np.argsort(order, kind="mergesort")]


def school_table(summary: pd.DataFrame, schools: pd.DataFrame, *,
                 columns: Sequence[str] | None = None) -> pd.DataFrame:
    """Join school names, township and urban-rural type onto a per-school summary: those
    first, then ``columns`` (default: every other column of ``summary``)."""
    descriptive = ["school_name", "township", "urban_rural"]
    info = schools[["school_code", *descriptive]]
    out = summary.drop(columns=[c for c in descriptive if c in summary]).merge(
        info, on="school_code", how="left")
    if columns is None:
        columns = [c for c in summary.columns if c not in ("school_code", *descriptive)]
    return out[["school_code", *descriptive, *columns]]


def column_kind(column: str, values: pd.Series | None = None, view: str | None = None) -> str:
    """The display kind of a column — ``percent``, ``integer``, ``p_value``, ``precise``,
    ``number``, ``yes_no`` or ``text`` — from the column registry (as the table ``view``
    shows it: :func:`eduqa.config.columns.column_format`) and its values: one rule for page
    tables, workbook sheets and the Word report. Text is text whatever the registry says;
    true/false values are yes/no."""
    kind, _ = column_format(column, view)
    if kind in (YES_NO, FLAG) or (values is not None and (pd.api.types.is_bool_dtype(values)
                                                          or str(values.dtype) == "boolean")):
        return YES_NO  # (a yes/no column read back with a missing answer is 1.0/NaN)
    if values is not None and isinstance(values.dtype, pd.StringDtype):
        return TEXT  # (text only, or missing: decided without a Python object a value)
    if values is not None and not pd.api.types.is_numeric_dtype(values):
        present = values.dropna()
        flags = present.map(lambda v: isinstance(v, (bool, np.bool_)))
        if len(present) and flags.all():  # True/False with missing answers: still yes/no
            return YES_NO
        numbers = present.map(lambda v: isinstance(v, (int, float, np.number))
                              and not isinstance(v, (bool, np.bool_)))
        if present.empty or not numbers.all():  # (an object column of numbers is numeric)
            return TEXT
    if kind in (PERCENT, INTEGER, P_VALUE, PRECISE, NUMBER):
        return kind
    if values is not None and pd.api.types.is_integer_dtype(values):
        return INTEGER
    return NUMBER


def excel_format(kind: str, decimals: int | None = None) -> str | None:
    """The Excel number format of a column of ``kind`` shown with ``decimals`` (None: the
    kind's default, :data:`EXCEL_FORMATS`); None for text and yes/no."""
    if kind not in EXCEL_FORMATS or decimals is None or kind == P_VALUE:
        return EXCEL_FORMATS.get(kind)
    places = "." + "0" * decimals if decimals > 0 else ""
    if kind == PERCENT:
        return f"0{places}%"
    return f"#,##0{places}" if kind in (INTEGER, NUMBER) else f"0{places}"


def pick(frame: pd.DataFrame, view: str) -> pd.DataFrame:
    """The columns of ``frame`` that the table ``view`` shows, in its order
    (:data:`eduqa.config.columns.VIEWS`); an error naming any the frame lacks."""
    columns = view_columns(view)
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise EduqaError.of("report.view_columns_missing", view=view, missing=missing,
                            columns=[str(c) for c in frame.columns])
    return frame[columns]


def _yes_no(values: pd.Series, column: str, language: str, *, missing: str) -> list[str]:
    """是/否 (yes/no) for a yes/no column; for a flag such as 人数过少 only 是 is written (a
    blank for no), and ``missing`` for a missing answer."""
    yes, no = say("words.yes", language), say("words.no", language)
    known = COLUMNS.get(column)
    answers = {True: yes, False: no if known is not None and known.kind == YES_NO else ""}
    return [missing if pd.isna(v) else answers.get(bool(v), missing) for v in values]


def with_yes_no(frame: pd.DataFrame, language: str, missing: str = "",
                view: str | None = None) -> tuple[dict[str, Shown], pd.DataFrame]:
    """How every column is shown (:func:`shown_as`) in the table ``view``, and a copy of
    ``frame`` whose yes/no columns read 是/否 (blank, or ``missing``, where unknown): what the
    workbook and the Word report show before headers are labelled."""
    kinds = shown_as(frame, view)
    return kinds, _shown(frame, kinds, language, missing)


#: How a column is shown: its kind and decimals (None: the kind's default).
Shown = tuple[str, int | None]


def shown_as(frame: pd.DataFrame, view: str | None = None) -> dict[str, Shown]:
    """(kind, decimals) of every column of ``frame`` in the table ``view``: the kind from
    :func:`column_kind`, the decimals from the registry or the view where the kind is theirs."""
    out = {}
    for column in frame.columns:
        kind = column_kind(column, frame[column], view)
        wanted, decimals = column_format(column, view)
        out[column] = (kind, decimals if wanted == kind else None)
    return out


def _shown(frame: pd.DataFrame, kinds: Mapping[str, Shown], language: str,
           missing: str = "") -> pd.DataFrame:
    """A copy of ``frame`` with the yes/no columns of ``kinds`` as 是/否."""
    shown = frame.copy()
    for column, (kind, _) in kinds.items():
        if kind == YES_NO:
            shown[column] = _yes_no(shown[column], column, language, missing=missing)
    return shown


def _format(kind: str, digits: int | None = None):
    """A Styler formatter for ``kind`` (named, so that a table's id is the same every run)."""
    def formatter(value):
        return display_number(value, kind, html=True, digits=digits)

    formatter.__name__ = f"{kind}_{digits}"
    return formatter


def _relabelled(frame: pd.DataFrame, language: str) -> pd.DataFrame:
    """``frame`` with display headers; two columns may not share one (a reader could not tell
    them apart, and number formats are keyed by header)."""
    shown = relabel(frame, language, values=_VALUE_COLUMNS)
    duplicated = shown.columns[shown.columns.duplicated()].unique().tolist()
    if duplicated:
        same = [c for c in frame.columns if label(c, language) in duplicated]
        raise EduqaError.of("report.tables.relabelled.columns_share_display_header",
                            same=list(map(str, same)), value1=duplicated[0], language=language)
    return shown


def safe_markdown(text: str) -> str:
    """Generated Markdown with every character that could make markup escaped as an entity:
    '<', '>' and '&' (no HTML from a school name reaches the page) and '[', ']' (no link, so no
    ``javascript:`` address). The sentences eduqa writes use only headings, lists and plain
    text, which these leave intact; '://' is broken up so that no renderer turns a web address
    typed into a name into a link."""
    return (text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
            .replace("[", "&#91;").replace("]", "&#93;").replace("://", ":&#47;&#47;"))


#: Most rows a table shows on an HTML page: a city's 1,500 schools are all listed; beyond it
#: (a province's or a nation's schools, classes) the page shows the first and last half
#: and the workbook every row. A page of 80,000 schools was a 97 MB HTML file that no
#: reader scrolls, and its export to HTML took gigabytes.
PAGE_ROW_LIMIT = 2_000


def first_and_last(frame: pd.DataFrame, limit: int) -> tuple[pd.DataFrame, int]:
    """``frame``'s first and last ``limit // 2`` rows, and how many rows were left out
    between them (0: the whole frame, when it has at most ``limit`` rows)."""
    if len(frame) <= limit:
        return frame, 0
    half = max(limit // 2, 1)
    return pd.concat([frame.iloc[:half], frame.iloc[-half:]]), len(frame) - 2 * half


def styled(frame: pd.DataFrame, language: str = "zh", *, view: str | None = None,
           caption: str | None = None, suppress_below: int | None = None):
    """A pandas Styler for the HTML page: labels for headers and values, numbers formatted as
    the column registry says (as the table ``view`` shows them: :mod:`eduqa.config.columns`),
    missing values shown as '—', no index. A table longer than :data:`PAGE_ROW_LIMIT` shows
    its first and last half of them, and its caption says so (the workbook has every row).
    The figures of a row computed from fewer than ``suppress_below`` pupils (default: the
    season's) are shown as — (:func:`suppress`)."""
    frame, left_out = first_and_last(frame, PAGE_ROW_LIMIT)
    kinds = shown_as(frame, view)  # (of the figures before any is suppressed)
    frame = suppress(frame, suppress_below)
    if left_out:
        half = len(frame) // 2
        whole = len(frame) + left_out
        note = say("report.tables.styled.rows_first_last_shown", language, whole=whole,
                   half=half, left_out=left_out)
        caption = (say("report.tables.styled.text", language, caption=caption, note=note)
                   if caption else say("report.tables.styled.text_", language, note=note))
    shown = _relabelled(frame, language)
    formats = {}
    for column in frame.columns:
        kind, decimals = kinds[column]
        if kind not in (TEXT, YES_NO):
            formats[label(column, language)] = _format(kind, decimals)
    for column in frame.columns:
        if kinds[column][0] == YES_NO:
            shown_name = label(column, language)
            shown[shown_name] = _yes_no(shown[shown_name], column, language, missing="—")
    # every value from the user's files (school, township, alias and class names) is escaped:
    # a name like <script> or <img onerror> is shown as text, never run
    styler = (shown.style.format(formats, na_rep="—", escape="html")
              .format_index(escape="html", axis=1).hide(axis="index"))
    if "small_group" in frame and frame["small_group"].eq(True).any():
        # rows of groups below the minimum size are greyed: listed, not to be read as firm
        small = frame["small_group"].eq(True).to_numpy()[:, None]
        styler = styler.apply(lambda shown_frame: pd.DataFrame(
            np.where(np.broadcast_to(small, shown_frame.shape), SMALL_GROUP_STYLE, ""),
            index=shown_frame.index, columns=shown_frame.columns), axis=None)
    if caption:
        styler = styler.set_caption(html.escape(caption))
    styler = styler.set_table_attributes('class="eduqa-table"')
    # the element ids of a table come from its content, not a random uuid, so that the same
    # inputs give byte-identical pages (equal tables may share ids: their styles are equal too)
    digest = hashlib.sha1(pd.util.hash_pandas_object(frame, index=False).to_numpy().tobytes()
                          + "|".join(map(str, frame.columns)).encode("utf-8")
                          + repr((caption, sorted((k, getattr(v, "__name__", v))
                                                  for k, v in formats.items()))).encode("utf-8"))
    return styler.set_uuid(digest.hexdigest()[:10])


def _display_width(value: object) -> int:
    """Columns a value takes in a spreadsheet: two per CJK character."""
    text = str(value)
    return sum(2 if ord(ch) > 0x2E80 else 1 for ch in text)


def write_workbook(tables: Mapping[str, pd.DataFrame], path: str | Path,
                   language: str = "zh", suppress_below: int | None = None,
                   provenance: Sequence[tuple[str, str]] = ()) -> Path:
    """Write each table to its own sheet, ready to paste into meeting papers.

    - display headers from :mod:`eduqa.config.labels`; numbers stay numbers, formatted by column kind
      (:func:`column_kind`): percent ``78.0%``, counts ``1,234``, p-values ``<0.001`` /
      ``0.032``, coefficients with three decimals, scores with one;
    - yes/no columns as 是/否 (yes/no), never TRUE/FALSE;
    - column widths that fit the Chinese headers and values, a frozen header row;
    - no empty sheet: a table with no rows this season is left out, and the sheet 说明 / Notes
      lists every table with its rows and says which were left out and why;
    - with ``provenance`` ((item, value) rows: :func:`eduqa.project.provenance.provenance_rows`),
      a last sheet 来源 / Provenance says what the tables were made from;
    - no cell is a formula: every text cell is written as text, and text that starts like a
      formula also gets Excel's quote prefix (shown as text, kept as text when edited);
    - the file is byte-identical for the same tables (:func:`_reproducible`);
    - the figures of a row computed from fewer than ``suppress_below`` pupils (default: the
      season's) read — (:func:`suppress`).

    ``tables`` maps a canonical sheet name (labelled via :mod:`eduqa.config.labels`) to a frame with
    canonical column names. Written with XlsxWriter, cell by cell: the same cells and formats
    as ``DataFrame.to_excel`` with openpyxl gave (tested), about five times faster.
    """
    import xlsxwriter

    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    zh = language != "en"
    index_rows = []
    # constant_memory: each row goes to the sheet's file once written (the rows are written
    # in order), instead of every cell staying in memory until the book is closed — a
    # national season's school and class sheets held so were gigabytes
    book = xlsxwriter.Workbook(str(path), {"strings_to_formulas": False,
                                           "strings_to_urls": False,
                                           "strings_to_numbers": False,
                                           "constant_memory": True,
                                           "tmpdir": str(path.parent)})
    book.set_properties({"created": _dt.datetime(2000, 1, 1)})
    formats: dict = {}
    for sheet_name, frame in tables.items():  # one table in memory at a time
        title = label(sheet_name, language)
        if frame.empty:  # a table this season does not have (e.g. per-subject staffing)
            index_rows.append((title[:31], 0, say("report.tables.write_workbook.no_data_this_season",
                                                  zh)))
            continue
        kinds = shown_as(frame, sheet_name)  # (a sheet shows its table as the page does)
        small = suppressed_rows(frame, suppress_below)
        frame = suppress(frame, suppress_below)
        sample = _shown(frame.head(200), kinds, language)
        widths = []
        for column in frame.columns:
            header = _display_width(label(column, language))
            content = (max((_display_width(v) for v in sample[column]), default=0)
                       if kinds[column][0] in (TEXT, YES_NO) else 10)
            widths.append(min(max(header, content, 8) + 2, 40))
        headers = _relabelled(frame.head(0), language).columns.tolist()
        number_formats = [excel_format(*kinds[c]) for c in frame.columns]
        pieces = -(-len(frame) // SHEET_ROWS)
        for piece in range(pieces):
            first = piece * SHEET_ROWS
            part = frame.iloc[first:first + SHEET_ROWS]
            marks = small[first:first + SHEET_ROWS]
            blocks = (marked(_relabelled(_shown(part.iloc[at:at + BLOCK_ROWS], kinds,
                                                 language), language),
                              marks[at:at + BLOCK_ROWS], part.columns)
                      for at in range(0, len(part), BLOCK_ROWS))
            name = _piece_name(title, piece, pieces, zh)
            _write_sheet(book, formats, name, headers, blocks, number_formats, widths)
            note = "" if pieces == 1 else (
                say("report.tables.write_workbook.part_rows_table_excel", zh, value1=piece + 1,
                    pieces=pieces, value2=first + 1, value3=first + len(part),
                    value4=SHEET_ROWS + 1))
            index_rows.append((name, len(part), note))
        del frame, part, sample  # not held while the next table is read
    notes = pd.DataFrame(index_rows, columns=[say(f"report.tables.notes_sheet.{column}", zh)
                                              for column in ("sheet", "rows", "note")])
    _write_sheet(book, formats, say("report.tables.write_workbook.notes", zh),
                 notes.columns.tolist(), [notes], [None, EXCEL_FORMATS["integer"], None],
                 [24, 8, 36])
    if provenance:  # what the tables were made from, as text (a path is never a formula)
        made_from = pd.DataFrame(list(provenance), columns=PROVENANCE_HEADERS[zh])
        _write_sheet(book, formats, PROVENANCE_SHEET[zh], made_from.columns.tolist(),
                     [made_from], [None, None], [48, 70])
    book.close()
    _reproducible(path)
    return path


#: The workbook's last sheet, on what its tables were made from (:mod:`eduqa.project.provenance`),
#: by Chinese (True) or English (False); not one of the report's tables.
PROVENANCE_SHEET = {zh: say("report.tables.provenance.sheet", zh) for zh in (True, False)}
PROVENANCE_HEADERS = {zh: [say("report.tables.provenance.item", zh),
                           say("report.tables.provenance.value", zh)] for zh in (True, False)}


#: Rows of a sheet below its header (Excel's limit is 1,048,576 rows a sheet, header
#: included): a longer table continues on further sheets, each with the header.
SHEET_ROWS = 1_048_575
#: Rows made ready to write at a time (display values, then one Python object a cell): a
#: national season's class and school tables are written a block at a time, never copied
#: whole.
BLOCK_ROWS = 50_000


def _piece_name(title: str, piece: int, pieces: int, zh: bool) -> str:
    """The sheet name of part ``piece`` (from 0) of a table split over ``pieces`` sheets: the
    table's label (at most Excel's 31 characters), then （2）, （3）… on the sheets that
    continue it."""
    if piece == 0:
        return title[:31]
    suffix = say("report.tables.piece_name.text", zh, value1=piece + 1)
    return title[:31 - len(suffix)] + suffix


def _write_sheet(book, formats: dict, name: str, headers: Sequence[str],
                 blocks: Iterable[pd.DataFrame], number_formats: Sequence[str | None],
                 widths: Sequence[float]) -> None:
    """A sheet laid out as ``to_excel(index=False)`` lays out a frame: the ``headers`` row
    (frozen), then one row per record of the ``blocks`` (frames of those columns, in order);
    missing values are empty cells, numbers are numbers in the column's format, text is
    text."""
    def style(number_format: str | None = None, quote: bool = False):
        key = (number_format, quote)
        if key not in formats:
            formats[key] = book.add_format({**({"num_format": number_format}
                                               if number_format else {}),
                                            **({"quote_prefix": True} if quote else {})})
        return formats[key]

    sheet = book.add_worksheet(name)
    for position, width in enumerate(widths):
        sheet.set_column(position, position, width)
    sheet.freeze_panes(1, 0)
    for column, title in enumerate(headers):
        _write_cell(sheet, 0, column, title, None, style)
    row = 1
    for block in blocks:
        columns = [block.iloc[:, k].to_numpy(dtype=object) for k in range(block.shape[1])]
        for values in zip(*columns):
            for column, (value, number_format) in enumerate(zip(values, number_formats)):
                _write_cell(sheet, row, column, value, number_format, style)
            row += 1


def _write_cell(sheet, row: int, column: int, value, number_format: str | None,
                style) -> None:
    """One cell as ``to_excel`` writes it (missing and infinite: empty — a published sheet
    never shows ``inf``; numpy numbers as numbers); text is always a string cell, never a
    formula, with the quote prefix when it starts like one."""
    if isinstance(value, (bool, np.bool_)):
        sheet.write_boolean(row, column, bool(value), style(number_format))
        return
    if isinstance(value, (int, float, np.integer, np.floating)):
        number = float(value)
        if np.isfinite(number):
            sheet.write_number(row, column, number, style(number_format))
            return
        value = None
    if value is None or value is pd.NA or value is pd.NaT or value == "":
        sheet.write_blank(row, column, None, style(number_format))
    else:
        text = str(value)
        sheet.write_string(row, column, text,
                           style(number_format, text.startswith(FORMULA_STARTS)))


#: The time stamp written into every workbook (its properties and zip entries), so that the
#: same tables give a byte-identical file on every run.
FIXED_STAMP = "2000-01-01T00:00:00Z"


def _reproducible(path: Path) -> None:
    """Rewrite an .xlsx (or .docx) with the creation/modification times of its properties and the dates
    of its zip entries fixed (the writers stamp the current time on both)."""
    import re
    import shutil
    import zipfile

    # entry by entry, each streamed (a national season's sheets are gigabytes of XML: read
    # whole, they were the workbook's peak)
    partial = path.with_name(path.name + ".partial")
    with zipfile.ZipFile(path) as source, \
            zipfile.ZipFile(partial, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=(2000, 1, 1, 0, 0, 0))
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = info.external_attr
            if info.filename == "docProps/core.xml":
                target.writestr(fixed, re.sub(
                    rb"(<dcterms:(?:created|modified)[^>]*>)[^<]*(<)",
                    rb"\g<1>" + FIXED_STAMP.encode() + rb"\2", source.read(info)))
                continue
            with source.open(info) as data, target.open(fixed, "w", force_zip64=(
                    info.file_size > 1 << 30)) as out:
                shutil.copyfileobj(data, out, 1 << 20)
    os.replace(partial, path)


#: Text that a spreadsheet could take for a formula (or a DDE call) when a cell is edited.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def or_note(frame: pd.DataFrame, note: str, language: str = "zh", **options):
    """``styled(frame)``, or a short note when the frame is empty (nothing to show)."""
    if frame.empty:
        from IPython.display import Markdown

        return Markdown(safe_markdown(note))
    return styled(frame, language, **options)


def band_table(bands: pd.DataFrame, language: str = "zh") -> pd.DataFrame:
    """分数段 in points, with counts: one row per subject and band, highest band first —
    ``subject``, ``score_band`` (e.g. ``90–100``: the lower bound included, the upper not, and
    the top band includes full marks), ``n_in_band`` (pupils) and ``share`` (of the subject's
    valid scores). A band's count is a frequency, shown however small (it is not a group's
    result, and is not suppressed)."""
    rows = order_subjects(bands.sort_values(["band"], ascending=False, kind="mergesort"))
    bounds = zip(rows["band_low"], rows["band_high"])
    return pd.DataFrame({"subject": rows["subject"].to_numpy(),
                         "score_band": [f"{low:g}–{high:g}" for low, high in bounds],
                         "n_in_band": rows["n"].to_numpy(),
                         "share": rows["share"].to_numpy()})


def county_comparison(current: pd.DataFrame, previous: pd.DataFrame | None) -> pd.DataFrame:
    """This season's county means and rates beside the comparison season's, per subject."""
    columns = ["subject", "mean", "mean_previous", "mean_change", "pass_rate",
               "pass_rate_previous", "excellent_rate", "excellent_rate_previous"]
    if previous is None:
        return pd.DataFrame(columns=columns)
    keep = ["subject", "mean", "pass_rate", "excellent_rate"]
    both = current[keep].merge(previous[keep], on="subject", suffixes=("", "_previous"))
    both["mean_change"] = both["mean"] - both["mean_previous"]
    return order_subjects(both[columns])


def weak_subjects(balance: pd.DataFrame, schools: pd.DataFrame,
                  language: str = "zh") -> pd.DataFrame:
    """Schools with at least one 学科短板, their weak subjects listed."""
    weak = balance[balance["weak"]]
    names = weak.groupby("school_code")["subject"].agg(
        lambda s: joined([label(v, language) for v in s], language))
    out = pd.DataFrame({"school_code": names.index, "n_weak": weak.groupby(
        "school_code").size().to_numpy(), "weak_subjects": names.to_numpy()})
    info = schools[["school_code", "school_name", "township", "urban_rural"]]
    return info.merge(out, on="school_code")


def near_by_subject(school_summary: pd.DataFrame, schools: pd.DataFrame,
                    language: str = "zh") -> pd.DataFrame:
    """临界生: near-pass counts per school (rows) and subject (columns), total last, after
    ``n_sat`` (the fewest pupils who sat a subject: the counts of a school of fewer than
    ``suppress_below`` are not shown) and then ``small_group`` (the school is small in any
    subject)."""
    wide = school_summary.pivot(index="school_code", columns="subject", values="near_pass")
    ordered = [s for s in order_subjects(pd.DataFrame({"subject": wide.columns}))["subject"]]
    wide = wide[ordered].rename(columns=lambda c: label(c, language))
    wide.insert(0, "n_sat", school_summary.groupby("school_code")["n_sat"].min())
    wide["small_group"] = school_summary.groupby("school_code")["small_group"].any()
    wide = wide.reset_index()
    wide.columns.name = None
    info = schools[["school_code", "school_name"]]
    return info.merge(wide, on="school_code")


def target_table(attainment: pd.DataFrame, schools: pd.DataFrame) -> pd.DataFrame:
    """目标责任状 as one row per school and subject: for each targeted indicator its target,
    actual value and whether it was met (columns ``<indicator>_target`` / ``_actual`` /
    ``_met``), then ``n_sat`` and ``small_group``."""
    if attainment.empty:
        return pd.DataFrame(columns=["school_code", "school_name", "subject"])
    wide = attainment.pivot(index=["school_code", "subject"], columns="indicator",
                            values=["target", "actual", "met"])
    order = [i for i in ("mean", "pass_rate", "excellent_rate", "rank")
             if i in attainment["indicator"].unique()]
    columns = {}
    for indicator in order:
        for part in ("target", "actual", "met"):
            columns[f"{indicator}_{part}"] = wide[(part, indicator)]
    out = pd.DataFrame(columns)
    sizes = attainment.groupby(["school_code", "subject"])[["n_sat", "small_group"]].first()
    out = out.join(sizes).reset_index()
    for indicator in order:
        out[f"{indicator}_met"] = out[f"{indicator}_met"].astype("boolean")
    info = schools[["school_code", "school_name", "township", "urban_rural"]]
    return info.merge(out, on="school_code")
