"""The shape sites serve every post of their truth in their family's shape (test-side parsing)."""

from __future__ import annotations

import json
import re
from datetime import date, datetime

import pytest

from simulator.model import Column, Site
from simulator.router import Router
from simulator.shapes import SHAPES
from simulator.world import World, build_world

DAY = date(2012, 12, 31)
HREF = re.compile(r'href="([^"]+\.html)"')


@pytest.fixture(scope="module")
def world_and_router() -> tuple[World, Router]:
    world = build_world(shapes=True, faults=frozenset(), template_switch=date(2012, 12, 15))
    return world, Router(world)


def body(router: Router, site: Site, path: str, query: str = "", day: date = DAY) -> str:
    rendered = router.render(site, path, query, day)
    assert rendered.status == 200, (site.site_id, path, query)
    return rendered.body.decode("utf-8")


def truth_paths(truth_site: dict, column: dict) -> set[str]:
    prefix = truth_site["home_url"].rstrip("/")
    return {post["url"].removeprefix(prefix) for post in column["posts"]}


def test_default_world_is_unchanged_without_the_options() -> None:
    plain = build_world(faults=frozenset())
    assert [s.site_id for s in plain.sites] == [s.site_id for s in build_world().sites]
    assert len(plain.sites) == 12 and not any(s.shape or s.template_switch for s in plain.sites)
    assert "shape" not in plain.truth(datetime(2012, 12, 31))["sites"][0]


def test_one_site_per_shape_after_the_regular_ones(world_and_router: tuple) -> None:
    world, _router = world_and_router
    assert [s.shape for s in world.sites[12:]] == list(SHAPES)
    assert world.sites[12].host == "127.0.0.14"
    truth = world.truth(datetime(2012, 12, 31))
    shaped = [s for s in truth["sites"] if s.get("shape")]
    assert [s["render_only"] for s in shaped] == [s == "render" for s in SHAPES]


def pages_of(world: World, router: Router, site: Site, column: Column) -> set[str]:
    """Every detail path the column's pages or data lead to, read the way each shape reads."""
    found: set[str] = set()
    shape = site.shape
    if shape in ("split", "pager6", "empire"):
        names = {"split": "index_{}.html", "pager6": "index_{}.shtml", "empire": "index_{}.html"}
        page, path = 0, column.path
        while True:
            text = body(router, site, path)
            found |= set(HREF.findall(text)) - {column.path}
            page += 1
            number = page if shape == "split" else page + 1
            nxt = f"/{column.slug}/" + names[shape].format(number)
            if router.render(site, nxt, "", DAY).status != 200:
                return {p for p in found if "/20" in p}
            path = nxt
    if shape == "jpage":
        text = body(router, site, column.path)
        assert "<datastore>" in text and "dataproxy.jsp?page=1" in text
        page = 1
        while True:
            query = f"page={page}&webid=57&path=/&columnid={column.col_id}&unitid=1"
            rendered = router.render(site, "/module/web/jpage/dataproxy.jsp", query, DAY)
            if rendered.status != 200:
                return {h.removeprefix(site.base_url) for h in found}
            found |= set(re.findall(r'href="([^"]+)"', rendered.body.decode("utf-8")))
            page += 1
    if shape == "render":
        text = body(router, site, column.path)
        assert 'id="news-list"></div>' in text and "/art/" not in text
        page = 1
        while True:
            rendered = router.render(site, "/api/list", f"column={column.slug}&page={page}", DAY)
            if rendered.status != 200:
                return found
            found |= {row["u"] for row in json.loads(rendered.body)["rows"]}
            page += 1
    raise AssertionError(shape)


@pytest.mark.parametrize("shape", ["split", "pager6", "empire", "jpage", "render"])
def test_every_post_is_reachable_in_its_shape(world_and_router: tuple, shape: str) -> None:
    world, router = world_and_router
    site = next(s for s in world.sites if s.shape == shape)
    truth = next(s for s in world.truth(datetime(2012, 12, 31))["sites"] if s["id"] == site.site_id)
    for column, truth_column in zip(site.columns, truth["columns"], strict=True):
        if truth_column["posts"]:
            assert pages_of(world, router, site, column) == truth_paths(truth, truth_column)


def test_gkmlpt_api_pages_hold_the_column(world_and_router: tuple) -> None:
    world, router = world_and_router
    site = next(s for s in world.sites if s.shape == "gkmlpt")
    truth = next(s for s in world.truth(datetime(2012, 12, 31))["sites"] if s["id"] == site.site_id)
    column = next(c for c in truth["columns"] if c["url"].endswith("/gkmlpt/index"))
    page_html = body(router, site, "/gkmlpt/index")
    sid = re.search(r"SID: '(\d+)'", page_html).group(1)
    urls, page = set(), 1
    while (
        got := router.render(site, "/gkmlpt/api/all/0", f"page={page}&sid={sid}", DAY)
    ).status == 200:
        data = json.loads(got.body)
        assert data["total"] == len(column["posts"])
        urls |= {a["url"] for a in data["articles"]}
        page += 1
    assert urls == {p["url"] for p in column["posts"]} and urls
    assert router.render(site, "/gkmlpt/api/all/0", "page=1&sid=1", DAY).status == 404


def test_blank_column_of_the_split_site_shows_only_friend_links(world_and_router: tuple) -> None:
    world, router = world_and_router
    site = next(s for s in world.sites if s.shape == "split")
    blank = next(c for c in site.columns if not c.posts)
    text = body(router, site, blank.path)
    main = text.split('<div class="main">', 1)[1]
    linked = set(re.findall(r'href="(http://[^"]+)"', main))
    others = {s.home_url for s in world.sites if s is not site}
    assert linked and linked <= others


def test_template_switch_drops_every_link_from_the_lists_that_day(world_and_router: tuple) -> None:
    world, router = world_and_router
    site = next(s for s in world.sites if s.template_switch)
    truth = world.truth(datetime(2012, 12, 31))
    switch = next(s for s in truth["sites"] if s["id"] == site.site_id)["template_switch"]
    assert switch["day"] == "2012-12-15"
    column = next(c for c in site.columns if c.posts)
    before = body(router, site, column.path, day=date(2012, 12, 14))
    after = body(router, site, column.path, day=date(2012, 12, 15))
    shown = next(p for p in column.posts if p.day <= date(2012, 12, 14))
    name = shown.path.rsplit("/", 1)[1]
    assert name in before and name in after  # the post is still shown, but…
    assert re.search(rf'<a [^>]*href="[^"]*{name}"', before)
    assert not re.search(rf'<a [^>]*href="[^"]*{name}"', after)  # …no longer linked
    assert 'class="card"' in after and 'class="card"' not in before
