"""The column registry: every column eduqa publishes, its Chinese and English header, how its
numbers are shown and what happens to it in a row computed from too few pupils.

One :class:`Column` per canonical column name (the names used in the code and in
``data/processed``). The pages (:func:`eduqa.report.tables.styled`), the workbook
(:func:`eduqa.report.tables.write_workbook`), the Word report and the small-group rule
(:mod:`eduqa.indicators.privacy`) all read it, so a column is labelled, rounded and
suppressed the same way everywhere. A :class:`View` is one published table: the columns it
shows, in order, and where that table shows a column differently from the registry (the
rate rows of the urban–rural gap table are percentages; a wide table whose columns are
seasons or subjects formats them all one way).

To publish a new indicator: compute it (a column of the frame the page shows), add its
:class:`Column` here, and add its name to the :data:`VIEWS` that should show it. Nothing else
changes: the page, the workbook and the Word report pick it up in both languages.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field

__all__ = ["Column", "View", "COLUMNS", "VIEWS", "KINDS", "PERCENT", "INTEGER", "P_VALUE",
           "PRECISE", "NUMBER", "YES_NO", "FLAG", "TEXT", "FIGURE", "COUNT", "DESCRIPTOR",
           "view_columns", "column_format", "registered"]

#: Display kinds: a rate as ``78.0%``; a count as ``1,234``; a p-value as ``<0.001`` or
#: ``0.032``; a coefficient, standard score or coefficient of variation with three decimals
#: (one decimal would turn a 差异系数 of 0.092 into 0.1); any other number with one; a yes/no
#: answer as 是/否; a flag as 是 or blank; text as written.
PERCENT, INTEGER, P_VALUE, PRECISE, NUMBER = "percent", "integer", "p_value", "precise", "number"
YES_NO, FLAG, TEXT = "yes_no", "flag", "text"
KINDS = (PERCENT, INTEGER, P_VALUE, PRECISE, NUMBER, YES_NO, FLAG, TEXT)
#: Small-group rules (docs/METHODS.md §A.4): a *figure* is shown as — in a row computed from
#: fewer than ``suppress_below`` pupils; a *count* is such a row's number of pupils (the
#: smallest of a row's counts decides); a *descriptor* says which group the row is, or how
#: many it holds, and is always shown.
FIGURE, COUNT, DESCRIPTOR = "figure", "count", "descriptor"


@dataclass(frozen=True)
class Column:
    """One published column.

    Parameters
    ----------
    name
        The canonical name (the frame's column).
    zh, en
        The header in Chinese and in English.
    kind
        One of :data:`KINDS` (default :data:`NUMBER`). A column whose values are text is
        shown as text whatever its kind.
    decimals
        Decimals shown, where the kind's default does not suit (percent 1, integer 0,
        precise 3, number 1; p-values always 3).
    small_group
        :data:`FIGURE` (default), :data:`COUNT` or :data:`DESCRIPTOR`.
    """

    name: str
    zh: str
    en: str
    kind: str = NUMBER
    decimals: int | None = None
    small_group: str = FIGURE

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"column {self.name!r}: unknown kind {self.kind!r}; one of {KINDS}")
        if self.small_group not in (FIGURE, COUNT, DESCRIPTOR):
            raise ValueError(f"column {self.name!r}: unknown small-group rule {self.small_group!r}")


@dataclass(frozen=True)
class View:
    """One published table (a page table and its workbook sheet share the name).

    ``columns``: what the page shows, in order (empty: the frame's own columns, e.g. a table
    built by a function). ``formats``: column -> (kind, decimals) where this table shows a
    column differently from the registry. ``others``: (kind, decimals) of every column the
    registry does not know — the seasons or subjects of a wide table.
    """

    columns: tuple[str, ...] = ()
    formats: Mapping[str, tuple[str, int | None]] = field(default_factory=dict)
    others: tuple[str, int | None] | None = None


_COLUMNS = [
    # identifiers and groups
    Column("school_code", "学校代码", "School code", small_group=DESCRIPTOR),
    Column("school_name", "学校", "School", small_group=DESCRIPTOR),
    Column("township", "乡镇", "Township", small_group=DESCRIPTOR),
    Column("urban_rural", "城乡类型", "Urban/rural", small_group=DESCRIPTOR),
    Column("school_type", "学校类型", "School type", small_group=DESCRIPTOR),
    Column("boarding", "寄宿制", "Boarding"),
    Column("enrollment", "在校生数", "Enrolment", INTEGER),
    Column("class", "班级", "Class", small_group=DESCRIPTOR),
    Column("subject", "学科", "Subject", small_group=DESCRIPTOR),
    Column("score", "分数", "Score"),
    Column("status", "状态", "Status"),
    # indicators (docs/METHODS.md §A)
    Column("n_enrolled", "应考人数", "Enrolled", INTEGER, small_group=DESCRIPTOR),
    Column("n_sat", "实考人数", "Sat", INTEGER, small_group=COUNT),
    Column("n_absent", "缺考人数", "Absent", INTEGER, small_group=DESCRIPTOR),
    Column("participation", "参考率", "Participation", PERCENT),
    Column("mean", "平均分", "Mean"),
    Column("sd", "标准差", "SD"),
    Column("median", "中位数", "Median"),
    Column("max", "最高分", "Max"),
    Column("min", "最低分", "Min"),
    Column("score_rate", "得分率", "Score rate", PERCENT),
    Column("pass_rate", "及格率", "Pass rate", PERCENT),
    Column("good_rate", "良好率", "Good rate", PERCENT),
    Column("excellent_rate", "优秀率", "Excellent rate", PERCENT),
    Column("low_rate", "低分率", "Low-score rate", PERCENT),
    Column("above_mean_rate", "超均率", "Above-mean rate", PERCENT),
    Column("composite", "综合指数", "Composite index"),
    Column("county_mean", "全县平均分", "County mean", small_group=DESCRIPTOR),
    Column("rank", "名次", "Rank", INTEGER),
    Column("rank_change", "进退步", "Rank change", INTEGER),
    # 梯次评价 (docs/METHODS.md §A)
    Column("tier", "梯次", "Tier", small_group=DESCRIPTOR),
    Column("tier_schools", "梯次学校数", "Schools in tier", INTEGER, small_group=DESCRIPTOR),
    Column("composite_se", "综合指数标准误", "SE of composite", NUMBER, 2),
    Column("tier_rank", "梯次内名次", "Rank in tier", INTEGER),
    Column("rank_low", "名次区间（高）", "Rank interval (best)", INTEGER),
    Column("rank_high", "名次区间（低）", "Rank interval (worst)", INTEGER),
    Column("tier_composite", "梯次整体综合指数", "Tier composite", small_group=DESCRIPTOR),
    Column("composite_diff", "与梯次整体之差", "Difference from tier"),
    Column("diff_low", "差值95%下限", "Difference 95% low"),
    Column("diff_high", "差值95%上限", "Difference 95% high"),
    Column("quality", "质量判断（本梯次）", "Attainment against tier"),
    Column("va_diff", "增值与梯次平均之差", "Value added against tier", PRECISE),
    Column("va_low", "增值差95%下限", "VA difference 95% low", PRECISE),
    Column("va_high", "增值差95%上限", "VA difference 95% high", PRECISE),
    Column("progress", "进步判断（本梯次）", "Progress against tier"),
    Column("near_pass", "及格临界生", "Near pass", INTEGER),
    Column("near_excellent", "优秀临界生", "Near excellent", INTEGER),
    Column("full_marks", "满分", "Full marks"),
    Column("small_group", "人数过少", "Small group", FLAG, small_group=DESCRIPTOR),
    # staffing (docs/METHODS.md §B)
    Column("teachers_in_post", "在岗专任教师", "Teachers in post", INTEGER),
    Column("required", "核定编制", "Teachers required", INTEGER),
    Column("out_of_field", "教非所学人数", "Out-of-field teachers", INTEGER),
    Column("students_per_teacher", "生师比", "Students per teacher"),
    Column("shortage", "缺编人数", "Shortage", INTEGER),
    Column("surplus", "超编人数", "Over establishment", INTEGER),
    Column("score_band", "分数段（分）", "Score band (points)"),
    Column("shortage_rate", "缺编率", "Shortage rate", PERCENT),
    Column("out_of_field_share", "教非所学比例", "Out-of-field share", PERCENT),
    Column("share_over_50", "50岁以上教师比例", "Share of teachers over 50", PERCENT),
    Column("share_senior_title", "高级职称比例", "Share with senior titles", PERCENT),
    # cleaning log
    Column("source_file", "来源文件", "Source file"),
    Column("source_row", "行号", "Row"),
    Column("column", "列", "Column"),
    Column("original_value", "原值", "Original value"),
    Column("action", "处理", "Action"),
    Column("reason", "原因", "Reason"),
    Column("count", "数量", "Count", INTEGER),
    Column("n_rows", "行数", "Rows", INTEGER),
    Column("n_students", "学生数", "Students", INTEGER, small_group=COUNT),
    Column("n_schools", "学校数", "Schools", INTEGER),
    Column("absence_rate", "缺考率", "Absence rate", PERCENT),
    Column("item", "项目", "Item", small_group=DESCRIPTOR),
    Column("kind", "类别", "Kind"),
    # indicator extensions
    Column("rank_previous", "上次名次", "Previous rank", INTEGER),
    Column("mean_previous", "上次平均分", "Previous mean"),
    Column("mean_change", "平均分变化", "Change in mean"),
    Column("pass_rate_previous", "上次及格率", "Previous pass rate", PERCENT),
    Column("excellent_rate_previous", "上次优秀率", "Previous excellent rate", PERCENT),
    Column("n", "人数", "Students", INTEGER, small_group=COUNT),
    # the pupils in a score band (a frequency, not the size of a group whose figures are
    Column("n_in_band", "人数", "Students", INTEGER),
    Column("mean_target", "平均分目标", "Mean: target"),
    Column("mean_actual", "平均分实际", "Mean: actual"),
    Column("mean_met", "平均分完成", "Mean: met", YES_NO),
    Column("pass_rate_target", "及格率目标", "Pass rate: target", PERCENT),
    Column("pass_rate_actual", "及格率实际", "Pass rate: actual", PERCENT),
    Column("pass_rate_met", "及格率完成", "Pass rate: met", YES_NO),
    Column("excellent_rate_target", "优秀率目标", "Excellent rate: target", PERCENT),
    Column("excellent_rate_actual", "优秀率实际", "Excellent rate: actual", PERCENT),
    Column("excellent_rate_met", "优秀率完成", "Excellent rate: met", YES_NO),
    Column("rank_target", "名次目标", "Rank: target"),
    Column("rank_actual", "名次实际", "Rank: actual"),
    Column("rank_met", "名次完成", "Rank: met", YES_NO),
    Column("category", "类别", "Group", small_group=DESCRIPTOR),
    Column("indicator", "指标", "Indicator", small_group=DESCRIPTOR),
    Column("reference_value", "城区", "Urban"),
    Column("category_value", "比较组", "Group value"),
    Column("gap", "差距", "Gap"),
    Column("ci_low", "95%置信下限", "95% CI low", PRECISE),
    Column("ci_high", "95%置信上限", "95% CI high", PRECISE),
    Column("p_value", "p 值", "p value", P_VALUE),
    Column("gap_sd", "差距（标准差）", "Gap (SD)", PRECISE),
    Column("gap_sd_low", "下限（标准差）", "CI low (SD)", PRECISE),
    Column("gap_sd_high", "上限（标准差）", "CI high (SD)", PRECISE),
    Column("band", "分数段", "Score band"),
    Column("share", "比例", "Share", PERCENT),
    Column("line", "分数线", "Score line"),
    Column("n_at_or_above", "达线人数", "At or above", INTEGER),
    Column("mean_z", "平均z分", "Mean z", PRECISE),
    Column("balance", "均衡度", "Balance", PRECISE),
    Column("weak", "学科短板", "Weak subject", FLAG),
    Column("cv", "差异系数", "CV (weighted)", PRECISE),
    Column("cv_sitters", "差异系数（按实考人数加权）", "CV (weighted by pupils who sat)", PRECISE),
    Column("cv_unweighted", "差异系数（不加权）", "CV (unweighted)", PRECISE),
    Column("limit", "督导标准", "Inspection limit", PRECISE),
    Column("meets", "达标", "Meets", YES_NO),
    Column("target", "目标", "Target"),
    Column("actual", "实际", "Actual"),
    Column("difference", "差值", "Difference"),
    Column("met", "完成", "Met", YES_NO),
    Column("teachers_per_100", "每百名学生专任教师数", "Teachers per 100 pupils"),
    Column("senior_title_per_100", "每百名学生高级职称教师数", "Senior-title teachers per 100 pupils"),
    Column("n_weak", "短板学科数", "Number of weak subjects", INTEGER),
    Column("weak_subjects", "短板学科", "Weak subjects"),
    Column("required_source", "编制来源", "Required from"),
    # attribution
    Column("z", "总分标准分", "Total standardised score", PRECISE),
    Column("model", "模型", "Model"),
    Column("term", "变量", "Term", small_group=DESCRIPTOR),
    Column("estimate", "估计值", "Estimate", PRECISE),
    Column("se", "标准误", "SE", PRECISE),
    Column("formula", "模型公式", "Formula"),
    Column("nobs", "学生数", "Students", INTEGER),
    Column("ngroups", "学校数", "Schools", INTEGER),
    Column("group_var", "校际方差", "Between-school variance", PRECISE),
    Column("resid_var", "校内方差", "Within-school variance", PRECISE),
    Column("icc", "组内相关系数", "ICC", PERCENT),
    Column("group_var_reduction", "校际方差减少", "Reduction in between-school variance", PERCENT),
    Column("part", "部分", "Part", small_group=DESCRIPTOR),
    Column("share_low", "比例下限", "Share: CI low", PERCENT),
    Column("share_high", "比例上限", "Share: CI high", PERCENT),
    Column("method", "区间方法", "Interval method"),
    Column("draws", "有效自助样本", "Usable bootstrap draws", INTEGER),
    Column("rsquared_adj", "调整 R²", "Adjusted R²", PERCENT),
    Column("factor", "因素", "Factor"),
    Column("r2_share", "R² 贡献", "R² share", PERCENT),
    Column("percent", "占比", "Percent", PERCENT),
    Column("effect", "学校效应", "School effect", PRECISE),
    Column("flag", "判断", "Verdict"),
    Column("basis", "估计方式", "Basis"),
    # trends
    Column("season", "考试季", "Season", small_group=DESCRIPTOR),
    Column("n_before", "上次人数", "Students before", INTEGER, small_group=COUNT),
    Column("mean_z_before", "上次平均标准分", "Mean z before", PRECISE),
    Column("n_now", "本次人数", "Students now", INTEGER, small_group=COUNT),
    Column("mean_z_now", "本次平均标准分", "Mean z now", PRECISE),
    Column("change", "变化（标准差）", "Change (SD)", PRECISE),
    Column("n_matched", "匹配人数", "Linked", INTEGER, small_group=COUNT),
    Column("n_unmatched", "未匹配人数", "Not linked", INTEGER),
    # classes (docs/METHODS.md §E)
    Column("level", "层次", "Level"),
    Column("variance", "方差", "Variance", PRECISE),
    Column("groups", "个数", "Units", INTEGER),
    Column("teacher_key", "教师编号（加密）", "Teacher (keyed code)", small_group=DESCRIPTOR),
    Column("teacher_name", "教师", "Teacher", small_group=DESCRIPTOR),
    Column("teacher_effect", "任教班级效应", "Effect of the teacher's classes", PRECISE),
    Column("rank_in_school", "校内名次", "Rank in school", INTEGER),
    Column("n_classes", "班级数", "Classes", INTEGER),
    Column("n_small", "人数过少的班", "Small classes", INTEGER),
    Column("highest", "最高班平均分", "Highest class mean"),
    Column("lowest", "最低班平均分", "Lowest class mean"),
    Column("range", "极差", "Range"),
    Column("highest_class", "最高班", "Highest class"),
    Column("lowest_class", "最低班", "Lowest class"),
    Column("unbalanced", "不均衡", "Unbalanced", YES_NO),
    # the paper (试卷分析, docs/METHODS.md §D)
    Column("question", "题号", "Question", small_group=DESCRIPTOR),
    Column("type", "题型", "Type"),
    Column("knowledge_point", "知识点", "Knowledge point", small_group=DESCRIPTOR),
    Column("ability", "能力层级", "Ability level"),
    Column("k", "小题数", "Questions", INTEGER),
    Column("questions", "题数", "Questions", INTEGER),
    Column("n_incomplete", "小题分不全人数", "Incomplete", INTEGER),
    Column("difficulty", "难度（得分率）", "Difficulty (score rate)", PRECISE),
    Column("alpha", "信度 α", "Reliability α", PRECISE),
    Column("sem_points", "测量标准误（分）", "SEM (points)"),
    Column("skewness", "偏度", "Skew", PRECISE),
    Column("mean_score", "平均分", "Mean"),
    Column("floor_share", "零分比例", "Share at zero", PERCENT),
    Column("ceiling_share", "满分比例", "Share at full marks", PERCENT),
    Column("full_rate", "满分率", "Full-marks rate", PERCENT),
    Column("zero_rate", "零分率", "Zero rate", PERCENT),
    Column("discrimination", "区分度", "Discrimination", PRECISE),
    Column("high_low", "鉴别指数 D", "High–low index D", PRECISE),
    Column("alpha_if_deleted", "删除该题后的 α", "α if deleted", PRECISE),
    Column("too_hard", "偏难", "Too hard", FLAG),
    Column("too_easy", "偏易", "Too easy", FLAG),
    Column("low_discrimination", "区分度偏低", "Low discrimination", FLAG),
    Column("negative_discrimination", "区分度为负", "Negative discrimination", FLAG),
    Column("flagged", "建议复查", "Review", FLAG),
    Column("option", "选项", "Option", small_group=DESCRIPTOR),
    Column("share_high_group", "高分组选择比例", "High group", PERCENT),
    Column("share_low_group", "低分组选择比例", "Low group", PERCENT),
    Column("is_key", "正确答案", "Key", FLAG),
    Column("key", "答案", "Key", small_group=DESCRIPTOR),
    Column("strong_draw", "高分组多选的错误选项", "Wrong options drawing the strong"),
    Column("attracts_strong", "高分组多选的错误选项", "Draws the strong", FLAG),
    Column("rate_urban", "城区得分率", "Urban score rate", PERCENT),
    Column("rate_town", "镇区得分率", "Town score rate", PERCENT),
    Column("rate_rural", "乡村得分率", "Rural score rate", PERCENT),
    Column("weakest", "最薄弱", "Weakest", FLAG),
    Column("county_rate", "全县得分率", "County score rate", PERCENT),
    Column("rate_difference", "与全县之差", "Against the county", PERCENT),
    Column("reference", "参照组", "Reference group", small_group=DESCRIPTOR),
    Column("focal", "比较组", "Focal group", small_group=DESCRIPTOR),
    Column("n_reference", "参照组人数", "Reference pupils", INTEGER, small_group=COUNT),
    Column("n_focal", "比较组人数", "Focal pupils", INTEGER, small_group=COUNT),
    Column("p_reference", "参照组答对率", "Reference: right", PERCENT),
    Column("p_focal", "比较组答对率", "Focal: right", PERCENT),
    Column("odds_ratio", "MH 共同优势比", "MH odds ratio", PRECISE),
    Column("delta", "MH Δ", "MH delta", PRECISE),
    Column("delta_se", "Δ 的标准误", "Delta SE", PRECISE),
    Column("ets", "ETS 等级", "ETS class"),
    Column("smd", "标准化均值差", "Standardised mean difference", PRECISE),
    Column("smd_sd", "标准化均值差/标准差", "SMD / SD", PRECISE),
    Column("chi2", "卡方值", "χ²", PRECISE),
    Column("dichotomous", "按对错给分", "Right/wrong", YES_NO),
    Column("favours", "对哪组有利", "Favours"),
    Column("irt_model", "IRT 模型", "IRT model"),
    Column("a", "区分度 a", "Discrimination a", PRECISE),
    Column("se_a", "a 的标准误", "SE of a", PRECISE),
    Column("b", "难度 b", "Difficulty b", PRECISE),
    Column("se_b", "b 的标准误", "SE of b", PRECISE),
    Column("step", "得分等级", "Score step", INTEGER, small_group=DESCRIPTOR),
    Column("step_score", "达到的分数", "Score reached", small_group=DESCRIPTOR),
    Column("threshold", "等级难度", "Step difficulty", PRECISE),
    Column("loglik", "对数似然", "Log-likelihood"),
    Column("aic", "AIC", "AIC"),
    Column("bic", "BIC", "BIC"),
    Column("converged", "已收敛", "Converged", YES_NO),
]

#: Canonical column name -> :class:`Column`.
COLUMNS: dict[str, Column] = {c.name: c for c in _COLUMNS}
if len(COLUMNS) != len(_COLUMNS):  # a name registered twice: the second would win silently
    raise ValueError("column registered twice: " + ", ".join(
        sorted({c.name for c in _COLUMNS if sum(d.name == c.name for d in _COLUMNS) > 1})))

_RATES = (PERCENT, None)
_SCHOOL = ("school_code", "school_name", "township", "urban_rural")
_SCHOOL_FIGURES = ("n_sat", "mean", "pass_rate", "good_rate", "excellent_rate", "low_rate",
                   "above_mean_rate", "composite", "rank", "rank_previous", "rank_change",
                   "small_group")
#: Published tables whose columns are listed here, or that show a column otherwise than the
#: registry does. A table not listed shows its frame's columns as the registry says.
VIEWS: dict[str, View] = {
    # 02 indicators
    "county_subjects": View(("subject", "n_enrolled", "n_sat", "n_absent", "participation", "mean",
                             "sd", "median", "max", "min", "score_rate", "pass_rate",
                             "good_rate", "excellent_rate", "low_rate", "composite")),
    "school_total": View((*_SCHOOL, *_SCHOOL_FIGURES)),
    "school_subjects": View((*_SCHOOL, "subject", *_SCHOOL_FIGURES)),
    "township_table": View(("township", "n_sat", "mean", "pass_rate", "excellent_rate",
                            "low_rate", "composite", "rank", "small_group")),
    "urban_rural_table": View(("urban_rural", "subject", "n_sat", "mean", "pass_rate",
                               "excellent_rate", "low_rate", "small_group")),
    "gap_means": View(("subject", "category", "reference_value", "category_value", "gap",
                       "ci_low", "ci_high", "gap_sd", "gap_sd_low", "gap_sd_high", "p_value",
                       "n_schools", "n_students", "small_group"),
                      {"gap_sd": (PRECISE, 2), "gap_sd_low": (PRECISE, 2),
                       "gap_sd_high": (PRECISE, 2)}),
    # the gaps in the rates: every value a rate
    "gap_rates": View(("category", "indicator", "reference_value", "category_value", "gap",
                       "ci_low", "ci_high", "p_value", "n_students", "small_group"),
                      {"reference_value": _RATES, "category_value": _RATES, "gap": _RATES,
                       "ci_low": _RATES, "ci_high": _RATES}),
    "cv_resources": View(formats={"limit": (PRECISE, 2)}),
    "staffing_schools": View((*_SCHOOL, "enrollment", "teachers_in_post", "required",
                              "shortage", "surplus", "shortage_rate", "out_of_field",
                              "out_of_field_share", "students_per_teacher")),
    "near_lines": View((*_SCHOOL, "n_sat", "near_pass", "near_excellent", "small_group")),
    "tier_table": View(("tier", "tier_schools", *_SCHOOL, "n_sat", "composite", "composite_se",
                        "tier_rank", "rank_low", "rank_high", "tier_composite",
                        "composite_diff", "diff_low", "diff_high", "quality", "va_diff",
                        "va_low", "va_high", "progress", "small_group")),
    # a school's own report (校本报告)
    "school_report_subjects": View(("subject", "n_sat", "mean", "county_mean", "above_mean_rate",
                                    "pass_rate", "excellent_rate", "low_rate", "composite",
                                    "rank", "small_group")),
    "school_report_classes": View(("class", "n_sat", "mean", "pass_rate", "excellent_rate",
                                   "low_rate", "composite", "rank_in_school", "mean_change",
                                   "near_pass", "near_excellent", "small_group")),
    "school_report_points": View(("subject", "knowledge_point", "n", "score_rate",
                                  "rate_difference")),
    "school_report_questions": View(("subject", "question", "n", "score_rate", "county_rate",
                                     "rate_difference")),
    "class_near": View((*_SCHOOL, "class", "n_sat", "near_pass", "near_excellent",
                        "small_group")),
    "class_total": View((*_SCHOOL, "class", "n_sat", "mean", "pass_rate", "excellent_rate",
                         "low_rate", "composite", "rank", "rank_in_school", "mean_change",
                         "rank_change", "small_group")),
    # 04 trends: a column per season
    "rank_history": View(others=(INTEGER, 0)),
    "school_change": View(formats={c: (PRECISE, 2) for c in ("mean_z_before", "mean_z_now",
                                                             "change", "ci_low", "ci_high")}),
    "target_trend": View(others=_RATES),
    # 05 the paper: full marks in whole points, an option's share of pupils as a rate
    "paper_summary": View(formats={"full_marks": (NUMBER, 0)}),
    "question_table": View(formats={"full_marks": (NUMBER, 0), "mean_score": (NUMBER, 2)}),
    "option_wide": View(others=_RATES),
    "knowledge_points": View(formats={"full_marks": (NUMBER, 0)}),
    "ability_levels": View(formats={"full_marks": (NUMBER, 0)}),
}


def view_columns(view: str) -> list[str]:
    """The columns the table ``view`` shows, in order (:data:`VIEWS`)."""
    return list(VIEWS[view].columns)


def column_format(column: str, view: str | None = None) -> tuple[str | None, int | None]:
    """(kind, decimals) of ``column`` in the table ``view``: the view's own format, else the
    registry's, else the view's format for columns the registry does not know; (None, None)
    for a column nothing says anything about (its values decide)."""
    shown = VIEWS.get(view) if view else None
    if shown is not None and column in shown.formats:
        return shown.formats[column]
    known = COLUMNS.get(column)
    if known is not None:
        return known.kind, known.decimals
    if shown is not None and shown.others is not None:
        return shown.others
    return None, None


@contextmanager
def registered(column: Column, *, views: Mapping[str, int] | None = None) -> Iterator[Column]:
    """``column`` in the registry for the duration of a ``with`` block, shown by each view of
    ``views`` at the given position: how a test (or an analyst trying an indicator in a
    notebook) adds a column without editing this file."""
    saved_column = COLUMNS.get(column.name)
    saved_views = {name: VIEWS[name] for name in views or {}}
    COLUMNS[column.name] = column
    for name, position in (views or {}).items():
        old = VIEWS[name]
        columns = list(old.columns)
        columns.insert(position, column.name)
        VIEWS[name] = View(tuple(columns), old.formats, old.others)
    try:
        yield column
    finally:
        if saved_column is None:
            del COLUMNS[column.name]
        else:
            COLUMNS[column.name] = saved_column
        VIEWS.update(saved_views)
