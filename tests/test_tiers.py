"""梯次评价 (eduqa.indicators.tiers): tiers from the roster, the composite's standard error,
ranks with intervals and verdicts against the tier's middle — against hand calculations, plain
pandas and effects planted in simulated schools."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from eduqa.config.settings import CompositeWeights, Thresholds, TierRules
from eduqa.indicators import summarize, tiers


def _roster(**columns) -> pd.DataFrame:
    n = len(next(iter(columns.values())))
    return pd.DataFrame({"school_code": [f"S{i:02d}" for i in range(n)], **columns})


def _scores(rng, means, sizes, full=100.0) -> pd.DataFrame:
    rows = []
    for i, (mean, n) in enumerate(zip(means, sizes)):
        x = np.clip(rng.normal(mean, 15, n).round(), 0, full)
        rows.append(pd.DataFrame({"school_code": f"S{i:02d}", "subject": "total", "score": x,
                                  "status": "sat"}))
    return pd.concat(rows, ignore_index=True)


def test_tiers_by_place_and_type_are_labelled_and_ordered_urban_first():
    roster = _roster(urban_rural=["rural", "urban", "town", "urban", None],
                     school_type=["小学", "初中", "初中", "小学", "小学"])
    out = tiers.assign_tiers(roster, TierRules(by=("urban_rural", "school_type")))
    assert out["tier"].tolist() == ["乡村·小学", "城区·初中", "镇区·初中", "城区·小学",
                                    "未填·小学"]
    order = out.sort_values("tier_order")["tier"].tolist()
    assert order[:2] == ["城区·初中", "城区·小学"] and order[-1] == "未填·小学"
    english = tiers.assign_tiers(roster, TierRules(by=("urban_rural",)), language="en")
    assert english["tier"].tolist() == ["Rural", "Urban", "Town", "Urban", "not given"]


def test_boarding_and_size_make_tiers_with_the_places():
    roster = _roster(urban_rural=["rural", "rural", "urban"], boarding=[True, False, False],
                     enrollment=[120, 120, 2000])
    out = tiers.assign_tiers(roster, TierRules(by=("urban_rural", "boarding", "size")))
    assert out["tier"].tolist() == ["乡村·寄宿制·300 人以下", "乡村·走读·300 人以下",
                                    "城区·走读·1000 人及以上"]


def test_no_tier_key_puts_every_school_in_one_tier():
    out = tiers.assign_tiers(_roster(urban_rural=["urban", "rural"]), TierRules())
    assert out["tier"].nunique() == 1 and out["tier_order"].eq(0).all()


def test_size_bands_take_the_cut_point_into_the_upper_band():
    roster = _roster(enrollment=[299, 300, 999, 1000, None])
    out = tiers.assign_tiers(roster, TierRules(by=("size",), size_bands=(300, 1000)))
    assert out["tier"].tolist() == ["300 人以下", "300–999 人", "300–999 人", "1000 人及以上",
                                    "规模未填"]
    assert out["tier_order"].tolist() == [0, 1, 1, 2, 3]


def test_baseline_groups_split_schools_evenly_highest_first():
    roster = _roster(urban_rural=["urban"] * 7)
    baseline = pd.DataFrame({"school_code": [f"S{i:02d}" for i in range(6)],
                             "composite": [60, 50, 40, 30, 20, 10]})
    out = tiers.assign_tiers(roster, TierRules(by=("baseline",), baseline_groups=3),
                             baseline=baseline)
    groups = out.set_index("school_code")["tier"]
    assert groups["S00"] == groups["S01"] == "基线第 1 组（共 3 组）"
    assert groups["S04"] == groups["S05"] == "基线第 3 组（共 3 组）"
    assert groups["S06"] == "无基线"  # not in last season: a group of its own, ranked last
    assert out.set_index("school_code")["tier_order"]["S06"] == out["tier_order"].max() == 3


def test_the_composite_and_its_standard_error_match_plain_pandas():
    rng = np.random.default_rng(3)
    scores = _scores(rng, [70, 55, 62], [40, 25, 1])
    t, w = Thresholds(), CompositeWeights(0.4, 0.3, 0.2, 0.1)
    out = tiers.composite_spread(scores, {"total": 100}, thresholds=t, weights=w)
    # the oracle: one number per pupil, its mean and standard error of the mean, by hand
    x = scores["score"]
    c = 0.4 * x / 100 + 0.3 * (x >= 60) + 0.2 * (x >= 85) - 0.1 * (x < 40)
    hand = c.groupby(scores["school_code"]).agg(["mean", "sem", "size"])
    assert np.allclose(out["composite"], 100 * hand["mean"])
    assert np.allclose(out["composite_se"][:2], 100 * hand["sem"][:2])
    assert np.isnan(out["composite_se"][2])  # one pupil: no error to speak of
    # and the composite is the indicator table's
    table = summarize(scores, "school_code", {"total": 100}, thresholds=t, weights=w)
    assert np.allclose(out["composite"], table["composite"])


def test_the_difference_from_the_middle_by_hand():
    # two schools of equal weight: d1 = (v1 − v2)/2, Var = (se1² + se2²)/4
    diff, low, high, middle = tiers._against_middle(np.array([10.0, 6.0]), np.array([1.0, 2.0]),
                                                    np.array([1.0, 1.0]), 1.96)
    assert middle == 8 and diff.tolist() == [2.0, -2.0]
    assert high[0] - diff[0] == pytest.approx(1.96 * np.sqrt((1 + 4) / 4))
    # weights 3:1 — d1 = v1 − (3 v1 + v2)/4 = (v1 − v2)/4, Var = se1²/16 + se2²/16
    diff, low, high, middle = tiers._against_middle(np.array([10.0, 6.0]), np.array([1.0, 2.0]),
                                                    np.array([3.0, 1.0]), 1.0)
    assert middle == 9 and diff[0] == 1 and high[0] - diff[0] == pytest.approx(np.sqrt(5) / 4)


def test_a_rank_interval_holds_the_schools_not_clearly_apart():
    low, high = tiers._rank_interval(np.array([10.0, 9.9, 5.0]), np.array([0.1, 0.1, 0.1]), 1.96)
    assert low.tolist() == [1, 1, 3] and high.tolist() == [2, 2, 3]


def test_small_schools_and_lone_tiers_get_no_rank_and_no_verdict():
    rng = np.random.default_rng(1)
    scores = _scores(rng, [60, 60, 60, 60], [50, 50, 4, 50])
    spread = tiers.composite_spread(scores, {"total": 100})
    roster = _roster(urban_rural=["urban", "urban", "urban", "rural"])
    table = tiers.tier_table(spread, tiers.assign_tiers(roster, TierRules(by=("urban_rural",))),
                             min_group_size=10).set_index("school_code")
    assert table.loc["S02", "quality"] == "small" and np.isnan(table.loc["S02", "tier_rank"])
    assert table.loc["S03", "quality"] == "alone" and np.isnan(table.loc["S03", "rank_low"])
    # the small school's pupils are not in its tier's middle (they could be worked back out)
    urban = spread[spread["school_code"].isin(["S00", "S01"])]
    middle = (urban["n"] * urban["composite"]).sum() / urban["n"].sum()
    assert table.loc["S00", "tier_composite"] == pytest.approx(middle)
    assert table.loc["S00", "tier_schools"] == 3
    assert set(table["progress"]) == {""}  # no value added given: no progress verdict


def test_a_planted_lead_is_found_and_equal_schools_are_rarely_flagged():
    rng = np.random.default_rng(7)
    roster = _roster(urban_rural=["urban"] * 8)
    assigned = tiers.assign_tiers(roster, TierRules(by=("urban_rural",)))
    planted = tiers.tier_table(
        tiers.composite_spread(_scores(rng, [75] + [60] * 7, [80] * 8), {"total": 100}),
        assigned, min_group_size=10)
    assert planted.iloc[0]["school_code"] == "S00" and planted.iloc[0]["quality"] == "tier_above"
    assert planted.iloc[0]["rank_low"] == 1 and planted.iloc[0]["rank_high"] == 1
    # no school differs: about 5% of verdicts are flags, and every rank interval is wide
    flags = []
    for _ in range(150):
        null = tiers.tier_table(tiers.composite_spread(_scores(rng, [60] * 8, [80] * 8),
                                                       {"total": 100}),
                                assigned, min_group_size=10)
        flags.append((null["quality"] != "tier_level").mean())
    assert 0.025 < np.mean(flags) < 0.08


def test_progress_is_value_added_against_the_tiers_own_mean():
    rng = np.random.default_rng(2)
    scores = _scores(rng, [60] * 6, [60] * 6)
    roster = _roster(urban_rural=["urban"] * 3 + ["rural"] * 3)
    va = pd.DataFrame({"school_code": [f"S{i:02d}" for i in range(6)],
                       "effect": [0.5, 0.4, 0.0, -0.5, -0.5, -0.2], "se": [0.05] * 6,
                       "small_group": [False] * 5 + [True]})
    table = tiers.tier_table(tiers.composite_spread(scores, {"total": 100}),
                             tiers.assign_tiers(roster, TierRules(by=("urban_rural",))),
                             min_group_size=10, value_added=va).set_index("school_code")
    # urban: mean 0.3; S02 is 0.3 below it, though at the county's 0
    assert table.loc["S02", "va_diff"] == pytest.approx(-0.3)
    assert table.loc["S02", "progress"] == "tier_below"
    assert table.loc["S00", "progress"] == "tier_above"
    half = 1.959964 * np.sqrt((2 / 3) ** 2 * 0.05 ** 2 + 2 * 0.05 ** 2 / 9)
    assert table.loc["S00", "va_high"] - table.loc["S00", "va_diff"] == pytest.approx(half, 1e-5)
    # rural: S05's value added is from too few pupils; S03 and S04 are level with each other
    assert table.loc["S05", "progress"] == ""
    assert table.loc["S03", "progress"] == table.loc["S04", "progress"] == "tier_level"


def _judged(quality, progress, tier=None, names=None):
    n = len(quality)
    return pd.DataFrame({
        "school_code": [f"S{i:02d}" for i in range(n)],
        "school_name": names or [f"第{i}校" for i in range(n)],
        "tier": tier or ["城区"] * n, "composite": np.arange(n, 0, -1, dtype=float),
        "va_diff": np.linspace(0.3, -0.3, n), "quality": quality, "progress": progress,
        "tier_rank": np.where(np.isin(quality, list(tiers.TIER_VERDICTS)), 1.0, np.nan),
        "rank_low": 1.0, "rank_high": [2.0] + [1.0] * (n - 1)})


def test_the_tier_sentences_follow_the_verdicts_in_both_languages():
    from eduqa.text import narrative

    awards = _judged(["tier_above", "tier_level", "tier_below"], ["tier_level", "tier_above", ""])
    text = narrative.tiers_overview(awards, ("urban_rural", "school_type"), "zh", value_added=True)
    assert "按城乡、学校类型把 3 所学校分为 1 个梯次" in text
    assert "质量奖（综合指数的 95% 区间整体高于本梯次整体水平）：第0校。" in text
    assert "进步奖（增值的 95% 区间整体高于本梯次平均）：第1校。" in text
    assert "3 所排名学校中有 1 所的名次区间不止一个名次" in text
    english = narrative.tiers_overview(awards, ("urban_rural", "school_type"), "en",
                                       value_added=True)
    assert "tiered by urban–rural type and school type (1 tier(s) in all)" in english
    assert "Quality award" in english and "1 tiers" not in english
    # nothing clearly above, and no value added: said so, never an empty list
    level = _judged(["tier_level", "tier_level"], ["", ""])
    text = narrative.tiers_overview(level, (), "zh", value_added=False)
    assert "未设置梯次" in text and "不评质量奖" in text and "不评进步奖" in text
    assert "：。" not in text and "nan" not in text
    # a tier whose only school cannot be judged: no rank, no award, said by name
    lone = _judged(["tier_level", "tier_level", "alone"], ["", "", ""],
                   tier=["城区", "城区", "乡村·教学点"])
    assert "乡村·教学点没有两所以上可以评价的学校" in narrative.tiers_overview(
        lone, ("urban_rural",), "zh")


def test_the_landing_finding_lists_the_awards_or_is_silent():
    from eduqa.text.narrative import findings

    awards = _judged(["tier_above", "tier_level", "tier_above"], ["", "", ""])
    found = findings({"tier_table": awards}, ["tiers"], "zh")["tiers"]
    assert found.startswith("梯次评价：综合指数明显高于本梯次整体的有 2 所学校（第0校、第2校）")
    assert "增值" not in found  # no progress judged: not mentioned
    alone = _judged(["alone", "small"], ["", ""])
    assert findings({"tier_table": alone}, ["tiers"], "zh")["tiers"] is None
    assert findings({}, ["tiers"], "zh")["tiers"] is None


def test_the_composite_spread_is_the_same_on_the_dask_engine():
    import dask.dataframe as dd

    rng = np.random.default_rng(5)
    scores = _scores(rng, [70, 55, 62], [40, 25, 30])
    scores.loc[3, "score"] = np.nan
    here = tiers.composite_spread(scores, {"total": 100})
    there = tiers.composite_spread(dd.from_pandas(scores, npartitions=3), {"total": 100})
    pd.testing.assert_frame_equal(here, there)
