"""Know when extraction breaks: a column page's shape per walk, judged against the last good one.

A column whose first list page yielded items before and now yields none, far fewer, or only
undated ones while the page still answers 200 has most likely changed its template: it is
marked ``broken`` (抽取异常) with the before/after shape and kept out of the staleness rules
until its items come back or a person acknowledges the new shape. A page whose list only
scripts draw is ``needs_render`` (需渲染) when it was not rendered.
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import asdict, dataclass
from datetime import datetime

from lxml.html import HtmlElement

from crawler.extract.items import ListItem
from crawler.extract.tree import resolve_url
from crawler.urls import url_key

OK = "ok"
BROKEN = "broken"
NEEDS_RENDER = "needs_render"
STATES = (OK, BROKEN, NEEDS_RENDER)
# A baseline with fewer items says too little to call a drop a break.
MIN_ITEMS_BEFORE = 2
# "Far fewer": at most this share of the baseline's items, from a baseline of at least…
FEW_SHARE = 0.25
MIN_ITEMS_FOR_SHARE = 8
SIGNATURE_DEPTH = 3


@dataclass(frozen=True)
class PageShape:
    """What a column's first list page looked like to the extractor."""

    items: int
    dated: int
    container: str  # tag.class path of the list's records, '' when there is no list
    via: str  # html, rendered, or the adapter's name


def node_label(node: HtmlElement) -> str:
    """`tag.class#id` of an element (classes and id cut short)."""
    label = str(node.tag)
    classes = (node.get("class") or "").split()
    if classes:
        label += "." + classes[0][:30]
    if node.get("id"):
        label += "#" + node.get("id", "")[:30]
    return label


def container_signature(tree: HtmlElement, items: list[ListItem], base: str) -> str:
    """Where the items sit: the path of the first item's link's ancestors (outermost first)."""
    if not items:
        return ""
    wanted = url_key(items[0].url)
    for anchor in tree.iter("a"):
        url = resolve_url(base, anchor.get("href"))
        if url is not None and url_key(url) == wanted:
            labels: list[str] = []
            node = anchor.getparent()
            while node is not None and len(labels) < SIGNATURE_DEPTH:
                labels.append(node_label(node))
                node = node.getparent()
            return " > ".join(reversed(labels))
    return ""


def page_shape(tree: HtmlElement | None, items: list[ListItem], base: str, via: str) -> PageShape:
    """The shape of a list page from its tree (None for data pages) and extracted items."""
    dated = sum(1 for item in items if item.date is not None)
    container = container_signature(tree, items, base) if tree is not None else via
    return PageShape(len(items), dated, container, via)


def broke(before: PageShape, after: PageShape) -> str | None:
    """Why the page no longer reads like before ('none', 'fewer', 'undated'), or None."""
    if before.items < MIN_ITEMS_BEFORE:
        return None
    if after.items == 0:
        return "none"
    if before.items >= MIN_ITEMS_FOR_SHARE and after.items <= before.items * FEW_SHARE:
        return "fewer"
    if before.dated * 2 >= before.items and after.dated == 0:
        return "undated"
    return None


def judge(before: PageShape | None, after: PageShape, script_drawn: bool) -> tuple[str, str]:
    """(state, reason) of a column from its baseline shape and this walk's shape."""
    if before is not None and (reason := broke(before, after)):
        return BROKEN, reason
    if script_drawn and after.items == 0:
        return NEEDS_RENDER, "script"
    return OK, ""


def shape_of(text: str | None) -> PageShape | None:
    """A stored shape (JSON) back as a PageShape."""
    if not text:
        return None
    try:
        return PageShape(**json.loads(text))
    except (TypeError, ValueError):
        return None


def record_shape(
    conn: sqlite3.Connection,
    column_id: int,
    shape: PageShape,
    script_drawn: bool,
    now: datetime,
) -> str:
    """Judge this walk's shape against the column's baseline, store the state, return it."""
    row = conn.execute(
        "SELECT extraction_state, extraction_shape, extraction_since FROM columns WHERE id = ?",
        (column_id,),
    ).fetchone()
    if row is None:
        return OK
    previous_state, baseline_text, since = row
    baseline = shape_of(baseline_text)
    state, reason = judge(baseline, shape, script_drawn)
    stamp = now.replace(microsecond=0).isoformat()
    if state == OK:
        new_baseline = json.dumps(asdict(shape)) if shape.items else baseline_text
        detail, since = None, None
    else:
        new_baseline = baseline_text
        detail = json.dumps(
            {"reason": reason, "before": asdict(baseline) if baseline else None,
             "after": asdict(shape)},
            ensure_ascii=False,
        )  # fmt: skip
        since = since if previous_state == state else stamp
    with conn:
        conn.execute(
            "UPDATE columns SET extraction_state = ?, extraction_shape = ?,"
            " extraction_detail = ?, extraction_since = ? WHERE id = ?",
            (state, new_baseline, detail, since, column_id),
        )
    return state


def acknowledge(conn: sqlite3.Connection, site_id: str, column_key: str, now: datetime) -> bool:
    """A person looked: the column's current shape becomes its baseline at the next crawl."""
    with conn:
        changed = conn.execute(
            "UPDATE columns SET extraction_state = 'ok', extraction_shape = NULL,"
            " extraction_detail = NULL, extraction_since = NULL, extraction_reviewed_at = ?"
            " WHERE site_id = ? AND key = ?",
            (now.replace(microsecond=0).isoformat(), site_id, column_key),
        ).rowcount
    return bool(changed)


@dataclass
class ColumnShapeItem:
    """The shape of a column's first list page in this walk (stored by the pipeline)."""

    site_id: str
    column_key: str
    shape: PageShape
    script_drawn: bool
