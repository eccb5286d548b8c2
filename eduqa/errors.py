"""eduqa's own error types.

Every problem a user can fix is raised as an :class:`EduqaError` whose message says which file, which
row and which column, what was expected, and what to do. The command-line interface prints the
message (never a traceback) and exits non-zero.

Messages exist in English (``str(error)``, for logs and library users) and, where the raising
code gives one, in Chinese: :meth:`EduqaError.render` with ``"zh"`` is what the office sees.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

__all__ = ["listed", "LISTED", "EduqaError", "InputError", "ParamsError", "ParamsProblems", "Gather", "NotebookError"]


#: A message listing many things names this many and counts the rest.
LISTED = 20


def listed(items, language: str = "en", *, limit: int = LISTED) -> str:
    """``items`` as a message lists them: the first ``limit`` and how many more (a blueprint of
    a million questions must not make a message of megabytes).

    >>> listed(["1", "2", "3"], limit=2), listed(["1", "2", "3"], "zh", limit=2)
    ('1, 2 and 1 more', '1、2 等共 3 个')
    """
    items = [str(item) for item in items]
    if language == "zh":
        return "、".join(items[:limit]) + (f" 等共 {len(items):,} 个" if len(items) > limit else "")
    return ", ".join(items[:limit]) + (f" and {len(items) - limit:,} more"
                                       if len(items) > limit else "")


class EduqaError(Exception):
    """Base class of every error eduqa raises on purpose.

    ``zh`` is the Chinese message, shown by :meth:`render` (the English one when absent).
    """

    def __init__(self, message: str = "", *, zh: str | None = None) -> None:
        super().__init__(message)
        self.zh = zh

    def render(self, language: str = "zh") -> str:
        """The message in ``language`` (``zh`` or ``en``)."""
        if language == "en" or not self.zh:
            return Exception.__str__(self)
        return self.zh

    def __str__(self) -> str:
        """English, unless ``$EDUQA_MESSAGE_LANG`` is ``zh``: ``eduqa run`` sets it in the
        notebook kernels, so that an error raised inside a notebook reaches the user in the
        language of the run."""
        if os.environ.get(MESSAGE_LANGUAGE) == "zh":
            return self.render("zh")
        return Exception.__str__(self)


#: Environment variable naming the language of ``str(error)`` (``zh`` or ``en``).
MESSAGE_LANGUAGE = "EDUQA_MESSAGE_LANG"


@dataclass
class _Where:
    file: str | Path | None = None
    row: int | None = None
    column: str | None = None

    def describe(self, language: str = "en") -> str:
        file, row, column, separator = _WHERE_WORDS["zh" if language == "zh" else "en"]
        parts = [template.format(value) for template, value in (
            (file, None if self.file is None else _display_path(self.file)), (row, self.row),
            (column, self.column)) if value is not None]
        return separator.join(parts)


# how a place in a file is written: file, row, column, and what joins them
_WHERE_WORDS = {"zh": ("文件 {}", "第 {} 行", "“{}”列", "，"),
                "en": ("file {}", "row {}", "column '{}'", ", ")}


def _compose(where: str, problem: str, hint: str | None, language: str) -> str:
    if language == "zh":
        text = f"{where}：{problem}" if where else problem
        return text + (f"\n  怎么办：{hint}" if hint else "")
    text = f"{where}: {problem}" if where else problem
    return text + (f"\n  What to do: {hint}" if hint else "")


def _display_path(path: str | Path) -> str:
    path = Path(path)
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


class InputError(EduqaError):
    """A raw input file (scores, roster, staffing, targets) that cannot be used as it is.

    Parameters
    ----------
    problem : str
        What is wrong, in plain words.
    file, row, column : optional
        Where. ``row`` is the 1-based line number a spreadsheet program shows.
    hint : str, optional
        What the user should do about it.
    zh, hint_zh : str, optional
        The problem and the hint in Chinese.
    """

    def __init__(
        self,
        problem: str,
        *,
        file: str | Path | None = None,
        row: int | None = None,
        column: str | None = None,
        hint: str | None = None,
        zh: str | None = None,
        hint_zh: str | None = None,
    ) -> None:
        self.problem = problem
        self.where = _Where(file, row, column)
        self.hint = hint
        self.problem_zh = zh
        self.hint_zh = hint_zh
        super().__init__(_compose(self.where.describe(), problem, hint, "en"), zh=zh)

    def render(self, language: str = "zh") -> str:
        if language == "en" or not self.problem_zh:
            return Exception.__str__(self)
        return _compose(self.where.describe("zh"), self.problem_zh,
                        self.hint_zh or self.hint, "zh")

    @property
    def file(self):
        return self.where.file

    @property
    def row(self):
        return self.where.row

    @property
    def column(self):
        return self.where.column



class ParamsError(EduqaError):
    """A parameter file (params/county.yaml or params/<season>.yaml) that is wrong."""

    def __init__(self, problem: str, *, file: str | Path, key: str | None = None,
                 hint: str | None = None, zh: str | None = None,
                 hint_zh: str | None = None) -> None:
        self.problem = problem
        self.file = file
        self.key = key
        self.hint = hint
        self.problem_zh = zh
        self.hint_zh = hint_zh
        super().__init__(_compose(self._where("en"), problem, hint, "en"), zh=zh)

    def _where(self, language: str) -> str:
        if language == "zh":
            return f"参数文件 {_display_path(self.file)}" + (f"，键 “{self.key}”" if self.key else "")
        return f"file {_display_path(self.file)}" + (f", key '{self.key}'" if self.key else "")

    def render(self, language: str = "zh") -> str:
        if language == "en" or not self.problem_zh:
            return Exception.__str__(self)
        return _compose(self._where("zh"), self.problem_zh, self.hint_zh or self.hint, "zh")


class ParamsProblems(ParamsError):
    """Several problems of parameter files found in one pass (``validate`` names them all
    at once instead of one a round). Each is a :class:`ParamsError`; the first gives
    ``file`` and ``key``."""

    def __init__(self, problems: list[ParamsError]) -> None:
        flat: list[ParamsError] = []
        for problem in problems:
            flat += problem.problems if isinstance(problem, ParamsProblems) else [problem]
        self.problems: list[ParamsError] = flat
        first = flat[0]
        EduqaError.__init__(self, self._joined("en"), zh=self._joined("zh"))
        self.problem, self.file, self.key = first.problem, first.file, first.key
        self.hint, self.problem_zh, self.hint_zh = first.hint, first.problem_zh, first.hint_zh

    def _joined(self, language: str) -> str:
        head = (f"{len(self.problems)} 处参数问题：" if language == "zh"
                else f"{len(self.problems)} problems in the params:")
        items = [f"({number}) " + problem.render(language).replace("\n", "\n    ")
                 for number, problem in enumerate(self.problems, start=1)]
        return "\n  ".join([head, *items])

    def render(self, language: str = "zh") -> str:
        return self._joined("zh" if language == "zh" else "en")


class Gather:
    """Run independent checks and keep every :class:`ParamsError` they raise, so that one
    pass names them all: ``value = gather(check, default)`` returns ``check()`` or, when it
    raised, ``default``; :meth:`done` raises what was kept (one error as itself, several as
    :class:`ParamsProblems`)."""

    def __init__(self) -> None:
        self.problems: list[ParamsError] = []

    def __call__(self, check, default=None):
        try:
            return check()
        except ParamsError as problem:
            self.problems.append(problem)
            return default

    def done(self) -> None:
        if len(self.problems) == 1:
            raise self.problems[0]
        if self.problems:
            raise ParamsProblems(self.problems)


class ClusterError(EduqaError):
    """The Dask cluster of a run cannot go on (its workers all gone, or dying one after
    another): not a notebook's fault. The run stops with this message and leaves no
    half-built report."""


class NotebookError(EduqaError):
    """A notebook failed while a season was being run."""

    def __init__(self, season: str, notebook: str, cell: int | None, detail: str,
                 kept: Path | None = None) -> None:
        self.season = season
        self.notebook = notebook
        self.cell = cell
        self.detail = detail
        self.kept = kept
        text = f"season {season}: notebook {notebook} failed"
        zh = f"考试季 {season}：笔记本 {notebook} 运行出错"
        if cell is not None:
            text += f" in cell {cell}"
            zh += f"（第 {cell} 个单元格）"
        text += f": {detail}"
        zh += f"：{detail}"
        if kept is not None:
            text += f"\n  The partly executed notebook is kept at {_display_path(kept)}"
            zh += f"\n  已执行的部分保存在 {_display_path(kept)}，可用 JupyterLab 打开查看"
        super().__init__(text, zh=zh)
