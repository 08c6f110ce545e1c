"""Everyday commands: how long a user waits for ``import residentsurvey``, ``--help``, ``rs.indicators`` and the demo.

What is measured (each in a fresh Python process, so nothing is already imported)
--------------------------------------------------------------------------------
- ``import residentsurvey``: the import alone, timed inside the process, and how many modules it
  loads and whether matplotlib or scipy are among them;
- ``residentsurvey --help``: the whole process, interpreter start-up included (what a user waits);
- ``rs.indicators`` on the demo: both waves of the demo consortium, calibrated as the demo does
  (the designs are built before the clock starts), every indicator for every council and the
  consortium; the first call (which loads scipy) and the best of ``--repeat`` calls;
- the demo job, ``residentsurvey demo``: the whole process, and its steps as its progress lines
  arrive (validating and weighting, estimating, writing the workbook and HTML report).

Each row gives wall seconds (what a user waits) and CPU seconds (user + system of that process,
far less sensitive to other jobs on a shared machine). ``--src DIR`` measures another checkout
(e.g. ``--src ../main/src`` for the numbers before a change). The load average is printed with
the machine; compare runs made at the same time.

    python benchmarks/everyday.py [--repeat 5] [--skip-demo] [--src src]
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from _machine import machine_lines

HERE = Path(__file__).resolve().parent

IMPORT = """
import json, sys, time
started = time.perf_counter()
import residentsurvey
seconds = time.perf_counter() - started
print(json.dumps({"seconds": seconds, "modules": len(sys.modules),
                  "heavy": sorted(m for m in ("matplotlib", "scipy", "pandas") if m in sys.modules)}))
"""

HELP = "import sys; from residentsurvey.cli import main; sys.exit(main(['--help']))"

INDICATORS = """
import json, sys, time
import residentsurvey as rs
from residentsurvey.demo import DEMO_WAVES, demo_design
waves = {wave: (demo_design(wave=wave), rs.load_questionnaire(name)) for wave, name in DEMO_WAVES.items()}
times, cpu = [], []
for _ in range(int(sys.argv[1])):
    started, started_cpu = time.perf_counter(), time.process_time()
    table = rs.indicators(waves=waves, by="council")
    times.append(time.perf_counter() - started)
    cpu.append(time.process_time() - started_cpu)
print(json.dumps({"times": times, "cpu": cpu, "rows": len(table), "indicators": int(table["indicator"].nunique())}))
"""


def _cpu() -> float:
    """CPU seconds (user + system) used so far by finished child processes."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _run(code: list[str], env: dict[str, str], timeout: float = 900) -> tuple[float, float, str]:
    """Wall and CPU seconds of one child process, and what it printed."""
    cpu, started = _cpu(), time.perf_counter()
    done = subprocess.run([sys.executable, *code], env=env, capture_output=True, text=True, timeout=timeout)
    seconds = time.perf_counter() - started
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(code)[:60]} failed:\n{done.stderr[-2000:]}")
    return seconds, _cpu() - cpu, done.stdout


def measure_import(env: dict[str, str], repeat: int) -> dict:
    runs = [json.loads(_run(["-c", IMPORT], env)[2]) for _ in range(repeat)]
    best = min(runs, key=lambda r: r["seconds"])
    return {"seconds": best["seconds"], "cpu": float("nan"), "note": f"{best['modules']:,} modules; loads "
            + (", ".join(best["heavy"]) or "none of matplotlib, scipy, pandas")}


def measure_help(env: dict[str, str], repeat: int) -> dict:
    runs = [_run(["-c", HELP], env) for _ in range(repeat)]
    return {"seconds": min(r[0] for r in runs), "cpu": min(r[1] for r in runs), "note": "whole process"}


def measure_indicators(env: dict[str, str], repeat: int) -> dict:
    result = json.loads(_run(["-c", INDICATORS, str(repeat)], env)[2])
    first, best = result["times"][0], min(result["times"])
    return {"seconds": best, "cpu": min(result["cpu"]), "note": f"best of {repeat}; first call {first:.2f} s; {result['indicators']} "
            f"indicators x 2 waves, {result['rows']:,} rows"}


def measure_demo(env: dict[str, str]) -> tuple[dict, list[tuple[str, float]]]:
    """The whole ``residentsurvey demo`` process, and the time from each progress line to the next."""
    with tempfile.TemporaryDirectory(prefix="everyday_demo_") as out:
        cpu, started = _cpu(), time.perf_counter()
        proc = subprocess.Popen([sys.executable, "-c", "import sys; from residentsurvey.cli import main; "
                                 f"sys.exit(main(['demo', '--out', {out!r}]))"],
                                env={**env, "PYTHONUNBUFFERED": "1"}, stdout=subprocess.PIPE, text=True)
        marks = []
        assert proc.stdout is not None
        for line in proc.stdout:
            if line.startswith("- "):
                marks.append((line[2:].strip(), time.perf_counter() - started))
        if proc.wait() != 0:
            raise SystemExit("residentsurvey demo failed")
        total, cpu = time.perf_counter() - started, _cpu() - cpu
    steps = []
    for (label, at), (_, until) in zip(marks, marks[1:] + [("end", total)]):
        steps.append((label, until - at))
    steps.insert(0, ("start-up: imports and reading the demo returns", marks[0][1] if marks else total))
    return {"seconds": total, "cpu": cpu, "note": "whole process, one run"}, steps


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5, help="runs of each short measurement (best is shown)")
    parser.add_argument("--skip-demo", action="store_true", help="leave out the demo job (the slowest part)")
    parser.add_argument("--src", default=str(HERE.parent / "src"), help="the residentsurvey source tree to measure")
    args = parser.parse_args(argv)
    env = {**os.environ, "PYTHONPATH": str(Path(args.src).resolve())}

    print("\n".join(machine_lines()))
    print(f"source: {Path(args.src).resolve()}")
    rows = [("import residentsurvey", measure_import(env, args.repeat)),
            ("residentsurvey --help", measure_help(env, args.repeat)),
            ("rs.indicators on the demo", measure_indicators(env, max(args.repeat // 2, 2)))]
    steps = []
    if not args.skip_demo:
        demo, steps = measure_demo(env)
        rows.append(("residentsurvey demo", demo))
    width = max(len(name) for name, _ in rows) + 2
    print(f"\n{'what':<{width}}{'wall s':>8}{'CPU s':>8}  note\n" + "-" * (width + 76))
    for name, row in rows:
        cpu = f"{row['cpu']:>8.2f}" if row["cpu"] == row["cpu"] else f"{'':>8}"
        print(f"{name:<{width}}{row['seconds']:>8.2f}{cpu}  {row['note']}")
    if steps:
        print("\ndemo steps (from its progress lines):")
        for label, seconds in steps:
            print(f"  {seconds:>7.2f} s  {label}")


if __name__ == "__main__":
    main()
