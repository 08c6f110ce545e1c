"""The Python blocks of docs/small_area.md run as written, one after another."""

from __future__ import annotations

import re
from pathlib import Path

import matplotlib

PAGE = Path(__file__).parent.parent.parent / "docs" / "small_area.md"


def test_docs_blocks_run() -> None:
    matplotlib.use("Agg")
    blocks = re.findall(r"```python\n(.*?)```", PAGE.read_text(encoding="utf-8"), flags=re.S)
    assert len(blocks) >= 3
    namespace: dict[str, object] = {}
    for block in blocks:
        exec(compile(block, str(PAGE), "exec"), namespace)
    sae = namespace["sae"]
    assert sae.estimates["estimate"].between(0, 1).all() and (sae.estimates["method"] == "synthetic").sum() == 17
