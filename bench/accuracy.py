"""Accuracy of a crawl of the default simulated world against its ground truth.

The world includes the shape sites (`--shapes`: split lists, six-argument pager, EmpireCMS,
Hanweb jpage, gkmlpt, a render-only site; rendered through Chromium when it is installed).
Runs the simulator (subprocess) and `sitewatch crawl` three times with the clock advanced
between them (2012-12-20, 12-25, 12-31), then compares the database with the truth of the
last day: posts stored with the right date, column and department; posts not in the truth;
letters with the right asked/replied dates; broken links found; duplicates.

    python bench/accuracy.py [--port 18700]

The last line printed is one JSON object with the figures.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from sw_shapes import SHAPES_OPTION, with_shape_sites  # noqa: E402
from sw_testing import demo_config, simulator  # noqa: E402

from crawler.render import chromium_path  # noqa: E402
from simulator.accuracy import compare  # noqa: E402

DAYS = ("2012-12-20", "2012-12-25", "2012-12-31")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=18700)
    args = parser.parse_args()
    shapes = simulator(args.port, today=DAYS[0], extra=SHAPES_OPTION)
    with tempfile.TemporaryDirectory() as tmp, shapes as sim:
        render = "auto" if chromium_path() else "off"
        config = with_shape_sites(demo_config(Path(tmp), args.port), sim.truth(), render=render)
        db = Path(tmp) / "accuracy.db"
        timings = []
        for day in DAYS:
            sim.set_clock(day)
            started = time.monotonic()
            command = ["crawl", "--config", str(config), "--db", str(db), "--now", f"{day}T09:00"]
            result = subprocess.run(
                [sys.executable, "-m", "sitewatch", *command, "-q"],
                capture_output=True,
                text=True,
                cwd=ROOT,
                check=False,
            )
            timings.append(round(time.monotonic() - started, 1))
            print(f"crawl {day}: {result.stdout.strip().splitlines()[-1] if result.stdout else ''}")
            if result.returncode != 0:
                sys.exit(result.stderr[-2000:])
        accuracy = compare(db, sim.truth())
    figures = accuracy.as_dict()
    print(f"shape sites rendered:    {render == 'auto'}")
    print(f"posts in truth:          {accuracy.truth_posts}")
    print(f"right date+column+dept:  {accuracy.posts_all_right} ({accuracy.post_accuracy:.4%})")
    print(f"posts not in truth:      {accuracy.extra_posts} ({accuracy.extra_share:.4%})")
    print(f"duplicated posts:        {accuracy.duplicated_posts}")
    print(f"letters right:           {accuracy.letters_right}/{accuracy.truth_letters}")
    print(f"broken links found:      {accuracy.broken_links_found}/{accuracy.truth_broken_links}")
    print(f"crawl seconds:           {timings}")
    summary = {
        "bench": "accuracy",
        "post_accuracy": figures["post_accuracy"],
        "extra_share": figures["extra_share"],
        "duplicated_posts": accuracy.duplicated_posts,
        "letters_right": accuracy.letters_right,
        "letters": accuracy.truth_letters,
        "broken_links_found": accuracy.broken_links_found,
        "broken_links": accuracy.truth_broken_links,
        "crawl_seconds": timings,
    }
    print(json.dumps(summary))


if __name__ == "__main__":
    main()
