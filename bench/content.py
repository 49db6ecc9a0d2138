"""Content checks' cost: crawl time with and without them, and raw scanning speed.

1. Crawl: the same simulated group (`--sites`, default 200) crawled twice through `sitewatch
   crawl` into fresh databases, content checks off (`content: {enabled: false}`) and on (the
   bureau's leader list, the default dictionary, attachments), in one run; ratio = on / off.
2. Scan: `--megabytes` (default 10) of UTF-8 page text (the simulator's sentences, in 5 KB
   pages) scanned with a dictionary of `--words` (default 10,000) confusion pairs, the leader
   list and personal-data patterns; the automaton is built first and timed apart.

    .venv/bin/python -P bench/content.py [--sites 200] [--port 18900] [--skip-crawl]
        [--compare DIR]

`--compare DIR` also crawls (off, then on) with the code checked out at DIR — e.g. a `git
worktree` of an older commit — in the same run against the same simulator, so old and new
ratios are measured under the same load (`old_*` figures).

Targets: crawl ratio ≤ 1.20; scan ≤ 2 s. Wall and CPU time are both printed: on a shared
machine the wall time also counts other processes' turns. Last line: {"bench": "content", …}.
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
sys.path.insert(0, str(ROOT / "tests"))

from sw_testing import simulator  # noqa: E402
from throughput import NOW, world_config  # noqa: E402

from crawler.content.dictionaries import WordEntry, default_confusions, load_leaders  # noqa: E402
from crawler.content.scanner import ContentRules, ContentScanner  # noqa: E402
from simulator import wordlists  # noqa: E402

PAGE_BYTES = 5_000


def with_content(config: Path, enabled: bool) -> Path:
    """The same group config with content checks switched on or off."""
    data = yaml.safe_load(config.read_text(encoding="utf-8"))
    data["content"] = (
        {"enabled": True, "leaders": str(ROOT / "config" / "leaders.yaml")}
        if enabled
        else {"enabled": False}
    )
    path = config.with_name(f"group-{'on' if enabled else 'off'}.yaml")
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def run_crawl(config: Path, db: Path, code: Path) -> float:
    """`sitewatch crawl` with the code at `code` in a child process; its wall time."""
    command = [sys.executable, "-m", "sitewatch", "crawl", "--config", str(config)]
    command += ["--db", str(db), "--now", NOW, "-q"]
    started = time.monotonic()
    # The working directory comes first on the child's path: its code is the code run.
    result = subprocess.run(command, capture_output=True, text=True, cwd=code, check=False)
    if result.returncode != 0:
        sys.exit(f"crawl failed:\n{result.stderr[-3000:]}")
    return time.monotonic() - started


def crawl_ratio(sites: int, port: int, compare: Path | None = None) -> dict[str, float]:
    """Wall and CPU time of the crawl without and with content checks, in one run (and with
    the code at `compare`, prefixed `old_`)."""
    figures: dict[str, float] = {}
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        base = world_config(
            folder / "group.yaml", sites, port, defaults={"delay": 0, "concurrency": 16}
        )
        with simulator(port, faults="none", sites=sites):
            trees = [("", ROOT)] + ([("old_", compare)] if compare else [])
            for prefix, code in trees:
                figures.update(on_off(folder, base, code, prefix))
    return figures


def on_off(folder: Path, base: Path, code: Path, prefix: str) -> dict[str, float]:
    """One crawl with content checks off, one on, with the code at `code`."""
    cpu = children_cpu()
    off = run_crawl(with_content(base, False), folder / f"{prefix}off.db", code)
    cpu_off, cpu = children_cpu() - cpu, children_cpu()
    on = run_crawl(with_content(base, True), folder / f"{prefix}on.db", code)
    cpu_on = children_cpu() - cpu
    figures = {
        "crawl_off_s": round(off, 1),
        "crawl_on_s": round(on, 1),
        "ratio": round(on / off, 3),
        # The crawl child's CPU time: what the checks add, whatever else the machine runs.
        "crawl_off_cpu_s": round(cpu_off, 1),
        "crawl_on_cpu_s": round(cpu_on, 1),
        "cpu_ratio": round(cpu_on / cpu_off, 3),
    }
    return {f"{prefix}{key}": value for key, value in figures.items()}


def children_cpu() -> float:
    """CPU seconds of the finished child processes (the crawls; the simulator still runs)."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def pages_of_text(megabytes: float, seed: int = 15) -> list[str]:
    """Pages of realistic text, about PAGE_BYTES each in UTF-8."""
    rng = random.Random(seed)
    pages, total, target = [], 0, int(megabytes * 1_000_000)
    while total < target:
        page, size = [], 0
        while size < PAGE_BYTES:
            sentence = rng.choice(wordlists.SENTENCES)
            page.append(sentence)
            size += len(sentence.encode("utf-8"))
        pages.append("".join(page))
        total += size
    return pages


def scan_speed(megabytes: float, words: int) -> dict[str, float]:
    """Build a scanner with `words` dictionary entries, then time scanning the text."""
    confusions = dict(list(default_confusions().items())[:words])
    rules = ContentRules(
        leaders=load_leaders(ROOT / "config" / "leaders.yaml"),
        confusions={w: WordEntry(w, "suspected", r) for w, r in confusions.items()},
    )
    started = time.perf_counter()
    scanner = ContentScanner(rules)
    built = time.perf_counter() - started
    pages = pages_of_text(megabytes)
    size = sum(len(p.encode("utf-8")) for p in pages)
    started, cpu = time.perf_counter(), time.process_time()
    found = sum(len(scanner.scan(page, date(2012, 12, 31))) for page in pages)
    scanned, scanned_cpu = time.perf_counter() - started, time.process_time() - cpu
    return {
        "scan_mb": round(size / 1e6, 2),
        "dictionary_words": len(confusions),
        "build_s": round(built, 3),
        "scan_s": round(scanned, 3),
        # CPU time too: on a shared machine the wall time also counts other processes' turns.
        "scan_cpu_s": round(scanned_cpu, 3),
        "findings": found,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sites", type=int, default=200)
    parser.add_argument("--port", type=int, default=18900)
    parser.add_argument("--megabytes", type=float, default=10.0)
    parser.add_argument("--words", type=int, default=10_000)
    parser.add_argument("--skip-crawl", action="store_true")
    parser.add_argument("--compare", type=Path, help="older code's checkout, crawled too")
    args = parser.parse_args()
    figures: dict[str, object] = {"bench": "content"}
    figures.update(scan_speed(args.megabytes, args.words))
    print(
        f"scan: {figures['scan_mb']} MB in {figures['scan_s']} s wall,"
        f" {figures['scan_cpu_s']} s CPU (target ≤ 2 s)"
    )
    if not args.skip_crawl:
        figures["sites"] = args.sites
        figures.update(crawl_ratio(args.sites, args.port, args.compare))
        for prefix in ("", "old_") if args.compare else ("",):
            print(
                f"{prefix or 'new_'}crawl: off {figures[prefix + 'crawl_off_s']} s,"
                f" on {figures[prefix + 'crawl_on_s']} s; ratio {figures[prefix + 'ratio']} wall,"
                f" {figures[prefix + 'cpu_ratio']} CPU (target ≤ 1.20)"
            )
    print(json.dumps(figures, ensure_ascii=False))


if __name__ == "__main__":
    main()
