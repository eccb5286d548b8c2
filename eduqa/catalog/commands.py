"""Error messages of eduqa.commands (key -> (Chinese, English)); a key ending in
``.hint`` says what to do."""

from __future__ import annotations

MESSAGES: dict[str, tuple[str, str]] = {
    "cli.seasons.name_at_least_one": (
        "请至少写一个考试季（例如 eduqa run 2025-spring-g9），或使用 --all",
        "name at least one season (e.g. eduqa run 2025-spring-g9) or use --all"),
    "cli.seasons.no_season_params_found": (
        "{params_dir} 中没有任何考试季的参数文件",
        "no season params found in {params_dir}"),
}
