"""Error messages: what went wrong, where, and what to do (key -> (Chinese, English)).

Keys are ``error.*`` (how an error is put together) and ``model.*`` (the statistical models,
which raise by key: :meth:`eduqa.errors.EduqaError.of`).
"""

from __future__ import annotations

MESSAGES: dict[str, tuple[str, str]] = {
    # where a bad value is, and how a message is put together (eduqa.errors)
    "error.where_file": ("文件 {file}", "file {file}"),
    "error.where_row": ("第 {row} 行", "row {row}"),
    "error.where_column": ("“{column}”列", "column '{column}'"),
    "error.where_separator": ("，", ", "),
    "error.where_params": ("参数文件 {file}", "file {file}"),
    "error.where_params_key": ("参数文件 {file}，键 “{key}”", "file {file}, key '{key}'"),
    "error.located": ("{where}：{problem}", "{where}: {problem}"),
    "error.what_to_do": ("\n  怎么办：{hint}", "\n  What to do: {hint}"),
    "error.params_problems": ("{count} 处参数问题：", "{count} problems in the params:"),
    "error.notebook_failed": ("考试季 {season}：笔记本 {notebook} 运行出错{where}：{detail}",
                              "season {season}: notebook {notebook} failed{where}: {detail}"),
    "error.notebook_cell": ("（第 {cell} 个单元格）", " in cell {cell}"),
    "error.notebook_kept": ("\n  已执行的部分保存在 {path}，可用 JupyterLab 打开查看",
                            "\n  The partly executed notebook is kept at {path}"),
    "error.listed_more": ("{items} 等共 {count:,} 个", "{items} and {more:,} more"),
    # the report (eduqa.report)
    "report.view_columns_missing": ("表格“{view}”要显示 {missing}，但数据中没有（现有的列：{columns}）。"
                                    "\n  怎么办：先计算这些列，或在 eduqa/config/columns.py 中把它们从该表的 View 中去掉",
                                    "the table '{view}' shows {missing}, which its frame does "
                                    "not have (it has {columns}): compute them, or take them out "
                                    "of its View in eduqa/config/columns.py"),
    # the models (eduqa.models): plain English in the library, Chinese for the office
    "model.no_columns": ("数据中没有变量 {missing}；可用的变量：{available}",
                         "no column(s) {missing}; columns available: {available}"),
    "model.resample_groups": ("按“{group}”分组的统计量只能按该组重抽样",
                              "statistics grouped by {group} resample those groups, not rows "
                              "or '{cluster}'"),
    "model.cr2_needs_students": ("回归中含有学生层面的变量 {student} 时，{term} 的 CR2 标准误需要学生层面的数据",
                                 "CR2 errors of {term} with the student-level {student} among "
                                 "the regressors need the students' rows"),
    "model.needs_group_level": ("{column} 在此是学生层面的变量，需要学校层面的变量",
                                "{column} is a student-level column here; a group-level one "
                                "is needed"),
    "model.oaxaca_school_level": ("Oaxaca 分解：用各校统计量时“{group}”须是学校层面的变量",
                                  "oaxaca: '{group}' must be a school-level column with "
                                  "per-school statistics"),
    "model.oaxaca_constant": ("Oaxaca 分解：{constant} 在某一组内没有变化，无法估计该组的系数，"
                              "请去掉它（见 attribution.varying）",
                              "oaxaca: {constant} does not vary within one of the groups, so "
                              "it has no group-specific coefficient; leave it out (see "
                              "attribution.varying)"),
    "model.oaxaca_binary": ("Oaxaca 分解：“{group}”必须是 0/1 变量，实际取值 {values}",
                            "oaxaca: '{group}' must be a 0/1 column, found {values}"),
    "model.not_group_level": ("{varies} 在同一组（{keys}）内取值不同，不是组一级的变量",
                              "{varies} varies within a group of {keys}: it is not a "
                              "group-level column"),
    "model.group_in_two_parts": ("分组统计量：同一组出现在两个分区中",
                                 "grouped statistics: a group appears in two parts"),
    "model.no_column": ("数据中没有变量“{column}”；可用的变量：{available}",
                        "no column '{column}'; columns available: {available}"),
    "model.unreadable": ("无法读取模型“{formula}”：{reason}",
                         "cannot read the model '{formula}': {reason}"),
    "model.student_outcome": ("模型“{formula}”的因变量须是学生层面的变量（{student}）",
                              "the model '{formula}' needs a student-level outcome, one of "
                              "{student}"),
    "model.transformed_student_term": (
        "模型“{formula}”中，“{term}”对学生层面的变量 {student} 作了变换；模型由各校的汇总统计量拟合，"
        "只能使用该变量本身。\n  怎么办：在参数文件的模型项中直接使用该变量。",
        "in the model '{formula}', the term '{term}' transforms the student-level {student}; "
        "the models fit from per-school statistics, which hold such a column only as "
        "itself.\n  What to do: use {student} as it is in the model terms."),
    "model.cannot_build": ("无法建立模型“{formula}”：{reason}\n  可用的变量：{available}\n  "
                           "怎么办：检查参数文件 attribution 中的模型项是否拼写正确",
                           "cannot build the model '{formula}': {reason}\n  Columns "
                           "available: {available}"),
    "model.irt_unknown": ("未知的 IRT 模型 {model!r}：请用 '2pl' 或 'rasch'",
                          "unknown IRT model {model!r}: use '2pl' or 'rasch'"),
    "model.irt_binary": ("IRT 需要对/错（1/0）数据；多分值小题请先按满分记为对",
                         "IRT needs right/wrong answers (1/0); score polytomous questions right "
                         "at full marks first"),
    "model.cov_type": ("cov_type 只能是 CR1 或 CR2，不能是 {cov_type!r}",
                       "cov_type must be 'CR1' or 'CR2', not {cov_type!r}"),
    "model.two_clusters": ("聚类稳健标准误至少需要两个聚类（学校）",
                           "clustered errors need at least two clusters"),
    "model.grouped_by_other": ("random_intercept：统计量按“{by}”分组，而不是“{group}”",
                               "random_intercept: the statistics are grouped by {by}, not "
                               "'{group}'"),
    "model.no_group_column": ("random_intercept：数据中没有分组列“{group}”",
                              "random_intercept: no group column '{group}'"),
    "model.no_rows": ("多层模型没有可用的数据",
                      "random_intercept needs at least one group with rows"),
    "model.aliased": ("模型“{formula}”中，{aliased} 完全由其他变量决定（所有行都相同，或恰好等于其他几项之和），"
                      "无法单独估计其作用。\n  怎么办：从参数文件的模型项中删去它。",
                      "in the model '{formula}', {aliased} is an exact combination of the "
                      "other terms (the same for every row, or the sum of others), so its "
                      "effect cannot be separated.\n  What to do: remove it from the model "
                      "terms in params."),
    "model.nested_grouped_by_other": ("三层模型：统计量按“{by}”分组，而不是按学校和班级",
                                      "nested_random_intercept: the statistics are grouped by "
                                      "{by}, not by {school} and {klass}"),
    "model.nested_no_column": ("三层模型：数据中没有“{column}”列",
                               "nested_random_intercept: no column '{column}'"),
    "model.nested_two_schools": ("三层模型至少需要两所学校",
                                 "the three-level model needs at least two schools"),
    "model.nested_aliased": ("模型“{formula}”中，{aliased} 完全由其他变量决定，无法单独估计",
                             "in the model '{formula}', {aliased} is an exact combination of "
                             "the other terms, so its effect cannot be separated"),
    "model.grm_one_score": ("分级反应模型：第 {question} 题所有学生得分相同，无法估计",
                            "graded response model: every pupil has the same score on "
                            "question {question}, so it cannot be estimated"),
    "model.levels_no_column": ("多层模型：统计量中没有层级列 {missing}",
                               "nested_levels: the statistics have no level column {missing}"),
}
