"""A structural audit of a report page with the standard library's HTML parser (no browser needed)."""

from __future__ import annotations

from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlparse


@dataclass
class PageAudit:
    """What the checks need to know about one page."""

    lang: str | None = None
    h1: list[str] = field(default_factory=list)
    h2: list[str] = field(default_factory=list)
    images: list[dict[str, str | None]] = field(default_factory=list)
    links: list[str] = field(default_factory=list)
    external: list[str] = field(default_factory=list)
    stylesheets: list[str] = field(default_factory=list)
    tables: int = 0
    captions: int = 0
    column_headers: list[str | None] = field(default_factory=list)
    scripts: int = 0
    rows: list[list[str]] = field(default_factory=list)
    text: str = ""


class _Parser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.audit = PageAudit()
        self._open: list[str] = []
        self._heading: list[str] | None = None
        self._row: list[str] | None = None
        self._cell: list[str] | None = None
        self._chunks: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        audit = self.audit
        if tag == "html":
            audit.lang = a.get("lang")
        if tag in ("h1", "h2"):
            self._heading = []
        if tag == "img":
            audit.images.append(a)
        if tag == "table":
            audit.tables += 1
        if tag == "caption":
            audit.captions += 1
        if tag == "th" and self._in("thead"):
            audit.column_headers.append(a.get("scope"))
        if tag == "script":
            audit.scripts += 1
        if tag == "tr":
            self._row = []
        if tag in ("td", "th") and self._row is not None:
            self._cell = []
        for name in ("src", "href"):
            value = a.get(name)
            if value is None:
                continue
            if tag == "a" and name == "href":
                audit.links.append(value)
            scheme = urlparse(value).scheme
            if scheme in ("http", "https") or value.startswith("//"):
                audit.external.append(value)
        if tag == "link":
            audit.stylesheets.append(a.get("href") or "")
            if urlparse(a.get("href") or "").scheme or (a.get("href") or "").startswith("//"):
                audit.external.append(str(a))
        if tag == "script" and a.get("src"):
            audit.external.append(str(a))
        self._open.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if tag in ("h1", "h2") and self._heading is not None:
            getattr(self.audit, tag).append("".join(self._heading).strip())
            self._heading = None
        if tag in ("td", "th") and self._cell is not None and self._row is not None:
            self._row.append("".join(self._cell).strip())
            self._cell = None
        if tag == "tr" and self._row is not None:
            self.audit.rows.append(self._row)
            self._row = None
        if tag in self._open:
            del self._open[len(self._open) - 1 - self._open[::-1].index(tag)]

    def handle_data(self, data: str) -> None:
        self._chunks.append(data)
        if self._heading is not None:
            self._heading.append(data)
        if self._cell is not None:
            self._cell.append(data)

    def _in(self, tag: str) -> bool:
        return tag in self._open


def audit_page(markup: str) -> PageAudit:
    """Parse a page and collect what the accessibility and self-containment checks look at."""
    parser = _Parser()
    parser.feed(markup)
    parser.close()
    parser.audit.text = " ".join(parser._chunks)
    return parser.audit


def page_weight(page: Path) -> int:
    """Bytes a browser loads to show ``page``: the HTML, its style sheets and every image it shows."""
    audit = audit_page(page.read_text(encoding="utf-8"))
    assets = set(audit.stylesheets) | {image.get("src") or "" for image in audit.images}
    return page.stat().st_size + sum((page.parent / a).stat().st_size for a in assets)
