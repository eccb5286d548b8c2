"""The Word report ``reports/<season>/质量分析报告.docx``: what the office hands out at the
教学质量分析会 without editing, in the shape such a report has — 基本情况, 主要成绩, 存在问题,
原因分析, 改进建议, written from the numbers (:mod:`eduqa.text.narrative.report`) — then the key
tables as the workbook shows them (the full tables stay in ``tables.xlsx``) and the main
figures, and the terms used.

Headings use Word's own heading styles (an office can restyle them in one place) and are
numbered as present, with no gap; tables use the same display headers and number formats as
``tables.xlsx`` (percent 78.0%, counts with separators, 是/否), repeat their header row on every
page, keep each row on one page and size each column to its longest text. The school reports'
documents (:mod:`eduqa.report.school`) are written straight as WordprocessingML by
:func:`write_blocks_docx` with the same tables.
"""

from __future__ import annotations

import base64
import datetime as _dt
import io as _io
import re
import zipfile
from collections.abc import Mapping, Sequence
from functools import lru_cache
from pathlib import Path

import nbformat
import pandas as pd

from eduqa.catalog import say
from eduqa.config.labels import label
from eduqa.indicators.privacy import marked, suppressed_rows
from eduqa.report.tables import (
    FIXED_STAMP,
    _display_width,
    _relabelled,
    _reproducible,
    first_and_last,
    with_yes_no,
)
from eduqa.text.narrative import glossary
from eduqa.text.numbers import display_number

__all__ = ["WORD_FILE", "APPENDIX_TABLES", "WORD_ROW_LIMIT", "write_word_report",
           "display_cells", "save_document", "write_blocks_docx"]

#: File name of the Word report in the season's report folder.
WORD_FILE = say("report.word.file", "zh")  # (the same name in both languages)

#: The key tables of the report's appendix, in order (each where the season has it).
APPENDIX_TABLES = ("county_subjects", "school_total", "tier_table", "gap_means", "cv_scores",
                   "staffing_schools", "knowledge_points")
#: The columns the report shows of a table too wide for a page (the workbook has them all).
WORD_COLUMNS = {"tier_table": ("tier", "school_name", "n_sat", "composite", "tier_rank",
                               "rank_low", "rank_high", "composite_diff", "diff_low",
                               "diff_high", "quality", "va_diff", "progress")}

#: A table longer than this many rows shows only its first and last half of them in the Word
#: report, with a row marking the gap and a note pointing to the full table in tables.xlsx: a
#: county's tables fit (a few hundred schools at most), a province's 8,000 schools would be
#: some 600 pages no meeting paper can use (and the run's largest memory peak). The first
#: and last rows are the ones a meeting reads: a table by rank shows the top and the bottom.
WORD_ROW_LIMIT = 200


#: Notebooks whose figures go into the Word report, and how many of each.
FIGURES = (("02-indicators.ipynb", 3), ("03-attribution.ipynb", 1), ("05-paper.ipynb", 1))


def display_cells(frame: pd.DataFrame, language: str, suppress_below: int | None = None,
                  view: str | None = None) -> tuple[list[str], list[list[str]]]:
    """Headers and cell texts of the table ``view`` (numbers as the column registry says);
    the figures of a row computed from fewer than ``suppress_below`` pupils read —
    (:func:`eduqa.report.tables.suppress`)."""
    kinds, shown = with_yes_no(frame, language, view=view)
    # display headers, and labels of coded values; the figures of small rows as —
    shown = marked(_relabelled(shown, language), suppressed_rows(frame, suppress_below),
                   frame.columns)
    rows = [[display_number(value, kinds[column][0], digits=kinds[column][1])
             for column, value in zip(frame.columns, row)]
            for row in shown.itertuples(index=False)]
    return [str(h) for h in shown.columns], rows


def _without_prefix(text: str) -> str:
    """A figure's caption without its 图：/ Figure: (the report numbers its figures)."""
    for prefix in (say("caption.figure", "zh", text=""), say("caption.figure", "en", text="")):
        if text.startswith(prefix.strip()):
            return text[len(prefix.strip()):].lstrip()
    return text


def _figures(folder: Path) -> list[tuple[bytes, str]]:
    """The figures of :data:`FIGURES` with their captions (a figure shown through
    :class:`eduqa.report.plots.Captioned` carries its caption as the output's text)."""
    images = []
    for name, most in FIGURES:
        path = folder / name
        if not path.is_file():
            continue
        found: list[tuple[bytes, str]] = []
        for cell in nbformat.read(path, as_version=4).cells:
            for output in cell.get("outputs", []):
                data = output.get("data", {})
                if "image/png" in data and len(found) < most:
                    text = str(data.get("text/plain", ""))
                    text = "" if text.startswith("<Figure") else _without_prefix(text)
                    found.append((base64.b64decode(data["image/png"]), text))
        images.extend(found)
    return images


#: Characters XML 1.0 cannot hold (a hostile value must not break the report): dropped.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def _run_xml(text: str) -> str:
    """A ``<w:r>`` holding ``text`` as python-docx's ``cell.text = text`` writes it: a tab is
    ``<w:tab/>``, a line break ``<w:br/>``, runs of other characters one ``<w:t>`` (space
    preserved when the text has surrounding white space)."""
    from xml.sax.saxutils import escape

    parts = []
    for part in re.split(r"([\t\r\n])", _NOT_XML.sub("", text)):
        if part == "\t":
            parts.append("<w:tab/>")
        elif part in ("\r", "\n"):
            parts.append("<w:br/>")
        elif part:
            space = ' xml:space="preserve"' if len(part.strip()) < len(part) else ""
            parts.append(f"<w:t{space}>{escape(part)}</w:t>")
    return f"<w:r>{''.join(parts)}</w:r>"


def _rows(tables: Mapping[str, pd.DataFrame], name: str) -> int:
    """Rows of one table: from the file's metadata when the tables are the notebooks'
    published files (:class:`eduqa.project.manifest.Published`), without reading it."""
    rows = getattr(tables, "rows", None)
    return rows(name) if rows is not None else len(tables[name])


def write_word_report(folder: str | Path, *, title: str, county: str, opening: str,
                      tables: Mapping[str, pd.DataFrame], language: str = "zh",
                      row_limit: int = WORD_ROW_LIMIT,
                      suppress_below: int | None = None) -> Path:
    """Write :data:`WORD_FILE` into the report ``folder`` (which holds the executed notebooks,
    whose figures are taken); returns its path.

    The report has the shape of a county's 质量分析报告: 基本情况, 主要成绩, 存在问题, 原因分析
    and 改进建议, written from the numbers (:func:`eduqa.text.narrative.report.report_sections`),
    then the key tables (:data:`APPENDIX_TABLES`, as the workbook shows them: the full tables
    stay in it) and the main figures, and the terms used. Sections are numbered as they are
    present (一、二、… with no gap when one is absent). Tables repeat their header row on each
    page, keep each row on one page, and give each column a width from its longest text. A
    table longer than ``row_limit`` rows shows its first and last half of them (see
    :data:`WORD_ROW_LIMIT`)."""
    from docx.shared import Cm

    from eduqa.text.narrative.report import report_sections

    zh = language != "en"
    folder = Path(folder)
    document = _landscape_document()
    document.add_heading(say("report.word.title", zh, title=title), level=0)
    document.add_paragraph(county)
    figures = _figures(folder)
    written = report_sections(tables, language, opening=opening)
    number = 0

    def heading(key: str) -> None:
        nonlocal number
        number += 1
        document.add_heading(say("report.word.numbered", zh, number=_numeral(number, zh),
                                 name=say(f"report.word.sections.{key}", zh)), level=1)

    for key, paragraphs in written.items():
        heading(key)
        style = "List Number" if key == "suggestions" else None
        for paragraph in paragraphs:
            document.add_paragraph(paragraph, style=style)
    present = [n for n in APPENDIX_TABLES if n in tables and _rows(tables, n)]
    if present:
        heading("tables")
        document.add_paragraph(say("report.word.tables_note", zh))
        for k, name in enumerate(present, start=1):
            _add_table(document, tables[name], name, k, language, row_limit, suppress_below)
    if figures:
        heading("figures")
        for k, (image, text) in enumerate(figures, start=1):
            document.add_picture(_io.BytesIO(image), width=Cm(16))
            document.add_paragraph((say("report.word.write_word_report.figure", zh, k=k,
                                        text=text)).rstrip(" 　."), style="Caption")
    _add_glossary(document, language)
    # the same inputs give the same file contents (zip entry dates fixed too)
    return save_document(document, folder / WORD_FILE, title=title, author=county)


def _numeral(number: int, zh: bool) -> str:
    """The Chinese section numbers one to ninety-nine (the catalog's ``report.word.numerals``:
    one … ten), or 1, 2, … in English."""
    if not zh:
        return str(number)
    digits = say("report.word.numerals", "zh")
    if number <= 10:
        return digits[number - 1]
    tens, units = divmod(number, 10)
    return ((digits[tens - 1] if tens > 1 else "") + digits[9]
            + (digits[units - 1] if units else ""))


def _landscape_document():
    """An empty A4 landscape document (the school tables are wide) in SimSun / SimHei."""
    from docx import Document
    from docx.enum.section import WD_ORIENT
    from docx.oxml.ns import qn
    from docx.shared import Cm, Pt

    document = Document()
    section = document.sections[0]
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = Cm(29.7), Cm(21.0)
    for margin in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, margin, Cm(2.0))
    for style_name in ("Normal", "Title", "Heading 1", "Heading 2", "Caption", "List Bullet",
                       "List Number"):
        style = document.styles[style_name]
        style.font.name = "SimSun" if style_name in ("Normal", "Caption", "List Bullet",
                                                     "List Number") \
            else "SimHei"
        style.element.rPr.rFonts.set(qn("w:eastAsia"), style.font.name)
    document.styles["Normal"].font.size = Pt(11)
    return document


def _add_table(document, full: pd.DataFrame, name: str, number: int, language: str,
               row_limit: int, suppress_below: int | None) -> None:
    """Table ``number`` (the frame ``full``, read once: tables may be read from files when
    used) with its caption; past ``row_limit`` rows its first and last halves and a note."""
    zh = language != "en"
    frame, left_out = first_and_last(full, row_limit)
    if name in WORD_COLUMNS:
        frame = frame[[c for c in WORD_COLUMNS[name] if c in frame]]
    whole, shown_rows = len(full), len(frame)
    del full  # (only the rows shown are kept)
    if not left_out:
        caption = say("report.word.add_table.table_rows", zh, number=number,
                      name=label(name, language), whole=whole)
    else:
        caption = say("report.word.add_table.table_rows_first_last", zh, number=number,
                      name=label(name, language), whole=whole, value1=shown_rows // 2)
    document.add_paragraph(caption, style="Caption")
    headers, rows = display_cells(frame, language, suppress_below, view=name)
    if left_out:
        rows.insert(shown_rows // 2, ["⋯"] * len(headers))
    _insert_table(document, headers, rows)
    if left_out:
        document.add_paragraph(
            say("report.word.add_table.middle_rows_left_out", zh, left_out=left_out,
                name=label(name, language)))


#: The page's text width in twentieths of a point (A4 landscape less 2 cm margins: 25.7 cm).
_TEXT_WIDTH = 14570


@lru_cache(maxsize=1)
def _template_parts() -> tuple[tuple[str, bytes], ...]:
    """The parts of an empty report document (:func:`_landscape_document`, saved once per
    process), in their zip order."""
    buffer = _io.BytesIO()
    _landscape_document().save(buffer)
    with zipfile.ZipFile(buffer) as package:
        return tuple((name, package.read(name)) for name in package.namelist())


def _paragraph_xml(text: str, style_id: str | None = None, bold: bool = False,
                   size: int | None = None) -> str:
    """A ``<w:p>`` of ``text`` in the style ``style_id``, bold and in ``size`` half-points
    when asked."""
    style = f'<w:pPr><w:pStyle w:val="{style_id}"/></w:pPr>' if style_id else ""
    run = _run_xml(text)
    properties = ("<w:b/>" if bold else "") + (
        f'<w:sz w:val="{size}"/><w:szCs w:val="{size}"/>' if size else "")
    if properties:
        run = run.replace("<w:r>", f"<w:r><w:rPr>{properties}</w:rPr>", 1)
    return f"<w:p>{style}{run}</w:p>"


#: Text in tables: 9 pt (a school table's 16 columns fit an A4 landscape page).
_TABLE_FONT = 18


def _wide(text: str) -> bool:
    """Whether ``text`` holds a CJK character (words, which may wrap): by the workbook's
    own rule of width (:func:`eduqa.report.tables._display_width`)."""
    return _display_width(text) > len(text)


#: Twentieths of a point a half-width character takes at the tables' 9 pt, with room for a
#: wider substitute font (a CJK character takes two), and a cell's left and right margins.
_CHAR_TWIPS, _CELL_PADDING = 120, 250


def _column_widths(headers: Sequence[str], rows: Sequence[Sequence[str]]) -> list[int]:
    """Each column's width in twips: wide enough for its longest value on one line (a number
    or a code is never broken: ``1,300.8``), and then, as far as the page allows, for its
    header (a header may wrap over two lines); when even the values do not fit the page,
    their widths shrink in proportion."""
    values = [max([_display_width(r[k]) for r in rows] + [2]) for k in range(len(headers))]
    need = [_CHAR_TWIPS * w + _CELL_PADDING for w in values]
    header = [_CHAR_TWIPS * _display_width(h) + _CELL_PADDING for h in headers]
    room = _TEXT_WIDTH - sum(need)
    if room < 0:  # too wide: the columns of words wrap first, numbers keep their line
        words = [any(_wide(r[k]) for r in rows) for k in range(len(headers))]
        fixed = sum(n for n, w in zip(need, words) if not w)
        text = sum(n for n, w in zip(need, words) if w)
        if text and fixed + 4 * _CHAR_TWIPS * sum(words) < _TEXT_WIDTH:
            share = _TEXT_WIDTH - fixed
            return [n * share // text if w else n for n, w in zip(need, words)]
        return [max(300, n * _TEXT_WIDTH // sum(need)) for n in need]
    want = [max(0, h - n) for h, n in zip(header, need)]
    wanted = sum(want)
    if wanted <= room:
        return [n + w for n, w in zip(need, want)]
    return [n + w * room // wanted for n, w in zip(need, want)]


def _table_xml(headers: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    """A bordered table (style Table Grid) whose header row repeats on every page
    (``w:tblHeader``) and whose rows do not break across pages (``w:cantSplit``), its
    columns as wide as :func:`_column_widths` gives (fixed layout: Word and LibreOffice
    draw the same widths)."""
    twips = _column_widths(headers, rows)
    grid = "".join(f'<w:gridCol w:w="{w}"/>' for w in twips)

    def row(values: Sequence[str], header: bool) -> str:
        properties = "<w:trPr><w:cantSplit/>" + ("<w:tblHeader/>" if header else "") + \
            "</w:trPr>"
        # a number or a code is never broken over two lines (1,300.8); words may wrap
        cells = "".join(f'<w:tc><w:tcPr><w:tcW w:w="{w}" w:type="dxa"/>'
                        + ("" if header or _wide(v) else "<w:noWrap/>") + "</w:tcPr>"
                        f"{_paragraph_xml(v, bold=header, size=_TABLE_FONT)}</w:tc>"
                        for w, v in zip(twips, values))
        return f"<w:tr>{properties}{cells}</w:tr>"

    return ('<w:tbl><w:tblPr><w:tblStyle w:val="TableGrid"/>'
            f'<w:tblW w:w="{sum(twips)}" w:type="dxa"/><w:tblLayout w:type="fixed"/></w:tblPr>'
            f"<w:tblGrid>{grid}</w:tblGrid>{row(headers, True)}"
            + "".join(row(r, False) for r in rows) + "</w:tbl>")


def write_blocks_docx(path: str | Path, blocks: Sequence[tuple], *, title: str,
                      author: str) -> Path:
    """A report document of ``blocks`` written straight as WordprocessingML — each block
    ``("p", style_id or None, text)`` or ``("table", headers, rows)`` — into the parts of
    the empty report document (styles, fonts, A4 landscape), with fixed zip dates and
    properties (the same inputs, the same bytes). The demo's 33 school documents of a season
    take about 0.2 s this way, against 1.1 s through python-docx (measured, 2-core machine)."""
    from xml.sax.saxutils import escape

    body = "".join(_paragraph_xml(b[2], b[1]) if b[0] == "p"
                   else _table_xml(b[1], b[2]) + "<w:p/>" for b in blocks)
    path = Path(path)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as package:
        for name, data in _template_parts():
            if name == "word/document.xml":
                text = data.decode("utf-8")
                at = text.rindex("<w:sectPr")
                data = (text[:at] + body + text[at:]).encode("utf-8")
            elif name == "docProps/core.xml":
                text = data.decode("utf-8")
                text = re.sub(r"<dc:title>[^<]*</dc:title>|<dc:title/>",
                              f"<dc:title>{escape(_NOT_XML.sub('', title))}</dc:title>", text)
                text = re.sub(r"<dc:creator>[^<]*</dc:creator>|<dc:creator/>",
                              f"<dc:creator>{escape(_NOT_XML.sub('', author))}</dc:creator>",
                              text)
                data = re.sub(r"(<dcterms:(?:created|modified)[^>]*>)[^<]*(<)",
                              r"\g<1>" + FIXED_STAMP + r"\2", text).encode("utf-8")
            info = zipfile.ZipInfo(name, date_time=(2000, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            package.writestr(info, data, compresslevel=1)  # (level 1: 5x faster, 10% larger)
    return path


def save_document(document, path: str | Path, *, title: str, author: str) -> Path:
    """Save ``document`` with fixed metadata and zip dates: the same inputs, the same bytes."""
    properties = document.core_properties
    properties.author = author
    properties.title = title
    properties.created = properties.modified = _dt.datetime(2000, 1, 1)
    path = Path(path)
    document.save(str(path))
    _reproducible(path)
    return path


def _insert_table(document, headers: Sequence[str], rows: Sequence[Sequence[str]]) -> None:
    """Append :func:`_table_xml`'s table to a python-docx document (before its section
    properties), and an empty paragraph after it (two tables never touch)."""
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls

    table = parse_xml(_table_xml(headers, rows).replace("<w:tbl>", f"<w:tbl {nsdecls('w')}>", 1))
    paragraph = document.add_paragraph()
    paragraph._p.addprevious(table)


def _add_glossary(document, language: str) -> None:
    zh = language != "en"
    document.add_heading(say("report.word.add_glossary.terms_used", zh), level=1)
    for term, text in glossary(language):
        paragraph = document.add_paragraph()
        paragraph.add_run(say("report.word.add_glossary.text", zh, term=term)).bold = True
        paragraph.add_run(text)
