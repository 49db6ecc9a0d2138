"""The list-item record and the helpers that turn one HTML record into one item."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from lxml.html import HtmlElement

from crawler.extract.dates import (
    FULL_DATE,
    SHORT_DATE,
    date_from_url,
    full_dates,
    make_date,
    year_for_month_day,
)
from crawler.extract.tree import SKIPPED_TEXT_TAGS, clean_ws, resolve_url

ELLIPSIS = re.compile(r"(\.\.\.|…|。。。|\.\.)\s*$")
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
            if child.tail:
                parts.append(child.tail)

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


def item_date(text: str, url: str, today: date | None, fallback_year: int | None) -> date | None:
    """The date shown next to a list link; a month-day date takes its year from the URL."""
    full = full_dates(text, today)
    if full:
        return full[0]
    if FULL_DATE.search(text):
        return None  # a full date was there but implausible (future / pre-1990): never guess
    for match in SHORT_DATE.finditer(text[:500]):
        month, day = int(match.group(1)), int(match.group(2))
        year = year_for_month_day(month, day, url, fallback_year)
        if year is None:
            return None
        d = make_date(year, month, day, today)
        if d is None and today is not None and year == today.year:
            # "12-20" seen in January belongs to last year.
            d = make_date(year - 1, month, day, today)
        if d is not None:
            return d
    # No date shown at all: many hand-made lists carry it only in the link (…/2012/0515_1.html).
    return date_from_url(url, today)


def item_from_record(
    record: HtmlElement, base: str, today: date | None, fallback_year: int | None
) -> ListItem | None:
    """One list item from one record element, or None when it is not a single-post record."""
    anchors = record_anchors(record, base)
    if not anchors or len(anchors) > MAX_ANCHORS_PER_ITEM:
        return None
    anchor, url = max(anchors, key=lambda pair: len(link_title(pair[0])))
    title = link_title(anchor)
    if not title:
        return None
    rest = record_text_without(record, anchor)
    return ListItem(title=title, url=url, date=item_date(rest, url, today, fallback_year))


def items_from_flat(
    parent: HtmlElement, base: str, today: date | None, fallback_year: int | None
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
            items.append(ListItem(title, url, item_date(text, url, today, fallback_year)))

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
