"""Crawls through agents on a real Redis, judged by the simulator's truth and by a crawl in one
process of the same world."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
from sw_cluster import agent, cluster_config, kill_group, machine_redis, private_redis
from sw_testing import ROOT, demo_config, simulator, sitewatch, worker_port

from simulator.accuracy import compare

pytestmark = pytest.mark.slow

SITES = ["jlc", "xa-city", "wn-city"]  # Hanweb, TRS, hand-made (GBK) families
NOW = "2012-12-31T09:00"


def truth_of(sim: Any, sites: list[str]) -> dict[str, Any]:
    truth = sim.truth()
    truth["sites"] = [site for site in truth["sites"] if site["id"] in sites]
    return truth


def assert_matches_truth(db: Path, truth: dict[str, Any]) -> None:
    accuracy = compare(db, truth)
    figures = accuracy.as_dict()
    print({k: v for k, v in figures.items() if k != "examples"})
    assert accuracy.truth_posts > 100
    assert accuracy.posts_all_right == accuracy.truth_posts, figures["examples"]
    assert accuracy.extra_posts == 0 and accuracy.duplicated_posts == 0, figures["examples"]
    assert accuracy.letters_right == accuracy.truth_letters, figures["examples"]
    assert accuracy.broken_links_found == accuracy.truth_broken_links, figures["examples"]


CONTENT = {
    "posts": "SELECT p.site_id, c.key, p.url_key, p.title, p.published_on, p.department,"
    " p.detail_fetched_at IS NOT NULL FROM posts p LEFT JOIN columns c ON c.id = p.column_id",
    "letters": "SELECT site_id, url_key, title, asked_on, replied_on, status FROM consultations",
    "columns": "SELECT site_id, key, name, url, category, source FROM columns",
    # A whole-group crawl checks a link that several sites carry once, under the first of them;
    # each agent checks it for its own site. So links compare by URL and outcome.
    "links": "SELECT DISTINCT url, ok, status, error FROM links",
    "fetch_kinds": "SELECT site_id, kind, count(*) FROM fetches WHERE kind != 'link'"
    " GROUP BY site_id, kind",
}


def content(db: Path) -> dict[str, set[tuple[Any, ...]]]:
    conn = sqlite3.connect(db)
    try:
        return {name: set(conn.execute(sql).fetchall()) for name, sql in CONTENT.items()}
    finally:
        conn.close()


def crawl(config: Path, db: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    return sitewatch("crawl", "--config", str(config), "--db", str(db), "--now", NOW, *extra)


def test_two_agents_give_the_database_of_a_local_crawl(tmp_path: Path) -> None:
    port = worker_port(21500)
    with machine_redis() as broker, simulator(port) as sim:
        config = cluster_config(demo_config(tmp_path, port, sites=SITES), broker)
        local = crawl(config, tmp_path / "local.db", "--local", "-q")
        assert local.returncode == 0, local.stderr[-2000:]
        with (
            agent(broker, "--queues", "crawl", "--concurrency", "1", log=tmp_path / "a1.log"),
            agent(broker, "--queues", "crawl", "--concurrency", "1", log=tmp_path / "a2.log"),
        ):
            result = crawl(config, tmp_path / "dist.db", "--distributed")
        assert result.returncode == 0, result.stderr[-2000:] + (tmp_path / "a1.log").read_text()
        assert "3/3" in result.stdout
        assert_matches_truth(tmp_path / "dist.db", truth_of(sim, SITES))
        dist, local_rows = content(tmp_path / "dist.db"), content(tmp_path / "local.db")
        differences = {
            name: (
                sorted(dist[name] - local_rows[name])[:5],
                sorted(local_rows[name] - dist[name])[:5],
            )
            for name in CONTENT
            if dist[name] != local_rows[name]
        }
        assert differences == {}
        conn = sqlite3.connect(tmp_path / "dist.db")
        agents = {row[0] for row in conn.execute("SELECT agent FROM cluster_jobs")}
        runs = conn.execute("SELECT status, new_posts FROM crawl_runs").fetchall()
        posts = conn.execute("SELECT count(*) FROM posts").fetchone()[0]
        assert len(agents) >= 1 and runs == [("ok", posts)]

        # An incremental re-crawl through the agents finds nothing new and duplicates nothing.
        with agent(broker, "--queues", "crawl", log=tmp_path / "a3.log"):
            again = crawl(config, tmp_path / "dist.db", "--distributed", "-q")
        assert again.returncode == 0, again.stderr[-2000:]
        assert_matches_truth(tmp_path / "dist.db", truth_of(sim, SITES))


def writer_process(
    config: Path, db: Path, *extra: str, env: dict[str, str] | None = None
) -> subprocess.Popen[str]:
    """`sitewatch crawl --distributed` in the background."""
    command = [sys.executable, "-m", "sitewatch", "crawl", "--config", str(config)]
    return subprocess.Popen(
        [*command, "--db", str(db), "--now", NOW, "--distributed", *extra],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, **(env or {})},
    )


def wait_for(condition: Any, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.2)


def scratch_fetches() -> int:
    """Fetches stored so far in agents' scratch databases (tempfile prefix sitewatch-job-)."""
    import tempfile

    total = 0
    for scratch in Path(tempfile.gettempdir()).glob("sitewatch-job-*/scratch.db"):
        try:
            with sqlite3.connect(f"file:{scratch}?mode=ro", uri=True, timeout=1) as conn:
                total += conn.execute("SELECT count(*) FROM fetches").fetchone()[0]
        except sqlite3.Error:
            continue
    return total


def site_crawl_running(agent_pid: int) -> bool:
    """Whether an agent has a child crawling a site right now."""
    for proc in Path("/proc").iterdir():
        if not proc.name.isdigit():
            continue
        try:
            cmdline = (proc / "cmdline").read_bytes()
            stat = (proc / "stat").read_text()
        except OSError:
            continue
        pgid = int(stat.rsplit(")", 1)[1].split()[3])
        if pgid == agent_pid and b"sitewatch.cluster.site_crawl" in cmdline:
            return True
    return False


def test_an_agent_killed_mid_site_loses_nothing(tmp_path: Path) -> None:
    port = worker_port(21600)
    sites = ["jlc", "xa-city"]
    # A job unacknowledged for 15 s goes to another agent (hours in production); a slow live
    # agent's job may then run twice, which the writer must merge once.
    fast_redelivery = {"SITEWATCH_VISIBILITY_TIMEOUT_S": "15"}
    with machine_redis() as broker, simulator(port) as sim:
        config = cluster_config(demo_config(tmp_path, port, sites=sites), broker)
        writer = writer_process(config, tmp_path / "dist.db", "-q", env=fast_redelivery)
        with agent(
            broker,
            "--queues",
            "crawl",
            "--concurrency",
            "1",
            log=tmp_path / "doomed.log",
            env=fast_redelivery,
        ) as doomed:
            wait_for(
                lambda: site_crawl_running(doomed.pid) or writer.poll() is not None,
                120,
                "the first agent's crawl",
            )
            assert writer.poll() is None, writer.communicate()[1][-2000:]
            # Mid-site: the child has stored pages in its scratch database, sent nothing back.
            wait_for(lambda: scratch_fetches() > 0, 120, "pages in the agent's scratch database")
            kill_group(doomed)
        with agent(
            broker,
            "--queues",
            "crawl",
            "--concurrency",
            "1",
            log=tmp_path / "second.log",
            env=fast_redelivery,
        ):
            _out, err = writer.communicate(timeout=400)
        assert writer.returncode == 0, err[-2000:] + (tmp_path / "second.log").read_text()
        assert_matches_truth(tmp_path / "dist.db", truth_of(sim, sites))
        conn = sqlite3.connect(tmp_path / "dist.db")
        merged = conn.execute("SELECT site_id, count(*) FROM cluster_jobs GROUP BY site_id")
        assert dict(merged.fetchall()) == {"jlc": 1, "xa-city": 1}
        fetched_twice = conn.execute(
            "SELECT count(*) FROM (SELECT url FROM fetches WHERE kind != 'link'"
            " GROUP BY run_id, url HAVING count(*) > 1)"
        ).fetchone()[0]
        assert fetched_twice == 0


def test_the_broker_going_away_is_said_and_survived(tmp_path: Path) -> None:
    port = worker_port(21700)
    sites = ["jlc", "xa-city", "wn-city"]
    # A job that finished while the broker was away lost its result: the writer sends it again
    # after the visibility timeout (hours in production, 30 s here).
    redelivery = {"SITEWATCH_VISIBILITY_TIMEOUT_S": "30"}
    with private_redis(tmp_path) as redis_server, simulator(port) as sim:
        config = cluster_config(demo_config(tmp_path, port, sites=sites), redis_server.url)
        with agent(
            redis_server.url, "--queues", "crawl", "--concurrency", "1",
            log=tmp_path / "agent.log", env=redelivery,
        ):  # fmt: skip
            writer = writer_process(config, tmp_path / "dist.db", env=redelivery)
            db = tmp_path / "dist.db"

            def merged() -> int:
                if not db.exists():
                    return 0
                try:
                    with sqlite3.connect(db, timeout=5) as conn:
                        return int(conn.execute("SELECT count(*) FROM cluster_jobs").fetchone()[0])
                except sqlite3.OperationalError:
                    return 0

            wait_for(lambda: merged() >= 1, 120, "the first merged site")
            redis_server.stop()
            time.sleep(5)
            redis_server.start()
            _out, err = writer.communicate(timeout=300)
        assert writer.returncode == 0, err[-3000:] + (tmp_path / "agent.log").read_text()[-3000:]
        assert "unreachable" in err or "无法连接" in err, err  # said while it waited
        assert_matches_truth(db, truth_of(sim, sites))


def test_no_broker_is_one_clear_line(tmp_path: Path) -> None:
    port = worker_port(21800)
    from sw_cluster import free_port

    broker = f"redis://127.0.0.1:{free_port()}/0"
    config = cluster_config(demo_config(tmp_path, port, sites=["portal"]), broker)
    result = crawl(config, tmp_path / "x.db", "--distributed")
    assert result.returncode == 1
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, result.stderr
    assert f"127.0.0.1:{broker.split(':')[2].split('/')[0]}" in lines[0]
    assert "Traceback" not in result.stderr
