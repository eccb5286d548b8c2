"""The messages of eduqa.report: its errors (a key ending in ``.hint`` says what to do)
and the sentences it writes, key -> (Chinese, English)."""

from __future__ import annotations

MESSAGES: dict[str, tuple[str, str]] = {
    "report.html.export_html.would_load_from_network": (
        "{name} 会从网络加载 {value1}，而报告必须能离线打开。这是 eduqa 的程序错误，请报告。",
        "{name} would load {value1} from the network; eduqa pages must work offline. This is a "
        "bug in eduqa."),
    "report.plots.setup.no_chinese_font_found": (
        "找不到用于图表的中文字体。\n  怎么办：重新安装 eduqa（make install），它会安装 mplfonts 字体包",
        "no Chinese font found for figures.\n  What to do: reinstall eduqa (make install), "
        "which installs the mplfonts package"),
    "report.tables.relabelled.columns_share_display_header": (
        "列 {same} 在“{language}”中的表头相同（{value1}），请在 eduqa/config/columns.py 中区分",
        "columns {same} share the display header {value1!r} in '{language}': give them distinct "
        "labels in eduqa/config/columns.py"),
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
    "report.plots.category_curves.title": ("{subject}第 {question} 题", "{subject} Q{question}"),
    "report.plots.category_curves.p_score": ("得到该分数的概率", "P(score)"),
    "report.plots.category_curves.score": ("分数", "Score"),
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
    # 校本报告 (eduqa.report.school)
    "report.school.title": ("{school} · {season} 校本报告", "{school} · {season}: school report"),
    "report.school.internal": (
        "内部资料：本报告只供本校领导和教师制定改进计划使用，不公开、不用于学校之间排队。",
        "Internal: for the school's own leaders and teachers to plan improvement; not to be "
        "published or used to line schools up."),
    "report.school.sections.basic": ("一、基本情况", "1. The school at a glance"),
    "report.school.sections.strengths": ("二、主要成绩", "2. What went well"),
    "report.school.sections.problems": ("三、存在问题", "3. Where it is weak"),
    "report.school.sections.reasons": ("四、原因分析", "4. What goes with it"),
    "report.school.sections.plan": ("五、改进建议", "5. For the school's plan"),
    "report.school.sections.tables": ("附：本校数据表", "Appendix: the school's tables"),
    "report.school.table": ("表 {number}：{name}", "Table {number}: {name}"),
    "report.school.tables.subjects": ("本校各学科与全县对照", "The school's subjects against the county"),
    "report.school.tables.classes": ("本校各班总分指标与临界生", "The school's classes: total and pupils near the lines"),
    "report.school.tables.points": ("本校与全县差距最大的知识点", "Knowledge points furthest below the county"),
    "report.school.tables.questions": ("本校与全县差距最大的小题", "Questions furthest below the county"),
    "report.school.nav_season": ("本季报告", "Season report"),
    "report.school.nav_index": ("全部校本报告", "All school reports"),
    "report.school.index_title": ("{season} · 校本报告", "{season}: school reports"),
    "report.school.index_files": ("报告", "Report"),
    "report.school.page": ("网页", "page"),
    "report.school.word": ("Word", "Word"),
    "report.word.numerals": ("一二三四五六七八九十", "1 2 3 4 5 6 7 8 9 10"),
    "report.word.numbered": ("{number}、{name}", "{number}. {name}"),
    "report.word.sections.basic": ("基本情况", "The county at a glance"),
    "report.word.sections.achievements": ("主要成绩", "What went well"),
    "report.word.sections.problems": ("存在问题", "Where the county is weak"),
    "report.word.sections.reasons": ("原因分析", "What goes with it"),
    "report.word.sections.suggestions": ("改进建议", "Suggestions"),
    "report.word.sections.tables": ("主要数据表", "Key tables"),
    "report.word.sections.figures": ("主要图表", "Main figures"),
    "report.word.tables_note": (
        "以下为主要数据表；全部表格（各校各学科、各班、各知识点等）见同一文件夹中的 tables.xlsx。",
        "The key tables follow; every table (each school and subject, class, knowledge point …) is in tables.xlsx in the same folder."),
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
}
