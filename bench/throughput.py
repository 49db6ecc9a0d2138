"""Crawl throughput and memory: a full crawl of a 200-site simulated group vs `scrapy bench`.

Starts `python -m simulator --sites 200 --faults none` in its own process and port, crawls every
site with politeness off (delay 0, generous concurrency) through `sitewatch crawl` in a child
process, and divides the fetches rows by the crawl's wall time. `scrapy bench` runs in the same
script on the same machine as the yardstick. Peak RSS of the crawl child is its own
ru_maxrss, from wait4() on that child alone (the simulator, a child too, is not counted: for
2000 sites it is the bigger of the two); its RSS is also sampled every second, to show it level
off once the waves of sites run (crawler/spiders/waves.py).

A child's ru_maxrss starts at the high-water mark of the process that started it (Python's
subprocess uses vfork, and Linux records the memory it leaves at exec, the parent's, as the
child's), so this process must stay smaller than the crawl: the group config is written by a
separate process. Building the 2000-site world here took 365 MB and made that the 2000-site
crawl's "peak" for months; the crawl's own high-water mark (VmHWM, read every second) is
printed beside it as a check.

    .venv/bin/python bench/throughput.py [--sites 200] [--port 18800] [--concurrency 16]
    .venv/bin/python bench/throughput.py --sites 2000 --max-seconds 600 --scrapy-seconds 0
    .venv/bin/python bench/throughput.py --sites 600 --trace-peak peak.json  # where RSS peaks

The simulator serves site k on 127.0.0.2 + k - 1, so 2000 sites run up to 127.0.7.209.
`--max-seconds` stops the crawl gracefully (SIGINT) after that long: a 2000-site crawl takes
most of an hour on two cores, and with sites in waves its memory is level long before that.
`--scrapy-seconds 0` skips the yardstick.

Targets: ratio ≥ 0.6, peak_rss_mb ≤ 400. Last line: {"bench": "throughput", "pages_per_s": …,
"scrapy_bench_pages_per_s": …, "ratio": …, "peak_rss_mb": …, …}.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import re
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

from peak_trace import status_mb  # noqa: E402
from sw_testing import simulator  # noqa: E402

from simulator.world import build_world  # noqa: E402

NOW = "2012-12-31T09:00"
SCRAPY_CRAWLED = re.compile(r"Crawled (\d+) pages \(at (\d+) pages/min\)")
SCRAPY_STAT = re.compile(r"'(response_received_count|elapsed_time_seconds)': ([\d.]+)")


def world_config(
    path: Path, n_sites: int, port: int, *, defaults: dict[str, Any], host_base: str = "127.0.0.2"
) -> Path:
    """A group config for the simulated world of n sites: home pages and mailboxes, columns
    discovered (the same shape as config/demo.yaml's discovery sites)."""
    world = build_world(n_sites=n_sites, port=port, host_base=host_base)
    sites = []
    for site in world.sites:
        entry: dict[str, Any] = {
            "id": site.site_id,
            "name": site.name,
            "unit_type": site.unit_type.value,
            "home_url": site.home_url,
        }
        if site.parent:
            entry["parent"] = site.parent
        if site.mailbox_slug:
            entry["consultation_urls"] = [f"{site.base_url}/{site.mailbox_slug}/"]
        sites.append(entry)
    config = {
        "group": {"name": "基准测试网站群", "allow_private_addresses": True},
        "defaults": {"max_pages_per_column": 30, "obey_robots": True, **defaults},
        "sites": sites,
    }
    path.write_text(yaml.safe_dump(config, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def config_in_child(
    path: Path, n_sites: int, port: int, *, defaults: dict[str, Any], host_base: str = "127.0.0.2"
) -> Path:
    """`world_config`, run in a fresh process so this one never holds the world (see above)."""
    with multiprocessing.get_context("spawn").Pool(1) as pool:
        written: Path = pool.apply(
            world_config, (path, n_sites, port), {"defaults": defaults, "host_base": host_base}
        )
    return written


def run_crawl(config: Path, db: Path, now: str = NOW, *extra: str) -> tuple[float, str]:
    """Run `sitewatch crawl` in a child process; return its wall time and summary line."""
    command = [sys.executable, "-m", "sitewatch", "crawl", "--config", str(config)]
    command += ["--db", str(db), "--now", now, "-q", *extra]
    started = time.monotonic()
    result = subprocess.run(command, capture_output=True, text=True, cwd=ROOT, check=False)
    wall = time.monotonic() - started
    if result.returncode != 0:
        sys.exit(f"crawl failed:\n{result.stderr[-3000:]}")
    return wall, result.stdout.strip().splitlines()[-1] if result.stdout.strip() else ""


def sampled_crawl(
    config: Path, db: Path, max_seconds: float | None, trace: Path | None = None
) -> tuple[float, str, list[tuple[float, float]], float, float, float]:
    """`sitewatch crawl` in a child, its RSS sampled each second; stopped with SIGINT (Scrapy's
    graceful stop) after `max_seconds`. Returns wall time, last line, (seconds, MB) samples,
    the child's peak RSS in MB (wait4), its last high-water mark read from /proc (VmHWM, up
    to a second before it ended) and its CPU seconds (user + system). With `trace`, the child
    runs under bench/peak_trace.py, which writes there where its memory peaked."""
    # -P: bench/ (whose incremental.py shadows the package Twisted imports) stays off the path.
    tracer = ["-P", str(ROOT / "bench" / "peak_trace.py"), str(trace)] if trace else []
    command = [sys.executable, *tracer, "-m", "sitewatch", "crawl", "--config", str(config)]
    command += ["--db", str(db), "--now", NOW, "-q"]
    started = time.monotonic()
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        child = subprocess.Popen(command, stdout=out, stderr=err, cwd=ROOT)
        samples: list[tuple[float, float]] = []
        stopped = False
        hwm = 0.0
        while True:
            pid, status, usage = os.wait4(child.pid, os.WNOHANG)
            if pid:
                break
            elapsed = time.monotonic() - started
            samples.append((elapsed, status_mb("VmRSS", child.pid)))
            hwm = max(hwm, status_mb("VmHWM", child.pid))
            if max_seconds is not None and elapsed > max_seconds and not stopped:
                child.send_signal(signal.SIGINT)
                stopped = True
            time.sleep(1.0)
        child.returncode = os.waitstatus_to_exitcode(status)  # reaped here, not by Popen
        wall = time.monotonic() - started
        out.seek(0)
        err.seek(0)
        if child.returncode != 0 and not stopped:
            sys.exit(f"crawl failed:\n{err.read().decode(errors='replace')[-3000:]}")
        lines = out.read().decode(errors="replace").strip().splitlines()
    cpu = usage.ru_utime + usage.ru_stime
    return wall, lines[-1] if lines else "", samples, usage.ru_maxrss / 1024, hwm, cpu


def fetch_count(db: Path, run_id: int | None = None) -> int:
    """Rows in fetches (of one run, or all)."""
    conn = sqlite3.connect(db)
    try:
        if run_id is None:
            return int(conn.execute("SELECT count(*) FROM fetches").fetchone()[0])
        query = "SELECT count(*) FROM fetches WHERE run_id = ?"
        return int(conn.execute(query, (run_id,)).fetchone()[0])
    finally:
        conn.close()


def scrapy_bench(seconds: int) -> dict[str, float]:
    """Run `scrapy bench` for a few seconds in a temp dir; its pages/s from the final stats."""
    scrapy = Path(sys.executable).with_name("scrapy")
    with tempfile.TemporaryDirectory() as tmp:
        result = subprocess.run(
            [str(scrapy), "bench", "-s", f"CLOSESPIDER_TIMEOUT={seconds}"],
            capture_output=True,
            text=True,
            cwd=tmp,
            check=False,
        )
    log = result.stdout + result.stderr
    stats = {name: float(value) for name, value in SCRAPY_STAT.findall(log)}
    if "response_received_count" not in stats or not stats.get("elapsed_time_seconds"):
        sys.exit(f"could not parse scrapy bench output:\n{log[-3000:]}")
    rates = [int(rate) for _n, rate in SCRAPY_CRAWLED.findall(log)]
    return {
        "pages": stats["response_received_count"],
        "seconds": stats["elapsed_time_seconds"],
        "pages_per_s": stats["response_received_count"] / stats["elapsed_time_seconds"],
        "peak_log_pages_per_s": max(rates) / 60 if rates else 0.0,
    }


def main() -> None:
    """Crawl, measure, run scrapy bench, print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sites", type=int, default=200)
    parser.add_argument("--port", type=int, default=18800)
    parser.add_argument("--concurrency", type=int, default=16, help="per-site concurrency")
    parser.add_argument("--scrapy-seconds", type=int, default=20, help="0: no yardstick")
    parser.add_argument("--max-seconds", type=float, help="stop the crawl after this long")
    parser.add_argument("--keep", type=Path, help="keep the crawl database at this path")
    parser.add_argument("--trace-peak", type=Path, help="note where memory peaks (JSON file)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        config = config_in_child(
            folder / "group.yaml",
            args.sites,
            args.port,
            defaults={"delay": 0, "concurrency": args.concurrency, "timeout": 30},
        )
        db = args.keep or folder / "throughput.db"
        with simulator(args.port, faults="none", sites=args.sites):
            wall, line, samples, peak_mb, hwm_mb, cpu_s = sampled_crawl(
                config, db, args.max_seconds, args.trace_peak
            )
        fetches = fetch_count(db)
    pages_per_s = fetches / wall
    print(f"crawl: {line}")
    print(f"crawl: {args.sites} sites, {fetches} fetches in {wall:.1f} s = {pages_per_s:.1f}/s")
    print(f"crawl CPU: {cpu_s:.1f} s = {fetches / cpu_s:.1f} pages per CPU second")
    own_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        f"crawl peak RSS: {peak_mb:.0f} MB (wait4); its high-water mark a second before the end"
        f" {hwm_mb:.0f} MB; this bench process's own peak {own_mb:.0f} MB"
    )
    if own_mb >= peak_mb:
        print("warning: the crawl's wait4 peak may be this process's (see the docstring)")
    print("RSS over time (s: MB): " + rss_course(samples))
    capped = args.max_seconds is not None and wall > args.max_seconds
    if capped:
        print(f"stopped after {args.max_seconds:.0f} s (--max-seconds): figures of that window")
    summary = {
        "bench": "throughput",
        "sites": args.sites,
        "fetches": fetches,
        "crawl_s": round(wall, 1),
        "stopped_after_s": args.max_seconds if capped else None,
        "pages_per_s": round(pages_per_s, 1),
        "crawl_cpu_s": round(cpu_s, 1),
        # Pages per CPU second of the crawl process: comparable across runs on a loaded machine.
        "pages_per_cpu_s": round(fetches / cpu_s, 1),
        "peak_rss_mb": round(peak_mb),
        "hwm_before_end_mb": round(hwm_mb),
        "bench_process_peak_mb": round(own_mb),
    }
    if args.scrapy_seconds <= 0:
        print(json.dumps(summary))
        return
    yardstick = scrapy_bench(args.scrapy_seconds)
    print(
        f"scrapy bench: {yardstick['pages']:.0f} pages in {yardstick['seconds']:.1f} s"
        f" = {yardstick['pages_per_s']:.1f}/s"
    )
    ratio = pages_per_s / yardstick["pages_per_s"]
    print(f"ratio: {ratio:.2f} (target ≥ 0.6); peak RSS target ≤ 400 MB")
    summary["scrapy_bench_pages_per_s"] = round(yardstick["pages_per_s"], 1)
    summary["ratio"] = round(ratio, 2)
    print(json.dumps(summary))


def rss_course(samples: list[tuple[float, float]], points: int = 12) -> str:
    """About `points` evenly spaced samples, to see whether memory levels off."""
    step = max(1, len(samples) // points)
    return ", ".join(f"{t:.0f}: {mb:.0f}" for t, mb in samples[::step] if mb)


if __name__ == "__main__":
    main()
