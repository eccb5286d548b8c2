"""Figures. Chinese glyphs come from Noto Sans CJK SC, shipped by the ``mplfonts`` package (or a
system Noto CJK font), registered with matplotlib by :func:`setup` — no missing-glyph boxes.

Figures are built on :class:`matplotlib.figure.Figure` directly (not pyplot), so a notebook shows
each exactly once and nothing leaks between figures; each is built inside :func:`style` (the house
style, with the caller's ``style=`` overrides), and no function changes matplotlib's global
settings.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from functools import lru_cache, wraps
from pathlib import Path
from typing import Any

import matplotlib
import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from eduqa.catalog import say
from eduqa.compute import engine as compute
from eduqa.config.labels import SUBJECT_ORDER, label
from eduqa.config.settings import ItemRules, Thresholds

__all__ = ["setup", "style", "house_style", "cjk_font_path", "score_distributions", "subject_balance_heatmap",
           "caterpillar", "season_trend", "item_map", "item_curves", "png_data_uri", "FONT_FAMILY", "Captioned", "captioned"]

FONT_FAMILY = "Noto Sans CJK SC"
_SYSTEM_FONTS = (
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/noto-cjk/NotoSansCJK-Regular.ttc",
)


def cjk_font_path() -> Path | None:
    """Path of a Noto Sans CJK SC font file: the one mplfonts ships, else a system copy."""
    try:
        from importlib.resources import files

        path = Path(str(files("mplfonts") / "fonts" / "NotoSansCJKsc-Regular.otf"))
        if path.is_file():
            return path
    except (ModuleNotFoundError, FileNotFoundError):
        pass
    for candidate in _SYSTEM_FONTS:
        if Path(candidate).is_file():
            return Path(candidate)
    return None


@lru_cache(maxsize=1)
def setup() -> str:
    """Register the CJK font with matplotlib's font manager (once); returns its family name.
    Changes no matplotlib setting: the house style is applied per figure (:func:`style`).

    Raises a clear error when no CJK font is installed (reinstall eduqa: ``make install``).
    """
    from matplotlib import font_manager

    path = cjk_font_path()
    if path is None:
        from eduqa.errors import EduqaError

        raise EduqaError.of("report.plots.setup.no_chinese_font_found")
    font_manager.fontManager.addfont(str(path))
    return font_manager.FontProperties(fname=str(path)).get_name()


def house_style() -> dict[str, object]:
    """The matplotlib settings of eduqa's figures. The font family is named outright (not
    "sans-serif"), so text keeps the CJK font when the figure is drawn later, outside
    :func:`style` (a notebook shows figures after the cell returns)."""
    family = setup()
    return {
        "font.family": [family, "DejaVu Sans"],
        "text.parse_math": False,  # a "$" in a school name is text, not TeX
        "figure.dpi": 100,
        "axes.spines.top": False,
        "axes.spines.right": False,
        "axes.titlesize": 11,
        "axes.labelsize": 10,
    }


@contextmanager
def style(overrides: Mapping[str, object] | None = None) -> Iterator[None]:
    """Within the block, matplotlib uses :func:`house_style` updated with ``overrides``; the
    global settings are restored on leaving it. Every figure function here builds its figure
    inside ``style(...)`` and takes the overrides as its ``style`` argument."""
    settings: dict[Any, Any] = {**house_style(), **dict(overrides or {})}
    with matplotlib.rc_context(settings):
        yield


_style = style  # the plot functions' own ``style`` argument shadows the name


def _figure(**kwargs) -> Figure:
    """A figure with its own Agg canvas. A bare ``Figure`` has none, so every text
    measurement (e.g. by the layout) makes a throwaway full-size
    renderer — the larger part of a big heatmap's cost; with a canvas one renderer is made and
    reused. The same figure (text placed to within a fraction of a pixel of before)."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    fig = Figure(**kwargs)
    FigureCanvasAgg(fig)
    return fig


def _styled(function):
    """Build the figure of ``function`` inside :func:`style`, with its ``style`` keyword."""
    @wraps(function)
    def wrapper(*args, style: Mapping[str, object] | None = None, **kwargs):
        with _style(style):
            return function(*args, **kwargs)

    return wrapper


def _ordered(subjects) -> list[str]:
    rank = {s: i for i, s in enumerate(SUBJECT_ORDER)}
    return sorted(subjects, key=lambda s: rank.get(s, len(rank)))


@_styled
def score_distributions(scores: pd.DataFrame, full_marks: Mapping[str, float], *,
                        thresholds: Thresholds | None = None, language: str = "zh") -> Figure:
    """Histogram of valid scores per subject (one panel each), with the pass and excellent lines
    and the county mean marked."""
    thresholds = thresholds or Thresholds()
    weight = None
    if compute.is_dask(scores):  # the Dask engine: how many pupils had each score
        from eduqa.indicators.partitioned import frequency_table

        table = frequency_table(scores)  # (the page's own; filtered here, not on the cluster)
        scores = table[table["subject"].isin(list(full_marks))]
        weight = "count"
    subjects = _ordered([s for s in full_marks if (scores["subject"] == s).any()])
    valid = scores.loc[scores["status"].eq("sat") & scores["subject"].isin(subjects)
                       & scores["score"].notna(),
                       ["subject", "score", *([weight] if weight else [])]]
    ncols = min(4, len(subjects))
    nrows = int(np.ceil(len(subjects) / ncols))
    fig = _figure(figsize=(3.2 * ncols, 2.5 * nrows), layout="constrained")
    axes = fig.subplots(nrows, ncols, squeeze=False).ravel()
    words = [say(f"report.plots.score_distributions.{word}", language)
             for word in ("pass_line", "excellent_line", "mean", "students")]
    for ax, subject in zip(axes, subjects):
        rows = valid[valid["subject"] == subject]
        values = rows["score"].to_numpy(float)
        weights = None if weight is None else rows[weight].to_numpy(float)
        full = full_marks[subject]
        bins = np.linspace(0, full, 21)
        # plain matplotlib bars, as seaborn's histplot draws them (a quarter of its cost)
        ax.hist(values, bins=bins, weights=weights, color="#4C72B0", edgecolor="white",
                alpha=0.75)
        ax.axvline(thresholds.pass_line * full, color="#DD8452", lw=1.2, ls="--", label=words[0])
        ax.axvline(thresholds.excellent * full, color="#55A868", lw=1.2, ls="--", label=words[1])
        mean = np.average(values, weights=weights) if len(values) else np.nan
        ax.axvline(mean, color="#C44E52", lw=1.5, label=words[2])
        ax.set_title(say("report.plots.score_distributions.text", language,
                         subject=label(subject, language), full=full))
        ax.set_xlim(0, full)
        ax.set_xlabel("")
        ax.set_ylabel(words[3])
    for ax in axes[len(subjects):]:
        ax.set_visible(False)
    handles, names = axes[0].get_legend_handles_labels()
    fig.legend(handles, names, loc="outside lower center", ncols=3, frameon=False)
    return fig


#: Most rows a school-by-row figure draws; beyond this the figure shows a selection (heatmap)
#: or drops the school labels (caterpillar), and the tables beside it list every school.
MAX_LABELLED_SCHOOLS = 60


@_styled
def subject_balance_heatmap(balance: pd.DataFrame, names: Mapping[str, str], *,
                            language: str = "zh", max_schools: int = MAX_LABELLED_SCHOOLS
                            ) -> Figure:
    """Schools × subjects heatmap of subject balance (SD units); 学科短板 cells are outlined.

    ``balance`` is the output of :func:`eduqa.indicators.subject_balance` by ``school_code``;
    ``names`` maps school codes to display names. Small groups are left out. With more than
    ``max_schools`` schools, the ones with the most uneven subjects are shown (the title says
    so), keeping the figure readable and its cost fixed at city scale.
    """
    from matplotlib.patches import Rectangle

    balance = balance[~balance["small_group"]]
    subjects = _ordered(balance["subject"].unique())
    grid = balance.pivot(index="school_code", columns="subject", values="balance")[subjects]
    weak = balance.pivot(index="school_code", columns="subject", values="weak")[subjects]
    selected = len(grid) > max_schools
    if selected:
        spread = grid.abs().max(axis=1).sort_values(ascending=False, kind="mergesort")
        grid, weak = grid.loc[spread.index[:max_schools]], weak.loc[spread.index[:max_schools]]
    order = (balance[balance["school_code"].isin(grid.index)].groupby("school_code")["mean_z"]
             .mean().sort_values(ascending=False).index)
    grid, weak = grid.loc[order], weak.loc[order]
    grid.index = [names.get(code, code) for code in grid.index]
    grid.columns = [label(c, language) for c in grid.columns]
    height = max(3.0, 0.28 * len(grid) + 1.2)
    fig = _figure(figsize=(1.0 * len(subjects) + 3.2, height), layout="constrained")
    ax = fig.subplots()
    values = np.ma.masked_invalid(grid.to_numpy(dtype=float))  # no score: a blank cell
    limit = max(0.3, float(np.nanmax(np.abs(grid.to_numpy(dtype=float)))))
    # drawn with matplotlib directly, as seaborn's heatmap draws it, without the whole-figure
    # draw seaborn makes to test whether tick labels overlap (labels are horizontal here)
    mesh = ax.pcolormesh(values, cmap="RdBu", vmin=-limit, vmax=limit, edgecolors="white",
                         linewidth=0.4)
    ax.set(xlim=(0, values.shape[1]), ylim=(values.shape[0], 0))
    ax.set_xticks(np.arange(values.shape[1]) + 0.5, list(grid.columns))
    ax.set_yticks(np.arange(values.shape[0]) + 0.5, list(grid.index), va="center")
    for spine in ax.spines.values():
        spine.set_visible(False)
    bar = fig.colorbar(mesh, ax=ax, shrink=0.6, label=say("report.plots.subject_balance_heatmap.sd",
                                                          language))
    bar.outline.set_linewidth(0)
    mesh.update_scalarmappable()
    rgb = np.asarray(mesh.get_facecolor(), dtype=float)[:, :3]
    linear = np.where(rgb <= 0.03928, rgb / 12.92, ((rgb + 0.055) / 1.055) ** 2.4)
    dark = (linear @ [0.2126, 0.7152, 0.0722]).reshape(values.shape) <= 0.408
    for (row, col), value in np.ndenumerate(values.filled(np.nan)):
        if np.isfinite(value):  # the cell values lie inside the axes: no layout needs them
            ax.text(col + 0.5, row + 0.5, f"{value:.2f}", ha="center", va="center", size=7,
                    color="w" if dark[row, col] else ".15", in_layout=False)
    for (row, col), is_weak in np.ndenumerate(weak.eq(True).to_numpy()):
        if is_weak:
            ax.add_patch(Rectangle((col, row), 1, 1, fill=False, edgecolor="black", lw=1.6))
    ax.set_xlabel("")
    ax.set_ylabel("")
    ax.tick_params(axis="both", labelsize=8)
    title = say("report.plots.subject_balance_heatmap.subject_balance_subject_mean", language)
    if selected:
        title += say("report.plots.subject_balance_heatmap.schools_with_most_uneven", language,
                     max_schools=max_schools)
    ax.set_title(title, fontsize=10)
    return fig


@_styled
def caterpillar(effects: pd.DataFrame, names: Mapping[str, str], *,
                language: str = "zh") -> Figure | None:
    """School effects with 95% intervals, sorted (a caterpillar plot, never a bare league
    table); schools whose interval excludes zero are coloured. None when there is nothing
    to draw (a school with no figure — the only one, with nothing to compare — is not drawn).

    ``effects`` has ``effect``, ``ci_low``, ``ci_high``, ``flag`` and the school in ``group``
    or ``school_code`` (``RandomInterceptResult.group_effects``, or
    :func:`eduqa.attribution.value_added`); ``names`` maps codes to names.
    """
    data = effects.rename(columns={"school_code": "group"})
    data = data[data["effect"].notna()]  # (a school with nothing to compare with: no point)
    if data.empty:
        return None
    data = data.sort_values("effect").reset_index(drop=True)
    colours = data["flag"].map({"above": "#2E7D32", "below": "#C62828",
                                "as_expected": "#7A7A7A"})
    labelled = len(data) <= MAX_LABELLED_SCHOOLS
    height = max(3.0, 0.24 * len(data) + 1.2) if labelled else 6.0
    fig = _figure(figsize=(7.5, height), layout="constrained")
    ax = fig.subplots()
    y = np.arange(len(data))
    ax.hlines(y, data["ci_low"], data["ci_high"], colors=colours, lw=1.6 if labelled else 0.6)
    ax.scatter(data["effect"], y, c=colours, s=18 if labelled else 3, zorder=3)
    ax.axvline(0, color="black", lw=0.8)
    if labelled:
        ax.set_yticks(y, [names.get(g, str(g)) for g in data["group"]], fontsize=8)
    else:  # a city: the shape of the distribution; every school is in the table
        ax.set_yticks([])
        ax.set_ylabel(say("report.plots.caterpillar.schools_ordered_by_effect", language,
                          n_data=len(data)))
    zh = language != "en"
    ax.set_xlabel(say("report.plots.caterpillar.school_effect_sd_interval", zh))
    ax.set_title(say("report.plots.caterpillar.school_effects_green_above", zh),
                 fontsize=10)
    return fig


@_styled
def item_map(questions: pd.DataFrame, rules: ItemRules | None = None, *,
             language: str = "zh") -> Figure | None:
    """Each question's difficulty (得分率) against its discrimination, one panel per paper,
    the review rules drawn as lines and the flagged questions labelled. None when there is
    no question.

    ``questions`` is :func:`eduqa.paper.tables.question_table`."""
    if questions.empty:
        return None
    rules = rules or ItemRules()
    subjects = _ordered(questions["subject"].unique())
    ncols = min(3, len(subjects))
    nrows = int(np.ceil(len(subjects) / ncols))
    fig = _figure(figsize=(3.6 * ncols, 3.0 * nrows), layout="constrained")
    axes = fig.subplots(nrows, ncols, squeeze=False).ravel()
    zh = language != "en"
    for ax, subject in zip(axes, subjects):
        part = questions[questions["subject"] == subject]
        flagged = part["flagged"].to_numpy(dtype=bool)
        ax.scatter(part["difficulty"], part["discrimination"], s=18,
                   c=np.where(flagged, "#C62828", "#4C72B0"), zorder=3)
        for _, row in part[flagged].iterrows():
            ax.annotate(str(row["question"]), (row["difficulty"], row["discrimination"]),
                        xytext=(3, 3), textcoords="offset points", fontsize=7)
        for x in (rules.hard, rules.easy):
            ax.axvline(x, color="#8a8a8a", lw=0.8, ls="--")
        ax.axhline(rules.low_discrimination, color="#8a8a8a", lw=0.8, ls="--")
        ax.axhline(0, color="black", lw=0.6)
        ax.set_xlim(0, 1)
        ax.set_title(label(subject, language))
        ax.set_xlabel(say("report.plots.item_map.score_rate_difficulty", zh))
        ax.set_ylabel(say("report.plots.item_map.discrimination", zh))
    for ax in axes[len(subjects):]:
        ax.set_visible(False)
    return fig


@_styled
def item_curves(curves: pd.DataFrame, questions: pd.DataFrame | None = None, *,
                language: str = "zh") -> Figure | None:
    """Item characteristic curves (2PL: the chance of a right answer by ability), one panel
    per paper; the questions ``questions`` flags for review drawn in red and labelled. None
    when there is no curve.

    ``curves`` is ``IRTView.curves`` of :func:`eduqa.paper.tables.irt_view`, ``questions``
    :func:`eduqa.paper.tables.question_table`."""
    if curves.empty:
        return None
    subjects = _ordered(curves["subject"].unique())
    flagged = questions[questions["flagged"].astype(bool)] if questions is not None else None
    marked = (set() if flagged is None else
              {(str(s), str(q)) for s, q in zip(flagged["subject"], flagged["question"])})
    ncols = min(3, len(subjects))
    nrows = int(np.ceil(len(subjects) / ncols))
    fig = _figure(figsize=(3.6 * ncols, 3.0 * nrows), layout="constrained")
    axes = fig.subplots(nrows, ncols, squeeze=False).ravel()
    zh = language != "en"
    for ax, subject in zip(axes, subjects):
        part = curves[curves["subject"] == subject]
        for question, curve in part.groupby("question", sort=False):
            red = (str(subject), str(question)) in marked
            ax.plot(curve["theta"], curve["p"], lw=1.6 if red else 0.8,
                    color="#C62828" if red else "#4C72B0", alpha=1 if red else 0.6)
            if red:
                at = curve.iloc[len(curve) * 3 // 4]
                ax.annotate(str(question), (at["theta"], at["p"]), xytext=(3, 0),
                            textcoords="offset points", fontsize=7, color="#C62828")
        ax.set_ylim(0, 1)
        ax.set_title(label(subject, language))
        ax.set_xlabel(say("report.plots.item_curves.ability_sd", zh))
        ax.set_ylabel(say("report.plots.item_curves.p_right", zh))
    for ax in axes[len(subjects):]:
        ax.set_visible(False)
    return fig


@_styled
def category_curves(curves: pd.DataFrame, *, language: str = "zh",
                    most: int = 6) -> Figure | None:
    """Score category curves of the graded response model (the chance of each score of a
    question by ability), one panel per question, at most ``most`` panels (each paper's
    questions in turn: every paper shown); None when there is no curve. ``curves`` is
    ``IRTView.graded_curves`` of :func:`eduqa.paper.tables.irt_view`."""
    if curves.empty:
        return None
    by_paper = [[(subject, q) for q in dict.fromkeys(curves.loc[curves["subject"] == subject,
                                                                 "question"])]
                for subject in _ordered(curves["subject"].unique())]
    # the papers in turn (their first questions, then their second …), so each is shown
    chosen = [panel for row in itertools.zip_longest(*by_paper) for panel in row
              if panel is not None][:most]
    ncols = min(3, len(chosen))
    nrows = int(np.ceil(len(chosen) / ncols))
    fig = _figure(figsize=(3.6 * ncols, 2.9 * nrows), layout="constrained")
    axes = fig.subplots(nrows, ncols, squeeze=False).ravel()
    zh = language != "en"
    for ax, (subject, question) in zip(axes, chosen):
        part = curves[(curves["subject"] == subject) & (curves["question"] == question)]
        steps = part["category"].nunique()
        colours = _colours("viridis", steps)
        for k, (_, curve) in enumerate(part.groupby("category", sort=True)):
            ax.plot(curve["theta"], curve["p"], lw=1.2, color=colours[k],
                    label=str(curve["scores"].iloc[0]))
        ax.set_ylim(0, 1)
        ax.set_title(say("report.plots.category_curves.title", zh,
                         subject=label(subject, language), question=question))
        ax.set_xlabel(say("report.plots.item_curves.ability_sd", zh))
        ax.set_ylabel(say("report.plots.category_curves.p_score", zh))
        if steps <= 8:
            ax.legend(fontsize=6, title=say("report.plots.category_curves.score", zh),
                      title_fontsize=6, loc="center right")
    for ax in axes[len(chosen):]:
        ax.set_visible(False)
    return fig


def _colours(name: str, n: int) -> list:
    """``n`` colours evenly spaced along the matplotlib colormap ``name``."""
    from matplotlib import colormaps

    cmap = colormaps[name]
    return [cmap(x) for x in np.linspace(0.05, 0.9, max(n, 1))]


_TERMS = ("spring", "summer", "autumn", "winter")  # (a season's term: 0-3 in its sort key)


@_styled
def season_trend(numbers: pd.DataFrame, *, language: str = "zh") -> Figure:
    """Small line chart of the county pass rate (total) over time, one line per grade.

    ``numbers`` has ``season``, ``grade``, ``pass_rate`` and ``order`` (the season's
    :func:`~eduqa.config.paths.season_sort_key`). The x axis is the exam period (year and term) in
    time order, so seasons of different grades sat in one term line up."""
    fig = _figure(figsize=(6.0, 2.6), layout="constrained")
    ax = fig.subplots()
    periods = sorted({tuple(order[:2]) for order in numbers["order"]})
    position = {period: i for i, period in enumerate(periods)}
    for grade, part in numbers.groupby("grade", sort=True):
        part = part.sort_values("order")
        ax.plot([position[tuple(order[:2])] for order in part["order"]],
                100 * part["pass_rate"], marker="o",
                label=say("report.plots.season_trend.grade", language, grade=grade))
    labels = [say("report.plots.season_trend.period", language, year=year,
                  term=say(f"report.plots.season_trend.{_TERMS[term]}", language))
              if 0 <= term < len(_TERMS) else str(year) for year, term in periods]
    ax.set_xticks(range(len(periods)), labels)
    ax.set_xlim(-0.5, len(periods) - 0.5)
    ax.set_ylabel(say("report.plots.season_trend.pass_rate_total", language))
    ax.tick_params(axis="x", labelsize=8)
    ax.legend(frameon=False, fontsize=8)
    return fig


def png_data_uri(fig: Figure) -> str:
    """A figure as an inline ``data:image/png;base64,...`` URI (no file, no network)."""
    import base64
    import io

    from matplotlib import image
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    buffer = io.BytesIO()
    if isinstance(fig.canvas, FigureCanvasAgg):
        # one draw: ``savefig`` draws a figure with a layout engine twice (once to lay it
        # out, once to render it, the layout run again in the second), and the figure's own
        # draw already lays out first. The same pixels, in about half the time of a big
        # figure's text rendering.
        fig.canvas.draw()
        image.imsave(buffer, np.asarray(fig.canvas.buffer_rgba()), format="png",
                     origin="upper", dpi=fig.dpi)
    else:
        fig.savefig(buffer, format="png")
    return "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode("ascii")


class Captioned:
    """A figure with its one-line caption below it, as a notebook shows it: the PNG (which the
    Word report takes, with the caption as its text) and an HTML ``<figure>`` with the caption
    as ``<figcaption>`` (escaped: it may hold school names)."""

    def __init__(self, figure: Figure, caption: str) -> None:
        self.figure = figure
        self.caption = caption

    def _png(self) -> str:
        """Base64 PNG of the whole figure. Its constrained layout already fits everything
        inside, so it is drawn once — not measured in a first draw and cropped, as IPython's
        "tight" display of a bare figure does, at nearly twice the cost."""
        return png_data_uri(self.figure).split(",", 1)[1]

    def _repr_mimebundle_(self, include=None, exclude=None) -> dict:
        import html

        png = self._png()
        text = html.escape(self.caption)
        page = (f'<figure class="eduqa-figure"><img src="data:image/png;base64,{png}" '
                f'alt="{text}"><figcaption>{text}</figcaption></figure>')
        return {"image/png": png, "text/html": page, "text/plain": self.caption}


def captioned(figure: Figure | None, caption: str) -> Captioned | None:
    """``figure`` shown with ``caption`` below it; None (nothing shown) when a plot function
    had nothing to draw and returned None."""
    return None if figure is None else Captioned(figure, caption)
