"""The messages of eduqa.project: its errors (a key ending in ``.hint`` says what to do)
and the sentences it writes, key -> (Chinese, English)."""

from __future__ import annotations

MESSAGES: dict[str, tuple[str, str]] = {
    "project.build.notebooks.no_notebooks_found": (
        "{notebooks} 中没有笔记本（.ipynb）",
        "no notebooks found in {notebooks}"),
    "project.build.check_digests.season_processed_data_changed": (
        "考试季 {season}：生成报告期间，{season2} 的清洗数据发生了变化（页面 {notebook} 读到的是另一版数据），报告没有发布，原有报告保持不变。\n  怎"
        "么办：等 eduqa clean 结束后重新运行",
        "season {season}: the processed data of {season2} changed while the report was being "
        "built (page {notebook} read another version of it than the data now), so the report "
        "was not published; the old one stays.\n  What to do: let `eduqa clean` finish, then "
        "run again"),
    "project.checks.absent_schools.schools_roster_that_teach": (
        "名册中有 {n_names} 所教这个年级的学校在本次成绩表中没有学生，报告中不会出现：{shown}",
        "{n_names} schools of the roster that teach this grade have no pupil in this season's "
        "score export and do not appear in the report: {shown_en}"),
    "project.checks.absent_schools.schools_roster_that_teach.hint": (
        "如果这些学校参加了考试，请核对成绩表中学校名称的写法（可把这种写法加到 {value1} 的“别名”列）；如果本次考试只在部分学校进行，则无需改动",
        "if they sat the exam, check how their names are written in the score export (add each "
        "spelling to `aliases` in {value1}); if the exam was given in some schools only, "
        "nothing needs to change"),
    "project.checks.absent_school.school_roster_but_has": (
        "学校 {school_name}（{school_code}）在名册中是{school_type}，但本次成绩表中没有该校学生：报告中不会出现该校",
        "school {school_name} ({school_code}) is a {school_type} of the roster but has no pupil "
        "in this season's score export: it does not appear in the report"),
    "project.checks.absent_school.school_roster_but_has.hint": (
        "如果该校参加了考试，请核对成绩表中该校名称的写法（可把这种写法加到 {value1} 的“别名”列）；如果未参加，则无需改动",
        "if the school sat the exam, check how its name is written in the score export (add "
        "that spelling to `aliases` in {value1}); if it did not, nothing needs to change"),
    "project.checks.above_full_marks.scores_above_full_marks": (
        "{zh_name} 有 {above:,} 个成绩（共 {cells:,} 个，占 {share:.0%}）高于这里设置的满分 {marks:g} 分（最高 "
        "{highest:g} 分）",
        "{above:,} of {cells:,} {subject} scores ({share:.0%}) are above the full marks "
        "{marks:g} set here (highest {highest:g})"),
    "project.checks.above_full_marks.scores_above_full_marks.hint": (
        "请写上试卷的实际满分，例如 “{zh_name}: {value1}”，然后再运行 eduqa validate",
        "write the paper's real full marks, e.g. `{zh_name}: {value1}`, then run eduqa validate "
        "again"),
    "project.checks.not_examined.school_has_rows_score": (
        "学校 {name}（{code}）在成绩表中有学生行，但所有学科的成绩格都是空白：按该校未参加本次考试处理，报告中不会出现该校",
        "school {name} ({code}) has rows in the score export, but every score cell of them is "
        "blank in every subject: the school is treated as not having sat this exam and does not "
        "appear in the report"),
    "project.checks.not_examined.school_has_rows_score.hint": (
        "如果该校参加了考试，请重新导出该校成绩；如果未参加，则无需改动",
        "if the school sat the exam, export its scores again; if it did not, nothing needs to "
        "change"),
    "project.checks.not_examined.school_has_no_score": (
        "学校 {name}（{code}）没有任何{zh_name}成绩：按该校未考{zh_name}处理，该校学生因此没有总分，不计入任何总分表",
        "school {name} ({code}) has no {subject} score at all: it is treated as not examined "
        "there, and its pupils have no total score (总分), so they are left out of every 总分 table"),
    "project.checks.not_examined.school_has_no_score.hint": (
        "如果该校参加了这一学科的考试，请重新导出成绩，补上该校这一列；如果确实未考，则无需改动",
        "if the school sat this paper, export the scores again with this school's column filled "
        "in; if it did not, nothing needs to change"),
    "project.checks.schools_without_pupils.school_has_pupils_score": (
        "学校 {value1}（{code}）在成绩表中有学生，但没有一个有效成绩（全部缺考、免考或无效）",
        "school {value1} ({code}) has pupils in the score export but none of them has a score "
        "(all absent, exempt or invalid)"),
    "project.checks.schools_without_pupils.school_has_pupils_score.hint": (
        "请确认该校成绩已导出；数据清洗页（01）逐格列出了该校的情况",
        "check that this school's scores were exported; the cleaning log (page 01) lists each "
        "of its cells"),
    "project.checks.model_terms.model_term_transforms_student": (
        "模型项 “{term}” 对学生层面的变量 {student} 作了变换；模型由各校的汇总统计量拟合，只能使用该变量本身",
        "model term {term!r} transforms the student-level {student}; the models are fitted from "
        "per-school statistics, which hold such a column only as itself"),
    "project.checks.model_terms.model_term_transforms_student.hint": (
        "请直接使用 {student}，或删去这一项",
        "use {student} as it is, or leave the term out"),
    "project.checks.model_terms.model_term_uses_which": (
        "模型项 “{term}” 用到的 “{name}” 既不是模型数据的列，也不是师资表中的列。{guess_zh}",
        "model term {term!r} uses {name!r}, which is neither a column of the model data nor of "
        "the staffing file.{guess}"),
    "project.checks.model_terms.model_term_uses_which.hint": (
        "可用的名称：{listed}",
        "use one of: {listed}"),
    "project.checks.model_terms.not_valid_model_term": (
        "“{term}” 不是有效的模型项",
        "{term!r} is not a valid model term"),
    "project.checks.model_terms.not_valid_model_term.hint": (
        "请写列名（例如 shortage_rate），或公式项（例如 np.log(enrollment)）",
        "write a column name such as shortage_rate, or a formula term such as np.log(enrollment)"),
    "project.pipeline.check_current.season_has_not_been": (
        "考试季 {season} 还没有清洗（缺少 {record}）：请先运行 eduqa run {season} 或 eduqa clean {season}",
        "season {season} has not been cleaned yet (no {record}): run `eduqa run {season}` or `"
        "eduqa clean {season}` first"),
    "project.pipeline.check_current.processed_data_season_older": (
        "考试季 {season} 的清洗数据比原始文件或参数文件旧：请先运行 eduqa run {season} 或 eduqa clean {season}",
        "the processed data of season {season} is older than its raw files or params: run `"
        "eduqa run {season}` or `eduqa clean {season}` first"),
    "project.pipeline.read_processed.season_has_no_processed": (
        "考试季 {season} 没有名为 {table!r} 的清洗数据表；现有：{present}",
        "season {season} has no processed table {table!r}; it has: {present}"),
    "project.scaffold.bad_grade.cannot_tell_grade_from": (
        "无法从考试季名称 “{season}” 看出年级：请按 年份-学期-g年级 命名，年级为 1 到 12（高一至高三写 g10–g12），例如 2026-spring-g6",
        "cannot tell the grade from the season id {season!r}: name the season "
        "year-term-g<grade> with a grade from 1 to 12 (g10–g12 for 高一–高三), e.g. 2026-spring-g6"),
    "project.scaffold.check_notebooks.project_notebooks_were_copied": (
        "项目中的笔记本 {value2} 来自旧版 eduqa，不能用于当前版本（笔记本版本 {notebooks_version}）。\n  怎么办：运行 {command}：它把"
        "原来的笔记本保存到 notebooks/old-<编号>/，换上当前版本的笔记本（如果您手工改过笔记本，请把改动补到新笔记本中）",
        "the project's notebooks {value1} were copied from an older eduqa and do not work with "
        "this one (notebooks version {notebooks_version}).\n  What to do: run `{command}`: it "
        "keeps your copies in notebooks/old-<n>/ and puts this eduqa's notebooks in their place "
        "(carry over any change you made to them by hand)"),
    "project.scaffold.init_project.cannot_be_county_name": (
        "“{shown}” 不能作为县名：第 {value1} 个字符是 {value2}，属于不可见字符或控制字符（有的程序会把它当作换行）；请直接在一行内输入县名，例如 青山县",
        "{shown!r} cannot be a county name: character {value1} is {value2}, an invisible or "
        "control character (a line break for some programs); type the name on one line, e.g. 青山县"),
    "project.scaffold.init_project.cannot_be_county_name_": (
        "“{county}” 不能作为县名：请在一行内写县名，例如 青山县",
        "{county!r} cannot be a county name: write it on one line, e.g. 青山县"),
    "project.scaffold.remove_demo_files.remove_demo_deleted_nothing": (
        "--remove-demo 没有删除任何文件：{shown}。eduqa 只删除原样未改的示范县文件，也不会顺着链接删除；请先把这些文件（或链接）移出项目文件夹，或恢复原样，"
        "然后再运行",
        "--remove-demo deleted nothing: {shown}. eduqa removes only the demo's own files as "
        "they were shipped, and never follows a link"),
    "project.scaffold.new_season.already_exists_edit_it": (
        "{target} 已经存在：请直接修改它，或换一个考试季名称",
        "{target} already exists: edit it, or choose another season id"),
    "project.scaffold.notebook_source.eduqa_notebooks_were_not": (
        "在 {source} 找不到 eduqa 的笔记本",
        "the eduqa notebooks were not found at {source}"),
    "project.scaffold.init_project.already_holds_county_project": (
        "{root} 已经是一个县的项目（有 params/county.yaml）：eduqa init 不会覆盖它；如需修改县名等设置，请直接编辑 "
        "params/county.yaml",
        "{root} already holds a county's project (params/county.yaml): eduqa init never "
        "overwrites it; edit params/county.yaml instead"),
    "project.scaffold.init_project.holds_demo_county_add": (
        "{root} 中是示范县的演示数据；加上 --remove-demo 即可删除示范县的参数、原始数据、清洗数据和报告，在这里建立本县的项目",
        "{root} holds the demo county (示范县); add --remove-demo to remove its params, raw files, "
        "processed data and reports and start your own county here"),
    "project.scaffold.write_demo.synth_wrote_nothing_file": (
        "synth 没有写入任何文件：{out} 中有 {n_blocked} 个文件会被覆盖，而它们不是示范县的文件：{shown}。请用 --out 指定另一个文件夹",
        "synth wrote nothing: {n_blocked} file(s) in {out} would be overwritten and are not the "
        "demo's: {shown}. Write the demo elsewhere (--out another folder)"),
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
    "project.build.season_page.school_reports": (
        "校本报告（每校一份，内部资料）",
        "School reports (one per school, internal)"),
    "project.build.season_page.word_report": (
        "Word 报告（质量分析报告.docx）",
        "Word report"),
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
        "“差距与哪些条件有关”页将不纳入以下各项：{text_zh}",
        "the 'What the gaps go with' page will leave out: {text_en}"),
}
