"""The progress bar of rs.indicators: drawn only when asked, without tqdm's notebook warning."""

from __future__ import annotations

import subprocess
import sys
import warnings

import pytest

from residentsurvey.analysis import _progress
from residentsurvey.analysis._progress import progress_bar


def test_no_widget_bar_without_ipywidgets(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    from tqdm.std import tqdm as text_bar

    monkeypatch.setattr(_progress.importlib.util, "find_spec", lambda name: None)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        bar = progress_bar(total=2, desc="indicators", unit="indicator", enabled=True)
        bar.update(2)
        bar.close()
    assert type(bar) is text_bar
    assert "indicators: 100%" in capsys.readouterr().err


def test_a_disabled_bar_draws_nothing(capsys: pytest.CaptureFixture[str]) -> None:
    bar = progress_bar(total=3, desc="indicators", unit="indicator", enabled=False)
    bar.update(3)
    bar.close()
    assert capsys.readouterr().err == ""


def test_importing_residentsurvey_does_not_import_tqdm() -> None:
    """tqdm.auto warned at import time in Jupyter without ipywidgets; now tqdm loads only for a bar."""
    code = "import sys, residentsurvey; print('tqdm' in sys.modules)"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "False"
