"""The season context a notebook opens in its second cell: params, processed data, settings.

Notebooks stay thin by calling this object; it holds no statistics of its own.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from eduqa import caches
from eduqa.compute import parquet
from eduqa.compute.frames import with_school_columns
from eduqa.config.params import SeasonParams, load_season
from eduqa.config.paths import Project
from eduqa.config.schema import CATEGORIES
from eduqa.config.settings import EngineSettings
from eduqa.indicators.exam import summarize

__all__ = ["Season"]

#: The processed tables that the Dask engine reads as Dask DataFrames (a partition per part).
_PARTITIONED = ("scores",)


def _inline_figures() -> None:
    """In a notebook kernel, show returned Figure objects as embedded PNG images."""
    try:
        from IPython import get_ipython
    except ImportError:  # pragma: no cover - IPython ships with ipykernel
        return
    shell = get_ipython()
    if shell is not None:
        shell.run_line_magic("matplotlib", "inline")
        from matplotlib_inline.backend_inline import set_matplotlib_formats

        set_matplotlib_formats("png")


def seasons_needed(project: Project, season: str) -> list[str]:
    """Every season a run of ``season`` reads: the earlier seasons of its grade (following
    ``compare_with``), its ``cohort_prior``, and itself last."""
    needed: list[str] = []
    params = load_season(project, season)
    if params.cohort_prior:
        needed.append(params.cohort_prior)
    chain: list[str] = []
    current = params
    while current.compare_with and current.compare_with not in chain + [season]:
        chain.append(current.compare_with)
        current = load_season(project, current.compare_with)
    needed.extend(reversed(chain))
    return [*dict.fromkeys(s for s in needed if s != season), season]


#: Seasons opened in this process, by (project folder, season) — with the time their processed
#: data was written, so a season cleaned again is read again. Oldest first.
_OPENED: dict[tuple[str, str], tuple[int | None, Season]] = {}

#: How many opened seasons a notebook worker keeps between notebooks (the most recently opened):
#: a season's tables are read once per process however many of its notebooks the worker runs,
#: and a season with its comparison and cohort seasons stays open while its pages are made.
KEEP_OPENED = 4


def forget_opened() -> None:
    """Forget every season opened in this process: the next open reads its data afresh."""
    from eduqa.compute import engine as compute

    _OPENED.clear()
    compute.forget()


@caches.register
def between_notebooks() -> None:
    """What a notebook worker forgets before its next notebook
    (:mod:`eduqa.project.papermill_runner` runs several notebooks in one process): the
    compute engine's gathered statistics, and all but the :data:`KEEP_OPENED` seasons opened
    last. The seasons kept are still checked on every open (their params read again, their
    processed data unchanged since it was read), and their tables reach a notebook as
    copy-on-write views (:meth:`Season.load`), so no notebook sees another's changes."""
    from eduqa.compute import engine as compute

    compute.forget()
    for key in list(_OPENED)[:-KEEP_OPENED]:
        del _OPENED[key]


def _opened_key(project: Project, season: str) -> tuple[tuple[str, str], int | None]:
    """The key of a season in :data:`_OPENED` and the time its processed data was written
    (None when it has none)."""
    from eduqa.intake.clean import SUMMARY_FILE

    summary = project.processed_season(season) / SUMMARY_FILE
    written = summary.stat().st_mtime_ns if summary.is_file() else None
    return (str(project.root.resolve()), season), written


def already_opened(params: SeasonParams) -> Season | None:
    """The season as a notebook of this process has opened it (its tables already read),
    if one has and its processed data has not been written since; else None."""
    key, written = _opened_key(params.project, params.season)
    cached = _OPENED.get(key)
    if cached is None or written is None or cached[0] != written:
        return None
    return cached[1] if cached[1].params == params else None


def _opened(project: Project, season: str) -> Season:
    """The season's :class:`Season`, opened once per process (kernel): its params loaded, its
    processed data checked as current and each table read at most once, however many notebook
    cells and other seasons' views ask for it."""
    from eduqa.project.pipeline import check_current

    params = load_season(project, season)
    check_current(params)  # (raises unless the processed data, its summary too, is there)
    key, written = _opened_key(project, season)
    from eduqa.config.storage import record_read

    record_read(project.processed_season(season))  # (the run checks every page read the same)
    cached = _OPENED.pop(key, None)  # (put back last: the most recently opened)
    if cached is None or cached[0] != written:
        cached = (written, Season(params))
    else:
        cached[1].params = params
    _OPENED[key] = cached
    return cached[1]


@dataclass
class Season:
    """One season opened for analysis.

    Tables read from ``data/processed`` are kept for the life of the process and shared:
    a frame returned by :meth:`load` or :meth:`scores_with_schools` must not be modified in
    place (every eduqa function returns new frames)."""

    params: SeasonParams
    _tables: dict[str, pd.DataFrame] = field(default_factory=dict, repr=False, compare=False)

    @classmethod
    def open(cls, season: str, project_dir: str | Path | None = None,
             engine: str = "") -> Season:
        """Load and validate the season's params, check that its processed data is current
        (:func:`eduqa.project.pipeline.check_current`: notebooks read it, never make it) and prepare
        figures (Chinese font). Opened once per kernel: a second call returns the same
        season, its tables already read.

        ``project_dir`` empty or None: the project found from the working directory upward
        (``$EDUQA_PROJECT`` first), so a notebook runs as well from the repository root
        (``papermill notebooks/03-attribution.ipynb out.ipynb -p season …``) as from
        ``notebooks/`` in JupyterLab.

        ``engine`` (``pandas`` or ``dask``; empty: as ``eduqa run`` or params/county.yaml
        says) is where this process computes: with ``dask`` the long scores are Dask
        DataFrames and the statistics run on the cluster (:mod:`eduqa.compute.engine`)."""
        from eduqa.compute import engine as compute
        from eduqa.report import plots  # on first use: the run's main process never draws

        if engine:
            compute.chosen(EngineSettings(), engine)  # (an unknown name is an error)
            os.environ[compute.ENGINE_VARIABLE] = engine  # the other seasons it opens too
        season_ = _opened(Project.find(project_dir or None), season)
        plots.setup()
        _inline_figures()
        pd.set_option("display.max_rows", 200)
        from eduqa.indicators.privacy import use_suppression

        use_suppression(season_.params.county.suppress_below)  # (the pages' tables)
        return season_

    @property
    def language(self) -> str:
        return self.params.language

    @property
    def engine(self) -> str:
        """Where this season's statistics are computed: ``pandas`` or ``dask`` (the run's
        choice, ``$EDUQA_COMPUTE``, else ``engine`` in params/county.yaml)."""
        from eduqa.compute import engine as compute

        return os.environ.get(compute.ENGINE_VARIABLE) or self.params.county.engine.engine

    @property
    def full_marks(self) -> dict[str, float]:
        return self.params.full_marks

    @property
    def min_group_size(self) -> int:
        return self.params.county.min_group_size

    @property
    def processed_dir(self) -> Path:
        return self.params.project.processed_season(self.params.season)

    def load(self, name: str) -> pd.DataFrame:
        """A processed table of this season: scores, students, schools, targets, cleaning_log
        (read once per process, then shared: a pandas table comes as a copy-on-write view, so
        changing it changes only the caller's copy)."""
        table = self._load(name)
        return table.copy(deep=False) if isinstance(table, pd.DataFrame) else table

    def _load(self, name: str) -> pd.DataFrame:
        if name not in self._tables:
            path = self.processed_dir / f"{name}.parquet"
            if self.engine == "dask" and name in _PARTITIONED:
                from eduqa.indicators.partitioned import read_table

                self._tables[name] = read_table(path, categories=CATEGORIES.get(name, ()))
            else:
                self._tables[name] = parquet.read_parquet(path, categories=CATEGORIES.get(name, ()))
        return self._tables[name]

    def load_optional(self, name: str) -> pd.DataFrame:
        """Like :meth:`load`, but an empty frame when the file was not produced (e.g.
        ``staffing_subjects`` when the staffing file has no subject column)."""
        path = self.processed_dir / f"{name}.parquet"
        return self.load(name) if path.is_file() else pd.DataFrame()

    def papers(self) -> list:
        """The season's papers (:class:`eduqa.paper.tables.Paper`), one per subject with item-level
        scores; empty when the season has none."""
        from eduqa.paper.tables import season_papers

        return season_papers(self.load_optional, list(self.params.item_files))

    def class_summary(self) -> pd.DataFrame:
        """:func:`eduqa.indicators.classes.class_table` of this season (its thresholds, weights and
        minimum group size). Made afresh on each call, not kept with the season: a national
        season has millions of class rows, which a worker would otherwise hold after the
        notebook that used them (only the 02 page asks, once)."""
        from eduqa.indicators.classes import class_table

        return class_table(self.scores_with_schools(), self.full_marks,
                           thresholds=self.params.thresholds,
                           weights=self.params.county.composite_weights,
                           min_group_size=self.min_group_size)

    def comparison_class_summary(self) -> pd.DataFrame | None:
        """:meth:`class_summary` of the comparison season, or None."""
        other = self.comparison()
        return None if other is None else other.class_summary()

    def teacher_assignments(self) -> pd.DataFrame:
        """The teacher-of-record table (keyed codes; names only when ``classes.teacher_names``
        is on) when ``classes.teacher_view`` is on in county.yaml; otherwise (the default)
        an empty frame, so that no teacher's data reaches a report."""
        if not self.params.county.classes.teacher_view:
            return pd.DataFrame()
        return self.load_optional("teachers")

    def scores_with_schools(self) -> pd.DataFrame:
        """Long scores with the school's township, urban-rural type and name attached (made
        once, then shared)."""
        if "_scores_with_schools" not in self._tables:
            scores = self.load("scores")
            if self.engine == "dask":
                from eduqa.indicators import partitioned

                joined = partitioned.with_school_columns(scores, self.load("schools"))
            else:
                joined = with_school_columns(scores, self.load("schools"), categorical=True)
            self._tables["_scores_with_schools"] = joined
        table = self._tables["_scores_with_schools"]
        return table.copy(deep=False) if isinstance(table, pd.DataFrame) else table

    def summarize(self, scores: pd.DataFrame, by=None) -> pd.DataFrame:
        """:func:`eduqa.indicators.summarize` with this season's full marks, thresholds,
        composite weights and minimum group size."""
        return summarize(scores, by, self.full_marks, thresholds=self.params.thresholds,
                         weights=self.params.county.composite_weights,
                         min_group_size=self.min_group_size if by else 0)

    def _other(self, season: str | None) -> Season | None:
        """Another season of the project, or None. Its processed data must be current:
        ``eduqa run`` prepares every season a run needs (:func:`seasons_needed`) before any
        notebook starts, so notebooks never write to ``data/processed``."""
        if not season:
            return None
        return _opened(self.params.project, season)

    def cleaned(self):
        """This season's :class:`~eduqa.intake.clean.CleanResult` and the findings of its checks,
        read from ``data/processed`` (the 01 page): its tables those of :meth:`load`, read
        once and shared with the other notebooks of the process (with the Dask engine its
        scores a Dask DataFrame, as :meth:`load` gives them)."""
        from eduqa.project.pipeline import load_processed

        return load_processed(self.processed_dir, read=self.load)

    def history(self) -> list[Season]:
        """This season and the earlier seasons of the same grade, following ``compare_with``
        back in time; oldest first."""
        chain, seen = [self], {self.params.season}
        while True:
            earlier = chain[0].params.compare_with
            if not earlier or earlier in seen:
                return chain
            seen.add(earlier)
            other = chain[0]._other(earlier)
            assert other is not None  # earlier is a season id here
            chain.insert(0, other)

    def comparison(self) -> Season | None:
        """The comparison season (``compare_with``: the same grade a year earlier), or None."""
        return self._other(self.params.compare_with)

    @property
    def comparison_name(self) -> str | None:
        other = self.comparison()
        return None if other is None else other.params.name

    def comparison_scores(self) -> pd.DataFrame | None:
        """Long scores of the comparison season, or None."""
        other = self.comparison()
        return None if other is None else other.load("scores")

    def comparison_summary(self, by=None) -> pd.DataFrame | None:
        """:meth:`summarize` of the comparison season (None when there is none)."""
        other = self.comparison()
        return None if other is None else other.summarize(other.scores_with_schools(), by)

    def cohort_prior_scores(self) -> pd.DataFrame | None:
        """Long scores of the same cohort's previous season (``cohort_prior``), or None."""
        other = self._other(self.params.cohort_prior)
        return None if other is None else other.load("scores")

    def md(self, text: str):
        """Markdown output for the page, with markup from the user's values escaped
        (:func:`eduqa.report.tables.safe_markdown`)."""
        from IPython.display import Markdown

        from eduqa.report.tables import safe_markdown

        return Markdown(safe_markdown(text))
