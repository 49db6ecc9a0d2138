"""Scale of `check` + the monthly report on the 1,000,000-post database of bench/analysis.py.

Builds (or reuses with --keep) the synthetic group of bench/analysis.py — 300 sites, 5,000
columns, 1 M posts, 50 k letters, a year of hourly probes — then times the standard check and the
December report (build_context + render_report to HTML, Word and Excel).

    .venv/bin/python bench/report_scale.py [--keep FILE]

Target: check + report ≤ 30 s. Wall and CPU seconds of each step (CPU time is what to compare
on a shared, loaded machine). Last line: {"bench": "report_scale", "check_s": …,
"report_build_s": …, "report_render_s": …, "total_s": …, "check_cpu_s": …, "report_build_cpu_s": …,
"report_render_cpu_s": …, "total_cpu_s": …, "peak_rss_mb": …}.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import resource
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from analysis.report.build import build_context  # noqa: E402
from analysis.report.render import render_report  # noqa: E402
from analysis.standards import load_profile  # noqa: E402
from analysis.standards.engine import evaluate  # noqa: E402

NATIONAL = ROOT / "config" / "standards" / "national.yaml"
# bench/analysis.py holds the builder; its name clashes with the `analysis` package.
_SPEC = importlib.util.spec_from_file_location("bench_analysis", ROOT / "bench" / "analysis.py")
assert _SPEC is not None and _SPEC.loader is not None
BENCH_ANALYSIS = importlib.util.module_from_spec(_SPEC)
_SPEC.loader.exec_module(BENCH_ANALYSIS)
AS_OF, build, counts = BENCH_ANALYSIS.AS_OF, BENCH_ANALYSIS.build, BENCH_ANALYSIS.counts


def main() -> None:
    """Build, time check and the report, print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--keep", type=Path, help="build (or reuse) this database file")
    args = parser.parse_args()
    folder = tempfile.TemporaryDirectory()
    path = args.keep or Path(folder.name) / "bench.db"
    if not path.exists():
        started = time.perf_counter()
        build(path)
        print(f"built in {time.perf_counter() - started:.1f} s: {counts(path)}")
    started, cpu = time.perf_counter(), time.process_time()
    verdicts = evaluate(path, load_profile(NATIONAL), AS_OF)
    check_s, check_cpu = time.perf_counter() - started, time.process_time() - cpu
    print(f"check: {len(verdicts)} sites in {check_s:.2f} s (CPU {check_cpu:.2f} s)")
    started, cpu = time.perf_counter(), time.process_time()
    context = build_context(path, "2012-12", profile_path=NATIONAL, group_name="基准测试网站群")
    build_s, build_cpu = time.perf_counter() - started, time.process_time() - cpu
    started, cpu = time.perf_counter(), time.process_time()
    written = render_report(context, Path(folder.name) / "reports", ["html", "docx", "xlsx"], "zh")
    render_s, render_cpu = time.perf_counter() - started, time.process_time() - cpu
    print(
        f"report: context {build_s:.2f} s (CPU {build_cpu:.2f} s), render {render_s:.2f} s"
        f" (CPU {render_cpu:.2f} s) → {sorted(written)}"
    )
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    total, total_cpu = check_s + build_s + render_s, check_cpu + build_cpu + render_cpu
    print(
        f"check + report {total:.1f} s, CPU {total_cpu:.1f} s (target ≤ 30 s),"
        f" peak RSS {peak_mb:.0f} MB"
    )
    summary = {
        "bench": "report_scale",
        "check_s": round(check_s, 2),
        "report_build_s": round(build_s, 2),
        "report_render_s": round(render_s, 2),
        "total_s": round(total, 1),
        "check_cpu_s": round(check_cpu, 2),
        "report_build_cpu_s": round(build_cpu, 2),
        "report_render_cpu_s": round(render_cpu, 2),
        "total_cpu_s": round(total_cpu, 1),
        "peak_rss_mb": round(peak_mb),
    }
    print(json.dumps(summary))
    folder.cleanup()


if __name__ == "__main__":
    main()
