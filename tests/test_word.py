"""The Word report 质量分析报告.docx: headings in the order of the meeting speech, the main tables
exactly as the workbook shows them, the figures."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

import docx
import openpyxl
import pytest

from eduqa.config.labels import label
from eduqa.report.word import SECTIONS, WORD_FILE
from eduqa.text.numbers import display_number as cell_text

from conftest import SEASONS


def _excel(value: float, places: int) -> str:
    """Excel's display rounding: 15 significant digits, then half away from zero. (Excel
    writes -0.00 for a small negative value; the pages and the Word report write 0.00, which
    is what is compared.)"""
    text = f"{value:.15g}"
    shown = f"{Decimal(text).quantize(Decimal(10) ** -places, rounding=ROUND_HALF_UP):,.{places}f}"
    return shown[1:] if shown.startswith("-") and not shown.strip("-0.,") else shown


def _workbook_text(cell) -> str:
    """A workbook cell as Excel displays it under its number format (the oracle)."""
    value, fmt = cell.value, cell.number_format
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if fmt.startswith("[<0.001]"):
        return "<0.001" if value < 0.001 else _excel(value, 3)
    if "0" not in fmt:  # (General)
        return _excel(value, 1)
    places = len(fmt.split(".")[1].rstrip("%")) if "." in fmt else 0  # 0.00%, #,##0.0, 0.000
    if fmt.endswith("%"):
        return _excel(value * 100, places) + "%"
    return _excel(value, places)


@pytest.mark.parametrize("season", SEASONS)
def test_word_report_matches_the_workbook(built, season):
    folder = built.report_season(season)
    document = docx.Document(folder / WORD_FILE)
    headings = [p.text for p in document.paragraphs if p.style.name == "Heading 1"]
    expected = [zh for zh, _, _ in SECTIONS] + ["附：术语说明"]
    assert headings == [h for h in expected if h in headings]  # speech order, none invented
    assert headings[-1] == "附：术语说明"
    assert {"一、总体情况", "二、主要发现", "三、各校一分三率与名次", "四、城乡与乡镇差距"} <= set(headings)
    captions = [p.text for p in document.paragraphs if p.style.name == "Caption"
                and p.text.startswith("表")]
    assert len(captions) == len(document.tables)
    workbook = openpyxl.load_workbook(folder / "tables.xlsx")
    for caption, table in zip(captions, document.tables):
        sheet_label = caption.split("　", 1)[1].rsplit("（", 1)[0]
        sheet = workbook[sheet_label]
        sheet_rows = list(sheet.iter_rows())
        assert [c.text for c in table.rows[0].cells] == [c.value for c in sheet_rows[0]]
        assert len(table.rows) == len(sheet_rows)
        for word_row, excel_row in zip(table.rows[1:], sheet_rows[1:]):
            assert [c.text for c in word_row.cells] == [_workbook_text(c) for c in excel_row]
    assert len(document.inline_shapes) >= 1  # the main figures
    findings = [p.text for p in document.paragraphs if p.style.name == "List Bullet"]
    index = (folder / "index.html").read_text(encoding="utf-8")
    assert findings and all(f.replace("“", "&#34;") in index or f in index for f in findings)


def test_cell_text_formats():
    assert cell_text(0.78, "percent") == "78.0%" and cell_text(1234.0, "integer") == "1,234"
    assert cell_text(0.0004, "p_value") == "<0.001" and cell_text(0.032, "p_value") == "0.032"
    assert cell_text(0.0921, "precise") == "0.092" and cell_text(286.9, "score") == "286.9"
    assert cell_text(0.2125, "percent") == "21.3%"  # as Excel shows it, not binary rounding
    assert cell_text(float("nan"), "percent") == "" and label("school_total") != "school_total"


def test_table_rows_are_the_xml_python_docx_writes():
    """The school tables' rows are built as one XML string; python-docx's own add_row() and
    cell.text (the oracle) give the same elements, for tabs, line breaks, surrounding and
    full-width spaces, markup characters and empty cells. A character XML cannot hold is
    dropped instead of breaking the report."""
    from docx import Document
    from lxml import etree

    from eduqa.report.word import _append_rows

    rows = [["甲校", "78.0%", "1,234"], [" lead", "tab\there", "line\nbreak\r\nx"],
            ["", "a&b<c>\"'", "\u3000全角"], ["x\x0by", "é", "trail "]]

    def table(fill):
        document = Document()
        made = document.add_table(rows=1, cols=3)
        for cell, text in zip(made.rows[0].cells, ["学校", "及格率", "人数"]):
            cell.text = text
        fill(made)
        return etree.tostring(made._tbl, method="c14n")

    def by_python_docx(made):
        for values in rows:
            for cell, text in zip(made.add_row().cells, values):
                cell.text = text.replace("\x0b", "")

    assert table(lambda made: _append_rows(made, rows)) == table(by_python_docx)


@pytest.mark.parametrize("language", ["zh", "en"])
def test_a_long_table_shows_its_first_and_last_rows_and_points_to_the_workbook(tmp_path,
                                                                               language):
    """A province's 8,000 schools are not 600 pages of meeting paper: the first and last
    rows (the top and the bottom of a table by rank), a row marking the gap, and where the
    whole table is. A table at the limit is shown whole."""
    import pandas as pd

    from eduqa.report.word import write_word_report

    long = pd.DataFrame({"school_code": [f"S{i:05d}" for i in range(1, 1001)],
                         "rank": range(1, 1001), "pass_rate": [i / 1000 for i in range(1000)]})
    short = long.iloc[:10]
    path = write_word_report(tmp_path, title="某省", county="某省", opening="。", findings=[],
                             tables={"school_total": long, "gap_means": short},
                             language=language, row_limit=10)
    document = docx.Document(path)
    first, second = document.tables
    codes = [row.cells[0].text for row in first.rows[1:]]
    assert codes == ["S00001", "S00002", "S00003", "S00004", "S00005", "⋯",
                     "S00996", "S00997", "S00998", "S00999", "S01000"]
    assert [row.cells[1].text for row in first.rows[-1:]] == ["1,000"]
    assert len(second.rows) == 11  # at the limit: whole, no gap row
    assert "⋯" not in [row.cells[0].text for row in second.rows]
    text = "\n".join(p.text for p in document.paragraphs)
    sheet = label("school_total", language)
    if language == "zh":
        assert "（共 1,000 行，列出前 5 行和后 5 行）" in text
        assert f"中间 990 行从略；完整的表见 tables.xlsx 的工作表“{sheet}”" in text
        assert "（10 行）" in text
    else:
        assert "(1,000 rows; the first 5 and the last 5 shown)" in text
        assert f"The middle 990 rows are left out; the full table is the sheet '{sheet}'" in text
