"""Raking speed: 1,000,000 respondents in 400 councils, each raked to its own margins.

Margins per council: age by sex (12 cells), ethnicity (5) and ward (20), the way a consortium
weights its councils to mid-year estimates. Prints the time of ``rs.calibrate_weights(...,
by="council")`` and the largest relative error on any of the 14,800 targets, beside R's
``survey::rake`` when ``Rscript`` and the survey package are installed (R rakes all councils at
once with council-crossed margins) and ``weightipy`` when importable (council by council and
from weights of 1, the nearest job it can do: see :func:`time_weightipy`). The machine and the
versions are printed beside the table. Target: under 2 s here.

    python benchmarks/raking.py [--rows 1000000] [--councils 400] [--peer-rows 200000] [--no-peers]
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

import residentsurvey as rs
from _machine import machine_lines

WARDS = 20


def build(rows: int, councils: int, seed: int = 2026) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Respondents with skewed margins, and population targets that differ from the sample's profile."""
    rng = np.random.default_rng(seed)
    council = np.sort(rng.integers(0, councils, rows))
    age_sex = rng.choice(12, rows, p=np.linspace(1, 2, 12) / np.linspace(1, 2, 12).sum())
    ethnicity = rng.choice(5, rows, p=[0.7, 0.12, 0.08, 0.06, 0.04])
    ward = rng.integers(0, WARDS, rows)
    data = pd.DataFrame({
        "council": pd.Categorical.from_codes(council, [f"C{c:03d}" for c in range(councils)]),
        "age_sex": pd.Categorical.from_codes(age_sex, [f"a{k:02d}" for k in range(12)]),
        "ethnicity": pd.Categorical.from_codes(ethnicity, ["White", "Asian", "Black", "Mixed", "Other"]),
        "ward": pd.Categorical.from_codes(ward, [f"w{k:02d}" for k in range(WARDS)]),
        "design_weight": rng.uniform(50, 150, rows),
    })
    population = rng.uniform(50_000, 300_000, councils)
    parts = []
    for variable, width, skew in (("age_sex", 12, 0.6), ("ethnicity", 5, 1.5), ("ward", WARDS, 0.3)):
        shares = rng.dirichlet(np.full(width, 8.0 / skew), councils)
        categories = data[variable].cat.categories
        parts.append(pd.DataFrame({
            "council": np.repeat([f"C{c:03d}" for c in range(councils)], width),
            "variable": variable,
            "category": np.tile(categories, councils),
            "total": (shares * population[:, None]).reshape(-1),
        }))
    return data, pd.concat(parts, ignore_index=True)


def time_residentsurvey(data: pd.DataFrame, targets: pd.DataFrame, repeat: int) -> tuple[float, float]:
    import scipy.stats  # noqa: F401 - residentsurvey loads it on first use; off the clock, as the peers' imports are
    best = np.inf
    for _ in range(repeat):
        started = time.perf_counter()
        weights = rs.calibrate_weights(data, targets, weights="design_weight", by="council")
        best = min(best, time.perf_counter() - started)
    check = data.assign(w=weights.to_numpy())
    error = 0.0
    for variable in ("age_sex", "ethnicity", "ward"):
        achieved = check.groupby(["council", variable], observed=True)["w"].sum().rename("achieved").reset_index()
        merged = targets[targets["variable"] == variable].merge(
            achieved.astype({"council": str, variable: str}).rename(columns={variable: "category"}),
            on=["council", "category"])
        error = max(error, float((merged["achieved"] / merged["total"] - 1).abs().max()))
    return best, error


def time_r(data: pd.DataFrame, targets: pd.DataFrame, timeout: int) -> str:
    if shutil.which("Rscript") is None:
        return "not installed (no Rscript)"
    probe = subprocess.run(["Rscript", "-e", "library(survey)"], capture_output=True)
    if probe.returncode != 0:
        return "not installed (R survey package missing)"
    with tempfile.TemporaryDirectory() as folder:
        data.to_csv(Path(folder) / "data.csv", index=False)
        targets.to_csv(Path(folder) / "targets.csv", index=False)
        script = Path(folder) / "rake.R"
        script.write_text(
            "suppressMessages(library(survey))\n"
            f"d <- read.csv('{folder}/data.csv', stringsAsFactors=TRUE); t <- read.csv('{folder}/targets.csv')\n"
            "des <- svydesign(ids=~1, weights=~design_weight, data=d)\n"
            "pops <- lapply(c('age_sex','ethnicity','ward'), function(v) { x <- t[t$variable==v,];"
            " setNames(data.frame(x$council, x$category, x$total), c('council', v, 'Freq')) })\n"
            "elapsed <- system.time(r <- rake(des, list(~council+age_sex, ~council+ethnicity, ~council+ward), pops,"
            " control=list(maxit=100, epsilon=1e-6)))[['elapsed']]\n"
            "cat(elapsed)\n")
        try:
            done = subprocess.run(["Rscript", str(script)], capture_output=True, text=True, timeout=timeout)
        except subprocess.TimeoutExpired:
            return f"timed out after {timeout} s"
        if done.returncode != 0:
            return "failed: " + done.stderr.strip().splitlines()[-1]
        return f"{float(done.stdout.strip()):.2f} s (rake, R survey; table-change epsilon 1e-6)"


def time_weightipy(data: pd.DataFrame, targets: pd.DataFrame) -> str:
    """weightipy on the nearest job it can do: the same margins, council by council, from weights of 1.

    It cannot start from the design weights: its ``Rake`` sets every weight to 1.0 before raking
    (weightipy 0.4.2, ``internal/rim.py``, ``Rake.__init__``), and raking from 1 and multiplying by
    the design weights afterwards is not the same calibration. Its segmented schemes (one
    segment per council in one call) test every row against a Python list of every segment's rows,
    which grows as rows squared, so it is called once per council, its fastest correct call.
    Its stopping rule is a relative change of the weights (``convcrit``), not the targets'
    error, so the largest relative error on the targets is shown beside its time.
    """
    try:
        import weightipy as wp
    except ImportError:
        return "not installed (pip install weightipy)"
    import contextlib
    import io
    import warnings

    variables = ("age_sex", "ethnicity", "ward")
    codes = data["council"].cat.codes.to_numpy()
    order = np.argsort(codes, kind="stable")
    groups = np.split(order, np.cumsum(np.bincount(codes, minlength=len(data["council"].cat.categories)))[:-1])
    frames = [data.iloc[rows][list(variables)].astype(str).reset_index(drop=True) for rows in groups]
    wanted = targets.assign(council=targets["council"].astype(str))
    schemes = []
    for council in data["council"].cat.categories:
        mine = wanted[wanted["council"] == council]
        schemes.append({v: dict(zip(mine.loc[mine["variable"] == v, "category"],
                                    100 * mine.loc[mine["variable"] == v, "total"]
                                    / mine.loc[mine["variable"] == v, "total"].sum())) for v in variables})
    weights = []
    with warnings.catch_warnings(), contextlib.redirect_stdout(io.StringIO()):
        warnings.simplefilter("ignore")
        started = time.perf_counter()
        for frame, scheme in zip(frames, schemes):
            weights.append(wp.weight(frame, wp.scheme_from_dict(scheme, name="council")).to_numpy())
        seconds = time.perf_counter() - started
    error = 0.0
    for frame, scheme, w in zip(frames, schemes, weights):
        for v in variables:
            achieved = pd.Series(w).groupby(frame[v].to_numpy()).sum() / w.sum() * 100
            wanted_share = pd.Series(scheme[v])
            error = max(error, float((achieved.reindex(wanted_share.index) / wanted_share - 1).abs().max()))
    version = getattr(wp, "__version__", None) or __import__("importlib.metadata").metadata.version("weightipy")
    return (f"{seconds:.2f} s (weightipy {version}, council by council, from weights of 1: it cannot start from "
            f"design weights; largest relative error on the targets {error:.1e})")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--councils", type=int, default=400)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--peer-rows", type=int, default=200_000, help="rows for R (it is slow on the full job)")
    parser.add_argument("--peer-timeout", type=int, default=600)
    parser.add_argument("--no-peers", action="store_true")
    args = parser.parse_args()

    data, targets = build(args.rows, args.councils)
    seconds, error = time_residentsurvey(data, targets, args.repeat)
    print("\n".join(machine_lines(("residentsurvey", "numpy", "pandas", "weightipy"))))
    print(f"{'tool':<16}{'rows':>11}  result")
    print(f"{'residentsurvey':<16}{args.rows:>11,}  {seconds:.2f} s (best of {args.repeat}); "
          f"largest relative error on {len(targets):,} targets {error:.1e}; target < 2 s")
    if not args.no_peers:
        small, small_targets = build(args.peer_rows, max(1, args.councils * args.peer_rows // args.rows))
        ours, _ = time_residentsurvey(small, small_targets, args.repeat)
        print(f"{'residentsurvey':<16}{args.peer_rows:>11,}  {ours:.2f} s (same job at the peers' size)")
        print(f"{'R survey':<16}{args.peer_rows:>11,}  {time_r(small, small_targets, args.peer_timeout)}")
        print(f"{'weightipy':<16}{args.peer_rows:>11,}  {time_weightipy(small, small_targets)}")


if __name__ == "__main__":
    main()
