"""Checks that run before any notebook: what would break or distort a season's report.

``eduqa validate`` and ``eduqa run`` call :func:`season_checks` on the cleaned season. Each
problem is a :class:`Finding` naming the file, the column and what to change; an ``error``
stops the run (the report would fail or be wrong), a ``warning`` is printed and the run goes on
(the report would be right but may not say what the office expects).

The checks:

- scores above the configured full marks in bulk (more than :data:`BULK_SHARE` of a subject's
  cells): full marks are almost certainly wrong in the params (an error);
- a subject with no score at all in a school (treated as not examined there; the school's
  pupils then have no 总分) and a school of the roster with no pupils, or with no pupil who sat
  (warnings);
- model terms of ``attribution`` that are neither columns of the model frame nor extras of the
  staffing file, or that are not valid formula terms (an error, with the nearest known name);
- indicator lines no pupil reaches, or every pupil reaches (warnings).
"""

from __future__ import annotations

import ast
import difflib
from dataclasses import dataclass

import numpy as np

from eduqa.catalog import joined, say
from eduqa.config.labels import label
from eduqa.config.paths import relative
from eduqa.errors import EduqaError, InputError, ParamsError

__all__ = ["BULK_SHARE", "Finding", "SeasonCheckError", "season_checks", "raise_errors",
           "warnings", "has_errors", "model_term_names", "MODEL_COLUMNS"]

#: A subject with more than this share of its score cells above full marks is an error.
BULK_SHARE = 0.05

#: Columns of :func:`eduqa.attribution.model_frame` a model term may use (besides the
#: staffing file's optional ``share_*`` extras).
MODEL_COLUMNS = ("town", "rural", "shortage_rate", "out_of_field_share", "enrollment",
                 "log_enrollment", "boarding", "prior_z", "prior_z_school_mean")

#: The columns of the model data that vary within a school (a term may use each only as
#: itself: see :class:`eduqa.models.grouped.GroupedStats`).
STUDENT_LEVEL = ("prior_z",)

# names a formula term may call (patsy's built-ins and numpy)
_FUNCTIONS = {"C", "I", "Q", "np", "center", "standardize", "scale", "log", "exp", "sqrt",
              "Treatment", "Sum", "Poly", "Diff", "Helmert", "bs", "cr", "cc", "te"}


@dataclass(frozen=True)
class Finding:
    """One problem: ``severity`` is ``error``, ``warning`` or ``note`` (what eduqa decided
    on the user's behalf, e.g. a score export found by itself); ``error`` carries the place
    (file, column) and the message in both languages."""

    severity: str
    error: EduqaError
    code: str

    def render(self, language: str = "zh") -> str:
        return self.error.render(language)


class SeasonCheckError(EduqaError):
    """The season's files or params would break its report: every error found, together."""

    def __init__(self, season: str, findings: list[Finding]) -> None:
        self.findings = findings
        errors = [f for f in findings if f.severity == "error"]
        english, chinese = (say("project.checks.season_errors", language, season=season,
                                n=len(errors),
                                items="\n".join(f"- {f.render(language)}" for f in errors))
                            for language in ("en", "zh"))
        super().__init__(english, zh=chinese)


def model_term_names(term: str) -> set[str]:
    """The variable names a formula term uses (``np.log(enrollment)`` -> ``{"enrollment"}``);
    raises ``SyntaxError`` when the term is not a valid formula term."""
    tree = ast.parse(term.replace(":", "*"), mode="eval")
    names = {node.id for node in ast.walk(tree) if isinstance(node, ast.Name)}
    return names - _FUNCTIONS


def _relative(path, params) -> str:
    return relative(path, params.project.root)


def _notes(params, result) -> list[Finding]:
    """What loading the params decided on the user's behalf (:attr:`SeasonParams.notes`)."""
    return [Finding("note", ParamsError(note.en, file=params.source, key=note.key, zh=note.zh),
                    "params_note") for note in params.notes]


def warnings(findings: list[Finding]) -> list[Finding]:
    """The findings that are warnings (printed; the report is built)."""
    return [f for f in findings if f.severity in ("warning", "note")]


def has_errors(findings: list[Finding]) -> bool:
    """True when any finding is an error (the report is not built)."""
    return any(f.severity == "error" for f in findings)


def _above_full_marks(params, result) -> list[Finding]:
    findings = []
    counts = result.summary.get("above_full_marks", {})
    for subject, (above, cells, highest) in counts.items():
        if cells == 0 or above / cells <= BULK_SHARE:
            continue
        marks = params.subjects[subject]
        share = above / cells
        zh_name, subject = label(subject, "zh"), label(subject, "en")
        findings.append(Finding("error", ParamsError.of("project.checks.above_full_marks.scores_above_full_marks",
                                                        file=params.source,
                                                        key=f"subjects.{zh_name}", above=above,
                                                        cells=cells, subject=subject, share=share,
                                                        marks=marks, highest=highest,
                                                        zh_name=zh_name, value1=_round_up(highest)), "above_full_marks"))
    return findings


def _round_up(value: float) -> int:
    """A plausible full mark at or above ``value`` (the next multiple of 10)."""
    return int(-(-value // 10) * 10)


def _blank_schools(params, result) -> set[str]:
    """Schools whose rows are in the export with every subject blank (no subject examined)."""
    subjects: dict[str, set[str]] = {}
    for code, subject, _ in result.summary.get("not_examined", []):
        subjects.setdefault(code, set()).add(subject)
    return {code for code, blank in subjects.items() if blank >= set(params.subjects)}


def _not_examined(params, result) -> list[Finding]:
    findings = []
    names = dict(zip(result.schools["school_code"], result.schools["school_name"]))
    blank = _blank_schools(params, result)
    for code in sorted(blank):  # one reminder, not one a subject and one for "no pupils"
        name = names.get(code, code)
        findings.append(Finding("warning", InputError.of("project.checks.not_examined.school_has_rows_score",
                                                         file=params.scores_file, name=name,
                                                         code=code),
            "school_all_blank"))
    for code, subject, subject_column in result.summary.get("not_examined", []):
        if code in blank:
            continue
        name = names.get(code, code)
        zh_name, subject = label(subject, "zh"), label(subject, "en")
        findings.append(Finding("warning", InputError.of("project.checks.not_examined.school_has_no_score",
                                                         file=params.scores_file,
                                                         column=subject_column, name=name,
                                                         code=code, subject=subject,
                                                         zh_name=zh_name), "subject_missing_at_school"))
    return findings


#: more schools than this without pupils are named in one reminder, not one each
GROUPED_AFTER = 3
#: a message listing many things shows this many and a count of the rest
LISTED = 20


def _absent_schools(params, absent, roster) -> Finding:
    """One reminder for many roster schools with no pupil in the season (a season given in
    6 of the roster's 80 schools): the first :data:`LISTED` named, and the count."""
    rows = list(absent.itertuples(index=False))
    shown, shown_en = (
        say("project.checks.schools_listed", language, n=len(rows), more=len(rows) - LISTED,
            names=[say("project.checks.school_with_code", language, name=row.school_name,
                       code=row.school_code) for row in rows[:LISTED]])
        if len(rows) > LISTED else
        joined([say("project.checks.school_with_code", language, name=row.school_name,
                    code=row.school_code) for row in rows], language)
        for language in ("zh", "en"))
    names = rows
    return Finding("warning", InputError.of("project.checks.absent_schools.schools_roster_that_teach",
                                            file=params.scores_file, column=None,
                                            n_names=len(names), shown_en=shown_en, shown=shown,
                                            value1=_relative(roster, params)),
        "schools_without_pupils")


def _absent_school(params, row, roster) -> Finding:
    """The reminder for one roster school with no pupil in the season."""
    return Finding("warning", InputError.of("project.checks.absent_school.school_roster_but_has",
                                            file=params.scores_file, column=None,
                                            school_name=row.school_name,
                                            school_code=row.school_code,
                                            school_type=row.school_type,
                                            value1=_relative(roster, params)),
        "school_without_pupils")


def _schools_without_pupils(params, result) -> list[Finding]:
    from eduqa.config.schema import SCHOOL_TYPE_LEVELS

    findings = []
    schools = result.schools
    at_level = schools["school_type"].map(
        lambda kind: params.level in SCHOOL_TYPE_LEVELS.get(kind, ()))
    roster = params.project.root / params.county.roster
    absent = schools[at_level & (schools["n_students"] == 0)
                     & ~schools["school_code"].isin(_blank_schools(params, result))]
    if len(absent) > GROUPED_AFTER:  # a season of a few of the roster's schools: one reminder
        findings.append(_absent_schools(params, absent, roster))
    else:
        findings += [_absent_school(params, row, roster)
                     for row in absent.itertuples(index=False)]
    present = set(result.schools.loc[result.schools["n_students"] > 0, "school_code"]) - set(
        result.score_facts()["sat_schools"])
    names = dict(zip(schools["school_code"], schools["school_name"]))
    for code in sorted(present):
        findings.append(Finding("warning", InputError.of("project.checks.schools_without_pupils.school_has_pupils_score",
                                                         file=params.scores_file,
                                                         value1=names.get(code, code), code=code),
            "school_without_scores"))
    return findings


def _model_terms(params, result) -> list[Finding]:
    findings = []
    known = set(MODEL_COLUMNS) | {c for c in result.schools.columns if c.startswith("share_")}
    for key, terms in params.county.attribution.items():
        county_file, where = params.blame(f"attribution.{key}")
        for term in terms:
            try:
                used = model_term_names(term)
            except SyntaxError:
                findings.append(Finding("error", ParamsError.of("project.checks.model_terms.not_valid_model_term",
                                                                file=county_file, key=where,
                                                                term=term),
                    "bad_model_term"))
                continue
            student = sorted(used & set(STUDENT_LEVEL))
            if student and term.strip() not in STUDENT_LEVEL:
                findings.append(Finding("error", ParamsError.of("project.checks.model_terms.model_term_transforms_student",
                                                                file=county_file, key=where,
                                                                term=term, student=list(student)),
                    "transformed_student_term"))
            for name in sorted(used - known):
                near = difflib.get_close_matches(name, sorted(known), n=1)
                guess, guess_zh = ((say("project.checks.did_you_mean", language, name=near[0])
                                    if near else "") for language in ("en", "zh"))
                listed = ", ".join(sorted(known))
                findings.append(Finding("error", ParamsError.of("project.checks.model_terms.model_term_uses_which",
                                                                file=county_file, key=where,
                                                                term=term, name=name, guess=guess,
                                                                guess_zh=guess_zh, listed=listed), "unknown_model_term"))
    return findings


def _thresholds(params, result) -> list[Finding]:
    from eduqa.indicators.exam import reaches

    findings = []
    t = params.thresholds
    lines = {key: (say(f"project.checks.line.{key}", "zh"), say(f"project.checks.line.{key}", "en"))
             for key in ("pass_line", "excellent")}
    facts = result.score_facts()["subjects"]  # per subject: count, lowest, highest sat
    for subject, marks in params.full_marks.items():
        n, lowest, highest = facts.get(subject, (0, np.nan, np.nan))
        if n < params.county.min_group_size:
            continue
        zh_label, en_label = label(subject, "zh"), label(subject, "en")
        for key, (zh_name, en_name) in lines.items():
            held_in, where = params.blame(f"thresholds.{key}")
            share = getattr(t, key)
            line = share * marks
            # (the line is a threshold: someone reaches it when the highest does, everyone
            # when the lowest does)
            nobody = not reaches(highest, share, marks)
            if not nobody and not reaches(lowest, share, marks):
                continue
            findings.append(Finding("warning", ParamsError.of(
                "project.checks.thresholds.nobody" if nobody
                else "project.checks.thresholds.everybody", file=held_in, key=where,
                en_name=en_name, en_label=en_label, zh_name=zh_name, zh_label=zh_label,
                line=line, marks=marks, highest=highest, lowest=lowest,
                params_file=_relative(params.source, params), threshold=key),
                "unreachable_threshold"))
    return findings


def _model_plan(params, result) -> list[Finding]:
    """What the 03 page's rural-gap decompositions will leave out this season and why (no 城区
    or 乡村 school, a staffing column absent or the same everywhere, too few schools): the
    page's own sentence, said by ``validate`` beforehand (a note)."""
    from eduqa.attribution import gap_plan, school_covariates
    from eduqa.text.narrative import plan_note

    schools = result.schools[result.schools["n_students"] > 0]
    if schools.empty:
        return []
    plan = gap_plan(school_covariates(schools), **params.county.attribution)  # as the page
    texts = {language: plan_note(plan, language).strip() for language in ("zh", "en")}
    if not texts["en"]:
        return []
    source, key = params.blame("attribution")
    return [Finding("note", ParamsError.of(
        "project.checks.model_plan.left_out", file=source, key=key, text_en=texts["en"],
        text_zh=texts["zh"]), "model_terms_left_out")]


def season_checks(params, result) -> list[Finding]:
    """Every finding for one cleaned season (``result`` from :func:`eduqa.intake.clean.clean_season`),
    errors first."""
    findings = [*_notes(params, result), *_above_full_marks(params, result),
                *_model_terms(params, result), *_model_plan(params, result),
                *_not_examined(params, result), *_schools_without_pupils(params, result)]
    if not any(f.code == "above_full_marks" for f in findings):  # else the lines mislead too
        findings.extend(_thresholds(params, result))
    return sorted(findings, key=lambda f: f.severity != "error")


def raise_errors(season: str, findings: list[Finding]) -> None:
    """Raise :class:`SeasonCheckError` when any finding is an error."""
    if has_errors(findings):
        raise SeasonCheckError(season, findings)

