"""The words eduqa *reads*: the headers, subject names, status markers and category codes that
raw exports use, in Chinese and English (what eduqa writes is in the other modules of the
catalog). A module reading a file imports its vocabulary from here.
"""

from __future__ import annotations

import re

MESSAGES: dict[str, tuple[str, str]] = {}  # (words to read, not sentences to write)

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

#: Columns of a blueprint (双向细目表) and the headers each may appear under.
BLUEPRINT_COLUMNS: dict[str, tuple[str, ...]] = {
    "question": ("题号", "小题", "小题号", "题目", "题次", "question", "item"),
    "full_marks": ("满分", "分值", "赋分", "满分值", "full_marks", "marks", "points"),
    "type": ("题型", "题目类型", "类型", "type"),
    "knowledge_point": ("知识点", "考点", "考查知识点", "考查内容", "knowledge_point",
                        "knowledge"),
    "ability": ("能力层级", "能力要求", "认知层次", "能力", "目标层次", "ability", "level"),
    "key": ("答案", "标准答案", "参考答案", "正确答案", "key", "answer"),
}

#: Columns of a long item-score export (one row per pupil and question), besides the id,
#: school and class columns of a score export.
LONG_ITEM_COLUMNS: dict[str, tuple[str, ...]] = {
    "question": BLUEPRINT_COLUMNS["question"],
    "item_score": ("得分", "小题得分", "小题分", "分数", "成绩", "score", "points"),
    "option": ("选项", "作答", "学生作答", "所选选项", "作答选项", "option", "response"),
}

#: Question types scored from a chosen option (an answer key applies).
OBJECTIVE_TYPES = ("选择", "单选", "多选", "单项选择", "多项选择", "判断", "choice")

QUESTION_WRAPPED = re.compile(r"^第(.+?)(?:题|小题)$")

QUESTION_NUMBERED = re.compile(r"^(.+?)(?:题|小题)$")

LIST_SEPARATORS = re.compile(r"[、,，;；/|]+")

CHINESE_DIGITS = {"零": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6,
                   "七": 7, "八": 8, "九": 9}

#: A class written as its number: an optional grade (初三, 九年级), the number in digits or
#: Chinese numerals, optional brackets and 班.
CLASS_NAME = re.compile(r"(?:[初高]?[一二三四五六七八九](?:年级)?|[1-9]年级)?"
                    r"\(?(\d{1,3}|[一二三四五六七八九十两]{1,3})\)?班?")

#: Columns of a teacher-of-record file and the headers each may appear under.
TEACHER_COLUMNS: dict[str, tuple[str, ...]] = {
    "school_name": ("学校", "学校名称", "单位", "school", "school_name"),
    "school_code": ("学校代码", "学校编码", "school_code"),
    "class": ("班级", "班", "class"),
    "subject": ("学科", "科目", "任教学科", "subject"),
    "teacher": ("教师", "任课教师", "教师姓名", "姓名", "teacher", "teacher_name"),
    "teacher_id": ("教师编号", "工号", "教师代码", "teacher_id"),
}

POINTS_TEXT = re.compile(r"\s*(\d+(?:\.\d+)?)\s*(?:分|points?|pts?)\s*", re.IGNORECASE)

#: Files in a season's folder that are not score exports: README.txt, Excel's lock files
#: (~$...), and files named like the other inputs.
NOT_A_SCORES_FILE = re.compile(r"^(~\$|\.)|readme|staffing|targets?|师资|编制|教师|目标|责任"
                               r"|items?[-_]|blueprint|小题|细目|任课", re.IGNORECASE)

NUMBER_TEXT = re.compile(r"^([+-]?\d+(?:\.\d+)?)\s*分?$")

#: The school type of a small teaching site (教学点): below SMALL_SITE pupils it is left out of
#: the staffing balance.
TEACHING_POINT = "教学点"


#: A direction word followed by a negative amount: never in a generated sentence (the sweep
#: reads every page for it).
WRONG_DIRECTION = re.compile(
    r"(高|低|多|少|上升|下降|提高|降低|增加|减少|领先|落后|高出|低于|高于|进步|退步|higher|lower|"
    r"more|fewer|less|above|below|ahead|behind|rose|fell|up|down)(了|约|出)?\s*(by\s*)?[-−]\s*\d")
#: Words of the command line's internal-error message (the sweep looks for them).
INTERNAL_ERROR_MARKERS = ("内部错误", "internal error")


#: Points written as a params file writes them (600分).
POINTS_WRITTEN = "{}分"


#: The Chinese ten of a class number (十二班), the suffix of a class's name and of a score
#: written with its unit (85分), and a class name as one spelling writes it (12班).
TEN = "十"
CLASS_SUFFIX = "班"
CLASS_WRITTEN = "{}班"
POINTS_SUFFIX = "分"
#: The header names an error shows for the id and school columns it did not find.
ID_COLUMNS_SHOWN = "学籍号/考号"
SCHOOL_COLUMN_SHOWN = "学校"


#: What a yes/no column of the roster (寄宿制) may say for yes.
YES_WORDS = ("是", "yes", "Yes", "Y", "1", "true", "True")
#: What a header may hold besides its name (spaces, brackets, punctuation): ignored when a
#: header is matched.
HEADER_NOISE = re.compile(r"[\s_\-()（）:：/\\.*]+")
