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
}
