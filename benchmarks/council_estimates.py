"""Council estimates benchmark: residentsurvey against bare numpy, svy, samplics and R survey.

What is measured
----------------
The main job of a jointly commissioned resident survey: the weighted share
answering "yes" to each of 20 indicators in each of 400 councils, with a
design-based standard error, from 1,000,000 respondents. The synthetic survey
is seeded and deterministic: 4 strata per council (strata nested in councils,
uneven sizes), lognormal weights, 0/1 indicators with 5% missing at random.

Every tool computes the same numbers: each respondent is their own PSU,
Taylor-linearised with-replacement variance, no fpc; a missing answer is left
out of that indicator's base only; a council is a domain of the whole design
(rows outside it score zero), i.e. R's
``svyby(~ind01, ~council, design, svymean, na.rm=TRUE)`` once per indicator.

Why
---
"bare numpy" is the floor: the same numbers from the simplest fast
hand-written numpy, with the integer codes of councils and strata computed
once outside the clock. residentsurvey's target is at most 2x that, design
construction included. Peers (run only when installed) show where the field
stands, and the agreement columns prove that every tool computes the same
thing: each tool is compared with bare numpy run on the same data.

Timing rules
------------
In-process tools report the best of ``--repeat`` runs. Peers run once, each in
a child process so that ``--peer-timeout`` can stop it; svy and samplics get
their data before the clock starts, and R's times are measured inside R with
``system.time`` after the data are loaded. See benchmarks/README.md.
"""

from __future__ import annotations

import argparse
import importlib.metadata
import importlib.util
import multiprocessing as mp
import os
import resource
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import traceback
from dataclasses import dataclass, replace
from functools import partial
from pathlib import Path

import numpy as np
import pandas as pd

from _machine import machine_lines

INDICATORS = [f"ind{k:02d}" for k in range(1, 21)]
STRATA_PER_COUNCIL = 4
MISSING_SHARE = 0.05
KEYS = ["council", "variable"]
#: How R and samplics are called for the councils (--peer-calls); both give the same numbers here
#: because strata are nested in councils (the agreement columns of the table show it).
PEER_CALLS = {"council": "council by council", "domain": "all councils at once (domains)"}


@dataclass(frozen=True)
class Run:
    """One tool's timing on one data size; ``table`` holds council, variable, estimate, se."""

    tool: str
    version: str
    rows: int
    setup_s: float = float("nan")
    estimate_s: float = float("nan")
    table: pd.DataFrame | None = None
    note: str = ""
    peak_mib: float = float("nan")   # peers only: peak resident memory of their process
    calls: str = ""                  # how the tool was called for the 400 councils

    @property
    def total_s(self) -> float:
        return np.nansum([self.setup_s, self.estimate_s]) if self.table is not None else float("nan")


def make_survey(rows: int, councils: int, seed: int) -> pd.DataFrame:
    """Synthetic resident survey: council (str), stratum (int), weight, ind01..ind20 (0/1/NaN)."""
    rng = np.random.default_rng(seed)
    n_strata, min_rows = councils * STRATA_PER_COUNCIL, 2 * STRATA_PER_COUNCIL
    if rows < min_rows * councils:
        raise SystemExit(f"--rows {rows} is too small: need at least {min_rows} rows per council")
    size = rng.lognormal(0.0, 0.6, councils)
    council_rows = rng.multinomial(rows - min_rows * councils, size / size.sum()) + min_rows
    shares = rng.dirichlet(np.full(STRATA_PER_COUNCIL, 2.0), councils)
    stratum_rows = rng.multinomial(council_rows - min_rows, shares).ravel() + 2
    stratum = rng.permutation(np.repeat(np.arange(n_strata), stratum_rows))
    council = stratum // STRATA_PER_COUNCIL
    labels = np.array([f"C{k + 1:03d}" for k in range(councils)], dtype=object)
    data = {
        "council": labels[council],
        "stratum": stratum + 1,
        "weight": rng.lognormal(0.0, 0.5, rows) * rng.uniform(0.5, 2.0, n_strata)[stratum],
    }
    for name in INDICATORS:
        logit = rng.normal(0.0, 1.0) + rng.normal(0.0, 0.5, councils)[council]
        y = (rng.random(rows) < 1.0 / (1.0 + np.exp(-logit))).astype(np.float64)
        y[rng.random(rows) < MISSING_SHARE] = np.nan
        data[name] = y
    return pd.DataFrame(data)


def bare_inputs(df: pd.DataFrame) -> dict:
    """Integer codes and float64 columns for the bare pass, computed once, off the clock."""
    g, labels = pd.factorize(df["council"], sort=True)
    h, _ = pd.factorize(df["stratum"])
    council_of_h = np.zeros(h.max() + 1, dtype=np.intp)
    council_of_h[h] = g
    n_h = np.bincount(h).astype(np.float64)
    return {"h": h.astype(np.intp), "council_of_h": council_of_h,
            "n_h": n_h, "labels": np.asarray(labels), "w": df["weight"].to_numpy(np.float64),
            "ys": [df[v].to_numpy(np.float64) for v in INDICATORS]}


def bare_numpy(inp: dict) -> list[tuple[np.ndarray, np.ndarray]]:
    """(estimate, se) per council for each indicator, in plain vectorised numpy.

    score_i = w_i a_i (y_i - ybar_g) / W_g; var_g = sum_{h in g} n_h/(n_h-1) sum_{i in h}
    (score_i - mean_h score)^2, written as S2_h - S1_h^2/n_h with S1_h from stratum totals.
    """
    h, hc, n_h, w = inp["h"], inp["council_of_h"], inp["n_h"], inp["w"]
    n, n_g, n_s = len(w), len(inp["labels"]), len(n_h)
    wa, wy, s, tmp = (np.empty(n) for _ in range(4))
    miss, present = np.empty(n, dtype=bool), np.empty(n, dtype=bool)
    out = []
    for y in inp["ys"]:
        np.isnan(y, out=miss)
        np.logical_not(miss, out=present)
        np.multiply(w, present, out=wa)                     # w_i a_i
        np.multiply(wa, y, out=wy)
        np.copyto(wy, 0.0, where=miss)                      # w_i a_i y_i
        w_h, t_h = np.bincount(h, wa, n_s), np.bincount(h, wy, n_s)
        w_g = np.bincount(hc, w_h, n_g)
        ybar = np.bincount(hc, t_h, n_g) / w_g
        ybar_h, inv_w_h = ybar[hc], 1.0 / w_g[hc]
        np.take(ybar_h, h, out=tmp)
        tmp *= wa
        np.subtract(wy, tmp, out=s)
        np.take(inv_w_h, h, out=tmp)
        s *= tmp                                            # score_i
        s *= s
        s1 = (t_h - ybar_h * w_h) * inv_w_h                 # sum of scores in stratum h
        per_h = n_h / (n_h - 1.0) * (np.bincount(h, s, n_s) - s1 * s1 / n_h)
        out.append((ybar, np.sqrt(np.bincount(hc, per_h, n_g))))
    return out


def peak_mib(who: int = resource.RUSAGE_SELF) -> float:
    scale = 1 if sys.platform == "darwin" else 1024   # ru_maxrss: bytes on macOS, KiB on Linux
    return resource.getrusage(who).ru_maxrss * scale / 2**20


def tidy(labels: np.ndarray, results: list[tuple[np.ndarray, np.ndarray]]) -> pd.DataFrame:
    return pd.DataFrame({
        "council": np.tile(labels.astype(str), len(results)),
        "variable": np.repeat(INDICATORS[: len(results)], len(labels)),
        "estimate": np.concatenate([e for e, _ in results]),
        "se": np.concatenate([s for _, s in results])})


def best_of(repeat: int, setup, estimate) -> tuple[float, float, object]:
    """Best total of `repeat` runs of setup() then estimate(made); returns (setup_s, estimate_s, result)."""
    best = (float("inf"), float("inf"), None)
    for _ in range(repeat):
        t0 = time.perf_counter()
        made = setup()
        t1 = time.perf_counter()
        result = estimate(made)
        t2 = time.perf_counter()
        if t2 - t0 < sum(best[:2]):
            best = (t1 - t0, t2 - t1, result)
    return best


def run_bare(df: pd.DataFrame, repeat: int) -> Run:
    inp = bare_inputs(df)
    _, est_s, res = best_of(repeat, lambda: None, lambda _: bare_numpy(inp))
    return Run("bare numpy", np.__version__, len(df), 0.0, est_s, tidy(inp["labels"], res))


def run_residentsurvey(df: pd.DataFrame, repeat: int) -> Run:
    try:
        import residentsurvey as rs
        rs.SurveyDesign  # noqa: B018 - the core may not have landed yet
    except (ImportError, AttributeError) as e:
        return Run("residentsurvey", "-", len(df), note=f"not available yet: {e}")
    version = getattr(rs, "__version__", None) or importlib.metadata.version("residentsurvey")
    import scipy.stats  # noqa: F401 - residentsurvey loads it on first use; off the clock, as the peers' imports are
    setup_s, est_s, res = best_of(
        repeat, lambda: rs.SurveyDesign(df, weights="weight", strata="stratum"),
        lambda design: design.mean(INDICATORS, by="council"))
    return Run("residentsurvey", version, len(df), setup_s, est_s, res[KEYS + ["estimate", "se"]])


def svy_job(df: pd.DataFrame) -> tuple[str, float, float, pd.DataFrame]:
    import polars as pl
    import svy
    data = pl.from_pandas(df, nan_to_null=True)
    t0 = time.perf_counter()
    sample = svy.Sample(data, svy.Design(stratum="stratum", wgt="weight"))
    t1 = time.perf_counter()
    ests = sample.estimation.mean(INDICATORS, by="council", drop_nulls=True)
    tables = [e.to_polars() for e in ests]
    t2 = time.perf_counter()
    table = pd.concat([t.to_pandas().assign(variable=v) for t, v in zip(tables, INDICATORS)])
    return svy.__version__, t1 - t0, t2 - t1, table.rename(columns={"est": "estimate"})


def samplics_job(df: pd.DataFrame, calls: str = "council") -> tuple[str, float, float, pd.DataFrame]:
    """samplics' TaylorEstimator: council by council (``calls="council"``), or once per indicator
    with ``domain=council`` over all rows (``calls="domain"``), which costs it rows x councils."""
    import warnings
    warnings.simplefilter("ignore", FutureWarning)   # "samplics is archived"
    from samplics import PopParam, TaylorEstimator
    council, stratum = df["council"].to_numpy(str), df["stratum"].to_numpy()
    weight, ys = df["weight"].to_numpy(np.float64), [df[v].to_numpy(np.float64) for v in INDICATORS]
    # the rows of each council, found before the clock (as R's split() is not: it is inside R's setup time)
    codes, labels = pd.factorize(council, sort=True)
    order = np.argsort(codes, kind="stable")
    groups = [(str(labels[g]), rows) for g, rows in enumerate(np.split(order, np.cumsum(np.bincount(codes))[:-1]))]

    def estimate(name, y, w, h, domain):
        # remove_nan=True would drop rows listwise and so change n_h; instead missing
        # answers form their own domain, which keeps every row, as R does.
        est = TaylorEstimator(PopParam.mean)
        try:
            est.estimate(y=np.where(np.isnan(y), 1.0, y), samp_weight=w, stratum=h, domain=domain)
        except ZeroDivisionError as e:   # its coefficient of variation divides by the estimate
            raise RuntimeError(f"{name}: samplics cannot handle a council whose estimate is 0") from e
        return est

    rows = []
    t0 = time.perf_counter()
    for name, y in zip(INDICATORS, ys):
        if calls == "domain":
            est = estimate(name, y, weight, stratum, np.where(np.isnan(y), "", council))
            rows += [(str(c), name, est.point_est[c], est.stderror[c]) for c in est.point_est if c]
            continue
        for label, at in groups:   # strata are nested in councils, so each council is a survey of its own
            y_c = y[at]
            est = estimate(name, y_c, weight[at], stratum[at], np.where(np.isnan(y_c), "", "in"))
            rows.append((label, name, est.point_est["in"], est.stderror["in"]))
    t1 = time.perf_counter()
    version = importlib.metadata.version("samplics")
    return version, 0.0, t1 - t0, pd.DataFrame(rows, columns=KEYS + ["estimate", "se"])


def _child(job, df, conn) -> None:
    try:
        conn.send(("ok", (*job(df), peak_mib())))
    except ImportError as e:
        conn.send(("not installed", str(e)))
    except Exception:  # noqa: BLE001 - reported in the table, not raised
        conn.send(("failed", traceback.format_exc(limit=2).strip().splitlines()[-1]))


def run_python_peer(tool: str, module: str, job, df: pd.DataFrame, timeout: float) -> Run:
    """Run `job(df)` in a child process (fork where possible: no copy of the data)."""
    if importlib.util.find_spec(module) is None:
        return Run(tool, "-", len(df), note=f"not installed (no module named '{module}')")
    ctx = mp.get_context("fork" if "fork" in mp.get_all_start_methods() else "spawn")
    receive, send = ctx.Pipe(duplex=False)
    child = ctx.Process(target=_child, args=(job, df, send), daemon=True)
    child.start()
    send.close()
    got = receive.recv() if receive.poll(timeout) else ("timed out", f"after {timeout:g} s")
    if got[0] == "timed out":
        child.kill()
    child.join()
    if got[0] != "ok":
        return Run(tool, "-", len(df), note=f"{got[0]}: {got[1]}")
    version, setup_s, est_s, table, peak = got[1]
    return Run(tool, version, len(df), setup_s, est_s, table[KEYS + ["estimate", "se"]], peak_mib=peak)


R_SCRIPT = r"""
args <- commandArgs(trailingOnly = TRUE)
dir <- args[1]; n <- as.integer(args[2]); vars <- strsplit(args[3], ",")[[1]]
if (!requireNamespace("survey", quietly = TRUE)) quit(status = 3)
suppressPackageStartupMessages(library(survey))
calls <- args[4]
rd <- function(name, what, size) {
  con <- file(file.path(dir, name), "rb"); on.exit(close(con))
  readBin(con, what, n = n, size = size)
}
labels <- readLines(file.path(dir, "councils.txt"))
df <- data.frame(council = factor(labels[rd("council.bin", "integer", 4)], levels = labels),
                 stratum = rd("stratum.bin", "integer", 4), weight = rd("weight.bin", "double", 8))
for (v in vars) df[[v]] <- rd(paste0(v, ".bin"), "double", 8)
forms <- lapply(paste0("~", vars), as.formula)
out <- vector("list", length(vars))
if (calls == "domain") {
  # svyby over all councils: each council's domain is a subset of the whole design (rows x councils)
  setup <- system.time(des <- svydesign(ids = ~1, strata = ~stratum, weights = ~weight, data = df))
  est <- system.time(for (i in seq_along(vars))
    out[[i]] <- svyby(forms[[i]], ~council, des, svymean, na.rm = TRUE))
  res <- do.call(rbind, lapply(seq_along(vars), function(i) data.frame(
    council = as.character(out[[i]]$council), variable = vars[i],
    estimate = out[[i]][[vars[i]]], se = SE(out[[i]]))))
} else {
  # council by council: strata are nested in councils, so each council's own design gives
  # the same estimates and SEs as svyby on the whole design (n_h counts every row of stratum h)
  setup <- system.time(des <- lapply(split(df, df$council, drop = TRUE), function(d)
    svydesign(ids = ~1, strata = ~stratum, weights = ~weight, data = d)))
  est <- system.time(for (i in seq_along(vars))
    out[[i]] <- lapply(des, function(d) svymean(forms[[i]], d, na.rm = TRUE)))
  res <- do.call(rbind, lapply(seq_along(vars), function(i) data.frame(
    council = names(des), variable = vars[i],
    estimate = vapply(out[[i]], function(m) unname(coef(m)), 0), se = vapply(out[[i]], function(m) unname(SE(m)), 0))))
}
write.csv(res, file.path(dir, "r_result.csv"), row.names = FALSE)
hwm <- tryCatch(as.numeric(gsub("[^0-9]", "", grep("^VmHWM", readLines("/proc/self/status"),
                                                    value = TRUE))) / 1024, error = function(e) NA)
writeLines(c(sprintf("survey %s (R %s.%s)", packageVersion("survey"), R.version$major, R.version$minor),
             setup[["elapsed"]], est[["elapsed"]], hwm), file.path(dir, "r_timing.txt"))
"""


def run_r(df: pd.DataFrame, timeout: float, calls: str = "council") -> Run:
    """R survey via Rscript; data handed over as raw binary columns (fast for R's readBin)."""
    rscript = shutil.which("Rscript")
    if rscript is None:
        return Run("R survey", "-", len(df), note="not installed (Rscript not on PATH)")
    with tempfile.TemporaryDirectory(prefix="council_bench_") as tmp:
        d = Path(tmp)
        codes, labels = pd.factorize(df["council"], sort=True)
        (d / "councils.txt").write_text("\n".join(map(str, labels)) + "\n")
        (codes + 1).astype(np.int32).tofile(d / "council.bin")
        df["stratum"].to_numpy(np.int32).tofile(d / "stratum.bin")
        for col in ["weight", *INDICATORS]:
            df[col].to_numpy(np.float64).tofile(d / f"{col}.bin")
        (d / "bench.R").write_text(R_SCRIPT)
        cmd = [rscript, "--vanilla", str(d / "bench.R"), tmp, str(len(df)), ",".join(INDICATORS), calls]
        proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                text=True, start_new_session=True)
        try:
            _, err = proc.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.communicate()
            return Run("R survey", "-", len(df), note=f"timed out: after {timeout:g} s")
        if proc.returncode == 3:
            return Run("R survey", "-", len(df), note="not installed (R package 'survey' missing)")
        if proc.returncode != 0:
            return Run("R survey", "-", len(df), note=f"failed: {err.strip().splitlines()[-1:]}")
        version, setup_s, est_s, peak = (d / "r_timing.txt").read_text().splitlines()
        table = pd.read_csv(d / "r_result.csv", dtype={"council": str})
    return Run("R survey", version, len(df), float(setup_s), float(est_s), table,
               peak_mib=float(peak) if peak != "NA" else float("nan"))


def max_diffs(run: Run, ref: Run) -> tuple[float, float, float]:
    """Max |diff| of estimate and se against `ref`, and max relative diff of either."""
    if run.table is None or ref.table is None:
        return (float("nan"),) * 3
    m = ref.table.merge(run.table, on=KEYS, how="left", suffixes=("_ref", ""))
    d_est = (m["estimate"] - m["estimate_ref"]).abs()
    d_se = (m["se"] - m["se_ref"]).abs()
    rel = max((d_est / m["estimate_ref"].abs()).max(), (d_se / m["se_ref"]).max())
    if m[["estimate", "se"]].isna().any().any():         # a council/variable is missing
        return (float("inf"),) * 3
    return float(d_est.max()), float(d_se.max()), float(rel)


def print_report(runs: list[Run]) -> None:
    bare = {r.rows: r for r in runs if r.tool == "bare numpy"}
    head = (f"{'tool':<15}{'version':<24}{'rows':>10}{'setup s':>9}{'estim. s':>10}{'time s':>9}"
            f"{'x bare':>9}{'max|d est|':>12}{'max|d se|':>11}{'max rel':>10}{'peak MiB':>10}  how called")
    print("\n" + head + "\n" + "-" * len(head))
    for r in runs:
        ref = bare.get(r.rows)
        d_est, d_se, rel = max_diffs(r, ref) if ref else (float("nan"),) * 3
        ratio = r.total_s / ref.total_s if ref else float("nan")
        line = f"{r.tool:<15}{r.version[:23]:<24}{r.rows:>10,}"
        how = r.calls or ("by= (one call)" if r.tool == "residentsurvey" else "one pass")
        if r.table is None:
            print(f"{line}  {r.note} ({how})")
            continue
        print(f"{line}{r.setup_s:>9.3f}{r.estimate_s:>10.3f}{r.total_s:>9.3f}{ratio:>9.2f}"
              f"{d_est:>12.1e}{d_se:>11.1e}{rel:>10.1e}"
              + (f"{r.peak_mib:>10,.0f}" if r.peak_mib == r.peak_mib else f"{'':>10}") + f"  {how}")
    print("\n" + "\n".join(machine_lines(("residentsurvey", "numpy", "pandas", "samplics", "svy", "polars"))))
    if any(r.calls == PEER_CALLS["council"] for r in runs):
        print("council by council: R and samplics get each council's rows as a design of its own (strata are "
              "nested in councils, so the numbers are those of svyby on the whole design; see the agreement "
              "columns); over all councils at once they cost rows x councils (--peer-calls domain).")
    print(f"peak memory: this process {peak_mib():,.0f} MiB (data, bare numpy, residentsurvey), "
          f"largest peer child {peak_mib(resource.RUSAGE_CHILDREN):,.0f} MiB")


def progress(run: Run) -> Run:
    done = f"{run.total_s:.3f} s" if run.table is not None else run.note
    print(f"  {run.tool} ({run.rows:,} rows): {done}", flush=True)
    return run


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--rows", type=int, default=1_000_000, help="respondents (default 1,000,000)")
    p.add_argument("--councils", type=int, default=400, help="councils (default 400)")
    p.add_argument("--peer-rows", type=int, default=None,
                   help="respondents for svy, samplics and R (default: --rows)")
    p.add_argument("--peers", default="svy,samplics,r",
                   help="comma-separated peers to run, from svy, samplics, r; '' for none")
    p.add_argument("--peer-timeout", type=float, default=600.0, help="seconds per peer (default 600)")
    p.add_argument("--repeat", type=int, default=3, help="best of K for bare numpy and residentsurvey")
    p.add_argument("--peer-calls", choices=PEER_CALLS, default="council",
                   help="how R and samplics are called: 'council' (default) council by council, each council "
                        "a design of its own, their fastest correct call here; 'domain' once over all "
                        "councils (R svyby, samplics domain=), which costs them rows x councils")
    p.add_argument("--seed", type=int, default=20240601)
    return p.parse_args(argv)


def main(argv: list[str] | None = None) -> None:
    args = parse_args(argv)
    peers = {name.strip().lower() for name in args.peers.split(",") if name.strip()}
    if args.repeat < 1:
        raise SystemExit(f"--repeat must be at least 1, got {args.repeat}")
    unknown = peers - {"svy", "samplics", "r"}
    if unknown:
        raise SystemExit(f"--peers: unknown {sorted(unknown)}; choose from svy, samplics, r")
    df = make_survey(args.rows, args.councils, args.seed)
    print(f"survey: {len(df):,} rows, {args.councils} councils, "
          f"{args.councils * STRATA_PER_COUNCIL} strata, {len(INDICATORS)} indicators")
    runs = [run_bare(df, args.repeat), run_residentsurvey(df, args.repeat)]
    for r in runs:
        progress(r)
    if runs[1].table is not None:
        d_est, d_se, rel = max_diffs(runs[1], runs[0])
        print(f"  residentsurvey vs bare numpy: max rel diff {rel:.1e} (estimate {d_est:.1e}, se {d_se:.1e} abs)")
    peer_rows = args.peer_rows or args.rows
    if peers and peer_rows != args.rows:
        df = make_survey(peer_rows, args.councils, args.seed)
        runs.append(progress(run_bare(df, args.repeat)))
    how = PEER_CALLS[args.peer_calls]
    peer_runs = {"svy": lambda: replace(run_python_peer("svy", "svy", svy_job, df, args.peer_timeout),
                                        calls="by= (one call)"),
                 "samplics": lambda: replace(run_python_peer("samplics", "samplics",
                                                             partial(samplics_job, calls=args.peer_calls), df,
                                                             args.peer_timeout), calls=how),
                 "r": lambda: replace(run_r(df, args.peer_timeout, args.peer_calls), calls=how)}
    for name, run in peer_runs.items():
        if name in peers:
            label = {"r": "R survey"}.get(name, name)
            print(f"  running {label} ({PEER_CALLS[args.peer_calls] if name != 'svy' else 'by='}) "
                  f"on {len(df):,} rows ...", flush=True)
            runs.append(progress(run()))
    print_report(runs)


if __name__ == "__main__":
    main()
