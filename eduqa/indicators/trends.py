"""Seasons over time (动态跟踪): county and school trends for the same grade, changes beyond
chance, cohort value added. DataFrame in, DataFrame out."""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from eduqa import rules
from eduqa.compute.frames import plain
from eduqa.indicators.exam import summarize
from eduqa.indicators.privacy import suppress, suppressed_rows

__all__ = ["county_trend", "school_change", "chance_flags", "rank_history", "target_history"]


def county_trend(summaries: Mapping[str, pd.DataFrame], subject: str = "total") -> pd.DataFrame:
    """County indicators of one subject across seasons.

    ``summaries`` maps a season's display name (oldest first) to its county
    :func:`~eduqa.indicators.summarize` table. Returns ``season`` and n_sat, mean, score_rate,
    pass_rate, excellent_rate, low_rate per season.
    """
    rows = []
    for name, table in summaries.items():
        row = table[table["subject"] == subject]
        if len(row):
            rows.append({"season": name, **row.iloc[0][["n_sat", "mean", "score_rate",
                                                        "pass_rate", "excellent_rate",
                                                        "low_rate"]].to_dict()})
    return pd.DataFrame(rows, columns=["season", "n_sat", "mean", "score_rate", "pass_rate",
                                       "excellent_rate", "low_rate"])


def _school_z(scores: pd.DataFrame, subject: str) -> pd.DataFrame:
    """Per school: ``n`` valid scores of ``subject``, ``mean_z`` and ``var_z`` of their z
    (standardised on the season's county mean and sd): (school mean − county mean) / sd and
    (school sd / county sd)², from two summaries (alike on a Dask DataFrame)."""
    rows = scores[scores["subject"] == subject]  # (a subject's z needs only its own rows)
    marks = {subject: 1.0}  # (only means and sds are read)
    county = summarize(rows, None, marks)
    schools = summarize(rows, "school_code", marks)
    spread = float(county["sd"].iloc[0]) if len(county) else float("nan")
    keep = (schools["n_sat"] > 0) & (spread > 0)
    schools = schools[keep]
    centre = float(county["mean"].iloc[0]) if len(county) else float("nan")
    stats = pd.DataFrame({"n": schools["n_sat"].to_numpy(np.int64),
                          "mean_z": ((schools["mean"] - centre) / spread).to_numpy(float),
                          "var_z": ((schools["sd"] / spread) ** 2).to_numpy(float)},
                         index=pd.Index(plain(schools["school_code"]), name="school_code"))
    return stats


def school_change(now: pd.DataFrame, before: pd.DataFrame | None,
                  subject: str = "total", *, min_group_size: int = 0) -> pd.DataFrame:
    """Change in each school's mean standardised score between two seasons of the same grade.

    Scores are standardised within each season, so the change is a change of the school's
    position in the county (the papers differ from year to year).

    Parameters
    ----------
    now, before : DataFrame
        Long scores of the two seasons (``before`` None: an empty table).
    subject : str
    min_group_size : int
        A school with fewer students than this in either season gets no verdict
        (``flag`` = ``small``): its interval is shown but too wide to read.

    Returns
    -------
    DataFrame
        ``school_code``, ``n_before``, ``mean_z_before``, ``n_now``, ``mean_z_now``,
        ``change`` (SD units), ``se`` = sqrt(var_now/n_now + var_before/n_before), ``df``
        (Welch–Satterthwaite), ``ci_low``, ``ci_high`` (95%, t with ``df``) and ``flag``:
        ``improved`` / ``fell_back`` when the interval excludes 0, ``no_clear_change``,
        ``small`` (below ``min_group_size``, or fewer than 2 students in a season), or
        ``only_now`` / ``only_before`` for a school present in one season only.

    Notes
    -----
    Different students sit each year, so sampling variation of the two cohorts is the chance
    the interval allows for: Welch's t interval, since with 3–9 pupils a normal quantile on
    estimated variances flagged 8.4% of unchanged schools instead of 5%. With N schools about
    0.05 N are flagged by chance alone even when nothing changed (see
    :func:`chance_flags`): read flags as prompts to look, not verdicts.
    """
    from eduqa.models.tdist import t_quantile

    if before is None:  # no earlier season: nothing to compare, an empty table
        nothing = pd.DataFrame({"n": pd.Series(dtype=np.int64), "mean_z": pd.Series(dtype=float),
                                "var_z": pd.Series(dtype=float)},
                               index=pd.Index([], dtype=str, name="school_code"))
        a, b = nothing.add_suffix("_before"), nothing.add_suffix("_now")
    else:
        a = _school_z(before, subject).add_suffix("_before")
        b = _school_z(now, subject).add_suffix("_now")
    out = a.join(b, how="outer").reset_index()
    out["change"] = out["mean_z_now"] - out["mean_z_before"]
    part_now = out["var_z_now"] / out["n_now"]
    part_before = out["var_z_before"] / out["n_before"]
    out["se"] = np.sqrt(part_now + part_before)
    with np.errstate(divide="ignore", invalid="ignore"):
        out["df"] = (part_now + part_before) ** 2 / (
            part_now**2 / (out["n_now"] - 1) + part_before**2 / (out["n_before"] - 1))
    q = t_quantile(0.975, out["df"].where(out["df"] > 0))
    out["ci_low"] = out["change"] - q * out["se"]
    out["ci_high"] = out["change"] + q * out["se"]
    flag = np.where(out["ci_low"] > 0, "improved",
                    np.where(out["ci_high"] < 0, "fell_back", "no_clear_change"))
    too_small = ((out["n_now"] < max(min_group_size, 2)) | (out["n_before"] < max(min_group_size, 2))
                 | out["se"].isna())
    flag = np.where(too_small, "small", flag)
    flag = np.where(out["n_before"].isna(), "only_now", flag)
    flag = np.where(out["n_now"].isna(), "only_before", flag)
    out["flag"] = flag
    for column in ("n_before", "n_now"):
        out[column] = out[column].astype("Int64")
    return out[["school_code", "n_before", "mean_z_before", "n_now", "mean_z_now", "change",
                "se", "df", "ci_low", "ci_high", "flag"]]


def chance_flags(changes: pd.DataFrame, level: float = 0.05) -> tuple[int, float]:
    """(schools judged, flags expected by chance alone) of a table of verdicts
    (:func:`eduqa.rules.chance_flags` of its ``flag`` column)."""
    return rules.chance_flags(changes["flag"], level)


def rank_history(school_summaries: Mapping[str, pd.DataFrame],
                 subject: str = "total") -> pd.DataFrame:
    """Each school's rank (名次) in each season: one row per school, one column per season
    (oldest first); missing where the school did not sit or was too small to rank. Then
    ``small_group``: the school was too small in any season shown."""
    columns = {}
    small = []
    for name, table in school_summaries.items():
        part = suppress(table[table["subject"] == subject]).set_index("school_code")
        columns[name] = pd.to_numeric(part["rank"], errors="coerce")
        if "small_group" in part:
            small.append(part["small_group"])
    out = pd.DataFrame(columns)
    out.index.name = "school_code"
    out["small_group"] = _any_season(small, out.index)
    return out.reset_index()


def _any_season(flags: list[pd.Series], index: pd.Index) -> pd.Series | bool:
    """True for a school flagged in any season's table (False when no table has flags)."""
    if not flags:
        return False
    return pd.concat(flags, axis=1).eq(True).any(axis=1).reindex(
        index, fill_value=False)


def target_history(attainments: Mapping[str, pd.DataFrame]) -> pd.DataFrame:
    """Targets met per school and season: one row per school, one column per season with the
    share of that season's targets met (NaN where the school had no targets), then
    ``small_group``: the school was too small in any season shown (see
    :func:`~eduqa.indicators.target_attainment`)."""
    columns = {}
    small = []
    for name, table in attainments.items():
        # (a school's targets from fewer than suppress_below pupils are not counted)
        known = table[~suppressed_rows(table) & table["met"].notna().to_numpy()]
        columns[name] = known.groupby("school_code")["met"].mean().astype(float)
        if "small_group" in table:
            small.append(table.groupby("school_code")["small_group"].any())
    out = pd.DataFrame(columns)
    out.index.name = "school_code"
    out["small_group"] = _any_season(small, out.index)
    return out.reset_index()
