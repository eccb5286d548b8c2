"""A seeded, fictional demo county (示范县) with realistic, messy raw exports.

Regenerate the bundled files with ``eduqa synth --out data/raw`` (or ``make demo-data``): the
same seed gives the same files.

The score model (all effects in SD units of the latent attainment)
------------------------------------------------------------------
For school j with urban-rural status, shortage rate s_j and out-of-field share o_j::

    mu_j = EFFECTS["town"]·town_j + EFFECTS["rural"]·rural_j
           + EFFECTS["shortage_rate"]·s_j + EFFECTS["out_of_field_share"]·o_j + u_j,
    u_j ~ N(0, SCHOOL_SD²)

A student's attainment is a_ij = mu_j + e_i with e_i ~ N(0, 1) (grades 6 and 8). A year later
(grade 9, the same cohort) a9_ij = PRIOR_SLOPE·a8_ij + mu9_j + v_j + d_i, where mu9_j repeats the
school terms above scaled by GROWTH_SCALE, v_j ~ N(0, VALUE_ADDED_SD²) and d_i ~ N(0, GROWTH_SD²):
so a value-added model with the grade-8 score as prior recovers the school terms.

Subject k's score is F_k · clip(m_k + SUBJECT_SD · (LOADING·a + sqrt(1 − LOADING²)·g_ik), 0, 1),
rounded to whole marks, with g_ik ~ N(0, 1) and m_k the subject's mean score rate.

One class is planted weak in grades 8 and 9 (:data:`WEAK_CLASS`: its scores are drawn as if
its pupils' attainment were 0.9 SD lower), and each of those seasons has a teacher-of-record
file (``teachers.csv``: one teacher per two classes of each school in 语文, 数学 and 英语).

The planted effects are the module constants below; tests compare model estimates with them.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

__all__ = ["EFFECTS", "PAPERS", "PAPER_PLANTS", "PAPER_SEASONS", "SCHOOL_SD", "PRIOR_SLOPE",
           "SEED", "WEAK_CLASS", "DemoCounty", "make_demo_county", "weak_class_school",
           "write_demo_county", "SEASONS"]

SEED = 20250615
EFFECTS = {"town": -0.15, "rural": -0.30, "shortage_rate": -1.0, "out_of_field_share": -0.8}
SCHOOL_SD = 0.25
PRIOR_SLOPE = 0.8
GROWTH_SCALE = 0.5
VALUE_ADDED_SD = 0.15
GROWTH_SD = 0.55
LOADING = 0.85
SUBJECT_SD = 0.16
#: The planted weak class (grades 8 and 9): this class of the junior school with the most
#: classes (lowest code on a tie) scores as if its pupils' attainment were this many SD lower
#: (their attainment itself, and so the grade-9 growth, is unchanged).
WEAK_CLASS = ("3班", -0.9)

SEASONS = {
    "2024-spring-g6": {"grade": 6, "name": "2024年春季六年级期末质量监测", "year_shift": 0.0},
    "2025-spring-g6": {"grade": 6, "name": "2025年春季六年级期末质量监测", "year_shift": 0.05},
    "2024-spring-g8": {"grade": 8, "name": "2024年春季八年级期末质量监测", "year_shift": 0.0},
    "2025-spring-g9": {"grade": 9, "name": "2025年春季九年级期末质量监测", "year_shift": 0.0},
}
SUBJECTS = {
    6: {"语文": (100, 0.70), "数学": (100, 0.68), "英语": (100, 0.66), "科学": (100, 0.72)},
    8: {"语文": (120, 0.66), "数学": (120, 0.60), "英语": (120, 0.62), "物理": (100, 0.58),
        "生物": (100, 0.66), "地理": (100, 0.65), "道德与法治": (100, 0.70), "历史": (100, 0.67)},
    9: {"语文": (120, 0.67), "数学": (120, 0.60), "英语": (120, 0.63), "物理": (100, 0.60),
        "化学": (100, 0.63), "道德与法治": (100, 0.71), "历史": (100, 0.68)},
}

_TOWNSHIPS = [  # name, is urban subdistrict, has a 九年一贯制 school instead of primary+junior
    ("城关街道", True, False), ("东城街道", True, False),
    ("青山镇", False, False), ("河口镇", False, True), ("石桥镇", False, False),
    ("柳溪乡", False, False), ("白沙镇", False, True), ("龙潭乡", False, False),
    ("松岭乡", False, False), ("枫林镇", False, False),
]
_VILLAGES = ["上塘", "下湾", "杨家", "坪里", "岭头", "沙坪", "新屋", "河背", "竹山", "石门", "桥头",
             "水口", "茶园", "大坑", "高岭", "洋田", "黄泥", "樟树", "塘边", "田心", "枧头",
             "龙背", "松坑", "社下"]
_SURNAMES = list("王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余")
_GIVEN = list("子梓浩宇欣怡俊杰雨涵思嘉博轩佳琪晨睿泽一诺依可昊然铭琳瑶妍煜航锦程芮熙悦辰逸")


@dataclass
class DemoCounty:
    """The generated county: roster, staffing, and per season the student table and truth."""

    roster: pd.DataFrame
    staffing: pd.DataFrame
    students: dict[str, pd.DataFrame]
    school_truth: pd.DataFrame


def _roster(rng: np.random.Generator) -> pd.DataFrame:
    rows: list[dict] = []
    village_names = iter(_VILLAGES)

    def add(name, township, ur, kind, enrollment, aliases=""):
        code = f"36102{len(rows) + 1:05d}"
        rows.append({"school_code": code, "school_name": name, "aliases": aliases,
                     "township": township, "urban_rural": ur, "school_type": kind,
                     "boarding": "否", "enrollment": int(enrollment)})

    numerals = "一二三四五六"
    for t, (township, _urban, _) in enumerate(_TOWNSHIPS[:2]):
        for k in range(3):
            n = numerals[t * 3 + k]
            add(f"县城第{n}小学", township, "城区" if (t + k) % 2 else "111", "小学",
                rng.integers(1300, 2100), aliases=f"城关{n}小|县{n}小")
        for k in range(2 if t == 0 else 1):  # two junior schools in 城关, one in 东城
            n = numerals[t * 2 + k]
            add(f"县城第{n}中学", township, "城区", "初中", rng.integers(1500, 2300),
                aliases=f"县{n}中")
    # a third urban junior school
    add("县实验中学", "东城街道", "112", "初中", rng.integers(1400, 2000), aliases="实验中学")
    for township, _, nine_year in _TOWNSHIPS[2:]:
        short = township[:2]
        if nine_year:
            add(f"{short}学校", township, "镇区", "九年一贯制", rng.integers(700, 1100),
                aliases=f"{short}九年一贯制学校")
        else:
            add(f"{short}中心小学", township, "121", "小学", rng.integers(500, 900),
                aliases=f"{short}中小|{short}镇中心小学")
            add(f"{short}中学", township, "镇区", "初中", rng.integers(600, 1000),
                aliases=f"{short}镇中学")
        for _ in range(2):
            village = next(village_names)
            add(f"{village}小学", township, "乡村" if rng.random() < 0.5 else "220", "小学",
                rng.integers(120, 320), aliases=f"{short}{village}小学")
    # two rural junior schools and three teaching points (教学点) with very few pupils
    for township in ("柳溪乡", "松岭乡"):
        village = next(village_names)
        add(f"{village}中学", township, "乡村", "初中", rng.integers(200, 330))
    for township in ("龙潭乡", "松岭乡", "柳溪乡"):
        village = next(village_names)
        add(f"{village}教学点", township, "210", "教学点", rng.integers(12, 40))
    frame = pd.DataFrame(rows)
    frame["boarding"] = np.where(
        frame["school_type"].isin(["初中", "九年一贯制"]) & ~frame["urban_rural"].isin(
            ["城区", "111", "112"]), "是", "否")
    return frame


def _category(urban_rural: pd.Series) -> pd.Series:
    return urban_rural.map({"城区": "urban", "111": "urban", "112": "urban", "镇区": "town",
                            "121": "town", "乡村": "rural", "220": "rural", "210": "rural"})


def _staffing(rng: np.random.Generator, roster: pd.DataFrame) -> pd.DataFrame:
    category = _category(roster["urban_rural"])
    ratio = roster["school_type"].map({"小学": 19, "教学点": 19, "初中": 13.5,
                                       "九年一贯制": 1 / (6 / 9 / 19 + 3 / 9 / 13.5)})
    required = roster["enrollment"] / ratio
    fill = np.where(category == "urban", rng.uniform(0.97, 1.06, len(roster)),
                    np.where(category == "town", rng.uniform(0.84, 0.98, len(roster)),
                             rng.uniform(0.66, 0.90, len(roster))))
    in_post = np.maximum(2, np.round(required * fill)).astype(int)
    oof_share = np.where(category == "urban", rng.uniform(0.0, 0.06, len(roster)),
                         np.where(category == "town", rng.uniform(0.06, 0.16, len(roster)),
                                  rng.uniform(0.15, 0.40, len(roster))))
    out_of_field = np.round(in_post * oof_share).astype(int)
    given = rng.random(len(roster)) < 0.5  # 核定编制 given for about half; else from the norm
    return pd.DataFrame({
        "学校代码": roster["school_code"], "学校名称": roster["school_name"],
        "在岗专任教师": in_post,
        "核定编制": np.where(given, np.round(required).astype(int).astype(str), ""),
        "教非所学人数": out_of_field,
        "50岁以上教师比例": np.round(np.where(category == "rural", rng.uniform(0.3, 0.6, len(
            roster)), rng.uniform(0.1, 0.35, len(roster))), 2),
        "高级职称比例": np.round(rng.uniform(0.05, 0.3, len(roster)), 2),
    })


def _truth(rng, roster, staffing) -> pd.DataFrame:
    category = _category(roster["urban_rural"])
    in_post = staffing["在岗专任教师"].to_numpy(float)
    required = pd.to_numeric(staffing["核定编制"], errors="coerce").to_numpy()
    levels = roster["school_type"].map({"小学": 19, "教学点": 19, "初中": 13.5,
                                        "九年一贯制": 1 / (6 / 9 / 19 + 3 / 9 / 13.5)})
    required = np.where(np.isnan(required), roster["enrollment"] / levels, required)
    shortage_rate = np.clip(required - in_post, 0, None) / required
    oof = staffing["教非所学人数"].to_numpy(float) / in_post
    town = (category == "town").to_numpy(float)
    rural = (category == "rural").to_numpy(float)
    u = rng.normal(0, SCHOOL_SD, len(roster))
    fixed = (EFFECTS["town"] * town + EFFECTS["rural"] * rural
             + EFFECTS["shortage_rate"] * shortage_rate + EFFECTS["out_of_field_share"] * oof)
    return pd.DataFrame({"school_code": roster["school_code"], "category": category,
                         "shortage_rate": shortage_rate, "out_of_field_share": oof,
                         "fixed": fixed, "u": u, "va": rng.normal(0, VALUE_ADDED_SD, len(roster))})


def _cohort_size(rng, kind: str, category: str) -> int:
    if kind == "教学点":
        return int(rng.integers(3, 9))
    if kind == "小学":
        return int({"urban": rng.integers(220, 330), "town": rng.integers(80, 140),
                    "rural": rng.integers(18, 50)}[category])
    if kind == "九年一贯制":
        return int(rng.integers(70, 110))
    return int({"urban": rng.integers(330, 460), "town": rng.integers(120, 200),
                "rural": rng.integers(35, 70)}[category])


def _names(rng, n: int) -> np.ndarray:
    surname = rng.choice(_SURNAMES, n)
    first = rng.choice(_GIVEN, n)
    second = rng.choice(_GIVEN, n)
    return np.char.add(np.char.add(surname, first), second)


def _ids(rng, n: int, prefix: str, used: set[str]) -> list[str]:
    out: list[str] = []
    while len(out) < n:
        candidate = f"{prefix}{rng.integers(10**9, 10**10)}"
        if candidate not in used:
            used.add(candidate)
            out.append(candidate)
    return out


def _students_for(rng, roster, truth, level_types, year, used_ids, shift) -> pd.DataFrame:
    frames = []
    for row, t in zip(roster.itertuples(index=False), truth.itertuples(index=False)):
        if row.school_type not in level_types:
            continue
        n = _cohort_size(rng, row.school_type, t.category)
        n_classes = max(1, round(n / 45))
        frames.append(pd.DataFrame({
            "school_code": row.school_code, "school_name": row.school_name,
            "class": [f"{k % n_classes + 1}班" for k in range(n)],
            "ability": t.fixed + t.u + shift + rng.normal(0, 1, n)}))
    students = pd.concat(frames, ignore_index=True)
    students["registry_id"] = _ids(rng, len(students), f"G36102{year - 12}", used_ids)
    students["name"] = _names(rng, len(students))
    return students


def weak_class_school(frame: pd.DataFrame) -> str:
    """The school of the planted weak class: the one with the most classes in ``frame``
    (lowest code on a tie)."""
    counts = frame.groupby("school_code")["class"].nunique()
    return str(counts[counts == counts.max()].sort_index().index[0])


def _as_scored(frame: pd.DataFrame) -> np.ndarray:
    """The attainment the scores are drawn from: the weak class's pupils shifted by
    :data:`WEAK_CLASS` (the same random draws as without it)."""
    klass, shift = WEAK_CLASS
    weak = ((frame["school_code"] == weak_class_school(frame)) & (frame["class"] == klass))
    return frame["ability"].to_numpy() + shift * weak.to_numpy()


def _scores(rng, ability: np.ndarray, grade: int) -> pd.DataFrame:
    out = {}
    for subject, (full, rate) in SUBJECTS[grade].items():
        noise = rng.normal(0, 1, len(ability))
        share = rate + SUBJECT_SD * (LOADING * ability + np.sqrt(1 - LOADING**2) * noise)
        out[subject] = np.round(np.clip(share, 0, 1) * full).astype(int)
    return pd.DataFrame(out)


def make_demo_county(seed: int = SEED) -> DemoCounty:
    """Generate the demo county's clean tables (before any mess is added)."""
    rng = np.random.default_rng(seed)
    roster = _roster(rng)
    staffing = _staffing(rng, roster)
    truth = _truth(rng, roster, staffing)
    used: set[str] = set()
    primary = ("小学", "教学点", "九年一贯制")
    junior = ("初中", "九年一贯制")
    students = {}
    for season in ("2024-spring-g6", "2025-spring-g6"):
        shift = SEASONS[season]["year_shift"]
        year = int(season[:4])
        frame = _students_for(rng, roster, truth, primary, year, used, shift)
        students[season] = pd.concat([frame, _scores(rng, frame["ability"].to_numpy(), 6)],
                                     axis=1)
    g8 = _students_for(rng, roster, truth, junior, 2024, used, 0.0)
    students["2024-spring-g8"] = pd.concat([g8, _scores(rng, _as_scored(g8), 8)], axis=1)
    # grade 9 a year later: the same cohort, minus those who left, plus a few who arrived
    stay = rng.random(len(g8)) > 0.05
    g9 = g8[stay][["school_code", "school_name", "class", "registry_id", "name",
                   "ability"]].copy()
    by_school = truth.set_index("school_code")
    school_part = GROWTH_SCALE * by_school.loc[g9["school_code"], "fixed"].to_numpy() + \
        by_school.loc[g9["school_code"], "va"].to_numpy()
    g9["prior_ability"] = g9["ability"]
    g9["ability"] = PRIOR_SLOPE * g9["ability"] + school_part + rng.normal(0, GROWTH_SD, len(g9))
    arrivals = g8.sample(n=int(0.04 * len(g8)), random_state=int(rng.integers(1 << 31)))[
        ["school_code", "school_name", "class"]].reset_index(drop=True)
    arrivals["registry_id"] = _ids(rng, len(arrivals), "G36102" + "13", used)
    arrivals["name"] = _names(rng, len(arrivals))
    arrivals["ability"] = rng.normal(-0.1, 1.0, len(arrivals))
    arrivals["prior_ability"] = np.nan
    g9 = pd.concat([g9, arrivals], ignore_index=True)
    g9 = g9.sort_values(["school_code", "class"], kind="mergesort").reset_index(drop=True)
    students["2025-spring-g9"] = pd.concat([g9, _scores(rng, _as_scored(g9), 9)], axis=1)
    return DemoCounty(roster=roster, staffing=staffing, students=students, school_truth=truth)


# ---------------------------------------------------------------------------------------------
# the mess: each kind of DESIGN §3 at least once, recorded in MESS for the tests


def _alias_of(roster: pd.DataFrame) -> dict[str, str]:
    return {r.school_name: r.aliases.split("|")[0] for r in roster.itertuples() if r.aliases}


def _messy_wide(rng, frame: pd.DataFrame, subjects: list[str], roster, *, id_col: str,
                with_total: bool, total_errors: int, extra_exam_id: bool) -> tuple[
                    pd.DataFrame, dict]:
    """Return the export table (all text) and a record of what was planted where."""
    out = pd.DataFrame({"序号": np.arange(1, len(frame) + 1).astype(str)})
    if extra_exam_id:
        out["考号"] = [f"25{rng.integers(10**7, 10**8)}" for _ in range(len(frame))]
    out[id_col] = frame["registry_id"].to_numpy()
    out["姓名"] = frame["name"].to_numpy()
    out["学校"] = frame["school_name"].to_numpy()
    out["班级"] = frame["class"].to_numpy()
    for subject in subjects:
        out[subject] = frame[subject].astype(str).to_numpy()
    planted: dict[str, list] = {}
    n = len(out)
    picks = iter(rng.permutation(np.arange(5, n - 5)))

    def take(k):
        return [int(next(picks)) for _ in range(k)]

    markers = {"缺考": 6, "缺": 2, "缺席": 1, "作弊": 1, "违纪": 1, "免考": 2}
    for marker, k in markers.items():
        for i in take(k):
            subject = subjects[int(rng.integers(len(subjects)))]
            out.loc[i, subject] = marker
            planted.setdefault("marker", []).append((i, subject, marker))
    for i in take(4):
        subject = subjects[0]
        value = str(out.loc[i, subject])
        fullwidth = value.translate(str.maketrans("0123456789", "０１２３４５６７８９"))
        out.loc[i, subject] = fullwidth
        planted.setdefault("fullwidth", []).append((i, subject, fullwidth))
    for i in take(3):
        subject = subjects[1]
        out.loc[i, subject] = f"{out.loc[i, subject]}分"
        planted.setdefault("unit", []).append((i, subject))
    for i in take(3):
        subject = subjects[2]
        out.loc[i, subject] = f"{out.loc[i, subject]} "
        planted.setdefault("spaces", []).append((i, subject))
    full_marks = {s: SUBJECTS_BY_NAME[s] for s in subjects}
    for i, value in zip(take(2), ("over", "negative")):
        subject = subjects[-1]
        out.loc[i, subject] = str(full_marks[subject] + 5) if value == "over" else "-3"
        planted.setdefault("out_of_range", []).append((i, subject, out.loc[i, subject]))
    aliases = _alias_of(roster)
    alias_rows = [i for i in take(40) if out.loc[i, "学校"] in aliases][:8]
    for i in alias_rows:
        out.loc[i, "学校"] = aliases[out.loc[i, "学校"]]
    planted["alias"] = alias_rows
    if with_total:
        numeric = out[subjects].apply(pd.to_numeric, errors="coerce")
        total = numeric.sum(axis=1, min_count=len(subjects))
        out["总分"] = total.map(lambda v: "" if np.isnan(v) else str(int(v)))
        clean_rows = [i for i in range(5, n - 5) if numeric.loc[i].notna().all()
                      and all(str(out.loc[i, s]).isdigit() for s in subjects)]
        wrong = [int(v) for v in rng.choice(clean_rows, total_errors, replace=False)]
        for i in wrong:
            out.loc[i, "总分"] = str(int(total[i]) + int(rng.choice([-10, -1, 1, 10])))
        planted["total_wrong"] = wrong
    # exact duplicates of two rows, appended at the end (exports are often re-pasted)
    dups = take(2)
    planted["duplicate"] = dups
    rows = [out]
    for i in dups:
        rows.append(out.loc[[i]])
    out = pd.concat(rows, ignore_index=True)
    return out, planted


SUBJECTS_BY_NAME = {s: f for grade in SUBJECTS.values() for s, (f, _) in grade.items()}


def _export_2024_g6(rng, county, path: Path) -> dict:
    """GBK CSV, wide, Chinese headers, a 总分 that sometimes disagrees."""
    frame = county.students["2024-spring-g6"]
    subjects = list(SUBJECTS[6])
    table, planted = _messy_wide(rng, frame, subjects, county.roster, id_col="学籍号",
                                 with_total=True, total_errors=3, extra_exam_id=False)
    table.to_csv(path / "scores.csv", index=False, encoding="gbk")
    return {"file": "scores.csv", "encoding": "gbk", "layout": "wide", "header_row": 1,
            **planted}


def _fixed_stamps(path: Path, stamp: str = "2025-06-30T12:00:00Z") -> None:
    """Make a saved .xlsx the same bytes every time: openpyxl stamps the time of saving into
    the document properties and into every zip entry. The demo's files are identified by
    their content hash (``eduqa init --remove-demo`` deletes only those), so they must not
    change when they are generated again."""
    import re
    import zipfile

    with zipfile.ZipFile(path) as source:
        entries = [(info, source.read(info)) for info in source.infolist()]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target:
        for info, data in entries:
            if info.filename == "docProps/core.xml":
                data = re.sub(rb"(<dcterms:modified[^>]*>)[^<]*", rb"\g<1>" + stamp.encode(),
                              data)
            fixed = zipfile.ZipInfo(info.filename, date_time=(2025, 6, 30, 12, 0, 0))
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = info.external_attr
            target.writestr(fixed, data)


def _export_2025_g6(rng, county, path: Path) -> dict:
    """An .xlsx with a merged title row and a blank row above the header, and a blank row
    inside the data."""
    from openpyxl import Workbook

    frame = county.students["2025-spring-g6"]
    subjects = list(SUBJECTS[6])
    table, planted = _messy_wide(rng, frame, subjects, county.roster, id_col="学籍号",
                                 with_total=False, total_errors=0, extra_exam_id=False)
    blank_at = len(table) // 2
    book = Workbook()
    sheet = book.active
    sheet.title = "成绩"
    title = "2025年春季学期六年级期末质量监测成绩表"
    sheet.append([title])
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(table.columns))
    sheet.append([])
    sheet.append(list(table.columns))
    for i, row in enumerate(table.itertuples(index=False)):
        if i == blank_at:
            sheet.append([])
        sheet.append([_excel_value(v) for v in row])
    import datetime as _dt
    book.properties.created = book.properties.modified = _dt.datetime(2025, 6, 30, 12, 0)
    book.save(path / "scores.xlsx")
    _fixed_stamps(path / "scores.xlsx")
    return {"file": "scores.xlsx", "layout": "wide", "header_row": 3, "title": title,
            "blank_row_after": blank_at, **planted}


def _excel_value(value):
    text = str(value)
    return int(text) if text.isascii() and text.isdigit() and len(text) < 6 else text


def _export_2024_g8(rng, county, path: Path) -> dict:
    """Long CSV (one row per student and subject), UTF-8 with BOM, English headers."""
    frame = county.students["2024-spring-g8"]
    subjects = list(SUBJECTS[8])
    long = frame.melt(id_vars=["registry_id", "name", "school_name", "class"],
                      value_vars=subjects, var_name="subject", value_name="score")
    long = long.sort_values(["school_name", "class", "registry_id"], kind="mergesort")
    long = long.reset_index(drop=True)
    long["score"] = long["score"].astype(str)
    planted: dict[str, list] = {}
    picks = iter(rng.permutation(np.arange(10, len(long) - 10)))
    for marker, k in {"缺考": 8, "作弊": 1, "免考": 2, "缺席": 1}.items():
        for _ in range(k):
            i = int(next(picks))
            long.loc[i, "score"] = marker
            planted.setdefault("marker", []).append((i, marker))
    for _ in range(3):
        i = int(next(picks))
        long.loc[i, "score"] = long.loc[i, "score"].translate(
            str.maketrans("0123456789", "０１２３４５６７８９"))
        planted.setdefault("fullwidth", []).append(i)
    i = int(next(picks))
    full = SUBJECTS_BY_NAME[long.loc[i, "subject"]]
    long.loc[i, "score"] = str(full + 8)
    planted["out_of_range"] = [i]
    aliases = _alias_of(county.roster)
    alias_rows = [int(i) for i in list(picks)[:200] if long.loc[int(i), "school_name"] in aliases]
    alias_rows = alias_rows[:10]
    for i in alias_rows:
        long.loc[i, "school_name"] = aliases[long.loc[i, "school_name"]]
    planted["alias"] = alias_rows
    dups = [25, 400, 401]
    planted["duplicate"] = dups
    long = pd.concat([long, long.loc[dups]], ignore_index=True)
    long = long.rename(columns={"registry_id": "student_id", "school_name": "school"})
    long[["student_id", "name", "school", "class", "subject", "score"]].to_csv(
        path / "scores.csv", index=False, encoding="utf-8-sig")
    return {"file": "scores.csv", "encoding": "utf-8-sig", "layout": "long", **planted}


def _export_2025_g9(rng, county, path: Path) -> dict:
    """UTF-8 CSV, wide, with both 考号 and 学籍号, a 总分 that sometimes disagrees, and one
    student on two rows with different scores."""
    frame = county.students["2025-spring-g9"]
    subjects = list(SUBJECTS[9])
    table, planted = _messy_wide(rng, frame, subjects, county.roster, id_col="学籍号",
                                 with_total=True, total_errors=4, extra_exam_id=True)
    conflict = int(len(table) // 3)
    copy = table.loc[[conflict]].copy()
    copy[subjects[0]] = str(int(pd.to_numeric(copy[subjects[0]].iloc[0], errors="coerce") or 0)
                            // 2)
    table = pd.concat([table, copy], ignore_index=True)
    planted["conflict"] = [conflict]
    table.to_csv(path / "scores.csv", index=False, encoding="utf-8")
    return {"file": "scores.csv", "encoding": "utf-8", "layout": "wide", **planted}


_EXPORTERS = {"2024-spring-g6": _export_2024_g6, "2025-spring-g6": _export_2025_g6,
              "2024-spring-g8": _export_2024_g8, "2025-spring-g9": _export_2025_g9}


def _targets(rng, county, season: str) -> pd.DataFrame:
    frame = county.students[season]
    grade = int(SEASONS[season]["grade"])  # type: ignore[call-overload]
    subjects = list(SUBJECTS[grade])
    full = sum(SUBJECTS[grade][s][0] for s in subjects)
    total = frame[subjects].sum(axis=1)
    per_school = frame.assign(total=total).groupby("school_code")["total"].agg(
        ["mean", lambda s: (s >= 0.6 * full).mean(), lambda s: (s >= 0.85 * full).mean()])
    per_school.columns = ["mean", "pass", "excellent"]
    # a target near last year's result: some schools meet it, some do not
    bump = rng.normal(0.01, 0.03, len(per_school))
    names = county.roster.set_index("school_code")["school_name"]
    return pd.DataFrame({
        "学校代码": per_school.index, "学校名称": names.loc[per_school.index].to_numpy(),
        "目标平均分": np.round(per_school["mean"] * (1 + bump), 1),
        "目标及格率": [f"{v:.0%}" for v in np.clip(per_school["pass"] + bump, 0, 1)],
        "目标优秀率": [f"{v:.0%}" for v in np.clip(per_school["excellent"] + bump / 2, 0, 1)]})


# ---------------------------------------------------------------------------------------------
# the papers (试卷分析): item scores and blueprints of 语文 and 数学 in two seasons

#: Seasons whose 语文 and 数学 papers have item scores and a blueprint.
PAPER_SEASONS = ("2024-spring-g8", "2025-spring-g9")

#: The papers, by subject: (question header, type, full marks, knowledge point(s), ability,
#: difficulty b, discrimination a). Both papers are out of 120, as the demo's 语文 and 数学.
PAPERS = {
    "数学": [
        *[(str(q), "选择题", 4, point, level, b, 1.2) for q, point, level, b in [
            (1, "有理数", "了解", -2.0), (2, "整式", "了解", -1.6), (3, "方程与不等式", "理解", -1.0),
            (4, "函数", "理解", -0.6), (5, "三角形", "理解", -0.4), (6, "四边形", "掌握", 0.0),
            (7, "统计与概率", "理解", -0.8), (8, "圆", "掌握", 0.4), (9, "函数", "应用", 0.8),
            (10, "三角形", "应用", 1.2), (11, "整式", "掌握", -0.2), (12, "函数、方程与不等式",
                                                                 "应用", 0.6)]],
        ("13", "填空题", 6, "方程与不等式", "理解", -0.5, 1.0),
        ("14", "填空题", 6, "统计与概率", "理解", -0.2, 1.0),
        ("15", "填空题", 6, "圆", "掌握", 0.3, 1.0),
        ("16", "填空题", 6, "函数", "掌握", 0.6, 1.0),
        ("17", "解答题", 16, "方程与不等式、函数", "应用", 0.0, 1.0),
        ("18", "解答题", 16, "三角形、四边形", "应用", 0.4, 1.0),
        ("19", "解答题", 16, "函数、圆", "应用", 1.0, 1.0),
    ],
    "语文": [
        *[(str(q), "选择题", 3, point, level, b, 1.1) for q, point, level, b in [
            (1, "字音字形", "识记", -1.8), (2, "词语运用", "理解", -1.2), (3, "病句", "理解", -0.6),
            (4, "文学常识", "识记", -1.0), (5, "古诗词", "理解", -0.4), (6, "现代文阅读", "理解", 0.0),
            (7, "现代文阅读", "分析", 0.4), (8, "文言文阅读", "理解", -0.2),
            (9, "文言文阅读", "分析", 0.5), (10, "名著阅读", "识记", -0.6)]],
        ("11(1)", "阅读题", 6, "现代文阅读", "分析", -0.3, 1.0),
        ("11(2)", "阅读题", 8, "现代文阅读", "鉴赏", 0.3, 1.0),
        ("11(3)", "阅读题", 10, "现代文阅读、写作", "鉴赏", 0.8, 1.0),
        ("12", "文言文", 16, "文言文阅读", "分析", 0.2, 1.0),
        ("13", "作文", 50, "写作", "表达应用", 0.0, 0.6),
    ],
}

#: Planted in both seasons' 数学 papers, as the tests recover them: question 7's discrimination
#: is negative (its chance of being right falls as ability rises, a = −1.0); rural pupils find
#: question 10 harder than their ability predicts (logit −1.3, ETS class C expected); option D
#: of question 3 (key C) is a trap the stronger pupils fall for (chosen with probability
#: 0.6 / (1 + exp(−(2θ − 1))): a distractor the high group chooses more than the low group);
#: every other question is clean.
PAPER_PLANTS: dict[str, tuple[str, str, Any]] = {
    "negative_discrimination": ("数学", "7", -1.0), "dif": ("数学", "10", -1.3),
    "strong_distractor": ("数学", "3", "D")}

_KEYS = "ABCD"


def _paper_for(rng, frame: pd.DataFrame, subject: str, full: float, rural: np.ndarray):
    """Item scores (text cells; objective questions as the option chosen) summing to each
    pupil's subject score, and the blueprint."""
    paper = PAPERS[subject]
    score = frame[subject].to_numpy(dtype=float)
    theta = (score - score.mean()) / score.std()
    n = len(frame)
    keys = {q: _KEYS[i % 4] for i, (q, kind, *_rest) in enumerate(paper) if kind == "选择题"}
    plants = {k: v for k, v in PAPER_PLANTS.items() if v[0] == subject}
    objective = [row for row in paper if row[1] == "选择题"]
    subjective = [row for row in paper if row[1] != "选择题"]
    right = np.zeros((n, len(objective)), dtype=bool)
    for j, (q, _, _marks, _, _, b, a) in enumerate(objective):
        if plants.get("negative_discrimination", (None, None))[1] == q:
            a = float(plants["negative_discrimination"][2])
        logit = a * (theta - b)
        if plants.get("dif", (None, None))[1] == q:
            logit = logit + float(plants["dif"][2]) * rural
        right[:, j] = rng.random(n) < 1 / (1 + np.exp(-logit))
    trapped = np.zeros(n, dtype=bool)
    strong = plants.get("strong_distractor", (None, None, None))
    if strong[1] is not None:  # a trap option that the stronger pupils fall for
        at = [row[0] for row in objective].index(strong[1])
        trapped = rng.random(n) < 0.6 / (1 + np.exp(-(2.0 * theta - 1.0)))
        right[:, at] &= ~trapped
    marks_o = np.array([row[2] for row in objective], dtype=float)
    marks_s = np.array([row[2] for row in subjective], dtype=float)
    cells_o = np.zeros((n, len(objective)))
    cells_s = np.zeros((n, len(subjective)))
    for i in range(n):
        got = right[i].copy()
        rest = score[i] - marks_o @ got
        order = np.argsort(-rng.random(len(objective)))
        for j in order:  # the objective answers give way where the rest cannot fit
            if rest < 0 and got[j]:
                got[j], rest = False, rest + marks_o[j]
            elif rest > marks_s.sum() and not got[j]:
                got[j], rest = True, rest - marks_o[j]
        right[i] = got
        cells_o[i] = got * marks_o
        weight = marks_s / (1 + np.exp(-(theta[i] - np.array([row[5] for row in subjective]))))
        share = np.minimum(np.floor(rest * weight / weight.sum()), marks_s)
        left = rest - share.sum()
        for j in np.argsort(-(weight / marks_s)):
            add = min(left, marks_s[j] - share[j])
            share[j] += add
            left -= add
        cells_s[i] = share
    table = {}
    for j, (q, *_rest) in enumerate(objective):
        wrong_options = [o for o in _KEYS if o != keys[q]]
        pick = rng.choice(wrong_options, n)
        if strong[1] == q:
            pick = np.where(trapped, str(strong[2]), pick)
        blank = rng.random(n) < 0.01
        table[q] = np.where(right[:, j], keys[q], np.where(blank, "", pick))
    for j, (q, *_rest) in enumerate(subjective):
        table[q] = np.asarray([f"{v:g}" for v in cells_s[:, j]])
    blueprint = pd.DataFrame([{"题号": q, "题型": kind, "分值": marks, "知识点": point,
                               "能力层级": level, "答案": keys.get(q, "")}
                              for q, kind, marks, point, level, _, _ in paper])
    return pd.DataFrame(table), blueprint


def _papers(rng, county, season: str, folder: Path) -> dict:
    """Write the season's item-score exports and blueprints; returns what was planted."""
    frame = county.students[season]
    grade = int(SEASONS[season]["grade"])  # type: ignore[call-overload]
    rural = frame["school_code"].map(
        _category(county.roster.set_index("school_code")["urban_rural"])).eq("rural").to_numpy()
    names = {"数学": "math", "语文": "chinese"}
    record = {}
    for subject, file_id in names.items():
        full = SUBJECTS[grade][subject][0]
        cells, blueprint = _paper_for(rng, frame, subject, full, rural)
        headers = {q: (f"第{q}题" if subject == "语文" and "(" not in q else q)
                   for q in cells.columns}
        export = pd.DataFrame({"学籍号": frame["registry_id"].to_numpy(),
                               "姓名": frame["name"].to_numpy(),
                               "学校": frame["school_name"].to_numpy(),
                               "班级": frame["class"].to_numpy()})
        for q, header in headers.items():
            export[header] = cells[q].to_numpy()
        export["总分"] = frame[subject].astype(str).to_numpy()
        mismatch = int(len(export) // 2)  # one pupil's last question one mark off
        last = list(headers.values())[-1]
        value = float(export.loc[mismatch, last])
        export.loc[mismatch, last] = f"{value - 1:g}" if value >= 1 else "1"
        export.to_csv(folder / f"items-{file_id}.csv", index=False, encoding="utf-8")
        blueprint.to_csv(folder / f"blueprint-{file_id}.csv", index=False, encoding="utf-8")
        record[subject] = {"sum_mismatch_row": mismatch + 2, "questions": len(blueprint)}
    return record


def write_demo_county(out: str | Path, seed: int = SEED) -> dict:
    """Write the demo county's raw files under ``out`` (normally ``data/raw``).

    Returns a record of what mess was planted where (also written nowhere: tests regenerate it).
    """
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    county = make_demo_county(seed)
    rng = np.random.default_rng(seed + 1)
    county.roster.to_csv(out / "schools.csv", index=False, encoding="utf-8")
    record = {}
    for season, exporter in _EXPORTERS.items():
        folder = out / season
        folder.mkdir(exist_ok=True)
        record[season] = exporter(rng, county, folder)
        # staffing drifts a little between seasons
        staffing = county.staffing.copy()
        if season.startswith("2025"):
            staffing["在岗专任教师"] = staffing["在岗专任教师"] + rng.integers(-1, 2, len(staffing))
            staffing["在岗专任教师"] = staffing["在岗专任教师"].clip(lower=2)
        staffing.to_csv(folder / "staffing.csv", index=False, encoding="utf-8")
        _targets(rng, county, season).to_csv(folder / "targets.csv", index=False,
                                             encoding="utf-8")
    papers_rng = np.random.default_rng(seed + 2)  # (its own stream: the files above unchanged)
    for season in PAPER_SEASONS:
        record[season]["papers"] = _papers(papers_rng, county, season, out / season)
    teachers_rng = np.random.default_rng(seed + 3)
    for season in PAPER_SEASONS:
        record[season]["teachers"] = _teachers(teachers_rng, county, season, out / season)
    return record


#: Subjects in the demo's 任课安排 files, and how many classes one teacher takes.
TEACHER_SUBJECTS = ("语文", "数学", "英语")
CLASSES_PER_TEACHER = 2


def _teachers(rng, county, season: str, folder: Path) -> dict:
    """Write the season's teacher-of-record file (任课安排): in each school and subject, one
    teacher for every two classes (in class order), with a staff number and a name."""
    frame = county.students[season]
    rows = []
    used: set[str] = set()
    for (_code, name), part in frame.groupby(["school_code", "school_name"], sort=True):
        classes = sorted(part["class"].unique(), key=lambda c: int(str(c).rstrip("班")))
        for subject in TEACHER_SUBJECTS:
            for k, klass in enumerate(classes):
                if k % CLASSES_PER_TEACHER == 0:
                    staff = _ids(rng, 1, "T", used)[0]
                    teacher = str(_names(rng, 1)[0])
                rows.append({"学校": name, "班级": klass, "学科": subject, "教师编号": staff,
                             "任课教师": teacher})
    table = pd.DataFrame(rows)
    table.to_csv(folder / "teachers.csv", index=False, encoding="utf-8")
    return {"rows": len(table), "teachers": int(table["教师编号"].nunique())}


def digest(folder: str | Path) -> str:
    """SHA-256 over every file under ``folder`` (names and bytes), to check regeneration."""
    hasher = hashlib.sha256()
    for path in sorted(Path(folder).rglob("*")):
        if path.is_file():
            hasher.update(path.relative_to(folder).as_posix().encode())
            hasher.update(path.read_bytes())
    return hasher.hexdigest()


# ---------------------------------------------------------------------------------------------
# seasons of any size, for the scale benchmarks (generated on the fly, never committed)


def write_scaled_project(root: str | Path, n_students: int, n_schools: int, *,
                         seed: int = 1, season: str = "2025-spring-g9",
                         notebooks: str | Path | None = None, export: str = "csv",
                         chunk: int = 1_000_000) -> Path:
    """Write a project with one season of ``n_students`` in ``n_schools`` schools (a wide
    export, roster, staffing; the demo's score model). Returns the project root.

    ``export="csv"`` writes the scores as a UTF-8 CSV file; ``"long"`` as a long CSV file (one
    row per pupil and subject: 学籍号, 姓名, 学校, 班级, 科目, 成绩) written ``chunk`` students at a
    time; ``"parquet"`` as a Parquet file written ``chunk`` students (a row group) at a time,
    never the whole export in memory (a national season's 20 million students). Used by
    ``benchmarks/bench_season.py`` for county, city, province and national scale."""
    import shutil

    if export not in ("csv", "long", "parquet"):
        raise ValueError(f"export must be csv, long or parquet, not {export!r}")
    root = Path(root)
    rng = np.random.default_rng(seed)
    kinds = rng.choice(["城区", "镇区", "乡村"], n_schools, p=[0.3, 0.4, 0.3])
    codes = np.array([f"9{i:09d}" for i in range(n_schools)])
    size = rng.gamma(2.0, 1.0, n_schools) * np.where(kinds == "城区", 3, np.where(
        kinds == "镇区", 1.5, 0.6))
    share = size / size.sum()
    school = rng.choice(n_schools, n_students, p=share).astype(np.int32)
    enrollment = np.maximum(30, np.bincount(school, minlength=n_schools) * 3)
    roster = pd.DataFrame({"school_code": codes, "school_name": [f"第{i}学校" for i in range(
        n_schools)], "aliases": "", "township": [f"乡镇{i % 97}" for i in range(n_schools)],
        "urban_rural": kinds, "school_type": "初中", "boarding": "否",
        "enrollment": enrollment})
    fill = np.where(kinds == "城区", rng.uniform(0.97, 1.05, n_schools),
                    np.where(kinds == "镇区", rng.uniform(0.85, 0.98, n_schools),
                             rng.uniform(0.66, 0.9, n_schools)))
    required = enrollment / 13.5
    in_post = np.maximum(2, np.round(required * fill)).astype(int)
    oof = np.round(in_post * np.where(kinds == "乡村", 0.25, 0.08)).astype(int)
    staffing = pd.DataFrame({"学校代码": codes, "在岗专任教师": in_post, "核定编制": "",
                             "教非所学人数": oof})
    shortage = np.clip(required - in_post, 0, None) / required
    fixed = (EFFECTS["town"] * (kinds == "镇区") + EFFECTS["rural"] * (kinds == "乡村")
             + EFFECTS["shortage_rate"] * shortage + EFFECTS["out_of_field_share"] * oof
             / in_post + rng.normal(0, SCHOOL_SD, n_schools))
    names = roster["school_name"].to_numpy()

    def students(first: int, last: int) -> pd.DataFrame:
        chosen = school[first:last]
        ability = fixed[chosen] + rng.normal(0, 1, last - first)
        rows = pd.DataFrame({"学籍号": [f"G{seed}{i:011d}" for i in range(first, last)],
                             "姓名": "学生", "学校": names[chosen],
                             "班级": (rng.integers(1, 9, last - first)).astype(str)})
        rows["班级"] = rows["班级"] + "班"
        return pd.concat([rows, _scores(rng, ability, 9)], axis=1)

    raw = root / "data" / "raw"
    (raw / season).mkdir(parents=True, exist_ok=True)
    (root / "params").mkdir(parents=True, exist_ok=True)
    (root / "data" / "processed").mkdir(parents=True, exist_ok=True)
    (root / "reports").mkdir(parents=True, exist_ok=True)
    roster.to_csv(raw / "schools.csv", index=False)
    staffing.to_csv(raw / season / "staffing.csv", index=False)
    scores = raw / season / f"scores.{'csv' if export == 'long' else export}"
    if export == "csv":
        students(0, n_students).to_csv(scores, index=False)
    elif export == "long":
        for first in range(0, n_students, chunk):
            wide = students(first, min(n_students, first + chunk))
            long = wide.melt(id_vars=["学籍号", "姓名", "学校", "班级"], var_name="科目",
                             value_name="成绩")
            long.to_csv(scores, index=False, header=first == 0, mode="w" if first == 0 else "a")
    else:
        import pyarrow as pa
        import pyarrow.parquet as pq

        writer = None
        try:
            for first in range(0, n_students, chunk):
                table = pa.Table.from_pandas(students(first, min(n_students, first + chunk)),
                                             preserve_index=False)
                writer = writer or pq.ParquetWriter(scores, table.schema)
                writer.write_table(table)
        finally:
            if writer is not None:
                writer.close()
    (root / "params" / "county.yaml").write_text("county: 基准测试县\n", encoding="utf-8")
    subjects = "\n".join(f"  {s}: {f}" for s, (f, _) in SUBJECTS[9].items())
    (root / "params" / f"{season}.yaml").write_text(
        f"season: {season}\nname: 基准测试\ngrade: 9\nsubjects:\n{subjects}\nfiles:\n"
        f"  scores: data/raw/{season}/{scores.name}\n"
        f"  staffing: data/raw/{season}/staffing.csv\n", encoding="utf-8")
    if notebooks is not None:
        shutil.copytree(notebooks, root / "notebooks", dirs_exist_ok=True)
    return root


def write_other_county(raw: str | Path, season: str = "2026-spring-g6", *,
                       rural_effect: float = 0.4, seed: int = 7, school_sd: float = SCHOOL_SD,
                       export_name: str = "2026春六年级期末成绩.xlsx") -> dict[str, Path]:
    """A county shaped unlike the demo, for tests and onboarding: 17 primary schools with
    real-looking 10-digit codes (not the demo's), an urban district of 4 schools, one township
    with a single school, rural schools that *lead* by ``rural_effect`` SD (negative: trail;
    0: no gap; ``school_sd`` is the SD of the schools' own effects), one school with very few
    pupils, a single-sheet .xlsx export named the way
    platforms name it (title row, 考号 + 学籍号, 总分 column) and a staffing file by school
    name. Writes ``raw/schools.csv``, ``raw/<season>/<export_name>`` and
    ``raw/<season>/staffing.csv``; returns their paths by role.
    """
    rng = np.random.default_rng(seed)
    raw = Path(raw)
    plan = [  # township, urban_rural, number of schools, boarding
        ("凤城街道", "城区", 4, "否"), ("白马镇", "镇区", 3, "否"), ("青石镇", "镇区", 2, "是"),
        ("高岭乡", "乡村", 3, "是"), ("大坪乡", "乡村", 2, "否"), ("三溪乡", "乡村", 1, "是"),
        ("桃源乡", "乡村", 2, "否")]
    rows: list[dict] = []
    for township, kind, n, boarding in plan:
        for k in range(n):
            name = (f"{township[:2]}{'第' + '一二三四'[k] if n > 1 else '中心'}小学"
                    if kind != "城区" else f"凤城{'一二三四'[k]}小")
            rows.append({"学校代码": f"43052{len(rows) + 1:05d}", "学校名称": name, "别名": "",
                         "乡镇": township, "城乡类型": kind, "学校类型": "小学",
                         "寄宿制": boarding, "在校生数": 0})
    roster = pd.DataFrame(rows)
    effect = np.where(roster["城乡类型"] == "乡村", rural_effect,
                      np.where(roster["城乡类型"] == "镇区", rural_effect / 2, 0.0))
    sizes = np.where(roster["城乡类型"] == "城区", rng.integers(180, 260, len(roster)),
                     rng.integers(35, 90, len(roster)))
    sizes[len(roster) - 1] = 8  # a very small school: flagged, never ranked
    roster["在校生数"] = sizes * 6
    school = np.repeat(np.arange(len(roster)), sizes)
    u = rng.normal(0, school_sd, len(roster))
    ability = effect[school] + u[school] + rng.normal(0, 1, len(school))
    scores = _scores(rng, ability, 6)
    n = len(school)
    export = pd.DataFrame({
        "考号": [f"26{seed:02d}{i:06d}" for i in range(n)],
        "学籍号": [f"L43052{seed:03d}{i:08d}" for i in range(n)],
        "姓名": _names(rng, n), "学校": roster["学校名称"].to_numpy()[school],
        "班级": [f"{k % 2 + 1}班" for k in range(n)]})
    export = pd.concat([export, scores], axis=1)
    export["总分"] = scores.sum(axis=1)
    in_post = np.maximum(3, np.round(roster["在校生数"] / 19 * np.where(
        roster["城乡类型"] == "乡村", rng.uniform(0.7, 0.95, len(roster)),
        rng.uniform(0.9, 1.1, len(roster))))).astype(int)
    staffing = pd.DataFrame({"学校名称": roster["学校名称"], "在岗专任教师": in_post,
                             "核定编制": "", "教非所学人数": np.round(in_post * np.where(
                                 roster["城乡类型"] == "乡村", 0.3, 0.05)).astype(int)})
    (raw / season).mkdir(parents=True, exist_ok=True)
    paths = {"roster": raw / "schools.csv", "scores": raw / season / export_name,
             "staffing": raw / season / "staffing.csv"}
    roster.to_csv(paths["roster"], index=False)
    staffing.to_csv(paths["staffing"], index=False)
    with pd.ExcelWriter(paths["scores"], engine="openpyxl") as writer:
        pd.DataFrame([[f"{season[:4]}年春季六年级期末质量监测成绩表"]]).to_excel(
            writer, index=False, header=False, startrow=0)
        export.to_excel(writer, index=False, startrow=1)
    return paths
