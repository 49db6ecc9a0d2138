"""Measure how many requests a second the simulator serves (it must never be the bottleneck).

Starts `python -m simulator` as a subprocess on loopback, then a few client threads send a bounded
number of keep-alive GETs over the pages listed in the truth. Prints requests/s and a final JSON
line: {"bench": "simulator", "requests_per_s": ...}.

    .venv/bin/python bench/simulator_throughput.py [--requests 6000] [--threads 4] [--sites 12]
"""

from __future__ import annotations

import argparse
import http.client
import json
import subprocess
import sys
import threading
import time
import urllib.request
from urllib.parse import urlsplit

PORT = 18990


def start_simulator(n_sites: int) -> subprocess.Popen[str]:
    """Start the simulator and wait for its ready line."""
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "simulator",
            "--port",
            str(PORT),
            "--sites",
            str(n_sites),
            "--quiet",
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    assert proc.stdout is not None
    line = proc.stdout.readline()
    if not line.startswith("ready"):
        proc.kill()
        raise SystemExit(f"simulator did not start: {line!r}")
    return proc


def target_urls(limit: int) -> list[str]:
    """Home, list and detail URLs of every site, from the truth endpoint."""
    with urllib.request.urlopen(f"http://127.0.0.2:{PORT}/__sim__/truth") as response:
        truth = json.load(response)
    out: list[str] = []
    for site in truth["sites"]:
        out.append(site["home_url"])
        for column in site["columns"]:
            out.append(column["url"])
            out.extend(post["url"] for post in column["posts"][:20])
    return out[:limit]


def worker(urls: list[str], count: int, errors: list[int]) -> None:
    """Send `count` GETs cycling through urls, one keep-alive connection per host."""
    connections: dict[str, http.client.HTTPConnection] = {}
    for i in range(count):
        parts = urlsplit(urls[i % len(urls)])
        conn = connections.get(parts.netloc)
        if conn is None:
            conn = connections[parts.netloc] = http.client.HTTPConnection(parts.netloc, timeout=10)
        conn.request("GET", parts.path + (f"?{parts.query}" if parts.query else ""))
        response = conn.getresponse()
        response.read()
        if response.status >= 500:
            errors.append(response.status)
    for conn in connections.values():
        conn.close()


def main() -> None:
    """Run the benchmark and print the result line."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=6000)
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("--sites", type=int, default=12)
    args = parser.parse_args()
    proc = start_simulator(args.sites)
    try:
        urls = target_urls(4000)
        # first pass renders every page (cold); the timed pass is steady-state serving
        cold_started = time.perf_counter()
        worker(urls, len(urls), [])
        cold_rate = len(urls) / (time.perf_counter() - cold_started)
        errors: list[int] = []
        per_thread = args.requests // args.threads
        threads = [
            threading.Thread(
                target=worker, args=(urls[i :: args.threads] or urls, per_thread, errors)
            )
            for i in range(args.threads)
        ]
        started = time.perf_counter()
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        elapsed = time.perf_counter() - started
    finally:
        proc.terminate()
        proc.wait(timeout=10)
    total = per_thread * args.threads
    rate = total / elapsed
    print(f"cold (first render, 1 thread): {cold_rate:.0f} requests/s")
    print(
        f"{total} requests in {elapsed:.2f} s over {len(urls)} URLs: "
        f"{rate:.0f} requests/s ({len(errors)} 5xx)"
    )
    result = {
        "bench": "simulator",
        "requests_per_s": round(rate, 1),
        "cold_requests_per_s": round(cold_rate, 1),
        "requests": total,
        "threads": args.threads,
        "sites": args.sites,
    }
    print(json.dumps(result))


if __name__ == "__main__":
    main()
