"""Probes from two vantage points through agents on a real Redis: a site one network cannot
reach is not down; a site no network reaches is. The round's HTTPS/IPv6 checks still run."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from sw_cluster import agent, cluster_config, machine_redis
from sw_testing import demo_config, simulator, sitewatch, worker_port

pytestmark = pytest.mark.slow

SITES = ["portal", "jlc", "xa-city"]


def host_of(config: Path, site_id: str) -> str:
    import yaml

    data = yaml.safe_load(config.read_text(encoding="utf-8"))
    url = next(site["home_url"] for site in data["sites"] if site["id"] == site_id)
    return url.split("//")[1].split(":")[0]


def test_down_only_when_every_vantage_failed(tmp_path: Path) -> None:
    port = worker_port(21900)
    with machine_redis() as broker, simulator(port):
        config = cluster_config(
            demo_config(tmp_path, port, sites=SITES), broker, vantages=["telecom", "unicom"]
        )
        jlc, xa = host_of(config, "jlc"), host_of(config, "xa-city")
        db = tmp_path / "probes.db"
        with (
            agent(
                broker,
                "--queues",
                "probe",
                "--vantage",
                "telecom",
                "--block-host",
                xa,
                log=tmp_path / "telecom.log",
            ),
            agent(
                broker,
                "--queues",
                "probe",
                "--vantage",
                "unicom",
                "--block-host",
                jlc,
                "--block-host",
                xa,
                log=tmp_path / "unicom.log",
            ),
        ):
            result = sitewatch(
                "probe", "--config", str(config), "--db", str(db), "--now", "2012-12-31T10:00"
            )
        assert result.returncode == 0, result.stderr[-2000:]
        conn = sqlite3.connect(db)
        verdicts = conn.execute(
            "SELECT site_id, ok, failed_from FROM probes ORDER BY site_id"
        ).fetchall()
        assert verdicts == [
            ("jlc", 1, "unicom"),  # down from one network only: up for the public
            ("portal", 1, None),
            ("xa-city", 0, "telecom,unicom"),  # no vantage reached it: down
        ]
        visits = conn.execute(
            "SELECT vantage, site_id, ok FROM probe_visits ORDER BY vantage, site_id"
        ).fetchall()
        assert visits == [
            ("telecom", "jlc", 1),
            ("telecom", "portal", 1),
            ("telecom", "xa-city", 0),
            ("unicom", "jlc", 0),
            ("unicom", "portal", 1),
            ("unicom", "xa-city", 0),
        ]
        # HTTPS/IPv6 are checked once per site from the writer's host, as without agents.
        checked = conn.execute(
            "SELECT site_id, checked_at FROM transport_checks ORDER BY site_id"
        ).fetchall()
        assert checked == [(site, "2012-12-31T10:00:00") for site in sorted(SITES)]
        runs = conn.execute("SELECT kind, status, clock FROM crawl_runs").fetchall()
        assert runs == [("probe", "ok", "2012-12-31T10:00:00")]
        assert "xa-city" in result.stdout and "jlc" not in result.stdout.split(";")[-1]
