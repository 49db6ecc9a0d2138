"""Response times of the monitoring console on the 1,000,000-post database of bench/analysis.py.

Builds (or reuses with --keep) the synthetic group — 300 sites, 5,000 columns, 1 M posts, 50 k
letters, a year of hourly probes — records the December check's findings, serves the console
with uvicorn on a free loopback port and times real HTTP requests of a logged-in user over the
main pages (总览, 站点, a site's page, 问题, a finding, 报备, 报告, 运行). The first request
computes the month's figures once (reported as `cold_s`); the figure of the target is the warm
one, measured after it.

    .venv/bin/python bench/console.py [--keep FILE] [--rounds 15]

Target: median and p95 ≤ 300 ms. Last line: {"bench": "console", "median_ms": …, "p95_ms": …,
"cold_s": …, "pages": {...}}.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import re
import socket
import statistics
import sys
import tempfile
import threading
import time
from datetime import datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# bench/incremental.py would shadow the `incremental` package Twisted imports: drop bench/.
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != ROOT / "bench"]
sys.path.insert(0, str(ROOT))

import httpx  # noqa: E402
import uvicorn  # noqa: E402

from analysis.findings.review import reviewed_verdicts  # noqa: E402
from analysis.findings.store import list_findings  # noqa: E402
from analysis.standards import load_profile  # noqa: E402
from crawler.store import open_db  # noqa: E402
from sitewatch.web.app import create_app  # noqa: E402
from sitewatch.web.auth import add_user  # noqa: E402

NATIONAL = ROOT / "config" / "standards" / "national.yaml"
_SPEC = importlib.util.spec_from_file_location("bench_analysis", ROOT / "bench" / "analysis.py")
assert _SPEC is not None and _SPEC.loader is not None
BENCH_ANALYSIS = importlib.util.module_from_spec(_SPEC)
_SPEC.loader.exec_module(BENCH_ANALYSIS)
AS_OF, build, counts = BENCH_ANALYSIS.AS_OF, BENCH_ANALYSIS.build, BENCH_ANALYSIS.counts
CLOCK = datetime(2012, 12, 31, 10, 0)
USER, PASSWORD = "bench", "bench-password-1"
TARGET_MS = 300


def prepare(path: Path, profile) -> None:
    """Record the December check's findings and a reviewer account (once per database)."""
    conn = open_db(path).conn
    if not conn.execute("SELECT 1 FROM users WHERE name = ?", (USER,)).fetchone():
        started = time.perf_counter()
        reviewed_verdicts(conn, profile, AS_OF, record_at=CLOCK)
        found = conn.execute("SELECT COUNT(*) FROM findings").fetchone()[0]
        print(f"check recorded {found} findings in {time.perf_counter() - started:.1f} s")
        add_user(conn, USER, "reviewer", PASSWORD, CLOCK)
    conn.close()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def percentile(values: list[float], share: float) -> float:
    """Nearest-rank percentile."""
    ordered = sorted(values)
    return ordered[max(0, min(len(ordered) - 1, round(share * len(ordered)) - 1))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--keep", type=Path, help="build (or reuse) this database file")
    parser.add_argument("--rounds", type=int, default=15, help="requests per page")
    args = parser.parse_args()
    folder = tempfile.TemporaryDirectory()
    path = args.keep or Path(folder.name) / "bench.db"
    if not path.exists():
        started = time.perf_counter()
        build(path)
        print(f"built in {time.perf_counter() - started:.1f} s: {counts(path)}")
    profile = load_profile(NATIONAL)
    prepare(path, profile)
    conn = open_db(path).conn
    site_id = conn.execute("SELECT id FROM sites ORDER BY rowid LIMIT 1 OFFSET 150").fetchone()[0]
    finding_id = list_findings(conn, limit=1)[0]["id"]
    conn.close()
    pages = {
        "总览": "/",
        "站点": "/sites",
        "站点页": f"/sites/{site_id}",
        "问题": "/findings",
        "问题筛选": "/findings?state=new&unit_type=city",
        "问题页": f"/findings/{finding_id}",
        "报备": "/filings",
        "报告": "/reports",
        "运行": "/runs",
    }
    app = create_app(path, profile, clock=lambda: CLOCK, reports_dir=Path(folder.name))
    port = free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    threading.Thread(target=server.run, daemon=True).start()
    while not server.started:
        time.sleep(0.05)
    base = f"http://127.0.0.1:{port}"
    with httpx.Client(base_url=base, timeout=600) as client:
        page = client.get("/login").text
        csrf = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
        client.post("/login", data={"name": USER, "password": PASSWORD, "csrf_token": csrf})
        started = time.perf_counter()
        assert client.get("/").status_code == 200
        cold_s = time.perf_counter() - started
        print(f"first page (computes the month once): {cold_s:.1f} s")
        times: dict[str, list[float]] = {name: [] for name in pages}
        for _ in range(args.rounds):
            for name, url in pages.items():
                started = time.perf_counter()
                answer = client.get(url)
                times[name].append((time.perf_counter() - started) * 1000)
                assert answer.status_code == 200, (url, answer.status_code)
    server.should_exit = True
    every = [ms for values in times.values() for ms in values]
    per_page = {
        name: {"median_ms": round(statistics.median(v), 1), "p95_ms": round(percentile(v, 0.95), 1)}
        for name, v in times.items()
    }
    for name, figures in per_page.items():
        print(
            f"  {name:<6} median {figures['median_ms']:7.1f} ms   p95 {figures['p95_ms']:7.1f} ms"
        )
    median, p95 = statistics.median(every), percentile(every, 0.95)
    print(f"all pages: median {median:.1f} ms, p95 {p95:.1f} ms (target ≤ {TARGET_MS} ms)")
    summary = {
        "bench": "console",
        "median_ms": round(median, 1),
        "p95_ms": round(p95, 1),
        "cold_s": round(cold_s, 1),
        "pages": per_page,
    }
    print(json.dumps(summary, ensure_ascii=False))
    folder.cleanup()


if __name__ == "__main__":
    main()
