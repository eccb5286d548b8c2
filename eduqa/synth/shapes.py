"""Counties of every shape, for the county-shape sweep (``make sweep``, ``tests/test_sweep.py``):
drawn here (demo data, like the demo county); :mod:`eduqa.shapes` writes one as a project.

The demo county is one shape. Real counties differ: rural schools may lead, there may be no
镇区 school at all, a township may have one school, a season may have 6 schools, two schools
may share a name, a paper may be all 解答题 scored 0–12, full marks may be 150 or 800. This
module draws a :class:`CountyShape` from a seed; :func:`eduqa.shapes.write_shape_project`
writes it as a new county's project, made the way a new user makes one (``eduqa init``,
``eduqa new-season``, then the raw files copied in), so that ``eduqa validate`` and
``eduqa run`` can be tried on it.

A shape's scores follow the demo's model (:mod:`eduqa.synth`): school j's pupils have
attainment ``effect[category_j] + school_sd·u_j + e_i``; a subject's score is its full marks
times a clipped share. Papers (小题分) are drawn from the same attainment: right/wrong
questions by a 2PL model, questions scored 0..m by a binomial with a logistic success rate;
the subject's score is the sum of its questions, so every pupil takes part in the paper
analysis.

Examples
--------
>>> shape = draw_shape(3)
>>> shape.seed, 1 <= shape.n_schools <= 400
(3, True)
"""

from __future__ import annotations

import itertools
from dataclasses import asdict, dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
import yaml

__all__ = ["CATEGORIES", "COUNTY_NAME", "CountyShape", "draw_shape", "draw_shapes",
           "ShapeProject"]

#: the roster's urban-rural words, and the national codes a roster may give instead
CATEGORIES = ("城区", "镇区", "乡村")
_CODES = {"城区": ("111", "112"), "镇区": ("121", "122"), "乡村": ("210", "220")}
_SUBJECTS = ("语文", "数学", "英语", "科学", "物理", "化学", "生物", "地理", "历史", "道德与法治")
_FULL_MARKS = (12, 50, 60, 100, 100, 100, 120, 120, 150)
_TOWNSHIP_NAMES = ("城关街道", "东城街道", "青山镇", "河口镇", "石桥镇", "柳溪乡", "白沙镇",
                   "龙潭乡", "松岭乡", "枫林镇", "桃源乡", "大坪乡", "三溪乡", "高岭乡",
                   "白马镇", "青石镇", "凤城街道", "金田镇", "水口乡", "茶园乡", "樟树镇",
                   "黄泥乡", "竹山乡", "石门镇", "新屋乡")
_VILLAGES = ("上塘", "下湾", "杨家", "坪里", "岭头", "沙坪", "新屋", "河背", "竹山", "石门",
             "桥头", "水口", "茶园", "大坑", "高岭", "洋田", "黄泥", "樟树", "塘边", "田心")
_POINTS = ("数与代数", "图形与几何", "统计与概率", "综合与实践", "阅读", "写作", "积累运用")
#: what a shape's county.yaml tiers the schools by: ``eduqa init``'s default (城乡 and school
#: type), none, enrolment bands, last season's baseline (none in a first season), and three keys
_TIER_CHOICES = (("urban_rural", "school_type"), (), ("size",), ("baseline",),
                 ("urban_rural", "boarding", "size"))
#: the name two schools in different townships share in a shape with ``same_name``
SHARED_NAME = "中心小学"
#: the score export's file name as a marking platform names it (found by itself: the season's
#: params keep ``scores.xlsx``)
PLATFORM_NAME = "{year}春{grade}年级期末成绩"
_GRADE_WORDS = "一二三四五六七八九"


@dataclass(frozen=True)
class CountyShape:
    """One county and its season, as drawn by :func:`draw_shape`.

    ``schools`` lists per school (category, township index, pupils in the grade, classes);
    every other field is one choice of what real counties vary in."""

    seed: int
    grade: int
    subjects: dict[str, float]
    schools: tuple[tuple[str, int, int, int], ...]
    n_townships: int
    effects: dict[str, float]
    school_sd: float
    export: str                       # "xlsx" | "csv" | "long"
    platform_file_name: bool          # the export keeps the platform's file name
    total_column: bool
    staffing_extras: tuple[str, ...]  # optional staffing columns present
    staffing_flat: bool               # every school fully staffed, nobody out of field
    targets: bool
    prior: str                        # "none" | "cohort" (last year's lower grade, same pupils)
    paper: str                        # "none" | "binary" | "polytomous" | "mixed"
    paper_points: int                 # knowledge points on the paper
    same_name: bool                   # two schools of one name in different townships
    export_codes: bool                # the export has a 学校代码 column
    absent_share: float
    export_townships: bool = False    # the export has a 乡镇 column
    #: what county.yaml tiers the schools by (梯次评价); the default of ``eduqa init`` when
    #: it is 城乡 and school type
    tiers: tuple[str, ...] = ("urban_rural", "school_type")
    notes: tuple[str, ...] = field(default=())

    @property
    def n_schools(self) -> int:
        return len(self.schools)

    @property
    def n_students(self) -> int:
        return sum(pupils for _, _, pupils, _ in self.schools)

    @property
    def categories(self) -> tuple[str, ...]:
        return tuple(c for c in CATEGORIES if any(s[0] == c for s in self.schools))

    @property
    def expect_valid(self) -> bool:
        """Whether ``eduqa validate`` should pass: everything drawn is valid input except two
        same-named schools that the export cannot tell apart (no code or township column)."""
        return not (self.same_name and not self.export_codes and not self.export_townships)

    def describe(self) -> str:
        """One line for the sweep's table."""
        paper = "" if self.paper == "none" else f", paper {self.paper}"
        return (f"{self.n_schools} schools ({'/'.join(self.categories)}), {self.n_townships} "
                f"township(s), {self.n_students:,} pupils, {len(self.subjects)} subject(s)"
                f"{paper}, {self.export}" + (", same-named schools" if self.same_name else "")
                + (", township column" if self.export_townships else "")
                + (", prior season" if self.prior != "none" else "")
                + (f", tiers by {'+'.join(self.tiers) or 'nothing'}"
                   if self.tiers != ("urban_rural", "school_type") else ""))

    def as_dict(self) -> dict:
        return asdict(self)


def _school_count(rng: np.random.Generator) -> int:
    kind = rng.choice(4, p=[0.12, 0.18, 0.5, 0.2])
    low, high = ((1, 3), (4, 8), (9, 60), (61, 400))[int(kind)]
    if kind == 3:  # log-uniform over the large counties
        return int(round(np.exp(rng.uniform(np.log(low), np.log(high)))))
    return int(rng.integers(low, high + 1))


def _pupils(rng: np.random.Generator, n_schools: int) -> np.ndarray:
    """Pupils of the grade per school: tiny (1–5), small, medium and huge schools mixed;
    the season kept to at most 30,000 pupils (the sweep's time)."""
    band = rng.choice(4, n_schools, p=[0.08, 0.32, 0.5, 0.1])
    low = np.array([1, 6, 40, 200])[band]
    high = np.array([5, 40, 200, 900])[band]
    pupils = rng.integers(low, high + 1)
    if pupils.sum() > 30_000:
        pupils = np.maximum(1, np.floor(pupils * 30_000 / pupils.sum())).astype(int)
    if n_schools <= 3:  # a county of one to three schools still has pupils enough to report
        pupils = np.maximum(pupils, 12)
    return pupils


def draw_shape(seed: int) -> CountyShape:
    """The county shape of ``seed`` (the same seed, the same shape)."""
    rng = np.random.default_rng([20261206, seed])
    n_schools = _school_count(rng)
    subset = [c for c in CATEGORIES if rng.random() < 0.6] or [str(rng.choice(CATEGORIES))]
    kinds = list(subset) + list(rng.choice(subset, max(0, n_schools - len(subset))))
    kinds = [str(k) for k in rng.permutation(kinds)][:n_schools]
    n_townships = 1 if rng.random() < 0.2 else int(rng.integers(1, min(n_schools, 25) + 1))
    townships = rng.integers(0, n_townships, n_schools)
    townships[:n_townships] = np.arange(min(n_townships, n_schools))  # each has a school
    pupils = _pupils(rng, n_schools)
    one_class = rng.random() < 0.3
    classes = np.where(one_class | (pupils <= 45), 1, np.ceil(pupils / 45)).astype(int)
    grade = int(rng.integers(3, 10))
    n_subjects = int(rng.choice([1, 2, 3, 4, 6, 8, 10]))
    names = [str(s) for s in rng.choice(_SUBJECTS, n_subjects, replace=False)]
    marks = {s: float(rng.choice(_FULL_MARKS)) for s in names}
    if n_subjects == 1 and rng.random() < 0.3:
        marks[names[0]] = 800.0  # a 中考 total given as one paper
    rural = float(rng.uniform(-0.6, 0.6))  # rural schools may lead
    effects = {"城区": 0.0, "镇区": float(rural / 2 + rng.normal(0, 0.1)), "乡村": rural}
    same_name = n_townships >= 2 and n_schools >= 2 and rng.random() < 0.25
    paper = str(rng.choice(["none", "none", "binary", "polytomous", "mixed"]))
    extras = tuple(c for c in ("50岁以上教师比例", "高级职称比例") if rng.random() < 0.5)
    return CountyShape(
        seed=seed, grade=grade, subjects=marks,
        schools=tuple((k, int(t), int(p), int(c))
                      for k, t, p, c in zip(kinds, townships, pupils, classes)),
        n_townships=n_townships, effects=effects,
        school_sd=float(rng.choice([0.0, 0.1, 0.25, 0.4])),
        export=str(rng.choice(["xlsx", "csv", "long"])),
        platform_file_name=bool(rng.random() < 0.5), total_column=bool(rng.random() < 0.5),
        staffing_extras=extras, staffing_flat=bool(rng.random() < 0.15),
        targets=bool(rng.random() < 0.5),
        prior="cohort" if grade > 3 and rng.random() < 0.35 else "none",
        paper=paper, paper_points=int(rng.integers(1, 6)), same_name=same_name,
        export_codes=bool(same_name and rng.random() < 0.6 or rng.random() < 0.2),
        absent_share=float(rng.choice([0.0, 0.01, 0.05])),
        export_townships=bool(rng.random() < 0.3),  # (drawn last: the other draws as before)
        tiers=_TIER_CHOICES[int(rng.choice(len(_TIER_CHOICES), p=[0.5, 0.1, 0.15, 0.1, 0.15]))])


def draw_shapes(n: int, first: int = 0) -> list[CountyShape]:
    """Shapes of the seeds ``first`` … ``first + n − 1``."""
    return [draw_shape(seed) for seed in range(first, first + n)]


@dataclass(frozen=True)
class ShapeProject:
    """A written shape: its project folder, its seasons (oldest first) and the season the
    sweep reports on, and the file name the score export carries."""

    root: Path
    seasons: tuple[str, ...]
    season: str
    export_file: str


def _roster(rng, shape: CountyShape) -> pd.DataFrame:
    rows = []
    villages = itertools.cycle(_VILLAGES)
    used: set[str] = set()
    for k, (kind, township, pupils, _classes) in enumerate(shape.schools):
        town = _TOWNSHIP_NAMES[township % len(_TOWNSHIP_NAMES)] + (
            str(township // len(_TOWNSHIP_NAMES)) if township >= len(_TOWNSHIP_NAMES) else "")
        if shape.same_name and k < 2:
            name = SHARED_NAME
        else:
            name = f"{next(villages)}{'小学' if shape.grade <= 6 else '中学'}"
            while name in used or name == SHARED_NAME:
                name = f"{next(villages)}{k}{'小学' if shape.grade <= 6 else '中学'}"
        used.add(name)
        school_type = ("教学点" if pupils <= 5 and shape.grade <= 6 else
                       "小学" if shape.grade <= 6 else
                       "九年一贯制" if kind == "乡村" and k % 3 == 0 else "初中")
        category = kind if rng.random() < 0.6 else str(rng.choice(_CODES[kind]))
        rows.append({"学校代码": f"4305{shape.seed % 100:02d}{k + 1:04d}", "学校名称": name,
                     "别名": "", "乡镇": town, "城乡类型": category, "学校类型": school_type,
                     "寄宿制": "是" if kind == "乡村" and k % 2 else "否",
                     "在校生数": int(max(pupils, 1) * (6 if shape.grade <= 6 else 3))})
    roster = pd.DataFrame(rows)
    if shape.same_name:  # the two share a name but never a township
        first, second = roster.loc[0, "乡镇"], roster.loc[1, "乡镇"]
        if first == second:
            roster.loc[1, "乡镇"] = next(t for t in roster["乡镇"] if t != first)
    return roster


def _ability(rng, shape: CountyShape) -> tuple[np.ndarray, np.ndarray]:
    """Per pupil: school index and attainment."""
    school = np.repeat(np.arange(shape.n_schools), [s[2] for s in shape.schools])
    u = rng.normal(0, 1, shape.n_schools) * shape.school_sd
    fixed = np.array([shape.effects[s[0]] for s in shape.schools]) + u
    return school, fixed[school] + rng.normal(0, 1, len(school))


def _subject_scores(rng, ability: np.ndarray, marks: float) -> np.ndarray:
    rate = rng.uniform(0.5, 0.75)
    noise = rng.normal(0, 1, len(ability))
    share = rate + 0.16 * (0.85 * ability + np.sqrt(1 - 0.85**2) * noise)
    return np.round(np.clip(share, 0, 1) * marks)


def _paper(rng, ability: np.ndarray, kind: str, points: int
           ) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Item cells (text; right/wrong questions as the option chosen) and the blueprint."""
    if kind == "binary":
        plan = [("选择题", 3)] * int(rng.integers(5, 25))
    elif kind == "polytomous":
        plan = [("解答题", int(rng.choice([2, 4, 6, 8, 10, 12]))) for _ in range(
            int(rng.integers(3, 10)))]
    else:
        plan = ([("选择题", 3)] * int(rng.integers(4, 12))
                + [("解答题", int(rng.choice([2, 6, 12]))) for _ in range(int(rng.integers(2, 6)))])
    n = len(ability)
    theta = (ability - ability.mean()) / (ability.std() or 1.0)
    cells: dict[str, np.ndarray] = {}
    rows = []
    for q, (kind_q, marks) in enumerate(plan, start=1):
        a, b = rng.uniform(0.6, 2.0), rng.normal(0, 1)
        p = 1 / (1 + np.exp(-a * (theta - b)))
        point = _POINTS[(q - 1) % points]
        if kind_q == "选择题":
            key = "ABCD"[q % 4]
            right = rng.random(n) < p
            wrong = rng.choice([o for o in "ABCD" if o != key], n)
            cells[str(q)] = np.where(right, key, wrong)
            rows.append({"题号": str(q), "题型": kind_q, "分值": marks, "知识点": point,
                         "能力层级": "理解", "答案": key})
        else:
            got = rng.binomial(marks, p)
            cells[str(q)] = got.astype(int).astype(str)
            rows.append({"题号": str(q), "题型": kind_q, "分值": marks, "知识点": point,
                         "能力层级": "应用", "答案": ""})
    return pd.DataFrame(cells), pd.DataFrame(rows)


def _paper_total(cells: pd.DataFrame, blueprint: pd.DataFrame) -> np.ndarray:
    total = np.zeros(len(cells))
    for row in blueprint.itertuples(index=False):
        column = cells[row.题号]
        if row.题型 == "选择题":
            total += np.where(column == row.答案, row.分值, 0)
        else:
            total += column.astype(float).to_numpy()
    return total


def _season_id(shape: CountyShape, offset: int) -> str:
    return f"{2026 - offset}-spring-g{shape.grade - offset}"


def _write_season(rng, shape: CountyShape, project, season: str, grade: int,
                  roster: pd.DataFrame, school: np.ndarray, ability: np.ndarray,
                  ids: np.ndarray, folder: Path) -> str:
    n = len(school)
    classes = np.array([s[3] for s in shape.schools])[school]
    within = np.concatenate([np.arange(s[2]) for s in shape.schools]) if n else np.array([])
    export = pd.DataFrame({"学籍号": ids, "姓名": "学生",
                           "学校": roster["学校名称"].to_numpy()[school],
                           "班级": [f"{k % c + 1}班" for k, c in zip(within, classes)]})
    if shape.export_codes:
        export.insert(2, "学校代码", roster["学校代码"].to_numpy()[school])
    if shape.export_townships:
        export.insert(2, "乡镇", roster["乡镇"].to_numpy()[school])
    subjects = dict(shape.subjects)
    papers: dict[str, tuple[pd.DataFrame, pd.DataFrame]] = {}
    paper_subjects = list(subjects)[:2] if shape.paper != "none" else []
    for subject in subjects:
        if subject in paper_subjects:
            cells, blueprint = _paper(rng, ability, shape.paper, shape.paper_points)
            papers[subject] = (cells, blueprint)
            subjects[subject] = float(blueprint["分值"].sum())
            export[subject] = _paper_total(cells, blueprint)
        else:
            export[subject] = _subject_scores(rng, ability, subjects[subject])
    absent = rng.random((n, len(subjects))) < shape.absent_share
    text = np.array(export[list(subjects)].astype(int).astype(str).to_numpy(), dtype=object)
    text[absent] = "缺考"
    export[list(subjects)] = text
    if shape.total_column:
        export["总分"] = np.where(absent.any(axis=1), "",
                                 export[list(subjects)].replace("缺考", "0").astype(float)
                                 .sum(axis=1).astype(int).astype(str))
    name = (PLATFORM_NAME.format(year=season[:4], grade=_GRADE_WORDS[grade - 1])
            if shape.platform_file_name else "scores")
    if shape.export == "long":
        keys = [c for c in export.columns if c not in subjects and c != "总分"]
        long = export.melt(id_vars=keys, value_vars=list(subjects), var_name="科目",
                           value_name="成绩")
        export_file = f"{name}.csv"
        long.to_csv(folder / export_file, index=False, encoding="utf-8")
    elif shape.export == "csv":
        export_file = f"{name}.csv"
        export.to_csv(folder / export_file, index=False, encoding="utf-8")
    else:
        export_file = f"{name}.xlsx"
        with pd.ExcelWriter(folder / export_file, engine="openpyxl") as writer:
            pd.DataFrame([[f"{season[:4]}年春季期末质量监测成绩表"]]).to_excel(
                writer, index=False, header=False, startrow=0)
            export.to_excel(writer, index=False, startrow=1)
    _staffing(rng, shape, roster).to_csv(folder / "staffing.csv", index=False,
                                          encoding="utf-8")
    files: dict = {"scores": f"data/raw/{season}/"
                             + (export_file if not shape.platform_file_name
                                else "scores.xlsx"),
                   "staffing": f"data/raw/{season}/staffing.csv"}
    if shape.targets:
        totals = export[list(subjects)].replace("缺考", np.nan).astype(float).sum(axis=1)
        mean = totals.groupby(school).mean()
        targets = pd.DataFrame({"学校代码": roster["学校代码"].to_numpy()[mean.index],
                                "目标平均分": np.round(mean.to_numpy() * rng.uniform(
                                    0.95, 1.05, len(mean)), 1),
                                "目标及格率": [f"{int(v)}%" for v in rng.integers(40, 90,
                                                                               len(mean))]})
        targets.to_csv(folder / "targets.csv", index=False, encoding="utf-8")
        files["targets"] = f"data/raw/{season}/targets.csv"
    if papers:
        files["items"], files["blueprints"] = {}, {}
        for k, (subject, (cells, blueprint)) in enumerate(papers.items()):
            items = export[["学籍号", "姓名", "学校", "班级"]].copy()
            for column in cells.columns:
                items[column] = cells[column].to_numpy()
            items.to_csv(folder / f"items-{k}.csv", index=False, encoding="utf-8")
            blueprint.to_csv(folder / f"blueprint-{k}.csv", index=False, encoding="utf-8")
            files["items"][subject] = f"data/raw/{season}/items-{k}.csv"
            files["blueprints"][subject] = f"data/raw/{season}/blueprint-{k}.csv"
    params_file = project.params_dir / f"{season}.yaml"
    data = yaml.safe_load(params_file.read_text(encoding="utf-8"))
    data["subjects"] = {s: (int(m) if float(m).is_integer() else m) for s, m in subjects.items()}
    data["files"] = files
    params_file.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False),
                           encoding="utf-8")
    return export_file


def _staffing(rng, shape: CountyShape, roster: pd.DataFrame) -> pd.DataFrame:
    n = len(roster)
    rural = (np.array([s[0] for s in shape.schools]) == "乡村")
    required = np.maximum(1.0, roster["在校生数"].to_numpy() / 19)
    if shape.staffing_flat:
        in_post = np.ceil(required).astype(int)
        out_of_field = np.zeros(n, dtype=int)
    else:
        fill = np.where(rural, rng.uniform(0.7, 1.0, n), rng.uniform(0.9, 1.1, n))
        in_post = np.maximum(1, np.round(required * fill)).astype(int)
        out_of_field = np.round(in_post * np.where(rural, rng.uniform(0, 0.4, n),
                                                   rng.uniform(0, 0.1, n))).astype(int)
    table = pd.DataFrame({"学校代码": roster["学校代码"], "学校名称": roster["学校名称"],
                          "在岗专任教师": in_post, "核定编制": "",
                          "教非所学人数": out_of_field})
    for column in shape.staffing_extras:
        table[column] = np.round(rng.uniform(0.05, 0.4, n), 2)
    return table


#: The county a shape's project is made for.
COUNTY_NAME = "青山县"
