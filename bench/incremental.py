"""Incremental cost: how many requests a re-crawl of the default simulated world sends.

Crawls the 12-site world (faults: broken_links) at 2012-12-20 09:00 as the baseline, again at
15:00 with nothing new, then the next day at the same hour, the daily cadence (k new posts and
letters spread over the group). Counts the fetches rows of each re-crawl against the number of
columns (columns table).

    .venv/bin/python bench/incremental.py [--port 18850]

Targets: no-change requests ≤ 1.1 × columns; with k new items ≤ (columns + k) × 1.1.
Last line: {"bench": "incremental", "columns": …, "no_change_requests": …, "no_change_ratio": …,
"k_new": …, "new_requests": …, "new_ratio": …, "new_link_checks": …, "new_crawl_ratio": …}.
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
sys.path.insert(0, str(ROOT / "tests"))

from sw_testing import demo_config, simulator  # noqa: E402
from throughput import run_crawl  # noqa: E402


def items(truth: dict[str, Any]) -> set[str]:
    """Every post URL and every letter (with its reply state) in the truth."""
    found = set()
    for site in truth["sites"]:
        for column in site["columns"]:
            found.update(post["url"] for post in column["posts"])
        for letter in site["consultations"]:
            found.add(f"{letter.get('url')}|{letter.get('replied')}")
    return found


def run_figures(db: Path, run_id: int) -> dict[str, int]:
    """Requests of one run by kind."""
    conn = sqlite3.connect(db)
    rows = conn.execute(
        "SELECT kind, count(*) FROM fetches WHERE run_id = ? GROUP BY kind", (run_id,)
    )
    figures = dict(rows.fetchall())
    conn.close()
    return figures


def main() -> None:
    """Three crawls; print the request counts against the columns."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=18850)
    args = parser.parse_args()
    with (
        tempfile.TemporaryDirectory() as tmp,
        simulator(args.port, today="2012-12-20", faults="broken_links") as sim,
    ):
        config = demo_config(Path(tmp), args.port)
        db = Path(tmp) / "incremental.db"
        run_crawl(config, db, "2012-12-20T09:00")
        before = items(sim.truth())
        run_crawl(config, db, "2012-12-20T15:00")
        # The next day at the same hour: what a nightly crawl costs. Daily re-checks (robots.txt,
        # broken links, unanswered letters) come due exactly then, so they are not counted twice.
        sim.set_clock("2012-12-21T09:00:00")
        k_new = len(items(sim.truth()) - before)
        run_crawl(config, db, "2012-12-21T09:00")
        conn = sqlite3.connect(db)
        columns = conn.execute("SELECT count(*) FROM columns").fetchone()[0]
        conn.close()
        same, new = run_figures(db, 2), run_figures(db, 3)
    same_total, new_total = sum(same.values()), sum(new.values())
    # Link checks of the links found on new pages are the link checker's work, not the cost of
    # finding the new posts: shown apart so both figures are visible.
    new_crawl = new_total - new.get("link", 0)
    print(f"columns: {columns}")
    print(f"no change:   {same_total} requests = {same_total / columns:.2f} × columns  {same}")
    new_ratio = new_total / (columns + k_new)
    crawl_ratio = new_crawl / (columns + k_new)
    print(f"k={k_new} new: {new_total} requests = {new_ratio:.2f} × (columns+k)")
    print(f"             of which {new.get('link', 0)} link checks of the new pages;")
    print(f"             without them {new_crawl} = {crawl_ratio:.2f} × (columns+k)")
    print(f"             {new}")
    summary = {
        "bench": "incremental",
        "columns": columns,
        "no_change_requests": same_total,
        "no_change_ratio": round(same_total / columns, 2),
        "k_new": k_new,
        "new_requests": new_total,
        "new_ratio": round(new_ratio, 2),
        "new_link_checks": new.get("link", 0),
        "new_crawl_ratio": round(crawl_ratio, 2),
    }
    print(json.dumps(summary))


if __name__ == "__main__":
    main()
