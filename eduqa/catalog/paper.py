"""Error messages of eduqa.paper (key -> (Chinese, English)); a key ending in
``.hint`` says what to do."""

from __future__ import annotations

MESSAGES: dict[str, tuple[str, str]] = {
    "paper.statistics.matrix.no_full_marks_for": (
        "以下小题没有满分值：{missing}",
        "no full marks for question(s) {missing}"),
    "paper.statistics.matrix.every_question_full_marks": (
        "每道小题的满分必须是正数",
        "every question's full marks must be a positive number"),
    "paper.statistics.option_shares.no_answer_key_for": (
        "以下客观题没有标准答案：{missing}",
        "no answer key for question(s) {missing}"),
    "paper.statistics.point_rates.blueprint_names_question_which": (
        "细目表中的小题 {unknown} 在小题分中没有",
        "the blueprint names question(s) {unknown}, which the item scores lack"),
}
