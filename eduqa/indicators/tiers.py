"""梯次评价 — tiered evaluation (docs/METHODS.md §A): schools are judged only against the
schools of their own tier (城乡, school type, size, last season's baseline …), with the
uncertainty of each school's figure carried into its rank and into any award.

Three steps, each a plain function:

- :func:`assign_tiers` puts every school in a tier from the roster (and, for ``baseline``,
  the comparison season's composite index);
- :func:`composite_spread` gives each school's composite index 综合指数 of the total with
  its standard error: the composite is 100 × the mean over pupils of one number per pupil,
  so its error is that number's SD over √n;
- :func:`tier_table` ranks the schools within each tier with a rank interval, compares each
  with its tier's middle (质量奖: clearly above it), and, given the schools' value added,
  compares their progress with the tier's (进步奖).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd
from scipy import stats

from eduqa.catalog import say
from eduqa.compute import engine as compute
from eduqa.config.settings import CompositeWeights, Thresholds, TierRules
from eduqa.indicators.tallies import below, reaches

__all__ = ["TIER_VERDICTS", "TIER_COLUMNS", "assign_tiers", "composite_spread", "tier_table"]

#: A school's verdict against its tier's middle, from a 95% interval: clearly above, clearly
#: below, or not clearly different; ``alone`` when its tier has no other school to compare
#: with, ``small`` when it has too few pupils to judge.
TIER_VERDICTS = ("tier_above", "tier_below", "tier_level")

#: The columns of :func:`tier_table`.
TIER_COLUMNS = ["school_code", "tier", "tier_schools", "n_sat", "composite", "composite_se",
                "tier_rank", "rank_low", "rank_high", "tier_composite", "composite_diff",
                "diff_low", "diff_high", "quality", "va_diff", "va_low", "va_high", "progress",
                "small_group"]

_PLACES = ("urban", "town", "rural")


def assign_tiers(schools: pd.DataFrame, rules: TierRules, *, language: str = "zh",
                 baseline: pd.DataFrame | None = None) -> pd.DataFrame:
    """Each school's tier.

    Parameters
    ----------
    schools : DataFrame
        The roster: ``school_code`` and the columns ``rules.by`` names (``urban_rural``,
        ``school_type``, ``boarding``; ``enrollment`` for ``size``).
    rules : TierRules
        ``by`` (empty: every school in one tier), ``size_bands``, ``baseline_groups``.
    language : str
        Of the tier labels.
    baseline : DataFrame, optional
        ``school_code`` and ``composite`` of the total in the comparison season, for
        ``baseline``: schools are split into ``baseline_groups`` groups of (nearly) equal
        number by it, highest first (ties broken by school code). A school without a baseline
        is in a group of its own.

    Returns
    -------
    DataFrame
        ``school_code``, ``tier`` (its label, e.g. 城区·初中), ``tier_order`` (tiers sorted
        城区 before 镇区 before 乡村, then by label), one row per school.
    """
    zh = language != "en"
    out = pd.DataFrame({"school_code": schools["school_code"].to_numpy()})
    parts: list[pd.Series] = []
    orders: list[pd.Series] = []
    for key in rules.by:
        if key == "urban_rural":
            values = schools["urban_rural"].to_numpy()
            parts.append(pd.Series([say(f"indicators.tiers.place.{v}", zh)
                                    if v in _PLACES else say("indicators.tiers.unknown", zh)
                                    for v in values]))
            orders.append(pd.Series([_PLACES.index(v) if v in _PLACES else len(_PLACES)
                                     for v in values]))
        elif key == "school_type":
            values = schools[key] if key in schools else pd.Series([None] * len(schools))
            parts.append(pd.Series([_school_type(v, zh) for v in values]))
            orders.append(pd.Series([0] * len(values)))
        elif key == "boarding":  # (the roster's 是/否, read as true/false)
            values = (schools[key].to_numpy() if key in schools
                      else np.zeros(len(schools), bool))
            parts.append(pd.Series([say("indicators.tiers.boarding" if v is True or v == 1
                                        else "indicators.tiers.day", zh) for v in values]))
            orders.append(pd.Series([0 if v is True or v == 1 else 1 for v in values]))
        elif key == "size":
            band, order = _size_bands(schools, rules.size_bands, zh)
            parts.append(band)
            orders.append(order)
        elif key == "baseline":
            group, order = _baseline_groups(schools, baseline, rules.baseline_groups, zh)
            parts.append(group)
            orders.append(order)
    if not parts:
        out["tier"] = say("indicators.tiers.all", zh)
        out["tier_order"] = 0
        return out
    out["tier"] = ["·".join(labels) for labels in zip(*(p.tolist() for p in parts))]
    # tiers in order: each key's own order (places, size bands, baseline groups), then label
    keyed = pd.DataFrame({f"k{i}": o.to_numpy() for i, o in enumerate(orders)})
    keyed["tier"] = out["tier"]
    first = keyed.drop_duplicates("tier").sort_values([*keyed.columns[:-1], "tier"])
    out["tier_order"] = out["tier"].map({t: i for i, t in enumerate(first["tier"])})
    return out


def _school_type(value: object, zh: bool) -> str:
    """A roster's school type in the report's language: the national types by name (小学 →
    Primary), any other as written; 未填 when missing."""
    if not isinstance(value, str) or not value.strip():
        return say("indicators.tiers.unknown", zh)
    text = value.strip()
    key = next((k for k in _TYPES if say(f"indicators.tiers.type.{k}", True) == text), None)
    return say(f"indicators.tiers.type.{key}", zh) if key else text


_TYPES = ("primary", "junior", "nine_year", "complete", "senior", "teaching_point")


def _size_bands(schools: pd.DataFrame, cuts: Sequence[int], zh: bool
                ) -> tuple[pd.Series, pd.Series]:
    enrollment = (pd.to_numeric(schools["enrollment"], errors="coerce")
                  if "enrollment" in schools else pd.Series(np.nan, index=schools.index))
    values = enrollment.to_numpy(float)
    band = np.searchsorted(np.asarray(cuts, float), values, side="right")
    labels = ([say("indicators.tiers.size_first", zh, upper=cuts[0])]
              + [say("indicators.tiers.size_middle", zh, lower=a, upper=b - 1)
                 for a, b in zip(cuts, cuts[1:])]
              + [say("indicators.tiers.size_last", zh, lower=cuts[-1])])
    known = np.isfinite(values)
    text = [labels[b] if k else say("indicators.tiers.size_unknown", zh)
            for b, k in zip(band, known)]
    return pd.Series(text), pd.Series(np.where(known, band, len(labels)))


def _baseline_groups(schools: pd.DataFrame, baseline: pd.DataFrame | None, groups: int,
                     zh: bool) -> tuple[pd.Series, pd.Series]:
    codes = schools["school_code"].astype(str).to_numpy()
    known = pd.DataFrame({"school_code": pd.Series(dtype=str), "composite": pd.Series(dtype=float)})
    if baseline is not None and len(baseline):
        known = baseline[["school_code", "composite"]].astype({"school_code": str})
        known = known[np.isfinite(known["composite"].to_numpy(float))]
        known = known[known["school_code"].isin(codes)].drop_duplicates("school_code")
    ordered = known.sort_values(["composite", "school_code"], ascending=[False, True],
                                kind="mergesort")
    n = len(ordered)
    group = {code: int(i * groups // n) + 1 for i, code in enumerate(ordered["school_code"])}
    number = [group.get(code, 0) for code in codes]
    text = [say("indicators.tiers.baseline_group", zh, group=g, groups=groups) if g
            else say("indicators.tiers.no_baseline", zh) for g in number]
    return pd.Series(text), pd.Series([g if g else groups + 1 for g in number])


def composite_spread(scores, full_marks: Mapping[str, float], *,
                     thresholds: Thresholds | None = None,
                     weights: CompositeWeights | None = None, by: str = "school_code",
                     subject: str = "total") -> pd.DataFrame:
    """The composite index 综合指数 of ``subject`` per group, with its standard error.

    The composite 100 (w_m 得分率 + w_p 及格率 + w_e 优秀率 − w_l 低分率) is 100 × the mean over
    a group's valid scores of the pupil's own c = w_m x/F + w_p [x ≥ pass] + w_e [x ≥ excellent]
    − w_l [x < low]; its standard error is 100 × sd(c)/√n (ddof 1), as for any mean. Works on
    a pandas or Dask frame of long scores (``subject``, ``score``, ``status``, ``by``).

    Returns ``by``, ``n``, ``composite`` (equal to :func:`eduqa.indicators.summarize`'s),
    ``composite_se`` (NaN for one pupil).
    """
    t = thresholds or Thresholds()
    w = weights or CompositeWeights()
    marks = float(full_marks[subject])
    rows = scores[(scores["subject"] == subject) & (scores["status"] == "sat")
                  & ~scores["score"].isna()]
    x = rows["score"].astype(float)
    c = (w.score_rate * x / marks + w.pass_rate * reaches(x, t.pass_line, marks).astype(float)
         + w.excellent_rate * reaches(x, t.excellent, marks).astype(float)
         - w.low_rate * below(x, t.low, marks).astype(float))
    parts = rows[[by]].assign(n=1.0, s=c, ss=c * c)
    sums = parts.groupby(by)[["n", "s", "ss"]].sum()
    if compute.is_dask(sums):
        sums = sums.compute()
    sums = sums.reset_index().sort_values(by, kind="mergesort")
    n = sums["n"].to_numpy(float)
    mean = sums["s"].to_numpy(float) / n
    with np.errstate(invalid="ignore", divide="ignore"):
        var = np.maximum(sums["ss"].to_numpy(float) - n * mean ** 2, 0.0) / (n - 1)
        se = np.where(n > 1, np.sqrt(var / n), np.nan)
    return pd.DataFrame({by: sums[by].to_numpy(), "n": n.astype(int), "composite": 100 * mean,
                         "composite_se": 100 * se})


def _verdict(low: np.ndarray, high: np.ndarray) -> np.ndarray:
    return np.where(low > 0, "tier_above", np.where(high < 0, "tier_below", "tier_level"))


def _against_middle(values: np.ndarray, se: np.ndarray, weight: np.ndarray, z: float
                    ) -> tuple[np.ndarray, np.ndarray, np.ndarray, float]:
    """Each unit's difference from the weighted mean of all (itself included), its interval,
    and that mean: d_s = (1 − w_s) v_s − Σ_{j≠s} w_j v_j, var d_s = (1 − w_s)² se_s² +
    Σ_{j≠s} w_j² se_j² (independent estimates; weights normalised to 1)."""
    w = weight / weight.sum()
    middle = float(w @ values)
    diff = values - middle
    total = float((w ** 2 * se ** 2).sum())
    var = (1 - w) ** 2 * se ** 2 + total - w ** 2 * se ** 2
    half = z * np.sqrt(np.maximum(var, 0.0))
    return diff, diff - half, diff + half, middle


def _rank_interval(values: np.ndarray, se: np.ndarray, z: float
                   ) -> tuple[np.ndarray, np.ndarray]:
    """Each unit's rank interval among all: 1 + the number clearly above it, to the number
    not clearly below it (pairwise 95% comparisons, independent estimates)."""
    diff = values[None, :] - values[:, None]          # [s, j] = v_j − v_s
    scale = np.sqrt(se[None, :] ** 2 + se[:, None] ** 2)
    with np.errstate(invalid="ignore", divide="ignore"):
        ratio = np.where(scale > 0, diff / scale, np.sign(diff) * np.inf)
    better = (ratio > z).sum(axis=1)
    worse = (ratio < -z).sum(axis=1)
    return 1 + better, len(values) - worse


def tier_table(spread: pd.DataFrame, tiers: pd.DataFrame, *, min_group_size: int,
               value_added: pd.DataFrame | None = None, level: float = 0.95) -> pd.DataFrame:
    """Schools within their tiers: rank, rank interval, the composite against the tier's
    middle (质量奖 where clearly above), and progress against the tier's (进步奖).

    Parameters
    ----------
    spread : DataFrame
        :func:`composite_spread` per school (``school_code``, ``n``, ``composite``,
        ``composite_se``).
    tiers : DataFrame
        :func:`assign_tiers`.
    min_group_size : int
        Schools with fewer pupils are listed, flagged ``small_group`` and neither ranked nor
        judged, and their pupils are left out of the tier's middle (else a small school's
        figure could be worked back from the middle and the others').
    value_added : DataFrame, optional
        ``school_code``, ``effect``, ``se`` (empirical-Bayes value added, e.g.
        :func:`eduqa.attribution.value_added`) and ``small_group``: the progress columns;
        without it they are NaN and ``progress`` is empty.
    level : float
        Of the intervals (0.95).

    Returns
    -------
    DataFrame
        One row per school with a composite (:data:`TIER_COLUMNS`), sorted by tier and rank:

        - ``tier_rank`` 梯次内名次 (1 = best, ties share the best), ``rank_low``–``rank_high``
          its interval: 1 + the schools of the tier clearly above it, to the tier's ranked
          schools less those clearly below it (pairwise 95% comparisons). Two schools whose
          intervals overlap are not in a known order.
        - ``tier_composite`` the tier's composite over the pupils of its judged schools (its
          middle),
          ``composite_diff`` the school's composite less it, ``diff_low``/``diff_high`` the
          interval of that difference (the school's own pupils are part of the middle:
          Var = (1 − w)² se² + Σ_others w_j² se_j², w = pupil shares).
        - ``quality``: ``tier_above``/``tier_below`` when that interval is clear of 0, else
          ``tier_level``; ``alone`` for a tier with no other ranked school, ``small`` for a
          small school.
        - ``va_diff`` the school's value added less the mean of its tier's (unweighted:
          every school one vote), with ``va_low``/``va_high``, and ``progress`` judged the
          same way; ``alone`` when the tier has no other school with a value added.
    """
    z = float(stats.norm.ppf(0.5 + level / 2))
    frame = tiers.merge(spread.rename(columns={"n": "n_sat"}), on="school_code", how="inner")
    frame["small_group"] = frame["n_sat"] < min_group_size
    va = None
    if value_added is not None and len(value_added):
        va = value_added[["school_code", "effect", "se"]].copy()
        small = (value_added["small_group"].to_numpy(bool) if "small_group" in value_added
                 else np.zeros(len(value_added), bool))
        va = va[~small & np.isfinite(va["effect"].to_numpy(float))
                & np.isfinite(va["se"].to_numpy(float))]
        frame = frame.merge(va, on="school_code", how="left")
    else:
        frame["effect"] = np.nan
        frame["se"] = np.nan
    blocks = []
    for _, block in frame.groupby("tier_order", sort=True):
        blocks.append(_one_tier(block.copy(), z, has_va=va is not None))
    if not blocks:
        return pd.DataFrame(columns=TIER_COLUMNS)
    out = pd.concat(blocks, ignore_index=True)
    out = out.sort_values(["tier_order", "tier_rank", "school_code"], na_position="last",
                          kind="mergesort")
    return out[TIER_COLUMNS].reset_index(drop=True)


def _one_tier(block: pd.DataFrame, z: float, *, has_va: bool) -> pd.DataFrame:
    block["tier_schools"] = len(block)
    n = block["n_sat"].to_numpy(float)
    value = block["composite"].to_numpy(float)
    se = np.nan_to_num(block["composite_se"].to_numpy(float), nan=0.0)
    ranked = ~block["small_group"].to_numpy(bool)
    # the middle is the judged schools' (a small school's figure could be backed out of it)
    block["tier_composite"] = (float((n * value)[ranked].sum() / n[ranked].sum())
                               if ranked.any() else np.nan)
    for column in ("tier_rank", "rank_low", "rank_high", "composite_diff", "diff_low",
                   "diff_high", "va_diff", "va_low", "va_high"):
        block[column] = np.nan
    block["quality"] = np.where(block["small_group"], "small", "alone")
    block["progress"] = "" if not has_va else np.where(block["small_group"], "small", "alone")
    if ranked.sum() >= 2:
        idx = np.flatnonzero(ranked)
        diff, low, high, _ = _against_middle(value[idx], se[idx], n[idx], z)
        block.iloc[idx, block.columns.get_loc("composite_diff")] = diff
        block.iloc[idx, block.columns.get_loc("diff_low")] = low
        block.iloc[idx, block.columns.get_loc("diff_high")] = high
        block.iloc[idx, block.columns.get_loc("quality")] = _verdict(low, high)
        rank = pd.Series(value[idx]).rank(ascending=False, method="min").to_numpy()
        lo, hi = _rank_interval(value[idx], se[idx], z)
        block.iloc[idx, block.columns.get_loc("tier_rank")] = rank
        block.iloc[idx, block.columns.get_loc("rank_low")] = lo
        block.iloc[idx, block.columns.get_loc("rank_high")] = hi
    if has_va:
        effect = block["effect"].to_numpy(float)
        with_va = ranked & np.isfinite(effect)
        if with_va.sum() >= 2:
            idx = np.flatnonzero(with_va)
            diff, low, high, _ = _against_middle(effect[idx], block["se"].to_numpy(float)[idx],
                                                 np.ones(len(idx)), z)
            block.iloc[idx, block.columns.get_loc("va_diff")] = diff
            block.iloc[idx, block.columns.get_loc("va_low")] = low
            block.iloc[idx, block.columns.get_loc("va_high")] = high
            block.iloc[idx, block.columns.get_loc("progress")] = _verdict(low, high)
        missing = ranked & ~np.isfinite(effect)
        block.loc[missing, "progress"] = ""
    return block
