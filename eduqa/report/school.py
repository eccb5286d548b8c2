"""校本报告: one internal report per school — ``reports/<season>/schools/<code>-<name>.html``
and ``.docx``, with an index — written from the tables the season's notebooks published.

A report has the shape of the county's 质量分析报告 at school level: 基本情况 (the school against
the county and its tier), 主要成绩, 存在问题 (weak subjects, knowledge points and questions
against the county, parallel classes), 原因分析 (the school's staffing and what the models
say, as associations), 改进建议 (three sentences tied to the problems), then the school's
tables: its subjects, its classes (一分三率, change since last time, 临界生), its weakest
knowledge points and questions, its targets. Only the school's own rows are read from each
table: no other school's class-level detail reaches it. Figures from fewer than
``suppress_below`` pupils are shown as — as everywhere (:mod:`eduqa.indicators.privacy`).

The pages and documents are built directly (no notebook per school): the demo's 45 schools
take about a second.
"""

from __future__ import annotations

import html
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from eduqa.catalog import say
from eduqa.config.columns import VIEWS
from eduqa.config.labels import label
from eduqa.report.html import render
from eduqa.report.tables import order_subjects
from eduqa.text.narrative.common import target_flags
from eduqa.text.narrative.school import (
    SchoolFacts,
    school_basic,
    school_plan,
    school_problems,
    school_reasons,
    school_strengths,
)

__all__ = ["SCHOOL_FOLDER", "WEAK_GAP", "SchoolReport", "school_facts", "school_file_stem",
           "school_list", "write_school_pages", "write_school_index", "write_school_reports"]

#: The folder of the school reports inside a season's report folder.
SCHOOL_FOLDER = "schools"

#: A knowledge point or question is reported as weak when the school's 得分率 is at least this
#: far below the county's (2 percentage points): smaller gaps are within what a class's
#: composition moves from year to year, and would send a school's plan after noise.
WEAK_GAP = 0.02

#: The published tables a school's report reads (each only where the season has it).
_TABLES = ("school_total", "near_lines", "county_subjects", "school_subjects", "tier_table",
           "class_total", "class_near", "parallel_classes", "knowledge_schools",
           "question_schools", "targets", "staffing_schools", "staffing_groups",
           "school_effects", "value_added", "school_change")


@dataclass(frozen=True)
class SchoolReport:
    """One school's report: its code, name, tier and the file stem of its page and document."""

    code: str
    name: str
    tier: str
    stem: str


def school_file_stem(code: object, name: object, taken: set[str] | None = None) -> str:
    """``<code>-<name>`` as a safe file name: letters (Chinese included), digits, '-' and
    '_' kept, anything else (a path separator, a dot, a control character) as '_', at most 80
    characters; made unique against ``taken`` (which it updates)."""
    raw = f"{code}-{name}"
    stem = re.sub(r"[^\w\-]", "_", raw, flags=re.UNICODE).strip("_") or "school"
    stem = stem[:80]
    if taken is not None:
        base, k = stem, 2
        while stem.lower() in taken:
            stem, k = f"{base}_{k}", k + 1
        taken.add(stem.lower())
    return stem


def _read(tables: Mapping[str, pd.DataFrame], name: str) -> pd.DataFrame:
    return tables[name] if name in tables else pd.DataFrame()


def _by_school(frame: pd.DataFrame) -> dict[str, pd.DataFrame]:
    if frame.empty or "school_code" not in frame:
        return {}
    return {str(code): part for code, part in frame.groupby(frame["school_code"].astype(str),
                                                            sort=False)}


def _row(parts: dict[str, pd.DataFrame], code: str) -> pd.Series | None:
    part = parts.get(code)
    return None if part is None or part.empty else part.iloc[0]


def _county_staffing(groups: pd.DataFrame) -> dict:
    """The county's shortage rate and out-of-field share from the urban–rural staffing rows."""
    if groups.empty or "required" not in groups:
        return {}
    required = groups["required"].sum()
    in_post = groups["teachers_in_post"].sum()
    return {"shortage_rate": groups["shortage"].sum() / required if required else np.nan,
            "out_of_field_share": groups["out_of_field"].sum() / in_post if in_post else np.nan}


def _school_rows(total: pd.DataFrame) -> pd.DataFrame:
    """The schools' rows of ``school_total`` (its total), in school-code order."""
    if total.empty:
        return total
    total = total[total["subject"] == "total"] if "subject" in total else total
    return total.sort_values("school_code", kind="mergesort")


def school_list(tables: Mapping[str, pd.DataFrame]) -> list[SchoolReport]:
    """Every school's report to write: code, name, tier and a unique file stem, in
    school-code order (the stems decided here once, so that parts written apart agree)."""
    total = _school_rows(_read(tables, "school_total"))
    tiers = _read(tables, "tier_table")
    tier_of = (dict(zip(tiers["school_code"].astype(str), tiers["tier"].astype(str)))
               if not tiers.empty else {})
    taken: set[str] = set()
    out = []
    for code, name in zip(total["school_code"].astype(str), total["school_name"]):
        name = str(name) if pd.notna(name) else code
        out.append(SchoolReport(code, name, tier_of.get(code, ""),
                                school_file_stem(code, name, taken)))
    return out


def _prepare(tables: Mapping[str, pd.DataFrame]) -> dict[str, pd.DataFrame]:
    """The published tables a school report reads, each read once and shaped for it: the
    subjects with the county mean beside them in subject order, the classes with their
    临界生, the knowledge points and questions at least :data:`WEAK_GAP` below the county,
    furthest first."""
    read = {name: _read(tables, name) for name in _TABLES}
    county = read["county_subjects"]
    county_means = dict(zip(county["subject"], county["mean"])) if not county.empty else {}
    subjects = read["school_subjects"]
    if not subjects.empty:
        read["school_subjects"] = order_subjects(subjects[subjects["subject"] != "total"].assign(
            county_mean=lambda f: f["subject"].map(county_means)))
    classes, near = read["class_total"], read["class_near"]
    if not classes.empty and not near.empty:
        read["class_total"] = classes.merge(
            near[["school_code", "class", "near_pass", "near_excellent"]],
            on=["school_code", "class"], how="left")
    points = read["knowledge_schools"]
    if not points.empty:
        points = points[~points["small_group"].astype(bool)
                        & (points["rate_difference"] <= -WEAK_GAP)]
        read["knowledge_schools"] = points.sort_values(["rate_difference", "subject"],
                                                       kind="mergesort")
    questions = read["question_schools"]
    if not questions.empty:
        read["question_schools"] = questions[questions["rate_difference"] <= -WEAK_GAP]
    read["school_total"] = _school_rows(read["school_total"])
    return read


def school_facts(tables: Mapping[str, pd.DataFrame], *, min_group_size: int,
                 suppress_below: int, parallel_limit: float = 0.05,
                 codes: Sequence[str] | None = None,
                 prepared: dict[str, pd.DataFrame] | None = None) -> list[SchoolFacts]:
    """Every school of ``school_total`` (or those of ``codes``) with its rows of the
    published ``tables``, in school-code order."""
    read = prepared if prepared is not None else _prepare(tables)
    total = read["school_total"]
    if total.empty:
        return []
    n_ranked = int(total["rank"].notna().sum())  # (over every school, whichever are written)
    if codes is not None:
        total = total[total["school_code"].astype(str).isin(set(codes))]
    county = read["county_subjects"]
    county_total = (county[county["subject"] == "total"].iloc[0]
                    if not county.empty and (county["subject"] == "total").any() else None)
    parts = {name: _by_school(read[table]) for name, table in
             (("subjects", "school_subjects"), ("tier", "tier_table"),
              ("classes", "class_total"), ("parallel", "parallel_classes"),
              ("points", "knowledge_schools"), ("questions", "question_schools"),
              ("near", "near_lines"), ("staffing", "staffing_schools"),
              ("effects", "school_effects"), ("value_added", "value_added"),
              ("change", "school_change"),
              ("targets", "targets"))}
    county_staffing = _county_staffing(read["staffing_groups"])
    out = []
    for _, row in total.iterrows():
        code = str(row["school_code"])
        met, given = _targets_met(parts["targets"].get(code))
        near = _row(parts["near"], code)
        out.append(SchoolFacts(
            code=code, name=str(row["school_name"]) if pd.notna(row["school_name"]) else code,
            total=row, county_total=county_total, n_ranked=n_ranked,
            subjects=parts["subjects"].get(code, pd.DataFrame()),
            tier=_row(parts["tier"], code),
            points=parts["points"].get(code, pd.DataFrame()),
            questions=parts["questions"].get(code, pd.DataFrame()),
            classes=parts["classes"].get(code, pd.DataFrame()),
            parallel=_row(parts["parallel"], code), staffing=_row(parts["staffing"], code),
            county_staffing=county_staffing, effect=_row(parts["effects"], code),
            value_added=_row(parts["value_added"], code), change=_row(parts["change"], code),
            targets_met=met,
            targets_total=given, min_group_size=min_group_size,
            near_pass=_count(near, "near_pass"), near_excellent=_count(near, "near_excellent"),
            suppress_below=suppress_below, parallel_limit=parallel_limit))
    return out


def _count(row: pd.Series | None, column: str) -> int:
    value = None if row is None else row.get(column)
    return int(value) if value is not None and pd.notna(value) else 0


def _targets_met(rows: pd.DataFrame | None) -> tuple[int, int]:
    """(met, given) over the targets of the school's target rows."""
    if rows is None or rows.empty:
        return 0, 0
    values = target_flags(rows).ravel()
    values = values[np.isfinite(values)]
    return int((values == 1).sum()), int(len(values))


# ---------------------------------------------------------------------------------------------
# the school's tables

#: The school's tables: (prepared table, view, caption key, most rows per school).
_SCHOOL_TABLES = (("school_subjects", "school_report_subjects", "subjects", None),
                  ("class_total", "school_report_classes", "classes", None),
                  ("knowledge_schools", "school_report_points", "points", 10),
                  ("question_schools", "school_report_questions", "questions", None))


def _school_cells(prepared: dict[str, pd.DataFrame], codes: Sequence[str], language: str,
                  suppress_below: int) -> dict[str, list[tuple[str, list[str], list[list[str]]]]]:
    """Each school's tables as display text (caption key, headers, rows), made table by
    table for all the ``codes`` at once (display formatting costs the same for one row or
    a thousand) and split by school."""
    from eduqa.report.word import display_cells

    wanted = set(codes)
    out: dict[str, list[tuple[str, list[str], list[list[str]]]]] = {c: [] for c in codes}
    for table, view, key, most in _SCHOOL_TABLES:
        frame = prepared.get(table, pd.DataFrame())
        if frame.empty:
            continue
        frame = frame[frame["school_code"].astype(str).isin(wanted)]
        if most is not None:
            frame = frame.groupby(frame["school_code"].astype(str), sort=False).head(most)
        if frame.empty:
            continue
        schools = frame["school_code"].astype(str).to_numpy()
        headers, rows = display_cells(frame.reindex(columns=list(VIEWS[view].columns)),
                                      language, suppress_below, view=view)
        for code, cells in zip(schools, rows):
            found = out[code]
            if not found or found[-1][0] != key:
                found.append((key, headers, []))
            found[-1][2].append(cells)
    return out


@dataclass(frozen=True)
class _Content:
    """What a school's page and document both show, computed once: the title, the written
    sections and the tables as display text."""

    title: str
    sections: list[tuple[str, list[str]]]
    tables: list[tuple[str, list[str], list[list[str]]]]


def _content(facts: SchoolFacts, cells: list[tuple[str, list[str], list[list[str]]]],
             season_name: str, language: str) -> _Content:
    zh = language != "en"
    sections = [("basic", [school_basic(facts, language)]),
                ("strengths", school_strengths(facts, language)),
                ("problems", school_problems(facts, language)),
                ("reasons", school_reasons(facts, language)),
                ("plan", school_plan(facts, language))]
    tables = [(say("report.school.table", zh, number=number,
                   name=say(f"report.school.tables.{key}", zh)), headers, rows)
              for number, (key, headers, rows) in enumerate(cells, start=1)]
    return _Content(say("report.school.title", language, school=facts.name,
                        season=season_name), sections, tables)


def _heading(key: str, language: str) -> str:
    return say(f"report.school.sections.{key}", language)


def _page(content: _Content, *, county: str, language: str, footer: str) -> str:
    zh = language != "en"
    escape = html.escape
    body = [f"<h1>{escape(content.title)}</h1>",
            f'<p class="eduqa-note">{escape(say("report.school.internal", zh))}</p>']
    for key, paragraphs in content.sections:
        body.append(f"<h2>{escape(_heading(key, language))}</h2>")
        if len(paragraphs) > 1:
            tag = "ol" if key == "plan" else "ul"
            body.append(f"<{tag}>" + "".join(f"<li>{escape(p)}</li>" for p in paragraphs)
                        + f"</{tag}>")
        else:
            body += [f'<p class="finding">{escape(p)}</p>' for p in paragraphs]
    if content.tables:
        body.append(f"<h2>{escape(_heading('tables', language))}</h2>")
    for caption, headers, rows in content.tables:
        head = "".join(f"<th>{escape(h)}</th>" for h in headers)
        cells = "".join("<tr>" + "".join(f"<td>{escape(v)}</td>" for v in row) + "</tr>"
                        for row in rows)
        body.append(f'<table class="eduqa-table"><caption>{escape(caption)}</caption>'
                    f"<thead><tr>{head}</tr></thead><tbody>{cells}</tbody></table>")
    nav = [{"href": "../index.html", "title": say("report.school.nav_season", zh),
            "current": False},
           {"href": "index.html", "title": say("report.school.nav_index", zh), "current": False}]
    return render("page.html.j2", lang_code="zh-CN" if zh else "en", title=content.title,
                  header=county, nav=nav, body="".join(body), footer=footer)


def _document(content: _Content, path: Path, *, county: str, language: str) -> None:
    from eduqa.report.word import write_blocks_docx

    zh = language != "en"
    blocks: list[tuple] = [("p", "Title", content.title),
                           ("p", None, say("report.school.internal", zh))]
    for key, paragraphs in content.sections:
        blocks.append(("p", "Heading1", _heading(key, language)))
        style = "ListNumber" if key == "plan" else None
        blocks += [("p", style, paragraph) for paragraph in paragraphs]
    if content.tables:
        blocks.append(("p", "Heading1", _heading("tables", language)))
    for caption, headers, rows in content.tables:
        blocks += [("p", "Caption", caption), ("table", headers, rows)]
    write_blocks_docx(path, blocks, title=content.title, author=county)


def write_school_pages(tables: Mapping[str, pd.DataFrame], folder: str | Path,
                       reports: Sequence[SchoolReport], *, season_name: str, county: str,
                       language: str = "zh", min_group_size: int = 10, suppress_below: int = 5,
                       parallel_limit: float = 0.05, footer: str = "",
                       word: bool = True) -> int:
    """Write the page (and Word document) of each of ``reports`` (:func:`school_list`) into
    ``folder``/``schools``; returns how many. Parts of the list can be written by several
    processes at once (the season's build does)."""
    target = Path(folder) / SCHOOL_FOLDER
    target.mkdir(parents=True, exist_ok=True)
    stems = {r.code: r.stem for r in reports}
    prepared = _prepare(tables)
    cells = _school_cells(prepared, list(stems), language, suppress_below)
    written = 0
    for facts in school_facts(tables, min_group_size=min_group_size,
                              suppress_below=suppress_below, parallel_limit=parallel_limit,
                              codes=list(stems), prepared=prepared):
        stem = stems[facts.code]
        content = _content(facts, cells[facts.code], season_name, language)
        (target / f"{stem}.html").write_text(
            _page(content, county=county, language=language, footer=footer), encoding="utf-8")
        if word:
            _document(content, target / f"{stem}.docx", county=county, language=language)
        written += 1
    return written


def write_school_reports(tables: Mapping[str, pd.DataFrame], folder: str | Path, *,
                         season_name: str, county: str, language: str = "zh",
                         min_group_size: int = 10, suppress_below: int = 5,
                         parallel_limit: float = 0.05, footer: str = "",
                         word: bool = True) -> list[SchoolReport]:
    """Write every school's page (and Word document) into ``folder``/``schools`` with an
    ``index.html``; returns the reports written, in school-code order."""
    reports = school_list(tables)
    write_school_pages(tables, folder, reports, season_name=season_name, county=county,
                       language=language, min_group_size=min_group_size,
                       suppress_below=suppress_below, parallel_limit=parallel_limit,
                       footer=footer, word=word)
    write_school_index(reports, folder, season_name=season_name, county=county,
                       language=language, word=word, footer=footer)
    return reports


def write_school_index(reports: Sequence[SchoolReport], folder: str | Path, *,
                       season_name: str, county: str, language: str = "zh", word: bool = True,
                       footer: str = "") -> Path:
    """``folder``/``schools``/``index.html``: every school's report, linked."""
    target = Path(folder) / SCHOOL_FOLDER
    target.mkdir(parents=True, exist_ok=True)
    _index(reports, target, season_name=season_name, county=county, language=language,
           word=word, footer=footer)
    return target / "index.html"


def _index(reports: Sequence[SchoolReport], target: Path, *, season_name: str, county: str,
           language: str, word: bool, footer: str) -> None:
    zh = language != "en"
    head = "".join(f"<th>{html.escape(label(c, language))}</th>"
                   for c in ("school_code", "school_name", "tier"))
    head += f"<th>{html.escape(say('report.school.index_files', zh))}</th>"
    rows = []
    for r in reports:
        links = f'<a href="{html.escape(r.stem)}.html">{say("report.school.page", zh)}</a>'
        if word:
            links += f' · <a href="{html.escape(r.stem)}.docx">{say("report.school.word", zh)}</a>'
        rows.append(f"<tr><td>{html.escape(r.code)}</td><td>{html.escape(r.name)}</td>"
                    f"<td>{html.escape(r.tier)}</td><td>{links}</td></tr>")
    title = say("report.school.index_title", zh, season=season_name)
    body = (f"<h1>{html.escape(title)}</h1>"
            f'<p class="eduqa-note">{html.escape(say("report.school.internal", zh))}</p>'
            f'<table class="eduqa-table"><thead><tr>{head}</tr></thead><tbody>{"".join(rows)}'
            "</tbody></table>")
    nav = [{"href": "../index.html", "title": say("report.school.nav_season", zh),
            "current": False}]
    (target / "index.html").write_text(
        render("page.html.j2", lang_code="zh-CN" if zh else "en", title=title, header=county,
               nav=nav, body=body, footer=footer), encoding="utf-8")
