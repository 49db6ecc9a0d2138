"""The demo's console account, and the lines `sitewatch demo` ends with."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

DEMO_USER = "demo"
DEMO_PASSWORD = "sitewatch-demo"  # a demo on loopback only; real accounts: `sitewatch users add`
DEMO_CLOCK = "2012-12-31T23:00"  # the end of the simulated month: ages count from there


def ensure_demo_account(db: Path) -> None:
    """Create the demo admin account unless it exists."""
    from crawler.store import open_db
    from sitewatch.web.auth import add_user

    conn = open_db(db).conn
    try:
        if not conn.execute("SELECT 1 FROM users WHERE name = ?", (DEMO_USER,)).fetchone():
            add_user(conn, DEMO_USER, "admin", DEMO_PASSWORD, datetime.now())
    finally:
        conn.close()


def console_hint(db: Path, config: Path, port: int = 8080) -> str:
    """How to open the console on the demo database (creates the demo account)."""
    ensure_demo_account(db)
    return (
        f"console:      sitewatch serve --config {config} --db {db} --now {DEMO_CLOCK}"
        f" --port {port}\n"
        f"              then open http://127.0.0.1:{port}/ and log in as"
        f" {DEMO_USER} / {DEMO_PASSWORD}"
    )
