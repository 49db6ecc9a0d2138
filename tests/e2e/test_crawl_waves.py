"""Sites entering the crawl in waves (crawler/spiders/waves.py): the same database as one crawl
of every site at once, never more sites active than the limit, each link checked once."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
from pathlib import Path

from sw_testing import ROOT, demo_config, simulator, worker_port

from simulator.accuracy import compare

ACTIVE = 2

# Runs in a child process (Scrapy's reactor runs once per process); it counts the sites active
# at each admission from outside the spider, through the class the spider uses.
CRAWL = """
import json, sys
from datetime import datetime
from pathlib import Path
from crawler.config import load_config
from crawler.runner import run_crawl
from crawler.spiders.waves import SiteWaves

most = [0]
enter = SiteWaves.enter
async def counting(self, site_id, stalled):
    await enter(self, site_id, stalled)
    most[0] = max(most[0], len(self.active))
SiteWaves.enter = counting
group = load_config(Path(sys.argv[1]))
result = run_crawl(group, list(group.sites), Path(sys.argv[2]),
                   now=datetime.fromisoformat("2012-12-31T09:00"),
                   settings={"SITEWATCH_ACTIVE_SITES": int(sys.argv[3])})
print(json.dumps({"status": result.status, "most_active": most[0]}))
"""


def test_a_crawl_in_waves_matches_the_truth(tmp_path: Path) -> None:
    port = worker_port(19700)
    with simulator(port) as sim:
        config = demo_config(tmp_path, port)
        db = tmp_path / "waves.db"
        result = subprocess.run(
            [sys.executable, "-c", CRAWL, str(config), str(db), str(ACTIVE)],
            capture_output=True,
            text=True,
            cwd=ROOT,
            timeout=900,
            check=False,
        )
        assert result.returncode == 0, result.stderr[-3000:]
        truth = sim.truth()
    outcome = json.loads(result.stdout.strip().splitlines()[-1])
    assert outcome == {"status": "ok", "most_active": ACTIVE}
    accuracy = compare(db, truth)
    figures = accuracy.as_dict()
    assert accuracy.post_accuracy >= 0.995, figures["examples"]
    assert accuracy.duplicated_posts == 0
    assert accuracy.letters_right == accuracy.truth_letters, figures["examples"]
    assert accuracy.broken_links_found == accuracy.truth_broken_links, figures["examples"]
    conn = sqlite3.connect(db)
    twice = conn.execute("SELECT url FROM links GROUP BY url HAVING count(*) > 1").fetchall()
    assert twice == []  # each link checked once per run
    crawled_and_checked = conn.execute(
        "SELECT count(*) FROM fetches l JOIN fetches p ON p.url = l.url"
        " WHERE l.kind = 'link' AND p.kind IN ('home', 'list', 'detail', 'consultation_list',"
        " 'consultation_detail')"
    ).fetchone()[0]
    # A page the crawl fetched is not checked again.
    assert crawled_and_checked == 0
    attachments = {
        url for (url,) in conn.execute("SELECT url FROM fetches WHERE kind = 'attachment'")
    }
    fetched_twice = conn.execute(
        "SELECT count(*) FROM fetches WHERE kind = 'link' AND url IN"
        " (SELECT url FROM fetches WHERE kind = 'attachment')"
    ).fetchone()[0]
    recorded = {url for (url,) in conn.execute("SELECT url FROM links")}
    # An attachment the content checks read is not fetched again by the link check: the
    # download's answer is the link's check (and broken ones count, as the truth comparison
    # above shows).
    assert len(attachments) > 20
    assert fetched_twice == 0
    assert len(attachments & recorded) > 0.9 * len(attachments)
