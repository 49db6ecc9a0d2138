"""Map (site, path, query, day) to a rendered response; cache per (clock day, site, target)."""

from __future__ import annotations

import hashlib
import threading
from dataclasses import dataclass
from datetime import date, datetime
from urllib.parse import parse_qs

from simulator.content_cases import attachment_body
from simulator.model import Family, Post, Site
from simulator.templates.chrome import Ctx
from simulator.templates.details import render_detail
from simulator.templates.home import render_calendar, render_home, render_not_found, render_private
from simulator.templates.lists import render_list
from simulator.templates.mailbox import render_letter, render_mailbox
from simulator.templates.search import SEARCH_PATH, render_search
from simulator.templates.shapes import render_shape_data, render_shape_list
from simulator.world import Route, World, reply_visible, visible_letters, visible_posts

SITE_EPOCH = datetime(2012, 1, 1, 8, 0)  # Last-Modified of pages that never change
CACHE_LIMIT = 100_000
ATTACHMENT_TYPES = {
    "doc": "application/msword",
    "pdf": "application/pdf",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
TRAP_YEAR_RANGE = range(1, 10000)


@dataclass(frozen=True)
class Rendered:
    """A response before HTTP framing; last_modified is Beijing local time."""

    status: int
    body: bytes
    content_type: str
    last_modified: datetime | None = None
    etag: str | None = None
    location: str | None = None


def etag_of(body: bytes) -> str:
    """A strong validator derived from the bytes only (so it is deterministic)."""
    return '"' + hashlib.blake2b(body, digest_size=8).hexdigest() + '"'


def html_content_type(site: Site, detail: bool = False) -> str:
    """Content-Type header: with charset on some sites only; wrong_charset lies on detail pages."""
    if detail and site.faults.wrong_charset:
        return "text/html; charset=utf-8"
    if not site.charset_in_header:
        return "text/html"
    return "text/html; charset=utf-8" if site.encoding == "utf-8" else "text/html; charset=GBK"


def _latest(posts: list[Post]) -> datetime:
    """Publication time of the newest post, or the epoch for an empty list."""
    return max((p.published for p in posts), default=SITE_EPOCH)


class Router:
    """Renders pages of a world lazily and caches them per (site, clock day, target)."""

    def __init__(self, world: World) -> None:
        self.world = world
        self._cache: dict[tuple[str, date, str], Rendered] = {}
        self._lock = threading.Lock()

    def render(self, site: Site, path: str, query: str, day: date) -> Rendered:
        """The response for a GET of path?query on `day` (cached)."""
        key = (site.site_id, day, f"{path}?{query}")
        cached = self._cache.get(key)
        if cached is not None:
            return cached
        rendered = self._render(site, path, query, day)
        with self._lock:
            if len(self._cache) >= CACHE_LIMIT:
                self._cache.clear()  # crude but bounded; pages are cheap to re-render
            self._cache[key] = rendered
        return rendered

    def _html(self, site: Site, text: str, modified: datetime, detail: bool = False) -> Rendered:
        """Encode an HTML page in the site's charset."""
        body = text.encode(site.encoding, errors="xmlcharrefreplace")
        return Rendered(200, body, html_content_type(site, detail), modified, etag_of(body))

    def _not_found(self, ctx: Ctx) -> Rendered:
        """404 in the site's chrome."""
        body = render_not_found(ctx).encode(ctx.site.encoding, errors="xmlcharrefreplace")
        return Rendered(404, body, html_content_type(ctx.site))

    def _render(self, site: Site, path: str, query: str, day: date) -> Rendered:
        """Uncached rendering: faults that change content first, then the route table."""
        ctx = Ctx(self.world, site, day)
        faults = site.faults
        if path in faults.redirects:
            target = faults.redirects[path]
            status = 301 if target in faults.redirects else 302
            return Rendered(status, b"", "text/html", location=site.url(target))
        if faults.trap_prefix and path in (faults.trap_prefix, f"{faults.trap_prefix}index.html"):
            return self._calendar(ctx, query)
        if path in faults.broken_paths:
            return self._not_found(ctx)
        if site.shape and (data := render_shape_data(ctx, path, query)) is not None:
            body = data[0].encode("utf-8")
            return Rendered(200, body, data[1], None, etag_of(body))
        if path == SEARCH_PATH and not site.shape:
            return self._html(site, render_search(ctx, query), SITE_EPOCH)
        route = self.world.routes[site.site_id].get(path)
        if route is None:
            return self._not_found(ctx)
        return self._route(ctx, route, query) or self._not_found(ctx)

    def _calendar(self, ctx: Ctx, query: str) -> Rendered:
        """The endless calendar: any year and month is a valid page."""
        params = parse_qs(query)
        try:
            year = int(params.get("y", ["2012"])[0])
            month = int(params.get("m", ["12"])[0])
        except ValueError:
            return self._not_found(ctx)
        if year not in TRAP_YEAR_RANGE or not 1 <= month <= 12:
            return self._not_found(ctx)
        return self._html(ctx.site, render_calendar(ctx, year, month), SITE_EPOCH)

    def _list_page(self, ctx: Ctx, route: Route, query: str) -> int | None:
        """0-based list page asked for (Hanweb query sites read ?pageIndex=N on page one)."""
        if ctx.site.family is not Family.HANWEB_QUERY or route.page != 0:
            return route.page
        raw = parse_qs(query).get("pageIndex")
        if raw is None:
            return 0
        try:
            index = int(raw[0])
        except ValueError:
            return None
        return index - 1 if index >= 1 else None

    def _route(self, ctx: Ctx, route: Route, query: str) -> Rendered | None:
        """Render a known route; None means 404 (not yet published, page out of range)."""
        site, day = ctx.site, ctx.day
        kind = route.kind
        if kind == "home":
            latest = max((_latest(visible_posts(c, day)) for c in site.columns), default=SITE_EPOCH)
            return self._html(site, render_home(ctx), latest)
        if kind == "list" and route.column is not None:
            page_no = self._list_page(ctx, route, query)
            if site.shape or (site.template_switch and day >= site.template_switch):
                text = render_shape_list(ctx, route.column, route.page, query)
            else:
                text = render_list(ctx, route.column, page_no) if page_no is not None else None
            return (
                self._html(site, text, _latest(visible_posts(route.column, day))) if text else None
            )
        if kind in ("detail", "attachment") and route.post is not None and route.column is not None:
            if route.post.day > day:
                return None
            if kind == "detail":
                text = render_detail(ctx, route.column, route.post)
                return self._html(site, text, route.post.published, detail=True)
            return self._attachment(route)
        if kind == "mailbox":
            return self._mailbox(ctx, route.page)
        if kind == "letter" and route.letter is not None:
            letter = route.letter
            if letter.asked.date() > day:
                return None
            modified = (
                letter.replied if reply_visible(letter, day) and letter.replied else letter.asked
            )
            return self._html(site, render_letter(ctx, letter), modified)
        if kind == "robots":
            return self._robots(site)
        if kind == "private":
            return self._html(site, render_private(ctx), SITE_EPOCH)
        return None

    def _mailbox(self, ctx: Ctx, page_no: int) -> Rendered | None:
        """A mailbox list page; modified when the newest letter or reply arrived."""
        text = render_mailbox(ctx, page_no)
        if text is None:
            return None
        events = [SITE_EPOCH]
        for letter in visible_letters(ctx.site, ctx.day):
            events.append(letter.asked)
            if reply_visible(letter, ctx.day) and letter.replied:
                events.append(letter.replied)
        return self._html(ctx.site, text, max(events))

    def _attachment(self, route: Route) -> Rendered:
        """A small placeholder file with the right type."""
        assert route.attachment is not None and route.post is not None
        ext = route.attachment.path.rsplit(".", 1)[1]
        label = route.attachment.label.encode("utf-8")
        planted = attachment_body(route.attachment.path)
        if planted is not None:
            body = planted
        elif ext == "pdf":
            body = b"%PDF-1.4\n% simulated attachment: " + label + b"\n%%EOF\n"
        else:
            body = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1 simulated attachment: " + label + b"\n"
        return Rendered(200, body, ATTACHMENT_TYPES[ext], route.post.published, etag_of(body))

    def _robots(self, site: Site) -> Rendered:
        """robots.txt: everything allowed except the site's disallowed paths."""
        lines = ["User-agent: *"]
        lines.extend(f"Disallow: {path}" for path in site.robots_disallow)
        if not site.robots_disallow:
            lines.append("Disallow:")
        body = ("\n".join(lines) + "\n").encode("ascii")
        return Rendered(200, body, "text/plain", SITE_EPOCH, etag_of(body))
