"""The request guards: private addresses, other sites' domains, crawler traps (no network)."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from types import SimpleNamespace

import pytest
from scrapy import Request

from crawler.config import parse_config
from crawler.guards import trap_reason
from crawler.middlewares import GuardMiddleware
from crawler.scrapy_faults import RefusedRequest

REAL_GROUP = """
group: {name: 测试网站群}
sites:
  - id: portal
    name: 省局
    unit_type: province
    home_url: "http://www.example-qts.gov.cn/"
    allowed_domains: [example-qts.gov.cn]
"""
DEMO_GROUP = """
group: {name: 模拟网站群, allow_private_addresses: true}
sites:
  - {id: portal, name: 省局, unit_type: province, home_url: "http://127.0.0.2:8800/"}
"""


# A stand-in DNS (global addresses; nothing is ever sent to them): no test may send a query.
# Names not listed do not resolve.
FAKE_DNS = {
    "www.example-qts.gov.cn": ["93.184.216.34"],
    "sub.example-qts.gov.cn": ["93.184.216.35"],
    "www.other.gov.cn": ["220.181.38.148"],
    "intranet.example-qts.gov.cn": ["10.20.30.40"],
    "metadata.example-qts.gov.cn": ["93.184.216.36", "169.254.169.254"],
}


def fake_resolver(host: str) -> list[str]:
    return FAKE_DNS.get(host, [])


def guard_for(text: str, resolver: Callable[[str], list[str]] = fake_resolver) -> GuardMiddleware:
    group = parse_config(text, "group.yaml")
    sites = list(group.sites)
    context = SimpleNamespace(
        group=group, sites=sites, site_by_host={}, site_by_id={s.id: s for s in sites}
    )
    crawler = SimpleNamespace(spider=SimpleNamespace(context=context))
    return GuardMiddleware(crawler, resolver=resolver)  # type: ignore[arg-type]


def refusal(guard: GuardMiddleware, url: str, kind: str = "list") -> str | None:
    """The guard's verdict: the refusal kind, or None when the request may go."""
    meta = {"site_id": "portal", "kind": kind}
    try:
        pending = guard.process_request(Request(url, meta=meta))
        if pending is not None:  # a name to resolve first
            asyncio.run(pending)
    except RefusedRequest as exc:
        return exc.kind
    return None


@pytest.mark.parametrize(
    "url",
    [
        "http://169.254.169.254/latest/meta-data/",
        "http://127.0.0.1/admin",
        "http://10.1.2.3/",
        "http://192.168.0.1/",
        "http://localhost:8080/",
        "http://[::1]/",
    ],
)
def test_private_addresses_refused_in_a_real_group(url: str) -> None:
    guard = guard_for(REAL_GROUP)
    assert refusal(guard, url) == "offsite"  # a page elsewhere is off the site first
    assert refusal(guard, url, kind="link") == "private_address"  # link checks may leave


@pytest.mark.parametrize(
    "url", ["http://intranet.example-qts.gov.cn/", "http://metadata.example-qts.gov.cn/x"]
)
def test_names_resolving_to_private_addresses_refused(url: str) -> None:
    guard = guard_for(REAL_GROUP)
    assert refusal(guard, url) == "private_address"
    assert refusal(guard, url, kind="link") == "private_address"


def test_each_name_is_resolved_once_per_crawl() -> None:
    asked: list[str] = []
    guard = guard_for(REAL_GROUP, lambda host: asked.append(host) or fake_resolver(host))
    for path in ("a", "b", "c"):
        refusal(guard, f"http://www.example-qts.gov.cn/{path}")
    assert asked == ["www.example-qts.gov.cn"]


def test_other_domains_refused_but_link_checks_allowed() -> None:
    guard = guard_for(REAL_GROUP)
    assert refusal(guard, "http://www.example-qts.gov.cn/tzgg/") is None
    assert refusal(guard, "http://sub.example-qts.gov.cn/xxgk/") is None
    assert refusal(guard, "http://www.other.gov.cn/") == "offsite"
    assert refusal(guard, "http://www.other.gov.cn/", kind="link") is None


def test_demo_group_allows_its_loopback_site_only() -> None:
    guard = guard_for(DEMO_GROUP)
    assert refusal(guard, "http://127.0.0.2:8800/gzdt/") is None
    # The group's loopback allowance covers each site's own hosts only.
    assert refusal(guard, "http://127.0.0.9:8800/gzdt/") == "offsite"
    assert refusal(guard, "http://127.0.0.9:8800/gzdt/", kind="link") == "private_address"


def test_trap_urls_refused() -> None:
    guard = guard_for(REAL_GROUP)
    assert refusal(guard, "http://www.example-qts.gov.cn/rili/?y=2012&m=13") == "trap"


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("http://a.gov.cn/rili/index.html?y=2012&m=12", "calendar parameters"),
        ("http://a.gov.cn/a/b/a/b/a/b/", "repeating path segments"),
        ("http://a.gov.cn/list.jsp?sid=8f7a6b5c4d", "session id in url"),
        ("http://a.gov.cn/l?a=1&b=2&c=3&d=4&e=5&f=6&g=7", "too many query parameters"),
        ("http://a.gov.cn/" + "x/" * 13, "path too deep"),
        ("http://a.gov.cn/" + "x" * 600, "url too long"),
    ],
)
def test_trap_reasons(url: str, reason: str) -> None:
    assert trap_reason(url) == reason


@pytest.mark.parametrize(
    "url",
    [
        "http://a.gov.cn/col/col12/index.html?uid=380055&pageNum=2",
        "http://a.gov.cn/tzgg/index_3.html",
        "http://a.gov.cn/art/2012/5/15/art_12_345.html",
        "http://a.gov.cn/list.html?pageIndex=4",
        "http://a.gov.cn/search?date=2012-05-15",
    ],
)
def test_ordinary_pages_are_not_traps(url: str) -> None:
    assert trap_reason(url) is None
