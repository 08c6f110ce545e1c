"""The notebooks: each runs end to end in a fresh kernel, and each is stored executed, with an image in
every chart cell and no error, warning or machine path in its outputs.

Executing and checking are done by ``notebooks/execute.py`` (what ``make notebooks`` runs to store them),
loaded here from its file, so the test and the command apply the same checks.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).parent.parent
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))
_spec = importlib.util.spec_from_file_location("notebooks_execute", ROOT / "notebooks" / "execute.py")
execute = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(execute)


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_notebook_runs_clean_and_shows_its_charts(path: Path, tmp_path: Path) -> None:
    notebook = execute.execute(path, workdir=tmp_path)
    assert execute.problems(notebook, extra_paths=(str(tmp_path), str(ROOT))) == []


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_stored_notebook_is_executed_and_clean(path: Path) -> None:
    """Run `make notebooks` (python notebooks/execute.py) after changing a notebook or what it shows."""
    notebook = nbformat.read(path, as_version=4)
    assert execute.problems(notebook, extra_paths=(str(ROOT),)) == []
    assert not any("execution" in cell.metadata for cell in notebook.cells), "timings are not stored"


def _cell(source: str, outputs: list[dict], count: int | None = 1) -> nbformat.NotebookNode:
    cell = nbformat.v4.new_code_cell(source, outputs=[nbformat.from_dict(o) for o in outputs])
    cell.execution_count = count
    return cell


@pytest.mark.parametrize("cell, message", [
    (_cell('rs.forest_plot(table, "x")', [{"output_type": "execute_result", "execution_count": 1, "metadata": {},
                                          "data": {"text/plain": "<Figure size 990x413.6 with 1 Axes>"}}]),
     "draws a chart but has no image output"),
    (_cell('figure = rs.trend_chart(table, "x")', []), "draws a chart but has no image output"),
    (_cell("import residentsurvey", [{"output_type": "stream", "name": "stderr",
                                      "text": "/work/x/tqdm/auto.py:21: TqdmWarning: IProgress not found"}]),
     "writes to stderr"),
    (_cell("path", [{"output_type": "execute_result", "execution_count": 1, "metadata": {},
                     "data": {"text/plain": "PosixPath('/tmp/pytest-3/cost-shares.xlsx')"}}]),
     "shows a machine path containing '/tmp/'"),
    (_cell("print(1)", [{"output_type": "stream", "name": "stdout", "text": "SmallBaseWarning: n = 3\n"}]),
     "shows a warning: SmallBaseWarning:"),
    (_cell("1 / 0", [{"output_type": "error", "ename": "ZeroDivisionError", "evalue": "division by zero",
                      "traceback": []}]), "error ZeroDivisionError: division by zero"),
    (_cell("x = 1", [], count=None), "not executed"),
])
def test_problems_are_found(cell: nbformat.NotebookNode, message: str) -> None:
    notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell("# t"), cell])
    found = execute.problems(notebook)
    assert len(found) >= 1 and all(line.startswith("cell 2 (") for line in found)
    assert any(message in line for line in found), found


def test_a_chart_cell_with_an_image_is_clean() -> None:
    image = {"output_type": "display_data", "metadata": {}, "data": {"image/png": "iVBORw0KGgo=", "text/plain": "<Figure>"}}
    notebook = nbformat.v4.new_notebook(cells=[_cell("ax = plot_statement(statement)\nplt.show()", [image])])
    assert execute.problems(notebook) == []


def test_there_is_a_quickstart() -> None:
    assert any(path.stem == "quickstart" for path in NOTEBOOKS)
