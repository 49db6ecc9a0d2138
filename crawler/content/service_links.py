"""Whether a 办事指南's downloads and online-application links work (服务不实用).

Attachments on the site's own domains are downloaded during the crawl by the content middleware
(once: the same response is scanned for text and judged here by `file_finding`). Every other
guide link is judged after the crawl from what the crawl already knows — the link check's
latest result (`links`, within the re-check period) or the crawl's own fetch of that URL
(`fetches`) — and only a URL nothing covered is fetched, once, through the guarded HTTP path
(crawler/http.py). A link that cannot be reached from this network (DNS, no route) is 无法验证:
no finding.
"""

from __future__ import annotations

import asyncio
import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

import httpx

from crawler.config import SiteConfig
from crawler.content.scanner import ContentFinding
from crawler.content.services import APPLY, ServiceLink, file_problem
from crawler.content.store import PageRef, replace_findings
from crawler.faults import UNREACHABLE_FROM_HERE, Fault
from crawler.guards import site_policy
from crawler.http import FetchError, FetchPolicy, guarded_get, new_client
from crawler.store import iso

BROKEN = "service_attachment_broken"
EMPTY = "service_attachment_empty"
WRONG_TYPE = "service_attachment_type"
APPLY_DEAD = "service_apply_dead"
LINK_CHECKS = (BROKEN, EMPTY, WRONG_TYPE, APPLY_DEAD)
CONCURRENCY = 4  # post-crawl fetches: few, and the sites were just crawled
# Faults in the reader's words (others: 无法连接).
FAULT_WORDS = {
    Fault.TIMEOUT: "超时",
    Fault.CONNECTION_REFUSED: "连接被拒绝",
    Fault.CONNECTION_LOST: "连接中断",
    Fault.TLS: "证书或加密连接错误",
    Fault.REDIRECT_LOOP: "重定向循环",
    Fault.BAD_REDIRECT: "重定向错误",
}
# Not a verdict on the link: this network cannot reach it, the guard refused it, or it is
# larger than a download here reads (it did answer).
UNJUDGED = frozenset({*UNREACHABLE_FROM_HERE, Fault.UNVERIFIABLE, Fault.PRIVATE_ADDRESS,
                      Fault.SCHEME, Fault.TOO_LARGE, Fault.ROBOTS, Fault.IGNORED})  # fmt: skip


@dataclass(frozen=True)
class PendingLink:
    """A guide link the crawl did not download itself: judged after the crawl."""

    page: PageRef
    link: ServiceLink
    site: SiteConfig
    deadline: float  # the site's crawl timeout
    user_agent: str


@dataclass(frozen=True)
class Known:
    """What the crawl already learnt about a URL: a link check or a fetch of its own."""

    ok: bool
    status: int | None
    error: str | None


def failure_words(status: int | None, fault: str | None) -> str:
    """Why a link failed, for the reader: 'HTTP 404', '超时' …"""
    if status is not None and status >= 400:
        return f"HTTP {status}"
    if fault is not None and fault in FAULT_WORDS:
        return FAULT_WORDS[Fault(fault)]
    return "无法连接"


def dead(link: ServiceLink, status: int | None, fault: str | None) -> ContentFinding:
    """The link does not answer: a dead application link or an attachment that won't download."""
    words = failure_words(status, fault)
    if link.role == APPLY:
        return ContentFinding(
            APPLY_DEAD, link.text, f"在线办理链接打不开（{words}）", "suspected", "", 0
        )
    return ContentFinding(BROKEN, link.text, f"附件无法下载（{words}）", "suspected", "", 0)


def file_finding(link: ServiceLink, content_type: str | None, body: bytes) -> ContentFinding | None:
    """A downloaded attachment that is empty or not the type its extension promises."""
    if link.role == APPLY:
        return None
    problem = file_problem(link.ext, content_type, body)
    if problem is None:
        return None
    check = EMPTY if problem.startswith("文件为空") else WRONG_TYPE
    return ContentFinding(check, link.text, problem, "suspected", "", 0)


def known_results(
    conn: sqlite3.Connection, urls: Sequence[str], since: datetime, run_id: int | None
) -> dict[str, Known]:
    """Per URL: the latest link check since `since`, else this run's own fetch of it."""
    known: dict[str, Known] = {}
    wanted = list(dict.fromkeys(urls))
    for start in range(0, len(wanted), 500):
        chunk = wanted[start : start + 500]
        marks = ",".join("?" for _ in chunk)
        # SQLite takes the bare columns from the row holding max(checked_at).
        for url, ok, status, error, _last in conn.execute(
            f"SELECT url, ok, status, error, max(checked_at) FROM links"
            f" WHERE url IN ({marks}) AND checked_at >= ? GROUP BY url",
            [*chunk, iso(since)],
        ):
            known[url] = Known(bool(ok), status, error)
        for url, status, error, _last in conn.execute(
            f"SELECT url, status, error, max(fetched_at) FROM fetches"
            f" WHERE url IN ({marks}) AND run_id IS ? AND kind NOT IN ('link', 'attachment')"
            f" AND (status IS NOT NULL OR error IS NOT NULL) GROUP BY url",
            [*chunk, run_id],
        ):
            if url not in known and status != 304:
                known[url] = Known(status is not None and 200 <= status < 400, status, error)
    return known


def from_known(link: ServiceLink, known: Known) -> ContentFinding | None:
    """A verdict from an earlier check (a HEAD says nothing of a file's type: not judged)."""
    if known.ok or known.error in UNJUDGED:
        return None
    return dead(link, known.status, known.error)


async def fetch_verdict(client: httpx.AsyncClient, pending: PendingLink) -> ContentFinding | None:
    """Fetch a link nothing covered (guarded) and judge it."""
    site = pending.site
    policy = FetchPolicy(site_policy(site), tuple(site.allowed_domains))
    try:
        page = await guarded_get(
            client,
            pending.link.url,
            policy=policy,
            deadline=pending.deadline,
            user_agent=pending.user_agent,
        )
    except FetchError as exc:
        return None if exc.fault in UNJUDGED else dead(pending.link, None, exc.fault.value)
    if not 200 <= page.status < 400:
        return dead(pending.link, page.status, None)
    return file_finding(pending.link, page.content_type, page.body)


async def fetch_all(pending: Sequence[PendingLink]) -> list[ContentFinding | None]:
    """Fetch and judge the links nothing covered, CONCURRENCY at a time: a few workers take
    the next link as they finish (a task per link, thousands for a large group, cost tens of MB
    at the end of a crawl)."""
    verdicts: list[ContentFinding | None] = [None] * len(pending)
    todo = iter(enumerate(pending))

    async def worker(client: httpx.AsyncClient) -> None:
        for index, item in todo:
            verdicts[index] = await fetch_verdict(client, item)

    async with new_client(CONCURRENCY) as client:
        await asyncio.gather(*(worker(client) for _ in range(CONCURRENCY)))
    return verdicts


def judge_pending(
    conn: sqlite3.Connection,
    pending: Sequence[PendingLink],
    *,
    since: datetime,
    run_id: int | None,
    now: datetime,
) -> tuple[int, int]:
    """Judge the guides' links after the crawl and store the findings (each link's earlier
    verdict replaced); return (links judged from earlier checks, links fetched now)."""
    known = known_results(conn, [p.link.url for p in pending], since, run_id)
    uncovered = [p for p in pending if p.link.url not in known]
    fetched = asyncio.run(fetch_all(uncovered)) if uncovered else []
    verdicts = dict(zip((id(p) for p in uncovered), fetched, strict=True))
    for item in pending:
        if item.link.url in known:
            finding = from_known(item.link, known[item.link.url])
        else:
            finding = verdicts[id(item)]
        record_link(conn, item.page, item.link, finding, now=now, run_id=run_id)
    return len(pending) - len(uncovered), len(uncovered)


def record_link(
    conn: sqlite3.Connection,
    page: PageRef,
    link: ServiceLink,
    finding: ContentFinding | None,
    *,
    now: datetime,
    run_id: int | None,
) -> None:
    """A link's verdict as the guide's current state: a fixed link stops being reported."""
    ref = PageRef(page.site_id, page.url, page.title, page.day, link.url)
    found = [finding] if finding is not None else []
    replace_findings(conn, ref, LINK_CHECKS, found, now=now, run_id=run_id)
