"""Benchmark of `check` and `stats` on a synthetic group: 300 sites, 5,000 columns, 1,000,000
posts, 50,000 letters and a year of hourly probes (2.6 M rows), all in one SQLite file.

    .venv/bin/python bench/analysis.py [--keep FILE]

Prints the build time, the two timings and ends with one JSON line:
{"bench": "analysis", "check_s": …, "stats_s": …, "peak_rss_mb": …}. Target: each ≤ 15 s,
peak memory ≤ 1 GB.
"""

from __future__ import annotations

import argparse
import json
import resource
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# bench/incremental.py would shadow Twisted's `incremental` (imported via the crawler).
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != ROOT / "bench"]
sys.path.insert(0, str(ROOT))

from analysis.metrics import compute_month  # noqa: E402
from analysis.standards import load_profile  # noqa: E402
from analysis.standards.engine import evaluate  # noqa: E402
from crawler.store import open_db  # noqa: E402

SITES, COLUMNS, POSTS, LETTERS, HOURS = 300, 5_000, 1_000_000, 50_000, 8_760
CATEGORIES = (
    "news",
    "news",
    "notice",
    "policy",
    "basic_info",
    "personnel",
    "planning",
    "finance",
    "statistics",
    "service",
    "disclosure",
)
NOW = "2012-12-31T09:00:00"
AS_OF = date(2012, 12, 31)


def seq(n: int) -> str:
    """A recursive CTE `seq(i)` of 0..n-1 (n is a trusted constant of this script)."""
    return f"WITH RECURSIVE seq(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM seq WHERE i < {n - 1})"


def build(path: Path) -> None:
    """Fill a fresh database with the synthetic group."""
    conn = open_db(path).conn
    # A throw-away file: no journal while building (WAL would write every page twice).
    conn.execute("PRAGMA journal_mode = OFF")
    conn.execute("PRAGMA synchronous = OFF")
    conn.execute("PRAGMA cache_size = -262144")
    units = ("province", "department", "city", "county", "affiliated")
    conn.executemany(
        "INSERT INTO sites (id, name, unit_type, home_url, updated_at) VALUES (?, ?, ?, ?, ?)",
        [
            (
                f"s{k:03d}",
                f"站点{k}",
                units[min(k, 4) if k < 5 else k % 5],
                f"http://s{k:03d}.test/",
                NOW,
            )
            for k in range(SITES)
        ],
    )
    conn.executemany(
        "INSERT INTO columns (id, site_id, key, name, url, category, on_home_page,"
        " first_crawled_at, last_crawled_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [
            (
                c + 1,
                f"s{c % SITES:03d}",
                f"c{c}",
                f"栏目{c}",
                f"http://s{c % SITES:03d}.test/c{c}/",
                CATEGORIES[c % len(CATEGORIES)],
                int(c % 3 != 0),
                "2012-01-01T09:00:00",
                NOW,
            )
            for c in range(COLUMNS)
        ],
    )
    # Posts spread over columns; ~2 % of posts claim a PubDate days away from the list date.
    conn.execute(
        f"""{seq(POSTS)}
        INSERT INTO posts (site_id, column_id, url, url_key, title, published_on, date_source,
            list_date, meta_date, department, baseline, first_seen_at, last_seen_at)
        SELECT c.site_id, c.id, 'http://x.test/p' || i, 'p' || i, '标题' || i, d, 'list', d,
            CASE WHEN i % 50 = 0 THEN date(d, '+5 days') ELSE d END,
            '处室' || (i % 7), 1, '{NOW}', '{NOW}'
        FROM (SELECT i, (i % {COLUMNS}) + 1 AS col,
                date('2012-01-01', '+' || ((i * 7919) % 366) || ' days') AS d FROM seq) s
        JOIN columns c ON c.id = s.col"""
    )
    conn.execute(
        f"""{seq(LETTERS)}
        INSERT INTO consultations (site_id, url, url_key, title, asked_on, replied_on, status,
            first_seen_at, last_seen_at)
        SELECT 's' || printf('%03d', i % {SITES}), 'http://x.test/l' || i, 'l' || i, '咨询' || i,
            a, CASE WHEN i % 10 = 0 THEN NULL ELSE date(a, '+' || (i % 20) || ' days') END,
            CASE WHEN i % 10 = 0 THEN 'pending' ELSE 'replied' END, '{NOW}', '{NOW}'
        FROM (SELECT i, date('2012-01-01', '+' || ((i * 31) % 366) || ' days') AS a FROM seq)"""
    )
    conn.execute(
        f"""{seq(HOURS)}
        INSERT INTO probes (site_id, url, probed_at, ok, status, elapsed_ms)
        SELECT s.id, s.home_url, strftime('%Y-%m-%dT%H:%M:%S', '2012-01-01', '+' || i || ' hours'),
            ((i * 31 + s.rowid) % 53) != 0, 200, 300 + (i % 97)
        FROM seq CROSS JOIN sites s"""
    )
    conn.execute(
        f"""{seq(30_000)}
        INSERT INTO links (site_id, url, found_on, on_home_page, ok, status, checked_at)
        SELECT 's' || printf('%03d', i % {SITES}), 'http://x.test/f' || i, 'http://x.test/',
            i % 4 = 0, i % 37 != 0, CASE WHEN i % 37 = 0 THEN 404 ELSE 200 END, '{NOW}'
        FROM seq"""
    )
    conn.commit()
    conn.close()


def counts(path: Path) -> dict[str, int]:
    """Rows per table, to show what was built."""
    conn = open_db(path).conn
    tables = ("sites", "columns", "posts", "consultations", "probes", "links")
    return {t: conn.execute(f"SELECT COUNT(*) FROM {t}").fetchone()[0] for t in tables}


def main() -> None:
    """Build, time check and stats, print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--keep", type=Path, help="build (or reuse) this database file")
    args = parser.parse_args()
    folder = tempfile.TemporaryDirectory()
    path = args.keep or Path(folder.name) / "bench.db"
    if not path.exists():
        started = time.perf_counter()
        build(path)
        print(f"built in {time.perf_counter() - started:.1f} s: {counts(path)}")
    profile = load_profile(ROOT / "config" / "standards" / "national.yaml")
    started = time.perf_counter()
    verdicts = evaluate(path, profile, AS_OF)
    check_s = time.perf_counter() - started
    print(f"check: {len(verdicts)} sites × {len(profile.rules)} rules in {check_s:.2f} s")
    started = time.perf_counter()
    metrics = compute_month(path, "2012-12", AS_OF)
    stats_s = time.perf_counter() - started
    posts = sum(s.posts for s in metrics.sites)
    print(f"stats: 2012-12, {posts} posts, {len(metrics.columns)} columns in {stats_s:.2f} s")
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak RSS {peak_mb:.0f} MB")
    print(
        json.dumps(
            {
                "bench": "analysis",
                "check_s": round(check_s, 2),
                "stats_s": round(stats_s, 2),
                "peak_rss_mb": round(peak_mb),
            }
        )
    )
    folder.cleanup()


if __name__ == "__main__":
    main()
