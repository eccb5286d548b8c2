"""The 01 page's sentences (data cleaning and data quality): the checks' notes, the rows in and
out, the score lines used."""

from __future__ import annotations

import pandas as pd

from eduqa.catalog import pairs, say
from eduqa.config.labels import KIND_LABELS
from eduqa.text.narrative.common import pct


def check_notes(findings, language: str = "zh") -> str:
    """The warnings of :func:`eduqa.project.checks.season_checks` as a list (errors stop the run, so a
    built report only ever has warnings and notes), or one sentence saying there were none."""
    warnings = [f.render(language) for f in findings if f.severity != "error"]
    if not warnings:
        return say("narrative.cleaning.check_notes.checks_before_run_full", language)
    intro = say("narrative.cleaning.check_notes.checks_before_run_left", language,
                n_warnings=len(warnings))
    return intro + "\n\n" + "\n".join("- " + text.replace("\n", " ") for text in warnings)


def clean_summary(accounting: pd.DataFrame, log: pd.DataFrame, language: str = "zh") -> str:
    """Rows read, kept and excluded, with the reasons, in one or two sentences."""
    counts = dict(zip(accounting["item"], accounting["n_rows"]))
    rows_in, kept = counts["rows_in"], counts["rows_kept"]
    excluded = {k.split(":", 1)[1]: n for k, n in counts.items() if k.startswith("excluded:")}
    changed = int(log["action"].isin(["recode", "status", "set_invalid",
                                      "recompute_total"]).sum())
    zh = language != "en"
    parts = [say("narrative.cleaning.clean_summary.kind_rows", zh,
                 kind=KIND_LABELS[k][0 if zh else 1], n=n)
             for k, n in sorted(excluded.items(), key=lambda item: -item[1])]
    text = say("narrative.cleaning.clean_summary.raw_score_rows_were", zh, rows_in=rows_in,
               kept=kept)
    text += (say("narrative.cleaning.clean_summary.were_excluded", zh, value1=rows_in - kept,
                 parts=list(parts)) if parts
             else say("narrative.cleaning.clean_summary.none_was_excluded", zh))
    text += say("narrative.cleaning.clean_summary.cells_were_normalised_or", zh,
                changed=changed)
    return text


def _points(value: float) -> str:
    return f"{round(value, 1):g}"


#: The lines :func:`lines_used` states, with their names.
_LINE_NAMES = pairs("narrative.cleaning.line_names")


def lines_used(thresholds, full_marks: dict, points: dict | None = None,
               language: str = "zh") -> str:
    """The season's pass, good, excellent and low-score lines as shares of full marks and in
    points (of the total, and of each subject's full marks), and which were set in points."""
    zh = language != "en"
    subjects = {k: v for k, v in full_marks.items() if k != "total"}
    total = full_marks["total"]
    marks_used = sorted(set(subjects.values()), reverse=True)  # the subjects' full marks
    parts = []
    for key, (name_zh, name_en) in _LINE_NAMES.items():
        share = getattr(thresholds, key)
        if len(subjects) <= 1:
            inside = say("narrative.cleaning.lines_used.total", zh, value1=_points(share * total))
        elif len(marks_used) == 1:
            inside = say("narrative.cleaning.lines_used.total_each_subject", zh,
                         value1=_points(share * total), value2=_points(share * marks_used[0]))
        else:
            each = [say("narrative.cleaning.lines_used.text", zh, m=m, value1=_points(share * m))
                    for m in marks_used]
            inside = say("narrative.cleaning.lines_used.total_and_each", zh,
                         total=_points(share * total), each=each)
        below = key == "low"
        parts.append(say("narrative.cleaning.lines_used.low_line" if below
                         else "narrative.cleaning.lines_used.line", zh, name_zh=name_zh,
                         name_en=name_en, share=pct(share), inside=inside))
    text = say("narrative.cleaning.lines_used.lines", zh, parts=parts)
    given = [(key, amount) for key, amount in (points or {}).items() if key in _LINE_NAMES]
    if given:
        names = [_LINE_NAMES[key][0 if zh else 1] for key, _ in given]
        text += say("narrative.cleaning.lines_used.set_in_points", zh,
                    lines=[say("narrative.cleaning.lines_used.named_line", zh, name=n)
                           for n in names],
                    points=[say("narrative.cleaning.lines_used.points", zh, points=_points(a))
                            for _, a in given])
    return text
