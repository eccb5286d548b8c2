"""The vocabulary of raw exports: header aliases, subject names, status markers, category codes.

Real marking-system exports name the same column many ways (考号 / 准考证号 / 学号 / student_id).
Every alias table lives here, so adding a spelling met in the wild is a one-line change.
"""

from __future__ import annotations

import re
import unicodedata

__all__ = [
    "normalize_text",
    "normalize_header",
    "SCORE_COLUMNS",
    "ID_PRIORITY",
    "SUBJECT_ALIASES",
    "subject_id",
    "STATUS_MARKERS",
    "URBAN_RURAL",
    "urban_rural_category",
    "ROSTER_COLUMNS",
    "STAFFING_COLUMNS",
    "TARGET_COLUMNS",
    "STATUSES",
    "SCHOOL_LEVELS",
    "SCHOOL_TYPE_LEVELS",
]

STATUSES = ("sat", "absent", "voided", "exempt", "invalid")


def normalize_text(value: object) -> str:
    """NFKC-normalise (full-width -> half-width), trim, and collapse inner whitespace."""
    if value is None:
        return ""
    text = str(value)
    if not unicodedata.is_normalized("NFKC", text):
        text = unicodedata.normalize("NFKC", text)
    if text.isprintable() and "  " not in text:  # its only white space: single ASCII spaces
        return text.strip()
    return re.sub(r"\s+", " ", text).strip()


def normalize_header(value: object) -> str:
    """Header key used for alias lookup: NFKC, no spaces or punctuation, lower case."""
    text = normalize_text(value).lower()
    return re.sub(r"[\s_\-()（）:：/\\.*]+", "", text)


# Canonical columns of a score export and the headers each may appear under.
SCORE_COLUMNS: dict[str, tuple[str, ...]] = {
    "registry_id": ("学籍号", "全国学籍号", "学籍辅号", "registry_id", "student_id", "studentid"),
    "student_no": ("学号", "student_no", "studentno"),
    "exam_id": ("考号", "准考证号", "考生号", "准考号", "exam_id", "examid", "candidate_id"),
    "name": ("姓名", "学生姓名", "考生姓名", "name", "student_name", "studentname"),
    "school_name": ("学校", "学校名称", "学校名", "所在学校", "单位", "单位名称", "考点学校",
                    "school", "school_name", "schoolname"),
    "school_code": ("学校代码", "学校编码", "学校标识码", "school_code", "schoolcode"),
    "class": ("班级", "班", "班别", "class", "class_name", "classname"),
    # (read only to tell apart schools of one name in different townships: 中心小学)
    "township": ("乡镇", "乡镇街道", "所属乡镇", "township"),
    "subject": ("科目", "学科", "考试科目", "subject"),
    "score": ("成绩", "分数", "得分", "score", "mark"),
}

# A student's identity is taken from the most stable id present (学籍号 links across seasons).
ID_PRIORITY = ("registry_id", "student_no", "exam_id")

SUBJECT_ALIASES: dict[str, tuple[str, ...]] = {
    "chinese": ("语文", "chinese"),
    "math": ("数学", "math", "maths", "mathematics"),
    "english": ("英语", "外语", "english"),
    "science": ("科学", "science"),
    "physics": ("物理", "physics"),
    "chemistry": ("化学", "chemistry"),
    "biology": ("生物", "生物学", "biology"),
    "geography": ("地理", "geography"),
    "history": ("历史", "history"),
    "morality_law": ("道德与法治", "道法", "思想品德", "思品", "政治", "morality_law", "politics"),
    "total": ("总分", "总成绩", "合计", "total"),
}

_SUBJECT_LOOKUP = {
    normalize_header(alias): canonical
    for canonical, aliases in SUBJECT_ALIASES.items()
    for alias in aliases
}


def subject_id(name: object) -> str | None:
    """Canonical subject id of a header or subject name, or None when it is not a subject."""
    return _SUBJECT_LOOKUP.get(normalize_header(name))


# Non-numeric score cells that mean a status, not a score.
STATUS_MARKERS: dict[str, str] = {
    "缺考": "absent", "缺": "absent", "缺席": "absent", "未考": "absent", "absent": "absent",
    "作弊": "voided", "违纪": "voided", "舞弊": "voided", "违规": "voided", "voided": "voided",
    "免考": "exempt", "免": "exempt", "exempt": "exempt",
}

# The national statistical urban-rural code (统计用城乡划分代码) and the words used in rosters.
URBAN_RURAL: dict[str, str] = {
    "城区": "urban", "城市": "urban", "主城区": "urban", "城乡结合区": "urban",
    "111": "urban", "112": "urban",
    "镇区": "town", "镇中心区": "town", "镇乡结合区": "town", "121": "town", "122": "town",
    "123": "town", "特殊区域": "town",
    "乡村": "rural", "农村": "rural", "乡中心区": "rural", "村庄": "rural", "210": "rural",
    "220": "rural",
    "urban": "urban", "town": "town", "rural": "rural",
}


def urban_rural_category(value: object) -> str | None:
    """Map a roster's urban-rural entry (word or national code) to urban / town / rural."""
    text = normalize_text(value)
    if text.endswith(".0"):
        text = text[:-2]
    return URBAN_RURAL.get(text) or URBAN_RURAL.get(text.lower())


ROSTER_COLUMNS: dict[str, tuple[str, ...]] = {
    "school_code": ("school_code", "学校代码", "学校编码", "学校标识码"),
    "school_name": ("school_name", "学校名称", "学校"),
    "aliases": ("aliases", "别名", "其他名称"),
    "township": ("township", "乡镇", "乡镇街道", "所属乡镇"),
    "urban_rural": ("urban_rural", "城乡类型", "城乡分类", "城乡分类代码"),
    "school_type": ("school_type", "学校类型", "办学类型"),
    "boarding": ("boarding", "寄宿制", "是否寄宿制", "是否寄宿"),
    "enrollment": ("enrollment", "enrolment", "在校生数", "学生数"),
}

STAFFING_COLUMNS: dict[str, tuple[str, ...]] = {
    "school_code": ("school_code", "学校代码", "学校编码", "学校标识码"),
    "school_name": ("school_name", "学校名称", "学校"),
    "subject": ("subject", "学科", "科目"),
    "teachers_in_post": ("teachers_in_post", "在岗专任教师", "在岗专任教师数", "专任教师数"),
    "required": ("required", "核定编制", "核定编制数", "应配教师数", "按标准应配"),
    "out_of_field": ("out_of_field", "教非所学人数", "教非所学"),
    "share_over_50": ("share_over_50", "50岁以上教师比例"),
    "share_senior_title": ("share_senior_title", "高级职称比例"),
}

TARGET_COLUMNS: dict[str, tuple[str, ...]] = {
    "school_code": ("school_code", "学校代码", "学校编码"),
    "school_name": ("school_name", "学校名称", "学校"),
    "subject": ("subject", "学科", "科目"),
    "mean": ("mean", "目标平均分", "平均分"),
    "pass_rate": ("pass_rate", "目标及格率", "及格率"),
    "excellent_rate": ("excellent_rate", "目标优秀率", "优秀率"),
    "rank": ("rank", "目标名次", "名次"),
}

# Exam school level of a season, and which school types teach it.
SCHOOL_LEVELS = ("primary", "junior", "senior")
SCHOOL_TYPE_LEVELS: dict[str, tuple[str, ...]] = {
    "小学": ("primary",),
    "教学点": ("primary",),
    "初中": ("junior",),
    "九年一贯制": ("primary", "junior"),
    "完全中学": ("junior", "senior"),
    "高中": ("senior",),
    "十二年一贯制": ("primary", "junior", "senior"),
}


#: Text columns of processed tables read as categoricals (in text order) by
#: :meth:`eduqa.project.season.Season.load` and :func:`eduqa.project.pipeline.load_processed`: a long table's
#: schools, classes, subjects and statuses repeat a few values over millions of rows. The
#: files hold them as plain text (:func:`eduqa.compute.parquet.write_parquet`). The clean step holds the
#: student key as a categorical too (it has the codes), but it is read as text: its millions
#: of distinct values cost more to factorise on every read (seconds at province scale) than
#: their text costs to hold.
CATEGORIES: dict[str, tuple[str, ...]] = {
    "scores": ("school_code", "class", "subject", "status")}


#: the table files eduqa reads
CSV_SUFFIXES = {".csv", ".txt", ".tsv"}


EXCEL_SUFFIXES = {".xlsx", ".xlsm", ".xls", ".xlsb", ".ods"}


PARQUET_SUFFIXES = {".parquet"}


#: Every file type :func:`read_table` reads.
TABLE_SUFFIXES = frozenset(CSV_SUFFIXES | EXCEL_SUFFIXES | PARQUET_SUFFIXES)
