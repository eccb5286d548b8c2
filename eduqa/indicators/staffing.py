"""Teacher-staffing indicators (docs/METHODS.md §B): 生师比, 缺编, 教非所学.

A statistic here is a DataFrame-in, DataFrame-out step: it never reads files and never mutates its
input.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from eduqa.catalog.vocabulary import TEACHING_POINT
from eduqa.config.schema import SCHOOL_TYPE_LEVELS
from eduqa.indicators.exam import cv

__all__ = ["staffing_indicators", "staffing_by_group", "resource_balance", "LEVEL_YEARS",
           "CV_LIMITS", "SMALL_SITE"]

# Years of schooling per level, used to split a multi-level school's enrolment between norms.
LEVEL_YEARS = {"primary": 6, "junior": 3, "senior": 3}


def _students_per_required_teacher(school_type: pd.Series,
                                   norms: Mapping[str, float]) -> pd.Series:
    """Teachers required per student for each school type: Σ_l (years_l / years) / norm_l."""
    per_type = {}
    for kind, levels in SCHOOL_TYPE_LEVELS.items():
        years = sum(LEVEL_YEARS[level] for level in levels)
        per_type[kind] = sum(LEVEL_YEARS[level] / years / norms[level] for level in levels)
    return school_type.map(per_type).astype(float)


def staffing_indicators(schools: pd.DataFrame, norms: Mapping[str, float]) -> pd.DataFrame:
    """Derive the staffing indicators of each school.

    Parameters
    ----------
    schools : DataFrame
        One row per school with ``school_type``, ``enrollment``, ``teachers_in_post``,
        ``required`` (may be missing: then computed from the norms), ``out_of_field``.
    norms : mapping
        Students per teacher by level (``primary``, ``junior``, ``senior``), from county.yaml.

    Returns
    -------
    DataFrame
        A copy of ``schools`` with ``required`` filled and these columns added:

        - ``required_source``: ``file`` when given in the staffing file, ``norm`` when computed;
        - ``students_per_teacher`` 生师比 = enrollment / teachers_in_post;
        - ``shortage`` 缺编人数 = max(0, required − teachers_in_post);
        - ``surplus`` 超编人数 = max(0, teachers_in_post − required) (a school is short or over,
          never both);
        - ``shortage_rate`` 缺编率 = shortage / required;
        - ``out_of_field_share`` 教非所学比例 = out_of_field / teachers_in_post.

    Notes
    -----
    When ``required`` (核定编制) is absent it is enrolment divided by the norm ratio of the
    school's level; a school spanning levels (九年一贯制) splits its enrolment by years of
    schooling (6 primary, 3 junior, 3 senior), so required = enrollment × Σ_l (years_l / years) /
    norm_l.

    Examples
    --------
    >>> frame = pd.DataFrame({"school_type": ["小学"], "enrollment": [380],
    ...                       "teachers_in_post": [16], "required": [np.nan],
    ...                       "out_of_field": [4]})
    >>> out = staffing_indicators(frame, {"primary": 19, "junior": 13.5, "senior": 12.5})
    >>> out[["required", "shortage", "shortage_rate", "out_of_field_share"]].round(3).iloc[0].tolist()
    [20.0, 4.0, 0.2, 0.25]
    """
    out = schools.copy()
    given = pd.to_numeric(out["required"], errors="coerce") if "required" in out else pd.Series(
        np.nan, index=out.index)
    from_norm = pd.to_numeric(out["enrollment"], errors="coerce") * _students_per_required_teacher(
        out["school_type"], norms)
    out["required_source"] = np.where(given.notna(), "file", "norm")
    out["required"] = given.fillna(from_norm)
    in_post = pd.to_numeric(out["teachers_in_post"], errors="coerce")
    with np.errstate(divide="ignore", invalid="ignore"):
        out["students_per_teacher"] = out["enrollment"] / in_post.where(in_post > 0)
        out["shortage"] = (out["required"] - in_post).clip(lower=0)
        out["surplus"] = (in_post - out["required"]).clip(lower=0)
        out["shortage_rate"] = out["shortage"] / out["required"].where(out["required"] > 0)
        out["out_of_field_share"] = pd.to_numeric(out["out_of_field"], errors="coerce") / (
            in_post.where(in_post > 0))
    return out


#: Limits on the between-school 差异系数 of resource indicators in the national county
#: balanced-development inspection (县域义务教育优质均衡发展督导评估办法).
CV_LIMITS = {"primary": 0.50, "junior": 0.45}
#: 教学点 (teaching points) with fewer pupils than this are left out of the inspection's CV.
SMALL_SITE = 50


def staffing_by_group(schools: pd.DataFrame, by: str = "urban_rural") -> pd.DataFrame:
    """Staffing of groups of schools (e.g. 城区 / 镇区 / 乡村), as ratios of sums over the
    group's schools.

    Returns ``by``, ``n_schools``, ``enrollment``, ``teachers_in_post``, ``required``,
    ``shortage``, ``surplus`` (over-staffed schools' teachers above their establishment: a
    surplus in one school does not fill a shortage in another), ``out_of_field``,
    ``students_per_teacher`` (Σ enrolment / Σ in post),
    ``shortage_rate`` (Σ shortage / Σ required), ``out_of_field_share`` (Σ out-of-field /
    Σ in post). Schools without staffing data are left out.
    """
    data = schools[schools["teachers_in_post"].notna()]
    sums = data.groupby(by, sort=True, observed=True).agg(
        n_schools=("school_code", "size"), enrollment=("enrollment", "sum"),
        teachers_in_post=("teachers_in_post", "sum"), required=("required", "sum"),
        shortage=("shortage", "sum"), surplus=("surplus", "sum"),
        out_of_field=("out_of_field", "sum")).reset_index()
    sums["students_per_teacher"] = sums["enrollment"] / sums["teachers_in_post"]
    sums["shortage_rate"] = sums["shortage"] / sums["required"]
    sums["out_of_field_share"] = sums["out_of_field"] / sums["teachers_in_post"]
    return sums


def resource_balance(schools: pd.DataFrame, level: str) -> pd.DataFrame:
    """差异系数 of teacher resources between the schools of one level, against the
    inspection limit.

    Parameters
    ----------
    schools : DataFrame
        Output of :func:`staffing_indicators` with ``school_type``.
    level : str
        ``primary`` or ``junior``: schools whose type teaches that level are included, except
        教学点 with fewer than 50 pupils.

    Returns
    -------
    DataFrame
        ``indicator`` (``teachers_per_100``: teachers in post per 100 pupils;
        ``senior_title_per_100``: teachers with senior titles per 100 pupils), ``cv``
        (enrolment-weighted, the inspection formula), ``cv_unweighted``, ``limit``, ``meets``
        and ``n_schools``.
    """
    teaches = schools["school_type"].map(lambda t: level in SCHOOL_TYPE_LEVELS.get(t, ()))
    small_site = (schools["school_type"] == TEACHING_POINT) & (schools["enrollment"] < SMALL_SITE)
    data = schools[teaches & ~small_site & schools["enrollment"].gt(0)
                   & schools["teachers_in_post"].notna()]
    values = {
        "teachers_per_100": 100 * data["teachers_in_post"] / data["enrollment"],
        "senior_title_per_100": 100 * data["teachers_in_post"] * data["share_senior_title"]
        / data["enrollment"],
    }
    limit = CV_LIMITS.get(level, np.nan)
    rows = []
    for name, value in values.items():
        if value.notna().sum() < 2:  # no such column, or one school: no spread to measure
            continue
        weighted = cv(value, data["enrollment"])
        rows.append({"indicator": name, "cv": weighted, "cv_unweighted": cv(value),
                     "limit": limit, "meets": bool(weighted <= limit) if np.isfinite(
                         weighted) and np.isfinite(limit) else pd.NA,
                     "n_schools": int(value.notna().sum())})
    out = pd.DataFrame(rows, columns=["indicator", "cv", "cv_unweighted", "limit", "meets",
                                      "n_schools"])
    out["meets"] = out["meets"].astype("boolean")
    return out
