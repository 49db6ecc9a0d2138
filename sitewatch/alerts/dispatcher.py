"""The alert dispatcher: conditions in, de-duplicated messages out, every one recorded.

- A condition opens once (one message) and stays open until an assessment covering it no
  longer finds it; vetoes and outages then send a "cleared"/"recovered" message, warnings
  clear silently.
- During quiet hours messages are queued (status `queued`) and go out at the next `flush`
  after the quiet hours end. With `digest: true` warnings wait (status `digest`) for one
  daily message at `digest_at`.
- Every message is a row per channel in `alerts`; failed sends are retried by `flush`.
All times are passed in (`now`), so tests control the clock.
"""

from __future__ import annotations

import logging
import sqlite3
from dataclasses import dataclass
from datetime import datetime, time, timedelta

from crawler.config.models import AlertsConfig
from crawler.store import iso
from sitewatch.alerts.channels import Channel, Message, SendError
from sitewatch.alerts.conditions import (
    EXTRACTION,
    SITE_DOWN,
    VETO,
    WARNING,
    Assessment,
    Condition,
)

LOG = logging.getLogger("sitewatch.alerts")
MAX_ATTEMPTS = 5
DIGEST_KEY = "digest"
# What clears with a message: a veto lifted, a site back up. Warnings just fade.
ANNOUNCED_CLEARS = frozenset({VETO, SITE_DOWN})


@dataclass(frozen=True)
class OpenCondition:
    """A row of `alert_conditions` that is still open."""

    id: int
    key: str
    site_id: str | None
    level: str
    title: str
    opened_at: str


def in_window(moment: time, start: time, end: time) -> bool:
    """True when moment is in [start, end), the window possibly wrapping past midnight."""
    if start <= end:
        return start <= moment < end
    return moment >= start or moment < end


def opened_message(condition: Condition) -> Message:
    """The message for a condition that just appeared."""
    headline = {
        VETO: "单项否决 veto",
        SITE_DOWN: "站点宕机 site down",
        WARNING: "预警 warning",
        EXTRACTION: "抽取异常 extraction broken",
    }.get(condition.level, condition.level)
    return Message(
        key=condition.key,
        site_id=condition.site_id,
        level=condition.level,
        kind="opened",
        subject=f"[sitewatch] {headline}: {condition.title}",
        body=f"{condition.title}\n{condition.detail}".strip(),
    )


def cleared_message(row: OpenCondition, now: datetime) -> Message:
    """The message for a veto lifted or a site back up."""
    word = "已恢复 recovered" if row.level == SITE_DOWN else "已解除 cleared"
    since = row.opened_at.replace("T", " ")
    return Message(
        key=row.key,
        site_id=row.site_id,
        level=row.level,
        kind="cleared",
        subject=f"[sitewatch] {word}: {row.title}",
        body=f"{row.title}\nopen from {since} to {now:%Y-%m-%d %H:%M}",
    )


class Dispatcher:
    """Tracks open conditions in the database and sends their messages over the channels."""

    def __init__(
        self, conn: sqlite3.Connection, config: AlertsConfig, channels: list[Channel]
    ) -> None:
        self.conn = conn
        self.config = config
        self.channels = channels
        window = config.quiet_window()
        self.quiet = None if window is None else (time(*window[0]), time(*window[1]))
        hour, minute = (int(part) for part in config.digest_at.split(":"))
        self.digest_at = time(hour, minute)

    # -- conditions -----------------------------------------------------------------------
    def open_conditions(self) -> dict[str, OpenCondition]:
        """Every open condition by key."""
        rows = self.conn.execute(
            "SELECT id, key, site_id, level, title, opened_at FROM alert_conditions"
            " WHERE cleared_at IS NULL"
        ).fetchall()
        return {row[1]: OpenCondition(*row) for row in rows}

    def update(self, assessment: Assessment, now: datetime) -> list[Message]:
        """Open new conditions, clear vanished ones, send (or queue) their messages."""
        if not self.config.enabled:
            return []
        known = self.open_conditions()
        present = {c.key: c for c in assessment.present}
        messages: list[tuple[int, Message]] = []
        with self.conn:
            for key, condition in present.items():
                if key in known:
                    self._touch(known[key].id, now)
                    continue
                condition_id = self._open(condition, now)
                if condition.level != WARNING or self.config.warnings:
                    messages.append((condition_id, opened_message(condition)))
            for key, row in known.items():
                if key in present or not assessment.covers(key):
                    continue
                self._clear(row.id, now)
                if row.level in ANNOUNCED_CLEARS:
                    messages.append((row.id, cleared_message(row, now)))
        for condition_id, message in messages:
            self.dispatch(condition_id, message, now)
        return [message for _, message in messages]

    def _open(self, condition: Condition, now: datetime) -> int:
        """Insert an open condition row."""
        cur = self.conn.execute(
            "INSERT INTO alert_conditions (key, site_id, level, title, detail, opened_at,"
            " last_seen_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
            (
                condition.key,
                condition.site_id,
                condition.level,
                condition.title,
                condition.detail,
                iso(now),
                iso(now),
            ),
        )
        return int(cur.lastrowid or 0)

    def _touch(self, condition_id: int, now: datetime) -> None:
        """Note that an open condition still holds."""
        self.conn.execute(
            "UPDATE alert_conditions SET last_seen_at = ? WHERE id = ?", (iso(now), condition_id)
        )

    def _clear(self, condition_id: int, now: datetime) -> None:
        """Close a condition."""
        self.conn.execute(
            "UPDATE alert_conditions SET cleared_at = ? WHERE id = ?", (iso(now), condition_id)
        )

    # -- messages -------------------------------------------------------------------------
    def is_quiet(self, now: datetime) -> bool:
        """True inside the configured quiet hours."""
        return self.quiet is not None and in_window(now.time(), *self.quiet)

    def dispatch(self, condition_id: int | None, message: Message, now: datetime) -> None:
        """Record the message for every channel, and send it unless it must wait."""
        if self.config.digest and message.level == WARNING:
            status = "digest"
        else:
            status = "queued" if self.is_quiet(now) else "pending"
        if not self.channels:
            LOG.warning("alert (no channel configured): %s", message.subject)
        for channel in self.channels:
            alert_id = self._record(condition_id, message, channel.name, status, now)
            if status == "pending":
                self._send(alert_id, channel, message, now)

    def _record(
        self,
        condition_id: int | None,
        message: Message,
        channel: str,
        status: str,
        now: datetime,
    ) -> int:
        """Insert the alerts row of one message on one channel."""
        opened_at, cleared_at = None, None
        if condition_id is not None:
            opened_at, cleared_at = self.conn.execute(
                "SELECT opened_at, cleared_at FROM alert_conditions WHERE id = ?",
                (condition_id,),
            ).fetchone()
        with self.conn:
            cur = self.conn.execute(
                "INSERT INTO alerts (condition_id, key, site_id, level, kind, opened_at,"
                " cleared_at, created_at, channel, status, subject, message)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    condition_id,
                    message.key,
                    message.site_id,
                    message.level,
                    message.kind,
                    opened_at,
                    cleared_at,
                    iso(now),
                    channel,
                    status,
                    message.subject,
                    message.body,
                ),
            )
        return int(cur.lastrowid or 0)

    def _send(self, alert_id: int, channel: Channel, message: Message, now: datetime) -> bool:
        """Send one recorded message; store sent/failed; True when it went out."""
        try:
            channel.send(message)
        except SendError as exc:
            LOG.warning("alert %s on %s failed: %s", message.key, channel.name, exc)
            self._mark(alert_id, "failed", None, str(exc))
            return False
        LOG.info("alert sent on %s: %s", channel.name, message.subject)
        self._mark(alert_id, "sent", now, None)
        return True

    def _mark(self, alert_id: int, status: str, sent_at: datetime | None, error: str | None):
        """Update an alerts row after a send attempt."""
        with self.conn:
            self.conn.execute(
                "UPDATE alerts SET status = ?, sent_at = ?, error = ?, attempts = attempts + 1"
                " WHERE id = ?",
                (status, iso(sent_at), error, alert_id),
            )

    # -- queue and digest -----------------------------------------------------------------
    def flush(self, now: datetime) -> int:
        """Send what waited for quiet hours or failed before, and the digest when due."""
        if self.is_quiet(now):
            return 0
        by_name = {channel.name: channel for channel in self.channels}
        rows = self.conn.execute(
            "SELECT id, key, site_id, level, kind, subject, message, channel FROM alerts"
            " WHERE status = 'queued' OR (status = 'failed' AND attempts < ?) ORDER BY id",
            (MAX_ATTEMPTS,),
        ).fetchall()
        sent = 0
        for alert_id, key, site_id, level, kind, subject, body, name in rows:
            channel = by_name.get(name)
            if channel is None:
                continue  # the channel was removed from the config
            message = Message(key, site_id, level, kind, subject, body)
            sent += self._send(alert_id, channel, message, now)
        return sent + self.send_digest(now)

    def last_digest_time(self, now: datetime) -> datetime:
        """The latest `digest_at` moment not after now."""
        due = datetime.combine(now.date(), self.digest_at)
        return due if due <= now else due - timedelta(days=1)

    def send_digest(self, now: datetime) -> int:
        """One message per channel with the warnings that waited for the last digest time."""
        if not self.config.digest:
            return 0
        rows = self.conn.execute(
            "SELECT id, channel, subject FROM alerts WHERE status = 'digest' AND created_at < ?"
            " ORDER BY id",
            (iso(self.last_digest_time(now)),),
        ).fetchall()
        if not rows:
            return 0
        sent = 0
        for channel in self.channels:
            lines = [subject for _, name, subject in rows if name == channel.name]
            if not lines:
                continue
            message = Message(
                key=DIGEST_KEY,
                site_id=None,
                level="digest",
                kind="digest",
                subject=f"[sitewatch] 每日预警汇总 daily digest: {len(lines)} warning(s)",
                body="\n".join(f"- {line.removeprefix('[sitewatch] ')}" for line in lines),
            )
            alert_id = self._record(None, message, channel.name, "pending", now)
            sent += self._send(alert_id, channel, message, now)
        with self.conn:
            self.conn.executemany(
                "UPDATE alerts SET status = 'digested' WHERE id = ?", [(row[0],) for row in rows]
            )
        return sent
