"""Config side of the network policy: per-site private networks, link_check, caps (no network)."""

from __future__ import annotations

import asyncio
from types import SimpleNamespace

import pytest
from scrapy import Request
from sw_testing import DEMO_CONFIG

from crawler.config import ConfigError, load_config, parse_config
from crawler.guards import site_policy
from crawler.limits import MAX_LINKS_PER_PAGE, MAX_LINKS_PER_SITE
from crawler.middlewares import GuardMiddleware
from crawler.scrapy_faults import RefusedRequest


def config(sites: str, group: str = "{name: 测试网站群}", extra: str = "") -> str:
    return f"group: {group}\n{extra}sites:\n{sites}"


INTRANET = """\
  - id: oa
    name: 办公网
    unit_type: province
    home_url: http://oa.intra.example-qts.gov.cn/
    allowed_domains: [intra.example-qts.gov.cn]
    allowed_networks: [10.20.0.0/16]
  - id: portal
    name: 门户
    unit_type: province
    home_url: http://www.example-qts.gov.cn/
"""


def error_of(text: str) -> str:
    with pytest.raises(ConfigError) as raised:
        parse_config(text, "x.yaml")
    return str(raised.value)


def test_a_site_may_allow_its_own_private_network_only() -> None:
    site = "  - {id: a, name: A, unit_type: city, home_url: 'http://10.20.1.1/',"
    ok = parse_config(config(site + " allowed_networks: [10.20.0.0/16]}\n"), "x.yaml")
    assert site_policy(ok.sites[0]).allows("10.20.1.1")
    assert not site_policy(ok.sites[0]).allows("10.30.1.1")
    message = error_of(config(site + " allowed_networks: [10.30.0.0/16]}\n"))
    assert "site 'a'" in message and "private or loopback" in message


def test_site_setting_overrides_the_group() -> None:
    site = "  - {id: a, name: A, unit_type: city, home_url: 'http://127.0.0.2/'"
    group = "{name: 测试网站群, allow_private_addresses: true}"
    assert parse_config(config(site + "}\n", group), "x.yaml").sites[0].allow_private_addresses
    message = error_of(config(site + ", allow_private_addresses: false}\n", group))
    assert "127.0.0.2" in message


@pytest.mark.parametrize(
    ("networks", "words"),
    [("[169.254.0.0/16]", "link-local"), ("[fe80::/64]", "link-local"), ("[intranet]", "network")],
)
def test_bad_networks_refused(networks: str, words: str) -> None:
    site = "  - {id: a, name: A, unit_type: city, home_url: 'http://a.gov.cn/',"
    site += f" allowed_networks: {networks}}}\n"
    message = error_of(config(site))
    assert "allowed_networks" in message and words in message


def test_link_check_section_validated() -> None:
    site = "  - {id: a, name: A, unit_type: city, home_url: 'http://a.gov.cn/'}\n"
    good = parse_config(
        config(site, extra="link_check: {external: skip, skip_hosts: [WWW.Gov.CN]}\n"), "x.yaml"
    )
    assert good.sites[0].link_check_for(good.link_check) == ("skip", ["www.gov.cn"])
    assert "external" in error_of(config(site, extra="link_check: {external: maybe}\n"))
    assert "skip_hosts" in error_of(config(site, extra="link_check: {skip_hosts: ['a b']}\n"))


def test_caps_default_from_the_limits_module_and_are_validated() -> None:
    site = "  - {id: a, name: A, unit_type: city, home_url: 'http://a.gov.cn/'}\n"
    crawl = parse_config(config(site), "x.yaml").effective_crawl("a")
    assert (crawl.max_links_per_page, crawl.max_links_per_site) == (
        MAX_LINKS_PER_PAGE,
        MAX_LINKS_PER_SITE,
    )
    assert "max_links_per_page" in error_of(
        config(site, extra="defaults: {max_links_per_page: 0}\n")
    )


def test_demo_config_still_allows_its_loopback_sites() -> None:
    group = load_config(DEMO_CONFIG)
    assert all(site.allow_private_addresses for site in group.sites)


FAKE_DNS = {
    "oa.intra.example-qts.gov.cn": ["10.20.3.4"],
    "db.intra.example-qts.gov.cn": ["10.99.0.1"],
    "www.example-qts.gov.cn": ["93.184.216.34"],
}


def verdict(url: str, site_id: str, kind: str = "list") -> str | None:
    group = parse_config(config(INTRANET), "x.yaml")
    sites = list(group.sites)
    context = SimpleNamespace(
        group=group, sites=sites, site_by_host={}, site_by_id={s.id: s for s in sites}
    )
    guard = GuardMiddleware(
        SimpleNamespace(spider=SimpleNamespace(context=context)),  # type: ignore[arg-type]
        resolver=lambda host: FAKE_DNS.get(host, []),
    )
    try:
        pending = guard.process_request(Request(url, meta={"site_id": site_id, "kind": kind}))
        if pending is not None:
            asyncio.run(pending)
    except RefusedRequest as exc:
        return exc.kind
    return None


def test_intranet_site_reaches_its_network_and_nothing_more() -> None:
    assert verdict("http://oa.intra.example-qts.gov.cn/tzgg/", "oa") is None
    # Its own domain, but outside the network it was allowed.
    assert verdict("http://db.intra.example-qts.gov.cn/", "oa") == "private_address"
    # Another site's link to the intranet host is not covered by oa's allowance.
    assert verdict("http://oa.intra.example-qts.gov.cn/", "portal", "link") == "private_address"
