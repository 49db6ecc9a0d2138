"""Console accounts: argon2id password hashes, roles, login rate limit, the session secret."""

from __future__ import annotations

import re
import secrets
import sqlite3
import threading
import time
from collections import deque
from dataclasses import dataclass
from datetime import datetime
from enum import IntEnum
from typing import Any

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

HASHER = PasswordHasher()  # argon2id with the library's current recommended parameters
NAME = re.compile(r"^[A-Za-z0-9_.\-\u4e00-\u9fff]{2,40}$")
MIN_PASSWORD = 8
# Dummy hash checked for unknown names, so a login takes as long whether or not the name exists.
DUMMY_HASH = HASHER.hash(secrets.token_hex(16))


class Role(IntEnum):
    """What an account may do; a higher role may do everything a lower one may."""

    VIEWER = 1  # reads every page
    REVIEWER = 2  # changes findings and maintenance filings, generates reports
    ADMIN = 3  # manages users

    @property
    def label(self) -> str:
        return {"VIEWER": "只读", "REVIEWER": "审核", "ADMIN": "管理员"}[self.name]


ROLE_NAMES = {role.name.lower(): role for role in Role}


class AccountError(ValueError):
    """A user-caused problem with an account (Chinese message)."""


@dataclass(frozen=True)
class User:
    """A logged-in account."""

    id: int
    name: str
    role: Role


def parse_role(value: str) -> Role:
    """A role from admin|reviewer|viewer."""
    try:
        return ROLE_NAMES[value.lower()]
    except KeyError:
        raise AccountError(f"角色只能是：{'、'.join(ROLE_NAMES)}") from None


def add_user(conn: sqlite3.Connection, name: str, role: str, password: str, now: datetime) -> int:
    """Create an account (or AccountError); the password is stored only as its argon2 hash."""
    if not NAME.match(name):
        raise AccountError("用户名须为 2–40 个字母、数字、汉字或 _ . -")
    if len(password) < MIN_PASSWORD:
        raise AccountError(f"密码至少 {MIN_PASSWORD} 位")
    known = conn.execute("SELECT 1 FROM users WHERE name = ?", (name,)).fetchone()
    if known:
        raise AccountError(f"用户“{name}”已存在")
    with conn:
        cursor = conn.execute(
            "INSERT INTO users (name, role, password_hash, created_at) VALUES (?, ?, ?, ?)",
            (name, parse_role(role).name.lower(), HASHER.hash(password), now.isoformat()),
        )
    return int(cursor.lastrowid or 0)


def set_password(conn: sqlite3.Connection, name: str, password: str) -> None:
    """Replace an account's password."""
    if len(password) < MIN_PASSWORD:
        raise AccountError(f"密码至少 {MIN_PASSWORD} 位")
    with conn:
        changed = conn.execute(
            "UPDATE users SET password_hash = ? WHERE name = ?", (HASHER.hash(password), name)
        ).rowcount
    if not changed:
        raise AccountError(f"没有用户“{name}”")


def set_disabled(conn: sqlite3.Connection, user_id: int, disabled: bool, now: datetime) -> None:
    """Disable (or enable again) an account; a disabled account is logged out at once."""
    with conn:
        conn.execute(
            "UPDATE users SET disabled_at = ? WHERE id = ?",
            (now.isoformat() if disabled else None, user_id),
        )


def list_users(conn: sqlite3.Connection) -> list[dict[str, Any]]:
    """Every account (without hashes)."""
    cursor = conn.execute(
        "SELECT id, name, role, created_at, disabled_at, last_login_at FROM users ORDER BY name"
    )
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def authenticate(conn: sqlite3.Connection, name: str, password: str, now: datetime) -> User | None:
    """The account when name and password match and it is enabled, else None."""
    row = conn.execute(
        "SELECT id, name, role, password_hash, disabled_at FROM users WHERE name = ?", (name,)
    ).fetchone()
    try:
        HASHER.verify(row[3] if row else DUMMY_HASH, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return None
    if row is None or row[4]:
        return None
    if HASHER.check_needs_rehash(row[3]):
        with conn:
            conn.execute(
                "UPDATE users SET password_hash = ? WHERE id = ?", (HASHER.hash(password), row[0])
            )
    with conn:
        conn.execute("UPDATE users SET last_login_at = ? WHERE id = ?", (now.isoformat(), row[0]))
    return User(row[0], row[1], ROLE_NAMES[row[2]])


def load_user(conn: sqlite3.Connection, user_id: Any) -> User | None:
    """The session's account, re-read on every request (a disabled account is logged out)."""
    if not isinstance(user_id, int):
        return None
    row = conn.execute(
        "SELECT id, name, role FROM users WHERE id = ? AND disabled_at IS NULL", (user_id,)
    ).fetchone()
    return User(row[0], row[1], ROLE_NAMES[row[2]]) if row else None


def session_secret(conn: sqlite3.Connection) -> str:
    """The key signing session cookies: generated once, kept in console_settings."""
    row = conn.execute("SELECT value FROM console_settings WHERE key = 'session_secret'").fetchone()
    if row:
        return str(row[0])
    secret = secrets.token_urlsafe(48)
    with conn:
        conn.execute(
            "INSERT OR IGNORE INTO console_settings (key, value) VALUES ('session_secret', ?)",
            (secret,),
        )
    return str(
        conn.execute("SELECT value FROM console_settings WHERE key = 'session_secret'").fetchone()[
            0
        ]
    )


class LoginLimiter:
    """At most `attempts` failed logins per client address and per name within `window_s`."""

    def __init__(self, attempts: int = 5, window_s: float = 600.0) -> None:
        self.attempts = attempts
        self.window_s = window_s
        self.failures: dict[str, deque[float]] = {}
        self.lock = threading.Lock()

    def _recent(self, key: str, now: float) -> deque[float]:
        times = self.failures.setdefault(key, deque())
        while times and now - times[0] > self.window_s:
            times.popleft()
        return times

    def blocked_for(self, address: str, name: str) -> float:
        """Seconds until another try is allowed (0: allowed now)."""
        now = time.monotonic()
        with self.lock:
            waits = [
                self.window_s - (now - times[0])
                for times in (self._recent(f"a:{address}", now), self._recent(f"n:{name}", now))
                if len(times) >= self.attempts
            ]
        return max(waits, default=0.0)

    def failed(self, address: str, name: str) -> None:
        """Record a failed login."""
        now = time.monotonic()
        with self.lock:
            for key in (f"a:{address}", f"n:{name}"):
                self._recent(key, now).append(now)

    def succeeded(self, address: str, name: str) -> None:
        """Forget the failures of a name (the address keeps its record)."""
        with self.lock:
            self.failures.pop(f"n:{name}", None)
