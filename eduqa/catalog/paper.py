"""The messages of eduqa.paper: its errors (a key ending in ``.hint`` says what to do)
and the sentences it writes, key -> (Chinese, English)."""

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
    "paper.text.none.no_item_scores_this": (
        "本考试季没有小题分，本节从略。",
        "No item scores this season: nothing to show here."),
    "paper.text.paper_overview.or_more_usually_means": (
        "α 在 0.8 以上通常说明试卷总分足以比较学生；测量标准误说明一名学生的总分大约有多大的偶然起伏。",
        "An α of 0.8 or more usually means the total can compare pupils; the SEM is how far a "
        "pupil's total may move by chance."),
    "paper.text.question_overview.questions_meet_review_rule": (
        "{n_questions} 道小题中有 {n_flagged} 道触及复查标准：",
        "{n_flagged} of the {n_questions} questions meet a review rule:"),
    "paper.text.question_overview.negative_discrimination_means_pupils": (
        "区分度为负说明总分高的学生反而更容易失分，常见原因是答案有误、题意有歧义或超出教学要求，应先核对答案和评分标准。",
        "A negative discrimination means pupils with higher totals lose more marks on the "
        "question: check the key and the marking scheme first."),
    "paper.text.option_overview.these_wrong_options_drew": (
        "以下错误选项被高分组选得比低分组还多，可能是题目或答案有歧义，或是学生普遍存在的误解：",
        "These wrong options drew the high group more than the low group: the question or key "
        "may be ambiguous, or the option a common misconception:"),
    "paper.text.dif_overview.these_questions_two_groups": (
        "\n\n这说明在这些题上，两类学生的差别比他们的总体水平所能解释的更大：可能是题目情境、用语或所考内容对某一类学生更陌生，值得教研员逐题查看；它不说明哪类学校教得好坏。",
        "\n\nOn these questions the two groups differ more than their overall level explains: "
        "the setting, wording or content may be less familiar to one group; worth a look "
        "question by question. It says nothing about which schools teach better."),
    "paper.text.question_overview.none_questions_meets_review": (
        "{n_questions} 道小题都没有触及复查标准。",
        "None of the {n_questions} questions meets a review rule."),
    "paper.text.question_overview.score_rate_discrimination": (
        "得分率 {difficulty}，区分度 {discrimination}",
        "score rate {difficulty}, discrimination {discrimination}"),
    "paper.text.option_overview.there_no_options_show": (
        "没有客观题的选项数据（小题分中客观题记录的是分数而不是所选选项）。",
        "There are no options to show (the objective questions were exported as scores, not the "
        "options chosen)."),
    "paper.text.option_overview.no_wrong_option_drew": (
        "没有哪个错误选项被高分组选得比低分组多：各题的干扰项都主要吸引了低分组。",
        "No wrong option drew the high group more than the low group."),
    "paper.text.dif_overview.county_schools_one_urban": (
        "本县学校只有一种城乡类型，无法比较城乡学生的项目功能差异。",
        "The county's schools are of one urban-rural type, so there is no urban–rural DIF."),
    "paper.text.dif_overview.none_papers_questions_scored": (
        "这些试卷的 {n_dif} 道题都不是按对错给分的（多分值题，如解答题、作文）。这里的项目功能差异分析（Mantel–Haenszel）只适用于按对错给分的题，本期未作此项分"
        "析，因此不能说有或没有题目存在城乡差异。",
        "None of the papers' {n_dif} questions is scored right/wrong (they are scored in "
        "several steps, as constructed-response questions and essays are). The Mantel–Haenszel "
        "DIF here applies to right/wrong questions only, so it was not run this season: nothing "
        "can be said either way about urban–rural differences on single questions."),
    "paper.text.dif_overview.no_question_shows_large": (
        "没有题目出现 C 级（较大）差异。",
        "no question shows a large (C) difference."),
    "paper.text.dif_overview.large_c_difference": (
        "{large}出现 C 级（较大）差异。",
        "{large} {value1} a large (C) difference."),
    "paper.text.dif_overview.moderate_b": (
        "B 级（中等）差异：{moderate}。",
        " Moderate (B): {moderate}."),
    "paper.text.dif_overview.steps_rule": (
        "多分值题（如解答题、作文）用 Mantel 检验和标准化均值差（SMD，除以该题得分的标准差）分级：AA 级可忽略，BB 级中等，CC 级较大（|SMD/SD| 超过 0.25 且检验显著），这里与按对错给分题的 B、C 级一并列出。",
        " Questions scored in steps (constructed response, essays) are classed by Mantel's test "
        "and the standardised mean difference over the score's SD: AA negligible, BB moderate, "
        "CC large (|SMD/SD| above 0.25 and significant); they are listed with the B and C "
        "questions."),
    "paper.text.dif_overview.other_question_scored_several": (
        "另有 {unjudged} 道多分值题不在这一分析之内（它只适用于按对错给分的题），对这些题不作结论。",
        " The other {unjudged} question{value1}, scored in several steps, are outside this "
        "analysis (it applies to right/wrong questions only): no conclusion is drawn about them."),
    "paper.text.question_overview.text": (
        "- {subject}：{joined}（{figures}）",
        "- {subject}: {joined} ({figures})"),
    "paper.text.points_overview.text": (
        "{value1}（{row_score_rate}）",
        "{value1} ({row_score_rate})"),
    "paper.text.points_overview.weakest": (
        "{subject_name}得分率最低的{what}：{named}。",
        "{subject_name}: the weakest {what} {value1} {named}."),
    "paper.text.points_overview.one_only_score_rate": (
        "{subject_name}只有一个{what}（{value1}，得分率 {value2}），无从比较。",
        "{subject_name}: one {value3} only ({value1}, score rate {value2}), nothing to compare."),
    "paper.text.irt_overview.right_wrong_questions_answered": (
        "- {name}：按对错给分的题只有 {questions} 道、全部作答的学生 {pupils:,} 人，少于 {min_irt_questions} 道题或 "
        "{min_irt_students} 人，未作 IRT 分析。",
        "- {name}: {questions} right/wrong questions answered in full by {pupils:,} pupils, "
        "under {min_irt_questions} questions or {min_irt_students} pupils: no IRT view."),
    "paper.text.points_overview.rural_schools_trail_urban": (
        "乡村学校与城区差距最大的是{value1}（乡村 {widest_rate_rural}，城区 {widest_rate_urban}）。",
        " Rural schools trail urban ones most on {value1} (rural {widest_rate_rural}, urban "
        "{widest_rate_urban})."),
    "paper.text.points_overview.rural_schools_score_at": (
        "乡村学校在每个{what}上的得分率都不低于城区，领先最多的是{value1}（乡村 {narrowest_rate_rural}，城区 "
        "{narrowest_rate_urban}）。",
        " Rural schools score at least as well as urban ones on every one; most ahead on "
        "{value1} (rural {narrowest_rate_rural}, urban {narrowest_rate_urban})."),
    "paper.text.listed.easier_for_pupils": (
        "{subject}（对{easier}学生更有利）",
        "{subject} (easier for {easier_lower} pupils)"),
    "paper.text.irt_overview.paper_has_no_right": (
        "- {name}：试卷没有按对错给分的题（都是多分值题），Rasch 和 2PL 模型只适用于按对错给分的题，未作这两个模型（多分值题见下面的等级反应模型）。",
        "- {name}: the paper has no right/wrong question (all are scored in several steps); the "
        "Rasch and 2PL models apply to right/wrong questions only and were not fitted (the "
        "questions scored in steps are in the graded response model below)."),
    "paper.text.paper_overview.questions_marks_mean_difficulty": (
        "{subject}试卷 {k} 道小题、满分 {full_marks} 分，平均 {mean} 分，难度 {difficulty}，信度 α = {alpha}（测量标准误 "
        "{sem} 分）。",
        "{subject}: {k} questions, {full_marks} marks, mean {mean}, difficulty {difficulty}, α "
        "= {alpha} (SEM {sem} points)."),
    "paper.text.paper_overview.pupils_with_questions_missing": (
        "{n_incomplete:,} 名学生的小题分不全，未计入信度。",
        " {n_incomplete:,} pupils with questions missing are not in α."),
    "paper.text.option_overview.option_high_group_low": (
        "- {name}的选项 {option}：高分组 {share_high_group} 选择，低分组 {share_low_group}",
        "- {name}, option {option}: {share_high_group} of the high group, {share_low_group} of "
        "the low group"),
    "paper.text.dif_overview.comparing_pupils_same_total": (
        "比较总分相同的{ref_name}学生和{focal_name}学生（{judged} 道按对错给分的题）：",
        "Comparing {ref_name_lower} and {focal_name_lower} pupils of the same total ({judged} "
        "right/wrong questions): "),
    "paper.text.dif_overview.comparing_with_steps": (
        "比较总分相同的{ref_name}学生和{focal_name}学生（{judged} 道题，其中 {steps} 道为多分值题）：",
        "Comparing {ref_name_lower} and {focal_name_lower} pupils of the same total ({judged} "
        "questions, {steps} of them scored in steps): "),
    "paper.text.irt_overview.has_lower_aic_by": (
        "- {name}：{better}的 AIC 低 {difference}，",
        "- {name}: the {better} has the lower AIC (by {difference}); "),
    "paper.text.irt_overview.questions_do_differ_discrimination": (
        "各题的区分度确有不同。",
        "the questions do differ in discrimination."),
    "paper.text.irt_overview.equal_discrimination_fits_data": (
        "各题区分度相同的假设与数据相符。",
        "equal discrimination fits the data."),
    "paper.text.no_papers.this_season_has_no": (
        "本考试季没有提供小题分和双向细目表（参数文件中的 files.items 与 files.blueprints），因此没有试卷分析，以下各表为空。",
        "This season has no item-level scores and paper blueprints (files.items and "
        "files.blueprints in the season's params), so there is no paper analysis; the tables "
        "below are empty."),
    "paper.text.question_name.q": (
        "{subject}第{question}题",
        "{subject} Q{question}"),
    "paper.text.points_overview.knowledge_point": (
        "知识点",
        "knowledge points"),
    "paper.text.points_overview.ability": (
        "能力层级",
        "ability levels"),
    "paper.text.graded_overview.fitted": (
        "- {name}：{questions} 道按步骤给分的题用等级反应模型拟合（{pupils:,} 名学生）：区分度最高的是第 {best} 题（a = {best_a}），最低的是第 {worst} 题（a = {worst_a}）。a 越大，这道题的得分越能区分能力高低不同的学生。",
        "- {name}: {questions} questions scored in steps, fitted by the graded response model "
        "({pupils:,} pupils): the most discriminating is Q{best} (a = {best_a}), the least "
        "Q{worst} (a = {worst_a}). The larger a, the better a question's marks tell pupils "
        "of different ability apart."),
    "paper.text.graded_overview.weak": (
        "第 {questions} 题的区分度很低（a 低于 {limit}），得分与学生的整体能力关系不大，宜复查评分标准。",
        " Q{questions} discriminate(s) little (a below {limit}): the marks say little of "
        "overall ability; review the marking scheme."),
    "paper.text.graded_overview.not_converged": (
        "（模型未完全收敛，结果仅供参考。）",
        " (The fit did not fully converge: read with care.)"),
    "paper.text.graded_overview.too_few_questions": (
        "- {name}：按步骤给分（三个以上分数）的题只有 {questions} 道，少于 {least} 道，未作等级反应模型分析。",
        "- {name}: {questions} question(s) scored in three or more steps, fewer than {least}: "
        "no graded response model."),
    "paper.text.graded_overview.too_few_pupils": (
        "- {name}：作答按步骤给分的题的学生只有 {pupils:,} 人，少于 {least:,} 人，未作等级反应模型分析。",
        "- {name}: {pupils:,} pupils answered the questions scored in steps, fewer than "
        "{least:,}: no graded response model."),
}
