"""`sitewatch probe`: availability visits of every home page."""

from __future__ import annotations

import time
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import click

from crawler.limits import PROBE_DEADLINE
from sitewatch.clock import DATETIME
from sitewatch.cluster.cli import distributed_option, distributed_probe, wants_distributed
from sitewatch.database import for_writing
from sitewatch.i18n import _
from sitewatch.locks import command_lock, wait_option
from sitewatch.options import (
    config_option,
    db_option,
    load_group,
    resolve_db,
    select_sites,
    site_option,
)
from sitewatch.runlog import recorded_run


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
@distributed_option
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
    distributed: bool | None,
    wait: bool,
) -> None:
    """Visit every home page and record whether it opened within the timeout.

    Meant to run hourly from the scheduler, so each site gets the 20+ daily visits the
    national rules assume.

    \b
    Example:
        sitewatch probe --config config/demo.yaml --rounds 3 --interval 60
        sitewatch probe --config config/sites.yaml --distributed   # from every vantage point
    """
    group = load_group(config_path)
    sites = select_sites(group, site_ids)
    database = for_writing(resolve_db(db_path, group))
    with command_lock(database, "probe", wait):
        advance = timedelta(seconds=interval if step is None else step)
        for index in range(rounds):
            clock = (now + advance * index) if now else datetime.now()
            if wants_distributed(distributed, group):
                distributed_probe(group, sites, database, clock, timeout)
                # The agents judge reachability from their networks; the HTTPS/IPv6 checks of
                # the sites due run here, from the writer's host, as in a single-machine probe.
                transport_checks(database, group, sites, clock, timeout)
                if index + 1 < rounds and interval:
                    time.sleep(interval)
                continue
            results = recorded_round(database, group, sites, clock, timeout)
            down = [r.site_id for r in results if not r.ok]
            click.echo(
                _("round {round}/{rounds} at {clock}: {up}/{total} up").format(
                    round=index + 1,
                    rounds=rounds,
                    clock=f"{clock:%Y-%m-%d %H:%M}",
                    up=len(results) - len(down),
                    total=len(results),
                )
                + (_("; down: {sites}").format(sites=", ".join(down)) if down else "")
            )
            if index + 1 < rounds and interval:
                time.sleep(interval)


def recorded_round(
    database: Path, group: Any, sites: list[Any], clock: datetime, timeout: float | None = None
) -> list[Any]:
    """One probe round stored and recorded as a `probe` run at its clock (in `sitewatch runs`)."""
    from crawler.probe import probe_round, record_round
    from crawler.store import Store, open_db

    with recorded_run(database, "probe", clock, [site.id for site in sites]) as run:
        options = {} if timeout is None else {"timeout": timeout}
        results = probe_round(sites, user_agent=group.defaults.user_agent, **options)
        store = Store(open_db(database))
        try:
            record_round(store, results, clock)
        finally:
            store.conn.close()
        transport_checks(database, group, sites, clock, timeout)
        run.figures["sites_down"] = sum(1 for r in results if not r.ok)
    return results


def transport_checks(
    database: Path, group: Any, sites: list[Any], clock: datetime, timeout: float | None
) -> None:
    """HTTPS/IPv6 of the sites due (every `transport.every_hours`), through the guarded fetch
    path; results stored at the round's clock (crawler/transport_run.py)."""
    from crawler.store import open_db
    from crawler.transport_run import transport_round

    conn = open_db(database).conn
    try:
        checked = transport_round(conn, group, sites, clock, **deadline_option(timeout))
    finally:
        conn.close()
    if checked:
        click.echo(_("HTTPS and IPv6 checked on {count} sites").format(count=len(checked)))


def deadline_option(timeout: float | None) -> dict[str, float]:
    """The probe's --timeout as the transport checks' per-fetch deadline."""
    return {} if timeout is None else {"deadline": timeout}
