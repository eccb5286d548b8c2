"""Small words that sentences of every package share (above, below, yes, no, a list), key ->
(Chinese, English); the pages' sentences are in :mod:`eduqa.catalog.narrative`, each
package's own in the module of its name."""

from __future__ import annotations

MESSAGES: dict[str, tuple[str, str]] = {
    "words.above": (
        "高",
        "above"),
    "words.below": (
        "低",
        "below"),
    "words.full_stop": (
        "。",
        "."),
    "words.semicolon": (
        "；",
        "; "),
    "words.higher": (
        "提高",
        "higher"),
    "words.lower": (
        "下降",
        "lower"),
    "words.list_semicolon": (
        "{items}",
        "{items:; }"),
    "words.yes": (
        "是",
        "yes"),
    "words.no": (
        "否",
        "no"),
}
