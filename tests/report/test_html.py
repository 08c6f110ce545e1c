"""The static HTML report: structure and accessibility without a browser, then headless Chromium if present."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import matplotlib
import pytest

matplotlib.use("Agg")

import residentsurvey.report as report  # noqa: E402

from ._html_check import audit_page  # noqa: E402
from .conftest import SWEMWBS_NOTICE, build_bands, build_limits, build_table  # noqa: E402


@pytest.fixture(scope="module")
def pages(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    table = build_table()
    folder = tmp_path_factory.mktemp("html")
    return report.write_html_report(table, folder, bands=build_bands(table), limits=build_limits(table))


def test_one_page_for_the_consortium_and_one_per_council(pages: list[Path]) -> None:
    assert [p.name for p in pages] == ["index.html", "council-eastmere.html", "council-middleton-cross.html",
                                       "council-northbridge.html", "council-southwold-vale.html",
                                       "council-westhaven.html"]
    assert all(p.stat().st_size > 10_000 for p in pages)
    assert (pages[0].parent / "report.css").exists()


def test_every_page_is_accessible_and_self_contained(pages: list[Path]) -> None:
    table = build_table()
    labels = set(table.sort_values("wave").drop_duplicates("indicator", keep="last")["label"])
    for path in pages:
        audit = audit_page(path.read_text(encoding="utf-8"))
        assert audit.lang == "en-GB", path.name
        assert len(audit.h1) == 1, path.name
        assert labels <= set(audit.h2), path.name
        assert audit.images, path.name
        for image in audit.images:
            src = image.get("src") or ""
            assert src.startswith("charts/") and src.endswith(".svg"), (path.name, src)
            assert (path.parent / src).read_text(encoding="utf-8").startswith("<svg"), src
            assert len(image.get("alt") or "") > 40, (path.name, image.get("alt"))
        assert audit.external == [], path.name
        assert audit.stylesheets == ["report.css"], path.name
        assert audit.scripts == 0
        assert audit.tables >= 5 and audit.tables == audit.captions, path.name
        assert audit.column_headers and set(audit.column_headers) == {"col"}, path.name
        local = [href for href in audit.links if not href.startswith("#")]
        charts = {image.get("src") for image in audit.images}
        assert set(local) <= {p.name for p in pages} | charts, path.name


def test_suppressed_rows_say_suppressed_in_words(pages: list[Path]) -> None:
    index = audit_page(pages[0].read_text(encoding="utf-8"))
    eastmere = [row for row in index.rows if row and row[0] == "Eastmere" and "suppressed" in " ".join(row)]
    assert eastmere, "Eastmere's suppressed SWEMWBS row must say 'suppressed'"
    row = eastmere[0]
    assert row[1] == "suppressed" and row[2] == "suppressed"
    assert "unweighted base 24 is below 30" in row[-1]
    council = audit_page(pages[1].read_text(encoding="utf-8"))
    assert any(r[0] == "Eastmere" and r[1] == "2" and r[2] == "suppressed" for r in council.rows)


def test_notices_rank_intervals_and_no_league_table_are_explained(pages: list[Path]) -> None:
    for path in pages:
        audit = audit_page(path.read_text(encoding="utf-8"))
        assert SWEMWBS_NOTICE in audit.text
        assert "rank interval" in audit.text.lower()
        assert "No league table is shown" in audit.text
        assert "simply ranking local authorities" in audit.text


def test_alt_text_names_what_the_chart_shows(pages: list[Path]) -> None:
    audit = audit_page(pages[0].read_text(encoding="utf-8"))
    alts = [image["alt"] or "" for image in audit.images]
    assert any(a.startswith("Forest plot of Mean mental wellbeing score") and "Eastmere: suppressed (n < 30)" in a
               for a in alts)
    assert any(a.startswith("Trend chart of % who feel safe walking alone") and "Break in series" in a for a in alts)
    assert any(a.startswith("Funnel plot of") and "Outside the limits" in a for a in alts)
    assert any(a.startswith("Stacked bar chart of") and "Eastmere: suppressed." in a for a in alts)


def test_values_are_escaped(tmp_path: Path) -> None:
    table = build_table()
    table["area"] = table["area"].replace("Eastmere", "East <script>alert(1)</script> & mere")
    table["label"] = table["label"].str.replace("local area", "local <b>area</b>")
    paths = report.write_html_report(table[table["indicator"] == "satisfied_area"], tmp_path, title="A & B's <survey>")
    markup = paths[0].read_text(encoding="utf-8")
    assert "<script>" not in markup and "<b>area</b>" not in markup
    assert "East &lt;script&gt;alert(1)&lt;/script&gt; &amp; mere" in markup
    assert "A &amp; B&#x27;s &lt;survey&gt;" in markup
    assert audit_page(markup).scripts == 0


def test_the_same_table_gives_the_same_pages(tmp_path: Path) -> None:
    table = build_table()
    one = table[table["indicator"] == "life_satisfaction"]
    first = report.write_html_report(one, tmp_path / "a")
    second = report.write_html_report(one, tmp_path / "b")
    assert [p.read_bytes() for p in first] == [p.read_bytes() for p in second]
    charts = sorted((tmp_path / "a" / "charts").iterdir())
    assert charts and [c.read_bytes() for c in charts] == [(tmp_path / "b" / "charts" / c.name).read_bytes()
                                                           for c in charts]


def test_single_wave_council_pages_highlight_the_council(tmp_path: Path) -> None:
    table = build_table()
    one = table[(table["indicator"] == "satisfied_area") & (table["wave"] == 1)]
    paths = report.write_html_report(one, tmp_path)
    index, council = (audit_page(p.read_text(encoding="utf-8")) for p in (paths[0], paths[1]))
    assert len(index.images) == 1 and len(council.images) == 1
    assert index.images[0]["src"] != council.images[0]["src"]


def _chromium() -> str | None:
    for name in ("chromium", "chromium-browser", "google-chrome"):
        found = shutil.which(name)
        if found:
            return found
    return None


_NO_CHROMIUM = pytest.mark.skipif(_chromium() is None, reason="no chromium, chromium-browser or google-chrome on "
                                  "PATH (CI installs the Debian 'chromium' package when it can)")


def _run_chromium(tmp_path: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [_chromium(), "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync", "--hide-scrollbars",
         f"--user-data-dir={tmp_path / 'profile'}", "--enable-logging=stderr", "--v=0", *args],
        capture_output=True, text=True, timeout=90)


@_NO_CHROMIUM
@pytest.mark.parametrize("width", [1280, 390])
@pytest.mark.parametrize("page", ["index.html", "council-southwold-vale.html"])
def test_pages_render_in_headless_chromium(pages: list[Path], page: str, width: int, tmp_path: Path) -> None:
    from PIL import Image

    path = next(p for p in pages if p.name == page)
    shot = tmp_path / "page.png"
    done = _run_chromium(tmp_path, f"--screenshot={shot}", f"--window-size={width},2000", path.as_uri())
    assert shot.exists(), done.stderr[-2000:]
    assert shot.stat().st_size > 20_000
    with Image.open(shot) as image:
        assert image.size == (width, 2000)
        colours = image.convert("L").getcolors(maxcolors=1 << 16)
    assert colours is None or len(colours) > 50, "the screenshot is nearly blank"
    assert "Uncaught" not in done.stderr, done.stderr[-2000:]
    assert "ERR_FILE_NOT_FOUND" not in done.stderr and "Failed to load resource" not in done.stderr


# A test-only page (the report itself has no script) that shows a report page in a 390 px wide frame, as on
# a phone, and records the frame's width, its scroll width and the elements that stick out. (Headless
# Chromium will not make a window narrower than 500 px, so the phone is a frame.)
_PROBE = """<!DOCTYPE html><html><body style="margin:0">
<iframe id="f" src="{page}" style="width:390px;height:844px;border:0"></iframe>
<script>
document.getElementById("f").addEventListener("load", () => {{
  const frame = document.getElementById("f"), doc = frame.contentDocument, win = frame.contentWindow;
  const out = [];
  for (const el of doc.body.querySelectorAll("*")) {{
    const box = el.getBoundingClientRect();
    if (box.right > win.innerWidth + 0.5 && box.width > 0)
      out.push(el.tagName + " " + Math.round(box.right) + ": " + (el.textContent || "").trim().slice(0, 40));
  }}
  document.body.setAttribute("data-probe", JSON.stringify({{inner: win.innerWidth,
    scroll: doc.documentElement.scrollWidth, overflow: out.slice(0, 5)}}));
}});
</script></body></html>"""


def measure_on_phone(folder: Path, page: str, tmp_path: Path) -> dict:
    """``page`` of ``folder`` shown in a 390 px frame: the frame's width, the page's scroll width, what sticks out."""
    import json
    import re

    probe = folder / f"_probe-{page}"
    probe.write_text(_PROBE.format(page=page), encoding="utf-8")
    try:
        done = _run_chromium(tmp_path, "--dump-dom", "--allow-file-access-from-files", "--window-size=500,900",
                             "--virtual-time-budget=5000", probe.as_uri())
    finally:
        probe.unlink()
    found = re.search(r'data-probe="([^"]*)"', done.stdout)
    assert found, done.stderr[-2000:]
    return json.loads(found.group(1).replace("&quot;", '"').replace("&amp;", "&"))


@_NO_CHROMIUM
@pytest.mark.parametrize("page", ["index.html", "council-eastmere.html"])
def test_on_a_390px_phone_nothing_is_wider_than_the_screen(pages: list[Path], page: str, tmp_path: Path) -> None:
    measured = measure_on_phone(pages[0].parent, page, tmp_path)
    assert measured["inner"] == 390, measured
    assert measured["scroll"] <= measured["inner"], measured
    assert measured["overflow"] == [], measured


@_NO_CHROMIUM
def test_a_council_page_shows_its_council_highlighted_in_the_forest_plot(pages: list[Path], tmp_path: Path) -> None:
    """The council's copy of the shared forest plot, as Chromium draws it, shows the highlight band; the
    consortium's copy does not."""
    from PIL import Image

    council = audit_page(pages[1].read_text(encoding="utf-8"))
    index = audit_page(pages[0].read_text(encoding="utf-8"))
    mine = next(i["src"] for i in council.images if "forest-satisfied-area" in (i["src"] or ""))
    shared = next(i["src"] for i in index.images if "forest-satisfied-area" in (i["src"] or ""))
    assert mine == shared.replace(".svg", "--eastmere.svg")
    highlight = (0xFF, 0xF1, 0xB8)
    counts = []
    for src in (shared, mine):
        shot = tmp_path / "chart.png"
        _run_chromium(tmp_path, f"--screenshot={shot}", "--window-size=900,500", (pages[0].parent / src).as_uri())
        with Image.open(shot) as image:
            counts.append(sum(n for n, colour in image.convert("RGB").getcolors(1 << 20) if colour == highlight))
    assert counts[0] == 0 and counts[1] > 5_000, counts
