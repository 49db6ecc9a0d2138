"""Lists that exist only as JSON inside a <script> (client-side rendered columns)."""

from __future__ import annotations

import json
import re
from datetime import date

from lxml.html import HtmlElement

from crawler.extract.dates import parse_datetime_value
from crawler.extract.items import ListItem
from crawler.extract.tree import clean_ws, resolve_url

# Scripts larger than this are libraries, not page data.
MAX_SCRIPT_CHARS = 2_000_000
# Bound the number of decode attempts per script so hostile pages cannot make us quadratic.
MAX_DECODE_ATTEMPTS = 300
ARRAY_OF_OBJECTS = re.compile(r"\[\s*\{")
TAG = re.compile(r"<[^<>]{0,500}>")

TITLE_KEYS = ("title", "doctitle", "articletitle", "showtitle", "subject", "name")
URL_KEYS = ("url", "urls", "pcurl", "docpuburl", "href", "link", "linkurl", "articleurl", "path")
DATE_KEYS = (
    "pubdate", "publishdate", "publish_date", "pubtime", "publishtime", "docreltime", "date",
    "time", "createtime", "created", "releasetime", "writetime", "publishedtime",
)  # fmt: skip


def pick(record: dict[str, object], keys: tuple[str, ...]) -> object | None:
    """Value of the first key (case-insensitive) present and non-empty in record."""
    lowered = {str(k).lower(): v for k, v in record.items()}
    for key in keys:
        value = lowered.get(key)
        if value not in (None, "", [], {}):
            return value
    return None


def url_value(value: object) -> str | None:
    """A URL from a JSON field: a plain string, or a '{"pc": "..."}' string/dict of variants."""
    if isinstance(value, str) and value.lstrip().startswith("{"):
        try:
            value = json.loads(value)
        except ValueError:
            return None
    if isinstance(value, dict):
        value = value.get("pc") or next((v for v in value.values() if isinstance(v, str)), None)
    return value if isinstance(value, str) else None


def item_from_json(record: dict[str, object], base: str, today: date | None) -> ListItem | None:
    """A list item from one JSON object with a title and a URL, else None."""
    title = pick(record, TITLE_KEYS)
    url = resolve_url(base, url_value(pick(record, URL_KEYS)))
    if not isinstance(title, str) or url is None:
        return None
    clean_title = clean_ws(TAG.sub("", title))
    if not clean_title:
        return None
    raw_date = pick(record, DATE_KEYS)
    when = parse_datetime_value(str(raw_date), today) if raw_date is not None else None
    return ListItem(title=clean_title, url=url, date=when)


def json_arrays(script: str) -> list[list[object]]:
    """Every top-level JSON array of objects embedded in a script's text."""
    arrays: list[list[object]] = []
    decoder = json.JSONDecoder()
    position, attempts = 0, 0
    while attempts < MAX_DECODE_ATTEMPTS:
        match = ARRAY_OF_OBJECTS.search(script, position)
        if match is None:
            break
        attempts += 1
        try:
            value, end = decoder.raw_decode(script, match.start())
        except ValueError:
            position = match.start() + 1
            continue
        if isinstance(value, list):
            arrays.append(value)
        position = end
    return arrays


def script_lists(tree: HtmlElement, base: str, today: date | None) -> list[list[ListItem]]:
    """Candidate lists built from JSON arrays of {title, url, date} objects in inline scripts."""
    found: list[list[ListItem]] = []
    for script in tree.iter("script"):
        if script.get("src") or "template" in (script.get("type") or "").lower():
            continue
        text = script.text or ""
        if len(text) > MAX_SCRIPT_CHARS or "[" not in text:
            continue
        for array in json_arrays(text):
            items = [
                item
                for record in array
                if isinstance(record, dict) and (item := item_from_json(record, base, today))
            ]
            if len(items) >= 2:
                found.append(items)
    return found
