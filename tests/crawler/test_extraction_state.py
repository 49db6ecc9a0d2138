"""A column's extraction state: judged per walk against its last good shape, on real SQLite."""

from __future__ import annotations

import json
from datetime import date, datetime
from pathlib import Path

from lxml.html import HtmlElement

from crawler.extract.tree import parse_html
from crawler.extraction import (
    BROKEN,
    NEEDS_RENDER,
    OK,
    PageShape,
    acknowledge,
    judge,
    page_shape,
    record_shape,
)
from crawler.render import needs_render
from crawler.store import Store, open_db
from simulator.router import Router
from simulator.world import build_world

GOOD = PageShape(items=20, dated=20, container="div.list > ul > li", via="html")
NOW = datetime(2012, 12, 15, 9, 0)


def test_judge_none_fewer_undated_and_normal_changes() -> None:
    assert judge(GOOD, PageShape(0, 0, "", "html"), False) == (BROKEN, "none")
    assert judge(GOOD, PageShape(4, 4, "div.x", "html"), False) == (BROKEN, "fewer")
    assert judge(GOOD, PageShape(20, 0, "div.x", "html"), False) == (BROKEN, "undated")
    # A different page size or a few undated items is no break.
    assert judge(GOOD, PageShape(15, 13, "div.list > ul > li", "html"), False) == (OK, "")
    # A column that never had items is blank, or needs rendering when scripts draw it.
    assert judge(None, PageShape(0, 0, "", "html"), False) == (OK, "")
    assert judge(None, PageShape(0, 0, "", "html"), True) == (NEEDS_RENDER, "script")
    # One post before says too little.
    assert judge(PageShape(1, 1, "ul > li", "html"), PageShape(0, 0, "", "html"), False)[0] == OK


def column_id(tmp_path: Path) -> tuple[Store, int]:
    """A real migrated database with one site and column."""
    store = Store(open_db(tmp_path / "state.db"))
    store.upsert_site(
        site_id="s", name="站点", unit_type="city", parent=None,
        home_url="http://127.0.0.9/", allowed_domains=["127.0.0.9"], now=NOW,
    )  # fmt: skip
    cid = store.upsert_column(
        site_id="s", key="gzdt", name="工作动态", url="http://127.0.0.9/gzdt/",
        category="news", source="config", on_home_page=True,
    )  # fmt: skip
    return store, cid


def row(store: Store, cid: int) -> tuple:
    return store.conn.execute(
        "SELECT extraction_state, extraction_shape, extraction_detail, extraction_since"
        " FROM columns WHERE id = ?",
        (cid,),
    ).fetchone()


def test_break_is_kept_with_before_and_after_until_items_come_back(tmp_path: Path) -> None:
    store, cid = column_id(tmp_path)
    assert record_shape(store.conn, cid, GOOD, False, NOW) == OK
    assert json.loads(row(store, cid)[1])["items"] == 20
    empty = PageShape(0, 0, "", "html")
    assert record_shape(store.conn, cid, empty, False, NOW) == BROKEN
    state, baseline, detail, since = row(store, cid)
    assert state == BROKEN and json.loads(baseline)["items"] == 20
    assert json.loads(detail) == {
        "reason": "none",
        "before": {"items": 20, "dated": 20, "container": "div.list > ul > li", "via": "html"},
        "after": {"items": 0, "dated": 0, "container": "", "via": "html"},
    }
    # Still broken the next day: the state and its start stay as they were.
    assert record_shape(store.conn, cid, empty, False, datetime(2012, 12, 16, 9)) == BROKEN
    assert row(store, cid)[3] == since == "2012-12-15T09:00:00"
    assert record_shape(store.conn, cid, GOOD, False, datetime(2012, 12, 17, 9)) == OK
    assert row(store, cid)[2:] == (None, None)


def test_acknowledged_shape_becomes_the_new_baseline(tmp_path: Path) -> None:
    store, cid = column_id(tmp_path)
    record_shape(store.conn, cid, GOOD, False, NOW)
    small = PageShape(3, 3, "table > tr > td", "html")
    assert record_shape(store.conn, cid, small, False, NOW) == BROKEN
    assert acknowledge(store.conn, "s", "gzdt", NOW)
    assert row(store, cid)[0] == OK
    assert record_shape(store.conn, cid, small, False, NOW) == OK
    assert json.loads(row(store, cid)[1])["items"] == 3
    assert not acknowledge(store.conn, "s", "nope", NOW)


def test_page_shape_names_the_records_container() -> None:
    tree = parse_html(
        '<div class="list" id="l"><ul class="news"><li><a href="/a/1.html">第一条新闻标题</a>'
        "<span>2012-12-01</span></li></ul></div>"
    )
    from crawler.extract.lists import extract_list_from_tree

    items = extract_list_from_tree(tree, "http://127.0.0.9/a/", today=date(2012, 12, 31))
    shape = page_shape(tree, items, "http://127.0.0.9/a/", "html")
    assert shape.items == shape.dated == 1
    assert shape.container == "div.list#l > ul.news > li"


def test_needs_render_tells_script_lists_from_blank_and_link_only_pages() -> None:
    world = build_world(shapes=True, faults=frozenset())
    router = Router(world)
    day = date(2012, 12, 31)

    def tree_of(site_id: str, path: str) -> HtmlElement:
        site = next(s for s in world.sites if s.site_id == site_id)
        return parse_html(router.render(site, path, "", day).body.decode("utf-8"))

    render = next(s for s in world.sites if s.shape == "render")
    assert needs_render(tree_of(render.site_id, render.columns[0].path))
    split = next(s for s in world.sites if s.shape == "split")
    friend_links_only = next(c for c in split.columns if not c.posts)
    assert not needs_render(tree_of(split.site_id, friend_links_only.path))
    portal = world.sites[0]
    blank = next((c for c in portal.columns if not c.posts), portal.columns[0])
    assert not needs_render(tree_of("portal", blank.path))
