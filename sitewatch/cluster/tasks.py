"""The two jobs an agent runs: crawl one site, probe a batch of home pages from its vantage.

A crawl runs in a child process (`python -m sitewatch.cluster.site_crawl`): Scrapy's reactor
starts once per process, and the child's exit releases everything the site's crawl held, so an
agent's memory is bounded by its concurrency, not by how many sites it has crawled.
"""

from __future__ import annotations

import json
import socket
import subprocess
import sys
import tempfile
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

if TYPE_CHECKING:
    from celery import Celery

    from sitewatch.cluster.app import BrokerSettings


#: The error of a visit this vantage point cannot make (its network has no route to the host).
NO_ROUTE = "no_route"


def host_of(url: str) -> str:
    """The host name of a URL, lower case."""
    return (urlsplit(url).hostname or "").lower()


class SiteCrawlFailed(RuntimeError):
    """The child process crawling a site ended without a result."""


def agent_name() -> str:
    """This agent's name in the writer's bookkeeping."""
    return socket.gethostname()


def run_hosts(client: Any, key: str | None) -> list[str]:
    """The hosts of every site of the job's run (published once by the writer)."""
    if not key:
        return []
    raw = client.get(key)
    return list(json.loads(raw)) if raw else []


def crawl_site(
    job: dict[str, Any], timeout_s: int, hosts: list[str] | None = None
) -> dict[str, Any]:
    """Crawl one site from its job in a child process; return its changes and figures."""
    job = dict(job, run_hosts=hosts or [])
    with tempfile.TemporaryDirectory(prefix="sitewatch-job-") as tmp:
        job_file = Path(tmp) / "job.json"
        out_file = Path(tmp) / "result.json"
        job_file.write_text(json.dumps(job, ensure_ascii=False), encoding="utf-8")
        command = [
            sys.executable,
            "-m",
            "sitewatch.cluster.site_crawl",
            str(job_file),
            str(out_file),
            str(Path(tmp) / "scratch.db"),
        ]
        done = subprocess.run(
            command, capture_output=True, text=True, timeout=timeout_s, check=False
        )
        if done.returncode != 0 or not out_file.exists():
            tail = (done.stderr or "").strip().splitlines()[-6:] or ["no output"]
            raise SiteCrawlFailed(f"site {job['site']['id']}: " + " | ".join(tail))
        result: dict[str, Any] = json.loads(out_file.read_text(encoding="utf-8"))
    result["agent"] = agent_name()
    return result


def probe_sites(job: dict[str, Any], blocked_hosts: frozenset[str] = frozenset()) -> dict[str, Any]:
    """Visit each home page of the batch once from this agent's network.

    Hosts this agent was told it cannot reach (`sitewatch agent --block-host`) are not
    contacted: their visit fails as "no route" from this vantage point.
    """
    from crawler.config import SiteConfig
    from crawler.probe import ProbeResult, probe_round

    sites = [SiteConfig.model_validate(site) for site in job["sites"]]
    reachable = [s for s in sites if host_of(s.home_url) not in blocked_hosts]
    results = probe_round(reachable, timeout=float(job["timeout_s"]), user_agent=job["user_agent"])
    results += [
        ProbeResult(s.id, s.home_url, False, None, None, NO_ROUTE)
        for s in sites
        if host_of(s.home_url) in blocked_hosts
    ]
    return {
        "job_id": job["job_id"],
        "vantage": job["vantage"],
        "agent": agent_name(),
        "probed_at": job["probed_at"],
        "finished_at": datetime.now().replace(microsecond=0).isoformat(),
        "results": [
            {
                "site_id": r.site_id,
                "url": r.url,
                "ok": r.ok,
                "status": r.status,
                "elapsed_ms": r.elapsed_ms,
                "error": r.error,
            }
            for r in results
        ],
    }


def register(app: Celery, settings: BrokerSettings) -> None:
    """Register the jobs on an app under stable names (the writer sends them by name)."""
    from sitewatch.cluster.app import CRAWL_TASK, PROBE_TASK

    timeout = settings.job_timeout_s

    @app.task(name=CRAWL_TASK, acks_late=True, reject_on_worker_lost=True)
    def crawl_task(job: dict[str, Any]) -> dict[str, Any]:
        return crawl_site(job, timeout, run_hosts(app.backend.client, job.get("hosts_key")))

    @app.task(name=PROBE_TASK, acks_late=True, reject_on_worker_lost=True)
    def probe_task(job: dict[str, Any]) -> dict[str, Any]:
        blocked = frozenset(app.conf.get("sitewatch_blocked_hosts") or ())
        return probe_sites(job, blocked)
