"""Which links of a page get checked, and what counts as a broken one."""

from __future__ import annotations

from urllib.parse import urljoin, urlsplit

from lxml.html import HtmlElement

from crawler.extract.tree import parse_html

SKIPPED_SCHEMES = ("javascript:", "mailto:", "tel:", "#", "data:")
CHECKED_SCHEMES = ("http", "https")
# Statuses after which a HEAD is retried as GET: servers that mishandle HEAD say these.
HEAD_UNRELIABLE = frozenset({400, 403, 405, 406, 501})


def page_links(html: str, base_url: str) -> list[str]:
    """Absolute http(s) URLs of a page's anchors, in page order, without duplicates."""
    if not html.strip():
        return []
    return page_links_from_tree(parse_html(html), base_url)


def page_links_from_tree(tree: HtmlElement, base_url: str) -> list[str]:
    """page_links of an already parsed page."""
    seen: dict[str, None] = {}
    for href in tree.xpath("//a/@href"):
        href = str(href).strip()
        if not href or href.lower().startswith(SKIPPED_SCHEMES):
            continue
        absolute = urljoin(base_url, href).split("#", 1)[0]
        if urlsplit(absolute).scheme in CHECKED_SCHEMES:
            seen.setdefault(absolute, None)
    return list(seen)


def link_ok(status: int | None) -> bool:
    """A link works when it answered with a success or a redirect that ended well."""
    return status is not None and 200 <= status < 400
