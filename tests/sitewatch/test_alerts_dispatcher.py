"""The dispatcher on a real SQLite file and a real HTTP receiver, with the clock passed in."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import pytest
from sw_alert_servers import HookInbox, hook_server

from analysis.standards.evidence import Outcome, RuleResult, SiteVerdict
from crawler.config.models import AlertsConfig
from crawler.store import open_db
from sitewatch.alerts import (
    Assessment,
    Condition,
    Dispatcher,
    channels_from_config,
    conditions_from_verdicts,
    probe_assessment,
)

VETO_KEY = "veto:xa-city:home_stale"
VETO = Condition(VETO_KEY, "xa-city", "veto", "西安市: 首页更新", "16 days")
WARN = Condition("warning:xa-city:blank", "xa-city", "warning", "西安市: 空白栏目", "2 blank")
XA_SCOPE = ("veto:xa-city:", "warning:xa-city:")


@pytest.fixture
def hook() -> Iterator[HookInbox]:
    """A JSON webhook receiver."""
    with hook_server() as inbox:
        yield inbox


@pytest.fixture
def conn(tmp_path: Path) -> sqlite3.Connection:
    """A migrated database."""
    return open_db(tmp_path / "sw.db").conn


def dispatcher(conn: sqlite3.Connection, hook: HookInbox, **settings: object) -> Dispatcher:
    """A dispatcher posting to the receiver."""
    config = AlertsConfig.model_validate(
        {"webhooks": [{"kind": "json", "url": hook.url()}], **settings}
    )
    return Dispatcher(conn, config, channels_from_config(config))


def at(text: str) -> datetime:
    """A datetime from `YYYY-MM-DD HH:MM`."""
    return datetime.fromisoformat(text)


def alert_rows(conn: sqlite3.Connection) -> list[tuple]:
    """(key, kind, status, sent_at, channel) of every alerts row."""
    return conn.execute(
        "SELECT key, kind, status, sent_at, channel FROM alerts ORDER BY id"
    ).fetchall()


def test_a_veto_is_announced_once_and_again_when_it_clears(conn, hook) -> None:
    sender = dispatcher(conn, hook)
    sender.update(Assessment((VETO,), XA_SCOPE), at("2012-12-01 06:30"))
    sender.update(Assessment((VETO,), XA_SCOPE), at("2012-12-02 06:30"))
    sender.update(Assessment((), XA_SCOPE), at("2012-12-03 06:30"))
    assert [(body["key"], body["kind"]) for _, body in hook.posts] == [
        (VETO_KEY, "opened"),
        (VETO_KEY, "cleared"),
    ]
    assert alert_rows(conn) == [
        (VETO_KEY, "opened", "sent", "2012-12-01T06:30:00", "webhook:json"),
        (VETO_KEY, "cleared", "sent", "2012-12-03T06:30:00", "webhook:json"),
    ]
    cleared = conn.execute("SELECT opened_at, cleared_at FROM alerts WHERE kind = 'cleared'")
    assert cleared.fetchone() == ("2012-12-01T06:30:00", "2012-12-03T06:30:00")


def test_reappearing_after_clearing_is_a_new_alert(conn, hook) -> None:
    sender = dispatcher(conn, hook)
    for day, present in ((1, (VETO,)), (2, ()), (3, (VETO,))):
        sender.update(Assessment(present, XA_SCOPE), at(f"2012-12-0{day} 06:30"))
    assert [body["kind"] for _, body in hook.posts] == ["opened", "cleared", "opened"]
    assert conn.execute("SELECT COUNT(*) FROM alert_conditions").fetchone() == (2,)


def test_a_warning_is_announced_when_it_first_appears_and_clears_silently(conn, hook) -> None:
    sender = dispatcher(conn, hook)
    sender.update(Assessment((WARN,), XA_SCOPE), at("2012-12-01 06:30"))
    sender.update(Assessment((WARN,), XA_SCOPE), at("2012-12-02 06:30"))
    sender.update(Assessment((), XA_SCOPE), at("2012-12-03 06:30"))
    assert [(body["key"], body["kind"]) for _, body in hook.posts] == [(WARN.key, "opened")]
    state = conn.execute("SELECT cleared_at FROM alert_conditions").fetchall()
    assert state == [("2012-12-03T06:30:00",)]


def test_warnings_can_be_switched_off(conn, hook) -> None:
    dispatcher(conn, hook, warnings=False).update(
        Assessment((WARN, VETO), XA_SCOPE), at("2012-12-01 06:30")
    )
    assert [body["key"] for _, body in hook.posts] == [VETO_KEY]


def test_an_assessment_only_clears_what_it_looked_at(conn, hook) -> None:
    sender = dispatcher(conn, hook)
    sender.update(Assessment((VETO,), XA_SCOPE), at("2012-12-01 06:30"))
    # a probe run (scope site_down:…) and another site's check say nothing about this veto
    sender.update(Assessment((), ("site_down:xa-city:",)), at("2012-12-01 07:00"))
    sender.update(Assessment((), ("veto:xa-city-2:",)), at("2012-12-01 07:00"))
    assert len(hook.posts) == 1
    assert conn.execute("SELECT cleared_at FROM alert_conditions").fetchone() == (None,)


def test_quiet_hours_queue_messages_until_they_end(conn, hook) -> None:
    sender = dispatcher(conn, hook, quiet_hours="22:00-07:00")
    sender.update(Assessment((VETO,), XA_SCOPE), at("2012-12-01 23:10"))
    assert hook.posts == []
    assert alert_rows(conn) == [(VETO_KEY, "opened", "queued", None, "webhook:json")]
    assert sender.flush(at("2012-12-02 03:00")) == 0
    assert hook.posts == []
    assert sender.flush(at("2012-12-02 07:05")) == 1
    assert sender.flush(at("2012-12-02 07:10")) == 0
    assert len(hook.posts) == 1
    assert alert_rows(conn) == [(VETO_KEY, "opened", "sent", "2012-12-02T07:05:00", "webhook:json")]


def test_the_daily_digest_collects_warnings_into_one_message(conn, hook) -> None:
    sender = dispatcher(conn, hook, digest=True, digest_at="08:00")
    other = Condition("warning:xa-city:mail", "xa-city", "warning", "西安市: 信件未回复", "")
    sender.update(Assessment((WARN, other, VETO), XA_SCOPE), at("2012-12-01 10:00"))
    assert [body["key"] for _, body in hook.posts] == [VETO_KEY]  # vetoes never wait
    assert sender.flush(at("2012-12-01 20:00")) == 0  # today's 08:00 came before them
    assert sender.flush(at("2012-12-02 08:01")) == 1
    assert sender.flush(at("2012-12-02 09:00")) == 0
    digest = hook.posts[-1][1]
    assert digest["kind"] == "digest" and len(hook.posts) == 2
    assert "空白栏目" in digest["body"] and "信件未回复" in digest["body"]
    statuses = conn.execute("SELECT status FROM alerts WHERE level = 'warning'").fetchall()
    assert statuses == [("digested",), ("digested",)]


def test_a_failed_send_is_recorded_and_retried(conn, hook) -> None:
    sender = dispatcher(conn, hook)
    hook.status = 500
    sender.update(Assessment((VETO,), XA_SCOPE), at("2012-12-01 06:30"))
    row = conn.execute("SELECT status, attempts, error FROM alerts").fetchone()
    assert row == ("failed", 1, "webhook:json: HTTP 500")
    hook.status = 200
    assert sender.flush(at("2012-12-01 06:35")) == 1
    assert alert_rows(conn) == [(VETO_KEY, "opened", "sent", "2012-12-01T06:35:00", "webhook:json")]


def probe(conn: sqlite3.Connection, site_id: str, when: str, ok: bool) -> None:
    """Insert one probe row."""
    with conn:
        conn.execute(
            "INSERT INTO probes (site_id, url, probed_at, ok) VALUES (?, ?, ?, ?)",
            (site_id, f"http://{site_id}.example/", when, int(ok)),
        )


def test_probe_assessment_needs_two_failures_and_one_success_clears(conn) -> None:
    probe(conn, "a", "2012-12-01T10:00:00", True)
    probe(conn, "a", "2012-12-01T11:00:00", False)
    one_failure = probe_assessment(conn)
    assert one_failure.present == () and not one_failure.covers("site_down:a:home")
    probe(conn, "a", "2012-12-01T12:00:00", False)
    [down] = probe_assessment(conn).present
    assert down.key == "site_down:a:home" and "2012-12-01 11:00:00" in down.detail
    probe(conn, "a", "2012-12-01T13:00:00", True)
    back = probe_assessment(conn)
    assert back.present == () and back.covers("site_down:a:home")
    assert not back.covers("site_down:ab:home")


def rule(rule_id: str, level: str, outcome: Outcome, warning: str = "") -> RuleResult:
    """A rule result as the engine makes it."""
    return RuleResult(
        id=rule_id,
        title=rule_id.replace("_", " "),
        level=level,
        metric="m",
        scope="site",
        outcome=outcome,
        value=16.0,
        threshold=14.0,
        operator=">",
        evidence=[],
        citation="",
        confirmed=True,
        warning=warning,
    )


def test_conditions_from_the_engines_verdicts() -> None:
    verdict = SiteVerdict(
        site_id="xa-city",
        name="西安市",
        unit_type="city",
        veto=True,
        score=80.0,
        passed=False,
        rules=[
            rule("home_stale", "veto", Outcome.FAIL),
            rule("blank_columns", "veto", Outcome.WARNING, "3 blank columns, veto at 5"),
            rule("link_errors", "deduction", Outcome.FAIL),
            rule("reply_rate", "deduction", Outcome.PASS),
        ],
    )
    assessment = conditions_from_verdicts([verdict])
    assert [(c.key, c.level) for c in assessment.present] == [
        ("veto:xa-city:home_stale", "veto"),
        ("warning:xa-city:blank_columns", "warning"),
    ]
    assert assessment.present[0].detail == "value 16 (limit > 14)"
    assert assessment.present[1].detail == "3 blank columns, veto at 5"
    assert assessment.covers("veto:xa-city:link_errors")
    assert not assessment.covers("site_down:xa-city:home")
