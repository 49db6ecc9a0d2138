"""Shared lxml helpers: safe parsing, visible text, URL resolution, meta lookup."""

from __future__ import annotations

import re
from collections.abc import Iterator
from urllib.parse import urljoin, urlsplit

import lxml.html
from lxml import etree
from lxml.html import HtmlElement

# A crawl parses thousands of pages; anything past 10 MB is not a real list or article.
MAX_HTML_CHARS = 10_000_000

XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]{0,200}\?>")
# lxml refuses NUL and most C0 control characters in str input.
CONTROL_CHARS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
# Templates that include a header fragment leave a stray </html> mid-page; libxml2 drops
# everything after it, so end tags of body/html are removed (the parser closes them).
STRAY_END_TAGS = re.compile(r"</(?:body|html)\s*>", re.IGNORECASE)
WHITESPACE = re.compile(r"\s+")
SKIPPED_TEXT_TAGS = frozenset({"script", "style", "noscript", "template", "textarea", "select"})
BLOCK_TAGS = frozenset(
    {"br", "p", "div", "li", "tr", "td", "th", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol",
     "table", "dd", "dt", "dl", "section", "article", "header", "footer", "nav", "hr", "option"}
)  # fmt: skip
JS_URL = re.compile(r"^\s*(javascript|mailto|tel|data|vbscript):", re.IGNORECASE)


def parse_html(html: str) -> HtmlElement:
    """Parse untrusted HTML into a tree; never raises, an empty document gives <html/>."""
    text = CONTROL_CHARS.sub("", XML_DECLARATION.sub("", html[:MAX_HTML_CHARS]))
    text = STRAY_END_TAGS.sub("", text)
    if not text.strip():
        return lxml.html.Element("html")
    try:
        tree = lxml.html.document_fromstring(text)
    except (etree.ParserError, ValueError):
        return lxml.html.Element("html")
    return tree


def clean_ws(text: str) -> str:
    """Collapse runs of whitespace (incl. nbsp and ideographic space) to one space, strip ends."""
    return WHITESPACE.sub(" ", text.replace("\xa0", " ")).strip()


def iter_text(el: HtmlElement) -> Iterator[str]:
    """Yield the visible text pieces under el, skipping scripts, styles and comments."""
    if not isinstance(el.tag, str) or el.tag in SKIPPED_TEXT_TAGS:
        return
    if el.text:
        yield el.text
    for child in el:
        if isinstance(child.tag, str):
            # Block boundaries separate words even when the markup has no whitespace.
            block = child.tag in BLOCK_TAGS
            if block:
                yield " "
            yield from iter_text(child)
            if block:
                yield " "
        if child.tail:
            yield child.tail


def visible_text(el: HtmlElement) -> str:
    """Whitespace-normalised visible text of el."""
    return clean_ws("".join(iter_text(el)))


def raw_visible_text(el: HtmlElement) -> str:
    """Visible text of el without whitespace normalisation (keeps line structure)."""
    return "".join(iter_text(el))


def class_id(el: HtmlElement) -> str:
    """Lower-cased class and id of an element, for cheap keyword checks."""
    return f"{el.get('class', '')} {el.get('id', '')}".lower()


def document_base(tree: HtmlElement, url: str) -> str:
    """The base URL links resolve against: <base href> resolved against the page URL."""
    for base in tree.iter("base"):
        href = (base.get("href") or "").strip()
        if href and not JS_URL.match(href):
            return urljoin(url, href)
        break
    return url


def resolve_url(base: str, href: str | None) -> str | None:
    """Absolute http(s) URL for href, or None for empty, javascript:, mailto:, '#' links."""
    if href is None:
        return None
    href = href.strip().replace("\\", "/") if href.startswith("\\") else href.strip()
    if not href or href.startswith("#") or JS_URL.match(href):
        return None
    try:
        absolute = urljoin(base, href)
    except ValueError:
        return None
    if urlsplit(absolute).scheme not in ("http", "https"):
        return None
    return absolute.split("#", 1)[0]


def meta_content(tree: HtmlElement, *names: str) -> str | None:
    """Content of the first <meta name|property|http-equiv> among names (case-insensitive)."""
    wanted = [n.lower() for n in names]
    found: dict[str, str] = {}
    for meta in tree.iter("meta"):
        key = (meta.get("name") or meta.get("property") or meta.get("itemprop") or "").strip()
        content = meta.get("content")
        if key and content is not None and key.lower() not in found:
            found[key.lower()] = content.strip()
    for name in wanted:
        if found.get(name):
            return found[name]
    return None


def page_title(tree: HtmlElement) -> str:
    """Text of the <title> element, or ''."""
    for title in tree.iter("title"):
        return clean_ws(title.text_content())
    return ""


# A container with this much running text is content, whatever its class says ("menu_con").
CONTENT_BLOCK_CHARS = 300


def is_content_block(el: HtmlElement) -> bool:
    """True for a container of mostly non-link running text (an article, not a menu or box).

    Measured on raw text (C-speed `text_content`, whitespace dropped): a rough size is enough.
    """
    text = len("".join(el.text_content().split()))
    if text < CONTENT_BLOCK_CHARS:
        return False
    links = sum(len("".join(a.text_content().split())) for a in el.iter("a"))
    return links * 2 < text


def text_head(el: HtmlElement, chars: int) -> str:
    """About the first `chars` characters of el's text (C-speed; script text is rare there)."""
    return clean_ws(el.text_content()[: chars * 4])[:chars]
