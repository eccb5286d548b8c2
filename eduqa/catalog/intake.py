"""The messages of eduqa.intake: its errors (a key ending in ``.hint`` says what to do)
and the sentences it writes, key -> (Chinese, English)."""

from __future__ import annotations

MESSAGES: dict[str, tuple[str, str]] = {
    "intake.formats.empty.file_empty": (
        "文件是空的",
        "the file is empty"),
    "intake.formats.empty.file_empty.hint": (
        "请从阅卷系统重新导出该文件",
        "export the file again from the marking system"),
    "intake.formats.binary.this_not_text_csv": (
        "这不是文本（CSV）文件，里面是二进制数据",
        "this is not a text (CSV) file: it holds binary data"),
    "intake.formats.binary.this_not_text_csv.hint": (
        "请导出为 CSV（UTF-8）或 .xlsx，并检查文件扩展名",
        "export as CSV (UTF-8) or .xlsx, and check the file extension"),
    "intake.formats.csv_encoding.text_encoding_neither_utf": (
        "文件的文字编码前后不一致（既不全是 UTF-8，也不全是 GBK），第 {line} 行起不是 UTF-8",
        "the text encoding is neither UTF-8 nor GBK/GB18030 throughout (mixed encodings?): the "
        "first line that is not UTF-8 is line {line}"),
    "intake.formats.csv_encoding.text_encoding_neither_utf.hint": (
        "用 Excel 或 WPS 打开该文件，另存为“CSV UTF-8”格式",
        "open the file in Excel or WPS and save it as 'CSV UTF-8'"),
    "intake.formats.too_many_rows.file_has_more_than": (
        "文件超过 {limit:,} 行数据（共 {rows:,} 行）；文件是分块读取的，内存不是限制，但这样大的一次考试需要数小时和数十 GB 磁盘空间",
        "the file has more than {limit:,} data rows ({rows:,} lines); it is read a block at a "
        "time, so memory is not the limit, but a season this size takes hours and tens of GB of "
        "disk"),
    "intake.formats.too_many_rows.file_has_more_than.hint": (
        "请把导出文件拆分（例如按市或乡镇），分成几次考试，每次不超过这一行数",
        "split the export (e.g. by city or township) into several seasons of at most that many "
        "rows"),
    "intake.formats.too_wide.row_has_non_empty": (
        "第 {row} 行有 {columns:,} 列非空数据，而成绩导出最多 {max_columns:,} 列",
        "row {row} has {columns:,} non-empty columns; an export has at most {max_columns:,}"),
    "intake.formats.too_wide.row_has_non_empty.hint": (
        "请确认这是成绩导出文件，而不是别的表格",
        "check that this is the score export and not a different table"),
    "intake.formats.xlsx_too_big.spreadsheet_sheets_inflate_more": (
        "该表格文件解压后超过 {max_xlsx_xml_bytes:,} 字节",
        "the spreadsheet's sheets inflate to more than {max_xlsx_xml_bytes:,} bytes"),
    "intake.formats.xlsx_too_big.spreadsheet_sheets_inflate_more.hint": (
        "请把导出数据另存为“CSV UTF-8”（或拆分），并在参数文件中指向该文件",
        "save the export as CSV UTF-8 (or split it) and point files.scores at that file"),
    "intake.formats.csv_encoding.file_bytes_more_than": (
        "文件有 {size:,} 字节，超过可读取的 {max_csv_bytes:,} 字节",
        "the file is {size:,} bytes, more than the {max_csv_bytes:,} eduqa reads"),
    "intake.formats.csv_encoding.file_bytes_more_than.hint": (
        "请把导出文件拆分成较小的文件",
        "split the export into smaller files"),
    "intake.formats.too_many_rows.sheet_has_more_than": (
        "工作表超过 {limit:,} 行数据（共 {rows:,} 行）；表格文件需整个读入内存",
        "the sheet has more than {limit:,} data rows ({rows:,} rows); a workbook is read whole "
        "into memory"),
    "intake.formats.too_many_rows.sheet_has_more_than.hint": (
        "请把导出数据另存为“CSV UTF-8”（分块读取，最多 {max_streamed_rows:,} 行），并在参数文件的 files.scores 中指向该文件",
        "save the export as CSV UTF-8 (read a block at a time, up to {max_streamed_rows:,} "
        "rows) and point files.scores at that file"),
    "intake.formats.csv_records.line_cannot_be_read": (
        "第 {line} 行无法按 CSV 读取：某个单元格超过 {max_cell_chars:,} 个字符，或引号不成对",
        "line {line} cannot be read as CSV ({exc}); a cell may hold more than {max_cell_chars:,}"
        " characters or an unmatched quote"),
    "intake.formats.csv_records.line_cannot_be_read.hint": (
        "用 Excel 或 WPS 打开文件，检查该行，然后另存为“CSV UTF-8”",
        "open the file in Excel or WPS, check that line, and save it again as CSV UTF-8"),
    "intake.formats.check_xlsx.sheet_has_cells_as": (
        "有工作表的单元格一直延伸到 {cell}（{last_row:,} 行 × {last_column:,} 列），超过可读取的 {max_rows:,} 行、"
        "{max_columns:,} 列",
        "a sheet has cells as far as {cell} ({last_row:,} rows × {last_column:,} columns); "
        "eduqa reads at most {max_rows:,} rows and {max_columns:,} columns"),
    "intake.formats.check_xlsx.sheet_has_cells_as.hint": (
        "在 Excel 或 WPS 中按 Ctrl+End 找到最后一个单元格，删去其前面多余的空行空列（或那个零散的值），再保存",
        "in Excel or WPS press Ctrl+End to find the last cell, delete the empty rows and "
        "columns before it (or the stray value), and save again"),
    "intake.clean.clean_rows.scores_file_has_no": (
        "成绩表在表头下面没有学生数据",
        "the scores file has no student rows below the header"),
    "intake.clean.clean_rows.scores_file_has_no.hint": (
        "请重新导出成绩；该文件只有表头",
        "export the scores again; the file holds only the header"),
    "intake.clean.refuse_unusable_rows.no_usable_student_rows": (
        "没有可用的学生数据：全部 {n_rows} 行都被排除（{listed}）",
        "no usable student rows: all {n_rows} rows are excluded ({listed})"),
    "intake.clean.refuse_unusable_rows.no_usable_student_rows.hint": (
        "请确认这是成绩导出文件，且每行都有学生编号和学校",
        "check that the file is the score export and that its rows carry a student id and a "
        "school"),
    "intake.clean.homes_by_bucket.scores_file_holds_no": (
        "成绩表中没有任何成绩：所有成绩格都是空的",
        "the scores file holds no scores: every score cell is blank"),
    "intake.clean.homes_by_bucket.scores_file_holds_no.hint": (
        "请重新导出成绩；这个文件看起来是空白模板",
        "export the scores again; this looks like an empty template"),
    "intake.export.unknown_schools.school_name_not_school": (
        "有 {n_unknown} 个学校名称不在学校名单中：{listed_zh:；}{more_zh}",
        "{n_unknown} school name(s) are not in the school roster: {listed:; }{more}"),
    "intake.export.unknown_schools.school_name_not_school.hint": (
        "在 {roster_path} 中把它们作为新学校加入，或加到对应学校的别名列 aliases （多个别名用 | 分隔）",
        "add each as a school, or as an alias (column 'aliases', '|'-separated) of the right "
        "school, in {roster_path}"),
    "intake.export.read_scores.no_student_id_column": (
        "成绩表中没有学生编号列",
        "no student id column"),
    "intake.export.read_scores.no_student_id_column.hint": (
        "导出的成绩表需要 学籍号、学号 或 考号 等列；现有的列：{shown}",
        "the export needs a column such as 学籍号, 学号 or 考号; columns found: {shown}"),
    "intake.export.read_scores.no_school_column": (
        "成绩表中没有学校列",
        "no school column"),
    "intake.export.read_scores.no_school_column.hint": (
        "导出的成绩表需要“学校”或“学校代码”列；现有的列：{shown}",
        "the export needs a column 学校 or 学校代码; columns found: {shown}"),
    "intake.items.unknown_questions.item_scores_name_question": (
        "小题分表（{source}）中的小题 {value2} 不在双向细目表中",
        "the item scores ({source}) name question(s) {value1} that the blueprint does not list"),
    "intake.items.unknown_questions.item_scores_name_question.hint": (
        "请把这些小题连同满分加到细目表中",
        "add the question(s) to the blueprint with their full marks"),
    "intake.items.read_blueprint.blueprint_lists_no_question": (
        "{subject} 的双向细目表中没有列出任何小题",
        "the {subject} blueprint lists no question"),
    "intake.items.read_blueprint.blueprint_lists_no_question.hint": (
        "请在表头下面每道小题写一行",
        "list one row per question below the header"),
    "intake.items.clean_items.no_student_id_column": (
        "小题分表中没有学生编号列",
        "no student id column in the item scores"),
    "intake.items.clean_items.no_student_id_column.hint": (
        "请导出带有与成绩表相同的学生编号列的小题分",
        "export the item scores with the same id column as the scores"),
    "intake.items.question_columns.blueprint_lists_question_which": (
        "双向细目表（{where}）中的小题 {value1} 在小题分表（{source}）中没有",
        "the blueprint ({where}) lists question(s) {shown}, which the item scores ({source}) "
        "lack"),
    "intake.items.question_columns.blueprint_lists_question_which.hint": (
        "请导出试卷的全部小题，或更正细目表中的题号",
        "export every question of the paper, or correct the question names in the blueprint"),
    "intake.items.question_columns.item_scores_have_column": (
        "小题分表（{source}）中的列 {value1} 不在双向细目表（{where}）中",
        "the item scores ({source}) have column(s) {shown} that the blueprint ({where}) does "
        "not list"),
    "intake.items.question_columns.item_scores_have_column.hint": (
        "请把这些小题连同满分加到细目表中",
        "add the question(s) to the blueprint with their full marks"),
    "intake.items.check_rows.item_scores_have_rows": (
        "小题分表（{source}）有 {rows:,} 行，而成绩表中{subject}只有 {pupils:,} 名学生{each_zh}，最多应有 {allowed:,} 行",
        "the item scores ({source}) have {rows:,} rows, but the score export has {pupils:,} "
        "pupil(s) in {subject}{each}: at most {allowed:,} rows are expected"),
    "intake.items.check_rows.item_scores_have_rows.hint": (
        "请确认这是本次考试{subject}的小题分导出表",
        "check that this is this season's {subject} item export"),
    "intake.items.read_blueprint.blueprint_has_no_column": (
        "{subject} 的双向细目表缺少“{zh}”列",
        "the {subject} blueprint has no {zh} ({needed}) column"),
    "intake.items.read_blueprint.blueprint_has_no_column.hint": (
        "请补上“{zh}”列；现有的列：{value1}",
        "add a column {zh}; columns found: {shown}"),
    "intake.items.read_blueprint.question_listed_twice_rows": (
        "第 {value1} 行和第 {row} 行重复列出了小题 {name}",
        "question {name} is listed twice (rows {value1} and {row})"),
    "intake.items.read_blueprint.question_listed_twice_rows.hint": (
        "每道小题只列一次；多个知识点写在同一格，用“、”分隔",
        "list each question once; several knowledge points go in one cell, separated by 、"),
    "intake.items.read_blueprint.full_marks_question_not": (
        "小题 {name} 的满分“{value1}”不是正数",
        "the full marks of question {name} are {value1!r}, not a positive number"),
    "intake.items.read_blueprint.full_marks_question_not.hint": (
        "请把该小题的满分写成数字，例如 5",
        "write the question's full marks as a number, e.g. 5"),
    "intake.items.read_blueprint.question_objective_question_without": (
        "小题 {name} 是客观题（{kind}），但没有标准答案",
        "question {name} is an objective question ({kind}) without an answer key"),
    "intake.items.read_blueprint.question_objective_question_without.hint": (
        "请在“答案”列写上标准答案（例如 B）",
        "write its key (e.g. B) in the 答案 column"),
    "intake.readers.long_cell.row_has_cell_characters": (
        "第 {row} 行有一个单元格长达 {longest:,} 个字符，超过 {max_cell_chars:,} 个字符的上限",
        "row {row} has a cell of {longest:,} characters; a cell holds at most {max_cell_chars:,}"),
    "intake.readers.long_cell.row_has_cell_characters.hint": (
        "请确认这是导出的数据表，而不是别的表格",
        "check that this is the export and not a different table"),
    "intake.readers.no_header.cannot_find_header_row": (
        "在{value1}的前 {header_scan_rows} 行中找不到表头",
        "cannot find the header row of the {what} in its first {header_scan_rows} rows"),
    "intake.readers.no_header.cannot_find_header_row.hint": (
        "表头应包含 {expected} 等列名",
        "the header should name columns such as {expected}"),
    "intake.readers.prepare_sheet.sheet_has_formula_cells": (
        "工作表“{name}”中有公式单元格保存时没有计算结果：{shown_zh}；eduqa 读取表格保存的数值，这些单元格没有数值",
        "sheet '{name}' has formula cells saved without their values: {shown}; eduqa reads the "
        "values a spreadsheet stores, and these have none"),
    "intake.readers.prepare_sheet.sheet_has_formula_cells.hint": (
        "用 Excel 或 WPS 打开该文件并重新保存（保存时会存下公式的结果），或把这些单元格复制后“选择性粘贴为数值”",
        "open the file in Excel or WPS and save it again (saving stores each formula's value), "
        "or copy the cells and paste them as values"),
    "intake.readers.open_raw_table.does_not_exist": (
        "{value1}不存在",
        "the {what} does not exist"),
    "intake.readers.open_raw_table.does_not_exist.hint": (
        "请检查参数文件中的路径",
        "check the path in the params file"),
    "intake.readers.excel_sheets.spreadsheet_cannot_be_opened": (
        "无法打开该表格文件（{name__}: {exc}）",
        "the spreadsheet cannot be opened ({name__}: {exc})"),
    "intake.readers.excel_sheets.spreadsheet_cannot_be_opened.hint": (
        "用 Excel 或 WPS 打开，重新另存为 .xlsx 后再试",
        "open it in Excel or WPS, save it again as .xlsx, and retry"),
    "intake.readers.open_raw_table.sheet_has_different_columns": (
        "工作表“{sheet}”的列与第一个工作表不同",
        "sheet '{sheet}' has different columns from the first sheet"),
    "intake.readers.open_raw_table.sheet_has_different_columns.hint": (
        "把所有学生放在同一个工作表中，或让每个工作表的表头完全相同",
        "keep all students in one sheet, or give every sheet the same header row"),
    "intake.readers.open_parquet.parquet_file_cannot_be": (
        "无法打开该 Parquet 文件（{name__}: {exc}）",
        "the Parquet file cannot be opened ({name__}: {exc})"),
    "intake.readers.open_parquet.parquet_file_cannot_be.hint": (
        "请重新导出，或另存为“CSV UTF-8”",
        "write the export again, or save it as CSV UTF-8"),
    "intake.readers.open_raw_table.cannot_read_files_type": (
        "无法读取“{suffix}”类型的文件",
        "cannot read files of type '{suffix}'"),
    "intake.readers.open_raw_table.cannot_read_files_type.hint": (
        "请把导出的数据保存为 .csv（UTF-8）、.xlsx 或 .parquet",
        "save the export as .csv (UTF-8), .xlsx or .parquet"),
    "intake.records.shared_name_error.school_name_belongs_schools": (
        "学校名称“{name}”在学校名单中属于 {n_schools} 所学校：{listed_zh:；}；文件没有说明每一行是哪一所",
        "the school name '{name}' belongs to {n_schools} schools of the roster: {listed:; }; the "
        "file does not say which one each row is"),
    "intake.records.shared_name_error.school_name_belongs_schools.hint": (
        "请在文件中加上“学校代码”列（与学校名单一致）或“乡镇”列，或在 {roster} 的别名列中为每所学校加一个不同的写法，并在文件中使用它",
        "add a 学校代码 column (the codes of the roster) or a 乡镇 column to the file, or give each "
        "school its own spelling as an alias (column 'aliases' of {roster}) and use it in the "
        "file"),
    "intake.records.shared_name_error.school_name_belongs_schools_": (
        "学校名称“{name}”在学校名单中属于 {n_schools} 所学校：{listed_zh:；}；{told_zh}",
        "the school name '{name}' belongs to {n_schools} schools of the roster: {listed:; }; {told}"),
    "intake.records.shared_name_error.school_name_belongs_schools_.hint": (
        "请按学校名单（{roster}）的写法填写乡镇，或在文件中加上“学校代码”列",
        "write the township as in the roster ({roster}), or add a 学校代码 column"),
    "intake.schools.resolve_salt.eduqa_salt_not_set": (
        "没有设置密钥 EDUQA_SALT，而这不是自带的示范县：用公开的演示密钥生成的学生编号，任何人都可以用所有可能的学籍号逐一试算而还原",
        "EDUQA_SALT is not set, and this is not the bundled demo county: student keys made with "
        "the public demo key could be reversed by anyone who hashes every plausible student id"),
    "intake.schools.resolve_salt.eduqa_salt_not_set.hint": (
        "请先设置本县自己的密钥，例如 export EDUQA_SALT='一段足够长的随机文字'（妥善保管，每个考试季都用同一个，否则学生无法跨学期匹配）；仅作试运行时可加 "
        "--demo-key",
        "set a secret key of the county's own before cleaning, e.g. export EDUQA_SALT='a long "
        "random phrase' (keep it safe and use the same one every season, or students will not "
        "link across seasons); for a trial run only, pass --demo-key"),
    "intake.schools.read_roster.school_code_appears_more": (
        "学校代码 {value1} 出现了不止一次",
        "school code {value1} appears more than once"),
    "intake.schools.read_roster.school_code_appears_more.hint": (
        "每所学校只占一行",
        "give every school one row"),
    "intake.schools.read_roster.unknown_urban_rural_type": (
        "无法识别的城乡类型“{value1}”",
        "unknown urban-rural type '{value1}'"),
    "intake.schools.read_roster.unknown_urban_rural_type.hint": (
        "请填写 城区、镇区 或 乡村，或国家统计用城乡分类代码 111–220",
        "use 城区, 镇区 or 乡村, or the national code 111-220"),
    "intake.schools.coded.not_school_roster": (
        "{word_zh} {value1} 不在学校名单中",
        "{word} {value1} is not in the school roster"),
    "intake.schools.coded.not_school_roster.hint": (
        "请更正，或把该校（或这种写法作为别名）加入 schools.csv",
        "correct it, or add the school (or this spelling as an alias) to schools.csv"),
    "intake.schools.read_targets.target_not_number": (
        "目标值“{value1}”不是数字",
        "target '{value1}' is not a number"),
    "intake.schools.read_targets.target_not_number.hint": (
        "请填写数字（比率可写成 85% 或 0.85）",
        "enter a number (a rate may be written 85% or 0.85)"),
    "intake.schools.read_staffing.not": (
        "“{value1}”不是{what_zh}",
        "'{value1}' is not {what}"),
    "intake.schools.read_staffing.not.hint": (
        "请填写{what_zh}，或留空",
        "enter {what} or leave it blank"),
    "intake.schools.read_staffing.school_code_appears_more": (
        "学校代码 {value1} 出现了不止一次",
        "school code {value1} appears more than once"),
    "intake.schools.read_staffing.school_code_appears_more.hint": (
        "每所学校一行；如按学科分行填写，请加一列“学科”",
        "one row per school, or add a 学科 column for per-subject rows"),
    "intake.teachers.read_teachers.teacher_file_has_no": (
        "任课安排表缺少学校列",
        "the teacher file has no school column"),
    "intake.teachers.read_teachers.teacher_file_has_no.hint": (
        "请补上“学校”或“学校代码”列",
        "add a column 学校 or 学校代码"),
    "intake.teachers.read_teachers.teacher_file_has_no_": (
        "任课安排表缺少“{zh}”列",
        "the teacher file has no {zh} ({needed}) column"),
    "intake.teachers.read_teachers.teacher_file_has_no_.hint": (
        "请补上“{zh}”列",
        "add a column {zh}"),
    "intake.teachers.read_teachers.this_school_not_roster": (
        "该学校不在学校名单中",
        "this school is not in the roster"),
    "intake.teachers.read_teachers.this_school_not_roster.hint": (
        "请按学校名单的写法填写学校",
        "write the school as the roster does"),
    "intake.teachers.read_teachers.not_known_subject": (
        "无法识别的学科",
        "not a known subject"),
    "intake.teachers.read_teachers.not_known_subject.hint": (
        "请写学科名称，例如 数学",
        "write a subject such as 数学"),
    "intake.teachers.read_teachers.no_teacher_given": (
        "没有填写任课教师",
        "no teacher given"),
    "intake.teachers.read_teachers.no_teacher_given.hint": (
        "请填写该班该科的任课教师",
        "write the class's teacher"),
    "intake.teachers.read_teachers.class_has_two_teachers": (
        "{klass} 的同一学科有两位任课教师（第 {value1} 行和第 {row_number} 行）",
        "class {klass} has two {subject} teachers (rows {value1} and {row_number})"),
    "intake.teachers.read_teachers.class_has_two_teachers.hint": (
        "每个班每个学科只填一位任课教师",
        "give each class and subject one teacher of record"),
    "intake.schools.read_roster.unknown_school_type": (
        "无法识别的学校类型“{row_school_type}”",
        "unknown school type '{row_school_type}'"),
    "intake.schools.read_roster.unknown_school_type.hint": (
        "请填写以下之一：{school_type_levels}",
        "use one of {school_type_levels}"),
    "intake.schools.coded.has_no_school_code": (
        "{value2}中没有“学校代码”或“学校名称”列",
        "the {value1} has no school code or school name column"),
    "intake.schools.coded.has_no_school_code.hint": (
        "请补上“学校代码”（或“学校名称”）列；现有的列：{found_values}",
        "add a 学校代码 (or 学校名称) column; columns found: {found_values}"),
    "intake.schools.read_roster.school_roster_has_no": (
        "学校名单缺少“{required2}”列（{required}）",
        "the school roster has no '{required}' column ({required2})"),
    "intake.schools.read_roster.school_roster_has_no.hint": (
        "请补上这一列；现有的列：{columns}",
        "columns found: {columns}"),
    "intake.schools.read_staffing.staffing_file_has_no": (
        "师资表缺少“{required2}”列（{required}）",
        "the staffing file has no '{required}' column ({required2})"),
    "intake.schools.read_staffing.staffing_file_has_no.hint": (
        "请补上这一列；现有的列：{columns}",
        "columns found: {columns}"),
    "intake.records.school_in_township": (
        "{code}（{town}）",
        "{code} ({town})"),
    "intake.records.township_not_theirs": (
        "该行的乡镇“{township}”与其中任何一所都不符",
        "the row's township '{township}' is none of theirs"),
    "intake.records.township_blank": (
        "该行的乡镇为空",
        "the row's township cell is blank"),
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
