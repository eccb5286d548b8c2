"""The demo county has the shape the design asks for (DESIGN §3, walking-skeleton issue)."""

from __future__ import annotations

import pandas as pd

from eduqa.intake.clean import read_roster

from conftest import REPO, SEASONS

RAW = REPO / "data" / "raw"


def test_county_structure():
    roster = read_roster(RAW / "schools.csv")
    kinds = roster["school_type"]
    assert len(roster) >= 40
    assert kinds.isin(["小学", "教学点", "九年一贯制"]).sum() >= 25
    assert kinds.isin(["初中", "九年一贯制"]).sum() >= 12
    assert roster["township"].nunique() >= 8
    counts = roster["urban_rural"].value_counts()
    assert set(counts.index) == {"urban", "town", "rural"} and counts.min() >= 5
    # the roster uses both words and national codes for urban-rural type
    assert roster["urban_rural_raw"].str.isdigit().any() and not roster[
        "urban_rural_raw"].str.isdigit().all()
    assert (roster["aliases"] != "").sum() >= 20


def test_very_small_rural_schools(cleaned):
    sizes = cleaned["2025-spring-g6"].schools.set_index("school_code")
    small = sizes[(sizes["n_students"] > 0) & (sizes["n_students"] < 10)]
    assert len(small) >= 2 and (small["urban_rural"] == "rural").all()


def test_shortage_and_out_of_field_concentrated_in_rural_schools(cleaned):
    schools = cleaned["2025-spring-g9"].schools
    by_type = schools.groupby("urban_rural")[["shortage_rate", "out_of_field_share"]].mean()
    assert by_type.loc["rural", "shortage_rate"] > by_type.loc["town", "shortage_rate"] > \
        by_type.loc["urban", "shortage_rate"]
    assert by_type.loc["rural", "out_of_field_share"] > 2 * by_type.loc[
        "urban", "out_of_field_share"]
    assert schools["required_source"].eq("norm").any() and schools["required_source"].eq(
        "file").any()


def test_targets_for_every_school(cleaned):
    for season in SEASONS:
        result = cleaned[season]
        taught = set(result.students["school_code"])
        assert taught <= set(result.targets["school_code"])
        assert set(result.targets["indicator"]) == {"mean", "pass_rate", "excellent_rate"}
        assert result.targets["target"].between(0, 1).groupby(
            result.targets["indicator"]).all()[["pass_rate", "excellent_rate"]].all()


def test_cohort_links_across_seasons(cleaned):
    g8 = set(cleaned["2024-spring-g8"].students["student_key"])
    g9 = set(cleaned["2025-spring-g9"].students["student_key"])
    linked = len(g8 & g9) / len(g9)
    assert 0.9 < linked < 1.0  # most of the cohort links; some arrived later
    g6_2024 = set(cleaned["2024-spring-g6"].students["student_key"])
    g6_2025 = set(cleaned["2025-spring-g6"].students["student_key"])
    assert not g6_2024 & g6_2025  # different cohorts


def test_rural_schools_score_lower_as_planted(cleaned):
    """The planted rural and shortage effects are visible in the raw means."""
    result = cleaned["2025-spring-g6"]
    total = result.scores[(result.scores["subject"] == "total")
                          & (result.scores["status"] == "sat")]
    means = total.merge(result.schools, on="school_code").groupby("urban_rural")["score"].mean()
    assert means["urban"] > means["town"] > means["rural"]
    assert isinstance(means, pd.Series)
