"""The demo's raw files as a real office receives them: messy score exports per season (title
lines, aliases, full-width digits, markers, stated totals), targets, teachers of record, and
write_demo_county that writes them all."""

from __future__ import annotations

import hashlib
from pathlib import Path

import numpy as np
import pandas as pd

from eduqa.synth.model import SEASONS, SEED, SUBJECTS, _ids, _names, make_demo_county
from eduqa.synth.papers import PAPER_SEASONS, _papers


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
