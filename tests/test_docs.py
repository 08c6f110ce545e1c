"""The documentation runs: every ```python block in README.md and docs/*.md is executed, and every public
name is documented.

Each page's blocks run in order in one namespace, in a scratch folder, so a page may build on its own
earlier blocks but never on files or names it did not create. A block that is deliberately not runnable
is fenced as ```python no-run (used sparingly; the count is pinned below so a new one is a decision).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).parent.parent
PAGES = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
FENCE = re.compile(r"^(?P<indent> {0,3})(?P<fence>`{3,}|~{3,})(?P<info>[^`\n]*)$")


@dataclass(frozen=True)
class Block:
    """One fenced code block: its page, the line its code starts on, the info words and the code."""

    page: Path
    line: int
    info: tuple[str, ...]
    code: str

    @property
    def is_python(self) -> bool:
        return bool(self.info) and self.info[0] in ("python", "py", "python3")

    @property
    def runs(self) -> bool:
        return self.is_python and "no-run" not in self.info[1:]


def code_blocks(page: Path) -> list[Block]:
    """Every fenced block of a Markdown page (CommonMark fences: ``` or ~~~, closed by at least as many)."""
    blocks: list[Block] = []
    lines = page.read_text(encoding="utf-8").splitlines()
    opened: tuple[int, str, tuple[str, ...]] | None = None
    body: list[str] = []
    for number, text in enumerate(lines, start=1):
        match = FENCE.match(text)
        if opened is None:
            if match:
                opened, body = (number + 1, match["fence"], tuple(match["info"].split())), []
        elif match and match["fence"][0] == opened[1][0] and len(match["fence"]) >= len(opened[1]) \
                and not match["info"].strip():
            blocks.append(Block(page, opened[0], opened[2], "\n".join(body) + "\n"))
            opened = None
        else:
            body.append(text)
    if opened is not None:
        raise AssertionError(f"{page.relative_to(ROOT)}:{opened[0] - 1}: code fence never closed")
    return blocks


def run_page(page: Path) -> None:
    """Execute the page's python blocks in order in one namespace; tracebacks point at the page's own lines."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    namespace: dict[str, object] = {"__name__": "__docs__"}
    try:
        for block in code_blocks(page):
            if block.runs:
                # Pad with blank lines so a traceback names the line of the Markdown file.
                code = compile("\n" * (block.line - 1) + block.code, str(page), "exec")
                exec(code, namespace)  # noqa: S102 - the docs are ours
    finally:
        plt.close("all")


@pytest.mark.parametrize("page", PAGES, ids=[str(p.relative_to(ROOT)) for p in PAGES])
def test_page_runs(page: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    run_page(page)


def test_no_run_blocks_are_few_and_deliberate() -> None:
    skipped = [f"{b.page.relative_to(ROOT)}:{b.line - 1}" for page in PAGES for b in code_blocks(page)
               if b.is_python and not b.runs]
    assert len(skipped) <= 2, f"python blocks marked no-run: {skipped}; make them runnable instead"


def test_every_page_has_only_known_fence_languages() -> None:
    """A block fenced as ```Python or ```python3 would silently escape the runner: only the spellings the
    runner knows are allowed for Python."""
    unknown = [f"{b.page.relative_to(ROOT)}:{b.line - 1}: {' '.join(b.info)}" for page in PAGES
               for b in code_blocks(page) if b.info and b.info[0].lower().startswith("py") and not b.is_python]
    assert not unknown


def test_code_blocks_parses_fences(tmp_path: Path) -> None:
    page = tmp_path / "page.md"
    page.write_text("text\n```python\nx = 1\n```\n\n````python no-run\n```\nnot code\n```\n````\n```sh\nls\n```\n")
    blocks = code_blocks(page)
    assert [(b.line, b.info, b.runs) for b in blocks] == [(3, ("python",), True), (7, ("python", "no-run"), False),
                                                          (12, ("sh",), False)]
    assert blocks[1].code == "```\nnot code\n```\n"


def test_a_failing_block_names_its_page_line(tmp_path: Path) -> None:
    import traceback

    page = tmp_path / "page.md"
    page.write_text("# t\n\n```python\nx = 1\n```\n\n```python\ny = x\nundefined_name\n```\n")
    with pytest.raises(NameError) as caught:
        run_page(page)
    frame = traceback.extract_tb(caught.value.__traceback__)[-1]
    assert (frame.filename, frame.lineno) == (str(page), 9)


def code_text() -> str:
    """Everything the pages show as code: inline `spans` and fenced blocks."""
    chunks = []
    for page in PAGES:
        text = page.read_text(encoding="utf-8")
        chunks += [block.code for block in code_blocks(page)]
        chunks += re.findall(r"`([^`\n]+)`", text)
    return "\n".join(chunks)


def test_api_page_indexes_every_public_name_and_nothing_else() -> None:
    """docs/api.md has a table row for each name of ``rs.__all__`` (the first cell, in backticks)."""
    import residentsurvey as rs

    indexed: set[str] = set()
    for line in (ROOT / "docs" / "api.md").read_text(encoding="utf-8").splitlines():
        if line.startswith("| `"):
            indexed.update(re.findall(r"`([^`]+)`", line.split("|")[1]))
    assert sorted(set(rs.__all__) - indexed) == [], "add these to docs/api.md"
    assert sorted(indexed - set(rs.__all__)) == [], "docs/api.md indexes names that rs.__all__ does not export"


def test_every_public_member_of_an_exported_class_is_documented() -> None:
    """Each public method and attribute a class of ``rs.__all__`` defines appears as code in the docs
    (``SurveyDesign.with_columns`` was once missing)."""
    import inspect

    import residentsurvey as rs

    text = code_text()
    missing = [f"{name}.{member}" for name in rs.__all__ if inspect.isclass(cls := getattr(rs, name))
               and not issubclass(cls, BaseException)
               for member in vars(cls) if not member.startswith("_")
               and not re.search(rf"(?<!\w){re.escape(member)}(?!\w)", text)]
    assert not missing, f"public members never shown as code in README.md or docs/*.md: {missing}"


def test_readme_lists_every_notebook() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    missing = [p.name for p in sorted((ROOT / "notebooks").glob("*.ipynb")) if f"notebooks/{p.name}" not in readme]
    assert not missing, f"notebooks the README does not list: {missing}"
