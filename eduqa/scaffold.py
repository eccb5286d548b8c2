"""``eduqa new-season``: scaffold the params file and raw-data folder of a new exam season."""

from __future__ import annotations

import re
from pathlib import Path

import yaml

from .errors import EduqaError
from .params import _read_yaml, load_season
from .paths import Project, check_season_id

__all__ = ["new_season", "RAW_README"]

RAW_README = """\
{name}（{season}）原始数据 / raw files
====================================================

请把本次考试的文件原样放在这个文件夹里（不要手工修改内容）：
Put this season's files here exactly as received (do not edit them):

1. {scores}  —— 阅卷系统导出的成绩表（.csv 或 .xlsx 均可；中文或英文表头；
   UTF-8 或 GBK 编码；表头上方可以有标题行）。需要的列：学籍号（或考号）、学校、
   班级，以及每个学科一列：{subjects}。
   The score export (.csv or .xlsx): a student id (学籍号/考号), school, class and one column
   per subject. If your file is .xlsx, change `files.scores` in params/{season}.yaml.
2. staffing.csv —— 各校师资：学校代码、在岗专任教师、核定编制（可空）、教非所学人数。
   Teacher staffing per school.
3. targets.csv（可选 / optional）—— 目标责任状：学校代码、目标平均分、目标及格率、目标优秀率。

然后运行 / then run:
    .venv/bin/eduqa validate {season}    # 检查缺什么、哪里不对 / what is missing or wrong
    .venv/bin/eduqa run {season}         # 生成报告 / build the report
"""


def _shift_year(text: str, old_year: int, new_year: int) -> str:
    return text.replace(str(old_year), str(new_year))


def new_season(project: Project, season: str, source: str) -> tuple[Path, Path]:
    """Create ``params/<season>.yaml`` from the season ``source`` and an empty
    ``data/raw/<season>/`` with instructions. Returns (params file, raw folder).

    The new params keep the source's subjects and settings; file paths point at the new
    folder; ``compare_with`` and ``cohort_prior`` are set to the seasons a year earlier (same
    grade, and one grade lower) when their params exist.
    """
    check_season_id(season)
    check_season_id(source)
    target = project.params_dir / f"{season}.yaml"
    folder = project.raw / season
    if target.exists():
        raise EduqaError(f"{target} already exists: edit it, or choose another season id",
                         zh=f"{target} 已经存在：请直接修改它，或换一个考试季名称")
    base = load_season(project, source, check_files=False)
    data = _read_yaml(base.source)  # validated by load_season above: no aliases, no tags
    old_year, new_year = int(source[:4]), int(season[:4])
    grade_match = re.search(r"g(\d+)$", season)
    grade = int(grade_match.group(1)) if grade_match else base.grade
    term = season.split("-")[1]
    data["season"] = season
    data["name"] = _shift_year(data["name"], old_year, new_year)
    if grade != base.grade:
        data["name"] = re.sub(r"[一二三四五六七八九]年级", f"{'一二三四五六七八九'[grade - 1]}年级",
                              data["name"])
    data["grade"] = grade
    data["files"] = {key: f"data/raw/{season}/{Path(value).name}"
                     for key, value in data["files"].items()}
    known = set(project.season_ids())
    earlier_same = f"{new_year - 1}-{term}-g{grade}"
    earlier_cohort = f"{new_year - 1}-{term}-g{grade - 1}"
    data["compare_with"] = earlier_same if earlier_same in known else None
    data["cohort_prior"] = earlier_cohort if earlier_cohort in known else None
    header = (f"# {data['name']} — created by `eduqa new-season {season} --from {source}`.\n"
              "# Check name, subjects (subject: full marks) and files, then run "
              f"`eduqa validate {season}`.\n")
    target.write_text(header + yaml.safe_dump(data, allow_unicode=True, sort_keys=False),
                      encoding="utf-8")
    folder.mkdir(parents=True, exist_ok=True)
    subjects = "、".join(str(s) for s in data["subjects"])
    (folder / "README.txt").write_text(RAW_README.format(
        name=data["name"], season=season, scores=Path(data["files"]["scores"]).name,
        subjects=subjects), encoding="utf-8")
    return target, folder
