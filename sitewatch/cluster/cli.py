"""The writer's side of `crawl --distributed` and `probe --distributed`: progress and outcome."""

from __future__ import annotations

import time
from datetime import datetime
from pathlib import Path
from typing import Any

import click

from sitewatch.i18n import _

distributed_option = click.option(
    "--distributed/--local",
    "distributed",
    default=None,
    help="Run through the agents on the task queue (default when the config has cluster:).",
)


def wants_distributed(flag: bool | None, group: Any) -> bool:
    """--distributed / --local, else whether the config has a `cluster:` section."""
    return bool(group.cluster is not None) if flag is None else flag


def app_for(group: Any) -> tuple[Any, Any]:
    """The Celery app and broker settings of the config, or one clear line."""
    from sitewatch.cluster.app import broker_settings, make_app

    settings = broker_settings(group.cluster)
    return make_app(settings), settings


def show_progress(quiet: bool) -> Any:
    """A progress printer: one line per change of the figures, on stderr."""
    last: list[str] = [""]

    def show(progress: Any) -> None:
        if quiet:
            return
        line = _("jobs {done}/{total} done, {failed} failed").format(
            done=progress.done, total=progress.total, failed=progress.failed
        )
        if progress.broker_down_since is not None:
            waited = int(time.monotonic() - progress.broker_down_since)
            line += _("; task queue unreachable for {seconds} s, waiting").format(seconds=waited)
        if line != last[0]:
            click.echo(line, err=True)
            last[0] = line

    return show


def queue_error(settings: Any, exc: Exception) -> click.ClickException:
    """The one line for a broker that does not answer."""
    return click.ClickException(
        _(
            "cannot reach the task queue at {url}: {reason} "
            "(is Redis running? see docs/operating.md)"
        ).format(url=settings.display(), reason=exc)
    )


def distributed_crawl(
    group: Any, sites: list[Any], database: Path, now: datetime, full: bool, quiet: bool
) -> None:
    """Crawl through the agents and print the run's line; exit 1 when jobs failed."""
    from sitewatch.cluster.writer import QueueUnavailable, run_distributed_crawl

    app, settings = app_for(group)
    try:
        run = run_distributed_crawl(
            app, group, sites, database, now=now, full=full, on_progress=show_progress(quiet)
        )
    except QueueUnavailable as exc:
        raise queue_error(settings, exc) from None
    figures = run.progress.figures
    click.echo(
        _(
            "run {run} {status}: sites {done}/{total}, pages {pages}, new posts {new}, "
            "errors {errors} → {db}"
        ).format(
            run=run.run_id,
            status=run.status,
            done=run.progress.done,
            total=run.progress.total,
            pages=figures.get("pages", 0),
            new=figures.get("new_posts", 0),
            errors=figures.get("errors", 0),
            db=database,
        )
    )
    for error in run.progress.errors:
        click.echo(error, err=True)
    if run.status != "ok":
        raise SystemExit(1)


def distributed_probe(
    group: Any,
    sites: list[Any],
    database: Path,
    probed_at: datetime,
    timeout: float,
) -> None:
    """One probe round through the agents of every vantage point, recorded as a probe run."""
    from sitewatch.cluster.writer import QueueUnavailable, run_distributed_probe
    from sitewatch.runlog import recorded_run

    app, settings = app_for(group)
    vantages: list[str | None] = list(group.cluster.vantages) if group.cluster else []
    with recorded_run(database, "probe", probed_at, [site.id for site in sites]) as run:
        try:
            progress = run_distributed_probe(
                app,
                sites,
                database,
                vantages=vantages or [None],
                quorum=str(group.cluster.vantage_quorum) if group.cluster else "all",
                probed_at=probed_at,
                timeout_s=timeout,
                user_agent=group.defaults.user_agent,
                on_progress=show_progress(quiet=True),
            )
        except QueueUnavailable as exc:
            raise queue_error(settings, exc) from None
        down = down_sites(database, probed_at)
        run.figures["sites_down"] = len(down)
        click.echo(
            _("round at {clock}: {up}/{total} up").format(
                clock=f"{probed_at:%Y-%m-%d %H:%M}",
                up=len(sites) - len(down),
                total=len(sites),
            )
            + (_("; down: {sites}").format(sites=", ".join(down)) if down else "")
        )
        if progress.failed:
            for error in progress.errors:
                click.echo(error, err=True)
            raise SystemExit(1)


def down_sites(database: Path, probed_at: datetime) -> list[str]:
    """The sites whose verdict in this round is a failed visit."""
    import sqlite3

    conn = sqlite3.connect(database)
    try:
        rows = conn.execute(
            "SELECT site_id FROM probes WHERE probed_at = ? AND ok = 0 ORDER BY site_id",
            (probed_at.replace(microsecond=0).isoformat(),),
        ).fetchall()
    finally:
        conn.close()
    return [site_id for (site_id,) in rows]
