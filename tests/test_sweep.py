"""Issue 33: every county's first season runs. A sample of the county-shape sweep
(:mod:`eduqa.sweep`; the full 200 shapes: ``make sweep``) and the sweep's own checks, each
shown to catch what it is for."""

from __future__ import annotations

import pytest

from eduqa.shapes import CATEGORIES, draw_shape, draw_shapes
from eduqa.sweep import check_outputs, run_in_session, run_shape, violations_in_text

from conftest import REPO

#: the shapes sampled in ``make test``: a spread of the first 200 (every tenth), chosen once
SAMPLE = list(range(0, 200, 10))


def test_the_shapes_cover_what_real_counties_vary_in():
    shapes = draw_shapes(200)
    assert {s.categories for s in shapes} >= {("城区",), ("镇区",), ("乡村",), ("城区", "乡村"),
                                             ("镇区", "乡村"), CATEGORIES}
    sizes = [s.n_schools for s in shapes]
    assert min(sizes) == 1 and max(sizes) > 200 and 6 in sizes
    assert {s.paper for s in shapes} == {"none", "binary", "polytomous", "mixed"}
    assert any(s.same_name and s.export_codes for s in shapes)
    assert any(s.same_name and not s.export_codes and not s.export_townships for s in shapes)
    assert any(s.same_name and s.export_townships and not s.export_codes for s in shapes)
    assert any(s.n_townships == 1 for s in shapes) and any(s.prior == "cohort" for s in shapes)
    assert any(not s.staffing_extras for s in shapes) and any(s.staffing_flat for s in shapes)
    assert any(max(s.subjects.values()) >= 800 for s in shapes)
    assert {len(s.subjects) for s in shapes} >= {1, 10}
    assert any(min(p for _, _, p, _ in s.schools) <= 5 for s in shapes)  # a tiny school
    assert {s.tiers for s in shapes} == {("urban_rural", "school_type"), (), ("size",),
                                         ("baseline",), ("urban_rural", "boarding", "size")}
    assert any(not s.tiers for s in shapes if s.n_schools == 1)  # … and one school alone
    assert draw_shape(17) == draw_shape(17)  # seeded


def test_the_checks_catch_what_they_are_for(tmp_path):
    assert violations_in_text("差异系数为 nan，未达到", "p")
    assert violations_in_text("是否达到 True", "p") and violations_in_text("None", "p")
    assert violations_in_text("乡村学校比城区学校高 -0.3 分", "p")
    assert not violations_in_text("乡村学校比城区学校低 0.3 分；Nancy 的 information", "p")
    page = tmp_path / "02-indicators.html"
    page.write_text("<html><head><title>成绩指标 · 2026春六年级期末成绩.xlsx</title></head>"
                    "<body><h1>成绩指标</h1><td>inf</td></body></html>", encoding="utf-8")
    found = check_outputs(tmp_path, "2026春六年级期末成绩.xlsx")
    assert any("file name" in f for f in found) and any("'inf'" in f for f in found)
    # issue 34: a figure from fewer than suppress_below pupils in the workbook
    import pandas as pd

    from eduqa.report.tables import write_workbook

    frame = pd.DataFrame({"school_code": ["a", "b"], "n_sat": [3, 40], "mean": [80.5, 70.0]})
    write_workbook({"school_total": frame}, tmp_path / "tables.xlsx", suppress_below=0)
    found = check_outputs(tmp_path, "x.xlsx")
    assert any("fewer than 5 pupils" in f and "row 2" in f for f in found), found
    write_workbook({"school_total": frame}, tmp_path / "tables.xlsx", suppress_below=5)
    assert not any("fewer than" in f for f in check_outputs(tmp_path, "x.xlsx"))


def test_a_hung_command_is_killed_with_its_children():
    """A command that hangs, with a child holding its output pipes, ends at the timeout (exit
    -9, said in stderr) instead of stalling the sweep; a command that ends is passed through."""
    import sys
    import time

    hang = ("import subprocess, sys, time; print('started', flush=True); "
            "subprocess.Popen([sys.executable, '-c', 'import time; time.sleep(120)']); "
            "time.sleep(120)")
    started = time.perf_counter()
    done = run_in_session([sys.executable, "-c", hang], {}, timeout=3)
    assert time.perf_counter() - started < 60
    assert done.returncode == -9 and "timed out after 3 s" in done.stderr
    assert "started" in done.stdout
    done = run_in_session([sys.executable, "-c", "print('fine')"], {}, timeout=30)
    assert (done.returncode, done.stdout.strip()) == (0, "fine")


@pytest.mark.parametrize("seed", SAMPLE)
def test_a_county_shape_validates_and_runs_cleanly(seed, tmp_path):
    """validate passes exactly when the input is valid; then run succeeds, with no traceback,
    no nan/None/True/False, no file name as a title and no wrong direction anywhere."""
    result = run_shape(seed, tmp_path, notebooks=REPO / "notebooks")
    assert result.ok, f"shape {seed} ({result.description}):\n" + "\n".join(
        result.violations[:20])
