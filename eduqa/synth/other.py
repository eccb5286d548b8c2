"""Other counties from the demo's model: a county of any size for the benchmarks
(write_scaled_project) and a county unlike the demo (write_other_county: rural schools may lead,
no 镇区, other papers) for the tests that must not pass on the demo alone."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from eduqa.synth.model import EFFECTS, SCHOOL_SD, SUBJECTS, _names, _scores


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
