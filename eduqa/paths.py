"""Where a project's folders are. No import-time side effects: nothing is created or read here."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path

from .errors import EduqaError

__all__ = ["Project", "season_sort_key"]

_TERM_ORDER = {"spring": 0, "summer": 1, "autumn": 2, "fall": 2, "winter": 3}


def season_sort_key(season: str) -> tuple:
    """Chronological sort key of a season id like ``2025-spring-g9`` (year, term, rest)."""
    match = re.match(r"^(\d{4})-([a-z]+)-(.*)$", season)
    if not match:
        return (9999, 9, season)
    year, term, rest = match.groups()
    return (int(year), _TERM_ORDER.get(term, 9), rest)


@dataclass(frozen=True)
class Project:
    """A project directory laid out as in DESIGN §2."""

    root: Path

    @classmethod
    def find(cls, start: str | Path | None = None) -> Project:
        """The project at ``start``, at ``$EDUQA_PROJECT``, or the nearest parent of the current
        directory holding ``params/county.yaml``."""
        if start is None and os.environ.get("EDUQA_PROJECT"):
            start = os.environ["EDUQA_PROJECT"]
        if start is not None:
            root = Path(start).resolve()
            if not (root / "params" / "county.yaml").is_file():
                raise EduqaError(
                    f"{root} is not an eduqa project: params/county.yaml is missing.\n"
                    "  What to do: run eduqa from the project folder, or pass --project.",
                    zh=f"{root} 不是 eduqa 项目文件夹：缺少 params/county.yaml。\n"
                       "  怎么办：请在项目文件夹中运行 eduqa，或用 --project 指定项目文件夹。")
            return cls(root)
        here = Path.cwd().resolve()
        for candidate in (here, *here.parents):
            if (candidate / "params" / "county.yaml").is_file():
                return cls(candidate)
        raise EduqaError(
            "No eduqa project found: no params/county.yaml here or in any parent folder.\n"
            "  What to do: cd into the project folder, or pass --project PATH.",
            zh="找不到 eduqa 项目：当前文件夹及其上级文件夹中都没有 params/county.yaml。\n"
               "  怎么办：先 cd 到项目文件夹，或用 --project 指定项目文件夹。")

    @property
    def params_dir(self) -> Path:
        return self.root / "params"

    @property
    def raw(self) -> Path:
        return self.root / "data" / "raw"

    @property
    def processed(self) -> Path:
        return self.root / "data" / "processed"

    @property
    def reports(self) -> Path:
        return self.root / "reports"

    @property
    def notebooks(self) -> Path:
        return self.root / "notebooks"

    def processed_season(self, season: str) -> Path:
        return self.processed / season

    def report_season(self, season: str) -> Path:
        return self.reports / season

    def season_ids(self) -> list[str]:
        """Every season with a params file, oldest first."""
        ids = [p.stem for p in self.params_dir.glob("*.yaml") if p.stem != "county"]
        return sorted(ids, key=season_sort_key)
