"""The documents and words eduqa *writes into a user's project*: the README files of the
raw-data folders, the starting county.yaml and roster header, the default subjects of a new
season and the words of a season's name (bilingual documents, held whole: a user reads them
beside their files).
"""

from __future__ import annotations

import re

MESSAGES: dict[str, tuple[str, str]] = {}  # (documents, not keyed sentences)

RAW_README = """\
{name}（{season}）原始数据 / raw files
====================================================

请把本次考试的文件原样放在这个文件夹里（不要手工修改内容）：
Put this season's files here exactly as received (do not edit them):

1. {scores}  —— 阅卷系统导出的成绩表（.csv 或 .xlsx 均可；中文或英文表头；
   UTF-8 或 GBK 编码；表头上方可以有标题行）。需要的列：学籍号（或考号）、学校、
   班级，以及每个学科一列：{subjects}。
   The score export (.csv or .xlsx): a student id (学籍号/考号), school, class and one column
   per subject. 文件名不必修改（例如 2026春三年级期末成绩.xlsx）：文件夹中只有一个成绩表时，
   eduqa 会自动找到它并在检查结果中说明；有几个时，请在 params/{season}.yaml 的 files.scores
   中写明用哪一个。
   Keep the platform's file name: when the folder holds one score export, eduqa finds it (and
   says so); with several, name the one in `files.scores` of params/{season}.yaml.
2. staffing.csv —— 各校师资：学校代码、在岗专任教师、核定编制（可空）、教非所学人数。
   可选列（0–1 的比例，也可写 35%）：50岁以上教师比例（share_over_50）、高级职称比例
   （share_senior_title）。写进 params/county.yaml 的差距分析模型项后成为模型变量，例如
       attribution:
         controls: [log_enrollment, boarding, share_over_50]
   （见 README“输入文件的列”）。
   Teacher staffing per school. Optional columns (shares 0–1): 50岁以上教师比例
   (share_over_50), 高级职称比例 (share_senior_title); add them to attribution.controls in
   params/county.yaml (as above) and they become model terms of the 'What the gaps go with' page.
3. targets.csv（可选 / optional）—— 目标责任状：学校代码、目标平均分、目标及格率、目标优秀率。
   没有这个文件时，报告不含目标达成部分（检查结果中会说明，不算错误）。
   Without it the report has no targets section (a note, not an error).

然后在项目文件夹中运行 / then, in the project folder, run:
    {eduqa} validate {season}    # 检查缺什么、哪里不对 / what is missing or wrong
    {eduqa} run {season}         # 生成报告 / build the report
"""

#: Subjects and full marks of a season started from nothing, by grade (a starting point: the
#: params file says to check them against the papers).
DEFAULT_SUBJECTS = {
    **{grade: {"语文": 100, "数学": 100} for grade in (1, 2)},
    **{grade: {"语文": 100, "数学": 100, "英语": 100, "科学": 100} for grade in (3, 4, 5, 6)},
    7: {"语文": 120, "数学": 120, "英语": 120, "生物": 100, "地理": 100, "道德与法治": 100,
        "历史": 100},
    8: {"语文": 120, "数学": 120, "英语": 120, "物理": 100, "生物": 100, "地理": 100,
        "道德与法治": 100, "历史": 100},
    9: {"语文": 120, "数学": 120, "英语": 120, "物理": 100, "化学": 100, "道德与法治": 100,
        "历史": 100},
    **{grade: {"语文": 150, "数学": 150, "英语": 150, "物理": 100, "化学": 100, "生物": 100}
       for grade in (10, 11, 12)},
}

TERM_WORDS = {"spring": "春季", "autumn": "秋季", "fall": "秋季", "summer": "夏季", "winter": "冬季"}

GRADE_DIGITS = "一二三四五六七八九"

ROSTER_README = """学校名单 / school roster: schools.csv
====================================

schools.csv 每所学校一行，全县所有考试季共用。第一行是表头（已写好），请从第二行起填写：
One row per school, shared by every season. Fill in from the second line:

  学校代码   每校唯一，例如国家学校标识码 / unique per school
  学校名称   正式名称 / official name
  别名       成绩表里的其他写法，多个用 | 分隔，例如 城关一小|县一小 / other spellings
  乡镇       所属乡镇（街道） / township
  城乡类型   城区、镇区 或 乡村（也可写统计用城乡划分代码 111 112 121 122 123 210 220）
  学校类型   小学、教学点、初中、九年一贯制、完全中学、高中、十二年一贯制
  寄宿制     是 / 否
  在校生数   整数，可空；核定编制空白时用它按编制标准计算 / enrollment (optional)

各列的全部写法见 eduqa 的 README.md“输入文件的列”。
然后在项目文件夹中运行 / then, in the project folder, run:
    {eduqa} new-season <考试季，例如 2026-spring-g6 / season id, e.g. 2026-spring-g6>
"""

COUNTY_YAML = """\
# Settings shared by every season of the county. Each can be overridden per season under
# `overrides:` in params/<season>.yaml. Thresholds are shares of full marks (docs/METHODS.md §A),
# or points of the total written as e.g. `pass_line: 600分` (best set per season).
county: {county_yaml}
language: {language}            # report language: zh (default) or en
roster: {c.roster}
thresholds:
  pass_line: {t.pass_line:.2f}       # 及格
  good: {t.good:.2f}            # 良好
  excellent: {t.excellent:.2f}       # 优秀
  low: {t.low:.2f}             # 低分 (below)
  near_margin: {t.near_margin:.2f}     # 临界生: within this share of full marks below a line
  band_width: {t.band_width:.2f}      # 分数段 width
  weak_subject: {t.weak_subject:.2f}    # 学科短板: a subject this many SD below the school's own average
composite_weights:      # 综合指数 = 100 × (w·得分率 + w·及格率 + w·优秀率 − w·低分率)
  score_rate: {w.score_rate:.1f}
  pass_rate: {w.pass_rate:.1f}
  excellent_rate: {w.excellent_rate:.1f}
  low_rate: {w.low_rate:.1f}
staffing_norms:         # students per teacher (编制标准) when 核定编制 is not given
  primary: {c.staffing_norms[primary]:g}
  junior: {c.staffing_norms[junior]:g}
  senior: {c.staffing_norms[senior]:g}
min_group_size: {c.min_group_size}      # groups smaller than this are flagged and not ranked
suppress_below: {c.suppress_below}       # no figure from fewer pupils is published (shown as —)
attribution:            # model terms of the attribution sequence (03 page); R-style terms
  place: [{place}]  # M1: 镇区 and 乡村 against 城区
  staffing: [{staffing}]   # M2 adds 缺编率, 教非所学比例
  controls: [{controls}]            # M3 adds school size, boarding (+ prior score)
tiers:                  # 梯次评价: each school judged only among the schools of its tier
  by: [urban_rural, school_type]   # any of urban_rural, school_type, boarding, size, baseline
  size_bands: [300, 1000]          # size: enrolment bands (pupils) cut at these numbers
  baseline_groups: 3               # baseline: last season's composite index in this many groups
school_reports: true    # 校本报告: an internal page and Word document for every school
"""

ROSTER_HEADER = "学校代码,学校名称,别名,乡镇,城乡类型,学校类型,寄宿制,在校生数\n"

#: how a grade is written in a season's name (一年级 … 九年级, 高一 … 高三)
GRADE_IN_NAME = re.compile(r"[一二三四五六七八九]年级|高[一二三]")

#: A new season's display name, and the grade's name in it.
SEASON_NAME = "{county}{year}年{term}{grade}期末质量监测"
GRADE_NAME = "{digit}年级"
SENIOR_GRADE_NAME = "高{digit}"
#: The bundled demo county's name (a project holding only it may be cleared by init).
DEMO_COUNTY = "示范县"
