"""The messages of eduqa.config: its errors (a key ending in ``.hint`` says what to do)
and the sentences it writes, key -> (Chinese, English)."""

from __future__ import annotations

MESSAGES: dict[str, tuple[str, str]] = {
    "config.params.suppress_below.must_be_or_more": (
        "不能小于 2，实际是 {value}：由一名学生算出的数值就是该生本人的成绩",
        "must be 2 or more, got {value}: a value computed from one pupil is that pupil's result"),
    "config.params.roster.school_roster_does_not": (
        "学校名单 {roster} 不存在",
        "the school roster {roster} does not exist"),
    "config.params.roster.school_roster_does_not.hint": (
        "请把学校名单（schools.csv）放到这里，或更正路径",
        "put the roster (schools.csv) there or correct the path"),
    "config.params.engine.expected_pandas_or_dask": (
        "应为 pandas 或 dask，实际是 {engine!r}",
        "expected pandas or dask, got {engine!r}"),
    "config.params.engine.expected_pandas_or_dask.hint": (
        "pandas 在本机进程内计算（一个县或市）；dask 在 Dask 集群上计算（省级及以上）",
        "pandas computes in this process (a county or a city); dask on a Dask cluster (a "
        "province or more)"),
    "config.params.language.expected_zh_or_en": (
        "应为 zh（中文）或 en（英文），实际是 {value!r}",
        "expected 'zh' or 'en', got {value!r}"),
    "config.params.grade.expected_grade_from_got": (
        "年级应为 1 到 12，实际是 {grade}",
        "expected a grade from 1 to 12, got {grade}"),
    "config.params.grade.expected_grade_from_got.hint": (
        "高一至高三写作 10 至 12",
        "高一 to 高三 are grades 10 to 12"),
    "config.params.season_id.season_id_differs_from": (
        "考试季名称“{season_id}”与文件名“{season}”不一致",
        "the season id '{season_id}' differs from the file name '{season}'"),
    "config.params.season_id.season_id_differs_from.hint": (
        "请让两者一致",
        "make the two the same"),
    "config.params.named_season.names_this_season_itself": (
        "写的是本考试季自己（{value}）",
        "names this season itself ({value})"),
    "config.params.named_season.names_this_season_itself.hint": (
        "请写一个更早的考试季，或删去这个键",
        "name an earlier season, or remove the key"),
    "config.params.thresholds_from.line_points_must_be": (
        "以分数表示的分数线必须是正数",
        "a line in points must be positive"),
    "config.params.resolve_points.points_more_than_total": (
        "{where} 为 {amount:g} 分，超过了本考试季总分的满分 {total:g} 分",
        "{where} is {amount:g} points, more than the total's full marks ({total:g}) of this "
        "season"),
    "config.params.resolve_points.points_more_than_total.hint": (
        "以分数表示的分数线指总分的分数；请核对数值，或改用满分的比例（例如 0.6）",
        "lines in points are points of the total (总分); check the value or give the line as a "
        "share of full marks (e.g. 0.6)"),
    "config.params.outside_folders.must_be_absolute_folder": (
        "必须是完整的（绝对）文件夹路径",
        "must be an absolute folder path"),
    "config.params.paper_rule.must_be_or_more": (
        "不能小于 0",
        "must be 0 or more"),
    "config.params.paper_rule.expected_correlation_from_got": (
        "应为 -1 到 1 之间的相关系数，实际是 {value}",
        "expected a correlation from -1 to 1, got {value}"),
    "config.params.load_season.expected_one_got": (
        "应为 {school_levels} 之一，实际是 {level!r}",
        "expected one of {school_levels}, got {level!r}"),
    "config.params.subjects.at_least_one_subject": (
        "至少需要一个学科",
        "at least one subject is needed"),
    "config.params.score_lines.not_subject_or": (
        "“{key2}”不是学科名称，也不是“总分”",
        "'{key2}' is not a subject or 总分"),
    "config.params.tiers.unknown_key": (
        "不能按“{value}”分梯次（也不能重复）：可以用 {known}",
        "cannot make tiers by '{value}' (nor repeat a key): use any of {known}"),
    "config.params.tiers.bands_ascending": (
        "应为从小到大、大于 0 的学生人数分界，如 [300, 1000]，实际是 {value}",
        "expected enrolment cut points above 0 in ascending order, such as [300, 1000], got {value}"),
    "config.params.engine.must_be_or_more": (
        "不能小于 {smallest}",
        "must be {smallest} or more"),
    "config.params.subjects.not_known_subject": (
        "“{key2}”不是可识别的学科",
        "'{key2}' is not a known subject"),
    "config.params.subjects.not_known_subject.hint": (
        "请使用以下学科名称之一：{known}",
        "use one of the subject names: {known}"),
    "config.paths.check_season_id.not_season_id_write": (
        "{shown} 不是有效的考试季名称：应写成“年份-学期-年级”，只用英文字母、数字、“-”或“_”，例如 2026-spring-g6（不能有空格、“/”、“..”或其他符"
        "号）",
        "{shown} is not a season id: write year-term-grade with ASCII letters, digits, '-' or "
        "'_' only, e.g. 2026-spring-g6 (no spaces, '/', '..' or other signs)"),
    "config.paths.find.no_eduqa_project_found": (
        "找不到 eduqa 项目：当前文件夹及其上级文件夹中都没有 params/county.yaml。\n  怎么办：先 cd 到项目文件夹，或用 --project 指定项目文"
        "件夹。",
        "No eduqa project found: no params/county.yaml here or in any parent folder.\n  What to "
        "do: cd into the project folder, or pass --project PATH."),
    "config.paths.find.not_eduqa_project_params": (
        "{root} 不是 eduqa 项目文件夹：缺少 params/county.yaml。\n  怎么办：请在项目文件夹中运行 eduqa，或用 --project 指定项目文"
        "件夹。",
        "{root} is not an eduqa project: params/county.yaml is missing.\n  What to do: run "
        "eduqa from the project folder, or pass --project."),
    "config.reading.read_yaml.file_does_not_exist": (
        "文件不存在",
        "the file does not exist"),
    "config.reading.read_yaml.file_does_not_exist.hint": (
        "请先建立该文件（见 README“每个考试季的操作步骤”，可用 eduqa new-season），或检查考试季名称是否写对",
        "create it (see README: adding a season) or check the season id"),
    "config.reading.read_yaml.file_larger_than_bytes": (
        "文件超过 {max_params_bytes:,} 字节",
        "the file is larger than {max_params_bytes:,} bytes"),
    "config.reading.read_yaml.file_larger_than_bytes.hint": (
        "参数文件只有几项设置，请检查是否放错了文件",
        "a params file holds a few settings; check it is the right file"),
    "config.reading.read_yaml.expected_mapping_keys_values": (
        "文件的最外层应当是“键: 值”的形式",
        "expected a mapping of keys to values at the top level"),
    "config.reading.read_yaml.expected_mapping_keys_values.hint": (
        "每行写一个“键: 值”",
        "write one 'key: value' per line"),
    "config.reading.require.required_key_missing": (
        "缺少必填的键",
        "required key is missing"),
    "config.reading.require.required_key_missing.hint": (
        "请补上（可参照其他考试季的参数文件）",
        "add it (see the other season files for an example)"),
    "config.reading.typed.expected_got": (
        "应为{value1}，实际是 {value!r}",
        "expected {what}, got {value!r}"),
    "config.reading.typed.not_finite": (
        "应为{value1}，实际是 {value!r}",
        "expected {what}, got {value!r}"),
    "config.reading.typed.not_finite.hint": (
        "请写一个普通的数",
        "write an ordinary number"),
    "config.reading.typed.expected_or_more_got": (
        "应为不小于 0 的{value1}，实际是 {value!r}",
        "expected {what} of 0 or more, got {value!r}"),
    "config.reading.one_line.character_invisible_or_control": (
        "第 {value1} 个字符是 {value2}，属于不可见字符或控制字符（有的程序会把它当作换行）",
        "character {value1} is {value2}, an invisible or control character (a line break for "
        "some programs)"),
    "config.reading.one_line.character_invisible_or_control.hint": (
        "请用纯文本编辑器在一行内重新输入这个名称",
        "retype the name on one line in a plain text editor"),
    "config.reading.share.expected_number_between_got": (
        "应为 0 到 1 之间的数，实际是 {value!r}",
        "expected a number between 0 and 1, got {value!r}"),
    "config.reading.share.expected_number_between_got.hint": (
        "分数线是满分的比例，例如 60% 写作 0.6",
        "thresholds are shares of full marks, e.g. 0.6 for 60%"),
    "config.reading.positive.must_be_positive": (
        "必须是正数",
        "must be positive"),
    "config.reading.project_file.path_leads_outside_project": (
        "路径 {value!r} 指向项目文件夹之外",
        "the path {value!r} leads outside the project folder"),
    "config.reading.project_file.path_leads_outside_project.hint": (
        "请把文件复制到项目中（例如 data/raw/<考试季>/），或确需读取外部文件时，在 params/county.yaml 的 outside_folders 中列出该文件"
        "夹",
        "copy the file into the project (e.g. data/raw/<season>/), or list its folder under "
        "outside_folders in params/county.yaml if reading it there is intended"),
    "config.reading.read_yaml.line_anchors_aliases_name": (
        "第 {line} 行：参数文件中不允许使用 YAML 锚点和别名（&名称 / *名称）",
        "line {line}: anchors and aliases (&name / *name) are not allowed in params files"),
    "config.reading.read_yaml.line_anchors_aliases_name.hint": (
        "请把每个值直接写出来",
        "write each value out in full"),
    "config.reading.read_yaml.not_valid_yaml": (
        "格式不正确{line_zh}（YAML 提示：{problem}）",
        "not valid YAML{line}: {problem}"),
    "config.reading.read_yaml.not_valid_yaml.hint": (
        "请检查缩进，以及每个键后面是否有英文冒号加空格“: ”",
        "check indentation and that each key is followed by ': '"),
    "config.reading.read_yaml.not_utf_text": (
        "文件不是 UTF-8 编码",
        "not UTF-8 text"),
    "config.reading.read_yaml.not_utf_text.hint": (
        "请把文件另存为 UTF-8 编码",
        "save the file as UTF-8"),
    "config.season_files.find_score_export.files_scores_names_which": (
        "files.scores 写的是 {name}，该文件不存在；而文件夹中有 {n_candidates} 个文件都可能是成绩表：{value1}",
        "files.scores names {name}, which is not there, and its folder holds {n_candidates} "
        "files that could be the score export: {listed}"),
    "config.season_files.find_score_export.files_scores_names_which.hint": (
        "请在 files.scores 中写明要用哪一个（或把其他文件移出该文件夹）",
        "write the one to use under files.scores (or move the others out of the folder)"),
    "config.season_files.paired_paper_files.item_scores_blueprint_go": (
        "小题分和双向细目表需要成对提供；{names} 只有其中一个",
        "item scores and a blueprint go together; {names} has only one"),
    "config.season_files.paired_paper_files.item_scores_blueprint_go.hint": (
        "做试卷分析的每个学科都要在 files.items 和 files.blueprints 中各给一个文件",
        "give both files.items and files.blueprints for each subject of the paper analysis"),
    "config.season_files.paper_files.not_subject_this_season": (
        "“{name}”不是本考试季的学科",
        "'{name}' is not a subject of this season"),
    "config.season_files.paper_files.not_subject_this_season.hint": (
        "可用的学科：{listed}",
        "use one of: {listed}"),
    "config.season_files.paper_files.does_not_exist": (
        "{key2}.{name}：{value} 不存在",
        "{key2}.{name}: {value} does not exist"),
    "config.season_files.paper_files.does_not_exist.hint": (
        "请把文件复制到这里，或更正路径",
        "copy the file there, or correct the path"),
    "config.season_files.input_files.required_key_missing": (
        "缺少必填的键",
        "required key is missing"),
    "config.season_files.input_files.required_key_missing.hint": (
        "请填写成绩表的路径",
        "give the path of the score export"),
    "config.season_files.sibling_hint.found_point_path_at": (
        "（同一文件夹中有 {others}：请把路径改为它）",
        " (found {others}: point the path at it)"),
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
}
