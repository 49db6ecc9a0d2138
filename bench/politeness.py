"""Parallel politeness: 100 sites, one request at a time each, 0.5 s apart — side by side.

A loopback server answers on 127.0.1.1 … 127.0.1.100 (one small site each: home, three columns
of eight posts); `sitewatch crawl` runs with delay 0.5 and concurrency 1 per site. The ideal wall
time is the busiest site's request count × 0.5 s (from the fetches table); the ratio says how
close the crawl came. The crawl span (first to last request the server saw) leaves out process
start-up; the process wall time is printed too.

    .venv/bin/python bench/politeness.py [--sites 100] [--port 18870]

Target: span_ratio ≤ 1.3. Last line: {"bench": "politeness", "sites": …, "max_site_requests": …,
"ideal_s": …, "span_s": …, "span_ratio": …, "wall_s": …, "wall_ratio": …}.
"""

from __future__ import annotations

import argparse
import json
import sqlite3
import sys
import tempfile
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests" / "reliability"))

from sw_reliability import detail_page, html, list_page, serve, write_config  # noqa: E402
from throughput import run_crawl  # noqa: E402

DELAY = 0.5
COLUMNS = ("gzdt", "tzgg", "zcfg")
POSTS_PER_COLUMN = 8


def site_routes() -> dict[str, Any]:
    """One small site: a home page, three columns, eight posts each."""
    nav = "".join(f"<li><a href='/{c}/'>栏目{c}</a></li>" for c in COLUMNS)
    routes: dict[str, Any] = {
        "/robots.txt": lambda _h: (200, {"Content-Type": "text/plain"}, b"User-agent: *\n"),
        "/": lambda _h: html(f"<html><body><ul class='nav'>{nav}</ul></body></html>"),
    }
    for column in COLUMNS:
        posts = [
            (f"/{column}/p{n}.html", f"{column}栏目第{n}条质量工作信息", f"2012-12-{n + 1:02d}")
            for n in range(POSTS_PER_COLUMN)
        ]
        routes[f"/{column}/"] = lambda _h, rows=posts: html(list_page(rows))
        for path, title, day in posts:
            routes[path] = lambda _h, t=title, d=day: html(detail_page(t, d))
    return routes


def main() -> None:
    """Serve, crawl politely, compare with the busiest site's ideal time."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sites", type=int, default=100)
    parser.add_argument("--port", type=int, default=18870)
    args = parser.parse_args()
    hosts = [f"127.0.1.{n}" for n in range(1, args.sites + 1)]
    routes = {host: site_routes() for host in hosts}
    sites = [
        {
            "id": f"s{n:03d}",
            "name": f"站点{n}",
            "unit_type": "county",
            "home_url": f"http://{host}:{args.port}/",
            "columns": [
                {"name": f"栏目{c}", "url": f"http://{host}:{args.port}/{c}/", "category": "news"}
                for c in COLUMNS
            ],
        }
        for n, host in enumerate(hosts, start=1)
    ]
    with tempfile.TemporaryDirectory() as tmp:
        config = write_config(Path(tmp) / "polite.yaml", sites, delay=DELAY, concurrency=1)
        db = Path(tmp) / "polite.db"
        with serve(routes, args.port) as journal:
            wall, line = run_crawl(config, db)
            times = journal.times()
        conn = sqlite3.connect(db)
        per_site = dict(conn.execute("SELECT site_id, count(*) FROM fetches GROUP BY site_id"))
        conn.close()
    busiest = max(per_site.values())
    ideal = busiest * DELAY
    span = max(times) - min(times)
    print(f"crawl: {line}")
    print(f"{len(per_site)} sites, busiest {busiest} requests → ideal {ideal:.1f} s")
    print(f"span {span:.1f} s (ratio {span / ideal:.2f}), wall {wall:.1f} s ({wall / ideal:.2f})")
    summary = {
        "bench": "politeness",
        "sites": len(per_site),
        "max_site_requests": busiest,
        "ideal_s": round(ideal, 1),
        "span_s": round(span, 1),
        "span_ratio": round(span / ideal, 2),
        "wall_s": round(wall, 1),
        "wall_ratio": round(wall / ideal, 2),
    }
    print(json.dumps(summary))


if __name__ == "__main__":
    main()
