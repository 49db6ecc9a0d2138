"""Distributed crawl: pages/s with 1 and 2 agents on a real Redis, and the cost of a site-day.

Starts the simulator with N sites (politeness off: CPU-bound), then crawls the whole group
through `sitewatch crawl --distributed` twice into fresh databases — once with one agent, once
with two — each agent taking `--concurrency` jobs at once. Prints pages/s for both, their ratio
(target ≥ 1.6 on two cores), and per site-day: requests, CPU seconds (agents' children and the
writer), bytes fetched and database growth — the figures docs/scale.md builds on.

    .venv/bin/python bench/distributed.py [--sites 200] [--port 18900] [--broker redis://…/14]

Last line: {"bench": "distributed", "pages_per_s_1": …, "pages_per_s_2": …, "ratio": …, …}.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT / "bench"))

from sw_testing import simulator  # noqa: E402
from throughput import world_config  # noqa: E402

NOW = "2012-12-31T09:00"
AGENT = [sys.executable, "-m", "sitewatch", "agent", "--queues", "crawl"]
CRAWL = [sys.executable, "-m", "sitewatch", "crawl"]


def start_agents(broker: str, count: int, concurrency: int, log: Path) -> list[subprocess.Popen]:
    """`sitewatch agent` processes, each in its own process group."""
    agents = []
    for _ in range(count):
        with log.open("ab") as out:
            agents.append(
                subprocess.Popen(
                    [*AGENT, "--broker", broker, "--concurrency", str(concurrency)],
                    cwd=ROOT,
                    stdout=out,
                    stderr=subprocess.STDOUT,
                    start_new_session=True,
                )
            )
    time.sleep(3)  # agents connect before the jobs go out; a late agent only idles
    return agents


def stop_agents(agents: list[subprocess.Popen]) -> None:
    """SIGTERM each agent's group; waits for them to exit."""
    for process in agents:
        try:
            os.killpg(process.pid, signal.SIGTERM)
        except ProcessLookupError:
            continue
    for process in agents:
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)


def crawl(config: Path, db: Path) -> float:
    """One distributed crawl; its wall time in seconds."""
    started = time.monotonic()
    done = subprocess.run(
        [*CRAWL, "--config", str(config), "--db", str(db), "--now", NOW, "--distributed", "-q"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        raise SystemExit(f"crawl failed: {done.stderr[-2000:]}")
    return time.monotonic() - started


def figures(db: Path) -> dict[str, float]:
    """Requests and bytes the crawl stored."""
    conn = sqlite3.connect(db)
    try:
        requests, size = conn.execute(
            "SELECT count(*), COALESCE(sum(bytes), 0) FROM fetches"
        ).fetchone()
    finally:
        conn.close()
    return {"requests": requests, "bytes": size}


def children_cpu() -> float:
    """CPU seconds used so far by this script's finished children (agents, crawls, writer)."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def run(args: argparse.Namespace, tmp: Path) -> dict[str, Any]:
    """Both crawls and the per-site-day figures."""
    config = world_config(
        tmp / "group.yaml",
        args.sites,
        args.port,
        defaults={"delay": 0.0, "concurrency": args.per_site, "obey_robots": True},
    )
    data = yaml.safe_load(config.read_text(encoding="utf-8"))
    data["cluster"] = {"broker": args.broker}
    config.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    import redis

    out: dict[str, Any] = {"bench": "distributed", "sites": args.sites}
    with simulator(args.port, sites=args.sites, faults="none"):
        for agents_n in (1, 2):
            redis.Redis.from_url(args.broker).flushdb()
            db = tmp / f"agents{agents_n}.db"
            agents = start_agents(args.broker, agents_n, args.concurrency, tmp / "agents.log")
            cpu_before = children_cpu()
            try:
                wall = crawl(config, db)
            finally:
                stop_agents(agents)
            cpu = children_cpu() - cpu_before
            stored = figures(db)
            out[f"pages_per_s_{agents_n}"] = round(stored["requests"] / wall, 1)
            out[f"wall_s_{agents_n}"] = round(wall, 1)
            if agents_n == 1:
                out["per_site_day"] = {
                    "requests": round(stored["requests"] / args.sites, 1),
                    "cpu_s": round(cpu / args.sites, 3),
                    "bytes": int(stored["bytes"] / args.sites),
                    "db_bytes": int(db.stat().st_size / args.sites),
                }
        redis.Redis.from_url(args.broker).flushdb()
    out["ratio"] = round(out["pages_per_s_2"] / out["pages_per_s_1"], 2)
    return out


def main() -> None:
    """Parse the options, run, print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sites", type=int, default=200)
    parser.add_argument("--port", type=int, default=18900)
    parser.add_argument("--broker", default="redis://127.0.0.1:6379/14")
    # One job per agent: each job is a process, so 1 vs 2 agents is 1 vs 2 busy processes.
    parser.add_argument("--concurrency", type=int, default=1, help="jobs per agent")
    parser.add_argument("--per-site", type=int, default=8, help="requests at once per site")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="sitewatch-bench-") as tmp:
        print(json.dumps(run(args, Path(tmp)), ensure_ascii=False))


if __name__ == "__main__":
    main()
