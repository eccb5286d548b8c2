"""Command line: ``eduqa run``, ``eduqa validate``, ``eduqa clean``, ``eduqa synth``.

Problems the user can fix are printed as plain messages (file, row, column, what to do) with a
non-zero exit; a traceback is shown only with ``--debug``.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from . import __version__
from .errors import EduqaError

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
    commands = parser.add_subparsers(dest="command", required=True)

    run = commands.add_parser("run", help="run the notebooks of seasons and build their reports")
    run.add_argument("seasons", nargs="*", help="season ids, e.g. 2025-spring-g9")
    run.add_argument("--all", action="store_true", help="every season in params/")

    validate = commands.add_parser("validate", help="check params and raw files without "
                                                    "running the notebooks")
    validate.add_argument("seasons", nargs="*")
    validate.add_argument("--all", action="store_true")

    clean = commands.add_parser("clean", help="run only the clean step (raw -> processed)")
    clean.add_argument("seasons", nargs="*")
    clean.add_argument("--all", action="store_true")

    scaffold = commands.add_parser("new-season", help="create params/<season>.yaml and "
                                                      "data/raw/<season>/ from an earlier season")
    scaffold.add_argument("season", help="the new season id, e.g. 2026-spring-g6")
    scaffold.add_argument("--from", dest="source", required=True,
                          help="an existing season to copy settings from")

    synth = commands.add_parser("synth", help="regenerate the demo county's raw files")
    synth.add_argument("--out", default="data/raw", help="folder to write (default data/raw)")
    synth.add_argument("--seed", type=int, default=None)
    return parser


def _seasons(project, args) -> list[str]:
    if args.all:
        seasons = project.season_ids()
        if not seasons:
            raise EduqaError(f"no season params found in {project.params_dir}")
        return seasons
    if not args.seasons:
        raise EduqaError("name at least one season (e.g. eduqa run 2025-spring-g9) or use --all")
    return list(args.seasons)


def _validate(project, seasons: Sequence[str]) -> None:
    from .clean import clean_season
    from .params import load_season

    for season in seasons:
        params = load_season(project, season)
        result = clean_season(params)
        summary = result.summary
        changed = int(result.log["action"].isin(
            ["recode", "status", "set_invalid", "recompute_total"]).sum())
        print(f"{season}: OK — {summary['rows_in']:,} rows read, {summary['rows_kept']:,} kept, "
              f"{summary['rows_excluded']:,} excluded; {summary['students']:,} students in "
              f"{summary['schools']} schools; {changed:,} cells recoded or marked "
              f"(see the cleaning log after eduqa run)")


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        if args.command == "synth":
            from .synth import SEED, write_demo_county

            write_demo_county(args.out, seed=args.seed if args.seed is not None else SEED)
            print(f"demo county written to {args.out}")
            return 0
        from .paths import Project

        project = Project.find(args.project)
        if args.command == "new-season":
            from .scaffold import new_season

            params_file, folder = new_season(project, args.season, args.source)
            print(f"created {params_file} and {folder}/ (see README.txt there).\n"
                  f"Next: copy the season's files into {folder}/, check {params_file.name}, "
                  f"then run: eduqa validate {args.season}")
            return 0
        seasons = _seasons(project, args)
        if args.command == "validate":
            _validate(project, seasons)
        elif args.command == "clean":
            from .clean import run_clean

            for season in seasons:
                result = run_clean(season, project.root)
                print(f"{season}: {result.n_rows_kept:,} of {result.n_rows_in:,} rows kept; "
                      f"written to {project.processed_season(season)}")
        elif args.command == "run":
            from .report import run_seasons

            run_seasons(project, seasons)
        return 0
    except EduqaError as exc:
        if args.debug:
            raise
        print(f"eduqa: error: {exc}", file=sys.stderr)
        return EXIT_USER_ERROR
    except KeyboardInterrupt:
        print("eduqa: interrupted", file=sys.stderr)
        return 130
    except Exception as exc:  # an eduqa bug: say so plainly, keep the details for --debug
        if args.debug:
            raise
        print(f"eduqa: internal error ({type(exc).__name__}: {exc}).\n  This is a bug in eduqa, "
              "not in your files. Rerun with --debug and report the output.", file=sys.stderr)
        return EXIT_INTERNAL


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
