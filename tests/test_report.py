"""The built demo reports (all four seasons, as `eduqa run --all` builds them): complete,
offline, no code, no student names or ids, numbers equal to the processed data."""

from __future__ import annotations

import json
import re
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from eduqa.report.html import external_references

from conftest import REPO, SEASONS, html_tables

RAW = REPO / "data" / "raw"
PAGES = ["index.html", "01-clean.html", "02-indicators.html", "03-attribution.html",
         "04-trends.html", "05-paper.html"]


def all_pages(project) -> list[Path]:
    return sorted(project.reports.rglob("*.html"))


def personal_values() -> set[str]:
    """Every student name and raw id in the raw files."""
    values: set[str] = set()
    for season in SEASONS:
        folder = RAW / season
        if (folder / "scores.xlsx").exists():
            frame = pd.read_excel(folder / "scores.xlsx", header=2, dtype=str,
                                  engine="openpyxl")
        else:
            encoding = "gbk" if season == "2024-spring-g6" else "utf-8-sig"
            frame = pd.read_csv(folder / "scores.csv", encoding=encoding, dtype=str)
        for column in ("姓名", "name", "学籍号", "student_id", "考号"):
            if column in frame:
                values |= set(frame[column].dropna())
    return values


# --- the checker itself can fail ---------------------------------------------------------------


@pytest.mark.parametrize("snippet", [
    '<script src="https://cdnjs.cloudflare.com/ajax/libs/require.js/2.1.10/require.min.js">',
    '<link rel="stylesheet" href="//fonts.example.org/css">',
    '<img src="http://example.org/a.png">',
    '<style>@import "https://example.org/x.css";</style>',
    '<style>body { background: url(https://example.org/bg.png) }</style>',
    '<div style="background-image: url(\'http://example.org/a.png\')"></div>',
    # table cells: the plain ones are skipped, never one with a URL or a style
    '<td id="T_1" class="data">1</td><td background="http://example.org/a.png">2</td>',
    '<tr class="x"><th style="background: url(https://example.org/b.png)">3</th></tr>',
    '<td class="a"><img src="https://example.org/c.png"></td>',
])
def test_checker_finds_external_references(snippet):
    assert external_references(snippet)


def test_checker_allows_local_and_data_references():
    page = ('<a href="01-clean.html">x</a><a href="#top">y</a><img src="data:image/png;base64,AA">'
            '<style>/* see https://example.org */ .a { background: url(data:image/svg+xml;base64,A) }'
            '</style><p>https://example.org is only text</p>')
    assert external_references(page) == []


# --- the built reports -------------------------------------------------------------------------


def test_every_season_is_built(built):
    for season in SEASONS:
        folder = built.report_season(season)
        for name in [*PAGES, "01-clean.ipynb", "02-indicators.ipynb", "03-attribution.ipynb",
                     "04-trends.ipynb", "tables.xlsx"]:
            assert (folder / name).is_file(), f"{season}/{name}"
    assert not list(built.reports.glob(".build-*")) and not list(built.reports.glob("*.failed"))


def test_index_lists_seasons_newest_first(built):
    page = (built.reports / "index.html").read_text(encoding="utf-8")
    links = re.findall(r'href="([^"]+)/index.html"', page)
    assert links == ["2025-spring-g9", "2025-spring-g6", "2024-spring-g8", "2024-spring-g6"]


def test_no_page_makes_a_network_request(built):
    pages = all_pages(built)  # (the school reports too: schools/*.html)
    assert len([p for p in pages if "schools" not in p.parts]) == 1 + len(PAGES) * len(SEASONS)
    assert len([p for p in pages if "schools" in p.parts]) > len(SEASONS)
    for page in pages:
        assert external_references(page.read_text(encoding="utf-8")) == [], page
        assert "<script" not in page.read_text(encoding="utf-8"), page


def test_no_code_cells_in_html(built):
    sources = []
    for notebook in (REPO / "notebooks").glob("*.ipynb"):
        for cell in json.loads(notebook.read_text())["cells"]:
            sources += [line.strip() for line in "".join(cell["source"]).splitlines()
                        if len(line.strip()) > 12]
    assert sources
    for page in all_pages(built):
        text = page.read_text(encoding="utf-8")
        assert not re.search(r'class="[^"]*(jp-InputArea|jp-InputPrompt)', text), page
        leaked = [line for line in sources if line in text]
        assert not leaked, (page, leaked[:3])


def test_no_student_name_or_raw_id_anywhere_in_reports(built):
    secrets = personal_values()
    assert len(secrets) > 10000
    pattern = re.compile("|".join(sorted(map(re.escape, secrets), key=len, reverse=True)))
    outputs = [*all_pages(built), *built.reports.rglob("*.ipynb")]
    for path in outputs:
        match = pattern.search(path.read_text(encoding="utf-8"))
        assert match is None, (path, match and match.group(0))
    for workbook in built.reports.rglob("*.xlsx"):
        book = openpyxl.load_workbook(workbook, read_only=True)
        for sheet in book.worksheets:
            for row in sheet.iter_rows(values_only=True):
                for value in row:
                    assert not (isinstance(value, str) and pattern.search(value)), workbook


def test_pages_are_chinese_with_figures(built):
    for season in SEASONS:
        page = (built.report_season(season) / "02-indicators.html").read_text(encoding="utf-8")
        assert 'lang="zh-CN"' in page
        assert "全县总体情况" in page and "及格率" in page
        assert page.count('src="data:image/png;base64,') >= 1


def test_executed_notebooks_have_no_errors_or_glyph_warnings(built):
    """The papermill smoke test: every notebook ran on every demo season."""
    for season in SEASONS:
        for name in ("01-clean.ipynb", "02-indicators.ipynb", "03-attribution.ipynb",
                     "04-trends.ipynb"):
            cells = json.loads((built.report_season(season) / name).read_text())["cells"]
            outputs = [o for c in cells for o in c.get("outputs", [])]
            assert not [o for o in outputs if o["output_type"] == "error"], (season, name)
            stderr = "".join("".join(o.get("text", "")) for o in outputs
                             if o.get("name") == "stderr")
            assert "missing from font" not in stderr, (season, name)


def test_workbook_numbers_equal_processed_data(built):
    season = "2025-spring-g9"
    scores = pd.read_parquet(built.processed_season(season) / "scores.parquet")
    total = scores[(scores["subject"] == "total") & (scores["status"] == "sat")]
    book = openpyxl.load_workbook(built.report_season(season) / "tables.xlsx")
    assert book.sheetnames[0] == "全县各学科"
    # no earlier season of grade 9: the comparison is left out, and the 说明 sheet says so
    assert "与上年同年级比较" not in book.sheetnames
    notes = {row[0].value: row[2].value for row in book["说明"].iter_rows(min_row=2)}
    assert "未列出" in notes["与上年同年级比较"]
    sheet = book["全县各学科"]
    header = [c.value for c in sheet[1]]
    rows = {r[0]: dict(zip(header, r)) for r in sheet.iter_rows(min_row=2, values_only=True)}
    assert rows["总分"]["平均分"] == pytest.approx(total["score"].mean())
    assert rows["总分"]["及格率"] == pytest.approx((total["score"] >= 0.6 * 760).mean())
    assert sheet.cell(2, header.index("及格率") + 1).number_format == "0.0%"


def test_season_index_headline_equals_processed_data(built):
    season = "2024-spring-g6"
    scores = pd.read_parquet(built.processed_season(season) / "scores.parquet")
    mean = scores.loc[(scores["subject"] == "total") & (scores["status"] == "sat"),
                      "score"].mean()
    page = (built.report_season(season) / "index.html").read_text(encoding="utf-8")
    assert f"{mean:,.1f} / 400" in page


def test_provenance_footer(built):
    page = (built.report_season("2025-spring-g9") / "02-indicators.html").read_text(
        encoding="utf-8")
    import hashlib

    digest = hashlib.sha256((RAW / "2025-spring-g9" / "scores.csv").read_bytes()).hexdigest()
    assert digest[:16] in page and "eduqa 版本" in page and "cohort_prior" in page


# --- issue 3: the full indicators page and its workbook --------------------------------------


SECTIONS = ["一、全县总体情况", "二、各学校一分三率与进退步", "三、乡镇与城乡比较", "四、分数段分布",
            "五、学科均衡与学科短板", "六、校际差异系数", "七、师资配置", "八、目标责任状完成情况",
            "九、临界生"]


@pytest.mark.parametrize("season", SEASONS)
def test_indicators_page_has_all_nine_sections(built, season):
    page = (built.report_season(season) / "02-indicators.html").read_text(encoding="utf-8")
    positions = [page.find(f">{title}") for title in SECTIONS]
    assert all(p > 0 for p in positions), [t for t, p in zip(SECTIONS, positions) if p < 0]
    assert positions == sorted(positions)
    assert page.count('src="data:image/png;base64,') >= 2  # distributions + balance heatmap
    assert len(html_tables(page)) >= 12


def _shown(value, header: str) -> str:
    """How the page formats a workbook number under this header."""
    if value is None:
        return "—"
    if isinstance(value, bool):
        return {True: "是", False: "否"}[value]
    if header in ("及格率", "良好率", "优秀率", "低分率", "超均率", "参考率", "得分率"):
        return f"{value:.1%}"
    if header in ("实考人数", "名次", "上次名次", "进退步", "应考人数", "缺考人数"):
        return f"{value:,.0f}"
    return f"{value:,.1f}"  # Excel gives 77.0 back as 77


@pytest.mark.parametrize("season,sheet,key", [
    ("2025-spring-g6", "各校总分", "学校代码"),
    ("2025-spring-g9", "全县各学科", "学科"),
    ("2024-spring-g8", "各乡镇", "乡镇"),
])
def test_workbook_numbers_equal_the_report(built, season, sheet, key):
    folder = built.report_season(season)
    book = openpyxl.load_workbook(folder / "tables.xlsx")
    rows = list(book[sheet].iter_rows(values_only=True))
    header, body = list(rows[0]), rows[1:]
    page = (folder / "02-indicators.html").read_text(encoding="utf-8")
    candidates = [t for t in html_tables(page) if t and t[0] == header]
    assert len(candidates) == 1, f"no table on the page with the headers of sheet {sheet}"
    shown = {row[header.index(key)]: row for row in candidates[0][1:]}
    assert len(shown) == len(body)
    checked = 0
    for values in body:
        page_row = shown[str(values[header.index(key)])]
        for column, value in enumerate(values):
            if isinstance(value, (int, float)) and not isinstance(value, bool):
                assert _shown(value, header[column]) == page_row[column], (header[column], value)
                checked += 1
    assert checked > 20


def test_workbook_sheets_are_chinese_and_numeric(built):
    book = openpyxl.load_workbook(built.report_season("2025-spring-g6") / "tables.xlsx")
    assert {"全县各学科", "各校总分", "各乡镇", "城乡", "城乡差距_平均分", "分数段", "学科均衡",
            "差异系数_成绩", "差异系数_师资", "各校师资", "目标完成", "临界生"} <= set(book.sheetnames)
    sheet = book["各校总分"]
    header = [c.value for c in sheet[1]]
    mean_cell = sheet.cell(2, header.index("平均分") + 1)
    assert isinstance(mean_cell.value, float) and mean_cell.number_format == "#,##0.0"


# --- issue 4: the attribution page -----------------------------------------------------------


@pytest.mark.parametrize("season", SEASONS)
def test_attribution_page_renders(built, season):
    page = (built.report_season(season) / "03-attribution.html").read_text(encoding="utf-8")
    for title in ("一、主要结论", "二、考虑办学条件后，哪些学校高于或低于预期", "技术附录",
                  "附录一、多层模型 M0–M3", "Gelbach", "Oaxaca–Blinder", "Shapley"):
        assert title in page, title
    assert "相关关系，不能证明" in page  # the caution is always there
    assert page.count('src="data:image/png;base64,') >= 1  # the caterpillar plot
    book = openpyxl.load_workbook(built.report_season(season) / "tables.xlsx", read_only=True)
    assert {"模型概要", "模型系数", "Gelbach分解", "OB分解", "Shapley分解", "学校效应"} <= set(
        book.sheetnames)


def test_value_added_only_where_the_cohort_links(built):
    g9 = (built.report_season("2025-spring-g9") / "03-attribution.html").read_text(
        encoding="utf-8")
    g6 = (built.report_season("2025-spring-g6") / "03-attribution.html").read_text(
        encoding="utf-8")
    assert "上一学年成绩" in g9 and "比较的是学生的进步" in g9
    assert "比较的是成绩水平，不是进步（增值）" in g6


# --- issue 5: trends ----------------------------------------------------------------------------


def test_trend_pages(built):
    g6 = (built.report_season("2025-spring-g6") / "04-trends.html").read_text(encoding="utf-8")
    assert "2024年春季六年级期末质量监测" in g6 and "超出了学生随机变化" in g6
    g9 = (built.report_season("2025-spring-g9") / "04-trends.html").read_text(encoding="utf-8")
    assert "与上一学年成绩匹配" in g9 and g9.count('src="data:image/png;base64,') >= 1
    for season in ("2024-spring-g6", "2024-spring-g8"):
        page = (built.report_season(season) / "04-trends.html").read_text(encoding="utf-8")
        assert "没有更早的同年级考试季" in page, season
    book = openpyxl.load_workbook(built.report_season("2025-spring-g9") / "tables.xlsx",
                                  read_only=True)
    assert {"历年全县", "增值评价", "历年目标完成"} <= set(book.sheetnames)
    # grade 9 has no earlier season of its grade: school change is empty, left out, noted
    notes = {row[0].value: row[2].value for row in book["说明"].iter_rows(min_row=2)}
    assert "学校进退步" not in book.sheetnames and "未列出" in notes["学校进退步"]


def test_index_has_headlines_and_trend_chart(built):
    page = (built.reports / "index.html").read_text(encoding="utf-8")
    assert "城乡差距" in page and "总分及格率" in page
    assert 'src="data:image/png;base64,' in page and external_references(page) == []


def test_season_index_findings_agree_with_the_data(built):
    """The landing page's 主要发现: the rural gap equals the plain-pandas difference of mean
    totals, and the schools above / below expectation are those flagged in the workbook."""
    for season in SEASONS:
        folder = built.report_season(season)
        page = (folder / "index.html").read_text(encoding="utf-8")
        findings = re.findall(r"<li>([^<]*)</li>", page.split('<ul class="findings">')[1]
                              .split("</ul>")[0])
        assert len(findings) >= 4, (season, findings)
        scores = pd.read_parquet(built.processed / season / "scores.parquet")
        schools = pd.read_parquet(built.processed / season / "schools.parquet")
        total = scores[(scores["subject"] == "total") & (scores["status"] == "sat")].merge(
            schools[["school_code", "urban_rural"]], on="school_code")
        means = total.groupby("urban_rural")["score"].mean()
        gap = next(f for f in findings if f.startswith("乡村学校学生总分平均"))
        assert f"低 {means['urban'] - means['rural']:.1f} 分" in gap, (season, gap)
        effects = pd.read_excel(folder / "tables.xlsx", sheet_name="学校效应", engine="openpyxl")
        above = int((effects["判断"] == "高于预期").sum())
        below = int((effects["判断"] == "低于预期").sum())
        assert any(f"{above} 所学校明显高于预期，{below} 所明显低于预期" in f for f in findings)


def test_workbooks_are_paste_ready(built):
    """Issue 12: in every built workbook every number has a format of its kind, no cell is
    TRUE/FALSE, no sheet holds headers only, and the 说明 sheet lists every sheet."""
    from eduqa.config.columns import VIEWS, column_format
    from eduqa.config.labels import LABELS, label
    from eduqa.report.tables import EXCEL_FORMATS, excel_format

    numeric = ("percent", "integer", "p_value", "precise", "number")
    valid = {excel_format(kind, places) for kind in numeric for places in range(4)}
    assert set(EXCEL_FORMATS.values()) <= valid
    views = {label(name, "zh")[:31]: name for name in [*LABELS, *VIEWS]}

    def wanted(view: str | None, header: str) -> set[str]:
        """The formats of the registered columns headed ``header`` in the table ``view``
        (those of a kind with a fixed format); the view's format of other columns."""
        names = [n for n in LABELS if label(n, "zh") == header]
        kinds = [column_format(n, view) for n in names] or [column_format(header, view)]
        return {excel_format(*k) for k in kinds if k[0] in numeric and k[0] != "number"}

    checked = 0
    for season in SEASONS:
        book = openpyxl.load_workbook(built.report_season(season) / "tables.xlsx")
        assert book.sheetnames[-2:] == ["说明", "来源"]  # the notes, then the provenance
        listed = [row[0].value for row in book["说明"].iter_rows(min_row=2)]
        for sheet in book.worksheets[:-2]:
            assert sheet.title in listed and sheet.max_row >= 2, (season, sheet.title)
            header = [c.value for c in sheet[1]]
            expected = {name: wanted(views.get(sheet.title), name) for name in header}
            for row in sheet.iter_rows(min_row=2):
                for name, cell in zip(header, row):
                    assert not isinstance(cell.value, bool), (season, sheet.title, name)
                    if isinstance(cell.value, (int, float)):
                        assert cell.number_format in valid, (sheet.title, name)
                        if expected[name]:
                            assert cell.number_format in expected[name], (sheet.title, name)
                        checked += 1
    assert checked > 5000


def test_page_export_equals_nbconvert_s_own_up_to_its_html_normalisation(tmp_path):
    """eduqa's exporter skips nbconvert's final BeautifulSoup pass and adds its two attributes
    itself: the page parses to the same document as the stock exporter's (the oracle), with
    Chinese headings written as characters, a tabindex on each output and alt text on an image
    that had none."""
    import base64

    import nbformat
    from bs4 import BeautifulSoup
    from nbconvert import HTMLExporter

    from eduqa.report.html import TEMPLATES, _exporter, export_html

    png = base64.b64encode(_tiny_png()).decode("ascii")
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell("x", outputs=[
        nbformat.v4.new_output("display_data", data={"text/markdown": "## 一、全县总体情况\n\n及格率 <b>62%</b> & “引号”"}),
        nbformat.v4.new_output("display_data", data={"image/png": png}),
        nbformat.v4.new_output("display_data", data={
            "text/html": '<figure><img src="data:image/png;base64,' + png + '" alt="图"></figure>'})])]
    source = tmp_path / "page.ipynb"
    nbformat.write(nb, source)
    target = export_html(source, tmp_path / "page.html", title="t", season_name="s", nav=[],
                         footer="f", language="zh")
    ours = target.read_text(encoding="utf-8")
    assert "一、全县总体情况</h2>" in ours or "一、全县总体情况<a" in ours
    assert "&#" not in ours
    assert ours.count('tabindex="0"') == 3
    assert 'alt="No description has been provided for this image"' in ours and 'alt="图"' in ours
    stock = HTMLExporter(template_name="eduqa_report", extra_template_basedirs=[str(TEMPLATES)])
    for name in ("exclude_input", "exclude_markdown", "exclude_input_prompt",
                 "exclude_output_prompt"):
        setattr(stock, name, getattr(_exporter(), name))
    stock.language_code = "zh"
    copy = nbformat.read(source, as_version=4)
    copy.metadata["title"] = "t · s"
    copy.cells[0]["id"] = "cell-0"
    theirs, _ = stock.from_notebook_node(copy, resources={"eduqa": {
        "nav": [], "footer": "f", "season_name": "s"}})
    theirs = theirs.replace('<html lang="zh">', '<html lang="zh-CN">', 1)
    assert str(BeautifulSoup(ours, features="html.parser")) == theirs


def _tiny_png() -> bytes:
    import io

    from matplotlib.figure import Figure

    buffer = io.BytesIO()
    Figure(figsize=(0.2, 0.2)).savefig(buffer, format="png")
    return buffer.getvalue()


def test_headlines_reuse_the_tables_a_notebook_opened(built):
    """A worker that has run a notebook of the season computes the landing numbers from the
    season it has open (the same frames, not a second copy); the numbers equal those of a
    fresh read."""
    from eduqa.config.params import load_season
    from eduqa.project import build, season

    params = load_season(built, "2025-spring-g6")
    build._HEADLINES.clear()
    season.forget_opened()
    fresh = build._headlines(params)
    opened = season.Season.open("2025-spring-g6", built.root)
    assert season.already_opened(params) is opened
    assert "_scores_with_schools" not in opened._tables
    assert build._headlines(params) == fresh
    assert "_scores_with_schools" in opened._tables  # read into the open season, shared
    season.forget_opened()
    assert season.already_opened(params) is None


def _plain(html: str) -> str:
    """A page's text: tags dropped, entities left as they are (the Chinese is not escaped)."""
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


@pytest.mark.parametrize("season", SEASONS)
def test_the_03_04_and_landing_pages_never_contradict_each_other(built, season):
    """Issue 36, point 7: two school estimates, each named for what it allows for — 03's
    学校效应 (after prior score, intake and the school's conditions) and 04's 增值评价 (after
    prior score and intake only) — each page's counts are its own table's verdicts, the
    landing page repeats 03's, neither page calls the other's estimate by its own name, and
    each says why the two may flag different schools."""
    from eduqa.config.labels import label

    folder = built.report_season(season)
    book = pd.read_excel(folder / "tables.xlsx", sheet_name=None, engine="openpyxl")
    verdict = label("flag")

    def counts(sheet: str) -> tuple[int, int] | None:
        table = book.get(label(sheet))
        if table is None or verdict not in table:
            return None
        flags = table[verdict].tolist()
        return flags.count(label("above")), flags.count(label("below"))

    page03 = _plain((folder / "03-attribution.html").read_text(encoding="utf-8"))
    page04 = _plain((folder / "04-trends.html").read_text(encoding="utf-8"))
    landing = _plain((folder / "index.html").read_text(encoding="utf-8"))
    effects = counts("school_effects")
    assert effects is not None
    above, below = effects
    assert f"{above} 所学校明显高于预期，{below} 所明显低于预期（95% 区间不含 0）" in page03
    assert f"考虑城乡、师资等条件后，{above} 所学校明显高于预期，{below} 所明显低于预期" in landing
    assert "增值" not in label("school_effects") and "学校效应" not in label("value_added")
    added = counts("value_added")
    if added is not None:  # a season with a linked prior season
        up, down = added
        assert f"{up} 所学校的进步明显高于全县，{down} 所明显低于全县" in page04
        assert "动态跟踪页的增值评价只比较同等起点、同等生源的学生" in page03
        assert "页的学校效应还考虑了城乡、师资等学校条件，两页标出的学校可以不同" in page04
    for page in (page03, landing):
        assert "学校效应（增值）" not in page
