"""Child process of an agent: crawl one site in a scratch database, write back its changes.

Usage (by `sitewatch.cluster.tasks` only): python -m sitewatch.cluster.site_crawl JOB OUT SCRATCH
"""

from __future__ import annotations

import json
import sqlite3
import sys
from dataclasses import asdict
from datetime import datetime
from pathlib import Path
from typing import Any

from sitewatch.cluster.rows import changes, load_snapshot, site_hosts


def group_for(job: dict[str, Any]) -> Any:
    """The job's group settings with its one site, validated like a config file."""
    from crawler.config import GroupConfig

    return GroupConfig.model_validate({**job["group"], "sites": [job["site"]]})


def run(job: dict[str, Any], scratch: Path) -> dict[str, Any]:
    """Crawl the job's site into `scratch`; the changed rows and the site's figures."""
    from crawler.runner import run_crawl
    from crawler.store import open_db

    now = datetime.fromisoformat(job["now"])
    open_db(scratch).conn.close()  # create and migrate the scratch database
    conn = sqlite3.connect(scratch)
    load_snapshot(conn, job["snapshot"])
    conn.close()
    group = group_for(job)
    site = group.sites[0]
    hosts = site_hosts(site.home_url, list(site.allowed_domains))
    siblings = frozenset(job.get("run_hosts", ())) - hosts

    def with_siblings(context: Any) -> None:
        context.sibling_hosts = siblings

    result = run_crawl(
        group, [site], scratch, now=now, full=bool(job["full"]), on_start=with_siblings
    )
    conn = sqlite3.connect(scratch)
    changed = changes(conn, job["snapshot"], site.id, hosts, now)
    conn.close()
    progress = asdict(result.progress.sites[site.id])
    return {
        "job_id": job["job_id"],
        "site_id": site.id,
        "status": result.status,
        "scratch_run_id": result.run_id,
        "progress": progress,
        "changes": changed,
    }


def main(argv: list[str]) -> int:
    """Read the job file, crawl, write the result file."""
    job_file, out_file, scratch = (Path(arg) for arg in argv[1:4])
    job = json.loads(job_file.read_text(encoding="utf-8"))
    result = run(job, scratch)
    tmp = out_file.with_suffix(".tmp")
    tmp.write_text(json.dumps(result, ensure_ascii=False), encoding="utf-8")
    tmp.replace(out_file)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
