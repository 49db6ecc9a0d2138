"""The list-item record and the helpers that turn one HTML record into one item."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from lxml.html import HtmlElement

from crawler.extract.dates import list_date
from crawler.extract.tree import SKIPPED_TEXT_TAGS, clean_ws, resolve_url

ELLIPSIS = re.compile(r"(\.\.\.|…|。。。|\.\.)\s*$")
# A whole date and nothing else: "2024-05-01", "[05-01]", "2024年5月1日 10:20".
DATE_ONLY = re.compile(
    r"^[\[(（【]?\s*(?:(?:19|20)\d\d\s*[-/.年]\s*)?\d{1,2}\s*[-/.月]\s*\d{1,2}\s*日?"
    r"(?:\s+\d{1,2}:\d{2}(?::\d{2})?)?\s*[\])）】]?$"
)
# More anchors than this in one record means the record is a container, not an item.
MAX_ANCHORS_PER_ITEM = 3


@dataclass(frozen=True)
class ListItem:
    """One post in a column's list: its title, absolute URL and publish date (if shown)."""

    title: str
    url: str
    date: date | None


def title_text(el: HtmlElement) -> str:
    """Visible text of a link; <br> joins without a space (titles split over lines)."""
    parts: list[str] = []

    def walk(node: HtmlElement) -> None:
        if not isinstance(node.tag, str) or node.tag in SKIPPED_TEXT_TAGS:
            return
        if node.text:
            parts.append(node.text)
        for child in node:
            walk(child)
            tail = child.tail or ""
            if child.tag == "br":
                # A line break inside a title joins its lines, with no space between them.
                if parts:
                    parts[-1] = parts[-1].rstrip()
                tail = tail.lstrip()
            if tail:
                parts.append(tail)

    walk(el)
    return clean_ws("".join(parts))


def link_title(anchor: HtmlElement) -> str:
    """Title of a list link: the text, or the title attribute when the text is cut or empty."""
    text = title_text(anchor)
    attr = clean_ws(anchor.get("title") or "")
    if not attr:
        return text
    if not text or (ELLIPSIS.search(text) and len(attr) >= len(ELLIPSIS.sub("", text))):
        return attr
    return text


def record_anchors(record: HtmlElement, base: str) -> list[tuple[HtmlElement, str]]:
    """Anchors in a record that lead to an http(s) URL, with that URL."""
    found: list[tuple[HtmlElement, str]] = []
    for anchor in record.iter("a"):
        url = resolve_url(base, anchor.get("href"))
        if url is not None:
            found.append((anchor, url))
    return found


def record_text_without(record: HtmlElement, skip: HtmlElement) -> str:
    """Visible text of record with the subtree `skip` (the title link) left out."""
    parts: list[str] = []

    def walk(node: HtmlElement) -> None:
        if not isinstance(node.tag, str) or node.tag in SKIPPED_TEXT_TAGS:
            return
        if node is not skip:
            if node.text:
                parts.append(node.text)
            for child in node:
                walk(child)
                if child.tail:
                    parts.append(" " + child.tail)
                parts.append(" ")

    walk(record)
    return clean_ws("".join(parts))


def item_date(text: str, url: str, today: date | None, page_url: str | None) -> date | None:
    """The date shown next to a list link, by the one list-date policy (dates.list_date)."""
    return list_date(text, item_url=url, page_url=page_url, today=today)


def holds_records(record: HtmlElement) -> bool:
    """True when a record holds records of its own (a block of <li> links is a container)."""
    if record.tag in ("li", "tr", "a"):
        return False
    linked = sum(
        1 for sub in record.iter("li", "tr", "dd") if next(sub.iter("a"), None) is not None
    )
    return linked >= 2


def item_from_record(
    record: HtmlElement, base: str, today: date | None, page_url: str | None
) -> ListItem | None:
    """One list item from one record element, or None when it is not a single-post record."""
    anchors = record_anchors(record, base)
    if not anchors or len(anchors) > MAX_ANCHORS_PER_ITEM or holds_records(record):
        return None
    anchor, url = max(anchors, key=lambda pair: len(link_title(pair[0])))
    title = link_title(anchor)
    rest = record_text_without(record, anchor)
    inner = dates_inside(anchor)
    if inner:
        # A card that is one big link: its date element is not part of the title.
        title = clean_ws(anchor.get("title") or "") or text_without(anchor, inner)
        rest = f"{rest} {clean_ws(inner[0].text_content())}"
    if not title:
        return None
    return ListItem(title=title, url=url, date=item_date(rest, url, today, page_url))


def dates_inside(anchor: HtmlElement) -> list[HtmlElement]:
    """Elements inside a link that show only a date (<a><span>标题</span><em>05-01</em></a>)."""
    return [
        el
        for el in anchor.iterdescendants()
        if isinstance(el.tag, str) and DATE_ONLY.match(clean_ws(el.text_content()))
    ]


def text_without(el: HtmlElement, skipped: list[HtmlElement]) -> str:
    """Visible text of el without the given descendants."""
    skip = {id(node) for node in skipped}
    parts: list[str] = []

    def walk(node: HtmlElement) -> None:
        if id(node) in skip or not isinstance(node.tag, str) or node.tag in SKIPPED_TEXT_TAGS:
            return
        parts.append(node.text or "")
        for child in node:
            walk(child)
            parts.append(child.tail or "")

    walk(el)
    return clean_ws(" ".join(p for p in parts if p.strip()))


def items_from_flat(
    parent: HtmlElement, base: str, today: date | None, page_url: str | None
) -> list[ListItem]:
    """Items from a container whose direct children are <a> links separated by text/<br>/<span>."""
    items: list[ListItem] = []
    current: tuple[HtmlElement, str] | None = None
    trailing: list[str] = []

    def flush() -> None:
        if current is None:
            return
        anchor, url = current
        title = link_title(anchor)
        if title:
            text = clean_ws(" ".join(trailing))
            items.append(ListItem(title, url, item_date(text, url, today, page_url)))

    for child in parent:
        if not isinstance(child.tag, str):
            continue
        if child.tag == "a":
            url = resolve_url(base, child.get("href"))
            if url is not None:
                flush()
                current, trailing = (child, url), [child.tail or ""]
                continue
        if current is not None and child.tag not in SKIPPED_TEXT_TAGS:
            trailing.append(clean_ws(child.text_content()) + " " + (child.tail or ""))
    flush()
    return items
