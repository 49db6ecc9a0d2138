"""Each fault shows up on the wire and in the truth when switched on, and not otherwise."""

from __future__ import annotations

import socket
import time
from collections.abc import Iterator
from datetime import datetime, timedelta
from urllib.parse import urljoin, urlsplit

import lxml.html
import pytest
from sim_helpers import Client, decode, port_for

from simulator.faults import ALL_FAULTS, DEFAULT_FAULTS, parse_faults
from simulator.server import SimulatorServer
from simulator.world import build_world

PORT_ON, PORT_OFF = port_for(18803), port_for(18804)
NOW = datetime(2012, 12, 31, 12, 0)
SLOW_S = 0.4
FAULT_KEYS = (
    "broken_links",
    "outages",
    "slow_urls",
    "errors_5xx",
    "redirects",
    "traps",
    "wrong_charset",
)


@pytest.fixture(scope="module")
def on() -> Iterator[tuple[SimulatorServer, dict]]:
    """Every fault switched on."""
    world = build_world(port=PORT_ON, faults=ALL_FAULTS)
    world.slow_delay_s = SLOW_S
    srv = SimulatorServer(world, NOW)
    srv.start()
    yield srv, world.truth(NOW)
    srv.stop()


@pytest.fixture(scope="module")
def off() -> Iterator[tuple[SimulatorServer, dict]]:
    """No fault at all."""
    world = build_world(port=PORT_OFF, faults=frozenset())
    srv = SimulatorServer(world, NOW)
    srv.start()
    yield srv, world.truth(NOW)
    srv.stop()


@pytest.fixture
def client() -> Iterator[Client]:
    """A fresh keep-alive client."""
    c = Client()
    yield c
    c.close()


def _links(client: Client, url: str) -> set[str]:
    """Absolute hrefs of a page."""
    got = client.fetch(url)
    tree = lxml.html.fromstring(decode(got.body, got.headers))
    return {urljoin(url, h) for h in tree.xpath("//a/@href") if not h.startswith("javascript")}


def _refused(url: str) -> bool:
    """True when nothing listens at the URL's host:port."""
    parts = urlsplit(url)
    try:
        socket.create_connection((parts.hostname, parts.port), timeout=2).close()
    except ConnectionRefusedError:
        return True
    return False


def test_parse_faults() -> None:
    assert parse_faults("all") == ALL_FAULTS and parse_faults("none") == frozenset()
    assert parse_faults("outage, slow") == {"outage", "slow"}
    assert DEFAULT_FAULTS == {"broken_links", "outage"}
    with pytest.raises(ValueError):
        parse_faults("outage,meteor")


def test_truth_lists_faults(
    on: tuple[SimulatorServer, dict], off: tuple[SimulatorServer, dict]
) -> None:
    truth_on, truth_off = on[1], off[1]
    assert truth_on["faults"] == sorted(ALL_FAULTS) and truth_off["faults"] == []
    for key in FAULT_KEYS:
        assert any(site[key] for site in truth_on["sites"]), key
        assert all(site[key] == [] for site in truth_off["sites"]), key


def test_broken_links_are_linked_and_fail(on: tuple[SimulatorServer, dict], client: Client) -> None:
    for site in on[1]["sites"]:
        if not site["broken_links"]:
            continue
        linked = _links(client, site["home_url"])
        for post in (p for c in site["columns"] for p in c["posts"]):
            if any(a["broken"] for a in post["attachments"]):
                linked |= _links(client, post["url"])
        for url in site["broken_links"]:
            assert url in linked, url
            if urlsplit(url).port == PORT_ON:
                assert client.fetch(url).status == 404, url
            else:
                assert _refused(url), url


def test_home_links_all_work_without_faults(
    off: tuple[SimulatorServer, dict], client: Client
) -> None:
    for site in off[1]["sites"][:6]:
        for url in _links(client, site["home_url"]):
            if urlsplit(url).path.startswith("/search"):
                continue
            assert client.fetch(url).status == 200, url


def test_outage_answers_503_only_inside_the_window(
    on: tuple[SimulatorServer, dict], off: tuple[SimulatorServer, dict], client: Client
) -> None:
    server, truth = on
    down = [s for s in truth["sites"] if s["outages"]]
    assert 1 <= len(down) <= 2
    site, outage = down[0], down[0]["outages"][0]
    start, end = datetime.fromisoformat(outage["from"]), datetime.fromisoformat(outage["to"])
    up_site = next(s for s in truth["sites"] if not s["outages"])
    try:
        server.set_clock(start + timedelta(minutes=30))
        for path in ("", "robots.txt"):
            got = client.fetch(site["home_url"] + path)
            assert got.status == 503 and got.headers["retry-after"]
        assert client.fetch(up_site["home_url"]).status == 200
        server.set_clock(end)
        assert client.fetch(site["home_url"]).status == 200
        server.set_clock(start - timedelta(hours=1))
        assert client.fetch(site["home_url"]).status == 200
        off[0].set_clock(start + timedelta(minutes=30))
        same_site_off = site["home_url"].replace(str(PORT_ON), str(PORT_OFF))
        assert client.fetch(same_site_off).status == 200
    finally:
        server.set_clock(NOW)
        off[0].set_clock(NOW)


def test_slow_pages_answer_late(on: tuple[SimulatorServer, dict], client: Client) -> None:
    slow = [u for s in on[1]["sites"] for u in s["slow_urls"]]
    assert slow and on[1]["slow_delay_s"] == SLOW_S
    started = time.perf_counter()
    assert client.fetch(slow[0]).status == 200
    assert time.perf_counter() - started >= SLOW_S * 0.9
    fast = on[1]["sites"][0]["home_url"]
    assert fast not in slow
    started = time.perf_counter()
    client.fetch(fast)
    assert time.perf_counter() - started < SLOW_S / 2


def test_errors_come_in_bursts(on: tuple[SimulatorServer, dict], client: Client) -> None:
    errors = [e for s in on[1]["sites"] for e in s["errors_5xx"]]
    assert {e["status"] for e in errors} <= {500, 502, 503} and len(errors) >= 2
    for error in errors[:3]:
        statuses = [client.fetch(error["url"]).status for _ in range(6)]
        assert statuses == [error["status"]] * 2 + [200] * 3 + [error["status"]]


def test_redirect_chain(on: tuple[SimulatorServer, dict], client: Client) -> None:
    site = next(s for s in on[1]["sites"] if s["redirects"])
    chain = site["redirects"][0]
    assert chain["url"] in _links(client, site["home_url"])
    first = client.fetch(chain["url"])
    assert first.status == 301 and first.headers["location"] == chain["chain"][0]
    second = client.fetch(first.headers["location"])
    assert second.status == 302 and second.headers["location"] == chain["final"]
    assert chain["final"] in {c["url"] for c in site["columns"]}
    assert client.fetch(chain["final"]).status == 200


def test_calendar_trap_is_endless(on: tuple[SimulatorServer, dict], client: Client) -> None:
    site = next(s for s in on[1]["sites"] if s["traps"])
    trap = site["traps"][0]
    assert trap["entry_url"] in _links(client, site["home_url"])
    seen, url = set(), trap["entry_url"]
    for _ in range(40):
        got = client.fetch(url)
        assert got.status == 200
        seen.add(url)
        tree = lxml.html.fromstring(decode(got.body, got.headers))
        url = urljoin(url, tree.xpath('//a[text()="下个月"]/@href')[0])
        assert url.startswith(trap["url_prefix"])
    assert len(seen) == 40 and "y=2016" in url


def test_wrong_charset_detail_pages(
    on: tuple[SimulatorServer, dict], off: tuple[SimulatorServer, dict], client: Client
) -> None:
    site = next(s for s in on[1]["sites"] if s["wrong_charset"])
    bursty = {e["url"] for e in site["errors_5xx"]}
    post = next(p for p in site["columns"][0]["posts"] if p["url"] not in bursty)
    got = client.fetch(post["url"])
    assert got.headers["content-type"] == "text/html; charset=utf-8"
    assert b"charset=gb2312" in got.body[:1024]
    with pytest.raises(UnicodeDecodeError):
        got.body.decode("utf-8")
    assert post["title"] in got.body.decode("gb18030")
    clean = client.fetch(post["url"].replace(str(PORT_ON), str(PORT_OFF)))
    assert "utf-8" not in clean.headers["content-type"]
