"""Figures render Chinese with the bundled CJK font and no missing-glyph warning."""

from __future__ import annotations

import io
import warnings

from matplotlib.figure import Figure

from eduqa import plots
from eduqa.params import load_season


def _render(fig: Figure) -> bytes:
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png")
    return buffer.getvalue()


def test_cjk_font_is_installed_and_registered():
    assert plots.cjk_font_path() is not None
    assert "CJK" in plots.setup()


def test_chinese_text_renders_without_missing_glyphs():
    plots.setup()
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
