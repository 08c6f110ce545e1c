"""The machine and library versions a benchmark ran on, printed beside its table.

Times mean little without them: a shared 2-core machine under load can be twice as slow as the
same machine idle, so the load average is printed too.
"""

from __future__ import annotations

import importlib.metadata
import os
import platform
from pathlib import Path


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def _memory_gib() -> str:
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                return f"{int(line.split()[1]) / 2**20:.1f} GiB"
    except OSError:
        pass
    return "unknown memory"


def _version(package: str) -> str | None:
    try:
        return importlib.metadata.version(package)
    except importlib.metadata.PackageNotFoundError:
        return None


def machine_lines(packages: tuple[str, ...] = ("residentsurvey", "numpy", "pandas", "scipy", "matplotlib"),
                  extra: dict[str, str] | None = None) -> list[str]:
    """Two or three lines: the machine (cores, CPU, memory, load), Python and the libraries' versions."""
    load = ", ".join(f"{x:.2f}" for x in os.getloadavg()) if hasattr(os, "getloadavg") else "n/a"
    versions = [f"{p} {v}" for p in packages if (v := _version(p))]
    versions += [f"{name} {version}" for name, version in (extra or {}).items()]
    return [
        f"machine: {os.cpu_count()} cores, {_cpu_model()}, {_memory_gib()}, {platform.system()} "
        f"{platform.release()}; load average (1, 5, 15 min) {load}",
        f"versions: Python {platform.python_version()}, " + ", ".join(versions),
    ]
