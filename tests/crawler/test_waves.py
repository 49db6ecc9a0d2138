"""The pieces of crawling in waves (crawler/spiders/waves.py) that need no crawl."""

from __future__ import annotations

import tracemalloc

from crawler.config import CrawlSettings
from crawler.spiders.waves import SiteWaves, UrlKeys, active_sites_limit


def test_the_limit_follows_the_crawls_concurrency() -> None:
    fast = CrawlSettings(delay=0, concurrency=16)
    polite = CrawlSettings(delay=1.0, concurrency=2)
    assert active_sites_limit(fast, 128, 5000) == 32
    assert active_sites_limit(polite, 128, 5000) == 512  # one request per delay per site
    assert active_sites_limit(polite, 128, 12) == 12
    assert SiteWaves(3).limit == 3


def test_url_keys_remember_every_key_after_folding() -> None:
    keys = UrlKeys(live_limit=100)
    added = [f"http://127.0.0.{i % 200 + 2}:8800/zwgk/t2012_{i}.html" for i in range(1050)]
    for key in added:
        keys.add(key)
    assert len(keys.folded) == 1000 and len(keys.live) == 50
    assert all(key in keys for key in added)
    assert "http://127.0.0.2:8800/zwgk/t2012_1050.html" not in keys
    assert "http://127.0.0.2:8800/other.html" not in keys
    assert len(keys) == 1050


def test_url_keys_take_a_fraction_of_a_set() -> None:
    added = [
        f"http://127.0.{i // 250}.{i % 250 + 2}:8800/zwgk/201212/t_{i:07d}.html"
        for i in range(200_000)
    ]
    tracemalloc.start()
    plain = set(key[:-5] + ".html" for key in added)  # fresh strings, as the spider's own
    as_set = tracemalloc.get_traced_memory()[0]
    del plain
    tracemalloc.reset_peak()
    start = tracemalloc.get_traced_memory()[0]
    keys = UrlKeys()
    for key in added:
        keys.add(key[:-5] + ".html")
    kept = tracemalloc.get_traced_memory()[0] - start
    tracemalloc.stop()
    assert kept * 4 < as_set, (kept, as_set)


def test_folding_needs_little_more_than_the_arrays() -> None:
    keys = UrlKeys(live_limit=50_000)
    for i in range(349_999):
        keys.add(f"http://127.0.{i // 250}.{i % 250 + 2}:8800/zwgk/201212/t_{i:07d}.html")
    folded_bytes = len(keys.folded) * keys.folded.itemsize
    tracemalloc.start()
    keys.add("http://127.0.0.2:8800/last.html")  # the 350,000th key: a fold
    extra = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert len(keys.folded) == 350_000
    # The old and the new array side by side, and the live keys' hashes: not a Python object
    # per folded key (which cost ~10x the array for a moment).
    assert extra < 3 * folded_bytes, (extra, folded_bytes)
