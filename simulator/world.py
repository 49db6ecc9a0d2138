"""The simulated website group: build it from a seed, ask what is visible when, export the truth."""

from __future__ import annotations

import math
import random
from dataclasses import dataclass, field
from datetime import date, datetime

from simulator import urls
from simulator.catalog import build_bare_site, units_for
from simulator.content import fill_letters, fill_posts
from simulator.content_cases import (
    missing_meta_tags,
    plant_content_cases,
    uninterpreted_policies,
)
from simulator.faults import ALL_FAULTS, DEFAULT_FAULTS, MISSING_SPECIAL_PATH, plan_faults
from simulator.model import Attachment, Column, Family, Letter, Post, Site
from simulator.shapes import build_shape_sites, plan_template_switch, shape_routes, shape_truth

__all__ = ["ALL_FAULTS", "DEFAULT_FAULTS", "Route", "World", "build_world"]

DEFAULT_SLOW_DELAY_S = 2.0
ERROR_PATTERN = "requests 1-2 of every 5 to the page fail, 3-5 succeed (counted per server)"


@dataclass(frozen=True)
class Route:
    """What a site path serves."""

    kind: str  # home | list | detail | attachment | mailbox | letter | robots | private
    column: Column | None = None
    post: Post | None = None
    page: int = 0
    letter: Letter | None = None
    attachment: Attachment | None = None


def visible_posts(column: Column, day: date) -> list[Post]:
    """Posts of a column published on or before `day`, newest first."""
    return [post for post in column.posts if post.day <= day]


def visible_letters(site: Site, day: date) -> list[Letter]:
    """Letters asked on or before `day`, newest first."""
    return [letter for letter in site.letters if letter.asked.date() <= day]


def reply_visible(letter: Letter, day: date) -> bool:
    """True when the letter's reply has been given by `day`."""
    return letter.replied is not None and letter.replied.date() <= day


def page_count(item_count: int, page_size: int) -> int:
    """Number of list pages (an empty column still has one page)."""
    return max(1, math.ceil(item_count / page_size))


def _site_routes(site: Site) -> dict[str, Route]:
    """Every static path of a site (list pages for the whole year; visibility is checked later)."""
    routes: dict[str, Route] = {"/": Route("home"), "/robots.txt": Route("robots")}
    if site.family is Family.TRS:
        routes["/index.html"] = Route("home")
    else:
        routes["/index.htm"] = Route("home")
    for path in site.robots_disallow:
        routes[path] = Route("private")
    for column in site.columns:
        for page in range(page_count(len(column.posts), site.page_size)):
            path = urls.list_page_path(site.family, column, page)
            if "?" not in path:
                routes[path] = Route("list", column=column, page=page)
        if site.family is Family.TRS:
            routes[f"{column.path}index.html"] = Route("list", column=column, page=0)
        for post in column.posts:
            routes[post.path] = Route("detail", column=column, post=post)
            for attachment in post.attachments:
                routes[attachment.path] = Route(
                    "attachment", column=column, post=post, attachment=attachment
                )
    if site.mailbox_slug is not None:
        for page in range(page_count(len(site.letters), site.page_size)):
            routes[urls.mailbox_path(site, page)] = Route("mailbox", page=page)
        routes[f"/{site.mailbox_slug}/index.html"] = Route("mailbox", page=0)
        for letter in site.letters:
            routes[letter.path] = Route("letter", letter=letter)
    return routes


@dataclass
class World:
    """All sites of the group plus the fault switches; immutable after build_world()."""

    seed: int
    sites: list[Site]
    faults: frozenset[str]
    host_base: str
    port: int
    slow_delay_s: float = DEFAULT_SLOW_DELAY_S
    routes: dict[str, dict[str, Route]] = field(default_factory=dict)
    by_host: dict[str, Site] = field(default_factory=dict)

    def truth(self, now: datetime) -> dict:
        """Ground truth of everything published as of `now` (JSON-ready)."""
        day = now.date()
        return {
            "today": day.isoformat(),
            "now": now.isoformat(timespec="seconds"),
            "seed": self.seed,
            "faults": sorted(self.faults),
            "slow_delay_s": self.slow_delay_s if "slow" in self.faults else 0,
            "error_pattern": ERROR_PATTERN if "errors_5xx" in self.faults else None,
            "sites": [_site_truth(site, now) for site in self.sites],
            "transport": _transport_truth(self.sites),
        }


def _transport_truth(sites: list[Site]) -> dict:
    """HTTPS and IPv6 cases (simulator/transport.py; imported here: it imports the app)."""
    from simulator.transport import transport_truth

    return transport_truth(sites)


def _post_truth(site: Site, post: Post, broken: set[str]) -> dict:
    """Truth of one post."""
    return {
        "url": site.url(post.path),
        "title": post.title,
        "date": post.day.isoformat(),
        "published": post.published.isoformat(timespec="minutes"),
        "department": post.department,
        "attachments": [
            {"url": site.url(a.path), "label": a.label, "broken": a.path in broken}
            for a in post.attachments
        ],
    }


def _letter_truth(site: Site, letter: Letter, day: date) -> dict:
    """Truth of one letter as it stands on `day`."""
    answered = reply_visible(letter, day)
    return {
        "url": site.url(letter.path),
        "title": letter.title,
        "asked": letter.asked.date().isoformat(),
        "asked_at": letter.asked.isoformat(timespec="seconds"),
        "replied": letter.replied.date().isoformat() if answered and letter.replied else None,
        "replied_at": letter.replied.isoformat(timespec="seconds")
        if answered and letter.replied
        else None,
        "reply_department": letter.reply_department if answered else None,
    }


def _broken_links(site: Site, day: date) -> list[str]:
    """Absolute URLs linked from the pages visible on `day` that fail."""
    faults = site.faults
    broken = set(faults.broken_paths)
    out = [site.url(MISSING_SPECIAL_PATH)] if MISSING_SPECIAL_PATH in broken else []
    for column in site.columns:
        for post in visible_posts(column, day):
            out.extend(site.url(a.path) for a in post.attachments if a.path in broken)
    out.extend(faults.dead_port_urls)
    return out


def _fault_truth(site: Site, now: datetime) -> dict:
    """The fault keys of a site's truth (empty when the fault is off)."""
    faults, day = site.faults, now.date()
    visible_paths = {p.path for c in site.columns for p in visible_posts(c, day)}
    visible_paths.update(c.path for c in site.columns)
    chains = []
    for start in faults.redirect_links:
        chain, path = [], start
        while path in faults.redirects:
            path = faults.redirects[path]
            chain.append(site.url(path))
        chains.append({"url": site.url(start), "chain": chain, "final": chain[-1]})
    return {
        "broken_links": _broken_links(site, day),
        "outages": [
            {
                "from": o.start.isoformat(timespec="seconds"),
                "to": o.end.isoformat(timespec="seconds"),
            }
            for o in faults.outages
            if o.start <= now
        ],
        "slow_urls": [site.url(p) for p in faults.slow_paths],
        "errors_5xx": [
            {"url": site.url(path), "status": status}
            for path, status in faults.error_paths.items()
            if path in visible_paths
        ],
        "redirects": chains,
        "traps": [
            {
                "kind": "calendar",
                "url_prefix": site.url(faults.trap_prefix),
                "entry_url": site.url(f"{faults.trap_prefix}index.html?y=2012&m=12"),
            }
        ]
        if faults.trap_prefix
        else [],
        "wrong_charset": [
            {"scope": "detail pages", "header": "utf-8", "meta": "gb2312", "actual": "gbk"}
        ]
        if faults.wrong_charset
        else [],
    }


def _site_truth(site: Site, now: datetime) -> dict:
    """Truth of one site as of `now`."""
    day = now.date()
    broken = set(site.faults.broken_paths)
    return {
        "id": site.site_id,
        "name": site.name,
        "unit_type": site.unit_type.value,
        "parent": site.parent,
        "home_url": site.home_url,
        "family": site.family.value,
        "encoding": site.encoding,
        "charset_in_header": site.charset_in_header,
        "date_style": site.date_style.value,
        "page_size": site.page_size,
        "robots_disallow": list(site.robots_disallow),
        "columns": [
            {
                "name": column.name,
                "url": site.url(column.path),
                "category": column.category.value,
                "rhythm": column.rhythm.value,
                "posts": [_post_truth(site, post, broken) for post in visible_posts(column, day)],
            }
            for column in site.columns
        ],
        "consultation_url": site.url(urls.mailbox_path(site)) if site.mailbox_slug else None,
        "consultation_name": site.mailbox_name,
        "consultations": [
            _letter_truth(site, letter, day) for letter in visible_letters(site, day)
        ],
        **_fault_truth(site, now),
        "content_errors": list(site.content_errors),
        "missing_meta_tags": missing_meta_tags(site),
        "yearly_report": site.yearly_report_url,
        "policies_without_interpretation": uninterpreted_policies(site, day),
        **shape_truth(site),
    }


def build_world(
    seed: int = 2012,
    n_sites: int = 12,
    faults: frozenset[str] = DEFAULT_FAULTS,
    host_base: str = "127.0.0.2",
    port: int = 8800,
    shapes: bool = False,
    template_switch: date | None = None,
) -> World:
    """Build the deterministic world for a seed: same arguments, same world.

    `shapes` appends the list-shape sites of simulator/shapes.py; `template_switch` gives one
    regular site a new list template from that day on.
    """
    unknown = frozenset(faults) - ALL_FAULTS
    if unknown:
        raise ValueError(f"unknown fault(s): {sorted(unknown)}")
    if n_sites < 1:
        raise ValueError("n_sites must be at least 1")
    sites = []
    for k, unit in enumerate(units_for(n_sites), start=1):
        rng = random.Random(f"{seed}:site:{k}")
        site = build_bare_site(k, unit, host_base, port, rng)
        fill_posts(site, rng)
        fill_letters(site, rng)
        sites.append(site)
    plan_faults(sites, frozenset(faults), seed)
    plant_content_cases(sites)
    if template_switch is not None:
        plan_template_switch(sites, template_switch)
    if shapes:
        sites.extend(build_shape_sites(seed, len(sites), host_base, port))
    world = World(seed, sites, frozenset(faults), host_base, port)
    world.routes = {
        site.site_id: shape_routes(site) if site.shape else _site_routes(site) for site in sites
    }
    world.by_host = {site.host: site for site in sites}
    return world
