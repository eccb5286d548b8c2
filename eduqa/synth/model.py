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

from dataclasses import dataclass

import numpy as np
import pandas as pd

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
# the mess: each kind a real export carries (README "输入文件的列") at least once, recorded
# in MESS for the tests


# ---------------------------------------------------------------------------------------------
# the papers (试卷分析): item scores and blueprints of 语文 and 数学 in two seasons


# ---------------------------------------------------------------------------------------------
# seasons of any size, for the scale benchmarks (generated on the fly, never committed)


