"""`sitewatch probe`: availability visits of every home page."""

from __future__ import annotations

import time
from datetime import datetime, timedelta
from pathlib import Path

import click

from crawler.limits import PROBE_DEADLINE
from sitewatch.clock import DATETIME
from sitewatch.locks import command_lock, wait_option
from sitewatch.options import (
    config_option,
    db_option,
    load_group,
    resolve_db,
    select_sites,
    site_option,
)


@click.command("probe")
@config_option
@db_option
@click.option("--rounds", default=1, show_default=True, type=click.IntRange(min=1))
@click.option(
    "--interval",
    default=0.0,
    show_default=True,
    type=click.FloatRange(min=0),
    help="Seconds to wait between rounds.",
)
@click.option(
    "--now",
    type=DATETIME,
    default=None,
    help="Clock of the first round; later rounds add --step. Default: the real clock.",
)
@click.option(
    "--step",
    type=click.FloatRange(min=0),
    default=None,
    help="Seconds the clock advances per round with --now (default: --interval).",
)
@click.option(
    "--timeout",
    default=PROBE_DEADLINE,
    show_default=True,
    help="Seconds before a visit fails (the whole answer, not each read).",
)
@site_option
@wait_option
def probe(
    config_path: Path,
    db_path: Path | None,
    rounds: int,
    interval: float,
    now: datetime | None,
    step: float | None,
    timeout: float,
    site_ids: tuple[str, ...],
    wait: bool,
) -> None:
    """Visit every home page and record whether it opened within the timeout.

    Meant to run hourly from the scheduler, so each site gets the 20+ daily visits the
    national rules assume.

    \b
    Example:
        sitewatch probe --config config/demo.yaml --rounds 3 --interval 60
    """
    from crawler.probe import probe_round, record_round
    from crawler.store import Store, open_db

    group = load_group(config_path)
    sites = select_sites(group, site_ids)
    database = resolve_db(db_path, group)
    with command_lock(database, "probe", wait):
        store = Store(open_db(database))
        advance = timedelta(seconds=interval if step is None else step)
        for index in range(rounds):
            clock = (now + advance * index) if now else datetime.now()
            results = probe_round(sites, timeout=timeout, user_agent=group.defaults.user_agent)
            record_round(store, results, clock)
            down = [r.site_id for r in results if not r.ok]
            click.echo(
                f"round {index + 1}/{rounds} at {clock:%Y-%m-%d %H:%M}: "
                f"{len(results) - len(down)}/{len(results)} up"
                + (f"; down: {', '.join(down)}" if down else "")
            )
            if index + 1 < rounds and interval:
                time.sleep(interval)
