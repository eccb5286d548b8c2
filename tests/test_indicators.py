"""Indicators against hand calculations and plain pandas (docs/METHODS.md §A)."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from eduqa.compute.frames import plain_columns
from eduqa.config.params import CompositeWeights, Thresholds
from eduqa.indicators.exam import cv, summarize

from conftest import dense_cr2_gap

# School A: 90, 60, 59, 0 (sat), one absent, one exempt; school B: 85, 40, 39.5; full marks 100.
SMALL = pd.DataFrame({
    "school": ["A"] * 6 + ["B"] * 3,
    "subject": "math",
    "score": [90, 60, 59, 0, np.nan, np.nan, 85, 40, 39.5],
    "status": ["sat", "sat", "sat", "sat", "absent", "exempt", "sat", "sat", "sat"],
})


def test_hand_calculated_small_case():
    out = summarize(SMALL, "school", {"math": 100}).set_index("school")
    a, b = out.loc["A"], out.loc["B"]
    assert (a["n_enrolled"], a["n_sat"], a["n_absent"]) == (5, 4, 1)
    assert a["participation"] == pytest.approx(4 / 5)
    assert a["mean"] == pytest.approx(209 / 4)
    assert a["sd"] == pytest.approx(np.std([90, 60, 59, 0], ddof=1))
    assert a["pass_rate"] == pytest.approx(2 / 4)  # 90, 60 (60 is a pass)
    assert a["good_rate"] == pytest.approx(1 / 4)
    assert a["excellent_rate"] == pytest.approx(1 / 4)
    assert a["low_rate"] == pytest.approx(1 / 4)  # the zero is a score
    assert a["near_pass"] == 1  # 59 is within 5 points below 60
    assert b["low_rate"] == pytest.approx(1 / 3)  # 39.5 < 40, 40 is not low
    assert b["excellent_rate"] == pytest.approx(1 / 3)  # 85 is excellent
    assert b["near_excellent"] == 0 and a["near_excellent"] == 0
    county_mean = (209 + 164.5) / 7
    assert a["above_mean_rate"] == pytest.approx((209 / 4 - county_mean) / county_mean)
    w = CompositeWeights()
    assert a["composite"] == pytest.approx(100 * (w.score_rate * 209 / 400 + w.pass_rate * 0.5
                                                  + w.excellent_rate * 0.25))


def test_county_summary_matches_plain_pandas(cleaned):
    result = cleaned["2025-spring-g9"]
    full = {"math": 120.0}
    out = summarize(result.scores, None, full).iloc[0]
    math_rows = result.scores[result.scores["subject"] == "math"]
    valid = math_rows.loc[math_rows["status"] == "sat", "score"]
    assert out["n_sat"] == len(valid)
    assert out["mean"] == pytest.approx(valid.mean())
    assert out["pass_rate"] == pytest.approx((valid >= 72).mean())
    assert out["excellent_rate"] == pytest.approx((valid >= 102).mean())
    assert out["low_rate"] == pytest.approx((valid < 48).mean())
    assert math.isnan(out["rank"])


def test_all_absent_group_has_no_rates():
    frame = pd.DataFrame({"school": ["A", "A", "B"], "subject": "math",
                          "score": [np.nan, np.nan, 70], "status": ["absent", "absent", "sat"]})
    a = summarize(frame, "school", {"math": 100}).set_index("school").loc["A"]
    assert (a["n_enrolled"], a["n_sat"], a["participation"]) == (2, 0, 0)
    assert np.isnan(a["mean"]) and np.isnan(a["pass_rate"]) and np.isnan(a["rank"])


def test_ties_share_the_best_rank():
    frame = pd.DataFrame({"school": list("ABC"), "subject": "math", "score": [80, 80, 60],
                          "status": "sat"})
    ranks = summarize(frame, "school", {"math": 100}).set_index("school")["rank"]
    assert ranks.to_dict() == {"A": 1, "B": 1, "C": 3}


def test_small_groups_flagged_and_not_ranked():
    out = summarize(SMALL, "school", {"math": 100}, min_group_size=4).set_index("school")
    assert out.loc["B", "small_group"] and np.isnan(out.loc["B", "rank"])
    assert out.loc["A", "rank"] == 1


def test_custom_thresholds():
    out = summarize(SMALL, None, {"math": 100}, thresholds=Thresholds(pass_line=0.5)).iloc[0]
    assert out["pass_rate"] == pytest.approx(4 / 7)  # 90, 60, 59, 85


def test_input_not_modified():
    before = SMALL.copy()
    summarize(SMALL, "school", {"math": 100})
    pd.testing.assert_frame_equal(SMALL, before)


def test_cv_weighted_by_hand():
    # x = 10 (n=3), 20 (n=1): weighted mean 12.5, variance (3*6.25 + 56.25)/4 = 18.75
    assert cv([10, 20], weights=[3, 1]) == pytest.approx(math.sqrt(18.75) / 12.5)


def test_cv_unweighted_differs():
    assert cv([10, 20]) == pytest.approx(5 / 15)
    assert cv([10, 20]) != pytest.approx(cv([10, 20], weights=[3, 1]))


def test_cv_skips_missing_values():
    assert cv([10, np.nan, 20], weights=[3, 5, 1]) == pytest.approx(cv([10, 20], [3, 1]))


# --- docs/METHODS.md §A extensions ----------------------------------------------------------------------

from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from eduqa.indicators import exam as indicators  # noqa: E402


def test_standardize_against_plain_pandas(cleaned):
    scores = cleaned["2024-spring-g6"].scores
    out = indicators.standardize(scores)
    valid = scores[scores["status"] == "sat"]
    math_scores = valid[valid["subject"] == "math"]["score"]
    z = out.loc[math_scores.index, "z"]
    assert np.allclose(z, (math_scores - math_scores.mean()) / math_scores.std())
    assert np.allclose(out.loc[math_scores.index, "t"], 50 + 10 * z)
    assert out.loc[scores["status"] != "sat", "z"].isna().all()


def test_composite_z_by_hand():
    # two subjects; student c misses physics
    frame = pd.DataFrame({
        "student_key": list("abcab") + ["c"],
        "subject": ["math"] * 3 + ["physics"] * 2 + ["physics"],
        "score": [10, 20, 30, 5, 15, np.nan],
        "status": ["sat"] * 5 + ["absent"]})
    out = indicators.composite_z(frame).set_index("student_key")
    math_z = {"a": -1.0, "b": 0.0, "c": 1.0}  # mean 20, sd 10
    phys_z = {"a": -1 / np.sqrt(2), "b": 1 / np.sqrt(2)}  # mean 10, sd sqrt(50)
    z_mean = pd.Series({"a": (math_z["a"] + phys_z["a"]) / 2,
                        "b": (math_z["b"] + phys_z["b"]) / 2, "c": math_z["c"]})
    assert np.allclose(out["z_mean"], z_mean)
    assert np.allclose(out["z"], (z_mean - z_mean.mean()) / z_mean.std())
    assert out.loc["c", "n_subjects"] == 1


def test_subject_balance_finds_a_planted_weak_subject():
    rng = np.random.default_rng(1)
    rows = []
    for school in range(8):
        for student in range(40):
            for subject in ("chinese", "math", "english"):
                shift = -0.8 if (school == 3 and subject == "math") else 0.0
                rows.append((f"S{school}", f"{school}-{student}", subject,
                             70 + 10 * (rng.normal() + shift)))
    frame = pd.DataFrame(rows, columns=["school_code", "student_key", "subject", "score"])
    frame["status"] = "sat"
    out = indicators.subject_balance(frame, "school_code", margin=0.2)
    weak = out[out["weak"]]
    assert list(zip(weak["school_code"], weak["subject"])) == [("S3", "math")]
    # balance sums to zero within each school, by construction
    assert np.allclose(out.groupby("school_code")["balance"].sum(), 0)


def test_subject_balance_small_groups_never_weak():
    frame = pd.DataFrame({"school_code": ["A"] * 4 + ["B"] * 4,
                          "subject": ["math", "chinese"] * 4,
                          "score": [90, 10, 90, 10, 50, 50, 60, 60], "status": "sat"})
    out = indicators.subject_balance(frame, margin=0.2, min_group_size=5)
    assert out["small_group"].all() and not out["weak"].any()


def test_score_bands_by_hand():
    frame = pd.DataFrame({"subject": "math", "score": [0, 9.9, 10, 55, 99, 100, np.nan],
                          "status": ["sat"] * 6 + ["absent"]})
    out = indicators.score_bands(frame, None, {"math": 100}).set_index("band")
    assert out["n"].to_dict() == {0: 2, 1: 1, 2: 0, 3: 0, 4: 0, 5: 1, 6: 0, 7: 0, 8: 0, 9: 2}
    assert out["share"].sum() == pytest.approx(1)
    assert (out.loc[9, "band_low"], out.loc[9, "band_high"]) == (90, 100)


def test_score_lines_against_plain_pandas(cleaned):
    scores = cleaned["2025-spring-g9"].scores
    out = indicators.score_lines(scores, "school_code", {"total": [480, 600]})
    text = plain_columns(scores)  # (the clean's categoricals as text: the oracle groups text)
    total = text[(text["subject"] == "total") & (text["status"] == "sat")]
    expected = (total["score"] >= 600).groupby(total["school_code"]).sum()
    got = out[out["line"] == 600].set_index("school_code")["n_at_or_above"]
    pd.testing.assert_series_equal(got.sort_index(), expected.sort_index(), check_names=False,
                                   check_dtype=False)


def test_rank_change_and_school_in_one_season_only():
    now = pd.DataFrame({"school_code": ["A", "B", "C"], "subject": "total", "rank": [1, 2, 3]})
    before = pd.DataFrame({"school_code": ["A", "B", "D"], "subject": "total",
                           "rank": [2, 1, 3]})
    out = indicators.rank_change(now, before).set_index("school_code")
    assert out.loc["A", "rank_change"] == 1 and out.loc["B", "rank_change"] == -1
    assert np.isnan(out.loc["C", "rank_change"])  # new school: no previous rank
    assert "D" not in out.index
    assert indicators.rank_change(now, None)["rank_change"].isna().all()


def test_school_missing_a_subject():
    frame = pd.DataFrame({"school_code": ["A", "A", "B"], "subject": ["math", "physics", "math"],
                          "score": [80, 70, 60], "status": "sat"})
    out = summarize(frame, "school_code", {"math": 100, "physics": 100})
    assert set(zip(out["school_code"], out["subject"])) == {("A", "math"), ("A", "physics"),
                                                            ("B", "math")}
    assert out.loc[out["subject"] == "physics", "rank"].tolist() == [1]


def _gap_data(seed=3, n_schools=30, gap=8.0):
    rng = np.random.default_rng(seed)
    rows = []
    for school in range(n_schools):
        kind = "urban" if school % 2 == 0 else "rural"
        effect = rng.normal(0, 3) - (gap if kind == "rural" else 0)
        for _ in range(int(rng.integers(10, 60))):
            rows.append((f"S{school:02d}", kind, min(100, max(0, 70 + effect
                                                              + rng.normal(0, 12)))))
    frame = pd.DataFrame(rows, columns=["school_code", "urban_rural", "score"])
    frame["subject"] = "math"
    frame["status"] = "sat"
    return frame


def test_group_gap_equals_mean_difference_and_statsmodels_cluster():
    import statsmodels.formula.api as smf

    frame = _gap_data()
    out = indicators.group_gap(frame, "urban_rural", {"math": 100}, reference="urban")
    row = out[(out["indicator"] == "mean")].iloc[0]
    means = frame.groupby("urban_rural")["score"].mean()
    assert row["gap"] == pytest.approx(means["urban"] - means["rural"])
    fit = smf.ols("score ~ C(urban_rural, Treatment('urban'))", frame).fit()
    assert row["gap"] == pytest.approx(-fit.params.iloc[1])
    # CR2 / Bell–McCaffrey, from the dense transcription of the formulas
    _, low, high, _ = dense_cr2_gap(frame["score"], frame["urban_rural"], frame["school_code"],
                                    "urban")
    assert (row["ci_low"], row["ci_high"]) == pytest.approx((low, high), rel=1e-9)
    assert row["gap_sd"] == pytest.approx(row["gap"] / frame["score"].std())
    passing = (frame["score"] >= 60).groupby(frame["urban_rural"]).mean()
    pass_row = out[out["indicator"] == "pass_rate"].iloc[0]
    assert pass_row["gap"] == pytest.approx(passing["urban"] - passing["rural"])


def test_group_gap_recovers_a_planted_gap():
    covered = 0
    for seed in range(40):
        row = indicators.group_gap(_gap_data(seed=seed), "urban_rural", {"math": 100},
                                   reference="urban").iloc[0]
        covered += row["ci_low"] <= 8.0 <= row["ci_high"]
    assert 34 <= covered <= 40  # 95% intervals; a naive (unclustered) interval covers far less


def test_group_gap_flags_a_small_category():
    frame = _gap_data()
    counts = frame["urban_rural"].value_counts()
    out = indicators.group_gap(frame, "urban_rural", {"math": 100}, reference="urban",
                               min_group_size=int(counts["rural"]) + 1)
    assert out["small_group"].all()
    assert (out["n_students"] == counts["rural"]).all()
    assert (out["n_reference"] == counts["urban"]).all()
    # the reference group alone being small flags too
    out = indicators.group_gap(frame, "urban_rural", {"math": 100}, reference="urban",
                               min_group_size=int(counts.min()))
    assert out["small_group"].tolist() == [counts["urban"] < counts.min()] * len(out)
    assert not indicators.group_gap(frame, "urban_rural", {"math": 100},
                                    reference="urban")["small_group"].any()


def test_flag_small_any_count_below_minimum():
    frame = pd.DataFrame({"n_before": [50, 5, None, 50], "n_now": [50, 50, 4, 9]})
    out = indicators.flag_small(frame, ["n_before", "n_now"], 10)
    assert out["small_group"].tolist() == [False, True, True, True]
    assert "small_group" not in frame  # the input is not changed


def test_target_attainment_by_hand():
    summary = pd.DataFrame({"school_code": ["A", "B"], "subject": "total", "mean": [80.0, 70.0],
                            "pass_rate": [0.9, 0.5], "excellent_rate": [0.2, 0.1],
                            "rank": [1.0, 2.0]})
    targets = pd.DataFrame({"school_code": ["A", "A", "B", "B", "C"],
                            "subject": "total",
                            "indicator": ["mean", "rank", "pass_rate", "rank", "mean"],
                            "target": [85.0, 1.0, 0.5, 1.0, 60.0]})
    out = indicators.target_attainment(summary, targets).set_index(["school_code", "indicator"])
    assert out.loc[("A", "mean"), "difference"] == -5 and not out.loc[("A", "mean"), "met"]
    assert out.loc[("A", "rank"), "met"] and not out.loc[("B", "rank"), "met"]
    assert out.loc[("B", "pass_rate"), "met"]  # exactly on target counts as met
    assert pd.isna(out.loc[("C", "mean"), "met"])  # no result: unknown, not failed
    # the summary's group sizes come along, so a small school's targets are flagged
    summary["n_sat"] = [120, 6]
    summary["small_group"] = [False, True]
    out = indicators.target_attainment(summary, targets).set_index(["school_code", "indicator"])
    assert out["small_group"].to_dict() == {("A", "mean"): False, ("A", "rank"): False,
                                            ("B", "pass_rate"): True, ("B", "rank"): True,
                                            ("C", "mean"): False}
    assert out.loc[("B", "rank"), "n_sat"] == 6


def test_between_school_cv_uses_student_weights():
    summary = pd.DataFrame({"school_code": list("AB"), "subject": "math", "mean": [10.0, 20.0],
                            "n_sat": [3, 1]})
    out = indicators.between_school_cv(summary).iloc[0]
    assert out["cv"] == pytest.approx(np.sqrt(18.75) / 12.5)
    assert out["cv_unweighted"] == pytest.approx(1 / 3)
    assert out["weight"] == "n_sat"  # no enrolment given: the sitters weight


def test_between_school_cv_is_enrolment_weighted_with_sitters_beside_when_they_differ():
    """Issue 36, point 4, by hand. Math: means 10, 20, 30; enrolment 300, 100, 100 (weights
    .6 .2 .2: mean 16, variance .6·36 + .2·16 + .2·196 = 64, CV 8/16 = 0.5); 100 sat in each
    (equal weights: mean 20, variance 200/3, CV 0.40825 — 18% away, so shown). Chinese:
    enrolment and sitters in the same proportions, the same CV: not shown."""
    summary = pd.DataFrame({
        "school_code": list("ABCABC"), "subject": ["math"] * 3 + ["chinese"] * 3,
        "mean": [10.0, 20.0, 30.0, 50.0, 60.0, 70.0], "n_sat": [100, 100, 100, 60, 20, 20]})
    enrollment = pd.Series({"A": 300, "B": 100, "C": 100})
    out = indicators.between_school_cv(summary, enrollment=enrollment).set_index("subject")
    assert out.loc["math", "cv"] == pytest.approx(0.5)
    assert out.loc["math", "cv_sitters"] == pytest.approx(np.sqrt(200 / 3) / 20)
    assert np.isnan(out.loc["chinese", "cv_sitters"])
    assert (out["weight"] == "enrollment").all()
    # one school's enrolment unknown: the sitters weight every subject, and no second column
    fallback = indicators.between_school_cv(summary, enrollment=enrollment.drop("C"))
    assert (fallback["weight"] == "n_sat").all() and "cv_sitters" not in fallback
    assert fallback.set_index("subject").loc["math", "cv"] == pytest.approx(
        np.sqrt(200 / 3) / 20)
    # the page says which weight, and gives the sitters' figure where it differs
    from eduqa.text import narrative

    total = out.reset_index().assign(subject=lambda f: f["subject"].replace("math", "total"))
    resources = pd.DataFrame(columns=["indicator", "cv", "meets", "limit"])
    text = narrative.cv_overview(total, resources)
    assert "0.500（按实考人数加权为 0.408" in text and "按各校在校生数加权" in text
    assert "按各校实考人数加权" in narrative.cv_overview(
        fallback.assign(subject=lambda f: f["subject"].replace("math", "total")), resources)


# --- properties ---------------------------------------------------------------------------------

statuses = st.sampled_from(["sat", "sat", "sat", "absent", "voided", "exempt", "invalid"])


@st.composite
def score_frames(draw):
    n = draw(st.integers(1, 60))
    status = draw(st.lists(statuses, min_size=n, max_size=n))
    score = draw(st.lists(st.floats(0, 100, allow_nan=False), min_size=n, max_size=n))
    school = draw(st.lists(st.sampled_from(list("ABCD")), min_size=n, max_size=n))
    subject = draw(st.lists(st.sampled_from(["math", "chinese"]), min_size=n, max_size=n))
    return pd.DataFrame({"school": school, "subject": subject, "status": status,
                         "score": [v if s == "sat" else np.nan for v, s in zip(score, status)]})


@settings(max_examples=80, deadline=None)
@given(score_frames(), st.randoms())
def test_summarize_properties(frame, random):
    before = frame.copy()
    out = summarize(frame, "school", {"math": 100, "chinese": 100}, min_group_size=2)
    pd.testing.assert_frame_equal(frame, before)  # input unchanged
    rates = out[["participation", "score_rate", "pass_rate", "good_rate", "excellent_rate",
                 "low_rate"]]
    assert ((rates >= 0) & (rates <= 1) | rates.isna()).all().all()
    assert (out["n_sat"] <= out["n_enrolled"]).all()
    no_valid = out["n_sat"] == 0
    assert ((out["excellent_rate"] <= out["good_rate"]) | no_valid).all()
    assert ((out["good_rate"] <= out["pass_rate"]) | no_valid).all()
    shuffled = frame.sample(frac=1, random_state=random.randint(0, 10**6))
    again = summarize(shuffled, "school", {"math": 100, "chinese": 100}, min_group_size=2)
    pd.testing.assert_frame_equal(out, again, check_exact=False, rtol=1e-9)


@pytest.mark.parametrize("within_school", [False, True])
def test_group_gap_fast_path_and_fallback_equal_statsmodels(within_school):
    import statsmodels.formula.api as smf

    frame = _gap_data(seed=7)
    if within_school:  # a category that varies inside schools: the regression fallback
        frame["urban_rural"] = np.where(np.arange(len(frame)) % 3 == 0, "rural", "urban")
    out = indicators.group_gap(frame, "urban_rural", {"math": 100}, reference="urban")
    for indicator, y in (("mean", frame["score"]),
                         ("low_rate", (frame["score"] < 40).astype(float))):
        fit = smf.ols("y ~ C(g, Treatment('urban'))", pd.DataFrame(
            {"y": y, "g": frame["urban_rural"]})).fit()
        row = out[out["indicator"] == indicator].iloc[0]
        # school-level category: random-effects target; within schools: the row-level CR2
        _, low, high, p = dense_cr2_gap(y, frame["urban_rural"], frame["school_code"], "urban",
                                        target=not within_school)
        assert row["gap"] == pytest.approx(-fit.params.iloc[1], rel=1e-9)
        assert (row["ci_low"], row["ci_high"]) == pytest.approx((low, high), rel=1e-9)
        assert row["p_value"] == pytest.approx(p, rel=1e-6)


def _held_as_a_season_holds_it(scores: pd.DataFrame) -> pd.DataFrame:
    """The frame as Season.load gives it: its text columns categorical, categories in text
    order (the categories include values no row has, as a season's may)."""
    out = scores.copy()
    for column in ("school_code", "class", "subject", "status"):
        values = sorted({*scores[column].dropna(), "zz_unused"})
        out[column] = pd.Categorical(scores[column], categories=values)
    return out


def test_a_season_s_categorical_scores_give_the_text_s_results():
    """Every function that groups the long scores gives, from the categoricals a season holds
    (eduqa.project.season), the same table as from text — plain text keys, same rows, same order.
    Oracle: the same function on the text frame. Shaped unlike the demo: full marks 150, a
    school without any english score, a missing class, absent and exempt students."""
    from eduqa.indicators.exam import composite_z, score_bands, score_lines, subject_balance
    from eduqa.indicators.trends import school_change

    rng = np.random.default_rng(7)
    rows = []
    for student in range(240):
        school = ["s3", "s1", "s2", "s10"][student % 4]
        for subject in ("math", "chinese", "english"):
            if school == "s2" and subject == "english":
                continue
            status = rng.choice(["sat", "sat", "sat", "absent", "exempt"])
            rows.append((f"k{student:03d}", school, None if student % 9 == 0 else f"{student % 3}班",
                         subject, float(rng.integers(0, 151)) if status == "sat" else np.nan,
                         status))
    text = pd.DataFrame(rows, columns=["student_key", "school_code", "class", "subject", "score",
                                       "status"]).astype({c: "str" for c in ("student_key",
                                                         "school_code", "class", "subject",
                                                         "status")})
    held = _held_as_a_season_holds_it(text)
    marks = {"math": 150.0, "chinese": 150.0, "english": 150.0}
    calls = {
        "summarize": lambda f: summarize(f, "school_code", marks),
        "summarize by class": lambda f: summarize(f, ["school_code", "class"], marks),
        "score_bands": lambda f: score_bands(f, "school_code", marks),
        "score_lines": lambda f: score_lines(f, "school_code", {"math": [90, 120]}),
        "subject_balance": lambda f: subject_balance(f, "school_code"),
        "composite_z": lambda f: composite_z(f, keys=("student_key", "school_code")),
        "school_change": lambda f: school_change(f, f.iloc[::-1], "math"),
    }
    for name, call in calls.items():
        got, expected = call(held), call(text)
        assert not any(isinstance(d, pd.CategoricalDtype) for d in got.dtypes), name
        pd.testing.assert_frame_equal(got.reset_index(drop=True),
                                      expected.reset_index(drop=True), obj=name)
