"""Where a process's memory peaks: run a module with a watcher thread that samples the resident
set every few milliseconds and, at each new high, notes the main thread's stack.

A one-second RSS sampler from outside (bench/throughput.py) sees the level, not a spike of
a fraction of a second; this names the code that was running when the spike happened.

    .venv/bin/python -P bench/peak_trace.py OUT.json -m sitewatch crawl --config … --db …

OUT.json holds the highs in order: [{"t": seconds, "rss_mb": …, "stack": [frames…]}, …],
plus the level (median of all samples, in whole MB). The last high is the peak.

The kernel's own high-water mark (VmHWM) is read with each sample too: when it rises past every
resident set the watcher saw, a spike came and went between two samples (or while a C call held
the GIL), and "hidden" notes when and where. At exit the report adds the high-water mark and
getrusage() for the process and for its reaped children: wait4() on this process reports the
larger of the two, so comparing them says whether a peak is the process's or a child's.
"""

from __future__ import annotations

import atexit
import json
import os
import re
import resource
import runpy
import sys
import threading
import time
import traceback
from collections import Counter
from pathlib import Path
from typing import Any

PAGE_MB = os.sysconf("SC_PAGE_SIZE") / 2**20
INTERVAL_S = 0.002
STEP_MB = 2.0  # a new high is noted only this far above the last one


def rss_mb() -> float:
    """This process's resident set in MB, from /proc/self/statm (one cheap read)."""
    with open("/proc/self/statm", "rb") as statm:
        return int(statm.read().split()[1]) * PAGE_MB


def status_mb(field: str = "VmHWM", pid: int | str = "self") -> float:
    """A memory figure of /proc/PID/status in MB: the resident set (VmRSS) or the kernel's
    high-water mark of it (VmHWM); 0 once the process is gone."""
    try:
        status = Path(f"/proc/{pid}/status").read_text(encoding="ascii")
    except OSError:
        return 0.0
    match = re.search(rf"^{field}:\s+(\d+) kB", status, re.MULTILINE)
    return int(match.group(1)) / 1024 if match else 0.0


def at_exit() -> dict[str, float]:
    """High-water marks as the process exits: its own, and its reaped children's (MB)."""
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return {
        "vm_hwm_mb": round(status_mb(), 1),
        "self_maxrss_mb": round(own, 1),
        "children_maxrss_mb": round(children, 1),
    }


def median(samples: Counter[int]) -> int:
    """The median of the samples counted per whole MB."""
    half, seen = samples.total() / 2, 0
    for mb in sorted(samples):
        seen += samples[mb]
        if seen >= half:
            return mb
    return 0


def main_stack(main_id: int, depth: int = 25) -> list[str]:
    """The innermost `depth` frames of the main thread, as 'file:line function'."""
    frame = sys._current_frames().get(main_id)
    if frame is None:
        return []
    frames = traceback.extract_stack(frame)[-depth:]
    return [f"{Path(f.filename).name}:{f.lineno} {f.name}" for f in frames]


def watch(out: Path) -> None:
    """Start the watcher thread; write its findings when the process exits."""
    main_id = threading.main_thread().ident or 0
    highs: list[dict[str, Any]] = []
    hidden: list[dict[str, Any]] = []  # the kernel saw a higher peak than any sample
    samples: Counter[int] = Counter()  # whole MB -> samples: a list would grow the process
    started = time.monotonic()

    def loop() -> None:
        top = seen_hwm = 0.0
        beat = 0
        while True:
            now = rss_mb()
            samples[int(now)] += 1
            beat += 1
            if beat % 5 == 0:  # /proc/self/status costs more than statm: every 10 ms
                hwm = status_mb()
                if hwm >= max(top, seen_hwm) + STEP_MB:
                    seen_hwm = hwm
                    hidden.append(
                        {
                            "t": round(time.monotonic() - started, 3),
                            "hwm_mb": round(hwm, 1),
                            "rss_mb": round(now, 1),
                            "stack": main_stack(main_id),
                        }
                    )
            if now >= top + STEP_MB:
                top = now
                highs.append(
                    {
                        "t": round(time.monotonic() - started, 3),
                        "rss_mb": round(now, 1),
                        "stack": main_stack(main_id),
                    }
                )
            time.sleep(INTERVAL_S)

    def write() -> None:
        level = median(samples)
        report = {
            "level_mb": level,
            "samples": samples.total(),
            "exit": at_exit(),
            "highs": highs,
            "hidden": hidden,
        }
        out.write_text(json.dumps(report, ensure_ascii=False, indent=1), encoding="utf-8")

    threading.Thread(target=loop, name="peak-trace", daemon=True).start()
    atexit.register(write)


def main() -> None:
    if len(sys.argv) < 4 or sys.argv[2] != "-m":
        sys.exit(__doc__)
    out, module = Path(sys.argv[1]), sys.argv[3]
    sys.argv = [module, *sys.argv[4:]]
    watch(out)
    runpy.run_module(module, run_name="__main__", alter_sys=True)


if __name__ == "__main__":
    main()
