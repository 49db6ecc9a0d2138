"""Console test helpers: a small hand-built monitoring database, accounts, a logged-in client."""

from __future__ import annotations

import re
from datetime import datetime
from pathlib import Path
from typing import Any

from sw_analysis_db import World, new_world

from analysis.findings.review import reviewed_verdicts
from analysis.standards.profile import StandardProfile, load_profile
from sitewatch.web.auth import add_user

NATIONAL = Path("config/standards/national.yaml")
NOW = datetime(2012, 12, 31, 23, 0)
PASSWORD = "correct-horse-9"
CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


def small_group(tmp_path: Path) -> World:
    """Three city sites checked on 2012-12-31 against the national standard:

    - `good` (良好市局): posts daily, probes all fine — passes;
    - `stale` (陈旧市局, a name with markup): news stopped on 12-05 (网站不更新, a veto) and a
      letter unanswered since August (互动回应差, a veto);
    - `flaky` (不稳市局): three failed visits in the night of 12-29 → 3/56 = 5.4 % of the
      week's visits failed (站点无法访问, a veto: ≥ 5 %).
    One finished crawl run at 2012-12-31 22:00.
    """
    world = new_world(tmp_path, "good", "stale", "flaky")
    names = {"good": "良好市局", "stale": "<b>陈旧</b>市局", "flaky": "不稳市局"}
    for site, name in names.items():
        world.conn.execute("UPDATE sites SET name = ? WHERE id = ?", (name, site))
        world.column(f"{site}-news", "news", site=site)
        world.column(f"{site}-zx", "consultation", site=site)
        world.letter("2012-12-10", "2012-12-11", site=site, column=f"{site}-zx")
        last_news = 5 if site == "stale" else 31
        for day in range(1, 32):
            if day <= last_news:
                world.post(f"{site}-news", f"2012-12-{day:02d}", site=site)
            for hour in range(0, 24, 3):
                bad = site == "flaky" and day == 29 and hour in FLAKY_HOURS
                world.probe(f"2012-12-{day:02d}T{hour:02d}:30:00", ok=not bad, site=site)
    world.letter("2012-08-01", None, site="stale", column="stale-zx")
    world.conn.execute(
        "INSERT INTO crawl_runs (kind, started_at, finished_at, clock, status, pages)"
        " VALUES ('crawl', ?, ?, ?, 'ok', 42)",
        ("2012-12-31T22:00:00", "2012-12-31T22:05:00", "2012-12-31T22:00:00"),
    )
    world.done()
    return world


FLAKY_HOURS = (0, 3, 6)


def national() -> StandardProfile:
    return load_profile(NATIONAL)


def record_check(world: World) -> list[Any]:
    """What `sitewatch check` does on the world: findings recorded, reviewed ones discounted."""
    return reviewed_verdicts(world.conn, national(), NOW.date(), record_at=NOW)


def accounts(world: World) -> None:
    """admin / reviewer / viewer, all with PASSWORD."""
    for name in ("admin", "reviewer", "viewer"):
        add_user(world.conn, name, name, PASSWORD, NOW)


def token(html: str) -> str:
    """The CSRF token of a page's forms."""
    found = CSRF.search(html)
    assert found, "no CSRF token on the page"
    return found.group(1)
