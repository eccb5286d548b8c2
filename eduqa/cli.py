"""Command line: ``eduqa run``, ``eduqa validate``, ``eduqa clean``, ``eduqa init``,
``eduqa new-season``, ``eduqa update-notebooks``, ``eduqa synth``.

Problems the user can fix are printed as plain messages (file, row, column, what to do) with a
non-zero exit; a traceback is shown only with ``--debug``. Messages are in Chinese unless
``--lang en``, ``EDUQA_LANG=en`` or ``language: en`` in ``params/county.yaml`` says otherwise.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence

from eduqa import __version__
from eduqa.catalog import say
from eduqa.errors import EduqaError

__all__ = ["main"]

EXIT_USER_ERROR = 2
EXIT_INTERNAL = 3


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="eduqa", description="Exam-quality analysis for county education bureaus.")
    parser.add_argument("--version", action="version", version=f"eduqa {__version__}")
    parser.add_argument("--project", help="project folder (default: found from the current "
                                          "folder)")
    parser.add_argument("--debug", action="store_true", help="show tracebacks")
    parser.add_argument("--demo-key", action="store_true",
                        help="hash student ids with the public demo key when EDUQA_SALT is "
                             "not set (a trial run only: such keys can be reversed)")
    parser.add_argument("--lang", choices=["zh", "en"], default=None,
                        help="language of messages (default: EDUQA_LANG, else the county's "
                             "report language, else zh)")
    commands = parser.add_subparsers(dest="command", required=True)

    run = commands.add_parser("run", help="run the notebooks of seasons and build their reports")
    run.add_argument("seasons", nargs="*", help="season ids, e.g. 2025-spring-g9")
    run.add_argument("--all", action="store_true", help="every season in params/")
    run.add_argument("--engine", choices=["pandas", "dask"], default=None,
                     help="where to compute: pandas in this process, or a Dask cluster "
                          "(default: engine in params/county.yaml, else pandas)")
    run.add_argument("--scheduler", default=None, metavar="ADDRESS",
                     help="address of a running Dask scheduler, e.g. tcp://10.0.0.5:8786 "
                          "(with --engine dask; default: a LocalCluster on this machine). "
                          "tls:// takes its credentials from dask.tls_* in county.yaml or "
                          "Dask's own settings")
    run.add_argument("--insecure", action="store_true",
                     help="accept a plain tcp:// scheduler (no encryption, no "
                          "authentication): only on a network you trust")
    run.add_argument("--dashboard", action="store_true",
                     help="serve Dask's dashboard of the run's own cluster (on 127.0.0.1)")

    validate = commands.add_parser("validate", help="check params and raw files without "
                                                    "running the notebooks")
    validate.add_argument("seasons", nargs="*")
    validate.add_argument("--all", action="store_true")

    clean = commands.add_parser("clean", help="run only the clean step (raw -> processed)")
    clean.add_argument("seasons", nargs="*")
    clean.add_argument("--all", action="store_true")

    scaffold = commands.add_parser("new-season", help="create params/<season>.yaml and "
                                                      "data/raw/<season>/ (from an earlier "
                                                      "season, or from the season id)")
    scaffold.add_argument("season", help="the new season id, e.g. 2026-spring-g6")
    scaffold.add_argument("--from", dest="source", default=None,
                          help="an existing season to copy settings from (default: none; the "
                               "grade's usual subjects are written, to be checked)")

    init = commands.add_parser("init", help="start a county's project: params/county.yaml, "
                                            "an empty roster, the folders")
    init.add_argument("folder", nargs="?", default=None,
                      help="project folder (default: --project, else the current folder)")
    init.add_argument("--county", required=True, help=say("cli.help.county", "en"))
    init.add_argument("--report-lang", dest="report_language", choices=["zh", "en"],
                      default="zh", help="language of the reports (default zh)")
    init.add_argument("--remove-demo", action="store_true",
                      help=say("cli.help.remove_demo", "en"))

    commands.add_parser("update-notebooks",
                        help="replace the project's notebooks with this eduqa's (the old ones "
                             "are kept in notebooks/old-<n>/)")

    synth = commands.add_parser("synth", help="regenerate the demo county's raw files")
    synth.add_argument("--out", default="data/raw", help="folder to write (default data/raw)")
    synth.add_argument("--seed", type=int, default=None)
    return parser


def _seasons(project, args) -> list[str]:
    if args.all:
        seasons = project.season_ids()
        if not seasons:
            raise EduqaError.of("cli.seasons.no_season_params_found", params_dir=project.params_dir)
        return seasons
    if not args.seasons:
        raise EduqaError.of("cli.seasons.name_at_least_one")
    from eduqa.config.paths import check_season_id

    return [check_season_id(season) for season in args.seasons]  # all, before anything runs


def _language(args) -> str:
    """--lang, else EDUQA_LANG, else ``language`` of params/county.yaml, else zh."""
    if args.lang:
        return args.lang
    if os.environ.get("EDUQA_LANG") in ("zh", "en"):
        return os.environ["EDUQA_LANG"]
    try:
        from eduqa.config.params import peek_language
        from eduqa.config.paths import Project

        return peek_language(Project.find(args.project).params_dir / "county.yaml")
    except Exception:  # no project or an unreadable file: the error itself is reported later
        return "zh"


def _say(language: str, key: str, /, **fields: object) -> None:
    """Print the catalog's message ``key`` in ``language``."""
    print(say(key, language, **fields))


def _warn(language: str, findings) -> None:
    from eduqa.project.checks import warnings

    for finding in warnings(findings):
        note = finding.severity == "note"
        _say(language, "cli.note" if note else "cli.warning",
             finding=finding.render(language).replace("\n", "\n  "))


def _validate(project, seasons: Sequence[str], language: str) -> bool:
    """Check each season (params, raw files, :func:`eduqa.project.checks.season_checks`) without
    writing anything; prints one line per season and its warnings. False when any failed."""
    from eduqa.config.params import load_county, load_season
    from eduqa.intake.clean import clean_season
    from eduqa.project.checks import SeasonCheckError, has_errors, season_checks, warnings

    passed = True
    county = load_county(project)  # a problem of county.yaml is named once, not per season
    for season in seasons:  # every season checked, also after one failed
        try:
            params = load_season(project, season, county)
            result = clean_season(params)
        except EduqaError as problem:
            if len(seasons) == 1:
                raise
            passed = False
            print(say("cli.validate.eduqa_error", language)
                  + f"{season}: " + problem.render(language), file=sys.stderr)
            continue
        findings = season_checks(params, result)
        summary = result.summary
        if has_errors(findings):
            passed = False
            print(say("cli.validate.eduqa_error", language)
                  + SeasonCheckError(season, findings).render(language), file=sys.stderr)
            continue
        changed = int(result.log["action"].isin(
            ["recode", "status", "set_invalid", "recompute_total"]).sum())
        warned = len(warnings(findings))
        print(say("cli.validate.ok", language, season=season, rows_in=summary["rows_in"],
                  rows_kept=summary["rows_kept"], rows_excluded=summary["rows_excluded"],
                  schools=summary["schools"], students=summary["students"], changed=changed)
              + (say("cli.validate.warnings", language, warned=warned) if warned
                                                            else ""))
        _warn(language, findings)
    return passed


def _init(args, language: str) -> int:
    """``eduqa init``: start a county's project and say what to do next."""
    from pathlib import Path

    from eduqa.project.scaffold import eduqa_command, init_project

    folder = Path(args.folder or args.project or os.getcwd())
    kept: list[str] = []
    project = init_project(folder, args.county, language=args.report_language,
                           remove_demo=args.remove_demo, report_kept=kept)
    roster = project.raw / "schools.csv"
    if kept:
        from eduqa.errors import listed

        _say(language, "cli.init.demo_removed", kept=listed(kept, language))
    command = f"{eduqa_command(project.root)} new-season 2026-spring-g6"
    here = project.root.resolve() == Path.cwd().resolve()
    step_zh = command if here else f"cd {project.root} && {command}"
    _say(language, "cli.init.created", county=args.county,
         county_yaml=project.params_dir / "county.yaml", roster=roster, step=step_zh)
    return 0


def _update_notebooks(project, language: str) -> None:
    from eduqa.project.scaffold import update_notebooks

    kept, written = update_notebooks(project)
    if not written:
        _say(language, "cli.update_notebooks.nothing_to_update")
        return
    where = "" if kept is None else str(kept)
    print(say("cli.update_notebooks.updated", language, written=list(written))
          + (say("cli.update_notebooks.kept", language, where=where) if where else ""))


def _well_formed(seasons: Sequence[str]) -> bool:
    """Whether every season id named looks like one (the full check, with its message, is
    :func:`eduqa.config.paths.check_season_id`, later)."""
    from eduqa.config.paths import SEASON_ID_PATTERN

    return all(SEASON_ID_PATTERN.fullmatch(season) for season in seasons)


def main(argv: Sequence[str] | None = None) -> int:
    from eduqa.project.papermill_runner import skip_slow_imports

    skip_slow_imports()
    args = _parser().parse_args(argv)
    if args.command == "run" and _well_formed(args.seasons):
        # before the imports below: the workers import meanwhile (not for a season id that
        # will be refused: nothing is started for it)
        from eduqa.project.papermill_runner import start_workers

        start_workers()
    language = _language(args)
    if args.demo_key:
        os.environ["EDUQA_DEMO_KEY"] = "1"  # read by the clean step, also in notebook kernels
    try:
        if args.command == "synth":
            from eduqa.project.scaffold import write_demo

            write_demo(args.out, seed=args.seed)
            _say(language, "cli.synth.written", out=args.out)
            return 0
        from eduqa.config.paths import Project

        if args.command == "init":
            return _init(args, language)
        project = Project.find(args.project)
        if args.command == "update-notebooks":
            _update_notebooks(project, language)
            return 0
        if args.command == "new-season":
            from eduqa.project.scaffold import (  # it checks both season ids first
                eduqa_command,
                new_season,
            )

            params_file, folder = new_season(project, args.season, args.source)
            command = f"{eduqa_command(project.root)} validate {args.season}"
            _say(language, "cli.new_season.created", params_file=params_file, folder=folder,
                 params_name=params_file.name, command=command)
            return 0
        seasons = _seasons(project, args)
        if args.command == "validate":
            if not _validate(project, seasons, language):
                return EXIT_USER_ERROR
        elif args.command == "clean":
            from eduqa.project.pipeline import run_clean

            for season in seasons:
                result = run_clean(season, project.root)
                _say(language, "cli.clean.done", season=season, rows_in=result.n_rows_in,
                     rows_kept=result.n_rows_kept, folder=project.processed_season(season))
        elif args.command == "run":
            from eduqa.project.build import run_seasons

            run_seasons(project, seasons, language=language, engine=args.engine,
                        scheduler=args.scheduler, insecure=args.insecure,
                        dashboard=args.dashboard)
        return 0
    except EduqaError as exc:
        if args.debug:
            raise
        prefix = say("cli.main.eduqa_error", language)
        print(prefix + exc.render(language), file=sys.stderr)
        return EXIT_USER_ERROR
    except KeyboardInterrupt:
        print(say("cli.main.eduqa_interrupted", language), file=sys.stderr)
        return 130
    except Exception as exc:  # an eduqa bug: say so plainly, keep the details for --debug
        from eduqa.config.storage import storage_error

        plain = storage_error(exc) if isinstance(exc, OSError) else None
        if plain is not None and not args.debug:  # a read-only folder, a full disk
            prefix = say("cli.main.eduqa_error", language)
            print(prefix + plain.render(language), file=sys.stderr)
            return EXIT_USER_ERROR
        if args.debug:
            raise
        print(say("cli.main.internal_error", language, kind=type(exc).__name__, error=exc),
              file=sys.stderr)
        return EXIT_INTERNAL


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
