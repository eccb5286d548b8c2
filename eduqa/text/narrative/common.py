"""What every page's sentences share: headings, numbers and percentages as shown, signed changes in
words, place names, spans, the few-schools note and the glossary."""

from __future__ import annotations

import numpy as np
import pandas as pd

from eduqa.catalog import MESSAGES, pairs, say
from eduqa.config.labels import label
from eduqa.text.numbers import display_number

HEADINGS = pairs("narrative.common.headings")


def markdown_heading(table: dict, key: str, language: str, level: int) -> str:
    """A Markdown heading from one of the (zh, en) heading tables of this module."""
    zh, en = table[key]
    return f"{'#' * level} {en if language == 'en' else zh}"


def heading(key: str, language: str = "zh", level: int = 2) -> str:
    return markdown_heading(HEADINGS, key, language, level)


def pct(value: float, digits: int = 1) -> str:
    """A share as a percent, rounded as the workbook shows it; '—' when missing."""
    return "—" if pd.isna(value) or not np.isfinite(value) else display_number(
        value, "percent", digits=digits)


def num(value: float, digits: int = 1) -> str:
    """A number with separators, rounded as the workbook shows it; '—' when missing."""
    return "—" if pd.isna(value) or not np.isfinite(value) else display_number(
        value, "number", digits=digits)


def _signed(value: float, unit: str, language: str, digits: int = 1) -> str:
    """A change in direction words, ``unit`` one of :data:`UNITS`: 「提高 2.5 分」,
    「下降 1.0 个百分点」, 「持平」 when it rounds to zero (never 「提高 -1.0」 or 「提高 0.0」)."""
    shown = num(abs(value), digits)
    if float(shown.replace(",", "")) == 0:
        return say("narrative.common.signed.unchanged", language)
    return say("narrative.common.signed.up" if value > 0 else "narrative.common.signed.down",
               language, shown=shown, unit=say(f"narrative.common.units.{unit}", language))


_PLACES = pairs("narrative.common.places")
#: The places a gap compares with 城区 (the reference).
_CATEGORY = {key: place for key, place in _PLACES.items() if key != "urban"}


def _reference_names(row) -> tuple[str, str]:
    """(zh, en) of a gap row's reference category (城区 unless the county has none)."""
    reference = row.get("reference", "urban") if hasattr(row, "get") else "urban"
    return _PLACES.get(str(reference), _PLACES["urban"])


def few_schools_note(n_schools: int, name_zh: str | None = None, name_en: str | None = None,
                     language: str = "zh", *, randomization: bool = True) -> str:
    """The caution shown wherever a comparison rests on fewer than
    :data:`eduqa.rules.MIN_CLUSTERS` schools of a group: no significance verdict
    (and, where it is so, that the interval comes from randomization over schools)."""
    rural = _PLACES["rural"]
    return (say("narrative.common.few_schools_note.this_comparison_rests_only", language,
                n_schools=n_schools, name_zh=rural.zh if name_zh is None else name_zh,
                name_en=rural.en if name_en is None else name_en)
            + (say("narrative.common.few_schools_note.interval_from_randomization_over",
                   language) if randomization else ""))


def span(low: float, high: float, language: str = "zh", unit_zh: str | None = None,
         unit_en: str | None = None) -> str:
    """An interval of a difference (category − reference) in direction words, never a negative
    number after 高/低: 「高 0.24 至 0.99 个标准差」, 「低 0.20 至 0.05 个标准差」, or, when it
    covers zero, 「低 0.20 至 高 0.10 个标准差」."""
    zh = language != "en"
    sd = say("narrative.common.units.sd", "zh"), say("narrative.common.units.sd", "en")
    unit_zh, unit_en = sd[0] if unit_zh is None else unit_zh, sd[1] if unit_en is None else unit_en
    # decided on the numbers as shown: -0.001 is 0.00, not "低 0.00"
    low, high = float(num(low, 2).replace(",", "")), float(num(high, 2).replace(",", ""))
    if low >= 0:
        return say("narrative.common.span.higher", zh, low=num(low, 2), high=num(high, 2),
                   unit_zh=unit_zh, unit_en=unit_en)
    if high <= 0:
        return say("narrative.common.span.lower", zh, minus_high=num(-high, 2),
                   minus_low=num(-low, 2), unit_zh=unit_zh, unit_en=unit_en)
    return say("narrative.common.span.from_lower_higher", zh, minus_low=num(-low, 2),
               high=num(high, 2), unit_zh=unit_zh, unit_en=unit_en)


#: The few statistical words the main text uses, each explained once (landing page and Word
#: report): (term zh, explanation zh, term en, explanation en).
GLOSSARY = tuple((term.zh, explained.zh, term.en, explained.en) for term, explained in zip(
    pairs("narrative.common.glossary.term").values(),
    pairs("narrative.common.glossary.explained").values()))


def glossary(language: str = "zh") -> list[tuple[str, str]]:
    """(term, explanation) pairs of :data:`GLOSSARY` in ``language``."""
    zh = language != "en"
    return [(t_zh, e_zh) if zh else (t_en, e_en) for t_zh, e_zh, t_en, e_en in GLOSSARY]


def term_label(term: str, language: str = "zh") -> str:
    """Display name of a model term (from the one label table)."""
    return label(term, language)


CAUTION = MESSAGES["narrative.common.caution"]


def _and(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def _row(tables, name: str, **match) -> pd.Series | None:
    frame = tables.get(name)
    if frame is None or frame.empty or any(c not in frame for c in match):
        return None
    for column, value in match.items():
        frame = frame[frame[column] == value]
    return frame.iloc[0] if len(frame) else None


def target_flags(targets: pd.DataFrame) -> np.ndarray:
    """The ``*_met`` columns of a target table as a float matrix (rows × targets): 1 met, 0
    not met, NaN no target given — whether they were read back as a nullable 是/否 (boolean)
    or as 1.0/0.0."""
    met = [c for c in targets.columns if str(c).endswith("_met")]
    if not met:
        return np.empty((len(targets), 0))
    return np.column_stack([pd.to_numeric(targets[c].astype(object), errors="coerce")
                            .to_numpy(dtype=float) for c in met])
