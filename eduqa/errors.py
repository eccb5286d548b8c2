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
from typing import Self

from eduqa.catalog import MESSAGES, joined, say

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
    shown = joined(items[:limit], language)
    if len(items) <= limit:
        return shown
    return say("error.listed_more", language, items=shown, count=len(items),
               more=len(items) - limit)


class EduqaError(Exception):
    """Base class of every error eduqa raises on purpose.

    ``zh`` is the Chinese message, shown by :meth:`render` (the English one when absent).
    :meth:`of` makes one from the message catalog (:mod:`eduqa.catalog`), as the models do:
    they raise plain English, and the catalog gives the office its Chinese.
    """

    def __init__(self, message: str = "", *, zh: str | None = None) -> None:
        super().__init__(message)
        self.zh = zh
        self.message_key: str | None = None
        self.fields: dict[str, object] = {}

    @classmethod
    def of(cls, key: str, /, **fields: object) -> Self:
        """The error whose message is the catalog's ``key`` with ``fields`` (English as
        ``str``, Chinese from :meth:`render`); ``key`` and ``fields`` are kept on it
        (``message_key``, ``fields``).

        >>> error = EduqaError.of("model.two_clusters")
        >>> str(error), error.render("zh"), error.message_key
        ('clustered errors need at least two clusters', '聚类稳健标准误至少需要两个聚类（学校）', 'model.two_clusters')
        """
        error = cls(say(key, "en", **fields), zh=say(key, "zh", **fields))
        error.message_key, error.fields = key, dict(fields)
        return error

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
        places = (("file", None if self.file is None else _display_path(self.file)),
                  ("row", self.row), ("column", self.column))
        parts = [say(f"error.where_{name}", language, **{name: value})
                 for name, value in places if value is not None]
        return say("error.where_separator", language).join(parts)


def _compose(where: str, problem: str, hint: str | None, language: str) -> str:
    text = say("error.located", language, where=where, problem=problem) if where else problem
    return text + (say("error.what_to_do", language, hint=hint) if hint else "")


def _located(**where: object) -> dict[str, object]:
    """The given places of an error (file, row, column, key), as message fields."""
    return {name: value for name, value in where.items() if value is not None}


def _hint(message: str, values: dict[str, object]) -> tuple[str | None, str | None]:
    """The catalog's hint for ``message`` (its ``<message>.hint``) in English and
    Chinese; (None, None) when it has none."""
    if f"{message}.hint" not in MESSAGES:
        return None, None
    return say(f"{message}.hint", "en", **values), say(f"{message}.hint", "zh", **values)


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

    @classmethod
    def of(cls, message: str, /, *, file: str | Path | None = None,  # type: ignore[override]
           row: int | None = None, column: str | None = None, **fields: object) -> InputError:
        """The error whose problem is the catalog's ``message`` and whose hint is its
        ``<message>.hint`` (when the catalog has one), in English and Chinese, at ``file``,
        ``row`` and ``column`` (fields of the message too)."""
        values = {**_located(file=file, row=row, column=column), **fields}
        hint = _hint(message, values)
        error = cls(say(message, "en", **values), file=file, row=row, column=column,
                    hint=hint[0], zh=say(message, "zh", **values), hint_zh=hint[1])
        error.message_key, error.fields = message, dict(fields)
        return error

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
        if self.key:
            return say("error.where_params_key", language, file=_display_path(self.file),
                       key=self.key)
        return say("error.where_params", language, file=_display_path(self.file))

    def render(self, language: str = "zh") -> str:
        if language == "en" or not self.problem_zh:
            return Exception.__str__(self)
        return _compose(self._where("zh"), self.problem_zh, self.hint_zh or self.hint, "zh")

    @classmethod
    def of(cls, message: str, /, *, file: str | Path,  # type: ignore[override]
           key: str | None = None, **fields: object) -> ParamsError:
        """The error whose problem is the catalog's ``message`` and whose hint is its
        ``<message>.hint`` (when the catalog has one), for ``key`` of the params ``file``."""
        values = {**_located(file=file, key=key), **fields}
        hint = _hint(message, values)
        error = cls(say(message, "en", **values), file=file, key=key, hint=hint[0],
                    zh=say(message, "zh", **values), hint_zh=hint[1])
        error.message_key, error.fields = message, dict(fields)
        return error


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
        head = say("error.params_problems", language, count=len(self.problems))
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
        def text(language: str) -> str:
            where = ("" if cell is None else say("error.notebook_cell", language, cell=cell))
            return (say("error.notebook_failed", language, season=season, notebook=notebook,
                        where=where, detail=detail)
                    + ("" if kept is None else say("error.notebook_kept", language,
                                                   path=_display_path(kept))))

        super().__init__(text("en"), zh=text("zh"))
