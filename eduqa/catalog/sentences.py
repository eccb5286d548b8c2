"""Sentences of the paper page, the Word report, the landing page and the command line, and
small shared words (key -> (Chinese, English)); the pages' own are in :mod:`eduqa.catalog.narrative`."""

from __future__ import annotations

MESSAGES: dict[str, tuple[str, str]] = {
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
        "- {name}：试卷没有按对错给分的题（都是多分值题），Rasch 和 2PL 模型只适用于按对错给分的题，未作 IRT 分析。",
        "- {name}: the paper has no right/wrong question (all are scored in several steps); the "
        "Rasch and 2PL models apply to right/wrong questions only: no IRT view."),
    "report.plots.subject_balance_heatmap.subject_balance_subject_mean": (
        "学科均衡（学科平均 z 分 − 本校各科平均；黑框为学科短板）",
        "Subject balance (subject mean z − school's mean; boxed = weak subject)"),
    "report.plots.subject_balance_heatmap.schools_with_most_uneven": (
        "\n只显示学科差异最大的 {max_schools} 所学校，全部学校见下表",
        "\nthe {max_schools} schools with the most uneven subjects; all in the table below"),
    "report.plots.caterpillar.school_effect_sd_interval": (
        "学校效应（标准差，95% 区间）",
        "School effect (SD, 95% interval)"),
    "report.plots.caterpillar.school_effects_green_above": (
        "学校效应：绿色高于预期、红色低于预期、灰色与预期无显著差异",
        "School effects: green above, red below expectation, grey not distinguishable"),
    "report.plots.season_trend.pass_rate_total": (
        "总分及格率（%）",
        "Pass rate, total (%)"),
    "report.plots.score_distributions.text": (
        "{subject}（{full:g}）",
        "{subject} ({full:g})"),
    "report.plots.subject_balance_heatmap.sd": (
        "标准差",
        "SD"),
    "report.plots.caterpillar.schools_ordered_by_effect": (
        "{n_data} 所学校（按效应排序）",
        "{n_data} schools, ordered by effect"),
    "report.plots.item_map.score_rate_difficulty": (
        "得分率（难度）",
        "Score rate (difficulty)"),
    "report.plots.item_map.discrimination": (
        "区分度",
        "Discrimination"),
    "report.plots.item_curves.ability_sd": (
        "能力（标准差）",
        "Ability (SD)"),
    "report.plots.item_curves.p_right": (
        "答对概率",
        "P(right)"),
    "report.plots.season_trend.grade": (
        "{grade}年级",
        "grade {grade}"),
    "report.tables.piece_name.text": (
        "（{value1}）",
        " ({value1})"),
    "report.tables.write_workbook.notes": (
        "说明",
        "Notes"),
    "report.tables.write_workbook.part_rows_table_excel": (
        "第 {value1}/{pieces} 部分：原表第 {value2:,}–{value3:,} 行（Excel 每个工作表最多 {value4:,} 行）",
        "part {value1} of {pieces}: rows {value2:,}–{value3:,} of the table (Excel holds at "
        "most {value4:,} rows a sheet)"),
    "report.tables.write_workbook.no_data_this_season": (
        "本考试季没有此项数据，未列出",
        "no data this season; left out"),
    "report.word.add_table.table_rows": (
        "表 {number}　{name}（{whole:,} 行）",
        "Table {number}. {name} ({whole:,} rows)"),
    "report.word.add_table.table_rows_first_last": (
        "表 {number}　{name}（共 {whole:,} 行，列出前 {value1:,} 行和后 {value1:,} 行）",
        "Table {number}. {name} ({whole:,} rows; the first {value1:,} and the last {value1:,} "
        "shown)"),
    "report.word.add_glossary.terms_used": (
        "附：术语说明",
        "Terms used"),
    "report.word.add_table.middle_rows_left_out": (
        "（中间 {left_out:,} 行从略；完整的表见 tables.xlsx 的工作表“{name}”。）",
        "(The middle {left_out:,} rows are left out; the full table is the sheet '{name}' of "
        "tables.xlsx.)"),
    "report.word.add_glossary.text": (
        "{term}：",
        "{term}: "),
    "report.word.write_word_report.figure": (
        "图 {k}　{text}",
        "Figure {k}. {text}"),
    "project.build.run_seasons.all_done_open": (
        "全部完成，用时 {seconds:.1f} 秒；请用浏览器打开 {index}",
        "all done in {seconds:.1f}s; open {index}"),
    "project.build.finish.report_written": (
        "[{season}] 报告已写入 {target}",
        "[{season}] report written to {target}"),
    "project.build.run_all.report": (
        "本考试季的报告",
        "the report of {season}"),
    "project.build.finish.done": (
        "[{season}] {number}/{n_pages} {name} 完成，用时 {outcome_seconds:.1f} 秒",
        "[{season}] {number}/{n_pages} {name} done in {outcome_seconds:.1f}s"),
    "project.build.engine.dask_cluster": (
        "Dask 集群：{address}",
        "Dask cluster: {address}"),
    "project.build.finish.cell_starts": (
        "\n  单元格开头：{value1}",
        "\n  cell starts: {value1}"),
    "project.build.engine.warning_insecure_connection_neither": (
        "注意：--insecure：与调度器 {address} 的连接未加密、未认证",
        "warning: --insecure: the connection to {address} is neither encrypted nor authenticated"),
    "project.build.engine.dask_dashboard_served_only": (
        "Dask 控制面板只在本机（127.0.0.1）提供",
        "Dask's dashboard is served on 127.0.0.1 only"),
    "project.provenance.provenance_rows.eduqa_source_commit": (
        "eduqa 源代码提交",
        "eduqa source commit"),
    "project.provenance.provenance_rows.unknown_not_run_from": (
        "未知（不是从 git 仓库运行）",
        "unknown (not run from a git clone)"),
    "cli.main.eduqa_error": (
        "eduqa：出错：",
        "eduqa: error: "),
    "cli.main.eduqa_interrupted": (
        "eduqa：已中断",
        "eduqa: interrupted"),
    "cli.validate.eduqa_error": (
        "eduqa：出错：",
        "eduqa: error: "),
    "compute.engine.describe.engine_dask_scheduler": (
        "计算引擎：Dask（调度器 {where}）",
        "Engine: Dask (scheduler {where})"),
    "compute.engine.describe.engine_pandas_process": (
        "计算引擎：pandas（本机进程内）",
        "Engine: pandas (in process)"),
    "compute.engine.describe.local_cluster": (
        "本机集群",
        "a local cluster"),
    "config.season_files.sibling_hint.found_point_path_at": (
        "（同一文件夹中有 {others}：请把路径改为它）",
        " (found {others}: point the path at it)"),
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
    "paper.text.irt_overview.has_lower_aic_by": (
        "- {name}：{better}的 AIC 低 {difference}，",
        "- {name}: the {better} has the lower AIC (by {difference}); "),
    "paper.text.irt_overview.questions_do_differ_discrimination": (
        "各题的区分度确有不同。",
        "the questions do differ in discrimination."),
    "paper.text.irt_overview.equal_discrimination_fits_data": (
        "各题区分度相同的假设与数据相符。",
        "equal discrimination fits the data."),
    "report.tables.styled.rows_first_last_shown": (
        "共 {whole:,} 行，此处列出前 {half:,} 行和后 {half:,} 行，中间 {left_out:,} 行从略；完整的表见 tables.xlsx",
        "{whole:,} rows; the first {half:,} and the last {half:,} are shown here, the "
        "{left_out:,} between them left out; the full table is in tables.xlsx"),
    "report.tables.styled.text": (
        "{caption}（{note}）",
        "{caption} ({note}.)"),
    "report.tables.styled.text_": (
        "{note}。",
        "{note}."),
    "words.above": (
        "高",
        "above"),
    "words.below": (
        "低",
        "below"),
    "paper.text.no_papers.this_season_has_no": (
        "本考试季没有提供小题分和双向细目表（参数文件中的 files.items 与 files.blueprints），因此没有试卷分析，以下各表为空。",
        "This season has no item-level scores and paper blueprints (files.items and "
        "files.blueprints in the season's params), so there is no paper analysis; the tables "
        "below are empty."),
    "paper.text.question_name.q": (
        "{subject}第{question}题",
        "{subject} Q{question}"),
    "words.full_stop": (
        "。",
        "."),
    "words.higher": (
        "提高",
        "higher"),
    "words.lower": (
        "下降",
        "lower"),
    "words.list": (
        "{items}",
        "{items}"),
    "words.list_semicolon": (
        "{items}",
        "{items:; }"),
    "paper.text.points_overview.knowledge_point": (
        "知识点",
        "knowledge points"),
    "paper.text.points_overview.ability": (
        "能力层级",
        "ability levels"),
    "words.yes": (
        "是",
        "yes"),
    "words.no": (
        "否",
        "no"),
    "report.tables.notes_sheet.sheet": (
        "工作表",
        "Sheet"),
    "report.tables.notes_sheet.rows": (
        "行数",
        "Rows"),
    "report.tables.notes_sheet.note": (
        "说明",
        "Note"),
    "report.tables.provenance.sheet": (
        "来源",
        "Provenance"),
    "report.tables.provenance.item": (
        "项目",
        "Item"),
    "report.tables.provenance.value": (
        "内容（文件为 SHA-256）",
        "Value (SHA-256 for a file)"),
    "report.word.file": (
        "质量分析报告.docx",
        "质量分析报告.docx"),
    "report.word.sections.overall": (
        "一、总体情况",
        "1. Overall results"),
    "report.word.sections.findings": (
        "二、主要发现",
        "2. Main findings"),
    "report.word.sections.schools": (
        "三、各校一分三率与名次",
        "3. Schools: mean, rates and rank"),
    "report.word.sections.gaps": (
        "四、城乡与乡镇差距",
        "4. Urban–rural and township gaps"),
    "report.word.sections.staffing": (
        "五、师资配置",
        "5. Teacher staffing"),
    "report.word.sections.targets": (
        "六、目标责任状完成情况",
        "6. Targets"),
    "report.word.sections.classes": (
        "七、平行班均衡",
        "7. Parallel classes"),
    "report.word.sections.papers": (
        "八、试卷分析",
        "8. The papers"),
    "report.word.sections.figures": (
        "九、主要图表",
        "9. Main figures"),
    "report.word.title": (
        "{title}质量分析报告",
        "{title} — quality report"),
    "report.plots.score_distributions.pass_line": (
        "及格线",
        "pass"),
    "report.plots.score_distributions.excellent_line": (
        "优秀线",
        "excellent"),
    "report.plots.score_distributions.mean": (
        "平均分",
        "mean"),
    "report.plots.score_distributions.students": (
        "人数",
        "students"),
    "report.plots.season_trend.period": (
        "{year}年{term}季",
        "{year} {term}"),
    "report.plots.season_trend.spring": (
        "春",
        "spring"),
    "report.plots.season_trend.summer": (
        "夏",
        "summer"),
    "report.plots.season_trend.autumn": (
        "秋",
        "autumn"),
    "report.plots.season_trend.winter": (
        "冬",
        "winter"),
    "project.build.words.home": (
        "本季概览",
        "Season overview"),
    "project.build.words.all": (
        "全部考试季",
        "All seasons"),
    "project.build.words.version": (
        "eduqa 版本",
        "eduqa version"),
    "project.build.words.generated": (
        "生成时间",
        "Generated"),
    "project.build.words.inputs": (
        "输入文件（SHA-256）",
        "Input files (SHA-256)"),
    "project.build.words.params": (
        "参数",
        "Parameters"),
    "project.build.words.commit": (
        "源代码提交",
        "commit"),
    "project.build.words.enrolled": (
        "应考学生",
        "Students enrolled"),
    "project.build.words.sat": (
        "实考学生（至少一科）",
        "Students who sat (any subject)"),
    "project.build.words.schools": (
        "学校",
        "Schools"),
    "project.build.words.mean": (
        "总分平均分",
        "Mean total"),
    "project.build.words.pass_rate": (
        "总分及格率",
        "Pass rate (total)"),
    "project.build.words.excellent_rate": (
        "总分优秀率",
        "Excellent rate (total)"),
    "project.build.words.participation": (
        "各科全部参考率",
        "Sat every subject"),
    "project.build.words.gap": (
        "城乡差距（总分平均）",
        "Urban−rural gap (mean total)"),
    "project.build.words.urban": (
        "城区",
        "urban"),
    "project.build.words.rural": (
        "乡村",
        "rural"),
    "project.build.words.higher": (
        "{group}高 {value} {points}",
        "{group} {value} {points} higher"),
    "project.build.words.pages": (
        "报告各部分",
        "Sections"),
    "project.build.words.season": (
        "考试季",
        "Season"),
    "project.build.words.seasons_title": (
        "质量监测报告",
        "Exam quality reports"),
    "project.build.words.no_seasons": (
        "还没有生成任何考试季的报告。",
        "No season has been reported yet."),
    "project.build.words.demo_salt": (
        "注意：学生编号使用的是演示密钥加密，正式使用请设置环境变量 EDUQA_SALT。",
        "Note: student ids are hashed with the demo key; set EDUQA_SALT for real data."),
    "project.build.words.findings": (
        "主要发现",
        "Key findings"),
    "project.build.words.points": (
        "分",
        "points"),
    "project.build.words.glossary": (
        "术语说明",
        "Terms used"),
    "project.build.words.trend": (
        "历次总分及格率",
        "Pass rate (total) by season"),
    "cli.note": (
        "  说明：{finding}",
        "  note: {finding}"),
    "cli.warning": (
        "  提醒：{finding}",
        "  warning: {finding}"),
    "cli.validate.ok": (
        "{season}：检查通过 — 读入 {rows_in:,} 行，保留 {rows_kept:,} 行，排除 {rows_excluded:,} 行；{schools} 所学"
        "校共 {students:,} 名学生；{changed:,} 个成绩格被更正或标记（运行 eduqa run 后可在数据清洗页查看）",
        "{season}: OK — {rows_in:,} rows read, {rows_kept:,} kept, {rows_excluded:,} excluded; "
        "{students:,} students in {schools} schools; {changed:,} cells recoded or marked (see "
        "the cleaning log after eduqa run)"),
    "cli.validate.warnings": (
        "；{warned} 条提醒：",
        "; {warned} warning(s):"),
    "cli.init.demo_removed": (
        "示范县的文件已删除；以下不是示范县的文件，已保留：{kept}",
        "the demo's files are removed; these are not the demo's and were kept: {kept}"),
    "cli.init.created": (
        "已建立 {county} 的项目：{county_yaml}。\n下一步：填写学校名单 {roster}（各列见同一文件夹的 README.txt），然后运行：\n    "
        "{step}\n（把 2026-spring-g6 换成本次考试的年份、学期和年级）",
        "created the project of {county}: {county_yaml}.\nNext: fill in the roster {roster} "
        "(columns in README.txt beside it), then run:\n    {step}\n(with your exam's year, term "
        "and grade)"),
    "cli.update_notebooks.nothing_to_update": (
        "这个项目的笔记本就是当前 eduqa 自带的笔记本，无需更新。",
        "this project's notebooks are the installed eduqa's own: nothing to update."),
    "cli.update_notebooks.updated": (
        "已换上当前版本的笔记本：{written}。",
        "the notebooks of this eduqa are in place: {written}."),
    "cli.update_notebooks.kept": (
        "原来的笔记本保存在 {where}。",
        " The old ones are kept in {where}."),
    "cli.synth.written": (
        "示范县数据已写入 {out}",
        "demo county written to {out}"),
    "cli.new_season.created": (
        "已建立 {params_file} 和 {folder}/（文件夹中的 README.txt 写明需要哪些文件）。\n下一步：把本考试季的文件复制到 {folder}/，核对"
        " {params_name}，然后运行：{command}",
        "created {params_file} and {folder}/ (see README.txt there).\nNext: copy the season's "
        "files into {folder}/, check {params_name}, then run: {command}"),
    "cli.clean.done": (
        "{season}：{rows_in:,} 行中保留 {rows_kept:,} 行；已写入 {folder}",
        "{season}: {rows_kept:,} of {rows_in:,} rows kept; written to {folder}"),
    "cli.main.internal_error": (
        "eduqa：内部错误（{kind}: {error}）。\n  这是 eduqa 程序的问题，不是您的文件有误。请加上 --debug 重新运行，并把输出报告给维护者。",
        "eduqa: internal error ({kind}: {error}).\n  This is a bug in eduqa, not in your files. "
        "Rerun with --debug and report the output."),
    "cli.help.county": (
        "县名，例如 青山县",
        "the county's name, e.g. 青山县"),
    "cli.help.remove_demo": (
        "先删除文件夹中自带的示范县",
        "remove the bundled demo county (示范县) from the folder first"),
    "project.manifest.not_declared": (
        "笔记本“{notebook}”没有在 eduqa.project.manifest.OUTPUTS 中登记；请在那里登记它输出的表和结论",
        "notebook '{notebook}' is not declared in eduqa.project.manifest.OUTPUTS; declare the "
        "tables and findings it publishes there"),
    "project.manifest.tables": (
        "表",
        "tables"),
    "project.manifest.findings": (
        "结论",
        "findings"),
    "project.manifest.declared_not_published": (
        "已登记但未输出的{what}：{names}",
        "declared but not published: {names}"),
    "project.manifest.published_not_declared": (
        "输出了但未登记的{what}：{names}",
        "published but not declared: {names}"),
    "project.manifest.mismatch": (
        "{notebook}：输出与 eduqa.project.manifest.OUTPUTS 的登记不一致（{parts:；}）。改名的{what}需要在登记表中一并改名。",
        "{notebook}: its {kind} do not match eduqa.project.manifest.OUTPUTS ({parts:; }). A "
        "renamed {one} must be renamed in the manifest too."),
    "project.manifest.not_published": (
        "{notebook} 没有输出{names}（已在 eduqa.project.manifest.OUTPUTS 中登记）：它的最后一个单元格须用 "
        "manifest.publish 输出每一个登记的名称",
        "{notebook} did not publish {names} (declared in eduqa.project.manifest.OUTPUTS): its "
        "last cell must call manifest.publish with every declared name"),
    "project.build.season_page.opening": (
        "{name}：{schools} 所学校应考 {enrolled:,} 人，实考 {sat:,} 人（至少参加一科{none}）。总分平均 {mean} 分，及格率 "
        "{pass_rate}（按各科全部参考的学生计算）。",
        "{name}: {enrolled:,} students enrolled in {schools} schools, {sat:,} sat at least one "
        "subject{none}. The mean total is {mean}, the pass rate {pass_rate} (over students who "
        "sat every subject)."),
    "project.build.season_page.sat_none": (
        "；{absent:,} 人各科都未参加",
        " ({absent:,} sat none)"),
    "project.build.season_page.word_report": (
        "Word 报告（质量分析报告.docx）",
        "Word report"),
    "compute.engine.worker.not_installed": (
        "该工作进程没有安装 eduqa {version}",
        "eduqa {version} is not installed there"),
    "compute.engine.worker.not_installed.fix": (
        "在每个工作进程的环境中安装相同版本的 eduqa",
        "install it on every worker (pip install eduqa of the same version)"),
    "compute.engine.worker.other_version": (
        "它的 eduqa 版本是 {theirs}，本次运行是 {version}",
        "it has eduqa {theirs}, this run {version}"),
    "compute.engine.worker.other_version.fix": (
        "在工作进程上安装相同版本：pip install eduqa=={version}",
        "install the same version there: pip install eduqa=={version}"),
    "compute.engine.worker.cannot_read": (
        "它读不到清洗后的数据目录 {folder}",
        "it cannot read the processed data folder {folder}"),
    "compute.engine.worker.cannot_read.fix": (
        "让每个工作进程在相同路径下看到项目目录（共享盘挂载到与本机相同的位置），且有读取权限",
        "give every worker the project folder at the same path (a shared disk mounted where it "
        "is here), readable by the worker's user"),
    "compute.engine.died.own_cluster": (
        "请增加内存（params/county.yaml 中的 dask.memory_limit）、减少工作进程数（dask.workers）",
        "give each more (dask.memory_limit in params/county.yaml), run fewer workers "
        "(dask.workers)"),
    "compute.engine.died.their_cluster": (
        "启动工作进程时给每个更多内存（dask worker --memory-limit，或所用部署方式中工作进程的内存设置）、每台机器少启动几个",
        "start the workers with more memory each (dask worker --memory-limit, or your "
        "deployment's worker memory setting), start fewer per machine"),
    "compute.engine.died": (
        "Dask 工作进程在计算中异常退出（{error}），运行已停止，原有报告保持不变。\n  怎么办：最常见的原因是每个工作进程的内存不够：{setting}，或把清洗后的数据"
        "切得更小（dask.partition_rows），然后重新运行",
        "the Dask workers died while computing ({error}); the run stopped and left the old "
        "report in place.\n  What to do: the usual cause is too little memory per worker: "
        "{setting}, or cut the processed data into smaller parts (dask.partition_rows), then "
        "run again"),
    "indicators.quality.rows_in": (
        "读入的原始数据行",
        "raw data rows read"),
    "indicators.quality.rows_kept": (
        "保留的行",
        "rows kept"),
    "indicators.quality.excluded": (
        "排除：{kind}",
        "excluded: {kind}"),
    "intake.records.school_in_township": (
        "{code}（{town}）",
        "{code} ({town})"),
    "intake.records.township_not_theirs": (
        "该行的乡镇“{township}”与其中任何一所都不符",
        "the row's township '{township}' is none of theirs"),
    "intake.records.township_blank": (
        "该行的乡镇为空",
        "the row's township cell is blank"),
    "project.checks.season_errors": (
        "考试季 {season}：有 {n} 个问题需要先改正，才能生成报告：\n{items}",
        "season {season}: {n} problem(s) to fix before the report can be built:\n{items}"),
    "project.checks.school_with_code": (
        "{name}（{code}）",
        "{name} ({code})"),
    "project.checks.schools_listed": (
        "{names} 等 {n} 所",
        "{names} and {more} more"),
    "project.checks.did_you_mean": (
        "是不是 {name}？",
        " Did you mean {name}?"),
    "project.checks.line.pass_line": (
        "及格",
        "the pass line"),
    "project.checks.line.excellent": (
        "优秀",
        "the excellent line"),
    "project.checks.thresholds.nobody": (
        "{zh_label} 没有学生达到{zh_name}线（{line:g} 分，满分 {marks:g}；最高 {highest:g} 分）：各校{zh_name}率都会是 "
        "0%",
        "no pupil reaches {en_name} in {en_label} ({line:g} of {marks:g}; highest {highest:g}): "
        "its rate is 0% everywhere"),
    "project.checks.thresholds.nobody.hint": (
        "请核对 {params_file} 中 {zh_label} 的满分，以及 thresholds.{threshold}（满分的比例）",
        "check the full marks of {en_label} in {params_file} and thresholds.{threshold} (a "
        "share of full marks)"),
    "project.checks.thresholds.everybody": (
        "{zh_label} 全部学生都达到{zh_name}线（{line:g} 分，满分 {marks:g}；最低 {lowest:g} 分）：各校{zh_name}率都会是 "
        "100%",
        "every pupil reaches {en_name} in {en_label} ({line:g} of {marks:g}; lowest {lowest:g}"
        "): its rate is 100% everywhere"),
    "project.checks.thresholds.everybody.hint": (
        "请核对 {params_file} 中 {zh_label} 的满分，以及 thresholds.{threshold}（满分的比例）",
        "check the full marks of {en_label} in {params_file} and thresholds.{threshold} (a "
        "share of full marks)"),
    "project.checks.model_plan.left_out": (
        "归因分析页将不纳入以下各项：{text_zh}",
        "the attribution page will leave out: {text_en}"),
    "config.params.thresholds_from.share_or_points": (
        "应为满分的比例（例如 0.6）或分数（例如 600分），实际是 {value!r}",
        "expected a share of full marks (e.g. 0.6) or points (e.g. 600分), got {value!r}"),
    "config.params.thresholds_from.share_or_points.hint": (
        "请写比例（例如 0.75），或总分的分数（例如 600分）",
        "write a share such as 0.75, or points of the total such as 600分"),
    "config.params.thresholds_from.number": (
        "应为数字，实际是 {value!r}",
        "expected a number, got {value!r}"),
    "config.params.thresholds_from.number.hint": (
        "{line} 只能写数字，不能写分数",
        "{line} is a number, not points"),
    "config.params.check_thresholds.line": (
        "{name} {value}",
        "{name} {value}"),
    "config.params.check_thresholds.low": (
        "低分线",
        "low"),
    "config.params.check_thresholds.pass_line": (
        "及格线",
        "pass_line"),
    "config.params.check_thresholds.good": (
        "良好线",
        "good"),
    "config.params.check_thresholds.excellent": (
        "优秀线",
        "excellent"),
    "config.params.check_thresholds.order": (
        "分数线的大小顺序不对：应为 低分线 ≤ 及格线 ≤ 良好线 ≤ 优秀线；现在是 {listed_zh}",
        "the lines must satisfy low <= pass_line <= good <= excellent; here {listed}"),
    "config.params.check_thresholds.order.hint": (
        "请检查 low、pass_line、good、excellent 四条线的数值",
        "check the order of the four lines"),
    "config.params.check_thresholds.order_in_points": (
        "分数线的大小顺序不对：应为 低分线 ≤ 及格线 ≤ 良好线 ≤ 优秀线；现在是 {listed_zh}",
        "the lines must satisfy low <= pass_line <= good <= excellent; here {listed}"),
    "config.params.check_thresholds.order_in_points.hint": (
        "请检查 low、pass_line、good、excellent 四条线的数值；以分数表示的线指总分的分数，各考试季总分不同时，请在各考试季的 overrides: "
        "thresholds: 中分别设定",
        "check the order of the four lines; lines in points are points of the total, so give "
        "them per season (under overrides: thresholds:) when the seasons' full marks differ"),
    "config.params.named_season.did_you_mean": (
        "是不是 {name}？",
        "did you mean {name}? "),
    "config.params.named_season.seasons_with_params": (
        "已有参数文件的考试季：{others}；",
        "seasons with params: {others}; "),
    "config.params.named_season.no_params_file": (
        "写的考试季 {value} 没有参数文件（params/{value}.yaml）",
        "names the season {value}, which has no params file (params/{value}.yaml)"),
    "config.params.named_season.no_params_file.hint": (
        "{guess_zh}请更正名称，或删去这个键（第一次使用时没有可比的考试季）",
        "{guess}correct the name, or remove the key (a first season has none)"),
    "intake.items.check_rows.too_many_long": (
        "小题分表（{source}）有 {rows:,} 行，超过可读取的 {most:,} 行",
        "the item scores ({source}) have {rows:,} rows, more than the {most:,} eduqa reads of "
        "an item export"),
    "intake.items.check_rows.too_many_long.hint": (
        "请按“宽表”导出小题分（每名学生一行、每题一列，每科最多 {most:,} 名学生），不要按“每名学生每题一行”导出",
        "export the item scores in the wide layout (one row per pupil, a column per question: "
        "up to {most:,} pupils a subject) rather than one row per pupil and question"),
    "intake.items.check_rows.too_many_wide": (
        "小题分表（{source}）有 {rows:,} 行，超过可读取的 {most:,} 行",
        "the item scores ({source}) have {rows:,} rows, more than the {most:,} eduqa reads of "
        "an item export"),
    "intake.items.check_rows.too_many_wide.hint": (
        "请确认这是某一科目的小题分导出表",
        "check that this is the item export of one subject"),
    "intake.items.check_rows.long_rows": (
        "，试卷共 {questions} 题（每名学生每题一行）",
        " and the paper {questions} questions (one row per pupil and question)"),
    "intake.items.check_rows.wide_rows": (
        "（每名学生一行）",
        " (one row per pupil)"),
    "intake.export.read_scores.no_column": (
        "缺少{first}的成绩列",
        "the score column for {first} ({first_id}) is missing"),
    "intake.export.read_scores.no_column.hint": (
        "请补上这些列，或从 {params_name} 的 subjects 中删去{names}；现有的列：{shown}",
        "add the column(s), or remove {names} from subjects in {params_name}; columns found: "
        "{shown}"),
    "intake.export.read_scores.no_columns": (
        "缺少 {n} 个学科的成绩列：{names}",
        "the score columns of {n} subjects are missing: {described}"),
    "intake.export.read_scores.no_columns.hint": (
        "请补上这些列，或从 {params_name} 的 subjects 中删去{names}；现有的列：{shown}",
        "add the column(s), or remove {names} from subjects in {params_name}; columns found: "
        "{shown}"),
    "intake.export.unknown_schools.odd": (
        "，其中 {chars} 是繁体字或生僻字，名单按简体书写时不会匹配",
        ", with traditional or rare characters {chars}"),
    "intake.export.unknown_schools.name": (
        "“{name}”（首次出现在第 {row} 行{odd}）",
        "'{name}' (first at row {row}{odd})"),
    "intake.export.unknown_schools.more": (
        "等，另有 {more} 个",
        " and {more} more"),
    "config.reading.near_line": (
        "（第 {line} 行附近）",
        " near line {line}"),
    "config.reading.did_you_mean": (
        "是不是“{name}”？",
        "did you mean '{name}'?"),
    "config.reading.known_keys": (
        "可用的键：{keys}",
        "known keys: {keys}"),
    "config.reading.unknown_key": (
        "无法识别的键（可能拼写有误）",
        "unknown key"),
    "config.reading.unknown_key.hint": (
        "{hint_zh}",
        "{hint_en}"),
    "config.season_files.scores_found": (
        "files.scores 写的是 {value}，该文件不存在；已自动使用同一文件夹中唯一的成绩表 {found}",
        "files.scores names {value}, which is not there; using {found}, the only score export "
        "in its folder"),
    "config.season_files.missing_files": (
        "还有 {n} 个输入文件不存在：\n    {missing_zh:\n    }",
        "{n} input file(s) do not exist yet:\n    {missing:\n    }"),
    "config.season_files.missing_files.hint": (
        "请把每个文件复制到对应位置（见 data/raw/<考试季>/README.txt），或更正路径",
        "copy each file there (see data/raw/<season>/README.txt), or correct the path"),
    "config.season_files.no_targets": (
        "files.targets 写的是 {value}，该文件不存在：本期报告不含目标达成部分（目标文件是可选的）",
        "files.targets names {value}, which is not there: the report has no target (目标责任状) "
        "section this season"),
    "config.storage.disk_full": (
        "{shown} 所在的磁盘已满（{reason}）；正在生成的考试季保留原来的报告和处理后的数据，未被改动。\n  怎么办：清理该磁盘的空间（可删除旧的 reports/<考"
        "试季>.failed 和 data/processed/.work-* 文件夹）后再运行",
        "the disk holding {shown} is full ({reason}); the season being written keeps its "
        "previous report and processed data.\n  What to do: free some space on that disk (old "
        "reports/<season>.failed folders and data/processed/.work-* folders can go), then run "
        "again"),
    "config.storage.not_writable": (
        "eduqa 无权写入 {shown}（{reason}，文件夹只读或没有写权限）；正在生成的考试季保留原来的报告和处理后的数据，未被改动。\n  怎么办：请让当前账号可以写入"
        "该文件夹（或把项目复制到可写的文件夹），然后再运行",
        "eduqa may not write in {shown} ({reason}); the season being written keeps its previous "
        "report and processed data.\n  What to do: make that folder writable for your account "
        "(or copy the project to a folder you may write in), then run again"),
    "config.storage.busy": (
        "另一个 eduqa 进程（进程号 {holder}）正在生成{what}，请等它结束后再运行",
        "{what} is being written by another eduqa run (process {holder}); wait for it to finish "
        "and run again"),
    "intake.readers.split_it": (
        "请把它拆分（例如按乡镇），每个文件不超过这一行数",
        "split it (e.g. by township) into files of at most that many rows"),
    "intake.readers.too_many_rows": (
        "{what_zh}有 {rows:,} 行，超过这类文件可读取的 {most:,} 行（需整个读入内存）",
        "the {what} has {rows:,} rows, more than the {most:,} eduqa reads of such a file (it is "
        "read whole into memory)"),
    "intake.readers.too_many_rows.hint": (
        "{hint_zh}",
        "{hint_en}"),
    "intake.schools.coded.school_code": (
        "学校代码",
        "school code"),
    "intake.schools.coded.school_name": (
        "学校",
        "school"),
    "intake.schools.read_staffing.share": (
        "0 到 1 之间的比例（或百分数，如 35%）",
        "a share between 0 and 1 (or a percent such as 35%)"),
    "intake.schools.read_staffing.number": (
        "数字",
        "a number"),
}
