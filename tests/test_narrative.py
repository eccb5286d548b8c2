"""Generated sentences: small groups are never named best or worst, and are read with caution."""

from __future__ import annotations

import numpy as np
import pandas as pd

from eduqa.text import narrative


def _townships(small):
    return pd.DataFrame({"township": ["甲镇", "乙乡", "丙乡", "丁乡"], "subject": "total",
                         "mean": [300.0, 290.0, 250.0, 180.0], "small_group": small})


def test_township_overview_names_only_groups_above_the_minimum():
    text = narrative.township_overview(_townships([False, False, False, False]))
    assert "甲镇" in text and "丁乡" in text
    text = narrative.township_overview(_townships([True, False, False, True]))
    assert "乙乡" in text and "丙乡" in text and "甲镇" not in text and "丁乡" not in text


def _gap(n_students, small):
    return pd.DataFrame({"subject": ["total"], "indicator": ["mean"], "category": ["rural"],
                         "gap": [40.0], "gap_sd": [0.6], "gap_sd_low": [0.3],
                         "gap_sd_high": [0.9], "ci_low": [20.0], "ci_high": [60.0],
                         "n_schools": [8], "n_students": [n_students], "small_group": [small]})


def test_gap_overview_cautions_on_a_small_group():
    assert "人数过少" not in narrative.gap_overview(_gap(400, False))
    text = narrative.gap_overview(_gap(9, True))
    assert "乡村学生只有 9 人" in text and "人数过少" in text
    assert "only 9 rural students" in narrative.gap_overview(_gap(9, True), "en")


def _gelbach(share, low, high, base=-1.0, base_ci=(-1.5, -0.5)):
    explained = pd.Series({"estimate": share * base, "share": share, "share_low": low,
                           "share_high": high})
    return explained, pd.Series({"estimate": base, "ci_low": base_ci[0], "ci_high": base_ci[1]})


def test_staffing_share_says_so_only_when_the_interval_excludes_zero():
    text = narrative.staffing_share(*_gelbach(0.38, 0.12, 0.61))
    assert "约有 38% 与教师缺编和教非所学相关" in text and "12% 至 61%" in text
    text = narrative.staffing_share(*_gelbach(0.58, -0.03, 1.03))
    assert "无法确定" in text and "约有" not in text
    assert "cannot be told" in narrative.staffing_share(*_gelbach(0.1, -0.5, 0.7), "en")


def test_staffing_share_gives_no_share_with_few_rural_schools_or_an_unclear_gap():
    """Issue 11: with 2 rural schools, or a gap whose interval covers 0, no share at all."""
    text = narrative.staffing_share(*_gelbach(0.58, 0.2, 0.9), rural_schools=2)
    assert "乡村学校只有 2 所" in text and "%" not in text
    text = narrative.staffing_share(*_gelbach(0.58, 0.2, 0.9, base_ci=(-1.2, 0.3)))
    assert "不明显" in text and "%" not in text
    text = narrative.staffing_share(*_gelbach(0.58, float("nan"), float("nan")))
    assert "无法确定" in text and "%" not in text


def test_gap_sentences_follow_the_sign_and_the_number_of_schools():
    """Rural schools ahead: 高, never a negative number after 高/低; fewer than 5 rural
    schools: the number of schools and no verdict; an interval covering 0: 不明显."""
    ahead = _gap(400, False).assign(gap=-28.0, gap_sd=-0.38, gap_sd_low=-0.58,
                                    gap_sd_high=-0.19, ci_low=-43.0, ci_high=-14.0)
    text = narrative.gap_overview(ahead)
    assert "乡村学校学生总分平均比城区学校高 28.0 分（0.38 个标准差" in text
    assert "-28" not in text and "不明显" not in text
    assert "above urban" in narrative.gap_overview(ahead, "en")
    few = _gap(400, False).assign(n_schools=2)
    text = narrative.gap_overview(few)
    assert "只依据 2 所乡村学校" in text and "不明显" not in text
    assert "rests on only 2 rural schools" in narrative.gap_overview(few, "en")
    unclear = _gap(400, False).assign(ci_low=-5.0, gap_sd_low=-0.1)
    assert "不明显" in narrative.gap_overview(unclear)
    # 2 rural schools among 6: randomization can never reject, so there is no interval
    unbounded = few.assign(ci_low=float("nan"), ci_high=float("nan"),
                           gap_sd_low=float("nan"), gap_sd_high=float("nan"))
    text = narrative.gap_overview(unbounded)
    assert "无法给出置信区间" in text and "nan" not in text and "inf" not in text
    assert "区间来自" not in text  # no interval, so no word on where it comes from
    assert "too few schools for an interval" in narrative.gap_overview(unbounded, "en")


def test_headline_findings_from_the_main_tables():
    tables = {
        "county_subjects": pd.DataFrame({"subject": ["chinese", "math", "total"],
                                         "score_rate": [0.70, 0.55, 0.60],
                                         "pass_rate": [0.8, 0.5, 0.6]}),
        "gap_means": pd.DataFrame({"subject": ["total"], "category": ["rural"], "gap": [40.0],
                                   "gap_sd": [0.6], "gap_sd_low": [0.3], "gap_sd_high": [0.9],
                                   "ci_low": [20.0], "ci_high": [60.0], "n_schools": [8]}),
        "school_effects": pd.DataFrame({"flag": ["above", "below", "below", "as_expected"]}),
        "school_total": pd.DataFrame({"small_group": [True, False, False]}),
    }
    findings = narrative.headline_findings(tables)
    assert findings[0].startswith("得分率最低的学科是数学")
    assert "乡村学校学生总分平均比城区学校低 40.0 分（0.60 个标准差" in findings[1]
    assert "1 所学校明显高于预期，2 所明显低于预期，其余 1 所" in findings[2]
    assert findings[3].startswith("1 所学校参考人数过少")
    assert narrative.headline_findings({}) == []  # nothing to say without tables


def test_gap_interval_reads_in_the_direction_of_the_sentence():
    ahead = _gap(400, False).assign(gap=-28.0, gap_sd=-0.38, gap_sd_low=-0.58,
                                    gap_sd_high=-0.19, ci_low=-43.0, ci_high=-14.0)
    text = narrative.gap_overview(ahead)
    assert "95% 置信区间为乡村高 0.19 至 0.58 个标准差" in text
    behind = narrative.gap_overview(_gap(400, False))
    assert "比城区学校低 40.0 分" in behind and "95% 置信区间为乡村低 0.30 至 0.90 个标准差" in behind
    assert "0.30 to 0.90 SD lower" in narrative.gap_overview(_gap(400, False), "en")


def test_span_words():
    assert narrative.span(0.24, 0.99) == "高 0.24 至 0.99 个标准差"
    assert narrative.span(-0.99, -0.24) == "低 0.24 至 0.99 个标准差"
    assert narrative.span(-0.20, 0.10) == "低 0.20 至 高 0.10 个标准差"
    assert narrative.span(-0.20, 0.10, "en") == "from 0.20 SD lower to 0.10 SD higher"


def test_gap_sentences_are_right_for_any_sign_and_size():
    """Property: over random gaps and intervals, the direction word follows the sign, no number
    after 高/低 is negative, and an interval covering 0 (with enough schools) says 不明显 and
    claims no direction."""
    import re

    import numpy as np

    rng = np.random.default_rng(12)
    for _ in range(300):
        gap_sd = rng.normal(0, 0.5)
        half = abs(rng.normal(0, 0.4)) + 0.01
        sd = rng.uniform(20, 120)
        row = _gap(400, False).assign(
            gap=gap_sd * sd, gap_sd=gap_sd, gap_sd_low=gap_sd - half, gap_sd_high=gap_sd + half,
            ci_low=(gap_sd - half) * sd, ci_high=(gap_sd + half) * sd,
            n_schools=int(rng.integers(5, 40)))
        for language in ("zh", "en"):
            text = narrative.gap_overview(row, language)
            assert not re.search(r"[高低]\s*-", text) and "--" not in text
            covers = (gap_sd - half) <= 0 <= (gap_sd + half)
            if language == "zh":
                if covers:
                    assert "差异不明显" in text and "比城区学校" not in text
                else:
                    word = "低" if gap_sd > 0 else "高"
                    assert f"乡村学校学生总分平均比城区学校{word} {abs(gap_sd * sd):.1f} 分" in text
                    low, high = sorted([abs(gap_sd - half), abs(gap_sd + half)])
                    assert f"乡村{word} {low:.2f} 至 {high:.2f} 个标准差" in text
            else:
                if covers:
                    assert "do not differ clearly" in text
                else:
                    assert ("below urban" if gap_sd > 0 else "above urban") in text


def test_staffing_share_names_the_direction_of_the_gap():
    behind = narrative.staffing_share(*_gelbach(0.38, 0.12, 0.61))
    assert behind.startswith("乡村学校落后于城区学校的差距中约有 38%")
    ahead = narrative.staffing_share(*_gelbach(0.38, 0.12, 0.61, base=1.0, base_ci=(0.5, 1.5)))
    assert ahead.startswith("乡村学校领先于城区学校的差距中约有 38%")
    # staffing pointing the other way: a widening, in plain words, with a positive figure
    other = narrative.staffing_share(*_gelbach(-0.17, -0.30, -0.05, base=1.0,
                                               base_ci=(0.5, 1.5)))
    assert "方向相反" in other and "扩大约 17%" in other and "5% 至 30%" in other
    assert "-17%" not in other
    assert "widens the gap by about 17%" in narrative.staffing_share(
        *_gelbach(-0.17, -0.30, -0.05, base=1.0, base_ci=(0.5, 1.5)), "en")


def test_rank_progress_and_signed_changes_follow_the_sign():
    table = pd.DataFrame({"school_code": ["a", "b"], "school_name": ["甲校", "乙校"],
                          "rank_change": [-2.0, -5.0]})
    text = narrative.progress_overview(table)
    assert "进步最大" not in text and "退步最大的是乙校（下降 5 名）" in text and "上升" not in text
    flat = table.assign(rank_change=[0.0, 0.0])
    assert narrative.progress_overview(flat) == "与上次相比，各校名次没有变化。"
    assert narrative.common._signed(-0.04, "points", "zh") == "持平"
    assert narrative.common._signed(-2.5, "points", "zh") == "下降 2.5 分"
    assert narrative.common._signed(1.25, "points", "en") == "up 1.3 points"


def test_a_dropped_model_term_says_what_it_coincided_with():
    """Issue 16, point 4: the sentence names what actually coincided — the terms it is a
    combination of, or that every school has the same value — never a made-up example.
    Oracle: designs where the coincidence is planted."""
    from eduqa.attribution import coincidence

    town = np.array([0, 0, 1, 1, 0, 0, 1, 0], float)
    rural = np.array([0, 1, 0, 0, 1, 1, 0, 0], float)
    matrix = pd.DataFrame({"Intercept": 1.0, "town": town, "rural": rural,
                           "shortage_rate": np.linspace(0, 0.3, 8)})
    assert coincidence(matrix.assign(boarding=town + rural), "boarding",
                       ["town", "rural", "shortage_rate"]) == {"combination": ["town", "rural"]}
    assert coincidence(matrix.assign(boarding=0.0), "boarding", ["town", "rural"]) == {
        "constant": 0.0}
    half = coincidence(matrix.assign(mix=0.5 * rural + 2.0), "mix", ["town", "rural"])
    assert half == {"combination": ["rural"]}  # the intercept is not named
    models = pd.DataFrame({"model": ["M0", "M1", "M2", "M3"],
                           "group_var_reduction": [0.0, 0.6, 0.62, 0.87]})
    combined = narrative.models_overview(models, ["boarding"], "zh",
                                         {"boarding": {"combination": ["town", "rural"]}})
    assert "“寄宿制”恰好可由镇区、乡村算出" in combined and "例如" not in combined
    nobody = narrative.models_overview(models, ["boarding"], "zh", {"boarding": {"constant": 0.0}})
    assert "本季所有学校都不是“寄宿制”学校" in nobody and "乡村" not in nobody.split("。")[-2]
    everyone = narrative.models_overview(models, ["boarding"], "en",
                                         {"boarding": {"constant": 1.0}})
    assert "Every school is 'Boarding' this season" in everyone
    english = narrative.models_overview(models, ["boarding"], "en",
                                        {"boarding": {"combination": ["town", "rural"]}})
    assert "an exact combination of Town and Rural" in english
    assert "例如" not in narrative.models_overview(models, ["boarding"], "zh")  # no detail
    assert narrative.models_overview(models, [], "en").endswith("87%.")
