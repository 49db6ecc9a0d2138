"""An outage on the simulator, probed by the scheduler's job: one alert, one "recovered"."""

from __future__ import annotations

import sqlite3
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from sw_alert_servers import hook_server, smtp_server
from sw_testing import demo_config, simulator, worker_port

from crawler.config import load_config
from simulator.faults import OUTAGE_WINDOW_END
from sitewatch.schedule import JobContext, run_job


def test_outage_gives_one_alert_after_the_second_failed_probe_and_one_recovery(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SW_TEST_SMTP_PASSWORD", "s3cret")
    port = worker_port(20100)
    with (
        simulator(port, faults="outage") as sim,
        smtp_server(tmp_path) as mailbox,
        hook_server() as hook,
    ):
        sim.set_clock(OUTAGE_WINDOW_END.isoformat(timespec="seconds"))
        # the portal never goes down (faults.py); it stays in for its children's parent links
        site = next(s for s in sim.truth()["sites"] if s["outages"])
        outage = site["outages"][0]
        start, end = (datetime.fromisoformat(outage[k]) for k in ("from", "to"))
        alerts = {
            "webhooks": [{"kind": "wecom", "url": hook.url("/wecom")}],
            "email": {
                "host": "127.0.0.1",
                "port": mailbox.port,
                "username": "alerts",
                "password_env": "SW_TEST_SMTP_PASSWORD",
                "ca_file": str(mailbox.ca_file),
                "sender": "sitewatch@example.gov.cn",
                "to": ["duty@example.gov.cn"],
            },
        }
        config_path = demo_config(tmp_path, port, sites=["portal", site["id"]], alerts=alerts)
        db = tmp_path / "sw.db"
        context = JobContext(config_path, db, load_config(config_path))
        # before, two minutes into, and an hour into the outage (>= 3 h long), then after it
        times = [start - timedelta(hours=1), start + timedelta(minutes=2)]
        times += [
            start + timedelta(hours=1),
            start + timedelta(hours=2),
            end + timedelta(minutes=5),
        ]
        sent_after: list[int] = []
        for moment in times:
            sim.set_clock(moment.isoformat(timespec="seconds"))
            outcome = run_job(context, "probe", now=moment)
            assert outcome.status == "ok", outcome.output
            sent_after.append(len(hook.posts))
    assert sent_after == [0, 0, 1, 1, 2]
    opened, recovered = (body["markdown"]["content"] for _, body in hook.posts)
    assert "站点宕机" in opened and site["name"] in opened
    assert "已恢复 recovered" in recovered
    assert [mail["Subject"].split(":")[0] for mail in mailbox.mails] == [
        "[sitewatch] 站点宕机 site down",
        "[sitewatch] 已恢复 recovered",
    ]
    conn = sqlite3.connect(db)
    probes = conn.execute(
        "SELECT ok FROM probes WHERE site_id = ? ORDER BY probed_at", (site["id"],)
    ).fetchall()
    assert probes == [(1,), (0,), (0,), (0,), (1,)]
    rows = conn.execute(
        "SELECT key, kind, channel, status, opened_at, cleared_at FROM alerts ORDER BY id"
    ).fetchall()
    key = f"site_down:{site['id']}:home"
    opened_at = (start + timedelta(hours=1)).isoformat(timespec="seconds")
    cleared_at = (end + timedelta(minutes=5)).isoformat(timespec="seconds")
    assert rows == [
        (key, "opened", "email", "sent", opened_at, None),
        (key, "opened", "webhook:wecom", "sent", opened_at, None),
        (key, "cleared", "email", "sent", opened_at, cleared_at),
        (key, "cleared", "webhook:wecom", "sent", opened_at, cleared_at),
    ]
    runs = conn.execute("SELECT kind, status, sites_down FROM crawl_runs ORDER BY id").fetchall()
    assert runs == [("probe", "ok", d) for d in (0, 1, 1, 1, 0)]
