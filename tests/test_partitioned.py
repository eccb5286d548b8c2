"""The Dask engine (issue 15): the same tables and sentences as the in-process run.

The oracle is eduqa's pandas path (itself checked against hand calculations and plain pandas in
tests/test_indicators.py), on data shaped unlike the demo county: full marks 150 and 800, a
township of one school, a subject missing for a school, rural schools ahead, missing township,
every status. The end-to-end test runs the four demo seasons with both engines on a
2-worker LocalCluster and compares every published table (to 1e-9) and every sentence.
"""

from __future__ import annotations

import json
import os

import nbformat
import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from eduqa.compute import engine as compute
from eduqa.compute import parquet
from eduqa.config.settings import Thresholds
from eduqa.indicators import exam as indicators
from eduqa.indicators import partitioned

from conftest import add_to_county, copy_project

FULL_MARKS = {"chinese": 150.0, "physics": 70.0, "total": 800.0}


def _season(seed: int = 3) -> pd.DataFrame:
    """Long scores of 9 schools, in school order (as the clean step writes them)."""
    rng = np.random.default_rng(seed)
    rows = []
    towns = {"S1": "甲镇", "S2": "甲镇", "S3": "乙镇", "S4": "乙镇", "S5": "丙乡",  # 丙乡: one
             "S6": "丁乡", "S7": "丁乡", "S8": None, "S9": "丁乡"}
    kinds = {"S1": "urban", "S2": "urban", "S3": "town", "S4": "town", "S5": "rural",
             "S6": "rural", "S7": "rural", "S8": "rural", "S9": "town"}
    for school, size in zip(towns, [40, 7, 55, 30, 3, 60, 25, 12, 1]):
        lead = 15 if kinds[school] == "rural" else 0  # rural schools ahead
        for pupil in range(size):
            key = f"{school}-{pupil:03d}"
            klass = f"{1 + pupil % 3}班"
            subjects = ["chinese", "total"] + ([] if school == "S4" else ["physics"])
            for subject in subjects:
                marks = FULL_MARKS[subject]
                score = float(np.clip(np.round(rng.normal(0.62, 0.18) * marks * 2) / 2
                                      + lead * marks / 150, 0, marks))
                status = rng.choice(["sat"] * 20 + ["absent", "voided", "exempt", "invalid"])
                rows.append({"student_key": key, "school_code": school, "class": klass,
                             "subject": subject, "status": status,
                             "score": score if status == "sat" else np.nan,
                             "township": towns[school], "urban_rural": kinds[school]})
    frame = pd.DataFrame(rows)
    frame.loc[frame.index[::97], "score"] = np.nan  # a "sat" row without a score
    return frame


GROUPINGS = [None, "school_code", "township", "urban_rural", ["school_code", "class"],
             ["township", "urban_rural"]]


@pytest.fixture(scope="module")
def cluster():
    """A 2-worker LocalCluster for this module; this process's client connects to it."""
    from distributed import LocalCluster

    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                      dashboard_address=":0") as local:
        saved = os.environ.get(compute.SCHEDULER_VARIABLE)
        os.environ[compute.SCHEDULER_VARIABLE] = local.scheduler_address
        yield local
        if saved is None:
            del os.environ[compute.SCHEDULER_VARIABLE]
        else:
            os.environ[compute.SCHEDULER_VARIABLE] = saved


def _parts(frame: pd.DataFrame, folder, rows: int):
    parquet.write_parts(frame, folder, "school_code", rows)
    return partitioned.read_table(folder)


@pytest.mark.parametrize("by", GROUPINGS, ids=str)
def test_summary_from_frequencies_equals_summary_from_rows(by):
    frame = _season()
    thresholds = Thresholds(pass_line=0.6, near_margin=0.1)
    expected = indicators.summarize(frame, by, FULL_MARKS, thresholds=thresholds,
                                    min_group_size=5)
    got = indicators.summarize_frequencies(indicators.frequencies(frame, by), by, FULL_MARKS,
                                           thresholds=thresholds, min_group_size=5)
    pd.testing.assert_frame_equal(got, expected, check_exact=False, rtol=1e-12)
    assert len(indicators.frequencies(frame, by)) < len(frame)  # (it does compress)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(["A", "B", "C"]), st.sampled_from(["m", "c"]),
                          st.sampled_from(["sat", "sat", "sat", "absent", "exempt"]),
                          st.integers(0, 30)), min_size=1, max_size=60))
def test_frequency_summary_equals_row_summary_on_any_data(rows):
    """Medians of even and odd counts, single scores (sd NaN), groups with no valid score."""
    frame = pd.DataFrame(rows, columns=["school", "subject", "status", "score"])
    frame["score"] = frame["score"].where(frame["status"] == "sat").astype(float) / 2
    marks = {"m": 15.0, "c": 10.0}
    for by in (None, "school"):
        expected = indicators.summarize(frame, by, marks, min_group_size=2)
        got = indicators.summarize_frequencies(indicators.frequencies(frame, by), by, marks,
                                               min_group_size=2)
        pd.testing.assert_frame_equal(got, expected, check_exact=False, rtol=1e-12)


@pytest.mark.parametrize("rows", [1, 150, 10_000], ids=["a school a part", "a few", "one"])
def test_dask_summary_equals_the_pandas_summary(cluster, tmp_path, rows):
    frame = _season()
    scores = _parts(frame, tmp_path / "scores", rows)
    assert scores.npartitions == {1: 9, 10_000: 1}.get(rows, scores.npartitions)
    for by in GROUPINGS:
        expected = indicators.summarize(frame, by, FULL_MARKS, min_group_size=5)
        got = indicators.summarize(scores, by, FULL_MARKS, min_group_size=5)
        pd.testing.assert_frame_equal(got, expected, check_exact=False, rtol=1e-9)
    assert indicators.head_counts(scores) == indicators.head_counts(frame)


def test_a_frame_s_frequency_tables_are_computed_once_per_notebook(cluster, tmp_path,
                                                                   monkeypatch):
    frame = _season()
    scores = _parts(frame, tmp_path / "scores", 150)
    calls = []
    real = compute.compute
    monkeypatch.setattr(compute, "compute", lambda *c: calls.append(len(c)) or real(*c))
    compute.forget()
    first = partitioned.frequency_table(scores)
    kept = first.copy()
    first["count"] = 0  # (a caller's change does not reach the next caller)
    pd.testing.assert_frame_equal(partitioned.frequency_table(scores), kept)
    # the county's table and the head counts came in one pass: asking for the counts
    # computes nothing more; the townships' table is computed once
    assert indicators.head_counts(scores) == indicators.head_counts(frame)
    for _ in range(2):
        pd.testing.assert_frame_equal(
            indicators.summarize(scores, "township", FULL_MARKS),
            indicators.summarize(frame, "township", FULL_MARKS), check_exact=False, rtol=1e-9)
    assert calls == [2, 1] and kept["count"].sum() == len(frame)
    # the school summary computes only its own pieces when the county's table is known,
    # and the county's table with them (one pass) when it is not
    by_school = indicators.summarize(scores, "school_code", FULL_MARKS)
    assert calls == [2, 1, 1]
    compute.forget()
    pd.testing.assert_frame_equal(indicators.summarize(scores, "school_code", FULL_MARKS),
                                  by_school)
    assert calls == [2, 1, 1, 2]
    partitioned.frequency_table(scores)
    partitioned.frequency_table(scores[scores["subject"] != "total"][
        ["subject", "status", "score"]])  # another frame, without the student keys
    assert calls == [2, 1, 1, 2, 1]
    compute.forget()


@pytest.mark.parametrize("group, reference", [("urban_rural", "urban"), ("urban_rural", "rural"),
                                              ("township", "丁乡"), ("gender", "f")])
def test_dask_gaps_equal_the_pandas_gaps(cluster, tmp_path, group, reference):
    """Urban–rural gaps (CR2 from per-school sums; randomization with 2 urban schools), a
    township as the reference, and a student-level group (varies inside schools: the
    row-level regressions, on the gathered rows)."""
    frame = _season(seed=5)
    frame["gender"] = np.where(frame["student_key"].str[-1].astype(int) % 2 == 0, "f", "m")
    scores = _parts(frame, tmp_path / "scores", 150)
    expected = indicators.group_gap(frame, group, FULL_MARKS, reference=reference,
                                    min_group_size=5)
    got = indicators.group_gap(scores, group, FULL_MARKS, reference=reference,
                               min_group_size=5)
    assert len(expected) == len(FULL_MARKS) * 4 * (frame[group].nunique() - 1)
    pd.testing.assert_frame_equal(got, expected, check_exact=False, rtol=1e-9, atol=1e-12)


def test_dask_bands_lines_balance_classes_and_change_equal_pandas(cluster, tmp_path):
    """The 02 and 04 pages' other tables: score bands and lines (from summed frequency
    tables), subject balance and a school's change of mean z (from summaries), the class
    table (each partition's classes)."""
    from eduqa.indicators import classes, trends

    frame, earlier = _season(seed=11), _season(seed=12)
    scores = _parts(frame, tmp_path / "now", 200)
    before = _parts(earlier, tmp_path / "before", 90)
    for by in (None, "township", "school_code"):
        pd.testing.assert_frame_equal(
            indicators.score_bands(scores, by, FULL_MARKS, width=0.125),
            indicators.score_bands(frame, by, FULL_MARKS, width=0.125),
            check_exact=False, rtol=1e-12)
        lines = {"total": [480.0, 600.0], "physics": [42]}
        pd.testing.assert_frame_equal(indicators.score_lines(scores, by, lines),
                                      indicators.score_lines(frame, by, lines))
    for by in ("school_code", "urban_rural"):
        pd.testing.assert_frame_equal(
            indicators.subject_balance(scores, by, min_group_size=5),
            indicators.subject_balance(frame, by, min_group_size=5),
            check_exact=False, rtol=1e-9, atol=1e-12)
    pd.testing.assert_frame_equal(trends.school_change(scores, before, min_group_size=5),
                                  trends.school_change(frame, earlier, min_group_size=5),
                                  check_exact=False, rtol=1e-9, atol=1e-12)
    pd.testing.assert_frame_equal(classes.class_table(scores, FULL_MARKS, min_group_size=5),
                                  classes.class_table(frame, FULL_MARKS, min_group_size=5),
                                  check_exact=False, rtol=1e-9)


def test_the_distribution_figure_draws_the_same_bars_from_counts(cluster, tmp_path):
    """The histogram of each subject from the summed frequency table: the same bars (every
    valid score counted once) and the same lines (pass, excellent, the mean)."""
    from eduqa.report import plots

    frame = _season(seed=4)
    scores = _parts(frame, tmp_path / "scores", 300)
    drawn = []
    for data in (frame, scores):
        axes = [ax for ax in plots.score_distributions(data, FULL_MARKS).axes
                if ax.get_visible()]
        drawn.append(([[bar.get_height() for bar in ax.patches] for ax in axes],
                      [[line.get_xdata()[0] for line in ax.get_lines()] for ax in axes]))
    (bars, lines), (dask_bars, dask_lines) = drawn
    assert dask_bars == bars
    assert np.allclose(np.array(dask_lines, float), np.array(lines, float), rtol=1e-12)
    valid = frame["status"].eq("sat") & frame["score"].notna()
    assert sum(map(sum, bars)) == valid.sum()


def test_dask_student_z_and_model_frames_equal_pandas(cluster, tmp_path):
    """The students' standardised totals (composite z), the model frame with a prior season
    linked by key, and the three-level model's frame: partition by partition, then the same
    rows as the pandas path (oracle: tests/test_attribution.py checks it against plain
    pandas)."""
    from eduqa import attribution

    frame, prior = _season(seed=21), _season(seed=22)
    prior = prior[prior["student_key"].str[-1] != "7"]  # some students unlinked
    scores = _parts(frame, tmp_path / "now", 120)
    prior_scores = _parts(prior, tmp_path / "before", 500)
    students = indicators.composite_z(scores, keys=("student_key", "school_code"))
    assert compute.is_dask(students)
    got = compute.local(students).sort_values("student_key").reset_index(drop=True)
    expected = indicators.composite_z(frame, keys=("student_key", "school_code"))
    # to the last bit: the models fitted on z (their optimisers stop at a tolerance) then
    # give the same numbers with both engines
    pd.testing.assert_frame_equal(got, expected, check_exact=True)
    valid = frame[(frame["subject"] != "total") & frame["status"].eq("sat")
                  & frame["score"].notna()]
    z = valid.groupby("subject")["score"].transform(lambda v: (v - v.mean()) / v.std())
    z_mean = z.groupby(valid["student_key"]).mean()  # plain pandas, the oracle
    assert np.allclose(expected.set_index("student_key")["z"],
                       ((z_mean - z_mean.mean()) / z_mean.std()).reindex(expected["student_key"]),
                       rtol=1e-12, atol=1e-12)
    schools = pd.DataFrame({"school_code": [f"S{i}" for i in range(1, 10)],
                            "urban_rural": frame.groupby("school_code")["urban_rural"].first()
                            .reindex([f"S{i}" for i in range(1, 10)]).to_numpy(),
                            "shortage_rate": np.linspace(0, 0.4, 9),
                            "out_of_field_share": np.linspace(0.3, 0, 9),
                            "enrollment": [400, 90, 500, 300, 30, 600, 250, 120, 12],
                            "boarding": [False, False, True, True, True, False, True, False, True],
                            "share_over_50": np.linspace(0.1, 0.5, 9)})
    expected = attribution.model_frame(frame, schools, prior)
    assert 0 < expected["prior_z"].notna().sum() < len(expected)  # linked, and not all
    pd.testing.assert_frame_equal(attribution.model_frame(scores, schools, prior_scores),
                                  expected, check_exact=False, rtol=1e-9, atol=1e-12)
    pd.testing.assert_frame_equal(attribution.class_frame(scores),
                                  attribution.class_frame(frame),
                                  check_exact=False, rtol=1e-9, atol=1e-12)



def test_dask_per_school_statistics_equal_pandas_to_the_last_bit(cluster, tmp_path):
    """The models' inputs with the Dask engine: each partition's schools' (and classes')
    statistics, only those gathered; equal to the pandas path's to the last bit, so every
    fit is the same (oracle for the statistics themselves: tests/test_grouped.py)."""
    from eduqa import attribution

    frame, prior = _season(seed=23), _season(seed=24)
    prior = prior[prior["student_key"].str[-1] != "3"]
    scores = _parts(frame, tmp_path / "now", 150)
    prior_scores = _parts(prior, tmp_path / "before", 400)
    schools = pd.DataFrame({"school_code": [f"S{i}" for i in range(1, 10)],
                            "urban_rural": ["urban", "urban", "town", "town", "rural", "rural",
                                            "rural", "rural", "town"],
                            "shortage_rate": np.linspace(0, 0.4, 9),
                            "out_of_field_share": np.linspace(0.3, 0, 9),
                            "enrollment": [400, 90, 500, 300, 30, 600, 250, 120, 12],
                            "boarding": [False, False, True, True, True, False, True, False,
                                         True]})
    expected = attribution.model_stats(frame, schools, prior)
    got = attribution.model_stats(scores, schools, prior_scores)
    for name in ("students", "linked"):
        a, b = getattr(got, name), getattr(expected, name)
        pd.testing.assert_frame_equal(a.table, b.table, check_exact=True)
        assert np.array_equal(a.sums, b.sums) and np.array_equal(a.within, b.within)
    assert 0 < expected.linked.nobs < expected.students.nobs
    rows = attribution.model_frame(frame, schools, prior)
    assert expected.students.nobs == len(rows)
    assert expected.linked.nobs == rows["prior_z"].notna().sum()
    got_classes = attribution.class_stats(scores)
    expected_classes = attribution.class_stats(frame)
    pd.testing.assert_frame_equal(got_classes.table, expected_classes.table, check_exact=True)
    assert np.array_equal(got_classes.sums, expected_classes.sums)
    assert np.array_equal(got_classes.within, expected_classes.within)
    no_prior = attribution.model_stats(scores, schools)
    assert no_prior.linked is None and attribution.matched_share(no_prior) is None
    for subject in ("chinese", "physics"):  # (S4 has no physics)
        got_subject = attribution.subject_class_stats(scores, subject)
        expected_subject = attribution.subject_class_stats(frame, subject)
        pd.testing.assert_frame_equal(got_subject.table, expected_subject.table,
                                      check_exact=True)
        assert np.array_equal(got_subject.sums, expected_subject.sums)
        assert np.array_equal(got_subject.within, expected_subject.within)
    assert "S4" not in set(got_subject.table["school_code"])


def test_dask_summary_of_a_filtered_frame_and_an_empty_part(cluster, tmp_path):
    """The notebooks filter before summarising (the total alone); a part may hold no row of
    the filter."""
    frame = _season(seed=9)
    scores = _parts(frame, tmp_path / "scores", 60)
    for subject in ("physics", "total"):  # S4 has no physics: its part is empty
        expected = indicators.summarize(frame[frame["subject"] == subject], "urban_rural",
                                        FULL_MARKS)
        got = indicators.summarize(scores[scores["subject"] == subject], "urban_rural",
                                   FULL_MARKS)
        pd.testing.assert_frame_equal(got, expected, check_exact=False, rtol=1e-9)


def test_processed_parts_read_by_dask_equal_the_table(cluster, tmp_path):
    frame = _season().drop(columns=["township", "urban_rural"])
    scores = _parts(frame, tmp_path / "scores", 100)
    back = compute.local(scores)
    pd.testing.assert_frame_equal(back.reset_index(drop=True), parquet.read_parquet(tmp_path / "scores"))
    pd.testing.assert_frame_equal(parquet.read_parquet(tmp_path / "scores"), frame,
                                  check_dtype=False)


def test_a_frame_is_gathered_piece_by_piece_and_joined_here_as_dask_joins_it(
        cluster, tmp_path, monkeypatch):
    """compute.compute of one Dask DataFrame fetches its partitions and joins them in this
    process (a worker never holds the joined table): the same frame as Dask's own compute
    gives — categories that differ from part to part united, an empty part left out — and
    the cluster is handed the partitions, not the frame."""
    from distributed import Client

    frame = _season(seed=5)
    frame["township"] = frame["township"].astype("category")
    scores = _parts(frame, tmp_path / "scores", 60)
    picked = scores[scores["subject"] == "physics"]  # S4 has no physics: an empty part
    picked = picked.assign(town=picked["township"].astype(str).astype("category"))
    handed = []
    original = Client.compute

    def spy(self, collections, *args, **kwargs):
        handed.append(collections)
        return original(self, collections, *args, **kwargs)

    monkeypatch.setattr(Client, "compute", spy)
    got = compute.compute(picked)
    expected = picked.compute(scheduler="sync")
    pd.testing.assert_frame_equal(got, expected)
    assert str(got["town"].dtype) == "category" and len(got) == (frame["subject"] == "physics").sum()
    assert len(handed) == 1 and isinstance(handed[0], list) \
        and len(handed[0]) == picked.npartitions > 1  # one task a partition, no join task
    handed.clear()
    both = compute.compute(picked, picked["score"].sum())  # several: computed as before
    pd.testing.assert_frame_equal(both[0], expected)
    assert both[1] == pytest.approx(frame.loc[frame["subject"] == "physics", "score"].sum())


def test_notebooks_side_by_side_do_not_share_their_read_tasks(tmp_path):
    """Two processes reading the same processed table build different read tasks (each reads
    its own parts and lets them go), one process the same tasks each time; the projection
    onto the columns a computation uses is still part of the key."""
    import subprocess
    import sys

    _parts(_season().drop(columns=["township", "urban_rural"]), tmp_path / "scores", 100)

    def names(frame):
        return sorted({key[0] for key in frame.__dask_keys__()})

    here = names(partitioned.read_table(tmp_path / "scores"))
    assert here == names(partitioned.read_table(tmp_path / "scores"))
    assert here != names(partitioned.read_table(tmp_path / "scores")[["score"]])
    other = subprocess.run(
        [sys.executable, "-c", "import sys; from eduqa.indicators import partitioned; frame = "
         "partitioned.read_table(sys.argv[1]); print(sorted({k[0] for k in "
         "frame.__dask_keys__()}))", str(tmp_path / "scores")],
        capture_output=True, text=True, check=True).stdout.strip()
    assert other.startswith("['read-scores-") and other != str(here)


def test_the_run_s_local_cluster_workers_give_freed_memory_back():
    """Arrow in a LocalCluster's workers allocates with malloc, which returns what is freed
    (its default pool keeps it: hundreds of MB per worker at province scale)."""
    import pyarrow as pa

    from eduqa.config.settings import EngineSettings

    with compute.cluster(EngineSettings(engine="dask", workers=1)) as running:
        with running.connect() as client:
            pools = client.run(lambda: pa.default_memory_pool().backend_name)
    assert list(pools.values()) == ["system"]


def test_an_unknown_engine_or_a_dead_scheduler_is_a_clear_error(monkeypatch):
    from eduqa.config.settings import EngineSettings
    from eduqa.errors import EduqaError

    with pytest.raises(EduqaError, match="pandas or dask"):
        compute.chosen(EngineSettings(), "spark")
    with pytest.raises(EduqaError, match="--engine dask"):
        compute.chosen(EngineSettings(), "pandas", "tcp://127.0.0.1:1")
    assert compute.chosen(EngineSettings(), None, "tcp://x:1").engine == "dask"
    monkeypatch.setattr(compute, "CONNECT_TIMEOUT", "2s")
    with pytest.raises(EduqaError, match="does not answer") as caught:
        with compute.cluster(EngineSettings(engine="dask", scheduler="tcp://127.0.0.1:9",
                                            insecure=True)):
            pass
    assert "调度器" in caught.value.render("zh")


@pytest.mark.parametrize("text, key", [("engine: spark\n", "engine"),
                                       ("dask:\n  workers: -1\n", "dask.workers"),
                                       ("dask:\n  partition_rows: many\n", "dask.partition_rows"),
                                       ("dask:\n  shceduler: x\n", "dask.shceduler")])
def test_bad_engine_settings_name_the_key(project, text, key):
    from eduqa.config.params import load_county
    from eduqa.errors import ParamsError

    add_to_county(project, text)
    with pytest.raises(ParamsError) as caught:
        load_county(project)
    assert key in caught.value.render("en")


def _capture_outputs(monkeypatch, store: dict):
    """Keep a copy of every table and finding the notebooks publish (the run removes them
    once the workbook and pages are written)."""
    from eduqa.project import manifest

    original = manifest.collect

    def collect(output_dir, notebooks):
        tables, findings = original(output_dir, notebooks)
        season = os.path.basename(str(output_dir)).removeprefix(".build-")
        store[season] = ({name: tables[name] for name in tables}, findings)  # read now
        return tables, findings

    monkeypatch.setattr(manifest, "collect", collect)


def _sentences(project, season: str) -> list[str]:
    """Every Markdown and text output of the season's executed notebooks."""
    texts = []
    for path in sorted(project.report_season(season).glob("*.ipynb")):
        for cell in nbformat.read(path, as_version=4).cells:
            for output in cell.get("outputs", []):
                data = output.get("data", {})
                texts += [data.get("text/markdown", ""), output.get("text", "")]
    return texts


@pytest.mark.slow
def test_the_dask_engine_builds_the_demo_seasons_equal_to_the_in_process_run(
        tmp_path, monkeypatch):
    """Issue 15, point 5: every table (1e-9) and every sentence of the four demo seasons the
    same with ``--engine dask`` on a 2-worker LocalCluster; the processed scores in parts of
    whole schools (several per season); the executed notebooks record the engine."""
    from eduqa.project.build import run_seasons

    project = copy_project(tmp_path / "project")
    add_to_county(project, "dask:\n  workers: 2\n  partition_rows: 2500\n")
    seasons = project.season_ids()
    runs: dict[str, dict] = {}
    for engine in ("pandas", "dask"):
        store: dict = {}
        _capture_outputs(monkeypatch, store)
        run_seasons(project, seasons, progress=lambda _: None, engine=engine)
        runs[engine] = {season: (*store[season], _sentences(project, season))
                        for season in seasons}
        if engine == "pandas":
            parts = list((project.processed_season(seasons[-1]) / "scores.parquet").glob("*"))
            assert len(parts) >= 3
    for season in seasons:
        tables, findings, sentences = runs["pandas"][season]
        dask_tables, dask_findings, dask_sentences = runs["dask"][season]
        assert list(dask_tables) == list(tables)
        for name, table in tables.items():
            pd.testing.assert_frame_equal(dask_tables[name], table, check_exact=False,
                                          rtol=1e-9, atol=1e-12, obj=f"{season} {name}")
        assert dask_findings == findings
        assert dask_sentences == sentences
    notebook = project.report_season(seasons[-1]) / "02-indicators.ipynb"
    injected = [c for c in nbformat.read(notebook, as_version=4).cells
                if "injected-parameters" in c.metadata.get("tags", [])]
    assert 'engine = "dask"' in injected[0].source
    page = (project.report_season(seasons[-1]) / "02-indicators.html").read_text("utf-8")
    assert "计算引擎：Dask" in page
    assert json.loads(json.dumps(runs["dask"][seasons[-1]][1]))  # findings are plain text


class _KillReaders:
    """A scheduler plugin that kills (SIGKILL) the worker process running a task that reads a
    part of the scores: the first such task only, or every one (``always``)."""

    name = "eduqa-test-kill-readers"

    def __init__(self, always: bool = False):
        self.always, self.killed = always, []

    def transition(self, key, start, finish, *args, **kwargs):
        import signal

        label = key[0] if isinstance(key, tuple) else key
        if finish != "processing" or "read-scores" not in str(label):
            return
        if self.killed and not self.always:
            return
        state = self.scheduler.tasks.get(key)
        worker = state.processing_on if state is not None else None
        if worker is None or worker.pid in self.killed:
            return
        self.killed.append(worker.pid)
        os.kill(worker.pid, signal.SIGKILL)


@pytest.fixture
def fragile_cluster(request):
    """A 2-worker LocalCluster (nannies restart killed workers) with a plugin that kills the
    worker of the first part read, or of every part read (``request.param``)."""
    import dask
    from distributed import LocalCluster
    from distributed.diagnostics.plugin import SchedulerPlugin

    plugin = type("Kill", (_KillReaders, SchedulerPlugin), {})(always=request.param)
    with dask.config.set({"distributed.scheduler.allowed-failures": 1}), \
            LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                         dashboard_address=":0") as local:
        plugin.scheduler = local.scheduler
        local.scheduler.add_plugin(plugin)
        yield local, plugin


@pytest.mark.slow
@pytest.mark.parametrize("fragile_cluster", [False], indirect=True)
def test_a_worker_killed_mid_run_gives_the_same_report(fragile_cluster, tmp_path, monkeypatch):
    """Issue 15, point 7: a worker of the cluster is killed (SIGKILL) while it reads a part of
    the scores; the scheduler moves its work to the other worker (and the nanny starts a new
    one), and the report's tables equal those of the in-process run."""
    from eduqa.project.build import run_seasons

    local, plugin = fragile_cluster
    project = copy_project(tmp_path / "project")
    add_to_county(project, "dask:\n  partition_rows: 1500\n")
    season = "2025-spring-g9"
    runs = {}
    for engine, scheduler in (("pandas", None), ("dask", local.scheduler_address)):
        store: dict = {}
        _capture_outputs(monkeypatch, store)
        run_seasons(project, [season], progress=lambda _: None, engine=engine,
                    scheduler=scheduler, insecure=True)
        runs[engine] = store[season]
    assert len(plugin.killed) == 1  # a worker did die mid-run
    for name, table in runs["pandas"][0].items():
        pd.testing.assert_frame_equal(runs["dask"][0][name], table, check_exact=False,
                                      rtol=1e-9, atol=1e-12, obj=name)
    assert runs["dask"][1] == runs["pandas"][1]


@pytest.mark.slow
@pytest.mark.parametrize("fragile_cluster", [True], indirect=True)
def test_workers_that_keep_dying_stop_the_run_clearly_leaving_the_old_report(
        fragile_cluster, tmp_path):
    """When every worker that reads a part dies, the run stops with a message that says
    what happened and what to do; the old report and processed data stay whole, and no
    half-built folder is left in reports/."""
    from eduqa.errors import ClusterError
    from eduqa.project.build import run_seasons

    local, plugin = fragile_cluster
    project = copy_project(tmp_path / "project")
    season = "2025-spring-g9"
    run_seasons(project, [season], progress=lambda _: None, engine="pandas")
    before = {p.relative_to(project.root): p.read_bytes()
              for folder in (project.report_season(season), project.processed_season(season))
              for p in folder.rglob("*") if p.is_file()}
    with pytest.raises(ClusterError) as caught:
        run_seasons(project, [season], progress=lambda _: None, engine="dask",
                    scheduler=local.scheduler_address, insecure=True, language="zh")
    message = caught.value.render("zh")
    # (a cluster the run did not start: the workers' own memory setting is named)
    assert "工作进程在计算中异常退出" in message and "--memory-limit" in message, message
    assert "dask.memory_limit" not in message
    assert "原有报告保持不变" in message
    assert len(plugin.killed) >= 2
    after = {p.relative_to(project.root): p.read_bytes()
             for folder in (project.report_season(season), project.processed_season(season))
             for p in folder.rglob("*") if p.is_file()}
    assert after == before
    leftovers = [p.name for p in project.reports.iterdir() if p.name.startswith(".build")]
    assert leftovers == []
