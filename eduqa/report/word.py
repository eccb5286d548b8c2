"""The Word report ``reports/<season>/质量分析报告.docx``: what the office pastes into the
papers of the 教学质量分析会, in the order such a speech goes — the county's overall results,
the main findings, the schools' 一分三率 and 名次, the urban–rural and township gaps, teacher
staffing, the target responsibility contracts, the balance of parallel classes, the papers
(when the season has item scores), and the main figures.

Headings use Word's own heading styles (an office can restyle or renumber them in one place);
tables use the same display headers and number formats as ``tables.xlsx`` (percent 78.0%,
counts with separators, 是/否), so the two always agree.
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

from eduqa.catalog import pairs, say
from eduqa.config.labels import label
from eduqa.indicators.privacy import marked, suppressed_rows
from eduqa.report.tables import _relabelled, _reproducible, first_and_last, with_yes_no
from eduqa.text.narrative import glossary
from eduqa.text.numbers import display_number

__all__ = ["WORD_FILE", "SECTIONS", "WORD_ROW_LIMIT", "write_word_report", "display_cells",
           "new_document", "add_frame_table", "save_document", "write_blocks_docx"]

#: File name of the Word report in the season's report folder.
WORD_FILE = say("report.word.file", "zh")  # (the same name in both languages)

#: The sections, in the order of the meeting speech: their keys and the tables shown under
#: each (the headings are the catalog's ``report.word.sections.<key>``).
_SECTION_TABLES: dict[str, tuple[str, ...]] = {
    "overall": ("county_subjects",), "findings": (), "schools": ("school_total",),
    "tiers": ("tier_table",), "gaps": ("gap_means", "township_table"), "staffing": ("staffing_schools",),
    "targets": ("targets",), "classes": ("parallel_classes",),
    "papers": ("paper_summary", "knowledge_points"), "figures": ()}
#: (heading zh, heading en, tables shown under it), in the order of the meeting speech.
SECTIONS: tuple[tuple[str, str, tuple[str, ...]], ...] = tuple(
    (heading.zh, heading.en, _SECTION_TABLES[key])
    for key, heading in pairs("report.word.sections").items())

_FIGURES_HEADING = SECTIONS[-1][0]

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


def _append_rows(table, rows: Sequence[Sequence[str]]) -> None:
    """Append ``rows`` of text to a python-docx table — the same XML as ``add_row()`` and
    ``cell.text = …`` for each cell (tested), built as one string and parsed once: python-docx
    takes about a millisecond a cell, which is seconds for the school tables."""
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls

    properties = [cell._tc.tcPr.xml if cell._tc.tcPr is not None else ""
                  for cell in table.rows[0].cells]
    body = "".join(
        "<w:tr>" + "".join(f"<w:tc>{tc_pr}<w:p>{_run_xml(text)}</w:p></w:tc>"
                           for tc_pr, text in zip(properties, values)) + "</w:tr>"
        for values in rows)
    for row in parse_xml(f"<w:tbl {nsdecls('w')}>{body}</w:tbl>"):
        table._tbl.append(row)


def _rows(tables: Mapping[str, pd.DataFrame], name: str) -> int:
    """Rows of one table: from the file's metadata when the tables are the notebooks'
    published files (:class:`eduqa.project.manifest.Published`), without reading it."""
    rows = getattr(tables, "rows", None)
    return rows(name) if rows is not None else len(tables[name])


def write_word_report(folder: str | Path, *, title: str, county: str, opening: str,
                      findings: Sequence[str], tables: Mapping[str, pd.DataFrame],
                      language: str = "zh", row_limit: int = WORD_ROW_LIMIT,
                      suppress_below: int | None = None) -> Path:
    """Write :data:`WORD_FILE` into the report ``folder`` (which holds the executed notebooks,
    whose figures are taken); returns its path. A table longer than ``row_limit`` rows shows
    its first and last half of them (see :data:`WORD_ROW_LIMIT`)."""
    from docx.shared import Cm

    zh = language != "en"
    folder = Path(folder)
    document = _landscape_document()
    document.add_heading(say("report.word.title", zh, title=title), level=0)
    document.add_paragraph(county)
    figures = _figures(folder)
    number = 0
    for key, (heading_zh, heading_en, names) in zip(_SECTION_TABLES, SECTIONS):
        present = [n for n in names if n in tables and _rows(tables, n)]
        if names and not present:
            continue
        if heading_zh == _FIGURES_HEADING and not figures:
            continue
        document.add_heading(heading_zh if zh else heading_en, level=1)
        if key == "overall":
            document.add_paragraph(opening)
        if key == "findings":
            for finding in findings:
                document.add_paragraph(finding, style="List Bullet")
        for name in present:
            number += 1
            _add_table(document, tables[name], name, number, language, row_limit, suppress_below)
        if heading_zh == _FIGURES_HEADING:
            for k, (image, text) in enumerate(figures, start=1):
                document.add_picture(_io.BytesIO(image), width=Cm(16))
                document.add_paragraph((say("report.word.write_word_report.figure", zh, k=k,
                                            text=text))
                                       .rstrip(" 　."), style="Caption")
    _add_glossary(document, language)
    # the same inputs give the same file contents (zip entry dates fixed too)
    return save_document(document, folder / WORD_FILE, title=title, author=county)


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
    _grid(document, headers, rows)
    if left_out:
        document.add_paragraph(
            say("report.word.add_table.middle_rows_left_out", zh, left_out=left_out,
                name=label(name, language)))


def _grid(document, headers: Sequence[str], rows: Sequence[Sequence[str]]):
    """A bordered table of ``headers`` (bold) and ``rows`` of text."""
    table = document.add_table(rows=1, cols=len(headers))
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, headers):
        cell.text = text
        for run in cell.paragraphs[0].runs:
            run.bold = True
    _append_rows(table, rows)
    return table


def add_styled(document, text: str, style_id: str | None = None):
    """A paragraph of ``text`` in the style ``style_id`` (Word's id: ``Heading1``,
    ``Caption``, ``ListNumber``, ``Title``), set on the XML: python-docx looks a style up
    by name through every style of the document (a millisecond each, seconds over the
    school reports)."""
    paragraph = document.add_paragraph(text)
    if style_id is not None:
        paragraph._p.style = style_id
    return paragraph


def add_grid(document, headers: Sequence[str], rows: Sequence[Sequence[str]]):
    """A bordered table of ``headers`` (bold) and ``rows`` of text."""
    return _grid(document, headers, rows)


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


def _paragraph_xml(text: str, style_id: str | None = None, bold: bool = False) -> str:
    style = f'<w:pPr><w:pStyle w:val="{style_id}"/></w:pPr>' if style_id else ""
    run = _run_xml(text)
    if bold:
        run = run.replace("<w:r>", "<w:r><w:rPr><w:b/></w:rPr>", 1)
    return f"<w:p>{style}{run}</w:p>"


def _table_xml(headers: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    """A bordered table (style Table Grid) whose header row repeats on every page
    (``w:tblHeader``) and whose rows do not break across pages (``w:cantSplit``), with
    column widths in proportion to each column's longest text (a CJK character counted
    twice), so that no number is broken over two lines when the page has room."""
    from eduqa.report.tables import _display_width

    widths = [max([_display_width(h)] + [_display_width(r[k]) for r in rows]) + 2
              for k, h in enumerate(headers)]
    total = sum(widths) or 1
    twips = [max(300, int(_TEXT_WIDTH * w / total)) for w in widths]
    grid = "".join(f'<w:gridCol w:w="{w}"/>' for w in twips)

    def row(values: Sequence[str], header: bool) -> str:
        properties = "<w:trPr><w:cantSplit/>" + ("<w:tblHeader/>" if header else "") + \
            "</w:trPr>"
        cells = "".join(f'<w:tc><w:tcPr><w:tcW w:w="{w}" w:type="dxa"/></w:tcPr>'
                        f"{_paragraph_xml(v, bold=header)}</w:tc>"
                        for w, v in zip(twips, values))
        return f"<w:tr>{properties}{cells}</w:tr>"

    return ('<w:tbl><w:tblPr><w:tblStyle w:val="TableGrid"/><w:tblW w:w="0" w:type="auto"/>'
            '<w:tblLayout w:type="fixed"/></w:tblPr>'
            f"<w:tblGrid>{grid}</w:tblGrid>{row(headers, True)}"
            + "".join(row(r, False) for r in rows) + "</w:tbl><w:p/>")


def write_blocks_docx(path: str | Path, blocks: Sequence[tuple], *, title: str,
                      author: str) -> Path:
    """A report document of ``blocks`` written straight as WordprocessingML — each block
    ``("p", style_id or None, text)`` or ``("table", headers, rows)`` — into the parts of
    the empty report document (styles, fonts, A4 landscape), with fixed zip dates and
    properties (the same inputs, the same bytes). About fifty times faster than python-docx
    for a short document: a county's school reports are written in a second."""
    from xml.sax.saxutils import escape

    body = "".join(_paragraph_xml(b[2], b[1]) if b[0] == "p" else _table_xml(b[1], b[2])
                   for b in blocks)
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
                              r"\g<1>2000-01-01T00:00:00Z\2", text).encode("utf-8")
            info = zipfile.ZipInfo(name, date_time=(2000, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            package.writestr(info, data, compresslevel=1)  # (level 1: 5x faster, 10% larger)
    return path


def new_document():
    """An empty A4 landscape document in the report's fonts (SimSun / SimHei)."""
    return _landscape_document()


def add_frame_table(document, frame: pd.DataFrame, caption: str, language: str,
                    suppress_below: int | None, view: str | None = None) -> None:
    """``frame`` as a captioned table, headers and numbers as the table ``view`` shows them,
    the figures of rows from fewer than ``suppress_below`` pupils as —."""
    document.add_paragraph(caption, style="Caption")
    headers, rows = display_cells(frame, language, suppress_below, view=view)
    _grid(document, headers, rows)


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


def _add_glossary(document, language: str) -> None:
    zh = language != "en"
    document.add_heading(say("report.word.add_glossary.terms_used", zh), level=1)
    for term, text in glossary(language):
        paragraph = document.add_paragraph()
        paragraph.add_run(say("report.word.add_glossary.text", zh, term=term)).bold = True
        paragraph.add_run(text)
