"""The explorer in a real browser (headless Chromium): choosing a council and an indicator shows the
table's numbers; suppressed figures show no number. Skipped when Chromium is absent."""

from __future__ import annotations

import re
import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlencode

import pandas as pd
import pytest

import residentsurvey as rs
from residentsurvey.errors import ReportError

CHROMIUM = next((p for p in ("/usr/bin/chromium", shutil.which("chromium") or "", shutil.which("chromium-browser") or "",
                             shutil.which("google-chrome") or "") if p and Path(p).exists()), None)
needs_browser = pytest.mark.skipif(CHROMIUM is None, reason="no Chromium to run the explorer in")


class _Page(HTMLParser):
    """Collects the headline's data attributes and text, and the rows of the numbers table."""

    def __init__(self) -> None:
        super().__init__()
        self.headline: dict[str, str] = {}
        self.headline_text = ""
        self.rows: list[dict[str, str]] = []
        self._in_headline = False
        self._cells: list[str] | None = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if attrs.get("id") == "headline":
            self.headline, self._in_headline = attrs, True
        if tag == "tr" and "data-area" in attrs:
            self.rows.append(attrs)
            self._cells = []
        if tag in ("td", "th") and self._cells is not None:
            self._cells.append("")

    def handle_endtag(self, tag):
        if tag == "p":
            self._in_headline = False
        if tag == "tr" and self._cells is not None:
            self.rows[-1]["cells"] = self._cells
            self._cells = None

    def handle_data(self, data):
        if self._in_headline:
            self.headline_text += data
        if self._cells:
            self._cells[-1] += data


def _open(page: Path, **choice) -> _Page:
    url = page.as_uri() + "?" + urlencode(choice)
    dom = subprocess.run([CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--dump-dom", url],
                         capture_output=True, text=True, timeout=120, check=True).stdout
    parsed = _Page()
    parsed.feed(dom)
    return parsed


@pytest.fixture(scope="module")
def explorer(suppressed_table, tmp_path_factory) -> Path:
    return rs.write_explorer(suppressed_table, tmp_path_factory.mktemp("explorer") / "explorer.html")


@needs_browser
@pytest.mark.parametrize("council, indicator, wave", [("Southwold Vale", "satisfied_area", 2),
                                                      ("Eastmere", "mean_life_satisfaction", 1),
                                                      ("Westhaven", "trust_council", 1),
                                                      ("Eastmere", "mean_anxious", 2)])
def test_the_numbers_shown_are_the_tables(explorer, suppressed_table, council, indicator, wave):
    page = _open(explorer, council=council, indicator=indicator, wave=wave)
    t = suppressed_table
    row = t[(t["area"] == council) & (t["indicator"] == indicator) & (t["wave"] == wave)].iloc[0]
    assert row["flag"] != "suppressed"
    assert (page.headline["data-council"], page.headline["data-indicator"], page.headline["data-wave"]) == (
        council, indicator, str(wave))
    assert float(page.headline["data-estimate"]) == row["estimate"]
    share = row["statistic"] == "share"
    shown = (lambda v: f"{100 * v:.1f}%") if share else (lambda v: f"{v:.2f}")
    text = " ".join(page.headline_text.split())
    assert f"{shown(row['estimate'])} (95% confidence interval {shown(row['ci_lower'])} to {shown(row['ci_upper'])}; " \
           f"base {row['n']} residents)" in text
    assert f"Compared with all councils: {row['vs_consortium_verdict']}" in text
    better = {"higher_is_better": "Higher is better", "lower_is_better": "Lower is better"}.get(row["polarity"])
    assert (better in text) if better else ("is better for this measure" not in text)
    # the table under the charts: the council and All councils in every wave the indicator has
    expected = t[(t["indicator"] == indicator) & t["area"].isin([council, "All councils"])]
    assert len(page.rows) == len(expected)
    for shown_row in page.rows:
        source = expected[(expected["area"] == shown_row["data-area"]) &
                          (expected["wave"] == int(shown_row["data-wave"]))].iloc[0]
        if source["flag"] == "suppressed":
            assert shown_row["cells"][2] == "[c]"
        else:
            assert float(shown_row["data-estimate"]) == source["estimate"]
            assert shown_row["cells"][2] == shown(source["estimate"])
            assert shown_row["cells"][3] == f"{shown(source['ci_lower'])} to {shown(source['ci_upper'])}"
        assert shown_row["cells"][4] == str(source["n"])


@needs_browser
def test_a_suppressed_figure_shows_its_reason_and_no_number(explorer, suppressed_table):
    t = suppressed_table
    row = t[(t["flag"] == "suppressed") & (t["wave"] == 2)].iloc[0]
    page = _open(explorer, council=row["area"], indicator=row["indicator"], wave=2)
    text = " ".join(page.headline_text.split())
    assert f"Not published: {row['flag_reason']}" in text
    assert page.headline["data-estimate"] == ""
    assert not re.search(r"\d+\.\d%", text)


def test_page_is_self_contained_and_labelled(explorer):
    html = explorer.read_text()
    assert "<script src" not in html and "<link" not in html and "http://" not in html.replace("http://www.w3.org", "")
    for control in ("council", "indicator", "wave"):
        assert f'<label for="{control}">' in html
    assert 'aria-live="polite"' in html and "<caption" in html and 'scope="col"' in html


def test_wrong_file_name_or_table_is_refused(suppressed_table, tmp_path):
    with pytest.raises(ReportError, match="name the file ...html"):
        rs.write_explorer(suppressed_table, tmp_path / "explorer.pdf")
    with pytest.raises(ReportError, match=r"lacks column\(s\) \['label'"):
        rs.write_explorer(suppressed_table.drop(columns=["label"]), tmp_path / "e.html")


def _playwright():
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        return None
    return sync_playwright


@needs_browser
@pytest.mark.skipif(_playwright() is None, reason="playwright is not installed")
def test_keyboard_choice_and_download_in_a_real_browser(explorer, suppressed_table, tmp_path):
    """Drive the page as a keyboard user would: tab to the controls, change them with the arrow keys, press the
    download button with Enter; the figure and the downloaded CSV are the table's numbers."""
    t = suppressed_table
    with _playwright()() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        try:
            page = browser.new_page(accept_downloads=True)
            page.goto(explorer.as_uri())
            page.keyboard.press("Tab")                       # the council chooser is the first control
            assert page.evaluate("document.activeElement.id") == "council"
            page.keyboard.press("ArrowDown")                 # next council
            council = page.evaluate("document.getElementById('council').value")
            assert council == t.loc[t["area_type"] == "council", "area"].unique()[1]
            page.keyboard.press("Tab")
            assert page.evaluate("document.activeElement.id") == "indicator"
            page.select_option("#indicator", "mean_life_satisfaction")
            headline = page.locator("#headline")
            assert headline.get_attribute("data-council") == council
            row = t[(t["area"] == council) & (t["indicator"] == "mean_life_satisfaction") & (t["wave"] == 2)].iloc[0]
            if row["flag"] != "suppressed":
                assert float(headline.get_attribute("data-estimate")) == row["estimate"]
                assert page.inner_text("#estimate") == f"{row['estimate']:.2f}"
            page.focus("#download")
            with page.expect_download() as download:
                page.keyboard.press("Enter")
            target = tmp_path / "shown.csv"
            download.value.save_as(target)
        finally:
            browser.close()
    shown = pd.read_csv(target, dtype={"estimate": str})
    expected = t[(t["indicator"] == "mean_life_satisfaction") & t["area"].isin([council, "All councils"])]
    assert len(shown) == len(expected)
    for _, r in shown.iterrows():
        source = expected[(expected["area"] == r["area"]) & (expected["wave"] == r["wave"])].iloc[0]
        if source["flag"] == "suppressed":
            assert r["estimate"] == "[c]"
        else:
            assert float(r["estimate"]) == source["estimate"] and r["n"] == source["n"]
