"""A site switches its list template mid-month: its columns are 抽取异常 the same day, alerted
once, and no staleness rule fires on them (the simulator's --template-switch, the real CLI)."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from sw_testing import demo_config, simulator, sitewatch, worker_port

from crawler.config import load_config
from sitewatch.alerts import Dispatcher, extraction_assessment

pytestmark = pytest.mark.slow

SWITCH_DAY = "2012-12-15"
STALE_RULES = ("columns-not-updated-dynamic", "columns-not-updated-basic-info")


def crawl(config: Path, db: Path, now: str) -> None:
    result = sitewatch("crawl", "--config", str(config), "--db", str(db), "--now", now, "-q")
    assert result.returncode == 0, result.stderr[-3000:]


def states(db: Path, site_id: str) -> dict[str, tuple[str, str | None, str | None]]:
    rows = sqlite3.connect(db).execute(
        "SELECT key, extraction_state, extraction_detail, extraction_since FROM columns"
        " WHERE site_id = ?",
        (site_id,),
    )
    return {key: (state, detail, since) for key, state, detail, since in rows}


@pytest.fixture(scope="module")
def switched(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    tmp = tmp_path_factory.mktemp("switch")
    port = worker_port(19700)
    extra = ("--template-switch", SWITCH_DAY)
    with simulator(port, today="2012-12-14", faults="none", extra=extra) as sim:
        truth = sim.truth()
        site = next(s for s in truth["sites"] if "template_switch" in s)
        config = demo_config(tmp, port, sites=["portal", site["id"]])
        db = tmp / "switch.db"
        crawl(config, db, "2012-12-14T09:00")
        before = states(db, site["id"])
        sim.set_clock(SWITCH_DAY)
        crawl(config, db, f"{SWITCH_DAY}T09:00")
        same_day = states(db, site["id"])
        sim.set_clock("2012-12-31")
        crawl(config, db, "2012-12-31T09:00")
        yield {
            "db": db,
            "config": config,
            "site": site,
            "truth": sim.truth(),
            "before": before,
            "same_day": same_day,
            "month_end": states(db, site["id"]),
        }


def test_columns_with_items_are_flagged_the_day_of_the_switch(switched: dict[str, Any]) -> None:
    before, same_day = switched["before"], switched["same_day"]
    assert all(state == "ok" for state, _, _ in before.values())
    had_items = {
        column["url"] for column in switched["site"]["columns"] if len(column["posts"]) >= 2
    }
    conn = sqlite3.connect(switched["db"])
    keys = {
        key
        for key, url in conn.execute(
            "SELECT key, url FROM columns WHERE site_id = ?", (switched["site"]["id"],)
        )
        if url in had_items
    }
    assert keys, "the switched site had no column with posts"
    for key in keys:
        state, detail, since = same_day[key]
        assert state == "broken", (key, same_day[key])
        assert since.startswith(SWITCH_DAY)
        shape = json.loads(detail)
        assert shape["reason"] == "none" and shape["after"]["items"] == 0
        assert shape["before"]["items"] >= 2 and shape["before"]["container"]
    # Still broken at the month's end, and the other site of the group is untouched.
    assert {k: v[0] for k, v in switched["month_end"].items() if k in keys} == dict.fromkeys(
        keys, "broken"
    )
    portal = conn.execute(
        "SELECT key, extraction_state, extraction_detail FROM columns WHERE site_id = 'portal'"
    ).fetchall()
    assert all(state == "ok" for _key, state, _detail in portal), portal


def test_the_break_is_alerted_once(switched: dict[str, Any]) -> None:
    conn = sqlite3.connect(switched["db"])
    config = load_config(switched["config"])
    dispatcher = Dispatcher(conn, config.alerts, [])
    first = dispatcher.update(extraction_assessment(conn), datetime(2012, 12, 31, 10))
    again = dispatcher.update(extraction_assessment(conn), datetime(2012, 12, 31, 11))
    broken = sum(1 for state, _, _ in switched["month_end"].values() if state == "broken")
    assert len(first) == broken > 0
    assert again == []
    titles = [m.subject for m in first]
    assert all("抽取异常" in title for title in titles)


def evidence_urls(value: Any) -> Iterator[str]:
    """The `url` of every evidence entry naming a column, anywhere in a check document."""
    if isinstance(value, dict):
        if "column" in value and isinstance(value.get("url"), str):
            yield value["url"]
        for item in value.values():
            yield from evidence_urls(item)
    elif isinstance(value, list):
        for item in value:
            yield from evidence_urls(item)


def test_no_staleness_rule_fires_on_the_broken_columns(switched: dict[str, Any]) -> None:
    site_id = switched["site"]["id"]
    conn = sqlite3.connect(switched["db"])
    broken_urls = {
        url
        for url, state in conn.execute(
            "SELECT url, extraction_state FROM columns WHERE site_id = ?", (site_id,)
        )
        if state == "broken"
    }
    # Without the 抽取异常 state these would be stale: nothing stored after the switch.
    newest = conn.execute(
        "SELECT MAX(p.published_on) FROM posts p JOIN columns c ON c.id = p.column_id"
        " WHERE c.site_id = ? AND c.key LIKE 'gzdt%'",
        (site_id,),
    ).fetchone()[0]
    assert newest < SWITCH_DAY
    result = sitewatch(
        "check", "--config", str(switched["config"]), "--db", str(switched["db"]),
        "--as-of", "2012-12-31", "--site", site_id, "--format", "json",
    )  # fmt: skip
    assert result.returncode == 0, result.stderr[-2000:]
    document = json.loads(result.stdout)
    cited = set(evidence_urls(document))
    assert cited, "the check cites no column at all"
    assert not broken_urls & cited, broken_urls & cited
    rules = {rule["id"]: rule for rule in document["sites"][0]["rules"]}
    for rule_id in STALE_RULES:
        if rule_id in rules:
            assert rules[rule_id]["outcome"] != "fail", rules[rule_id]
