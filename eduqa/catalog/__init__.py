"""The message catalog: every sentence eduqa shows a user, keyed, in Chinese and English.

A :class:`Message` is a pair of templates (``str.format`` fields, the same in both). The
modules of this package hold them by area — :mod:`~eduqa.catalog.errors` (what went wrong
and what to do), :mod:`~eduqa.catalog.captions` (what a table or figure shows),
:mod:`~eduqa.catalog.labels` (the words for coded values) — and :func:`say` fills one in.
Code elsewhere names a message by its key and passes the numbers; it holds no user-facing
words of its own (a test checks that no Chinese character is written outside this package,
the column registry and the demo-data generator).

This package imports nothing of eduqa: every layer may use it.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import NamedTuple

__all__ = ["Message", "MESSAGES", "say", "pairs", "joined", "CatalogError"]


class Message(NamedTuple):
    """A user-facing sentence: its Chinese and English templates."""

    zh: str
    en: str


class CatalogError(KeyError):
    """A key the catalog does not have, or a field a message needs and was not given: a bug
    in eduqa (the message names which)."""


def joined(items, language: str = "zh") -> str:
    """Names joined as a sentence lists them: 甲、乙、丙 / a, b, c."""
    return ("、" if language == "zh" else ", ").join(map(str, items))


class _Listed:
    """A list field: written with the language's separator (:func:`joined`), or with the
    one its format spec gives (``{parts:；}`` joins with "；")."""

    def __init__(self, items, language: str) -> None:
        self.items, self.language = [str(item) for item in items], language

    def __format__(self, separator: str) -> str:
        return separator.join(self.items) if separator else joined(self.items, self.language)

    def __str__(self) -> str:
        return joined(self.items, self.language)


class _Fields(dict):
    def __init__(self, key: str, fields: Mapping[str, object], language: str) -> None:
        super().__init__({name: _Listed(value, language) if isinstance(value, (list, tuple))
                          else value for name, value in fields.items()})
        self.key = key

    def __missing__(self, name: str):
        raise CatalogError(f"message {self.key!r} needs the field {name!r}")


def say(key: str, language: str | bool = "zh", /, **fields: object) -> str:
    """The message ``key`` in ``language`` (``"zh"`` or ``"en"``; or True for Chinese and
    False for English, as the pages' ``zh`` flags say), its fields filled in; a list or tuple
    field is written as a list (:func:`joined`, or with the separator its format spec names:
    ``{parts:；}``).

    >>> say("error.where_row", "zh", row=12), say("error.where_row", "en", row=12)
    ('第 12 行', 'row 12')
    """
    try:
        message = MESSAGES[key]
    except KeyError:
        raise CatalogError(f"no message {key!r} in eduqa.catalog") from None
    if isinstance(language, bool):
        language = "zh" if language else "en"
    template = message.en if language == "en" else message.zh
    return template.format_map(_Fields(key, fields, language))


def pairs(prefix: str) -> dict[str, Message]:
    """The messages under ``prefix`` as {the rest of the key: message}, in the catalog's
    order: a named set of words, such as a page's section headings.

    >>> pairs("narrative.trends.trend_sections")["title"]
    Message(zh='动态跟踪', en='Trends')
    """
    start = prefix + "."
    found = {key[len(start):]: message for key, message in MESSAGES.items()
             if key.startswith(start)}
    if not found:
        raise CatalogError(f"no messages under {prefix!r} in eduqa.catalog")
    return found


def _merged() -> dict[str, Message]:
    """Every module of this package's ``MESSAGES``, in one table (a key defined twice is an
    error)."""
    import importlib
    import pkgutil

    merged: dict[str, Message] = {}
    for found in sorted(pkgutil.iter_modules(__path__), key=lambda m: m.name):
        module = importlib.import_module(f"{__name__}.{found.name}")
        for key, message in getattr(module, "MESSAGES", {}).items():
            if key in merged:
                raise CatalogError(f"message {key!r} is defined twice")
            merged[key] = Message(*message)
    return merged


#: Every message, by key.
MESSAGES: dict[str, Message] = _merged()
