"""The markup of a static report page: skeleton, the shared style sheet, tables and figures.

Every value goes through :func:`html.escape`. Pages carry no script and nothing from another host:
the style sheet (:data:`STYLESHEET`) and the charts are files beside the pages, shared by all of them.
On a narrow screen (a phone) each table row reflows into a card of label-value lines, so no table
is wider than the screen.
"""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

__all__ = ["page", "table", "figure", "paragraphs", "Cell", "CSS", "STYLESHEET"]

#: The style sheet's file name, beside the pages.
STYLESHEET = "report.css"

CSS = """
:root { color-scheme: light; }
body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, Arial, sans-serif; font-size: 1rem;
       line-height: 1.5; color: #0b0c0c; background: #fff; margin: 0; overflow-wrap: break-word; }
.skip-link { position: absolute; left: -999px; top: 0; background: #ffdd00; padding: 0.5rem; }
.skip-link:focus { left: 0.5rem; }
header.site { background: #1d3557; color: #fff; padding: 0.75rem 1.5rem; }
header.site p { margin: 0; font-weight: 600; }
nav.pages ul { list-style: none; margin: 0.5rem 0 0; padding: 0; display: flex; flex-wrap: wrap; gap: 0.25rem 1.25rem; }
nav.pages a { color: #fff; }
nav.pages a[aria-current="page"] { font-weight: 700; text-decoration: none; border-bottom: 3px solid #fff; }
main { max-width: 62rem; margin: 0 auto; padding: 1rem 1.5rem 2rem; }
h1 { font-size: 2rem; line-height: 1.2; margin: 1rem 0; }
h2 { font-size: 1.5rem; margin: 2.5rem 0 0.75rem; border-top: 2px solid #1d3557; padding-top: 1rem; }
h3 { font-size: 1.15rem; margin: 1.5rem 0 0.5rem; }
a { color: #1d4f91; }
a:focus { outline: 3px solid #ffdd00; outline-offset: 1px; }
.lede { font-size: 1.15rem; }
.meta { color: #505a5f; }
table { border-collapse: collapse; width: 100%; margin: 1rem 0 1.5rem; font-variant-numeric: tabular-nums; }
caption { text-align: left; font-weight: 700; padding: 0 0 0.5rem; }
th, td { border-bottom: 1px solid #b1b4b6; padding: 0.4rem 0.5rem; text-align: left; vertical-align: top; }
thead th { border-bottom: 2px solid #0b0c0c; }
td.num { text-align: right; white-space: nowrap; }
.nowrap { white-space: nowrap; }
.suppressed { font-style: italic; background: #f3f2f1; }
.caution { font-weight: 600; }
.better { color: #00703c; font-weight: 600; }
.worse { color: #b3261e; font-weight: 600; }
figure { margin: 1rem 0 1.5rem; }
figure img { max-width: 100%; height: auto; border: 1px solid #e6e6e6; }
figcaption { color: #505a5f; font-size: 0.95rem; }
.notice { font-size: 0.9rem; color: #505a5f; }
footer { border-top: 2px solid #1d3557; margin-top: 3rem; padding-top: 1rem; }
footer .wrap { max-width: 62rem; margin: 0 auto; padding: 0 1.5rem 2rem; }
figure a { display: block; }
@media print { header.site nav, .skip-link { display: none; } h2 { break-before: auto; } figure { break-inside: avoid; } }
/* Phones: each table row becomes a card of "label: value" lines (the labels come from data-label). */
@media (max-width: 40rem) {
  header.site { padding: 0.75rem 1rem; }
  main { padding: 0.5rem 1rem 1.5rem; }
  footer .wrap { padding: 0 1rem 1.5rem; }
  h1 { font-size: 1.6rem; }
  h2 { font-size: 1.3rem; }
  table.data, table.data caption, table.data tbody, table.data tr, table.data th, table.data td { display: block; }
  table.data thead { position: absolute; width: 1px; height: 1px; overflow: hidden; clip-path: inset(50%); }
  table.data tr { border-bottom: 2px solid #b1b4b6; padding: 0.35rem 0; }
  table.data tbody th { border: 0; font-size: 1.05rem; padding: 0.25rem 0; }
  table.data td { border: 0; padding: 0.1rem 0; display: grid; grid-template-columns: minmax(7rem, 42%) 1fr;
                  gap: 0.75rem; text-align: left; white-space: normal; }
  table.data td::before { content: attr(data-label); color: #505a5f; font-size: 0.9rem; font-weight: 400; }
  table.data td.suppressed { background: none; }
}
"""


class Cell:
    """A table cell: its text, and classes (``"num"``, ``"suppressed"``, ``"caution"``, ``"better"``, ``"worse"``)."""

    __slots__ = ("text", "classes")

    def __init__(self, text: object, *classes: str) -> None:
        self.text = "" if text is None else str(text)
        self.classes = classes

    def render(self, tag: str = "td", scope: str | None = None, label: str | None = None) -> str:
        attrs = f' scope="{scope}"' if scope else ""
        attrs += f' class="{" ".join(self.classes)}"' if self.classes else ""
        attrs += f' data-label="{escape(label)}"' if label else ""
        return f"<{tag}{attrs}>{escape(self.text)}</{tag}>"


def table(caption: str, header: Sequence[str], rows: Sequence[Sequence[Cell | str]]) -> str:
    """A data table: a caption, column headers with ``scope="col"`` and the first cell of each row a row header.

    Each data cell carries its column's header as ``data-label``, which the phone layout prints
    beside the value. ARIA roles keep the table's meaning for screen readers when that layout
    displays its rows as blocks.
    """
    head = "".join(f'<th scope="col" role="columnheader">{escape(h)}</th>' for h in header)
    body = []
    for row in rows:
        cells = [c if isinstance(c, Cell) else Cell(c) for c in row]
        body.append('<tr role="row">' + cells[0].render("th", "row").replace("<th ", '<th role="rowheader" ', 1)
                    + "".join(c.render(label=h) for c, h in zip(cells[1:], header[1:])) + "</tr>")
    return (f'<table class="data" role="table">\n<caption>{escape(caption)}</caption>\n'
            f'<thead role="rowgroup"><tr role="row">{head}</tr></thead>\n<tbody role="rowgroup">\n'
            + "\n".join(body) + "\n</tbody>\n</table>").replace("<td ", '<td role="cell" ').replace("<td>", '<td role="cell">')


def figure(src: str, alt: str, caption: str, size: tuple[int, int] | None = None) -> str:
    """A figure: the chart file ``src`` (a link to it full size), its alt text and a visible caption.

    ``size`` (width, height in CSS pixels) lets the browser keep the chart's place before it loads;
    charts load lazily, as the reader scrolls to them.
    """
    dims = f' width="{size[0]}" height="{size[1]}"' if size else ""
    return (f'<figure>\n<a href="{escape(src)}"><img src="{escape(src)}" alt="{escape(alt)}"{dims} '
            f'loading="lazy"></a>\n<figcaption>{escape(caption)}</figcaption>\n</figure>')


def paragraphs(texts: Sequence[str], css_class: str | None = None) -> str:
    """Each text as an escaped paragraph."""
    attrs = f' class="{css_class}"' if css_class else ""
    return "\n".join(f"<p{attrs}>{escape(t)}</p>" for t in texts)


def page(*, title: str, heading: str, site: str, links: Sequence[tuple[str, str]], current: str, body: str,
         footer: str) -> str:
    """A whole page: ``lang``, one ``h1``, a navigation list of the report's pages, main content and footer."""
    nav = "".join(
        f'<li><a href="{escape(href)}"' + (' aria-current="page"' if href == current else "") + f">{escape(text)}</a></li>"
        for text, href in links)
    return (
        '<!DOCTYPE html>\n<html lang="en-GB">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f'<title>{escape(title)}</title>\n<link rel="stylesheet" href="{STYLESHEET}">\n</head>\n<body>\n'
        '<a class="skip-link" href="#main">Skip to main content</a>\n'
        f'<header class="site">\n<p>{escape(site)}</p>\n'
        f'<nav class="pages" aria-label="Report pages"><ul>{nav}</ul></nav>\n</header>\n'
        f'<main id="main">\n<h1>{escape(heading)}</h1>\n{body}\n</main>\n'
        f'<footer>\n<div class="wrap">\n{footer}\n</div>\n'
        "</footer>\n</body>\n</html>\n")
