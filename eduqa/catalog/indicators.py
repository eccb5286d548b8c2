"""The messages of eduqa.indicators: its errors (a key ending in ``.hint`` says what to do)
and the sentences it writes, key -> (Chinese, English)."""

from __future__ import annotations

MESSAGES: dict[str, tuple[str, str]] = {
    "indicators.exam.cv.cv_values_weights_must": (
        "差异系数：数值与权重的个数必须相同",
        "cv: values and weights must have the same length"),
    "indicators.exam.group_gap.group_gap_no_student": (
        "城乡差距：参照组“{reference}”中没有学生",
        "group_gap: no student in the reference group '{reference}'"),
    "indicators.tallies.summary_input.summarize_scores_frame_has": (
        "summarize：成绩数据中没有列 {missing}",
        "summarize: the scores frame has no column(s) {missing}"),
    "indicators.tallies.frequencies.frequencies_scores_frame_has": (
        "frequencies：成绩数据中没有列 {missing}",
        "frequencies: the scores frame has no column(s) {missing}"),
    "indicators.quality.rows_in": (
        "读入的原始数据行",
        "raw data rows read"),
    "indicators.quality.rows_kept": (
        "保留的行",
        "rows kept"),
    "indicators.quality.excluded": (
        "排除：{kind}",
        "excluded: {kind}"),
    # tier labels (梯次评价, eduqa.indicators.tiers)
    "indicators.tiers.all": (
        "全县",
        "All schools"),
    "indicators.tiers.place.urban": (
        "城区",
        "Urban"),
    "indicators.tiers.place.town": (
        "镇区",
        "Town"),
    "indicators.tiers.place.rural": (
        "乡村",
        "Rural"),
    "indicators.tiers.type.primary": ("小学", "Primary"),
    "indicators.tiers.type.junior": ("初中", "Junior secondary"),
    "indicators.tiers.type.nine_year": ("九年一贯制", "Nine-year school"),
    "indicators.tiers.type.complete": ("完全中学", "Complete secondary"),
    "indicators.tiers.type.senior": ("高中", "Senior secondary"),
    "indicators.tiers.type.teaching_point": ("教学点", "Teaching point"),
    "indicators.tiers.unknown": (
        "未填",
        "not given"),
    "indicators.tiers.boarding": (
        "寄宿制",
        "Boarding"),
    "indicators.tiers.day": (
        "走读",
        "Day"),
    "indicators.tiers.size_first": (
        "{upper} 人以下",
        "under {upper:,} pupils"),
    "indicators.tiers.size_middle": (
        "{lower}–{upper} 人",
        "{lower:,}–{upper:,} pupils"),
    "indicators.tiers.size_last": (
        "{lower} 人及以上",
        "{lower:,} pupils or more"),
    "indicators.tiers.size_unknown": (
        "规模未填",
        "size not given"),
    "indicators.tiers.baseline_group": (
        "基线第 {group} 组（共 {groups} 组）",
        "baseline group {group} of {groups}"),
    "indicators.tiers.no_baseline": (
        "无基线",
        "no baseline"),
}
