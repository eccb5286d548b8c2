"""One label table: canonical name -> Chinese / English display label.

Tables, figures and Excel sheets all take their headers from here, so a name is spelled the same
way everywhere. Canonical names are the column and value names used in the code.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

import pandas as pd

__all__ = ["LABELS", "label", "relabel", "SUBJECT_ORDER"]

# canonical name: (zh, en)
LABELS: dict[str, tuple[str, str]] = {
    # subjects
    "chinese": ("语文", "Chinese"),
    "math": ("数学", "Mathematics"),
    "english": ("英语", "English"),
    "science": ("科学", "Science"),
    "physics": ("物理", "Physics"),
    "chemistry": ("化学", "Chemistry"),
    "biology": ("生物", "Biology"),
    "geography": ("地理", "Geography"),
    "history": ("历史", "History"),
    "morality_law": ("道德与法治", "Morality and law"),
    "total": ("总分", "Total"),
    # identifiers and groups
    "county": ("全县", "County"),
    "school_code": ("学校代码", "School code"),
    "school_name": ("学校", "School"),
    "township": ("乡镇", "Township"),
    "urban_rural": ("城乡类型", "Urban/rural"),
    "school_type": ("学校类型", "School type"),
    "boarding": ("寄宿制", "Boarding"),
    "town_rural": ("城乡类别", "Urban-rural status"),
    "staffing_terms": ("缺编与教非所学", "Shortage and out-of-field"),
    "control_terms": ("规模与寄宿等", "Size, boarding and other controls"),
    "enrollment": ("在校生数", "Enrolment"),
    "class": ("班级", "Class"),
    "subject": ("学科", "Subject"),
    "score": ("分数", "Score"),
    "status": ("状态", "Status"),
    # urban-rural categories
    "urban": ("城区", "Urban"),
    "town": ("镇区", "Town"),
    "rural": ("乡村", "Rural"),
    # statuses
    "sat": ("实考", "Sat"),
    "absent": ("缺考", "Absent"),
    "voided": ("作弊/违纪", "Voided"),
    "exempt": ("免考", "Exempt"),
    "invalid": ("无效分数", "Invalid score"),
    # indicators (METHODS §A)
    "n_enrolled": ("应考人数", "Enrolled"),
    "n_sat": ("实考人数", "Sat"),
    "n_absent": ("缺考人数", "Absent"),
    "participation": ("参考率", "Participation"),
    "mean": ("平均分", "Mean"),
    "sd": ("标准差", "SD"),
    "median": ("中位数", "Median"),
    "max": ("最高分", "Max"),
    "min": ("最低分", "Min"),
    "score_rate": ("得分率", "Score rate"),
    "pass_rate": ("及格率", "Pass rate"),
    "good_rate": ("良好率", "Good rate"),
    "excellent_rate": ("优秀率", "Excellent rate"),
    "low_rate": ("低分率", "Low-score rate"),
    "above_mean_rate": ("超均率", "Above-mean rate"),
    "composite": ("综合指数", "Composite index"),
    "rank": ("名次", "Rank"),
    "rank_change": ("进退步", "Rank change"),
    "near_pass": ("及格临界生", "Near pass"),
    "near_excellent": ("优秀临界生", "Near excellent"),
    "full_marks": ("满分", "Full marks"),
    "small_group": ("人数过少", "Small group"),
    # staffing (METHODS §B)
    "teachers_in_post": ("在岗专任教师", "Teachers in post"),
    "required": ("核定编制", "Teachers required"),
    "out_of_field": ("教非所学人数", "Out-of-field teachers"),
    "students_per_teacher": ("生师比", "Students per teacher"),
    "shortage": ("缺编人数", "Shortage"),
    "surplus": ("超编人数", "Over establishment"),
    "score_band": ("分数段（分）", "Score band (points)"),
    "shortage_rate": ("缺编率", "Shortage rate"),
    "out_of_field_share": ("教非所学比例", "Out-of-field share"),
    "share_over_50": ("50岁以上教师比例", "Share of teachers over 50"),
    "share_senior_title": ("高级职称比例", "Share with senior titles"),
    # cleaning log
    "source_file": ("来源文件", "Source file"),
    "source_row": ("行号", "Row"),
    "column": ("列", "Column"),
    "original_value": ("原值", "Original value"),
    "action": ("处理", "Action"),
    "reason": ("原因", "Reason"),
    "count": ("数量", "Count"),
    "n_rows": ("行数", "Rows"),
    "n_students": ("学生数", "Students"),
    "n_schools": ("学校数", "Schools"),
    "absence_rate": ("缺考率", "Absence rate"),
    "item": ("项目", "Item"),
    "kind": ("类别", "Kind"),
    # indicator extensions
    "rank_previous": ("上次名次", "Previous rank"),
    "mean_previous": ("上次平均分", "Previous mean"),
    "mean_change": ("平均分变化", "Change in mean"),
    "pass_rate_previous": ("上次及格率", "Previous pass rate"),
    "excellent_rate_previous": ("上次优秀率", "Previous excellent rate"),
    "n": ("人数", "Students"),
    "mean_target": ("平均分目标", "Mean: target"),
    "mean_actual": ("平均分实际", "Mean: actual"),
    "mean_met": ("平均分完成", "Mean: met"),
    "pass_rate_target": ("及格率目标", "Pass rate: target"),
    "pass_rate_actual": ("及格率实际", "Pass rate: actual"),
    "pass_rate_met": ("及格率完成", "Pass rate: met"),
    "excellent_rate_target": ("优秀率目标", "Excellent rate: target"),
    "excellent_rate_actual": ("优秀率实际", "Excellent rate: actual"),
    "excellent_rate_met": ("优秀率完成", "Excellent rate: met"),
    "rank_target": ("名次目标", "Rank: target"),
    "rank_actual": ("名次实际", "Rank: actual"),
    "rank_met": ("名次完成", "Rank: met"),
    "category": ("类别", "Group"),
    "indicator": ("指标", "Indicator"),
    "reference_value": ("城区", "Urban"),
    "category_value": ("比较组", "Group value"),
    "gap": ("差距", "Gap"),
    "ci_low": ("95%置信下限", "95% CI low"),
    "ci_high": ("95%置信上限", "95% CI high"),
    "p_value": ("p 值", "p value"),
    "gap_sd": ("差距（标准差）", "Gap (SD)"),
    "gap_sd_low": ("下限（标准差）", "CI low (SD)"),
    "gap_sd_high": ("上限（标准差）", "CI high (SD)"),
    "band": ("分数段", "Score band"),
    "share": ("比例", "Share"),
    "line": ("分数线", "Score line"),
    "n_at_or_above": ("达线人数", "At or above"),
    "mean_z": ("平均z分", "Mean z"),
    "balance": ("均衡度", "Balance"),
    "weak": ("学科短板", "Weak subject"),
    "cv": ("差异系数", "CV (weighted)"),
    "cv_unweighted": ("差异系数（不加权）", "CV (unweighted)"),
    "limit": ("督导标准", "Inspection limit"),
    "meets": ("达标", "Meets"),
    "target": ("目标", "Target"),
    "actual": ("实际", "Actual"),
    "difference": ("差值", "Difference"),
    "met": ("完成", "Met"),
    "teachers_per_100": ("每百名学生专任教师数", "Teachers per 100 pupils"),
    "senior_title_per_100": ("每百名学生高级职称教师数", "Senior-title teachers per 100 pupils"),
    "n_weak": ("短板学科数", "Number of weak subjects"),
    "weak_subjects": ("短板学科", "Weak subjects"),
    "required_source": ("编制来源", "Required from"),
    # attribution
    "log_enrollment": ("学校规模（对数）", "School size (log)"),
    "prior_z": ("上一学年成绩", "Prior score"),
    "prior_z_school_mean": ("学校上一学年平均成绩（生源）", "School mean prior score (intake)"),
    "Intercept": ("截距", "Intercept"),
    "base": ("未加入师资变量时", "Without staffing terms"),
    "full": ("加入师资变量后", "With staffing terms"),
    "z": ("总分标准分", "Total standardised score"),
    "model": ("模型", "Model"),
    "all": ("合计", "All"),
    "term": ("变量", "Term"),
    "estimate": ("估计值", "Estimate"),
    "se": ("标准误", "SE"),
    "formula": ("模型公式", "Formula"),
    "nobs": ("学生数", "Students"),
    "ngroups": ("学校数", "Schools"),
    "group_var": ("校际方差", "Between-school variance"),
    "resid_var": ("校内方差", "Within-school variance"),
    "icc": ("组内相关系数", "ICC"),
    "group_var_reduction": ("校际方差减少", "Reduction in between-school variance"),
    "part": ("部分", "Part"),
    "share_low": ("比例下限", "Share: CI low"),
    "share_high": ("比例上限", "Share: CI high"),
    "method": ("区间方法", "Interval method"),
    "draws": ("有效自助样本", "Usable bootstrap draws"),
    "CR2": ("CR2 稳健标准误", "CR2 robust"),
    "bootstrap": ("学校聚类自助法", "Cluster bootstrap"),
    "rsquared_adj": ("调整 R²", "Adjusted R²"),
    "explained": ("可解释部分", "Explained"),
    "unexplained": ("未解释部分", "Unexplained"),
    "factor": ("因素", "Factor"),
    "r2_share": ("R² 贡献", "R² share"),
    "percent": ("占比", "Percent"),
    "effect": ("学校效应", "School effect"),
    "flag": ("判断", "Verdict"),
    "above": ("高于预期", "Above expectation"),
    "below": ("低于预期", "Below expectation"),
    "as_expected": ("与预期无显著差异", "As expected"),
    # trends
    "season": ("考试季", "Season"),
    "n_before": ("上次人数", "Students before"),
    "mean_z_before": ("上次平均标准分", "Mean z before"),
    "n_now": ("本次人数", "Students now"),
    "mean_z_now": ("本次平均标准分", "Mean z now"),
    "change": ("变化（标准差）", "Change (SD)"),
    "improved": ("明显进步", "Improved"),
    "fell_back": ("明显退步", "Fell back"),
    "no_clear_change": ("变化不明显", "No clear change"),
    "small": ("人数过少，不作判断", "Too small to judge"),
    "only_now": ("仅本次", "Only now"),
    "only_before": ("仅上次", "Only before"),
    "n_matched": ("匹配人数", "Linked"),
    "n_unmatched": ("未匹配人数", "Not linked"),
    # workbook sheets
    "county_subjects": ("全县各学科", "County by subject"),
    "school_total": ("各校总分", "Schools (total)"),
    "school_subjects": ("各校各学科", "Schools by subject"),
    "county_comparison": ("与上年同年级比较", "Against last year"),
    "township_table": ("各乡镇", "Townships"),
    "urban_rural_table": ("城乡", "Urban-rural"),
    "gap_means": ("城乡差距_平均分", "Urban-rural gap (mean)"),
    "gap_rates": ("城乡差距_各率", "Urban-rural gap (rates)"),
    "bands": ("分数段", "Score bands"),
    "score_lines": ("分数线", "Score lines"),
    "subject_balance": ("学科均衡", "Subject balance"),
    "cv_scores": ("差异系数_成绩", "CV of scores"),
    "cv_resources": ("差异系数_师资", "CV of resources"),
    "staffing_schools": ("各校师资", "Staffing by school"),
    "staffing_groups": ("城乡师资", "Staffing urban-rural"),
    "staffing_subjects": ("分学科师资", "Staffing by subject"),
    "targets": ("目标完成", "Targets"),
    "near_lines": ("临界生", "Near the lines"),
    "models": ("模型概要", "Models"),
    "coefficients": ("模型系数", "Coefficients"),
    "gelbach_table": ("Gelbach分解", "Gelbach"),
    "oaxaca_table": ("OB分解", "Oaxaca-Blinder"),
    "shapley_table": ("Shapley分解", "Shapley R2"),
    "school_effects": ("学校效应", "School effects"),
    "county_trend": ("历年全县", "County trend"),
    "school_change": ("学校进退步", "School change"),
    "value_added": ("增值评价", "Value added"),
    "target_trend": ("历年目标完成", "Targets over seasons"),
}

SUBJECT_ORDER = [
    "chinese", "math", "english", "science", "physics", "chemistry", "biology",
    "geography", "history", "morality_law", "total",
]


def label(name: str, language: str = "zh") -> str:
    """Display label of a canonical name; unknown names are returned unchanged."""
    pair = LABELS.get(name)
    if pair is None:
        return name
    return pair[1] if language == "en" else pair[0]


def relabel(frame: pd.DataFrame, language: str = "zh", *, values: Iterable[str] = (),
            extra: Mapping[str, str] | None = None) -> pd.DataFrame:
    """Return a copy of ``frame`` with display labels for its columns (and for the values of the
    columns named in ``values``, e.g. ``subject`` or ``urban_rural``)."""
    out = frame.copy()
    for column in values:
        if column in out.columns:
            out[column] = out[column].map(lambda v: label(v, language) if isinstance(v, str) else v)
    mapping = {c: label(c, language) for c in out.columns}
    if extra:
        mapping.update(extra)
    return out.rename(columns=mapping)
