"""The season run (`eduqa run`): execute the notebooks with papermill, export self-contained HTML,
write the season's landing page and the index of all seasons.

A season is built in a hidden folder ``reports/.build-<season>`` and moved into place only when
every notebook has run, so ``reports/<season>`` never holds a half-built report. When a notebook
fails, the partial build is kept as ``reports/<season>.failed`` for debugging.
"""

from __future__ import annotations

import contextlib
import datetime as _dt
import html
import os
import re
import shutil
import sys
import time
from collections.abc import Callable, Mapping, Sequence
from functools import lru_cache
from pathlib import Path
from typing import Any

import pandas as pd

from eduqa import __version__
from eduqa.catalog import pairs, say
from eduqa.compute import engine as compute
from eduqa.config.params import SeasonParams, load_county, load_season
from eduqa.config.paths import Project, season_sort_key
from eduqa.errors import EduqaError, NotebookError
from eduqa.report.html import TEMPLATES, _exporter, export_html, render
from eduqa.text import narrative

__all__ = ["PAGE_TITLES", "notebooks", "run_season", "run_seasons", "headlines", "write_index"]


PAGE_TITLES = pairs("project.build.page_titles")
_WORDS = {language: {key: message.en if language == "en" else message.zh
                     for key, message in pairs("project.build.words").items()}
          for language in ("zh", "en")}


def notebooks(project: Project) -> list[Path]:
    """The season's notebooks in run order: ``notebooks/NN-*.ipynb`` (refused when copied
    from an older eduqa: :func:`eduqa.project.scaffold.check_notebooks`)."""
    from eduqa.project.scaffold import check_notebooks

    found = sorted(project.notebooks.glob("[0-9][0-9]-*.ipynb"))
    if found:
        check_notebooks(project)
    if not found:
        raise EduqaError.of("project.build.notebooks.no_notebooks_found",
                            notebooks=project.notebooks)
    return found


def _title(stem: str, language: str) -> str:
    zh, en = PAGE_TITLES.get(stem, (stem, stem))
    return en if language == "en" else zh


def _nav(params: SeasonParams, pages: Sequence[Path], current: str | None) -> list[dict]:
    words = _WORDS[params.language]
    nav = [{"href": "../index.html", "title": words["all"], "current": False},
           {"href": "index.html", "title": words["home"], "current": current == "index"}]
    nav += [{"href": f"{p.stem}.html", "title": _title(p.stem, params.language),
             "current": p.stem == current} for p in pages]
    return nav


def _seasons_read(params: SeasonParams) -> list[str]:
    """The seasons whose processed data a run of ``params``'s season reads."""
    return sorted({n for n in (params.season, params.compare_with, params.cohort_prior) if n})


def _processed_digests(project: Project, seasons: Sequence[str]) -> dict[Path, str]:
    """The digest (:func:`eduqa.config.storage.processed_digest`) of each season's processed data."""
    from eduqa.config.storage import processed_digest

    return {project.processed_season(name): processed_digest(project.processed_season(name))
            for name in seasons}


def _footer(params: SeasonParams) -> str:
    """Provenance (:mod:`eduqa.project.provenance`): eduqa's version and commit, the packages,
    the SHA-256 of every input of every season read, the processed data read, the params."""
    from eduqa.project.provenance import inputs, package_versions, source_commit

    words = _WORDS[params.language]
    root = params.project.root
    rows = "".join(
        f"<tr><td>{html.escape(item.season)}</td><td>{html.escape(item.role)}</td>"
        f"<td>{html.escape(item.path)}</td><td><code>{item.sha256}</code></td></tr>"
        for item in inputs(params))
    rows += "".join(  # the processed data the pages read (every page read the same: checked)
        f"<tr><td>{html.escape(folder.name)}</td><td>processed</td><td>"
        f"{html.escape(folder.relative_to(root).as_posix())}</td><td><code>{digest}</code></td></tr>"
        for folder, digest in _processed_digests(params.project, _seasons_read(params)).items())
    county_text = (root / "params" / "county.yaml").read_text(encoding="utf-8")
    season_text = params.source.read_text(encoding="utf-8")
    generated = _dt.datetime.now().strftime("%Y-%m-%d %H:%M")
    engine = html.escape(compute.describe(_engine_now(), os.environ.get(
        compute.SCHEDULER_VARIABLE), params.language))
    commit = source_commit()
    versions = html.escape(" · ".join(f"{name} {version}"
                                      for name, version in package_versions().items()))
    return (f"<div>{words['version']} {__version__}"
            + (f" ({words['commit']} <code>{commit[:12]}</code>)" if commit else "")
            + f" · {words['generated']} {generated} · {engine}</div>"
            f"<div>{versions}</div>"
            f"<details><summary>{words['inputs']}</summary><table>{rows}</table></details>"
            f"<details><summary>{words['params']}</summary>"
            f"<pre>{html.escape(season_text)}</pre><pre>{html.escape(county_text)}</pre>"
            "</details>")


# ---------------------------------------------------------------------------------------------
# notebook workers


#: What a notebook worker runs first (:func:`eduqa.project.papermill_runner.warm_up`):
#: :func:`warm_up_worker`.
WARM_UP = "eduqa.project.build:warm_up_worker"


def warm_up_worker() -> None:
    """The imports a notebook worker does once (:func:`eduqa.project.papermill_runner.warm_up_imports`, then the
    eduqa modules the notebooks use), the figures' font, and nbconvert's exporter."""
    from eduqa.project import papermill_runner

    papermill_runner.warm_up_imports()  # (first: it makes the later imports cheaper)
    from eduqa import attribution  # noqa: F401
    from eduqa.indicators import quality, staffing, trends  # noqa: F401
    from eduqa.project import season  # noqa: F401
    from eduqa.report import plots, tables, word  # noqa: F401
    from eduqa.text import narrative  # noqa: F401

    plots.setup()
    _exporter()  # nbconvert's template environment, built once


# ---------------------------------------------------------------------------------------------
# headline numbers (from processed data, never from reports/)


def headlines(params: SeasonParams) -> dict:
    """Headline numbers of a season: students, schools, total mean and rates, the urban−rural
    gap in the mean total (城区 − 乡村, points).

    Computed once per process for the same settings and the same processed files (a run
    needs them for the season's landing page and again for ``reports/index.html``)."""
    key = _headline_key(params)
    if key not in _HEADLINES:
        remember_headlines(params, _headlines(params), key)
    return dict(_HEADLINES[key])


def remember_headlines(params: SeasonParams, numbers: dict, key=None) -> None:
    """Keep ``numbers`` as the headlines of ``params`` (computed elsewhere, e.g. by a worker
    while the notebooks run) for :func:`headlines` in this process."""
    if len(_HEADLINES) >= 32:
        _HEADLINES.clear()
    _HEADLINES[key or _headline_key(params)] = dict(numbers)


def _headline_key(params: SeasonParams) -> tuple:
    """The settings and the processed files' names, sizes and times: the same key, the same
    headline numbers."""
    folder = params.project.processed_season(params.season)
    files = tuple((f.relative_to(folder).as_posix(), f.stat().st_mtime_ns, f.stat().st_size)
                  for f in sorted(folder.rglob("*")) if f.is_file()) if folder.is_dir() else ()
    return (repr(params), files)


_HEADLINES: dict = {}


def _headlines(params: SeasonParams) -> dict:
    from eduqa.indicators.exam import head_counts
    from eduqa.project.season import Season, already_opened

    # a worker that has just run a notebook of the season has its tables in memory: the
    # numbers come from those (a second copy of a province's tables would double its memory)
    season = already_opened(params) or Season(params)
    scores = season.scores_with_schools()  # (with the Dask engine, a Dask DataFrame)
    total = scores[scores["subject"] == "total"]
    county = season.summarize(total).iloc[0]
    by_type = season.summarize(total, "urban_rural").set_index("urban_rural")
    gap = (by_type.loc["urban", "mean"] - by_type.loc["rural", "mean"]
           if {"urban", "rural"} <= set(by_type.index) else float("nan"))
    counts = head_counts(scores)  # 应考, 实考 (any subject), 各科全部参考
    schools = scores["school_code"].nunique()
    if compute.is_dask(schools):
        schools = compute.compute(schools)
    return {"season": params.season, "name": params.name, "students": counts["enrolled"],
            **counts,
            "schools": int(schools),
            "mean": float(county["mean"]), "full_marks": params.full_marks["total"],
            "pass_rate": float(county["pass_rate"]),
            "excellent_rate": float(county["excellent_rate"]),
            "participation": float(county["participation"]), "gap": float(gap)}


def _gap_card(gap: float, words: dict) -> str:
    """The urban − rural gap as direction words: 「城区高 3.2 分」 / 「乡村高 33.8 分」."""
    if pd.isna(gap):
        return "—"
    if round(abs(gap), 1) == 0:
        return f"0.0 {words['points']}"
    higher = words["urban"] if gap > 0 else words["rural"]
    return words["higher"].format(group=higher, value=narrative.num(abs(gap)),
                                  points=words["points"])


def _cards(numbers: dict, words: dict) -> str:
    items = [
        (words["enrolled"], f"{numbers['enrolled']:,}"),
        (words["sat"], f"{numbers['sat']:,}"),
        (words["schools"], f"{numbers['schools']}"),
        (words["mean"], f"{narrative.num(numbers['mean'])} / {numbers['full_marks']:g}"),
        (words["pass_rate"], narrative.pct(numbers["pass_rate"])),
        (words["excellent_rate"], narrative.pct(numbers["excellent_rate"])),
        (words["participation"], narrative.pct(numbers["participation"])),
        (words["gap"], _gap_card(numbers["gap"], words)),
    ]
    return '<div class="cards">' + "".join(
        f'<div class="card"><div class="value">{html.escape(v)}</div>'
        f'<div class="name">{html.escape(n)}</div></div>' for n, v in items) + "</div>"


def _write_season_index(params: SeasonParams, folder: Path, pages: Sequence[Path],
                        salt_is_demo: bool, tables: Mapping[str, pd.DataFrame] | None = None,
                        findings: Sequence[str] = (), school_index: str | None = None) -> None:
    words = _WORDS[params.language]
    numbers = headlines(params)
    zh = params.language != "en"
    absent = numbers["enrolled"] - numbers["sat"]
    finding = say("project.build.season_page.opening", zh, name=params.name,
                  schools=numbers["schools"], enrolled=numbers["enrolled"], sat=numbers["sat"],
                  none=(say("project.build.season_page.sat_none", zh, absent=absent)
                        if absent else ""),
                  mean=narrative.num(numbers["mean"]), pass_rate=narrative.pct(numbers["pass_rate"]))
    # (the urban–rural gap is one of the findings below, with its interval and direction)
    links = "".join(f'<li><a href="{p.stem}.html">{html.escape(_title(p.stem, params.language))}'
                    "</a></li>" for p in pages)
    if tables:  # the Word report: the same findings and tables, for the meeting papers
        from eduqa.report.word import WORD_FILE, write_word_report

        write_word_report(folder, title=params.name, county=params.county.county,
                          opening=finding, tables=tables,
                          language=params.language,
                          suppress_below=params.county.suppress_below)
        links += (f'<li><a href="{WORD_FILE}">{say("project.build.season_page.word_report", zh)}'
                  "</a></li>")
    if school_index:
        links += (f'<li><a href="{school_index}">'
                  f'{say("project.build.season_page.school_reports", zh)}</a></li>')
    listed = ('<ul class="findings">' + "".join(f"<li>{html.escape(f)}</li>" for f in findings)
              + "</ul>") if findings else ""
    body = (f"<h1>{html.escape(params.name)}</h1>{_cards(numbers, words)}"
            f"<h2>{words['findings']}</h2><p class=\"finding\">{html.escape(finding)}</p>"
            + listed
            + (f'<p class="eduqa-note">{words["demo_salt"]}</p>' if salt_is_demo else "")
            + f"<h2>{words['glossary']}</h2><dl class=\"glossary\">" + "".join(
                f"<dt>{html.escape(term)}</dt><dd>{html.escape(text)}</dd>"
                for term, text in narrative.glossary(params.language)) + "</dl>"
            + f"<h2>{words['pages']}</h2><ul class=\"pages\">{links}</ul>")
    page = render("page.html.j2", lang_code="zh-CN" if zh else "en", title=params.name,
                   header=params.county.county, nav=_nav(params, pages, "index"), body=body,
                   footer=_footer(params))
    (folder / "index.html").write_text(page, encoding="utf-8")


def write_index(project: Project) -> Path:
    """``reports/index.html``: every season with a report, newest first, with headline
    numbers."""
    county = load_county(project)
    words = _WORDS[county.language]
    seasons = [s for s in project.season_ids() if (project.report_season(s) / "index.html")
               .is_file()]
    rows, trend = [], []
    for season in sorted(seasons, key=season_sort_key, reverse=True):
        params = load_season(project, season, county, check_files=False)
        numbers = headlines(params)
        trend.append({"season": season, "grade": params.grade, "order": season_sort_key(season),
                      "pass_rate": numbers["pass_rate"]})
        rows.append(
            f'<tr><td><a href="{season}/index.html">{html.escape(numbers["name"])}</a></td>'
            f"<td>{numbers['enrolled']:,}</td><td>{numbers['sat']:,}</td>"
            f"<td>{narrative.num(numbers['mean'])}</td>"
            f"<td>{narrative.pct(numbers['pass_rate'])}</td>"
            f"<td>{html.escape(_gap_card(numbers['gap'], words))}</td></tr>")
    if rows:
        body = (f"<h1>{html.escape(county.county)} · {words['seasons_title']}</h1>"
                f'<table class="seasons"><tr><th>{words["season"]}</th><th>{words["enrolled"]}'
                f'</th><th>{words["sat"]}</th><th>{words["mean"]}</th><th>{words["pass_rate"]}</th>'
                f'<th>{words["gap"]}</th></tr>{"".join(rows)}</table>')
        from eduqa.report import plots

        chart = plots.png_data_uri(plots.season_trend(pd.DataFrame(trend),
                                                      language=county.language))
        body += f'<h2>{words["trend"]}</h2><img alt="{words["trend"]}" src="{chart}">'
    else:
        body = f"<p>{words['no_seasons']}</p>"
    page = render("page.html.j2", lang_code="zh-CN" if county.language == "zh" else "en",
                   title=f"{county.county} · {words['seasons_title']}", header=county.county,
                   nav=[], body=body, footer=f"eduqa {__version__}")
    project.reports.mkdir(parents=True, exist_ok=True)
    target = project.reports / "index.html"
    target.write_text(page, encoding="utf-8")
    return target


def _write_index_knowing(project: Project, known: dict) -> Path:
    """:func:`write_index` in a worker, given the headline numbers the run has computed."""
    _HEADLINES.update(known)
    return write_index(project)


# ---------------------------------------------------------------------------------------------
# running


@lru_cache(maxsize=1)
def _kernel_manager_class():
    """A kernel manager that always starts this environment's Python (a user-level ``python3``
    kernelspec pointing elsewhere cannot hijack the run) with the kernel's own log quiet."""
    from jupyter_client.kernelspec import KernelSpec
    from jupyter_client.manager import AsyncKernelManager

    class EduqaKernelManager(AsyncKernelManager):
        @property
        def kernel_spec(self):
            return KernelSpec(
                argv=[sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}",
                      "--IPKernelApp.log_level=CRITICAL"],
                display_name="eduqa", language="python", resource_dir=str(TEMPLATES))

    return EduqaKernelManager


def _say(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def _execute(notebook: str, executed: str, parameters: dict, cwd: str, page: dict,
             language: str = "en", environment: dict | None = None) -> dict:
    """Run one notebook with papermill and export its page; runs in a worker process.

    Returns ``{"seconds": ...}`` or, when a cell fails, the failure (cell index, error, source).
    The cells run in this process (:mod:`eduqa.project.papermill_runner`), or in a kernel with
    ``EDUQA_ENGINE=kernel``; ``$EDUQA_MESSAGE_LANG`` is set to ``language`` either way, so
    eduqa's errors raised in a cell read in the language of the run.
    """
    import papermill
    from papermill.exceptions import PapermillExecutionError

    from eduqa.errors import MESSAGE_LANGUAGE
    from eduqa.project import papermill_runner

    if environment is not None:  # the submitting run's EDUQA_* settings, not the fork
        papermill_runner.apply_environment(environment)  # server's copy from when it started
    os.environ[MESSAGE_LANGUAGE] = language  # this worker process only; a kernel inherits it
    started = time.perf_counter()
    papermill_runner.register()
    name = papermill_runner.engine_name()
    options = {} if name else {"kernel_manager_class": _kernel_manager_class()}
    if not name:
        _quiet_kernel_messaging()
    try:
        papermill.execute_notebook(notebook, executed, kernel_name="python3", progress_bar=False,
                                   cwd=cwd, log_output=False, parameters=parameters,
                                   engine_name=name, **options)
    except PapermillExecutionError as exc:
        return {"failed": True, "cell_index": exc.cell_index, "ename": exc.ename,
                "evalue": exc.evalue, "source": exc.source or ""}
    export_html(Path(executed), Path(executed).with_suffix(".html"), **page)
    return {"seconds": time.perf_counter() - started}


#: eduqa's own error classes, as papermill names them (their message is the whole story).
_EDUQA_ERRORS = {"EduqaError", "InputError", "ParamsError", "NotebookError", "SeasonBusy",
                 "ClusterError",
                 "SeasonCheckError", "ManifestError"}


def _quiet_kernel_messaging() -> None:
    """Keep the kernel client's own logging (tornado / zmq callbacks racing a kernel that is
    shutting down after a failed cell) off the user's terminal: a failure is reported once, as
    a :class:`NotebookError`, never as a stray traceback. ``EDUQA_DEBUG=1`` keeps it."""
    import logging

    if os.environ.get("EDUQA_DEBUG"):
        return
    for name in ("tornado.general", "tornado.application", "asyncio", "traitlets"):
        logging.getLogger(name).setLevel(logging.CRITICAL)


def _jobs() -> int:
    """How many notebooks run side by side: ``$EDUQA_JOBS``, else the number of cores."""
    try:
        return max(1, int(os.environ.get("EDUQA_JOBS", "")))
    except ValueError:
        return max(1, os.cpu_count() or 1)


def run_season(project: Project, season: str, *,
               progress: Callable[[str], None] = _say, language: str = "en") -> Path:
    """Run every notebook of one season and export its report; returns ``reports/<season>``.

    The season's data is cleaned and checked first (:func:`eduqa.project.pipeline.prepare`); the notebooks
    only read it, so they all run side by side (``$EDUQA_JOBS`` at a time, default: one per
    core). Raises :class:`~eduqa.errors.NotebookError` naming the notebook and cell when one
    fails. Progress lines go to ``progress`` in ``language`` (``zh`` or ``en``).

    The season is locked while it runs (a second run of it at the same time is a clear error),
    and ``reports/<season>`` is replaced in one step at the end: the old report or the new one,
    never a mix, even after ``kill -9``.
    """
    from eduqa.project.papermill_runner import start_workers

    start_workers()  # the workers' imports run while the season is cleaned and checked
    prepared = [_prepare(project, season, progress, language)]
    with _engine(load_county(project).engine, progress, language, project.root,
                 [project.processed]):
        return _run_all(project, prepared, progress=progress, language=language)[0]


def _prepare(project: Project, season: str, progress: Callable[[str], None],
             language: str) -> SeasonParams:
    """Clean and check every season a run of ``season`` reads (an error stops here), and pass
    on the warnings; the notebooks then only read ``data/processed``."""
    from eduqa.project.checks import warnings
    from eduqa.project.pipeline import prepare
    from eduqa.project.season import seasons_needed

    for needed in seasons_needed(project, season)[:-1]:  # the earlier seasons it reads
        prepare(load_season(project, needed), load=False)
    params = load_season(project, season)
    _, findings = prepare(params, load=False)
    for finding in warnings(findings):
        note = finding.severity == "note"
        progress(f"[{season}] " + say("cli.note" if note else "cli.warning", language,
                                      finding=finding.render(language)).strip())
    return params


def _engine_now() -> str:
    """The engine of the run in progress (set by :func:`run_seasons`), else pandas."""
    from eduqa.compute import engine as compute

    return os.environ.get(compute.ENGINE_VARIABLE) or "pandas"


class _Build:
    """One season's report while its notebooks run: ``reports/.build-<season>``, renamed to
    ``reports/<season>.failed`` when a notebook fails, put in place in one step when done."""

    def __init__(self, project: Project, params: SeasonParams, pages: Sequence[Path]):
        self.project, self.params, self.pages = project, params, pages
        season = params.season
        self.folder = project.reports / f".build-{season}"
        self.failed = project.reports / f"{season}.failed"
        for folder in (self.folder, self.failed):
            shutil.rmtree(folder, ignore_errors=True)
        self.folder.mkdir(parents=True)
        self.parameters = {"season": season, "project_dir": str(project.root),
                           "output_dir": str(self.folder), "engine": _engine_now()}
        self.footer = _footer(params)  # (the same on every page of the season)

    def _check_digests(self) -> None:
        """Every page read the processed data the run locked (the digests its notebooks
        recorded equal those of the data now); else the report is not published: pages
        built from two versions of the data must not stand side by side."""
        from eduqa.project.manifest import read_digests

        expected = {str(folder.resolve()): digest for folder, digest in _processed_digests(
            self.project, _seasons_read(self.params)).items()}
        for notebook, digests in read_digests(self.folder, [p.stem for p in self.pages]).items():
            for folder, digest in digests.items():
                if folder in expected and digest != expected[folder]:
                    shutil.rmtree(self.folder, ignore_errors=True)
                    season = Path(folder).name
                    raise EduqaError.of("project.build.check_digests.season_processed_data_changed",
                                        season=self.params.season, season2=season,
                                        notebook=notebook)

    def job(self, notebook: Path, language: str) -> tuple:
        params = self.params
        page = {"title": _title(notebook.stem, params.language), "season_name": params.name,
                "nav": _nav(params, self.pages, notebook.stem), "footer": self.footer,
                "language": params.language}
        from eduqa.project.papermill_runner import job_environment

        return (str(notebook), str(self.folder / notebook.name), self.parameters,
                str(self.project.notebooks), page, language, job_environment())

    def finish(self, outcomes: Sequence[dict], *, progress: Callable[[str], None],
               language: str, pool=None, numbers=None) -> Path:
        """Check the notebooks' outcomes, write the workbook, the landing page and the Word
        report from the declared outputs, and put the report in place. With a worker
        ``pool``, the workbook is written there while this process writes the rest."""
        from eduqa.config.storage import replace_dir
        from eduqa.project.manifest import collect
        from eduqa.project.provenance import provenance_rows
        from eduqa.report.tables import write_workbook

        season, params, build = self.params.season, self.params, self.folder
        for number, (notebook, outcome) in enumerate(zip(self.pages, outcomes), start=1):
            if outcome.get("failed"):
                plain = _storage_failure(outcome) or _cluster_failure(outcome)
                if plain is not None:  # a full disk, a lost cluster: not the notebook's
                    shutil.rmtree(build, ignore_errors=True)
                    raise plain
                build.rename(self.failed)
                source = outcome["source"].strip().splitlines()
                ours = outcome["ename"] in _EDUQA_ERRORS  # the message says it all
                detail = (outcome["evalue"] if ours else
                          f"{outcome['ename']}: {outcome['evalue']}")
                if source:
                    detail += say("project.build.finish.cell_starts", language,
                                  value1=source[0][:120])
                cell = outcome["cell_index"]
                raise NotebookError(season, notebook.name, None if cell is None else cell + 1,
                                    detail, kept=self.failed / notebook.name)
            progress(say("project.build.finish.done", language, season=season, number=number,
                         n_pages=len(self.pages), name=notebook.name,
                         outcome_seconds=outcome["seconds"]))
        self._check_digests()
        try:
            main_tables, findings = collect(build, [p.stem for p in self.pages])
        except EduqaError:
            build.rename(self.failed)
            raise
        if numbers is not None:  # computed by a worker while the notebooks ran
            remember_headlines(params, numbers.result())
        workbook = None
        if main_tables and pool is not None:  # the worker reads the tables itself
            workbook = pool.submit(write_workbook, main_tables, build / "tables.xlsx",
                                   params.language, params.county.suppress_below,
                                   provenance_rows(params, params.language))
        elif main_tables:
            write_workbook(main_tables, build / "tables.xlsx", params.language,
                           params.county.suppress_below, provenance_rows(params, params.language))
        school_index: str | None = None
        school_parts: list = []
        if main_tables and params.county.school_reports and "school_total" in main_tables:
            school_index, school_parts = _school_reports(params, build, main_tables, pool)
        _write_season_index(params, build, self.pages, salt_is_demo=_salt_is_demo(),
                            tables=main_tables, findings=findings, school_index=school_index)
        if workbook is not None:
            workbook.result()
        for part in school_parts:
            part.result()
        main_tables.discard()
        target = self.project.report_season(season)
        replace_dir(build, target)  # the old report or the new one, never a mix
        progress(say("project.build.finish.report_written", language, season=season, target=target))
        return target


def _school_reports(params: SeasonParams, build: Path, tables, pool) -> tuple[str, list]:
    """The 校本报告 of the season (:mod:`eduqa.report.school`): the index written here, the
    schools' pages and documents in parts by the pool's workers (or here without a pool).
    Returns the index's address within the report and the parts still running."""
    from eduqa.report.school import (
        SCHOOL_FOLDER,
        school_list,
        write_school_index,
        write_school_pages,
    )

    reports = school_list(tables)
    options: dict[str, Any] = dict(season_name=params.name, county=params.county.county,
                   language=params.language, min_group_size=params.county.min_group_size,
                   suppress_below=params.county.suppress_below,
                   parallel_limit=params.county.classes.parallel_cv_limit,
                   footer=_footer(params))
    write_school_index(reports, build, season_name=options["season_name"],
                       county=options["county"], language=options["language"],
                       footer=options["footer"])
    parts = []
    if pool is None or len(reports) < 2 * _SCHOOLS_PER_PART:
        write_school_pages(tables, build, reports, **options)
    else:
        pieces = min(_jobs(), -(-len(reports) // _SCHOOLS_PER_PART))
        for k in range(pieces):
            parts.append(pool.submit(write_school_pages, tables, build, reports[k::pieces],
                                     **options))
    return f"{SCHOOL_FOLDER}/index.html", parts


#: Schools whose reports one worker writes at least: fewer are written in this process.
_SCHOOLS_PER_PART = 10


_OS_ERROR = re.compile(r"\[Errno (\d+)\] ([^:]*)(?:: '(.*)')?")


def _remove_stale_builds(project: Project) -> list[str]:
    """Remove the build folders no live run is writing: ``reports/.build-<season>`` whose
    season's report lock can be taken now (left by a run that died: ``kill -9``, a power
    cut), and the clean step's work folders of processes that are gone. Returns the names
    removed."""
    from eduqa.config.storage import SeasonBusy, alive, season_lock

    removed: list[str] = []
    if not project.reports.is_dir():
        return removed
    for folder in sorted(project.reports.glob(".build-*")):
        if not folder.is_dir() or folder.is_symlink():
            continue
        season = folder.name[len(".build-"):]
        try:
            with season_lock(project.reports / f".lock-{season}", wait=False):
                shutil.rmtree(folder, ignore_errors=True)
                removed.append(folder.name)
        except SeasonBusy:
            continue  # a run of that season is writing it now
    # the clean step's folders (data/processed/.build-<season>-<pid>, .work-<season>-<pid>)
    # of a process that is gone
    for folder in sorted([*project.processed.glob(".build-*-*"),
                          *project.processed.glob(".work-*-*")]):
        pid = folder.name.rsplit("-", 1)[-1]
        if folder.is_dir() and not folder.is_symlink() and pid.isdigit() \
                and not alive(int(pid)):
            shutil.rmtree(folder, ignore_errors=True)
            removed.append(folder.name)
    return removed


def _cluster_failure(outcome: dict):
    """The :class:`~eduqa.errors.ClusterError` of a notebook cell whose Dask cluster could
    not go on (its message as the cell raised it), else None."""
    from eduqa.errors import ClusterError

    if outcome.get("ename") != "ClusterError":
        return None
    return ClusterError(outcome.get("evalue") or "")


def _storage_failure(outcome: dict):
    """The :class:`~eduqa.config.storage.StorageError` of a notebook cell that failed on a full disk
    or a read-only folder (its ``OSError`` as papermill reports it), else None."""
    from eduqa.config.storage import storage_error

    if outcome.get("ename") not in ("OSError", "PermissionError", "IOError"):
        return None
    found = _OS_ERROR.search(outcome.get("evalue") or "")
    if found is None:
        return None
    return storage_error(OSError(int(found.group(1)), found.group(2), found.group(3)))


def _run_all(project: Project, prepared: Sequence[SeasonParams], *,
             progress: Callable[[str], None], language: str,
             index: bool = False) -> list[Path]:
    """Run the notebooks of every prepared season in one pool of worker processes (all the
    seasons' data is ready, so they need not wait for each other) and finish each season's
    report in order as its notebooks complete. A failing notebook stops the run: seasons
    finished before it keep their new report, later ones their old one. With ``index``,
    ``reports/index.html`` is rewritten at the end, by a worker (which has drawn figures
    already: this process need not import matplotlib)."""
    from concurrent.futures import ProcessPoolExecutor
    from contextlib import ExitStack

    from eduqa.config.storage import season_lock
    from eduqa.project.papermill_runner import job_environment, warm_up, worker_context

    pages = notebooks(project)
    with ExitStack() as locks:
        for params in prepared:  # every season locked before any notebook starts
            what = say("project.build.run_all.report", language, season=params.season)
            locks.enter_context(season_lock(project.reports / f".lock-{params.season}",
                                            wait=False, what=what))
        # the processed data the notebooks read (the seasons' and those they compare with)
        # read-locked: a `clean` of one of them waits for the run, so that no page is built
        # from another version of the data than the others
        read = sorted({name for params in prepared for name in _seasons_read(params)})
        for name in read:
            locks.enter_context(season_lock(project.processed / f".lock-{name}", wait=True,
                                            shared=True))
        _remove_stale_builds(project)
        builds = [_Build(project, params, pages) for params in prepared]
        done: list[Path] = []
        # never forked from this process (a worker must not inherit whatever memory its
        # caller holds): forked from a clean fork server that has imported what the notebooks
        # need, or spawned; warm_up makes each worker's shell (and imports, if spawned)
        pool = ProcessPoolExecutor(max_workers=min(len(pages) * len(builds), _jobs()),
                                   mp_context=worker_context(), initializer=warm_up,
                                   initargs=(os.getpid(), WARM_UP))
        try:
            futures = [[pool.submit(_execute, *build.job(notebook, language))
                        for notebook in pages] for build in builds]
            # the landing pages' numbers, by whichever worker is free first
            numbers = [pool.submit(_headlines_job, build.params, job_environment())
                       for build in builds]
            for build, running, counted in zip(builds, futures, numbers):
                progress(f"[{build.params.season}] {', '.join(p.name for p in pages)} ...")
                outcomes = [future.result() for future in running]
                done.append(build.finish(outcomes, progress=progress, language=language,
                                         pool=pool, numbers=counted))
            if index:  # with the headline numbers this process has already
                pool.submit(_write_index_knowing, project, dict(_HEADLINES)).result()
        finally:
            pool.shutdown(wait=True, cancel_futures=True)
            for build in builds[len(done):]:  # not finished: no half-built report is left
                if build.folder.exists():
                    shutil.rmtree(build.folder, ignore_errors=True)
        return done


@contextlib.contextmanager
def _engine(settings, progress: Callable[[str], None], language: str,
            project_root: Path | None = None, folders: Sequence[Path] = ()):
    """For the length of a run: the compute engine of ``settings``
    (:class:`~eduqa.config.settings.EngineSettings`); with Dask, its cluster (started here unless
    an address is given), and ``$EDUQA_COMPUTE`` and ``$EDUQA_SCHEDULER`` set for the
    notebook workers, which take them with each job (:func:`eduqa.project.papermill_runner.job_environment`)."""
    from eduqa.compute import engine as compute

    with compute.cluster(settings, project_root, folders) as running:
        if running is not None:
            progress(say("project.build.engine.dask_cluster", language, address=running.address))
            if settings.scheduler and settings.insecure:
                progress(say("project.build.engine.warning_insecure_connection_neither", language,
                             address=running.address))
            if settings.dashboard and not settings.scheduler:
                progress(say("project.build.engine.dask_dashboard_served_only", language))
        with _engine_environment(settings.engine, running):
            yield


@contextlib.contextmanager
def _engine_environment(engine: str, running):
    from eduqa.compute import engine as compute

    names = (compute.ENGINE_VARIABLE, compute.SCHEDULER_VARIABLE, compute.OWN_VARIABLE,
             compute.TIMEOUT_VARIABLE, *compute.TLS_VARIABLES.values())
    saved = {name: os.environ.get(name) for name in names}
    for name in names:
        os.environ.pop(name, None)
    os.environ[compute.ENGINE_VARIABLE] = engine
    if running is not None:
        os.environ[compute.SCHEDULER_VARIABLE] = running.address
        os.environ.update(running.environment)
    try:
        yield
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


def _headlines_job(params: SeasonParams, environment: dict[str, str]) -> dict:
    """:func:`headlines` in a worker, with the run's ``EDUQA_*`` settings (its engine)."""
    from eduqa.project.papermill_runner import apply_environment

    apply_environment(environment)
    return headlines(params)


def _salt_is_demo() -> bool:
    return not os.environ.get("EDUQA_SALT")


def run_seasons(project: Project, seasons: Sequence[str], *,
                progress: Callable[[str], None] = _say, language: str = "en",
                engine: str | None = None, scheduler: str | None = None,
                insecure: bool = False, dashboard: bool = False) -> list[Path]:
    """Run several seasons in order, then rewrite ``reports/index.html``.

    ``engine`` (``pandas`` or ``dask``) and ``scheduler`` (a Dask scheduler's address)
    override ``engine:`` and ``dask.scheduler`` of params/county.yaml; with the Dask engine
    and no address, a LocalCluster runs for the length of the run (:mod:`eduqa.compute.engine`)."""
    from eduqa.compute import engine as compute
    from eduqa.project.papermill_runner import allocate_plainly, give_back_memory, start_workers

    started = time.perf_counter()
    settings = compute.chosen(load_county(project).engine, engine, scheduler,  # (first)
                              insecure=insecure, dashboard=dashboard)
    start_workers()  # the workers' imports run while the seasons are cleaned and checked
    allocate_plainly()
    notebooks(project)  # notebooks of an older eduqa: said before anything is cleaned
    # every season cleaned and checked before time is spent on any notebook
    prepared = [_prepare(project, season, progress, language) for season in seasons]
    give_back_memory()  # (the clean's frames are gone; the workers need the memory)
    with _engine(settings, progress, language, project.root, [project.processed]):
        outputs = _run_all(project, prepared, progress=progress, language=language,
                           index=True)
    index = project.reports / "index.html"
    seconds = time.perf_counter() - started
    progress(say("project.build.run_seasons.all_done_open", language, seconds=seconds, index=index))
    return outputs
