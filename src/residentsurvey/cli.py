"""The ``residentsurvey`` command: a thin layer over the public API.

Exit codes: 0 success, 1 the job ran but found problems, 2 bad usage or input.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Sequence
from pathlib import Path

import pandas as pd

from . import __version__
from .analysis import SurveyDesign
from .errors import ResidentSurveyError

EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE = 0, 1, 2


def _format_estimates(table: pd.DataFrame, *, percent: bool) -> str:
    scale, unit, digits = (100.0, "%", 1) if percent else (1.0, "", 2)
    lines = []
    for row in table.itertuples(index=False):
        estimate = f"{row.estimate * scale:.{digits}f}{unit}"
        interval = f"({row.ci_lower * scale:.{digits}f} to {row.ci_upper * scale:.{digits}f})"
        lines.append(f"  {row.council:<18}{estimate:>8}  {interval:<18}{row.n:>7,}  {row.deff:>5.2f}")
    return "\n".join(lines)


def _demo(args: argparse.Namespace) -> int:
    from .demo import demo_design, demo_estimates, write_demo_outputs

    started = time.perf_counter()
    design = demo_design(seed=args.seed, wave=args.wave)
    estimates = demo_estimates(design, level=args.level)
    paths = write_demo_outputs(estimates, Path(args.out))
    councils = design.data["council"].nunique()
    print(f"residentsurvey {__version__} demo: a synthetic consortium of {councils} councils, wave {args.wave}, "
          f"{design.n:,} respondents (seed {args.seed})")
    print(f"Design: {design!r}")
    print(f"Estimates with {args.level:.0%} confidence intervals; n = respondents in the base "
          "(don't know excluded); deff = design effect.")
    for indicator, table in estimates.groupby("indicator", sort=False):
        print(f"\n{table['label'].iloc[0]}")
        print(f"  {'council':<18}{'estimate':>8}  {'interval':<18}{'n':>7}  {'deff':>5}")
        print(_format_estimates(table, percent=table["label"].iloc[0].startswith("%")))
    print("\nWeights are design weights only (no nonresponse adjustment or calibration yet).")
    for path in paths:
        print(f"Wrote {path}")
    print(f"Done in {time.perf_counter() - started:.1f} s.")
    return EXIT_OK


def _estimate(args: argparse.Namespace) -> int:
    path = Path(args.returns)
    if not path.exists():
        raise ResidentSurveyError(f"{path}: no such file.")
    readers = {".csv": pd.read_csv, ".parquet": pd.read_parquet, ".xlsx": pd.read_excel}
    if path.suffix.lower() not in readers:
        raise ResidentSurveyError(f"{path}: cannot read {path.suffix!r} files here; use .csv, .xlsx or .parquet.")
    data = readers[path.suffix.lower()](path)
    design = SurveyDesign(data, weights=args.weights, strata=args.strata, psu=args.psu, fpc=args.fpc,
                          nest=args.nest, lonely_psu=args.lonely_psu)
    tables = []
    if args.mean:
        tables.append(design.mean(args.mean, by=args.by, level=args.level).assign(statistic="mean"))
    for variable in args.proportion or []:
        tables.append(design.proportion(variable, by=args.by, ci_method=args.ci_method, level=args.level)
                      .assign(statistic="proportion"))
    if not tables:
        raise ResidentSurveyError("nothing to estimate: give --mean and/or --proportion with column names.")
    result = pd.concat(tables, ignore_index=True)
    if args.out:
        result.to_csv(args.out, index=False)
        print(f"Wrote {len(result)} rows to {args.out}")
    else:
        result.to_csv(sys.stdout, index=False)
    return EXIT_OK


def build_parser() -> argparse.ArgumentParser:
    """The argument parser (exposed for documentation and tests)."""
    parser = argparse.ArgumentParser(prog="residentsurvey", description=__doc__.splitlines()[0])
    parser.add_argument("--version", action="version", version=f"residentsurvey {__version__}")
    commands = parser.add_subparsers(dest="command", required=True)

    demo = commands.add_parser("demo", help="council estimates from the bundled synthetic consortium")
    demo.add_argument("--seed", type=int, default=2026, help="seed of the synthetic consortium (default 2026)")
    demo.add_argument("--wave", type=int, default=1, choices=(1, 2), help="survey wave (default 1)")
    demo.add_argument("--level", type=float, default=0.95, help="confidence level (default 0.95)")
    demo.add_argument("--out", default="demo-output", help="folder for the outputs (default demo-output)")
    demo.set_defaults(run=_demo)

    estimate = commands.add_parser("estimate", help="means and proportions with CIs from a returns file")
    estimate.add_argument("returns", help="returns file (.csv, .xlsx or .parquet), one row per respondent")
    estimate.add_argument("--weights", help="weights column")
    estimate.add_argument("--strata", nargs="+", help="strata column(s), one per stage")
    estimate.add_argument("--psu", nargs="+", help="cluster column(s), one per stage")
    estimate.add_argument("--fpc", nargs="+", help="fpc column(s), one per stage")
    estimate.add_argument("--nest", action="store_true", help="PSU labels are unique only within strata")
    estimate.add_argument("--lonely-psu", default="fail", help="fail, remove, certainty, adjust or average")
    estimate.add_argument("--by", nargs="+", help="domain column(s), e.g. council")
    estimate.add_argument("--mean", nargs="+", help="numeric columns to average")
    estimate.add_argument("--proportion", nargs="+", help="columns whose category shares to estimate")
    estimate.add_argument("--ci-method", default="logit", help="interval for proportions (default logit)")
    estimate.add_argument("--level", type=float, default=0.95, help="confidence level (default 0.95)")
    estimate.add_argument("--out", help="write CSV here instead of standard output")
    estimate.set_defaults(run=_estimate)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``residentsurvey`` command; returns the exit code."""
    args = build_parser().parse_args(argv)
    try:
        return args.run(args)
    except ResidentSurveyError as error:
        print(f"residentsurvey {args.command}: {error}", file=sys.stderr)
        return EXIT_USAGE


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
