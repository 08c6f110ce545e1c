"""The explorer: one self-contained HTML file where a reader picks council, indicator and wave.

No server, no network, no library: the numbers are embedded as JSON, the charts are plain SVG
drawn by a few lines of script. The page shows the estimate and its interval, the comparison
with all councils, the trend across waves and the base, in words, in a chart and in a table
for screen readers, and offers the numbers shown as a CSV download.

Accessibility (WCAG 2.2 AA): native labelled ``<select>`` controls (keyboard operable), a
visible focus ring, a live region announcing the figure, every chart repeated as a table with
a caption, text contrast of at least 7:1 and chart marks of at least 3:1 against white,
Okabe-Ito colours and shapes so no meaning rests on colour alone. ``?council=...&indicator=...&wave=...``
in the address opens the page on that choice (used by the browser test, handy for links).
"""

from __future__ import annotations

import html
import json
from pathlib import Path

import numpy as np
import pandas as pd

from ..errors import ReportError

__all__ = ["write_explorer"]

_COLUMNS = ["wave", "indicator", "label", "statistic", "unit", "polarity", "area", "area_type", "estimate", "se",
            "ci_lower", "ci_upper", "n", "flag", "flag_reason", "vs_consortium", "vs_consortium_verdict", "change",
            "change_verdict", "comparability", "rank_lower", "rank_upper"]


def _records(table: pd.DataFrame) -> list[dict]:
    frame = table[[c for c in _COLUMNS if c in table.columns]].copy()
    rows = []
    for record in frame.to_dict(orient="records"):
        clean = {}
        for key, value in record.items():
            if value is None or value is pd.NA or (isinstance(value, float) and np.isnan(value)):
                clean[key] = None
            elif isinstance(value, (np.integer,)):
                clean[key] = int(value)
            elif isinstance(value, (np.floating,)):
                clean[key] = float(value)
            else:
                clean[key] = value
        rows.append(clean)
    return rows


def write_explorer(table: pd.DataFrame, path: str | Path, *, title: str = "Residents' survey explorer",
                   notes: str = "") -> Path:
    """Write the indicator table as a one-file, offline, accessible explorer.

    Parameters
    ----------
    table
        The table from :func:`residentsurvey.indicators` (one or several waves).
    path
        The ``.html`` file to write.
    title
        The page title.
    notes
        A sentence or two printed under the title (source, weighting, release date).

    Returns
    -------
    pathlib.Path
        The file written.

    Examples
    --------
    >>> import tempfile, pathlib, pandas as pd
    >>> t = pd.DataFrame({"wave": 1, "indicator": "trust", "label": "% trusting the council", "statistic": "share",
    ...                   "unit": "%", "polarity": "higher_is_better", "area": ["Eastmere", "All councils"],
    ...                   "area_type": ["council", "consortium_population"], "estimate": [0.61, 0.58],
    ...                   "ci_lower": [0.57, 0.56], "ci_upper": [0.65, 0.60], "n": [600, 3000], "flag": "ok"})
    >>> page = write_explorer(t, pathlib.Path(tempfile.mkdtemp()) / "explorer.html")
    >>> "Eastmere" in page.read_text() and "<script src" not in page.read_text()
    True
    """
    lacking = [c for c in ("wave", "indicator", "label", "statistic", "area", "area_type", "estimate", "ci_lower",
                           "ci_upper", "n", "flag") if c not in table.columns]
    if lacking:
        raise ReportError(f"the indicator table lacks column(s) {lacking}; write_explorer needs the table from "
                          "rs.indicators(...).")
    path = Path(path)
    if path.suffix.lower() not in (".html", ".htm"):
        raise ReportError(f"the explorer is an HTML page; name the file ...html, not {path.name!r}.")
    data = json.dumps(_records(table), separators=(",", ":"), allow_nan=False).replace("</", "<\\/")
    page = (_TEMPLATE.replace("__TITLE__", html.escape(title)).replace("__NOTES__", html.escape(notes))
            .replace("__DATA__", data))
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(page, encoding="utf-8")
    return path


_TEMPLATE = r"""<!DOCTYPE html>
<html lang="en-GB">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>__TITLE__</title>
<style>
:root { --ink: #1a1a1a; --muted: #4a4a4a; --council: #0072B2; --all: #000000; --line: #767676; --focus: #B35900; }
* { box-sizing: border-box; }
body { font: 16px/1.5 system-ui, -apple-system, "Segoe UI", Arial, sans-serif; color: var(--ink); background: #fff;
       margin: 0 auto; max-width: 1100px; padding: 1rem; }
h1 { font-size: 1.6rem; margin: 0 0 .25rem; } h2 { font-size: 1.2rem; margin: 1.5rem 0 .5rem; }
p.notes { color: var(--muted); margin-top: 0; }
form { display: flex; flex-wrap: wrap; gap: 1rem; margin: 1rem 0; }
label { display: flex; flex-direction: column; font-weight: 600; flex: 1 1 14rem; min-width: 0; }
select { width: 100%; max-width: 100%; text-overflow: ellipsis; }
select, button { font: inherit; padding: .45rem .5rem; border: 2px solid #595959; border-radius: 4px; background: #fff;
                 color: var(--ink); min-height: 44px; }
select:focus-visible, button:focus-visible, a:focus-visible { outline: 3px solid var(--focus); outline-offset: 2px; }
button { cursor: pointer; font-weight: 600; }
#headline { font-size: 1.25rem; border-left: 6px solid var(--council); padding: .5rem 1rem; background: #f5f8fb; }
#headline strong { font-size: 1.6rem; }
.flag { color: #7a2e00; font-weight: 600; }
.charts { display: grid; grid-template-columns: repeat(auto-fit, minmax(300px, 1fr)); gap: 1rem; }
figure { margin: 0; } figcaption { font-weight: 600; margin-bottom: .25rem; }
svg { width: 100%; height: auto; display: block; } svg text { font: 15px system-ui, Arial, sans-serif; fill: var(--ink); }
table { border-collapse: collapse; width: 100%; margin: .5rem 0; font-variant-numeric: tabular-nums; }
caption { text-align: left; font-weight: 600; padding: .25rem 0; }
th, td { border-bottom: 1px solid #bbb; padding: .35rem .5rem; text-align: right; }
th:first-child, td:first-child { text-align: left; }
.key span { display: inline-flex; align-items: center; gap: .35rem; margin-right: 1rem; }
.key svg { width: 16px; height: 16px; display: inline; }
.table-wrap { overflow-x: auto; }
td.note { text-align: left; }
@media (max-width: 600px) { body { padding: .6rem; } h1 { font-size: 1.3rem; } th, td { padding: .3rem .25rem; font-size: .9rem; } }
</style>
</head>
<body>
<main>
<h1>__TITLE__</h1>
<p class="notes">__NOTES__</p>
<form id="choose" aria-label="Choose what to see" onsubmit="return false">
  <label for="council">Council<select id="council" name="council"></select></label>
  <label for="indicator">Indicator<select id="indicator" name="indicator"></select></label>
  <label for="wave">Wave<select id="wave" name="wave"></select></label>
</form>
<section aria-labelledby="result-title">
  <h2 id="result-title">The figure</h2>
  <p id="headline" role="status" aria-live="polite" aria-atomic="true"></p>
</section>
<section aria-labelledby="charts-title">
  <h2 id="charts-title">Charts</h2>
  <p class="key" aria-hidden="true"><span><svg width="16" height="16"><circle cx="8" cy="8" r="6" fill="#0072B2"/></svg>the council</span>
     <span><svg width="16" height="16"><rect x="2" y="2" width="12" height="12" fill="#000"/></svg>All councils</span>
     <span>lines: 95% confidence intervals</span></p>
  <div class="charts">
    <figure><figcaption id="cmp-cap">Compared with all councils</figcaption><div id="compare"></div></figure>
    <figure><figcaption id="trend-cap">Trend across waves</figcaption><div id="trend"></div></figure>
  </div>
</section>
<section aria-labelledby="numbers-title">
  <h2 id="numbers-title">The numbers shown</h2>
  <div class="table-wrap"><table id="numbers"><caption id="numbers-caption"></caption>
    <thead><tr><th scope="col">Area</th><th scope="col">Wave</th><th scope="col">Estimate</th><th scope="col">95% interval</th>
      <th scope="col">Base</th><th scope="col">Note</th></tr></thead><tbody></tbody></table></div>
  <p><button type="button" id="download">Download these numbers (CSV)</button></p>
</section>
</main>
<script id="data" type="application/json">__DATA__</script>
<script>
"use strict";
const ROWS = JSON.parse(document.getElementById("data").textContent);
const $ = (id) => document.getElementById(id);
const uniq = (xs) => [...new Set(xs)];
const councils = uniq(ROWS.filter(r => r.area_type === "council").map(r => r.area));
const waves = uniq(ROWS.map(r => r.wave)).sort((a, b) => a - b);
const indicators = uniq(ROWS.map(r => r.indicator));
const labelOf = {}; ROWS.forEach(r => { labelOf[r.indicator] = r.label; });
const ALL = ROWS.find(r => r.area_type === "consortium_population");
const ALL_NAME = ALL ? ALL.area : "All councils";
function fill(select, values, text) {
  select.innerHTML = "";
  values.forEach(v => { const o = document.createElement("option"); o.value = String(v); o.textContent = text(v); select.appendChild(o); });
}
fill($("council"), councils, v => v);
fill($("indicator"), indicators, v => labelOf[v]);
fill($("wave"), waves, v => "Wave " + v);
function find(area, indicator, wave) { return ROWS.find(r => r.area === area && r.indicator === indicator && r.wave === wave); }
function fmt(x, stat) { return x === null || x === undefined ? "" : (stat === "share" ? (100 * x).toFixed(1) + "%" : x.toFixed(2)); }
function esc(s) { return String(s).replace(/[&<>"]/g, c => ({"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;"}[c])); }
function shown(r) { return r && r.flag !== "suppressed" && r.estimate !== null; }
function current() {
  return {council: $("council").value, indicator: $("indicator").value, wave: Number($("wave").value)};
}
let SHOWN = [];
function intervalChart(rows, stat) {
  const ok = rows.filter(shown);
  const W = 480, rowH = 48, H = 34 + rowH * rows.length, left = 140, right = 30;
  if (!ok.length) return "<p>No published figures to draw.</p>";
  let lo = Math.min(...ok.map(r => r.ci_lower ?? r.estimate)), hi = Math.max(...ok.map(r => r.ci_upper ?? r.estimate));
  const pad = (hi - lo) * 0.15 || 0.05; lo -= pad; hi += pad;
  const x = v => left + (W - left - right) * (v - lo) / (hi - lo);
  let s = `<svg viewBox="0 0 ${W} ${H}" role="img" aria-labelledby="cmp-cap"><title>Estimates with intervals</title>`;
  s += `<line x1="${left}" x2="${W - right}" y1="${H - 18}" y2="${H - 18}" stroke="#767676"/>`;
  [lo + pad, (lo + hi) / 2, hi - pad].forEach(v => { s += `<text x="${x(v)}" y="${H - 2}" text-anchor="middle">${fmt(v, stat)}</text>`; });
  rows.forEach((r, i) => {
    const y = 22 + i * rowH, council = r.area_type === "council", colour = council ? "#0072B2" : "#000000";
    s += `<text x="${left - 8}" y="${y + 4}" text-anchor="end">${esc(r.area)}</text>`;
    if (!shown(r)) { s += `<text x="${left + 4}" y="${y + 4}">suppressed</text>`; return; }
    s += `<line x1="${x(r.ci_lower)}" x2="${x(r.ci_upper)}" y1="${y}" y2="${y}" stroke="${colour}" stroke-width="3"/>`;
    s += council ? `<circle cx="${x(r.estimate)}" cy="${y}" r="7" fill="${colour}"/>`
                 : `<rect x="${x(r.estimate) - 6}" y="${y - 6}" width="12" height="12" fill="${colour}"/>`;
    s += `<text x="${x(r.estimate)}" y="${y - 11}" text-anchor="middle">${fmt(r.estimate, stat)}</text>`;
  });
  return s + "</svg>";
}
function trendChart(series, stat) {
  const W = 480, H = 220, left = 70, right = 50, top = 20, bottom = 40;
  const ok = series.flat().filter(shown);
  if (!ok.length) return "<p>No published figures to draw.</p>";
  let lo = Math.min(...ok.map(r => r.ci_lower)), hi = Math.max(...ok.map(r => r.ci_upper));
  const pad = (hi - lo) * 0.15 || 0.05; lo -= pad; hi += pad;
  const x = w => waves.length === 1 ? (left + W - right) / 2 : left + (W - left - right) * waves.indexOf(w) / (waves.length - 1);
  const y = v => top + (H - top - bottom) * (hi - v) / (hi - lo);
  let s = `<svg viewBox="0 0 ${W} ${H}" role="img" aria-labelledby="trend-cap"><title>Trend</title>`;
  s += `<line x1="${left}" x2="${W - right}" y1="${H - bottom}" y2="${H - bottom}" stroke="#767676"/>`;
  waves.forEach(w => { s += `<text x="${x(w)}" y="${H - bottom + 20}" text-anchor="middle">Wave ${w}</text>`; });
  [lo + pad, hi - pad].forEach(v => { s += `<text x="${left - 6}" y="${y(v) + 4}" text-anchor="end">${fmt(v, stat)}</text>`; });
  series.forEach((rows, k) => {
    const colour = k === 0 ? "#0072B2" : "#000000", dash = k === 0 ? "" : ' stroke-dasharray="6 4"';
    const pts = rows.filter(shown);
    if (pts.length > 1) s += `<polyline fill="none" stroke="${colour}" stroke-width="2"${dash} points="${pts.map(r => x(r.wave) + "," + y(r.estimate)).join(" ")}"/>`;
    pts.forEach(r => {
      const off = k === 0 ? -6 : 6;
      s += `<line x1="${x(r.wave) + off}" x2="${x(r.wave) + off}" y1="${y(r.ci_lower)}" y2="${y(r.ci_upper)}" stroke="${colour}" stroke-width="2"/>`;
      s += k === 0 ? `<circle cx="${x(r.wave) + off}" cy="${y(r.estimate)}" r="6" fill="${colour}"/>`
                   : `<rect x="${x(r.wave) + off - 5}" y="${y(r.estimate) - 5}" width="10" height="10" fill="${colour}"/>`;
    });
  });
  return s + "</svg>";
}
function note(r) {
  if (!r) return "not asked in this wave";
  if (r.flag === "suppressed") return "suppressed: " + (r.flag_reason || "base too small");
  return r.flag === "ok" ? "" : r.flag.replace("_", " ") + (r.flag_reason ? ": " + r.flag_reason : "");
}
function render() {
  const c = current();
  const row = find(c.council, c.indicator, c.wave), all = find(ALL_NAME, c.indicator, c.wave);
  const any = ROWS.find(r => r.indicator === c.indicator);
  const stat = any.statistic;
  const h = $("headline");
  h.dataset.council = c.council; h.dataset.indicator = c.indicator; h.dataset.wave = c.wave;
  if (!row) {
    h.innerHTML = `${esc(labelOf[c.indicator])} was not asked in wave ${c.wave}.`;
    h.dataset.estimate = "";
  } else if (!shown(row)) {
    h.innerHTML = `${esc(c.council)}, wave ${c.wave}: ${esc(row.label)}. <span class="flag">Not published: ${esc(row.flag_reason || "base too small")}</span> (base ${row.n} residents).`;
    h.dataset.estimate = "";
  } else {
    const cmp = row.vs_consortium_verdict ? ` Compared with all councils: <strong class="verdict">${esc(row.vs_consortium_verdict)}</strong>.` : "";
    const chg = row.change_verdict ? ` Since the previous wave: ${esc(row.change_verdict)}${row.comparability && row.comparability !== "comparable" ? " (" + esc(row.comparability) + ")" : ""}.` : "";
    const better = {higher_is_better: " Higher is better for this measure.",
                    lower_is_better: " Lower is better for this measure."}[row.polarity] || "";
    const flag = row.flag !== "ok" ? ` <span class="flag">${esc(note(row))}</span>` : "";
    h.innerHTML = `${esc(c.council)}, wave ${c.wave}: ${esc(row.label)} <strong id="estimate">${fmt(row.estimate, stat)}</strong> ` +
      `(95% confidence interval <span id="interval">${fmt(row.ci_lower, stat)} to ${fmt(row.ci_upper, stat)}</span>; ` +
      `base <span id="base">${row.n}</span> residents).${cmp}${better}${chg}${flag}`;
    h.dataset.estimate = String(row.estimate);
  }
  const compare = [row, all].filter(Boolean);
  $("compare").innerHTML = intervalChart(compare, stat);
  const series = [waves.map(w => find(c.council, c.indicator, w)).filter(Boolean), waves.map(w => find(ALL_NAME, c.indicator, w)).filter(Boolean)];
  $("trend").innerHTML = trendChart(series, stat);
  SHOWN = series.flat().sort((a, b) => (a.area_type === "council" ? 0 : 1) - (b.area_type === "council" ? 0 : 1) || a.wave - b.wave);
  $("numbers-caption").textContent = `${labelOf[c.indicator]}: ${c.council} and ${ALL_NAME}, every wave`;
  $("numbers").tBodies[0].innerHTML = SHOWN.map(r => `<tr data-area="${esc(r.area)}" data-wave="${r.wave}" data-estimate="${r.estimate ?? ""}"><th scope="row">${esc(r.area)}</th><td>${r.wave}</td>` +
    `<td>${shown(r) ? fmt(r.estimate, stat) : "[c]"}</td><td>${shown(r) && r.ci_lower !== null ? fmt(r.ci_lower, stat) + " to " + fmt(r.ci_upper, stat) : ""}</td>` +
    `<td>${r.n}</td><td class="note">${esc(note(r))}</td></tr>`).join("");
  const q = new URLSearchParams({council: c.council, indicator: c.indicator, wave: String(c.wave)});
  if (history.replaceState && location.protocol !== "data:") { try { history.replaceState(null, "", "?" + q.toString()); } catch (e) {} }
}
function csv() {
  const cols = ["wave", "indicator", "label", "area", "statistic", "unit", "estimate", "se", "ci_lower", "ci_upper", "n", "flag", "flag_reason"];
  const cell = v => v === null || v === undefined ? "" : /[",\n]/.test(String(v)) ? '"' + String(v).replace(/"/g, '""') + '"' : String(v);
  return [cols.join(",")].concat(SHOWN.map(r => cols.map(k => cell(k === "estimate" && r.flag === "suppressed" ? "[c]" : r[k])).join(","))).join("\n") + "\n";
}
$("download").addEventListener("click", () => {
  const c = current();
  const a = document.createElement("a");
  a.href = URL.createObjectURL(new Blob([csv()], {type: "text/csv"}));
  a.download = `${c.indicator}-${c.council.replace(/\W+/g, "-")}.csv`;
  document.body.appendChild(a); a.click(); a.remove();
});
["council", "indicator", "wave"].forEach(id => $(id).addEventListener("change", render));
const query = new URLSearchParams(location.search);
["council", "indicator", "wave"].forEach(id => { const v = query.get(id); if (v !== null && [...$(id).options].some(o => o.value === v)) $(id).value = v; });
if (!query.get("wave")) $("wave").value = String(waves[waves.length - 1]);
render();
</script>
</body>
</html>
"""
