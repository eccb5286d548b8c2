"""Benchmark: a whole season at county, city and province scale, stage by stage.

    .venv/bin/python benchmarks/bench_season.py --scale county|city|province [--no-run]
    .venv/bin/python benchmarks/bench_season.py --scale province --run-only  # no stages
    .venv/bin/python benchmarks/bench_season.py --demo         # the bundled demo season
    .venv/bin/python benchmarks/bench_season.py --all-demo     # `eduqa run --all`, 4 seasons
    .venv/bin/python benchmarks/bench_season.py --all-demo --school-peer  # … and without 校本报告
    .venv/bin/python benchmarks/bench_season.py --scale county --run-only --repeat 5  # medians
    .venv/bin/python benchmarks/bench_season.py --xlsx 300000  # reading a 300k-row .xlsx
    .venv/bin/python benchmarks/bench_season.py --scale city --export long  # a long CSV
    .venv/bin/python benchmarks/bench_season.py --scale county --engine dask  # the Dask engine
    .venv/bin/python benchmarks/bench_season.py --scale national --engine dask  # 20M, Parquet

Seasons are generated with eduqa.synth into a temporary folder (never committed). Prints a table
of seconds per stage and peak memory, and writes benchmarks/out/season-<scale>.json. The
``eduqa run`` row is the whole season end to end in its own process; the row below it is what the
notebooks cost beyond the analysis stages measured above it (worker start, imports, export to
HTML, workbook and Word report), i.e. the run minus the sum of the stages.

Targets (issue 13, on the 2-core machine): county season end to end <= 10 s; the four demo
seasons (`eduqa run --all`) <= 25 s; city (300k students) <= 45 s; province (2M students, 8,000
schools) <= 4 min with peak memory <= 6 GB; a 300k-row .xlsx read < 20 s.

With ``--engine dask`` (issue 15) the run is `eduqa run --engine dask` on a LocalCluster of
the machine (its worker processes are in the measured process tree), timed beside the same
season run in process (the peer); targets: the province's peak memory <= 4 GB, the national
season's (20M students, its export generated straight to Parquet a row group at a time; no
in-process peer) <= 8 GB. The time per million student-subject rows is printed for the
comparison of scales.
"""

from __future__ import annotations

import argparse
import io
import json
import platform
import resource
import shutil
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SCALES = {"county": (30_000, 150), "city": (300_000, 1_500), "province": (2_000_000, 8_000),
          "national": (20_000_000, 80_000)}
#: scales whose score export is generated as Parquet, a row group at a time (and whose
#: in-process pandas peer is not run: it would need several times the machine's memory)
PARQUET_SCALES = {"national"}
#: (seconds, MB) targets of the performance issue, by benchmark name
TARGETS = {"county": (10, None), "all-demo": (25, None), "city": (45, None),
           "province": (240, 6 * 1024), "xlsx-300000": (20, None)}
#: the same with the Dask engine (issue 15): memory only
DASK_TARGETS = {"province": (None, 4 * 1024), "national": (None, 8 * 1024)}
#: student-subject rows of a scaled season (7 subjects and the total)
ROWS_PER_STUDENT = 8
N_NOTEBOOKS = len(sorted((REPO / "notebooks").glob("[0-9][0-9]-*.ipynb")))
RUN = f"season run: eduqa run ({N_NOTEBOOKS} notebooks + HTML)"
PSS = "peak MB, proportional (PSS, shared pages once)"
OVERHEAD = "notebook overhead beyond the stages"


def peak_mb() -> tuple[float, float]:
    """Peak resident memory of this process and of its largest finished child, in MB."""
    me = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return me, children


def without_school_reports(root: Path, seasons: list[str], seconds: float) -> dict:
    """The peer of a run with school reports (issue 37): the same run with
    ``school_reports: false`` in county.yaml, and what the reports add."""
    county = root / "params" / "county.yaml"
    text = county.read_text(encoding="utf-8")
    county.write_text(text.replace("school_reports: true", "school_reports: false")
                      if "school_reports:" in text else text + "school_reports: false\n",
                      encoding="utf-8")
    try:
        peer, _, _ = cli_run(root, seasons)
    finally:
        county.write_text(text, encoding="utf-8")
    return {"peer: the same run, school_reports: false": peer,
            "school reports add (s)": seconds - peer}


def repeated(root: Path, seasons: list[str], repeat: int) -> dict:
    """The run and its peer without school reports, alternately ``repeat`` times each: the
    medians (the target is judged on the run's), the slowest, and what the reports add."""
    import statistics

    runs, peers = [], []
    for _ in range(repeat):
        seconds, _, _ = cli_run(root, seasons)
        runs.append(seconds)
        peers.append(without_school_reports(root, seasons, seconds)[
            "peer: the same run, school_reports: false"])
    return {RUN + f" (median of {repeat})": statistics.median(runs),
            "slowest run": max(runs), "fastest run": min(runs),
            f"peer without school reports (median of {repeat})": statistics.median(peers),
            "slowest peer": max(peers),
            "school reports add (median, s)": statistics.median(runs) - statistics.median(peers)}


def run_only(root: Path, season: str, engine: str = "pandas", students: int = 0,
             peer: bool = True, school_peer: bool = False, repeat: int = 1) -> dict:
    """Only `eduqa run` of the season, its data cleaned afresh (the stage timings skipped:
    at province scale they take longer than the run). With the Dask engine, the in-process
    run of the same season follows as the peer."""
    if engine == "pandas":
        if repeat > 1:  # the run and its peer alternately, medians reported (a shared
            return repeated(root, [season], repeat)  # machine's runs vary by seconds)
        seconds, peak, pss = cli_run(root, [season])
        times = {RUN: seconds, "peak MB (eduqa run, whole process tree)": peak, PSS: pss}
        if school_peer:
            times.update(without_school_reports(root, [season], seconds))
        return times
    seconds, peak, pss = cli_run(root, [season, "--engine", "dask"])
    times = {RUN + " --engine dask": seconds, "peak MB (eduqa run, whole process tree)": peak,
             PSS: pss}
    if students:
        rows = students * ROWS_PER_STUDENT / 1e6
        times["seconds per million rows (dask)"] = seconds / rows
    if not peer:
        return times
    peer, peer_peak, _ = cli_run(root, [season])
    times["peer: the same run in process (pandas)"] = peer
    times["peer: peak MB in process"] = peer_peak
    times["dask time / pandas time"] = seconds / peer
    return times


def stages(root: Path, season: str, run: bool, kernel_peer: bool = False) -> dict:
    from matplotlib.figure import Figure  # noqa: F401  (import cost outside the timings)

    from eduqa import attribution
    from eduqa.config.params import load_season
    from eduqa.config.paths import Project
    from eduqa.config.schema import SCORE_COLUMNS
    from eduqa.indicators import exam as indicators
    from eduqa.intake import readers as eio
    from eduqa.intake.clean import clean_season, write_processed
    from eduqa.project.season import Season
    from eduqa.report import plots

    project = Project(root)
    params = load_season(project, season)
    times: dict[str, float] = {}

    def stage(name, function):
        started = time.perf_counter()
        value = function()
        times[name] = time.perf_counter() - started
        print(f"  {name:<34}{times[name]:>9.2f} s", flush=True)
        return value

    stage("read raw export (in blocks)", lambda: sum(  # as the clean step reads it
        len(block.frame) for block in eio.open_raw_table(params.scores_file,
                                                         SCORE_COLUMNS).blocks()))
    result = stage("clean (read + validate + log)", lambda: clean_season(params))
    stage("write processed", lambda: write_processed(result, project.processed_season(season)))
    s = Season(params)
    scores = stage("load processed + join schools", s.scores_with_schools)
    stage("indicators (county, schools, townships)",
          lambda: [s.summarize(scores, by) for by in (None, "school_code", "township")])
    stage("urban-rural gaps (CR1)", lambda: indicators.group_gap(
        scores, "urban_rural", s.full_marks, reference="urban"))
    data = stage("per-school statistics (z scores)", lambda: attribution.model_stats(
        s.load("scores"), s.load("schools")))
    sequence = stage("models M0-M3", lambda: attribution.model_sequence(
        data, **params.county.attribution))
    stage("Gelbach (499 cluster bootstraps)", lambda: attribution.gelbach(
        data.students, "z", "rural", ["shortage_rate", "out_of_field_share"], controls=["town"],
        cluster="school_code"))

    def figures():
        schools = s.load("schools")
        names = dict(zip(schools["school_code"], schools["school_name"]))
        balance = indicators.subject_balance(scores, "school_code", min_group_size=10)
        for fig in (plots.score_distributions(scores, s.full_marks),
                    plots.subject_balance_heatmap(balance, names),
                    plots.caterpillar(sequence.fits["M3"].group_effects, names)):
            fig.savefig(io.BytesIO(), format="png")
    stage("figures (3, rendered)", figures)
    me, _ = peak_mb()
    analysis = sum(times.values()) - times["read raw export (in blocks)"]  # (clean reads it again)
    times["peak MB (stages above, this process)"] = me
    if run:
        seconds, peak, pss = cli_run(root, [season])
        times[RUN] = seconds
        times[OVERHEAD] = seconds - analysis
        times["peak MB (eduqa run, whole process tree)"] = peak
        times[PSS] = pss
        print(f"  {'eduqa run (whole season)':<34}{seconds:>9.2f} s, peak {peak:,.0f} MB")
        if kernel_peer:  # the same run with a Jupyter kernel per notebook, as before
            peer, _, _ = cli_run(root, [season], {"EDUQA_ENGINE": "kernel"})
            times["peer: eduqa run with EDUQA_ENGINE=kernel"] = peer
            times["x faster than the kernel run"] = peer / seconds
    return times


def cli_run(root: Path, seasons: list[str],
            env: dict | None = None) -> tuple[float, float, float]:
    """`eduqa run <season>` (or `--all`) in its own process; wall time, the peak of the
    summed resident memory of it and all its children (workers), sampled every 0.2 s, and the
    peak of their summed proportional set size (PSS: a page shared by n processes counted 1/n
    in each, so the workers' shared imports count once), sampled every second."""
    import os
    import subprocess

    import psutil

    started = time.perf_counter()
    process = subprocess.Popen([sys.executable, "-m", "eduqa", "--project", str(root), "run",
                                *seasons], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                               env={**os.environ, **(env or {})})
    watched = psutil.Process(process.pid)
    peak = pss = 0.0
    samples = 0
    while process.poll() is None:
        try:
            tree = [watched, *watched.children(recursive=True)]
            peak = max(peak, sum(p.memory_info().rss for p in tree if p.is_running()) / 2**20)
            if samples % 5 == 0:  # PSS once a second: reading it walks the page tables
                pss = max(pss, sum(getattr(p.memory_full_info(), "pss", 0) for p in tree
                                   if p.is_running()) / 2**20)
        except psutil.Error:
            pass
        samples += 1
        time.sleep(0.2)
    seconds = time.perf_counter() - started
    if process.returncode != 0:
        raise SystemExit(f"eduqa run failed: {process.stderr.read().decode()[-2000:]}")
    return seconds, peak, pss


def xlsx_read(rows: int) -> dict:
    import pandas as pd
    from openpyxl import Workbook

    from eduqa.config.schema import SCORE_COLUMNS
    from eduqa.intake.readers import read_raw_table

    folder = Path(tempfile.mkdtemp(prefix="eduqa-xlsx-"))
    path = folder / "scores.xlsx"
    book = Workbook(write_only=True)
    sheet = book.create_sheet("成绩")
    sheet.append(["2025年春季学期九年级期末质量监测成绩表"])
    sheet.append(["考号", "姓名", "学校", "班级", "语文", "数学", "英语", "物理", "化学", "历史"])
    for i in range(rows):
        sheet.append([f"25{i:08d}", "学生", f"第{i % 1500}学校", f"{i % 9 + 1}班",
                      80 + i % 40, 70 + i % 50, 75 + i % 45, 60 + i % 40, 65 + i % 35, 70 + i % 30])
    book.save(path)
    times = {}
    started = time.perf_counter()
    table = read_raw_table(path, SCORE_COLUMNS)
    times["eduqa read (calamine)"] = time.perf_counter() - started
    assert table.n_rows == rows
    started = time.perf_counter()
    pd.read_excel(path, header=1, engine="openpyxl", dtype=object)
    times["peer: pandas read_excel (openpyxl)"] = time.perf_counter() - started
    shutil.rmtree(folder)
    return times


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--scale", choices=sorted(SCALES))
    parser.add_argument("--demo", action="store_true")
    parser.add_argument("--all-demo", action="store_true",
                        help="the four demo seasons, `eduqa run --all`")
    parser.add_argument("--xlsx", type=int)
    parser.add_argument("--no-run", action="store_true", help="skip the notebook run")
    parser.add_argument("--run-only", action="store_true",
                        help="only `eduqa run` (no stage timings)")
    parser.add_argument("--engine", choices=["pandas", "dask"], default="pandas",
                        help="the compute engine of the run (dask: run only, beside pandas)")
    parser.add_argument("--export", choices=["csv", "long", "parquet"],
                        help="the generated score export's format (default: csv; parquet at "
                             "national scale, written a row group at a time; long: a CSV of "
                             "one row per pupil and subject, e.g. --scale city --export long "
                             "is 2.4 million rows)")
    parser.add_argument("--school-peer", action="store_true",
                        help="also time the run with school_reports: false (what the school "
                             "reports add)")
    parser.add_argument("--repeat", type=int, default=1,
                        help="with --run-only: the run and its peer without school reports "
                             "alternately this many times each, medians reported")
    parser.add_argument("--kernel-peer", action="store_true",
                        help="also time the run with a Jupyter kernel per notebook")
    parser.add_argument("--students", type=int,
                        help="the scale's shape with this many students (schools in proportion;"
                             " e.g. --scale national --students 6000000 for the time per "
                             "million rows between the province and the national scale); "
                             "the scale's targets are then not judged")
    args = parser.parse_args()
    print(f"machine: {platform.machine()}, {platform.processor() or ''} python "
          f"{platform.python_version()}")
    out = REPO / "benchmarks" / "out"
    out.mkdir(exist_ok=True)
    if args.xlsx:
        times = xlsx_read(args.xlsx)
        name = f"xlsx-{args.xlsx}"
    elif args.all_demo:
        folder = Path(tempfile.mkdtemp(prefix="eduqa-bench-"))
        for part in ("params", "notebooks", "data/raw"):
            shutil.copytree(REPO / part, folder / part)
        (folder / "reports").mkdir()
        seconds, peak, pss = cli_run(folder, ["--all"])
        times = {RUN.replace(f"{N_NOTEBOOKS} notebooks", f"4 seasons x {N_NOTEBOOKS} notebooks"): seconds,
                 "peak MB (eduqa run, whole process tree)": peak, PSS: pss}
        if args.school_peer:
            times.update(without_school_reports(folder, ["--all"], seconds))
        if args.kernel_peer:
            for season in list((folder / "reports").iterdir()):
                shutil.rmtree(season) if season.is_dir() else season.unlink()
            peer, _, _ = cli_run(folder, ["--all"], {"EDUQA_ENGINE": "kernel"})
            times["peer: eduqa run --all with EDUQA_ENGINE=kernel"] = peer
            times["x faster than the kernel run"] = peer / seconds
        name = "all-demo"
        shutil.rmtree(folder)
    else:
        folder = Path(tempfile.mkdtemp(prefix="eduqa-bench-"))
        if args.demo:
            for part in ("params", "notebooks", "data/raw"):
                shutil.copytree(REPO / part, folder / part)
            (folder / "reports").mkdir()
            root, season, name = folder, "2025-spring-g6", "demo"
        else:
            from eduqa.synth import write_scaled_project

            students, schools = SCALES[args.scale]
            if args.students:  # the same shape (students a school), another size
                schools = max(1, round(schools * args.students / students))
                students = args.students
            export = args.export or ("parquet" if args.scale in PARQUET_SCALES else "csv")
            started = time.perf_counter()
            root = write_scaled_project(folder, students, schools, notebooks=REPO / "notebooks",
                                        export=export)
            print(f"generated {students:,} students in {schools:,} schools ({export} export) "
                  f"in {time.perf_counter() - started:.1f} s (not counted)")
            season, name = "2025-spring-g9", args.scale
            if export == "long":
                name = f"{args.scale}-long"
            if args.students:
                name = f"{args.scale}-{students}"
        print(f"season {season} in {root}")
        if args.engine == "dask":
            times = run_only(root, season, "dask", 0 if args.demo else students,
                             peer=args.demo or args.scale not in PARQUET_SCALES)
            name = f"{name}-dask"
        else:
            times = (run_only(root, season, school_peer=args.school_peer, repeat=args.repeat)
                     if args.run_only else
                     stages(root, season, run=not args.no_run, kernel_peer=args.kernel_peer))
        shutil.rmtree(folder)
    print(f"\n{'stage':<40}{'value':>12}")
    for key, value in times.items():
        print(f"{key:<40}{value:>12.2f}")
    seconds_target, memory_target = (DASK_TARGETS.get(name.removesuffix("-dask"), (None, None))
                                     if name.endswith("-dask") else
                                     TARGETS.get(name, (None, None)))
    seconds = next((v for k, v in times.items() if k.startswith("season run")),
                   times.get("eduqa read (calamine)"))
    if seconds_target is not None and seconds is not None:
        print(f"target <= {seconds_target} s: "
              f"{'met' if seconds <= seconds_target else 'NOT met'} ({seconds:.1f} s)")
    if memory_target is not None and "peak MB (eduqa run, whole process tree)" in times:
        peak = times["peak MB (eduqa run, whole process tree)"]
        print(f"target peak <= {memory_target} MB: "
              f"{'met' if peak <= memory_target else 'NOT met'} ({peak:,.0f} MB)")
    (out / f"season-{name}.json").write_text(json.dumps(times, indent=2))


if __name__ == "__main__":
    sys.exit(main())
