"""The messages of the command line (eduqa.cli): its errors (a key ending in ``.hint`` says what to do)
and the sentences it writes, key -> (Chinese, English)."""

from __future__ import annotations

MESSAGES: dict[str, tuple[str, str]] = {
    "cli.seasons.name_at_least_one": (
        "请至少写一个考试季（例如 eduqa run 2025-spring-g9），或使用 --all",
        "name at least one season (e.g. eduqa run 2025-spring-g9) or use --all"),
    "cli.seasons.no_season_params_found": (
        "{params_dir} 中没有任何考试季的参数文件",
        "no season params found in {params_dir}"),
    "cli.main.eduqa_error": (
        "eduqa：出错：",
        "eduqa: error: "),
    "cli.main.eduqa_interrupted": (
        "eduqa：已中断",
        "eduqa: interrupted"),
    "cli.validate.eduqa_error": (
        "eduqa：出错：",
        "eduqa: error: "),
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
}
