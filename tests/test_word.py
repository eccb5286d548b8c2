"""The Word report 质量分析报告.docx: the five sections of a county's analysis report with sentences
that agree with the tables, the key tables exactly as the workbook shows them (header rows
repeated, widths from content), the figures, sections numbered without gaps."""

from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Decimal

import docx
import openpyxl
import pytest

from eduqa.config.labels import label
from eduqa.report.word import WORD_FILE
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


FIVE = ["一、基本情况", "二、主要成绩", "三、存在问题", "四、原因分析", "五、改进建议"]


@pytest.mark.parametrize("season", SEASONS)
def test_word_report_matches_the_workbook(built, season):
    folder = built.report_season(season)
    document = docx.Document(folder / WORD_FILE)
    headings = [p.text for p in document.paragraphs if p.style.name == "Heading 1"]
    assert headings[:5] == FIVE
    assert headings[5:] == ["六、主要数据表", "七、主要图表", "附：术语说明"]
    assert document.paragraphs[0].text.endswith("质量分析报告")
    captions = [p.text for p in document.paragraphs if p.style.name == "Caption"
                and p.text.startswith("表")]
    assert len(captions) == len(document.tables)
    workbook = openpyxl.load_workbook(folder / "tables.xlsx")
    for caption, table in zip(captions, document.tables):
        sheet_label = caption.split("　", 1)[1].rsplit("（", 1)[0]
        sheet = workbook[sheet_label]
        sheet_rows = list(sheet.iter_rows())
        shown = [c.text for c in table.rows[0].cells]
        sheet_header = [c.value for c in sheet_rows[0]]
        # every column, or for a table too wide for a page its WORD_COLUMNS, in order
        assert shown == sheet_header or (len(shown) < len(sheet_header)
                                         and set(shown) < set(sheet_header))
        at = [sheet_header.index(h) for h in shown]
        assert len(table.rows) == len(sheet_rows)
        for word_row, excel_row in zip(table.rows[1:], sheet_rows[1:]):
            assert [c.text for c in word_row.cells] == [_workbook_text(excel_row[k]) for k in at]
    assert len(document.inline_shapes) >= 1  # the main figures
    text = "\n".join(p.text for p in document.paragraphs)
    # sentences that agree with the tables (the workbook is the oracle)
    county = {r[0].value: r for r in list(workbook["全县各学科"].iter_rows())[1:]}
    header = [c.value for c in next(workbook["全县各学科"].iter_rows())]
    total = county["总分"]
    assert (f"全县总分平均分 {_workbook_text(total[header.index('平均分')])}，"
            f"及格率 {_workbook_text(total[header.index('及格率')])}") in text
    rates = {k: r[header.index("得分率")].value for k, r in county.items() if k != "总分"}
    weakest = min(rates, key=rates.get)
    assert f"{weakest}是全县的薄弱学科" in text
    schools = list(workbook["各校总分"].iter_rows(values_only=True))
    school_header, rows = schools[0], schools[1:]
    ranked = sorted((r for r in rows if isinstance(r[school_header.index("名次")], (int, float))),
                    key=lambda r: r[school_header.index("名次")])
    assert f"居前的是{ranked[0][school_header.index('学校')]}" in text
    for suggestion in [p.text for p in document.paragraphs if p.style.name == "List Number"]:
        assert suggestion  # each suggestion tied to a problem above: at least one problem
    assert "附：术语说明" in text


def test_word_tables_repeat_their_header_and_size_columns_to_their_text(built):
    """Issue 37 (4): a table's header row repeats on every page (w:tblHeader), a row never
    breaks across pages, columns are as wide as their text (a school name's column is wider
    than a rate's), and a number is never broken over two lines (w:noWrap)."""
    import zipfile

    folder = built.report_season("2025-spring-g6")
    xml = zipfile.ZipFile(folder / WORD_FILE).read("word/document.xml").decode("utf-8")
    tables = re.findall(r"<w:tbl>.*?</w:tbl>", xml, flags=re.S)
    assert len(tables) >= 5
    for table in tables:
        first_row = re.search(r"<w:tr>.*?</w:tr>", table, flags=re.S).group(0)
        assert "<w:tblHeader/>" in first_row
        assert table.count("<w:cantSplit/>") == table.count("<w:tr>")
        widths = [int(w) for w in re.findall(r'<w:gridCol w:w="(\d+)"/>', table)]
        assert len(set(widths)) > 1, widths  # widths differ by column
    school_table = next(t for t in tables if "县城第一小学" in t)
    cells = re.findall(r"<w:tc>.*?</w:tc>", school_table, flags=re.S)
    numbers = [c for c in cells if re.search(r"<w:t[^>]*>[\d,.%]+</w:t>", c)]
    assert numbers and all("<w:noWrap/>" in c for c in numbers)


def test_sections_are_numbered_without_a_gap(tmp_path):
    """A season without the key tables or figures numbers what it has: the five sections,
    then the terms — no 六 left out before a 七."""
    import pandas as pd

    from eduqa.report.word import write_word_report

    county = pd.DataFrame({"subject": ["chinese", "total"], "n_sat": [50, 50],
                           "mean": [70.0, 70.0], "score_rate": [0.7, 0.7],
                           "pass_rate": [0.8, 0.8], "good_rate": [0.5, 0.5],
                           "excellent_rate": [0.2, 0.2], "low_rate": [0.05, 0.05]})
    path = write_word_report(tmp_path, title="某季", county="某县", opening="开头。",
                             tables={"other": county})
    headings = [p.text for p in docx.Document(path).paragraphs if p.style.name == "Heading 1"]
    assert headings == [*FIVE, "附：术语说明"]
    path = write_word_report(tmp_path, title="某季", county="某县", opening="开头。",
                             tables={"county_subjects": county})
    headings = [p.text for p in docx.Document(path).paragraphs if p.style.name == "Heading 1"]
    assert headings == [*FIVE, "六、主要数据表", "附：术语说明"]
    assert "全县总分平均分 70.0，及格率 80.0%" in "\n".join(
        p.text for p in docx.Document(path).paragraphs)


def test_cell_text_formats():
    assert cell_text(0.78, "percent") == "78.0%" and cell_text(1234.0, "integer") == "1,234"
    assert cell_text(0.0004, "p_value") == "<0.001" and cell_text(0.032, "p_value") == "0.032"
    assert cell_text(0.0921, "precise") == "0.092" and cell_text(286.9, "score") == "286.9"
    assert cell_text(0.2125, "percent") == "21.3%"  # as Excel shows it, not binary rounding
    assert cell_text(float("nan"), "percent") == "" and label("school_total") != "school_total"


def test_table_cells_read_back_as_written():
    """The tables are written as one XML string: python-docx reads every cell back as the
    text given — tabs, line breaks, surrounding and full-width spaces, markup characters,
    empty cells. A character XML cannot hold is dropped instead of breaking the report."""
    from eduqa.report.word import write_blocks_docx

    headers = ["学校", "及格率", "人数"]
    rows = [["甲校", "78.0%", "1,234"], [" lead", "tab\there", "line\nbreak\r\nx"],
            ["", "a&b<c>\"'", "\u3000全角"], ["x\x0by", "é", "trail "]]
    import tempfile
    from pathlib import Path

    with tempfile.TemporaryDirectory() as folder:
        path = write_blocks_docx(Path(folder) / "t.docx", [("table", headers, rows)],
                                 title="t", author="a")
        table = docx.Document(str(path)).tables[0]
        read = [[c.text for c in row.cells] for row in table.rows]
    # (as python-docx writes them: a carriage return is a line break too)
    expected = [headers] + [[v.replace("\x0b", "").replace("\r", "\n") for v in r]
                            for r in rows]
    assert read == expected


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
    path = write_word_report(tmp_path, title="某省", county="某省", opening="。",
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


def test_every_problem_found_gets_its_suggestion_and_nothing_else():
    """改进建议 follow 存在问题: the weak subject's suggestion when a subject is weakest, the
    staffing suggestion only when staffing explains a share of the rural gap clearly above
    zero (Gelbach's interval), and 'keep going' when nothing was found."""
    import pandas as pd

    from eduqa.text.narrative.report import report_sections

    county = pd.DataFrame({"subject": ["chinese", "math", "total"], "n_sat": [50] * 3,
                           "mean": [70.0, 50.0, 120.0], "score_rate": [0.7, 0.5, 0.6],
                           "pass_rate": [0.8, 0.4, 0.6], "good_rate": [0.5, 0.2, 0.3],
                           "excellent_rate": [0.2, 0.05, 0.1], "low_rate": [0.05, 0.2, 0.1]})
    sections = report_sections({"county_subjects": county}, "zh")
    assert sections["problems"] == ["数学是全县的薄弱学科：得分率 50.0%，及格率 40.0%。"]
    assert sections["achievements"][0].startswith("各学科中语文得分率最高（70.0%）")
    assert len(sections["suggestions"]) == 1 and "薄弱学科" in sections["suggestions"][0]
    assert sections["reasons"] == ["本季没有可用的模型结果。"]
    gelbach = pd.DataFrame({"term": ["explained"], "ci_low": [0.02]})
    with_staffing = report_sections({"county_subjects": county, "gelbach_table": gelbach})
    assert "缺编" in with_staffing["suggestions"][-1]
    unclear = report_sections({"county_subjects": county,
                               "gelbach_table": gelbach.assign(ci_low=-0.01)})
    assert not any("缺编" in s for s in unclear["suggestions"])
    nothing = report_sections({}, "en")
    assert nothing["problems"] == ["No weak subject, school or gap stands out this season."]
    assert nothing["suggestions"] == [
        "Keep the current practice and follow every indicator in the next assessment."]


def test_targets_met_read_back_as_nullable_yes_no():
    """The county-shape sweep (shape 190): a targets table whose 完成 columns are read back as
    pandas' nullable boolean, with missing answers, is counted, not an internal error."""
    import pandas as pd

    from eduqa.text.narrative.report import _targets

    flags = pd.DataFrame({"mean_met": pd.array([True, False, None], dtype="boolean"),
                          "pass_rate_met": pd.array([True, None, None], dtype="boolean")})
    assert _targets({"targets": flags}) == (1, 2)  # the third school was given no target
    assert _targets({"targets": flags.astype("float")}) == (1, 2)
