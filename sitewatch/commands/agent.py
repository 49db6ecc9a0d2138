"""`sitewatch agent`: take crawl and probe jobs from the task queue (see docs/operating.md)."""

from __future__ import annotations

import os
import socket
from pathlib import Path

import click

from sitewatch.i18n import _


@click.command("agent")
@click.option(
    "--config",
    "config_path",
    type=click.Path(path_type=Path, dir_okay=False),
    default=None,
    help="A group config whose cluster: section names the broker (optional).",
)
@click.option("--broker", default=None, help="Broker URL (default: $SITEWATCH_BROKER or config).")
@click.option(
    "--queues",
    default="crawl,probe",
    show_default=True,
    help="Which jobs to take: crawl, probe or both.",
)
@click.option("--vantage", default=None, help="This agent's network vantage point for probes.")
@click.option(
    "--concurrency",
    type=click.IntRange(min=1, max=64),
    default=2,
    show_default=True,
    help="Jobs at once (each crawl runs in its own child process).",
)
@click.option(
    "--block-host",
    "blocked_hosts",
    multiple=True,
    help="A host this agent's network cannot reach: its probes fail as no route (repeatable).",
)
def agent(
    config_path: Path | None,
    broker: str | None,
    queues: str,
    vantage: str | None,
    concurrency: int,
    blocked_hosts: tuple[str, ...],
) -> None:
    """Run an agent: crawl sites and probe home pages for the writer, until stopped.

    Agents never open the database: each job carries what its site's crawl needs and its
    result goes back through the queue to the writer (`sitewatch crawl --distributed`).

    \b
    Example:
        sitewatch agent --broker redis://10.1.2.3:6379/0 --vantage telecom --concurrency 4
    """
    from sitewatch.cluster.app import CRAWL_QUEUE, broker_settings, make_app, probe_queue
    from sitewatch.cluster.writer import QueueUnavailable, check_broker

    cluster = None
    if config_path is not None:
        from sitewatch.options import load_group

        cluster = load_group(config_path).cluster
    settings = broker_settings(cluster, broker)
    wanted = {part.strip() for part in queues.split(",") if part.strip()}
    unknown = wanted - {"crawl", "probe"}
    if unknown or not wanted:
        raise click.BadParameter(_("use crawl, probe or crawl,probe"), param_hint="--queues")
    names = ([CRAWL_QUEUE] if "crawl" in wanted else []) + (
        [probe_queue(vantage)] if "probe" in wanted else []
    )
    app = make_app(settings)
    app.conf.sitewatch_blocked_hosts = [host.lower() for host in blocked_hosts]
    try:
        check_broker(app)
    except QueueUnavailable as exc:
        raise click.ClickException(
            _("cannot reach the task queue at {url}: {reason}").format(
                url=settings.display(), reason=exc
            )
        ) from None
    click.echo(
        _("agent {name} taking {queues} from {url}").format(
            name=vantage or "default", queues=", ".join(names), url=settings.display()
        ),
        err=True,
    )
    worker = app.Worker(
        queues=names,
        concurrency=concurrency,
        pool="threads",
        hostname=f"{vantage or 'agent'}-{os.getpid()}@{socket.gethostname()}",
        loglevel="WARNING",
        quiet=True,
        without_heartbeat=False,
        without_mingle=True,
        without_gossip=True,
    )
    worker.start()
    raise SystemExit(worker.exitcode or 0)
