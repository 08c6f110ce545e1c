"""Importing residentsurvey is cheap, and the lazy public namespace still holds every name.

The import checks run in a fresh interpreter (a subprocess), because this test session has long
since imported matplotlib and scipy.
"""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

import residentsurvey as rs

HEAVY = ("matplotlib", "scipy", "statsmodels", "tqdm", "openpyxl", "pyreadstat")


def _loaded_after(statement: str) -> dict[str, object]:
    """Which heavy packages (and how many modules) a fresh interpreter holds after ``statement``."""
    code = (f"import sys, json\n{statement}\n"
            f"print(json.dumps({{'heavy': sorted(m for m in {HEAVY!r} if m in sys.modules), "
            f"'pandas': 'pandas' in sys.modules, 'modules': len(sys.modules)}}))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_import_loads_neither_matplotlib_nor_scipy():
    loaded = _loaded_after("import residentsurvey")
    assert loaded["heavy"] == []
    assert not loaded["pandas"], "import residentsurvey should not even need pandas"


def test_command_line_help_loads_nothing_heavy():
    loaded = _loaded_after("import residentsurvey.cli as cli\n"
                           "try:\n    cli.main(['--help'])\nexcept SystemExit:\n    pass")
    assert loaded["heavy"] == [] and not loaded["pandas"]


def test_design_and_estimates_do_not_load_matplotlib():
    loaded = _loaded_after("import pandas as pd, residentsurvey as rs\n"
                           "frame = pd.DataFrame({'h': [1, 1, 2, 2], 'w': [1.0, 2, 3, 4], 'y': [1.0, 2, 3, 5]})\n"
                           "d = rs.SurveyDesign(frame, weights='w', strata='h')\n"
                           "d.mean('y', by='h')")
    assert "matplotlib" not in loaded["heavy"]


def test_every_public_name_resolves_and_is_listed():
    assert len(rs.__all__) == len(set(rs.__all__))
    listed = dir(rs)
    for name in rs.__all__:
        assert name in listed
        assert getattr(rs, name) is not None
    assert rs.forest_plot.__module__ == "residentsurvey.report.forest"
    assert rs.SurveyDesign is rs.analysis.SurveyDesign
    assert "analysis" in listed


def test_every_public_name_is_importable_with_from():
    namespace: dict[str, object] = {}
    exec(f"from residentsurvey import {', '.join(n for n in rs.__all__ if n != '__version__')}", namespace)
    assert namespace["indicators"] is rs.indicators


def test_unknown_name_says_so():
    with pytest.raises(AttributeError, match="module 'residentsurvey' has no attribute 'forrest_plot'"):
        rs.forrest_plot  # noqa: B018


def test_a_public_name_is_never_shadowed_by_its_module() -> None:
    """rs.demo_ward_lookup first, then rs.demo_wards: still the function, not the module that holds both."""
    code = ("import residentsurvey as rs; rs.demo_ward_lookup; import types; "
            "assert not isinstance(rs.demo_wards, types.ModuleType), rs.demo_wards; "
            "assert all(not isinstance(getattr(rs, n), types.ModuleType) for n in rs.__all__)")
    subprocess.run([sys.executable, "-c", code], check=True)
