"""Extra sites in the list shapes real CMS families serve, each with its truth (opt-in).

`build_world(shapes=True)` (`--shapes`) appends one site per shape after the regular sites,
on the next loopback addresses, so the default (demo) world stays exactly as it was:

- ``split``: one list cut into sibling ``<ul>`` blocks of five items (a client template's
  groups), and a blank column whose page shows only friendly links;
- ``pager6``: items and the six-argument ``createPageHTML('page_div', total, current, 'index',
  'shtml', count)`` call inside an HTML comment; page N is ``index_N.shtml``;
- ``empire``: EmpireCMS ``index.html``, ``index_2.html`` … (page N is ``index_N``);
- ``jpage``: Hanweb jpage, the first page embedded as ``<script type="text/xml"><datastore>``
  and page N served as XML by ``/module/web/jpage/dataproxy.jsp?page=N&…&columnid=…``;
- ``gkmlpt``: Guangdong's disclosure directory ``/gkmlpt/index``, an empty page whose list
  comes from ``/gkmlpt/api/all/0?page=N&sid=…`` (JSON);
- ``render``: lists exist only after scripts run (fetched JSON drawn into the page).

`build_world(template_switch=day)` (`--template-switch`) gives one regular site a new list
template from that day on: its list pages still answer 200 but hold no link any more.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from crawler.categories import UnitType
from simulator import urls
from simulator.catalog import Unit, build_bare_site
from simulator.content import fill_posts
from simulator.model import Column, Family, Rhythm, Site

if TYPE_CHECKING:
    from simulator.world import Route

SHAPES: tuple[str, ...] = ("split", "pager6", "empire", "jpage", "gkmlpt", "render")


@dataclass(frozen=True)
class ShapePlan:
    """Identity and base family of one shape site."""

    shape: str
    site_id: str
    short_name: str
    family: Family
    page_size: int


PLANS: dict[str, ShapePlan] = {
    plan.shape: plan
    for plan in (
        ShapePlan("split", "shape-split", "蓝田县", Family.TRS, 20),
        ShapePlan("pager6", "shape-pager6", "周至县", Family.TRS, 18),
        ShapePlan("empire", "shape-empire", "高陵县", Family.HANDMADE, 16),
        ShapePlan("jpage", "shape-jpage", "富平县", Family.HANWEB_LINKS, 15),
        ShapePlan("gkmlpt", "shape-gkmlpt", "三原县", Family.HANDMADE, 15),
        ShapePlan("render", "shape-render", "泾阳县", Family.HANDMADE, 15),
    )
}
# The split site's blank column shows friendly links where posts would be.
FRIEND_LINK_COLUMN = "tjsj"
# The gkmlpt site serves this column through its disclosure directory.
GKMLPT_COLUMN = "zcfg"
GKMLPT_PATH = "/gkmlpt/index"
GKMLPT_SID = "755031"
JPAGE_WEBID = "57"
JPAGE_UNIT_BASE = 40210
# The regular site (0-based index in the default world) whose template switches.
TEMPLATE_SWITCH_INDEX = 3


def column_path(plan: ShapePlan, column: Column) -> str:
    """Path of a shape site's column (first list page)."""
    if plan.shape == "pager6":
        return f"/{column.slug}/index.shtml"
    if plan.shape == "empire":
        return f"/{column.slug}/index.html"
    if plan.shape == "gkmlpt" and column.slug == GKMLPT_COLUMN:
        return GKMLPT_PATH
    return column.path


def list_page_path(site: Site, column: Column, page: int) -> str:
    """Path of a shape site's 0-based list page `page` (jpage, gkmlpt, render: page one only)."""
    if page == 0:
        return column.path
    if site.shape == "pager6":
        return f"/{column.slug}/index_{page + 1}.shtml"
    if site.shape == "empire":
        return f"/{column.slug}/index_{page + 1}.html"
    if site.shape == "split":
        return f"/{column.slug}/index_{page}.html"
    return urls.list_page_path(site.family, column, page)


def gkmlpt_post_path(doc_id: int) -> str:
    """A gkmlpt content page: /gkmlpt/content/<id // 1000 // 1000>/<id // 1000>/post_<id>.html."""
    return f"/gkmlpt/content/{doc_id // 1_000_000}/{doc_id // 1000}/post_{doc_id}.html"


def build_shape_site(plan: ShapePlan, k: int, seed: int, host_base: str, port: int) -> Site:
    """Shape site number k (1-based address index) with its posts."""
    rng = random.Random(f"{seed}:shape:{plan.shape}")
    unit = Unit(
        plan.site_id,
        f"{plan.short_name}质量技术监督局",
        plan.short_name,
        UnitType.COUNTY,
        "portal",
    )
    site = build_bare_site(k, unit, host_base, port, rng)
    site.family = plan.family
    site.page_size = plan.page_size
    site.shape = plan.shape
    site.mailbox_name = site.mailbox_slug = None
    site.encoding, site.charset_in_header = "utf-8", True
    if plan.shape == "split":
        for column in site.columns:
            if column.slug == FRIEND_LINK_COLUMN:
                column.rhythm = Rhythm.BLANK
    fill_posts(site, rng)
    for column in site.columns:
        column.path = column_path(plan, column)
        if plan.shape == "gkmlpt" and column.slug == GKMLPT_COLUMN:
            for post in column.posts:
                post.path = gkmlpt_post_path(post.doc_id)
                post.attachments.clear()
    return site


def build_shape_sites(seed: int, after: int, host_base: str, port: int) -> list[Site]:
    """One site per shape, on the addresses after the first `after` sites."""
    return [
        build_shape_site(PLANS[shape], after + i, seed, host_base, port)
        for i, shape in enumerate(SHAPES, start=1)
    ]


def plan_template_switch(sites: list[Site], day: date) -> None:
    """Give one regular site a new list template from `day` on."""
    regular = [site for site in sites if site.shape is None]
    target = regular[min(TEMPLATE_SWITCH_INDEX, len(regular) - 1)]
    target.template_switch = day


def shape_routes(site: Site) -> dict[str, Route]:
    """Every static path of a shape site; data endpoints are answered by path (see router)."""
    from simulator.world import Route, page_count  # world builds shape sites: import late

    routes: dict[str, Route] = {
        "/": Route("home"),
        "/index.html": Route("home"),
        "/robots.txt": Route("robots"),
    }
    for column in site.columns:
        pages = page_count(len(column.posts), site.page_size)
        if site.shape in ("jpage", "render") or column.path == GKMLPT_PATH:
            pages = 1  # further pages come from data endpoints or ?query
        for page in range(pages):
            routes[list_page_path(site, column, page)] = Route("list", column=column, page=page)
        if site.shape == "split":
            routes[f"{column.path}index.html"] = Route("list", column=column, page=0)
        for post in column.posts:
            routes[post.path] = Route("detail", column=column, post=post)
            for attachment in post.attachments:
                routes[attachment.path] = Route(
                    "attachment", column=column, post=post, attachment=attachment
                )
    return routes


def jpage_unit(column: Column) -> int:
    """The jpage unit id of a column (the widget instance on the page)."""
    return JPAGE_UNIT_BASE + column.col_id


def shape_truth(site: Site) -> dict:
    """The extra truth keys of a shape or template-switching site (empty for the others)."""
    extra: dict = {}
    if site.shape:
        extra["shape"] = site.shape
        extra["render_only"] = site.shape == "render"
    if site.template_switch:
        extra["template_switch"] = {
            "day": site.template_switch.isoformat(),
            "columns": [site.url(c.path) for c in site.columns],
        }
    return extra
