"""Error messages of eduqa.report (key -> (Chinese, English)); a key ending in
``.hint`` says what to do."""

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
}
