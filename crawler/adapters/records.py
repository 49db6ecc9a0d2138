"""Shared helpers of the adapters: list items from HTML fragments, page numbers in URLs."""

from __future__ import annotations

import math
from datetime import date
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from lxml.html import HtmlElement

from crawler.extract.items import ListItem
from crawler.extract.lists import extract_list_from_tree
from crawler.extract.tree import parse_html

# A page of a data API holds tens of records; more is not one list page.
MAX_RECORDS = 2000


def items_from_fragments(fragments: list[str], base: str, today: date | None) -> list[ListItem]:
    """The list items of record fragments (each an <li>, <tr> or <div> of one post)."""
    body = "".join(fragments[:MAX_RECORDS])
    if body.lstrip()[:3].lower() == "<tr":
        body = f"<table>{body}</table>"
    tree = parse_html(f"<html><body><div>{body}</div></body></html>")
    return extract_list_from_tree(tree, base, today=today)


def with_query(url: str, **values: int | str) -> str:
    """url with the given query parameters set (others kept, in order)."""
    parts = urlsplit(url)
    query = parse_qsl(parts.query, keep_blank_values=True)
    names = {name.lower() for name, _ in query}
    updated = [(k, str(values[k])) if k in values else (k, v) for k, v in query]
    updated += [(k, str(v)) for k, v in values.items() if k.lower() not in names]
    return urlunsplit(parts._replace(query=urlencode(updated, safe="/")))


def query_int(url: str, name: str) -> int | None:
    """An integer query parameter of url, or None."""
    for key, value in parse_qsl(urlsplit(url).query):
        if key.lower() == name.lower() and value.isdigit():
            return int(value)
    return None


def pages_for(records: int | None, per_page: int | None) -> int | None:
    """Page count from a record count and a page size, when both are known."""
    if records is None or not per_page:
        return None
    return max(1, math.ceil(records / per_page))


def script_text(tree: HtmlElement) -> str:
    """Inline scripts of a page, joined (bounded)."""
    return "\n".join(s.text or "" for s in tree.iter("script") if not s.get("src"))[:2_000_000]
