"""Re-execute the notebooks and store them with their outputs, after checking the outputs are clean.

    python notebooks/execute.py                       # every notebooks/*.ipynb (what `make notebooks` runs)
    python notebooks/execute.py notebooks/planning.ipynb

Each notebook runs top to bottom in a fresh kernel of this Python, in a scratch folder (so the files
it writes land there, not in the repository). A notebook is stored only when every cell ran and its
outputs are clean: no error, nothing on stderr (warnings), no machine path (``/work/...``,
``/tmp/...``, ``/root/...``, the repository or scratch folder) and an image in every chart cell.
Otherwise the stored notebook is left as it was, the problems are printed, and the exit status is 1.
Timing metadata is not recorded, so a re-run changes only what the outputs change.

The checks are also used by ``tests/test_notebooks.py`` on the stored notebooks and on fresh runs.
"""

from __future__ import annotations

import argparse
import re
import sys
import tempfile
from pathlib import Path

import nbformat

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
CELL_TIMEOUT = 900  # seconds; the annual report cell writes the whole report
# Prefixes of absolute paths that only exist on the machine that ran the notebook.
MACHINE_PATHS = ("/work/", "/tmp/", "/root/", "/home/", "/Users/", "/private/", "/var/folders/", "site-packages")
WARNING = re.compile(r"\b\w*Warning\b:")
IMAGE_TYPES = ("image/png", "image/svg+xml")


def chart_call() -> re.Pattern[str]:
    """A call of any chart function residentsurvey exports (``*_plot``, ``*_chart``, ``plot_*``) or of pyplot
    drawing; a cell that makes one is a chart cell and must show an image."""
    import residentsurvey as rs

    names = sorted(n for n in rs.__all__ if n.endswith(("_plot", "_chart")) or n.startswith("plot_"))
    return re.compile(rf"\b(?:{'|'.join(names)}|plt\.subplots|plt\.show)\(")


def _output_text(output: dict) -> str:
    if output.get("output_type") == "stream":
        return str(output.get("text", ""))
    if output.get("output_type") == "error":
        return "\n".join(output.get("traceback", []))
    data = output.get("data", {})
    return "\n".join(str(data[kind]) for kind in data if kind.startswith("text/") or kind.endswith("json"))


def problems(notebook: nbformat.NotebookNode, *, extra_paths: tuple[str, ...] = ()) -> list[str]:
    """Everything wrong with a notebook's stored outputs, one line each (an empty list: clean).

    Checks every code cell: it was executed; no error output; nothing written to stderr; no
    ``SomethingWarning:`` text; no machine path (``MACHINE_PATHS`` or ``extra_paths``) in any text
    output; and a chart cell (see :func:`chart_call`) has an image output.
    """
    found = []
    charts = chart_call()
    paths = MACHINE_PATHS + tuple(str(p) for p in extra_paths)
    for number, cell in enumerate(notebook.cells, start=1):
        if cell.cell_type != "code":
            continue
        where = f"cell {number} ({cell.source.strip().splitlines()[0][:60] if cell.source.strip() else 'empty'!r})"
        if cell.source.strip() and cell.get("execution_count") is None:
            found.append(f"{where}: not executed")
        outputs = cell.get("outputs", [])
        for output in outputs:
            text = _output_text(output)
            if output.get("output_type") == "error":
                found.append(f"{where}: error {output.get('ename')}: {output.get('evalue')}")
            if output.get("output_type") == "stream" and output.get("name") == "stderr":
                found.append(f"{where}: writes to stderr: {text.strip()[:200]!r}")
            elif WARNING.search(text):
                found.append(f"{where}: shows a warning: {WARNING.search(text).group(0)}")
            for path in paths:
                if path in text:
                    found.append(f"{where}: shows a machine path containing {path!r}")
        if charts.search(cell.source) and not any(kind in output.get("data", {}) for output in outputs
                                                  for kind in IMAGE_TYPES):
            found.append(f"{where}: draws a chart but has no image output (end the cell with the figure, "
                         f"not an assignment)")
    return found


def execute(path: Path, *, workdir: Path) -> nbformat.NotebookNode:
    """The notebook at ``path``, executed top to bottom in a fresh python3 kernel running in ``workdir``."""
    from nbclient import NotebookClient

    notebook = nbformat.read(path, as_version=4)
    for cell in notebook.cells:
        cell.metadata.pop("execution", None)
    client = NotebookClient(notebook, timeout=CELL_TIMEOUT, kernel_name="python3", record_timing=False,
                            resources={"metadata": {"path": str(workdir)}})
    client.execute()
    return notebook


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("notebooks", nargs="*", type=Path, help="notebooks to run (default: notebooks/*.ipynb)")
    args = parser.parse_args(argv)
    paths = [p.resolve() for p in args.notebooks] or sorted(HERE.glob("*.ipynb"))
    failed = 0
    for path in paths:
        print(f"{path.name}: running", flush=True)
        with tempfile.TemporaryDirectory(prefix="notebook-") as scratch:
            try:
                notebook = execute(path, workdir=Path(scratch))
            except Exception as error:  # noqa: BLE001 - report and go on to the next notebook
                failed += 1
                print(f"{path.name}: FAILED, not stored\n{error}", file=sys.stderr, flush=True)
                continue
            found = problems(notebook, extra_paths=(scratch, str(ROOT)))
        if found:
            failed += 1
            print(f"{path.name}: not stored:\n  " + "\n  ".join(found), file=sys.stderr, flush=True)
            continue
        nbformat.write(notebook, path)
        print(f"{path.name}: stored", flush=True)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
