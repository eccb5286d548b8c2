"""Seasons over time: linking students, school change, histories, adding a fifth season."""

from __future__ import annotations

import shutil
import subprocess
import sys

import numpy as np
import pandas as pd
import pytest

from eduqa.config.params import load_season
from eduqa.indicators import trends
from eduqa.intake.clean import clean_season


def test_students_link_across_seasons_only_under_the_same_key(repo_project, monkeypatch):
    monkeypatch.setenv("EDUQA_SALT", "county-key-A")
    g8 = clean_season(load_season(repo_project, "2024-spring-g8")).students["student_key"]
    g9_same = clean_season(load_season(repo_project, "2025-spring-g9")).students["student_key"]
    monkeypatch.setenv("EDUQA_SALT", "county-key-B")
    g9_other = clean_season(load_season(repo_project, "2025-spring-g9")).students["student_key"]
    assert len(set(g8) & set(g9_same)) / len(g9_same) > 0.9  # same key: the cohort links
    assert not set(g8) & set(g9_other)  # another key links nothing


def _scores(rows):
    return pd.DataFrame(rows, columns=["school_code", "subject", "score", "status"])


def test_school_change_by_hand_and_school_in_one_season_only():
    before = _scores([("A", "total", v, "sat") for v in (50, 60, 70)]
                     + [("B", "total", v, "sat") for v in (40, 50, 60)]
                     + [("C", "total", 55, "sat")])
    now = _scores([("A", "total", v, "sat") for v in (80, 90, 100)]
                  + [("B", "total", v, "sat") for v in (30, 40, 50)]
                  + [("D", "total", 60, "sat")])
    out = trends.school_change(now, before).set_index("school_code")

    def z(frame):
        s = frame["score"]
        return ((s - s.mean()) / s.std()).groupby(frame["school_code"]).agg(["mean", "var",
                                                                             "size"])
    zb, zn = z(before), z(now)
    change = zn.loc["A", "mean"] - zb.loc["A", "mean"]
    se = np.sqrt(zn.loc["A", "var"] / 3 + zb.loc["A", "var"] / 3)
    assert out.loc["A", "change"] == pytest.approx(change)
    assert out.loc["A", "se"] == pytest.approx(se)
    from scipy import stats

    welch = se**4 / ((zn.loc["A", "var"] / 3) ** 2 / 2 + (zb.loc["A", "var"] / 3) ** 2 / 2)
    assert out.loc["A", "df"] == pytest.approx(welch)
    q = stats.t.ppf(0.975, welch)
    assert out.loc["A", "ci_low"] == pytest.approx(change - q * se)
    assert out.loc["A", "flag"] == ("improved" if change - q * se > 0 else "no_clear_change")
    assert out.loc["C", "flag"] == "only_before" and out.loc["D", "flag"] == "only_now"
    assert np.isnan(out.loc["D", "change"])


def test_school_change_without_an_earlier_season_is_empty():
    now = _scores([("A", "total", 50, "sat")])
    assert trends.school_change(now, None).empty


def test_planted_improvement_is_flagged():
    rng = np.random.default_rng(0)
    rows_before, rows_now = [], []
    for school in range(20):
        lift = 8 if school == 0 else 0
        rows_before += [(f"S{school}", "total", v, "sat") for v in rng.normal(60, 12, 80)]
        rows_now += [(f"S{school}", "total", v, "sat") for v in rng.normal(60 + lift, 12, 80)]
    out = trends.school_change(_scores(rows_now), _scores(rows_before)).set_index("school_code")
    assert out.loc["S0", "flag"] == "improved"
    assert (out["flag"] == "improved").sum() <= 3


def test_school_change_flags_at_the_nominal_rate_in_small_schools_when_nothing_changed():
    """400 seeded counties of 30 schools of 3–9 pupils with no change: the Welch intervals
    flag 3–7% of schools (the normal quantile flagged 8.4%); schools below the minimum size
    get no verdict; the page states how many flags chance alone gives."""
    from eduqa.text import narrative

    flagged = judged = 0
    stated = 0.0
    for seed in range(400):
        rng = np.random.default_rng(seed)
        sizes_before, sizes_now = rng.integers(3, 10, 30), rng.integers(3, 10, 30)
        before = _scores([(f"S{i}", "total", v, "sat") for i in range(30)
                          for v in rng.normal(60, 12, sizes_before[i])])
        now = _scores([(f"S{i}", "total", v, "sat") for i in range(30)
                       for v in rng.normal(60, 12, sizes_now[i])])
        out = trends.school_change(now, before)
        flagged += out["flag"].isin(["improved", "fell_back"]).sum()
        judged += len(out)
        stated += trends.chance_flags(out)[1]
    assert 0.03 <= flagged / judged <= 0.07, flagged / judged
    # the count the page states is what the null simulation flags, county by county
    assert 0.75 <= flagged / stated <= 1.25, (flagged, stated)
    small = trends.school_change(now, before, min_group_size=6)
    assert (small.loc[(small["n_now"] < 6) | (small["n_before"] < 6), "flag"] == "small").all()
    assert (small.loc[(small["n_now"] >= 6) & (small["n_before"] >= 6), "flag"] != "small").all()
    judged, expected = trends.chance_flags(small)
    assert judged == (small["flag"] != "small").sum() and expected == pytest.approx(0.05 * judged)
    text = narrative.change_overview(small, chance=(judged, expected))
    assert f"参与判断的 {judged} 所学校中" in text and f"约 {expected:.1f} 所" in text


def test_rank_and_target_histories():
    first = pd.DataFrame({"school_code": ["A", "B"], "subject": "total", "rank": [2.0, 1.0],
                          "small_group": [False, False]})
    second = pd.DataFrame({"school_code": ["A", "C", "D"], "subject": "total",
                           "rank": [1.0, 2.0, np.nan], "small_group": [False, False, True]})
    ranks = trends.rank_history({"2024": first, "2025": second}).set_index("school_code")
    assert ranks.loc["A", ["2024", "2025"]].tolist() == [2.0, 1.0]
    assert np.isnan(ranks.loc["C", "2024"]) and np.isnan(ranks.loc["B", "2025"])
    # a school too small in any season shown is flagged on its row
    assert ranks["small_group"].to_dict() == {"A": False, "B": False, "C": False, "D": True}
    met = pd.DataFrame({"school_code": ["A", "A", "B", "D"],
                        "met": pd.array([True, False, pd.NA, True], dtype="boolean"),
                        "small_group": [False, False, False, True]})
    history = trends.target_history({"2025": met}).set_index("school_code")
    assert history.loc["A", "2025"] == 0.5 and "B" not in history.index
    assert history["small_group"].to_dict() == {"A": False, "D": True}
    # tables without flags (older callers) give no flag rather than an error
    plain = trends.rank_history({"2024": first.drop(columns="small_group")})
    assert not plain["small_group"].any()


def test_fifth_season_exactly_as_the_readme_says(project):
    """new-season, copy the files in, validate, run: a report for the new season."""
    def eduqa(*args):
        return subprocess.run([sys.executable, "-m", "eduqa", "--project", str(project.root),
                               *args], capture_output=True, text=True, timeout=900)

    created = eduqa("new-season", "2026-spring-g6", "--from", "2025-spring-g6")
    assert created.returncode == 0, created.stderr
    folder = project.raw / "2026-spring-g6"
    assert (folder / "README.txt").is_file()
    missing = eduqa("validate", "2026-spring-g6")
    assert missing.returncode == 2
    for name in ("scores.xlsx", "staffing.csv"):
        assert f"data/raw/2026-spring-g6/{name}" in missing.stderr  # every missing file named
    assert "targets.csv" not in missing.stderr  # optional: a note once the others are there
    for path in (project.raw / "2025-spring-g6").iterdir():
        shutil.copy(path, folder / path.name)
    assert eduqa("validate", "2026-spring-g6").returncode == 0
    done = eduqa("run", "2026-spring-g6")
    assert done.returncode == 0, done.stderr
    report = project.report_season("2026-spring-g6")
    for page in ("index.html", "01-clean.html", "02-indicators.html", "03-attribution.html",
                 "04-trends.html"):
        assert (report / page).is_file(), page
    trend = (report / "04-trends.html").read_text(encoding="utf-8")
    assert "2024年春季六年级" in trend and "2025年春季六年级" in trend  # the whole history
    assert "2026-spring-g6" in (project.reports / "index.html").read_text(encoding="utf-8")


def test_new_season_refuses_to_overwrite(project):
    from eduqa.errors import EduqaError
    from eduqa.project.scaffold import new_season

    with pytest.raises(EduqaError, match="already exists"):
        new_season(project, "2025-spring-g9", "2024-spring-g8")
