"""Figures render Chinese with the bundled CJK font and no missing-glyph warning."""

from __future__ import annotations

import io
import warnings

from matplotlib.figure import Figure

from eduqa.config.params import load_season
from eduqa.report import plots


def _render(fig: Figure) -> bytes:
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png")
    return buffer.getvalue()


def test_cjk_font_is_installed_and_registered():
    assert plots.cjk_font_path() is not None
    assert "CJK" in plots.setup()


def test_chinese_text_renders_without_missing_glyphs():
    with plots.style():
        fig = Figure()
        fig.subplots().set_title("乡村学校平均分低 0.32 个标准差，及格率 −3.5%")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        _render(fig)
    assert not [w for w in caught if "missing from" in str(w.message)]


def test_missing_glyph_warning_would_be_caught():
    """The check above can fail: with a Latin-only font, Chinese text warns."""
    import matplotlib

    fig = Figure()
    with matplotlib.rc_context({"font.family": "DejaVu Sans"}):
        fig.subplots().set_title("及格率")
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            _render(fig)
    assert [w for w in caught if "missing from" in str(w.message)]


def test_score_distributions_one_panel_per_subject(cleaned, repo_project):
    params = load_season(repo_project, "2025-spring-g9")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        fig = plots.score_distributions(cleaned["2025-spring-g9"].scores, params.full_marks)
        png = _render(fig)
    visible = [ax for ax in fig.axes if ax.get_visible()]
    assert len(visible) == len(params.full_marks)
    assert png[:4] == b"\x89PNG"
    assert not [w for w in caught if "missing from" in str(w.message)]


def test_season_trend_puts_seasons_in_time_order():
    import pandas as pd

    from eduqa.config.paths import season_sort_key

    seasons = ["2025-spring-g9", "2024-spring-g6", "2024-spring-g8", "2025-spring-g6"]
    numbers = pd.DataFrame({"season": seasons, "grade": [9, 6, 8, 6],
                            "pass_rate": [0.55, 0.66, 0.54, 0.69],
                            "order": [season_sort_key(s) for s in seasons]})
    ax = plots.season_trend(numbers).axes[0]
    assert [t.get_text() for t in ax.get_xticklabels()] == ["2024年春季", "2025年春季"]
    lines = {line.get_label(): list(line.get_xdata()) for line in ax.get_lines()}
    assert lines == {"6年级": [0, 1], "8年级": [0], "9年级": [1]}
    english = plots.season_trend(numbers, language="en").axes[0]
    assert [t.get_text() for t in english.get_xticklabels()] == ["2024 spring", "2025 spring"]


def test_figures_leave_matplotlib_settings_alone_and_take_a_style(cleaned, repo_project):
    """No global side effect: rcParams are the same before and after a figure (oracle: a copy
    of them), the figure still draws Chinese afterwards, and ``style=`` overrides apply."""
    import matplotlib

    params = load_season(repo_project, "2025-spring-g9")
    before = dict(matplotlib.rcParams)
    fig = plots.score_distributions(cleaned["2025-spring-g9"].scores, params.full_marks,
                                    style={"axes.titlesize": 17})
    assert dict(matplotlib.rcParams) == before
    assert fig.axes[0].title.get_fontsize() == 17
    with warnings.catch_warnings(record=True) as caught:  # drawn outside the style block
        warnings.simplefilter("always")
        _render(fig)
    assert not [w for w in caught if "missing from" in str(w.message)]
    plain = plots.score_distributions(cleaned["2025-spring-g9"].scores, params.full_marks)
    assert plain.axes[0].title.get_fontsize() == 11  # the house style
    with plots.style({"axes.titlesize": 5}):
        assert matplotlib.rcParams["axes.titlesize"] == 5
    assert dict(matplotlib.rcParams) == before


def test_balance_heatmap_cells_labels_and_outlines():
    """A school missing a subject: its cell is blank, has no value and no outline (a missing
    subject is not a weak one); every other cell shows its value, white on the dark ends of
    the scale; weak cells are outlined; schools run from the highest mean z down."""
    import numpy as np
    import pandas as pd
    from matplotlib.patches import Rectangle

    balance = pd.DataFrame({
        "school_code": ["a", "a", "b", "b", "c"],
        "subject": ["chinese", "math", "chinese", "math", "chinese"],
        "n": 40, "mean_z": [0.5, 0.1, -0.2, -0.4, 0.0],
        "balance": [0.2, -0.2, 0.1, -0.1, 0.0],
        "small_group": False, "weak": [False, True, False, False, False]})
    fig = plots.subject_balance_heatmap(balance, {"a": "甲校", "b": "乙校", "c": "丙校"})
    ax = fig.axes[0]
    assert [t.get_text() for t in ax.get_yticklabels()] == ["甲校", "丙校", "乙校"]
    assert sorted(t.get_text() for t in ax.texts) == ["-0.10", "-0.20", "0.00", "0.10",
                                                       "0.20"]
    colours = {t.get_text(): t.get_color() for t in ax.texts}
    assert colours["0.20"] == colours["-0.20"] == "w"  # the ends of a ±0.3 scale are dark
    assert colours["0.00"] == ".15"
    outlined = [(p.get_x(), p.get_y()) for p in ax.patches if isinstance(p, Rectangle)
                and not p.get_fill()]
    assert outlined == [(1, 0)]  # 甲校 (row 0), 数学 (column 1)
    mesh = ax.collections[0]
    assert np.ma.getmaskarray(mesh.get_array()).reshape(3, 2).tolist() == [
        [False, False], [False, True], [False, False]]
    assert _render(fig)[:4] == b"\x89PNG"


def test_png_is_drawn_once_with_the_pixels_savefig_gives():
    """png_data_uri draws a laid-out figure once; the image equals matplotlib's own savefig
    (which draws it twice) pixel for pixel, for a heatmap-like figure and a bare one."""
    import base64

    import numpy as np
    import pandas as pd
    from PIL import Image

    balance = pd.DataFrame({
        "school_code": [f"S{i}" for i in range(12) for _ in range(3)],
        "subject": ["chinese", "math", "english"] * 12,
        "balance": np.linspace(-0.8, 0.9, 36), "mean_z": np.linspace(1, -1, 36),
        "weak": [i % 7 == 0 for i in range(36)], "small_group": False})
    def heatmap():
        return plots.subject_balance_heatmap(balance, {"S1": "第一小学"}, language="zh")

    def bare():
        with plots.style():
            fig = Figure(figsize=(3, 2))
            fig.subplots().plot([0, 1], [1, 0])
        return fig

    for make in (heatmap, bare):  # a fresh figure each: a layout run twice moves a little
        ours = base64.b64decode(plots.png_data_uri(make()).split(",", 1)[1])
        a = np.asarray(Image.open(io.BytesIO(ours)))
        b = np.asarray(Image.open(io.BytesIO(_render(make()))))
        assert a.shape == b.shape and np.array_equal(a, b)
