"""The checks before any notebook (eduqa.project.checks): what would break or distort a report is an
error or a warning naming the file, the column and what to change — in validate and in run."""

from __future__ import annotations

import json
import re
import unicodedata

import nbformat
import pandas as pd
import pytest
from test_cli import eduqa

from eduqa.compute.frames import plain_columns
from eduqa.config.labels import label
from eduqa.config.params import load_season
from eduqa.errors import EduqaError, InputError, NotebookError
from eduqa.intake.clean import clean_season
from eduqa.project.checks import BULK_SHARE, model_term_names, season_checks
from eduqa.project.pipeline import prepare
from eduqa.project.scaffold import NOTEBOOKS_VERSION

SEASON = "2025-spring-g9"


def _set_full_marks(project, subject, marks, season=SEASON):
    path = project.params_dir / f"{season}.yaml"
    text = path.read_text(encoding="utf-8")
    lines = [f"  {subject}: {marks}" if line.startswith(f"  {subject}:") else line
             for line in text.splitlines()]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def _scores(project, season=SEASON):
    path = project.raw / season / "scores.csv"
    return path, pd.read_csv(path, dtype=str, keep_default_na=False)


def test_scores_above_full_marks_in_bulk_stop_validate_and_run(project):
    path, raw = _scores(project)
    marks = 60
    kept = clean_season(load_season(project, SEASON)).log
    excluded = kept.loc[kept["action"] == "exclude_row", "source_row"].astype(int)
    text = raw["语文"].map(lambda v: unicodedata.normalize("NFKC", v).strip().removesuffix("分"))
    values = pd.to_numeric(text, errors="coerce")[~(raw.index + 2).isin(excluded)]
    above = int((values > marks).sum())  # the oracle: plain pandas on the rows kept
    assert above / values.notna().sum() > BULK_SHARE
    _set_full_marks(project, "语文", marks)

    done = eduqa(project, "validate", SEASON)
    assert done.returncode == 2, done.stdout
    assert f"{SEASON}.yaml" in done.stderr and "subjects.语文" in done.stderr
    assert f"语文 有 {above:,} 个成绩" in done.stderr and "高于这里设置的满分 60 分" in done.stderr
    assert "Traceback" not in done.stderr
    english = eduqa(project, "--lang", "en", "validate", SEASON)
    assert f"{above:,} of" in english.stderr and "Chinese scores" in english.stderr and "above the full marks 60" in english.stderr

    # run stops at the same check, before any notebook, and writes nothing
    done = eduqa(project, "run", SEASON)
    assert done.returncode == 2
    assert "subjects.语文" in done.stderr and "ipynb" not in done.stdout + done.stderr
    assert not (project.processed_season(SEASON) / "summary.json").exists()
    assert not any(project.reports.glob(f"*{SEASON}*"))


def test_a_few_scores_above_full_marks_are_only_logged(project):
    path, raw = _scores(project)
    values = pd.to_numeric(raw["语文"], errors="coerce")
    marks = float(values.quantile(0.98))  # a few above: typing slips, not a wrong setting
    assert 0 < (values > marks).mean() < BULK_SHARE
    _set_full_marks(project, "语文", f"{marks:g}")
    result = clean_season(load_season(project, SEASON))
    findings = season_checks(load_season(project, SEASON), result)
    assert not [f for f in findings if f.code == "above_full_marks"]
    above, cells, highest = result.summary["above_full_marks"]["chinese"]
    assert above == int((values > marks).sum()) and highest == values.max()


def test_subject_missing_for_a_whole_school_is_a_warning_naming_it(project):
    path, raw = _scores(project)
    school = "柳溪中学"  # every row of it spelt the same way (others also use aliases)
    n = int((raw["学校"] == school).sum())
    raw.loc[raw["学校"] == school, "物理"] = ""
    raw.to_csv(path, index=False)
    done = eduqa(project, "validate", SEASON)
    assert done.returncode == 0, done.stderr
    assert "1 条提醒" in done.stdout
    assert f"学校 {school}" in done.stdout and "没有任何物理成绩" in done.stdout
    assert "“物理”列" in done.stdout and "没有总分" in done.stdout
    params = load_season(project, SEASON)
    result = clean_season(params)
    total = result.scores[(result.scores["subject"] == "total")
                          & result.scores["school_code"].isin(
                              result.schools.loc[result.schools["school_name"] == school,
                                                 "school_code"])]
    assert len(total) == n and not total["status"].eq("sat").any()  # what the warning says


def test_school_without_pupils_and_school_without_scores(project):
    path, raw = _scores(project)
    gone, silent = "柳溪中学", "松岭中学"  # no alias spellings of these in the export
    raw = raw[raw["学校"] != gone].copy()
    subjects = ["语文", "数学", "英语", "物理", "化学", "道德与法治", "历史"]
    raw.loc[raw["学校"] == silent, subjects] = "缺考"
    raw.loc[raw["学校"] == silent, "总分"] = ""
    raw.to_csv(path, index=False)
    done = eduqa(project, "validate", SEASON)
    assert done.returncode == 0, done.stderr
    assert f"学校 {gone}" in done.stdout and "本次成绩表中没有该校学生" in done.stdout
    assert f"学校 {silent}" in done.stdout and "没有一个有效成绩" in done.stdout
    english = eduqa(project, "--lang", "en", "validate", SEASON)
    assert f"school {gone}" in english.stdout and "no pupil in this season's" in english.stdout


def test_a_school_whose_every_cell_is_blank_is_one_reminder(project):
    """Issue 33: such a school was reported both as having no 语文 scores and as having no
    pupils, though its rows are there."""
    path, raw = _scores(project)
    school = "松岭中学"
    subjects = ["语文", "数学", "英语", "物理", "化学", "道德与法治", "历史", "总分"]
    raw.loc[raw["学校"] == school, subjects] = ""
    raw.to_csv(path, index=False)
    params = load_season(project, SEASON)
    result = clean_season(params)
    about = [f for f in season_checks(params, result) if school in f.render("zh")]
    assert [f.code for f in about] == ["school_all_blank"]
    text = about[0].render("zh")
    assert "有学生行" in text and "所有学科的成绩格都是空白" in text and "没有该校学生" not in text
    code = result.schools.loc[result.schools["school_name"] == school, "school_code"].iloc[0]
    assert int(result.schools.loc[result.schools["school_code"] == code, "n_students"].iloc[0]) == 0
    assert "every score cell" in about[0].render("en")


@pytest.mark.parametrize("term, named, guess", [
    ("shortage_rat", "shortage_rat", "shortage_rate"),
    ("np.log(enrolment)", "enrolment", "enrollment"),
])
def test_unknown_model_term_is_an_error_before_the_run(project, term, named, guess):
    county = project.params_dir / "county.yaml"
    text = county.read_text(encoding="utf-8")
    county.write_text(text.replace("staffing: [shortage_rate, out_of_field_share]",
                                   f"staffing: [{term!r}, out_of_field_share]"), encoding="utf-8")
    done = eduqa(project, "validate", SEASON)
    assert done.returncode == 2
    assert "county.yaml" in done.stderr and "attribution.staffing" in done.stderr
    assert f"“{named}”" in done.stderr and f"是不是 {guess}" in done.stderr
    english = eduqa(project, "--lang", "en", "validate", SEASON)
    assert f"'{named}'" in english.stderr and f"Did you mean {guess}" in english.stderr


def test_a_bad_term_in_a_season_s_overrides_is_blamed_on_the_season_file(project):
    """A model term set under ``overrides:`` of one season is named in that season's file
    (``overrides.attribution.staffing``), not in county.yaml, which does not hold it; a term
    of county.yaml is still named there (the test above)."""
    season_file = project.params_dir / f"{SEASON}.yaml"
    season_file.write_text(season_file.read_text(encoding="utf-8") + (
        "\noverrides:\n  attribution:\n    staffing: ['shortage_rat', out_of_field_share]\n"),
        encoding="utf-8")
    done = eduqa(project, "--lang", "en", "validate", SEASON)
    assert done.returncode == 2
    assert f"{SEASON}.yaml" in done.stderr and "overrides.attribution.staffing" in done.stderr
    assert "county.yaml" not in done.stderr and "'shortage_rat'" in done.stderr
    params = load_season(project, SEASON)
    assert params.blame("attribution.staffing") == (season_file, "overrides.attribution.staffing")
    assert params.blame("attribution.controls") == (project.params_dir / "county.yaml",
                                                    "attribution.controls")
    assert params.blame("thresholds.pass_line") == (project.params_dir / "county.yaml",
                                                    "thresholds.pass_line")


def _with_control(project, term: str):
    """The season's params with ``term`` added to the model's controls in county.yaml."""
    county = project.params_dir / "county.yaml"
    text, replaced = re.subn(r"controls: \[[^\]]*\]",
                             f"controls: [log_enrollment, boarding, {term}]",
                             county.read_text(encoding="utf-8"))
    assert replaced == 1
    county.write_text(text, encoding="utf-8")
    return load_season(project, SEASON)


def test_a_transformed_prior_score_term_is_an_error_before_the_run(project):
    """The models fit from per-school statistics, which hold the prior z only as itself: a
    term that transforms it is refused at the check, not in the middle of the run."""
    params = _with_control(project, "'I(prior_z ** 2)'")
    found = [f for f in season_checks(params, clean_season(params))
             if f.code == "transformed_student_term"]
    assert len(found) == 1 and found[0].severity == "error"
    assert "I(prior_z ** 2)" in found[0].render("en") and "prior_z" in found[0].render("zh")
    params = _with_control(project, "prior_z")
    codes = [f.code for f in season_checks(params, clean_season(params))]
    assert "transformed_student_term" not in codes and "unknown_model_term" not in codes


def test_model_term_names():
    assert model_term_names("np.log(enrollment)") == {"enrollment"}
    assert model_term_names("rural:shortage_rate") == {"rural", "shortage_rate"}
    assert model_term_names("I(share_over_50 ** 2)") == {"share_over_50"}
    with pytest.raises(SyntaxError):
        model_term_names("shortage_rate +* 2")


def test_staffing_extras_are_known_model_terms(project):
    params = _with_control(project, "share_over_50")
    assert "share_over_50" in clean_season(params).schools  # the staffing file has the extra
    codes = [f.code for f in season_checks(params, clean_season(params))]
    assert "unknown_model_term" not in codes


def test_lines_nobody_reaches_are_warnings(project):
    _set_full_marks(project, "化学", 1000)  # pass line 600 of 1000: the oracle is the raw max
    path, raw = _scores(project)
    highest = pd.to_numeric(raw["化学"], errors="coerce").max()
    assert highest < 600
    done = eduqa(project, "validate", SEASON)
    assert done.returncode == 0, done.stderr
    assert f"化学 没有学生达到及格线（600 分，满分 1000；最高 {highest:g} 分）" in done.stdout
    assert "化学 没有学生达到优秀线" in done.stdout and "thresholds.pass_line" in done.stdout


def test_a_line_everybody_reaches_is_a_warning(project):
    county = project.params_dir / "county.yaml"
    text = county.read_text(encoding="utf-8")
    county.write_text(text.replace("pass_line: 0.60", "pass_line: 0.001")
                      .replace("low: 0.40", "low: 0.0005")
                      .replace("near_margin: 0.05", "near_margin: 0.0001"), encoding="utf-8")
    params = load_season(project, SEASON)
    result = clean_season(params)
    sat = result.scores[result.scores["status"].eq("sat")]
    lowest = sat.groupby("subject")["score"].min()
    findings = season_checks(params, result)
    everyone = {f.render("en").split(" in ")[1].split(" (")[0] for f in findings
                if f.code == "unreachable_threshold" and "every pupil" in f.render("en")}
    subjects = {label(s, "en") for s in lowest.index
                if lowest[s] >= 0.001 * params.full_marks[s] - 1e-9}
    assert everyone == subjects and subjects  # exactly the subjects where nobody scored 0


def test_prepare_reuses_processed_data_only_for_the_same_inputs(project):
    params = load_season(project, SEASON)
    first, _ = prepare(params)
    record = project.processed_season(SEASON) / "summary.json"
    stored = json.loads(record.read_text(encoding="utf-8"))
    again, _ = prepare(params)  # same inputs: read back, not cleaned again
    # (the same values; a fresh clean holds the student key as a categorical, a read one
    # as text: see schema.CATEGORIES)
    pd.testing.assert_frame_equal(plain_columns(first.scores), plain_columns(again.scores))
    assert again.n_rows_in == first.n_rows_in and again.summary["students"] == len(first.students)
    path, raw = _scores(project)
    raw = raw.iloc[:-5]
    raw.to_csv(path, index=False)
    changed, _ = prepare(load_season(project, SEASON))
    assert changed.n_rows_in == first.n_rows_in - 5
    assert json.loads(record.read_text(encoding="utf-8"))["digest"] != stored["digest"]


def test_message_language_of_errors_follows_the_environment(monkeypatch):
    error = InputError("bad cell", file="x.csv", row=3, zh="坏格子", hint_zh="请改正")
    assert str(error).startswith("file x.csv, row 3: bad cell")
    monkeypatch.setenv("EDUQA_MESSAGE_LANG", "zh")
    assert str(error).startswith("文件 x.csv，第 3 行：坏格子")
    assert error.render("en").startswith("file x.csv, row 3: bad cell")
    assert str(EduqaError("plain", zh="中文")) == "中文"


@pytest.mark.parametrize("language, expected, absent", [
    ("zh", "文件 x.csv：这一格不对\n  怎么办：请改正它", "InputError:"),
    ("en", "file x.csv: this cell is wrong", "这一格"),
])
def test_error_raised_inside_a_notebook_reaches_the_user_in_the_run_language(
        project, language, expected, absent):
    from eduqa.project.build import run_season

    for notebook in project.notebooks.glob("*.ipynb"):
        notebook.unlink()
    book = nbformat.v4.new_notebook()
    book.metadata["eduqa"] = {"notebooks": NOTEBOOKS_VERSION}  # (this eduqa's)
    book.cells = [
        nbformat.v4.new_code_cell('season = ""\nproject_dir = ""\noutput_dir = ""',
                                  metadata={"tags": ["parameters"]}),
        nbformat.v4.new_code_cell(
            "from eduqa.errors import InputError\n"
            "raise InputError('this cell is wrong', file='x.csv', hint='fix it', "
            "zh='这一格不对', hint_zh='请改正它')")]
    book.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3",
                                   "language": "python"}
    nbformat.write(book, project.notebooks / "01-fails.ipynb")
    with pytest.raises(NotebookError) as caught:
        run_season(project, SEASON, progress=lambda _: None, language=language)
    message = caught.value.render(language)
    assert expected in message and absent not in message


def test_many_roster_schools_without_pupils_are_one_reminder(project):
    """Issue 33: a season given in a few of the roster's schools printed one reminder per
    absent school (75 for 6 of 80); now one, naming them, with their count."""
    path, raw = _scores(project)
    kept = sorted(raw["学校"].unique())[:3]
    raw[raw["学校"].isin(kept)].to_csv(path, index=False)
    done = eduqa(project, "validate", SEASON)
    assert done.returncode == 0, done.stderr
    assert done.stdout.count("本次成绩表中没有该校学生") == 0
    reminder = [line for line in done.stdout.splitlines() if "在本次成绩表中没有学生" in line]
    assert len(reminder) == 1
    assert re.search(r"名册中有 (\d+) 所", reminder[0])
    n = int(re.search(r"名册中有 (\d+) 所", reminder[0]).group(1))
    from eduqa.config.params import load_season
    from eduqa.config.schema import SCHOOL_TYPE_LEVELS
    from eduqa.intake.clean import clean_season

    result = clean_season(load_season(project, SEASON))
    schools = result.schools
    at_level = schools["school_type"].map(lambda k: "junior" in SCHOOL_TYPE_LEVELS.get(k, ()))
    assert n == int((at_level & (schools["n_students"] == 0)).sum()) > 3  # plain pandas
