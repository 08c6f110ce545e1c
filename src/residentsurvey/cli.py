"""The ``residentsurvey`` command: a thin layer over the public API.

Exit codes: 0 success, 1 the job ran but found problems (or the reader of its output, e.g. ``head``,
closed the pipe), 2 bad usage or input.
"""

from __future__ import annotations

import argparse
import os
import sys
import warnings
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from . import __version__
from .errors import DesignWarning, ResidentSurveyError, ResidentSurveyWarning

if TYPE_CHECKING:  # pandas and the estimators load in the commands that use them: `--help` stays fast
    import pandas as pd

    from .analysis import SurveyDesign

EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE = 0, 1, 2


HEADLINES = ("satisfied_area", "satisfied_council", "trust_council", "safe_after_dark", "mean_life_satisfaction",
             "mean_swemwbs")


def _format_rows(table: pd.DataFrame) -> str:
    """One line per area: estimate and interval, base, flag, against the consortium, rank interval, change."""
    import pandas as pd
    lines = [f"  {'area':<17}{'estimate':>9}  {'95% interval':<16}{'n':>6}  {'vs all councils':<26}{'rank':<7}change"]
    for row in table.itertuples(index=False):
        share = row.statistic == "share"
        scale, digits, unit = (100.0, 1, "%") if share else (1.0, 2, "")
        if row.flag == "suppressed":
            estimate, interval = "  -", "suppressed"
        else:
            estimate = f"{row.estimate * scale:.{digits}f}{unit}"
            interval = f"{row.ci_lower * scale:.{digits}f}-{row.ci_upper * scale:.{digits}f}"
        rank = "" if pd.isna(row.rank) else f"{row.rank_lower}-{row.rank_upper}" if row.rank_lower != row.rank_upper else f"{row.rank}"
        caution = " (caution)" if row.flag == "caution" else ""
        lines.append(f"  {row.area:<17}{estimate:>9}  {interval:<16}{row.n:>6,}  {row.vs_consortium_verdict + caution:<26}"
                     f"{rank:<7}{row.change_verdict}"
                     + (f": {row.comparability}" if row.change_verdict == "not comparable" and row.comparability else ""))
    return "\n".join(lines)


def _demo(args: argparse.Namespace) -> int:
    from .demo import run_demo, write_demo_returns

    if args.returns:
        paths = write_demo_returns(args.returns, seed=args.seed)
        for path in paths:
            print(f"Wrote {path}")
        folder = Path(args.returns)
        print(f"\nTry, for example:\n"
              f"  residentsurvey validate {folder / 'demo-wave1.sav'} -q core-v1\n"
              f"  residentsurvey weight {folder / 'demo-wave1.xlsx'} -q core-v1 --targets {folder / 'demo_targets.csv'} "
              f"--by council --weights design_weight --out {folder / 'weighted-wave1.sav'}\n"
              f"  residentsurvey estimate {folder / 'demo-wave1.csv'} -q core-v1 --weights design_weight "
              f"--by council --proportion q_satisfied_area\n"
              f"  residentsurvey report {folder / 'report.yaml'}")
        return EXIT_OK
    print(f"residentsurvey {__version__} demo: five councils, two waves (core-v1, core-v2), seed {args.seed}")
    result = run_demo(seed=args.seed, out_dir=Path(args.out), level=args.level, progress=lambda line: print(f"- {line}"))
    for wave, report in result.validation.items():
        design = result.designs[wave]
        record = design.calibration
        summary = design.weighting_summary(by="council")
        found = "; ".join(f"{row.problems} {row.severity}(s) {row.check.replace('_', ' ')} in {row.columns}: "
                          f"{row.description}" for row in report.summary().itertuples()) or "no problems found"
        print(f"\nWave {wave}: {design.n:,} respondents. Validation: {found}. "
              f"Weights raked to {', '.join(m.variable for m in record.targets.margins)} "
              f"in {record.iterations} iterations; Kish deff {summary['kish_deff'].min():.2f}-"
              f"{summary['kish_deff'].max():.2f} across councils.")
    table = result.table
    latest = table[table["wave"] == table["wave"].max()]
    print(f"\nWave {latest['wave'].iloc[0]} headline indicators (all {table['indicator'].nunique()} are in the outputs). "
          "'vs all councils' allows for comparing every council at once (Bonferroni), the rule the funnel plots "
          "draw; rank is the interval of ranks a council could hold among the councils (1 = best: the lowest for "
          "anxiety), a different question; change is against wave 1 where the questions are comparable.")
    for indicator in HEADLINES:
        rows = latest[latest["indicator"] == indicator]
        if len(rows):
            print(f"\n{rows['label'].iloc[0]}")
            print(_format_rows(rows))
    for notice in table.attrs.get("notices", []):
        print(f"\n{notice}")
    print()
    for path in result.paths:
        print(f"Wrote {path}")
    print(f"Done in {result.seconds:.1f} s.")
    return EXIT_OK


def _estimate(args: argparse.Namespace) -> int:
    import pandas as pd

    from .analysis import SurveyDesign
    from .returns import mask_missing_codes

    data, questionnaire, _ = _read_returns(args)
    wanted = [*(args.mean or []), *(args.proportion or [])]
    if questionnaire is not None:
        questions = [c for c in wanted if c in questionnaire.item_columns]
        masked = mask_missing_codes(data, questionnaire, columns=questions)
        data = masked.data
        print(masked.describe(), file=sys.stderr)
    elif wanted:
        print("Note: without --questionnaire every code counts as an answer, don't know and refused included; "
              "give -q NAME to leave the questionnaire's missing codes out of the base.", file=sys.stderr)
    design = SurveyDesign(data, weights=args.weights, strata=args.strata, psu=args.psu, fpc=args.fpc,
                          nest=args.nest, lonely_psu=args.lonely_psu)
    tables = []
    if args.mean:
        tables.append(design.mean(args.mean, by=args.by, level=args.level).assign(statistic="mean"))
    for variable in args.proportion or []:
        shares = design.proportion(variable, by=args.by, ci_method=args.ci_method, level=args.level)
        if questionnaire is not None and variable in questionnaire.item_columns:
            labels = questionnaire.item_columns[variable].labels
            shares = shares.assign(label=shares["category"].map(lambda c: labels.get(int(c), "") if pd.notna(c)
                                                                  and float(c).is_integer() else ""))
        tables.append(shares.assign(statistic="proportion"))
    if not tables:
        raise ResidentSurveyError("nothing to estimate: give --mean and/or --proportion with column names.")
    result = pd.concat(tables, ignore_index=True)
    if args.out:
        result.to_csv(args.out, index=False)
        print(f"Wrote {len(result)} rows to {args.out}")
    else:
        result.to_csv(sys.stdout, index=False)
    return EXIT_OK


def _plan(args: argparse.Namespace) -> int:
    from .costshare import core_check, cost_statement, write_statement
    from .costshare.plan import format_plan, read_plan, run_plan

    result = run_plan(read_plan(args.plan), method=args.method, samples=args.samples, seed=args.seed)
    core = core_check(result.consortium, result.shares) if len(result.consortium.councils) <= 20 else None
    if args.csv:
        table = result.samples.merge(result.shares, on="council")
        table.to_csv(sys.stdout, index=False)
    else:
        print(format_plan(result, core=core))
    if args.statement:
        path = write_statement(cost_statement(result.consortium, samples=args.samples, seed=args.seed), args.statement)
        print(f"Wrote {path}", file=sys.stderr if args.csv else sys.stdout)
    return EXIT_OK if core is None or core.attrs["in_core"] else EXIT_PROBLEMS


def _read_table(path: Path) -> tuple[pd.DataFrame, object | None]:
    """A returns or targets file as a DataFrame (and pyreadstat metadata for .sav files)."""
    import pandas as pd
    if not path.exists():
        raise ResidentSurveyError(f"{path}: no such file.")
    suffix = path.suffix.lower()
    if suffix == ".sav":
        import pyreadstat

        # user_missing=True keeps don't know / refused codes as values: nothing is blanked on the way through
        data, meta = pyreadstat.read_sav(str(path), user_missing=True)
        return data, meta
    readers = {".csv": pd.read_csv, ".parquet": pd.read_parquet, ".xlsx": pd.read_excel}
    if suffix not in readers:
        raise ResidentSurveyError(f"{path}: cannot read {path.suffix!r} files; use .csv, .xlsx, .parquet or .sav.")
    return readers[suffix](path), None


def _read_returns(args: argparse.Namespace):
    """The returns (in codes when the questionnaire is given), the questionnaire (or None), .sav metadata."""
    from .questionnaire import load_questionnaire
    from .returns import read_returns

    if args.questionnaire:
        questionnaire = load_questionnaire(args.questionnaire)
        if not Path(args.returns).exists():
            raise ResidentSurveyError(f"{args.returns}: no such file.")
        return read_returns(args.returns, questionnaire), questionnaire, None
    data, meta = _read_table(Path(args.returns))
    return data, None, meta


def _sav_codes(data: pd.DataFrame, meta: object) -> tuple[pd.DataFrame, dict]:
    """A .sav file read without a questionnaire: labelled columns of whole numbers as Int64 codes, and their labels."""
    import pandas as pd
    labels = {str(k): {int(c): str(v) for c, v in frame.items() if float(c).is_integer()}
              for k, frame in (getattr(meta, "variable_value_labels", None) or {}).items()}
    out = data.copy()
    for column in labels:
        if column in out.columns and pd.api.types.is_float_dtype(out[column].dtype):
            values = out[column].dropna()
            if (values == values.round()).all():
                out[column] = out[column].astype("Int64")
    return out, labels


def _write_returns(data: pd.DataFrame, path: Path, questionnaire, meta: object | None,
                   labels: dict[str, str]) -> None:
    """Write returns; a .sav always carries variable and value labels (from the questionnaire or the input .sav)."""
    suffix = path.suffix.lower()
    if suffix == ".sav":
        if questionnaire is not None:
            from .returns import write_sav

            write_sav(data, path, questionnaire, variable_labels=labels)
            return
        import pyreadstat

        column_labels = dict(getattr(meta, "column_names_to_labels", {}) or {}) | labels
        value_labels = dict(getattr(meta, "variable_value_labels", {}) or {})
        missing = dict(getattr(meta, "missing_ranges", {}) or {})
        pyreadstat.write_sav(data, str(path), file_label=getattr(meta, "file_label", None) or None,
                             column_labels={c: column_labels[c] for c in data.columns if column_labels.get(c)},
                             variable_value_labels={k: v for k, v in value_labels.items() if k in data.columns},
                             missing_ranges={k: v for k, v in missing.items() if k in data.columns})
    elif suffix == ".parquet":
        data.to_parquet(path, index=False)
    elif suffix == ".csv":
        data.to_csv(path, index=False)
    else:
        raise ResidentSurveyError(f"{path}: cannot write {path.suffix!r} files; use .sav, .csv or .parquet.")


def _with_replicates(args: argparse.Namespace, calibrated: SurveyDesign,
                     out: pd.DataFrame) -> tuple[pd.DataFrame, dict[str, str]]:
    """Replicate weights with the whole weighting re-run in each (``weight --replicates``), their labels, a sidecar."""
    import pandas as pd

    boot = args.replicates in ("bootstrap", "subbootstrap")
    replicated = calibrated.replicate(args.replicates, replicates=args.replicates_n if boot else None, seed=args.seed)
    prefix = f"{args.weight_column}_rep"
    columns = replicated.replicate_weights
    columns.columns = [f"{prefix}{r + 1}" for r in range(columns.shape[1])]
    out = pd.concat([out, columns.set_index(out.index)], axis=1)
    labels = {c: f"{args.replicates} replicate {r + 1} of {columns.shape[1]} ({args.weight_column}, re-weighted)"
              for r, c in enumerate(columns.columns)}
    scales = replicated.replicate_scales(prefix, weights=args.weight_column)
    sidecar = Path(args.out).with_suffix(".replicates.csv")
    scales.to_csv(sidecar, index=False)
    print(f"Wrote {columns.shape[1]} {args.replicates} replicate weight columns ({prefix}1..) with the weighting "
          f"re-run in each; scale {replicated.scale:.6g}, rscales and the R call in {sidecar}:\n  {scales['r_call'][0]}")
    return out, labels


def _weight(args: argparse.Namespace) -> int:
    from .analysis import SurveyDesign
    from .report import plot_weight_distribution
    from .weighting import targets_as_codes

    out_path = Path(args.out)
    if out_path.suffix.lower() not in (".sav", ".csv", ".parquet"):
        raise ResidentSurveyError(f"{out_path}: cannot write {out_path.suffix!r} files; use .sav, .csv or .parquet.")
    data, questionnaire, meta = _read_returns(args)
    if out_path.suffix.lower() == ".sav" and questionnaire is None and meta is None:
        raise ResidentSurveyError(f"{out_path}: a .sav file needs variable and value labels, and {args.returns} has "
                                  "none: give the questionnaire (-q core-v1) to label it, or write .csv or .parquet.")
    targets, _ = _read_table(Path(args.targets))
    if questionnaire is not None:  # targets by label or by code, returns in codes: one form for both
        targets = targets_as_codes(targets, questionnaire)
    elif meta is not None:  # a .sav without a questionnaire: its own value labels translate the targets
        data, frames = _sav_codes(data, meta)
        targets = targets_as_codes(targets, frames)
    with warnings.catch_warnings():  # without --weights every respondent starts at 1, as the help says
        warnings.simplefilter("ignore", DesignWarning)
        design = SurveyDesign(data, weights=args.weights, strata=args.strata, psu=args.psu)
    calibrated = design.calibrate(targets, method=args.method, by=args.by,
                                  bounds=tuple(args.bounds) if args.bounds else None, max_iter=args.max_iter)
    if args.trim:
        calibrated = calibrated.trim(upper=args.trim)
    out = data.copy()
    out[args.weight_column] = calibrated.weights.to_numpy()
    record = calibrated.calibration
    label = (f"Calibrated weight: {record.method} to {', '.join(m.variable for m in record.targets.margins)}"
             + (f" within {', '.join(args.by)}" if args.by else ""))
    labels = {args.weight_column: label}
    if args.replicates:
        out, replicate_labels = _with_replicates(args, calibrated, out)
        labels.update(replicate_labels)
    _write_returns(out, out_path, questionnaire, meta, labels)
    summary = calibrated.weighting_summary(by=args.by)
    margins = calibrated.achieved_margins()
    print(f"Calibrated {len(out):,} respondents by {record.method} to {', '.join(m.variable for m in record.targets.margins)}"
          f"{' within each ' + ', '.join(args.by) if args.by else ''}: {record.iterations} iterations, "
          f"largest relative error on any target {record.max_error:.1e}"
          + (f", trimmed at {args.trim} x the mean weight in {record.trimming['rounds']} rounds" if args.trim else "")
          + ".")
    columns = [*(args.by or []), "n", "zero_weights", "negative_weights", "sum_weights", "min_weight", "max_weight",
               "kish_deff", "effective_n", "min_ratio", "max_ratio"]
    print(summary[columns].to_string(index=False, float_format=lambda v: f"{v:,.2f}"))
    if summary["zero_weights"].sum():
        print(f"{int(summary['zero_weights'].sum()):,} respondent(s) have weight 0 and count in no estimate "
              "(zero_weights above); give them a starting weight, or leave them out of the returns, if that is wrong.")
    print(f"Wrote {args.out} (weights in column {args.weight_column!r})")
    if args.report:
        folder = Path(args.report)
        folder.mkdir(parents=True, exist_ok=True)
        summary.to_csv(folder / "weighting_summary.csv", index=False)
        margins.to_csv(folder / "achieved_margins.csv", index=False)
        figure = plot_weight_distribution(calibrated, by=args.by[0] if args.by else None)
        figure.savefig(folder / "weights.png", dpi=110)
        print(f"Wrote the weighting report to {folder}/ (weighting_summary.csv, achieved_margins.csv, weights.png)")
    return EXIT_OK


def _validate(args: argparse.Namespace) -> int:
    from .questionnaire import load_questionnaire
    from .returns import read_returns, validate_returns

    questionnaire = load_questionnaire(args.questionnaire)
    report = validate_returns(read_returns(args.returns, questionnaire, mode=args.mode, sheets=args.sheet),
                              questionnaire)
    if args.csv:
        report.problems.to_csv(sys.stdout, index=False)
    else:
        print(report)
    if args.out:
        (report.to_excel if Path(args.out).suffix.lower() == ".xlsx" else report.to_csv)(args.out)
        print(f"Wrote {len(report.problems):,} problems to {args.out}", file=sys.stderr if args.csv else sys.stdout)
    return EXIT_OK if (report.clean if args.strict else report.ok) else EXIT_PROBLEMS


def _diff(args: argparse.Namespace) -> int:
    from .questionnaire import load_questionnaire

    old, new = load_questionnaire(args.old), load_questionnaire(args.new)
    table = old.diff(new)
    shown = table if args.all else table[table["change"] != "unchanged"]
    if args.csv:
        shown.to_csv(sys.stdout, index=False)
        return EXIT_OK
    print(f"{old.name} (sha256 {old.sha256[:12]}) -> {new.name} (sha256 {new.sha256[:12]}): "
          f"{len(shown)} change(s){'' if args.all else ' (unchanged items and indicators not shown; --all shows them)'}")
    for level, rows in shown.groupby("level", sort=False):
        print(f"\n{level}s:")
        for row in rows.itertuples(index=False):
            print(f"  {row.id:<28}{row.change:<20}{row.verdict:<27}{row.detail}")
    overall = table.drop_duplicates(["level", "id"]).groupby(["level", "overall"]).size()
    print("\nVerdicts: " + "; ".join(f"{n} {level}s {verdict}" for (level, verdict), n in overall.items()))
    return EXIT_OK


#: Codebook files by suffix: the format each holds.
CODEBOOK_SUFFIXES = {".md": "markdown", ".markdown": "markdown", ".html": "html", ".htm": "html", ".csv": "csv",
                     ".xlsx": "xlsx"}


def _codebook(args: argparse.Namespace) -> int:
    import pandas as pd
    from .questionnaire import codebook, codebook_table, load_questionnaire

    questionnaire = load_questionnaire(args.questionnaire)
    out = Path(args.out) if args.out else None
    fmt = args.format
    if out is not None:
        implied = CODEBOOK_SUFFIXES.get(out.suffix.lower())
        if implied is None:
            raise ResidentSurveyError(f"{out}: cannot write a codebook as {out.suffix or 'a file without a suffix'!r}; "
                                      f"use one of {', '.join(CODEBOOK_SUFFIXES)}.")
        if fmt is not None and fmt != implied:
            raise ResidentSurveyError(f"{out}: --format {fmt} disagrees with the {out.suffix} suffix, which holds "
                                      f"{implied}; drop --format or change the suffix.")
        fmt = implied
    fmt = fmt or "markdown"
    if fmt == "xlsx":
        if out is None:
            raise ResidentSurveyError("--format xlsx writes a workbook: give --out codebook.xlsx.")
        table = codebook_table(questionnaire)
        about = pd.DataFrame({"item": ["questionnaire", "questionnaire_sha256", "title", "status", "date"],
                              "value": [questionnaire.name, questionnaire.sha256, questionnaire.title,
                                        questionnaire.status, questionnaire.date]})
        with pd.ExcelWriter(out, engine="openpyxl") as writer:
            table.to_excel(writer, sheet_name="codebook", index=False)
            about.to_excel(writer, sheet_name="about", index=False)
        print(f"Wrote {out}")
        return EXIT_OK
    text = codebook(questionnaire, format=fmt)
    if out is not None:
        out.write_text(text, encoding="utf-8")
        print(f"Wrote {out}")
    else:
        sys.stdout.write(text)
    return EXIT_OK


def _report(args: argparse.Namespace) -> int:
    from .report.annual import annual_report
    from .report.config import read_report_config

    config = read_report_config(args.config)
    if args.out:
        config = replace(config, out=Path(args.out))
    result = annual_report(config.waves, design=config.design, by=config.by, targets=config.targets,
                           method=config.method, replicates=config.replicates, rules=config.rules,
                           level=config.level, out_dir=config.out, title=config.title,
                           progress=lambda line: print(f"- {line}"),
                           drivers=config.drivers)
    errors = sum(report.n_errors for report in result.validation.values())
    table = result.table
    flags = table["flag"].value_counts().to_dict()
    print(f"{table['indicator'].nunique()} indicators x {table['area'].nunique()} areas x {table['wave'].nunique()} "
          f"wave(s); flags: {', '.join(f'{k} {v}' for k, v in sorted(flags.items()))}. "
          f"Validation errors: {errors}.")
    for wave, counts in result.missing_codes.items():
        found = counts[counts["n"] > 0]
        if len(found):
            print(f"Wave {wave}: {int(found['n'].sum()):,} answers hold a declared missing code (don't know, refused, "
                  f"...) in {found['column'].nunique()} columns, left out of the indicator bases the questionnaire "
                  f"says; counts in missing-codes-wave{wave}.csv.")
    for notice in table.attrs.get("notices", []):
        print(notice)
    for path in result.paths:
        print(f"Wrote {path}")
    return EXIT_PROBLEMS if errors else EXIT_OK


def _track(args: argparse.Namespace) -> int:
    """Rolling estimates, changes and the tracker page from a tracker configuration (see docs/tracking.md)."""
    import pandas as pd

    from .report.tracker_config import read_tracker_config
    from .report.tracker_page import write_tracker
    from .tracking import rolling

    config = read_tracker_config(args.config)
    method, by = config.method, config.by
    targets = config.targets
    if targets is not None:  # returns read from files hold codes; the targets may give labels
        from .weighting import targets_as_codes
        targets = targets_as_codes(targets, list(config.questionnaires.values())[-1])
    weighting = None if targets is None else (lambda d: d.calibrate(targets, method=method, by=by))
    tracker = rolling(config.returns, config.questionnaires, window=config.window, freq=config.freq, by=by,
                      weighting=weighting, date=config.date, design=config.design, level=config.level,
                      rules=config.rules)
    if config.indicators:
        from dataclasses import replace as _replace
        keep = tracker.table["indicator"].isin(config.indicators)
        tracker = _replace(tracker, table=tracker.table[keep].reset_index(drop=True),
                           series=tuple(s for s in tracker.series if s.id in config.indicators))
    out = Path(args.out) if args.out else config.out
    paths = write_tracker(tracker, out, title=config.title, pairs=config.pairs, adjust=config.adjust,
                          charts=not args.no_charts)
    changes = pd.read_csv(paths[1])
    signals = changes[changes["signal"].isin(["up", "down"])]
    print(f"{len(tracker.windows)} windows ({tracker.windows[0].label} to {tracker.windows[-1].label}) x "
          f"{tracker.table['indicator'].nunique()} indicators x {len(tracker.areas)} areas; "
          f"{len(signals)} significant change(s).")
    for row in signals.itertuples():
        print(f"  {row.indicator} {row.area}: {row.signal} from {row.window_a} to {row.window_b}")
    for path in paths:
        print(f"Wrote {path}")
    return EXIT_OK


def _publish(args: argparse.Namespace) -> int:
    from .publish import publish_release

    release = publish_release(args.config)
    print(f"Open data: {len(release.table)} rows, {release.open_data.suppressed_cells} cells withheld ([c]), "
          f"licence {release.open_data.descriptor['licenses'][0]['name']}.")
    if release.microdata is not None:
        s = release.microdata.summary
        print(f"Partner microdata: {s['records']} records, k={s['k']}: {s['violations_before']} records below k before, "
              f"{s['violations_after']} after; {s['cells_suppressed']} cells suppressed, {s['records_recoded']} values "
              f"recoded, {len(s['columns_removed'])} columns removed; expected re-identifications "
              f"{s['expected_reidentifications_before']:.2f} -> {s['expected_reidentifications_after']:.2f}.")
    for path in release.paths:
        print(f"Wrote {path}")
    return EXIT_OK


def build_parser() -> argparse.ArgumentParser:
    """The argument parser (exposed for documentation and tests)."""
    parser = argparse.ArgumentParser(prog="residentsurvey", description=__doc__.splitlines()[0])
    parser.add_argument("--version", action="version", version=f"residentsurvey {__version__}")
    commands = parser.add_subparsers(dest="command", required=True)

    demo = commands.add_parser("demo", help="the whole annual cycle on the bundled synthetic consortium")
    demo.add_argument("--seed", type=int, default=2026, help="seed of the synthetic consortium (default 2026)")
    demo.add_argument("--level", type=float, default=0.95, help="confidence level (default 0.95)")
    demo.add_argument("--out", default="demo-output", help="folder for the outputs (default demo-output)")
    demo.add_argument("--returns", metavar="DIR", help="instead, write the demo returns (.sav, .csv, .xlsx), targets "
                      "and a report configuration to DIR, to try every command on files")
    demo.set_defaults(run=_demo)

    report = commands.add_parser("report", help="the annual report from returns files: validate, weight, estimate, write")
    report.add_argument("config", help="report configuration (.yaml); see docs/report.md")
    report.add_argument("--out", help="output folder, overriding the configuration's")
    report.set_defaults(run=_report)

    track = commands.add_parser("track", help="rolling estimates, honest changes and the tracker page each period")
    track.add_argument("config", help="tracker configuration (.yaml); see docs/tracking.md")
    track.add_argument("--out", help="output folder, overriding the configuration's")
    track.add_argument("--no-charts", action="store_true", help="write the tables and page without charts")
    track.set_defaults(run=_track)

    publish = commands.add_parser("publish", help="open data package, explorer and partner microdata from a publish "
                                  "configuration")
    publish.add_argument("config", help="publish configuration (.yaml); see docs/publish.md")
    publish.set_defaults(run=_publish)

    estimate = commands.add_parser("estimate", help="means and proportions with CIs from a returns file")
    estimate.add_argument("returns", help="returns file (.sav, .csv, .xlsx or .parquet), one row per respondent")
    estimate.add_argument("--questionnaire", "-q", help="questionnaire of the returns (e.g. core-v1): its don't "
                          "know / refused codes are left out of the base, and counted")
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

    weight = commands.add_parser("weight", help="calibrate weights to population targets and write them out")
    weight.add_argument("returns", help="returns file (.sav, .csv, .xlsx or .parquet)")
    weight.add_argument("--targets", required=True, help="targets file: by column(s), variable, category, total")
    weight.add_argument("--questionnaire", "-q", help="questionnaire of the returns (e.g. core-v1): reads any file "
                        "as codes, matches targets given by label or code, labels a .sav output")
    weight.add_argument("--by", nargs="+", help="column(s) calibrated separately, e.g. council")
    weight.add_argument("--weights", help="starting weights column (default: all 1)")
    weight.add_argument("--method", default="raking", help="raking (default), linear or logit")
    weight.add_argument("--bounds", nargs=2, type=float, metavar=("LOWER", "UPPER"),
                        help="bounds on calibrated / starting weight (needed by logit)")
    weight.add_argument("--trim", type=float, help="cap weights at this multiple of the group mean, then re-calibrate")
    weight.add_argument("--max-iter", type=int, default=100, help="iteration limit (default 100)")
    weight.add_argument("--weight-column", default="weight", help="name of the new weights column (default weight)")
    weight.add_argument("--out", required=True, help="output file (.sav keeps labels, .csv or .parquet)")
    weight.add_argument("--report", help="folder for the weighting report (summary, margins, chart)")
    weight.add_argument("--replicates", choices=["jk1", "jkn", "brr", "fay", "bootstrap", "subbootstrap"],
                        help="also write replicate weights, the weighting re-run in each (needs --psu/--strata)")
    weight.add_argument("--replicates-n", type=int, default=200, help="bootstrap replicates (default 200)")
    weight.add_argument("--strata", help="stratum column, for --replicates")
    weight.add_argument("--psu", help="PSU (cluster) column, for --replicates (default: each respondent)")
    weight.add_argument("--seed", type=int, help="seed of the bootstrap replicates")
    weight.set_defaults(run=_weight)

    plan = commands.add_parser("plan", help="sample sizes, addresses and cost shares from a consortium plan (YAML)")
    plan.add_argument("plan", help="consortium plan file (.yaml); see examples/consortium_plan.yaml")
    plan.add_argument("--method", help="sharing method, overriding the plan's (equal, population, achieved, "
                      "fixed_plus_variable, shapley, scrb)")
    plan.add_argument("--statement", help="write the cost-sharing statement of every method here (.xlsx, else .csv)")
    plan.add_argument("--csv", action="store_true", help="print one CSV row per council instead of text")
    plan.add_argument("--samples", type=int, default=10_000, help="orderings for a sampled Shapley value (default 10000)")
    plan.add_argument("--seed", type=int, default=0, help="seed of a sampled Shapley value (default 0)")
    plan.set_defaults(run=_plan)

    validate = commands.add_parser("validate", help="check a returns file against its questionnaire")
    validate.add_argument("returns", help="returns file (.sav, .csv, .xlsx or .parquet), one row per respondent")
    validate.add_argument("--questionnaire", "-q", required=True,
                          help="shipped questionnaire name (e.g. core-v1) or path to a .yaml file")
    validate.add_argument("--mode", help="survey mode of the whole file, if it has no mode column "
                          "(postal, online, telephone, face_to_face)")
    validate.add_argument("--sheet", action="append", help="workbook sheet holding the returns (repeat to stack "
                          "sheets with the same columns); by default every sheet with data is read")
    validate.add_argument("--out", help="write every problem here (.xlsx: summary, problems, about; else CSV)")
    validate.add_argument("--csv", action="store_true", help="print the problems as CSV instead of a summary")
    validate.add_argument("--strict", action="store_true", help="exit 1 on warnings too, not only on errors")
    validate.set_defaults(run=_validate)

    diff = commands.add_parser("diff", help="what changed between two questionnaire versions, with verdicts")
    diff.add_argument("old", help="older questionnaire (name such as core-v1, or path)")
    diff.add_argument("new", help="newer questionnaire (name or path)")
    diff.add_argument("--all", action="store_true", help="also list unchanged items and indicators")
    diff.add_argument("--csv", action="store_true", help="print the table as CSV")
    diff.set_defaults(run=_diff)

    codebook = commands.add_parser("codebook", help="the codebook of a questionnaire (Markdown, HTML or CSV)")
    codebook.add_argument("questionnaire", help="questionnaire name (e.g. core-v2) or path to a .yaml file")
    codebook.add_argument("--format", choices=("markdown", "html", "csv", "xlsx"),
                          help="output format (default: from the --out suffix, else markdown)")
    codebook.add_argument("--out", help="write to this file instead of standard output (.md, .html, .csv or .xlsx)")
    codebook.set_defaults(run=_codebook)
    return parser


def _plain_warning(command: str, default=warnings.formatwarning):
    """Our warnings as a person reads them (``residentsurvey weight: warning: ...``), not Python's source-line form.

    It replaces how warnings are *worded* (``warnings.formatwarning``), not where they go, so anything that
    records warnings (a test, a notebook) still receives them.
    """

    def wording(message, category, filename, lineno, line=None) -> str:
        if issubclass(category, ResidentSurveyWarning):
            return f"residentsurvey {command}: warning: {message}\n"
        return default(message, category, filename, lineno, line)

    return wording


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``residentsurvey`` command; returns the exit code."""
    args = build_parser().parse_args(argv)
    wording = warnings.formatwarning
    warnings.formatwarning = _plain_warning(args.command, wording)
    try:
        code = args.run(args)
        sys.stdout.flush()  # a closed pipe shows here, inside the handler, not at interpreter exit
        return code
    except ResidentSurveyError as error:
        print(f"residentsurvey {args.command}: {error}", file=sys.stderr)
        return EXIT_USAGE
    except BrokenPipeError:
        # The reader (e.g. `| head`) stopped reading. As Python's docs advise (signal module, "Note on SIGPIPE"):
        # point stdout at devnull so the final flush at exit cannot raise again, and exit quietly with status 1.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return EXIT_PROBLEMS
    finally:
        warnings.formatwarning = wording


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
