"""HTTP behaviour over real loopback: determinism, validators, HEAD, 404, the clock endpoints."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import datetime
from email.utils import format_datetime, parsedate_to_datetime

import pytest
from sim_helpers import Client, decode, list_pages, port_for

from simulator.server import SimulatorServer
from simulator.world import build_world

PORT_A, PORT_B, PORT_C = port_for(18801), port_for(18811), port_for(18821)
NOW = datetime(2012, 12, 31, 12, 0)
BASE = f"http://127.0.0.2:{PORT_A}"


@pytest.fixture(scope="module")
def server() -> Iterator[SimulatorServer]:
    """Default world with default faults (no outage is active at NOW)."""
    srv = SimulatorServer(build_world(port=PORT_A), NOW)
    srv.start()
    yield srv
    srv.stop()


@pytest.fixture
def client(server: SimulatorServer) -> Iterator[Client]:
    """A fresh client; the clock is put back to NOW afterwards."""
    c = Client()
    yield c
    c.close()
    server.set_clock(NOW)


def _sample_urls(truth: dict, port: int) -> list[str]:
    """Home, list, detail and letter URLs of every site."""
    out = []
    for site in truth["sites"]:
        out.append(site["home_url"])
        for column in site["columns"][:3]:
            out.append(column["url"])
            out.extend(p["url"] for p in column["posts"][:2])
        out.extend(c["url"] for c in site["consultations"][:2])
    return [u.replace(":8800/", f":{port}/") for u in out]


def test_same_seed_gives_same_bytes_and_other_seed_differs(
    server: SimulatorServer, client: Client
) -> None:
    twin = SimulatorServer(build_world(port=PORT_B), NOW)
    other = SimulatorServer(build_world(seed=7, port=PORT_C), NOW)
    twin.start()
    other.start()
    try:
        truth = build_world(port=8800).truth(NOW)
        urls = _sample_urls(truth, PORT_A)
        assert len(urls) > 100
        for url in urls:
            mine = client.fetch(url)
            theirs = client.fetch(url.replace(f":{PORT_A}/", f":{PORT_B}/"))
            assert mine.status == 200
            assert mine.body.replace(str(PORT_A).encode(), b"P") == theirs.body.replace(
                str(PORT_B).encode(), b"P"
            ), url
            assert mine.headers["etag"] == client.fetch(url).headers["etag"]
        home_a = client.fetch(f"{BASE}/").body.replace(str(PORT_A).encode(), b"P")
        home_c = client.fetch(f"http://127.0.0.2:{PORT_C}/").body.replace(
            str(PORT_C).encode(), b"P"
        )
        assert home_a != home_c
    finally:
        twin.stop()
        other.stop()


def test_headers_and_conditional_requests(client: Client) -> None:
    url = f"{BASE}/gzdt/"
    first = client.fetch(url)
    assert first.status == 200
    assert first.headers["content-type"] == "text/html; charset=utf-8"
    assert int(first.headers["content-length"]) == len(first.body)
    etag, modified = first.headers["etag"], first.headers["last-modified"]
    assert parsedate_to_datetime(modified) <= parsedate_to_datetime(first.headers["date"])
    assert client.fetch(url, headers={"If-None-Match": etag}).status == 304
    assert client.fetch(url, headers={"If-None-Match": '"nope"'}).status == 200
    assert client.fetch(url, headers={"If-Modified-Since": modified}).status == 304
    earlier = format_datetime(parsedate_to_datetime(modified).replace(year=2011), usegmt=True)
    again = client.fetch(url, headers={"If-Modified-Since": earlier})
    assert again.status == 200 and again.body == first.body


def test_head_has_headers_but_no_body(client: Client) -> None:
    get = client.fetch(f"{BASE}/")
    head = client.fetch(f"{BASE}/", method="HEAD")
    assert head.status == 200 and head.body == b""
    assert head.headers["content-length"] == str(len(get.body))
    assert head.headers["etag"] == get.headers["etag"]


def test_unknown_paths_404(client: Client) -> None:
    for path in ("/nope.html", "/gzdt/201212/t20121231_1.html", "/gzdt/index_999.html"):
        got = client.fetch(f"{BASE}{path}")
        assert got.status == 404, path
        assert "text/html" in got.headers["content-type"]
    assert client.fetch(f"{BASE}/", method="POST").status == 405


def test_clock_endpoints_and_future_posts(server: SimulatorServer, client: Client) -> None:
    clock = json.loads(client.fetch(f"{BASE}/__sim__/clock").body)
    assert clock == {"now": "2012-12-31T12:00:00"}
    truth_dec = json.loads(client.fetch(f"{BASE}/__sim__/truth").body)
    portal_dec = truth_dec["sites"][0]
    posts_dec = {p["url"] for c in portal_dec["columns"] for p in c["posts"]}
    late = sorted(
        (p for c in portal_dec["columns"] for p in c["posts"] if p["date"] > "2012-12-05"),
        key=lambda p: p["date"],
    )
    assert late, "the portal posts in December"
    set_to = client.fetch(
        f"http://127.0.0.5:{PORT_A}/__sim__/clock?now=2012-12-05T13:00:00", method="POST"
    )
    assert json.loads(set_to.body) == {"now": "2012-12-05T13:00:00"}
    assert server.now == datetime(2012, 12, 5, 13)
    truth_early = json.loads(client.fetch(f"{BASE}/__sim__/truth").body)
    assert truth_early["today"] == "2012-12-05"
    posts_early = {p["url"] for c in truth_early["sites"][0]["columns"] for p in c["posts"]}
    assert posts_early < posts_dec
    assert all(
        p["date"] <= "2012-12-05" for c in truth_early["sites"][0]["columns"] for p in c["posts"]
    )
    hidden = late[-1]["url"].replace(":8800/", f":{PORT_A}/")
    assert client.fetch(hidden).status == 404
    column_url = next(c["url"] for c in portal_dec["columns"] if late[-1] in c["posts"])
    pages = list_pages(client, column_url.replace(":8800/", f":{PORT_A}/"))
    assert all(hidden not in html for _, html in pages)
    # advancing the clock again reveals the post
    client.fetch(f"{BASE}/__sim__/clock?today=2012-12-31", method="POST")
    assert client.fetch(hidden).status == 200
    pages = list_pages(client, column_url.replace(":8800/", f":{PORT_A}/"))
    assert any(hidden.rsplit("/", 1)[1] in html for _, html in pages)
    assert client.fetch(f"{BASE}/__sim__/clock?now=garbage", method="POST").status == 400


def test_replies_dated_after_today_are_pending(server: SimulatorServer, client: Client) -> None:
    truth = build_world(port=PORT_A).truth(datetime(2012, 12, 31))
    letters = [c for s in truth["sites"] for c in s["consultations"] if c["replied"]]
    letter = next(c for c in letters if c["replied"] > c["asked"] and c["replied"] >= "2012-03-01")
    server.set_clock(datetime.fromisoformat(letter["asked"]))
    pending = decode(client.fetch(letter["url"]).body, {})
    assert "尚未回复" in pending and "回复时间" not in pending
    server.set_clock(datetime.fromisoformat(letter["replied"]))
    answered = decode(client.fetch(letter["url"]).body, {})
    assert "回复时间" in answered and letter["replied"] in answered


def test_pipelined_requests_are_answered_in_order(server: SimulatorServer) -> None:
    import socket

    with socket.create_connection(("127.0.0.2", PORT_A), timeout=5) as sock:
        req = (
            b"GET /robots.txt HTTP/1.1\r\nHost: x\r\n\r\n"
            b"GET /nope HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
        )
        sock.sendall(req)
        data = b""
        while chunk := sock.recv(65536):
            data += chunk
    first, second = data.split(b"HTTP/1.1 ")[1:3]
    assert first.startswith(b"200") and second.startswith(b"404")
