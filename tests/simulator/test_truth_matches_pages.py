"""The truth JSON matches what the simulator serves, checked with a test-side parser."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date, datetime
from urllib.parse import urljoin

import lxml.html
import pytest
from sim_helpers import Client, decode, find_date, list_pages, port_for, row_links

from simulator.server import SimulatorServer
from simulator.world import build_world

PORT = port_for(18802)
NOW = datetime(2012, 12, 31, 12, 0)


@pytest.fixture(scope="module")
def served() -> Iterator[tuple[dict, Client]]:
    """The default world without faults, served in-process, plus its truth."""
    world = build_world(port=PORT, faults=frozenset())
    server = SimulatorServer(world, NOW)
    server.start()
    client = Client()
    try:
        yield world.truth(NOW), client
    finally:
        client.close()
        server.stop()


def test_default_world_has_the_twelve_sites(served: tuple[dict, Client]) -> None:
    truth, _ = served
    ids = [s["id"] for s in truth["sites"]]
    assert ids[0] == "portal" and len(ids) == 12
    assert [s["id"] for s in truth["sites"] if s["unit_type"] == "city"] == [
        "xa-city", "bj-city", "xy-city", "wn-city", "ya-city", "hz-city",
    ]  # fmt: skip
    assert sum(s["unit_type"] == "department" for s in truth["sites"]) == 3
    assert sum(s["unit_type"] == "affiliated" for s in truth["sites"]) == 2
    hosts = [s["home_url"].split("//")[1].split(":")[0] for s in truth["sites"]]
    assert hosts == [f"127.0.0.{k}" for k in range(2, 14)]


def test_every_truth_post_is_listed_with_its_date(served: tuple[dict, Client]) -> None:
    truth, client = served
    checked = 0
    for site in truth["sites"]:
        for column in site["columns"]:
            rows: dict[str, str] = {}
            for url, html in list_pages(client, column["url"]):
                rows.update(row_links(html, url))
            listed_posts = {u for u in rows if u.endswith(".html") and "/col/" not in u}
            truth_urls = {p["url"] for p in column["posts"]}
            # every post of the column and nothing else in the list rows of the column pages
            assert truth_urls <= set(rows), (site["id"], column["name"])
            for post in column["posts"]:
                shown = find_date(rows[post["url"]], post["url"])
                if site["date_style"] == "url_only":
                    assert shown is None
                    assert re.search(
                        rf"/{post['date'][:4]}/{post['date'][5:7]}{post['date'][8:]}_", post["url"]
                    )
                else:
                    assert shown == date.fromisoformat(post["date"]), (
                        post["url"],
                        rows[post["url"]],
                    )
                checked += 1
            assert not column["posts"] or listed_posts >= truth_urls
    assert checked > 2000


def test_list_pages_hold_only_the_columns_posts(served: tuple[dict, Client]) -> None:
    truth, client = served
    for site in truth["sites"]:
        column = site["columns"][0]
        truth_urls = {p["url"] for p in column["posts"]}
        for url, html in list_pages(client, column["url"]):
            hrefs = lxml.html.fromstring(html).xpath('//div[@id="list"]//a/@href')
            assert hrefs, url
            assert {urljoin(url, h) for h in hrefs} <= truth_urls


def test_detail_pages_show_date_and_department(served: tuple[dict, Client]) -> None:
    truth, client = served
    for site in truth["sites"]:
        posts = [p for c in site["columns"] for p in c["posts"]][::7]
        for post in posts:
            got = client.fetch(post["url"])
            assert got.status == 200
            html = decode(got.body, got.headers)
            text = lxml.html.fromstring(html).text_content()
            info = re.search(r"发布(?:日期|时间)：([^　]+)", text)
            assert info and find_date(info.group(1), post["url"]) == date.fromisoformat(
                post["date"]
            )
            assert f"来源：{post['department']}" in text
            assert post["title"] in text


def test_consultation_pages_show_asked_and_replied(served: tuple[dict, Client]) -> None:
    truth, client = served
    sites = [s for s in truth["sites"] if s["consultation_url"]]
    assert len(sites) >= 8
    for site in sites:
        rows: dict[str, str] = {}
        for url, html in list_pages(client, site["consultation_url"]):
            rows.update(row_links(html, url))
        for letter in site["consultations"]:
            row = rows[letter["url"]]
            assert letter["asked"] in row
            if letter["replied"] is None:
                assert "未回复" in row
            else:
                assert "已回复" in row or letter["replied"] in row
            got = client.fetch(letter["url"])
            text = lxml.html.fromstring(decode(got.body, got.headers)).text_content()
            asked = re.search(r"(?:来信|提问)时间(\d{4}-\d{2}-\d{2})", text)
            assert asked and asked.group(1) == letter["asked"]
            replied = re.search(r"回复时间(\d{4}-\d{2}-\d{2})", text)
            assert (replied.group(1) if replied else None) == letter["replied"]


def test_gbk_sites_decode_without_mojibake(served: tuple[dict, Client]) -> None:
    truth, client = served
    gbk = [s for s in truth["sites"] if s["encoding"] == "gbk"]
    assert len(gbk) >= 2
    assert any(s["charset_in_header"] for s in gbk) and any(not s["charset_in_header"] for s in gbk)
    for site in gbk:
        got = client.fetch(site["home_url"])
        with pytest.raises(UnicodeDecodeError):
            got.body.decode("utf-8")
        text = got.body.decode("gb18030")
        assert site["name"] in text and "版权所有" in text and "\ufffd" not in text
        header_has_charset = "charset" in got.headers["content-type"]
        assert header_has_charset == site["charset_in_header"]


def test_robots_disallows_a_linked_private_path(served: tuple[dict, Client]) -> None:
    truth, client = served
    portal = truth["sites"][0]
    assert portal["robots_disallow"] == ["/private/"]
    robots = client.fetch(portal["home_url"] + "robots.txt")
    assert robots.status == 200 and robots.headers["content-type"].startswith("text/plain")
    assert "Disallow: /private/" in robots.body.decode()
    home = decode(client.fetch(portal["home_url"]).body, {})
    assert 'href="/private/"' in home
    other = client.fetch(truth["sites"][1]["home_url"] + "robots.txt").body.decode()
    assert "Disallow: /private/" not in other
