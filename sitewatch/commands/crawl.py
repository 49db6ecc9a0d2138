"""`sitewatch crawl`: crawl the group into SQLite with a live progress display."""

from __future__ import annotations

import threading
from datetime import datetime
from pathlib import Path

import click
from rich.live import Live
from rich.table import Table

from crawler.state import CrawlContext, CrawlProgress
from sitewatch.clock import DATETIME
from sitewatch.cluster.cli import distributed_crawl, distributed_option, wants_distributed
from sitewatch.commands.runs import status_name
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
from sitewatch.output import console as output_console

REFRESH_SECONDS = 0.5


def progress_line(progress: CrawlProgress) -> str:
    """One line: sites done / total, pages, new and known posts, errors, elapsed."""
    with progress.lock:
        return _(
            "sites {done}/{total}  pages {pages}  new posts {new}  known {known}  "
            "letters {letters}  errors {errors}  {seconds}s"
        ).format(
            done=progress.sites_done,
            total=len(progress.sites),
            pages=progress.total("pages"),
            new=progress.total("new_posts"),
            known=progress.total("known_posts"),
            letters=progress.total("letters"),
            errors=progress.total("errors"),
            seconds=f"{progress.elapsed():.0f}",
        )


def fault_name(status: str) -> str:
    """A home page's HTTP status as is, a fault code (crawler.faults.Fault) in words."""
    names = {
        "timeout": _("timed out"),
        "connection_refused": _("connection refused"),
        "connection_lost": _("connection lost"),
        "no_response": _("no response"),
        "connect_error": _("cannot connect"),
        "no_route": _("no route to the host"),
        "dns": _("host name not found"),
        "tls": _("TLS error"),
        "too_large": _("page too large"),
        "rate_limited": _("rate limited"),
        "redirect_loop": _("redirect loop"),
        "bad_redirect": _("bad redirect"),
        "private_address": _("private address refused"),
        "robots": _("refused by robots.txt"),
        "decode": _("cannot decode the page"),
    }
    return names.get(status, status)


def summary_table(progress: CrawlProgress, names: dict[str, str]) -> Table:
    """The per-site table printed at the end of a crawl."""
    table = Table(title=_("crawl summary"))
    headers = (
        (_("site"), "left"),
        (_("name"), "left"),
        (_("home page"), "left"),
        (_("pages"), "right"),
        (_("new"), "right"),
        (_("known"), "right"),
        (_("letters"), "right"),
        (_("errors"), "right"),
    )
    for header, justify in headers:
        table.add_column(header, justify=justify)  # type: ignore[arg-type]
    for site_id, site in progress.sites.items():
        table.add_row(
            site_id,
            names.get(site_id, ""),
            fault_name(site.home_status),
            str(site.pages),
            str(site.new_posts),
            str(site.known_posts),
            str(site.letters),
            str(site.errors),
        )
    return table


@click.command("crawl")
@config_option
@db_option
@site_option
@click.option("--full", is_flag=True, help="Ignore what is known: re-read every page.")
@click.option(
    "--now",
    type=DATETIME,
    default=None,
    help="The crawl's clock (first/last-seen times, the future-date guard). Default: now.",
)
@click.option("--quiet", "-q", is_flag=True, help="No progress display, only the summary line.")
@distributed_option
@wait_option
def crawl(
    config_path: Path,
    db_path: Path | None,
    site_ids: tuple[str, ...],
    full: bool,
    now: datetime | None,
    quiet: bool,
    wait: bool,
    distributed: bool | None,
) -> None:
    """Crawl every site of the group (or --site ones) into the database.

    A site that is down is data, not a failure: the exit code is non-zero only when the
    crawl itself failed.

    \b
    Example:
        sitewatch crawl --config config/demo.yaml --db data/demo.db
        sitewatch crawl --config config/demo.yaml --site xa-city --full
        sitewatch crawl --config config/sites.yaml --distributed   # through the agents
    """
    from crawler.runner import run_crawl

    group = load_group(config_path)
    sites = select_sites(group, site_ids)
    database = for_writing(resolve_db(db_path, group))
    console = output_console(stderr=True)  # full width off a terminal, never cut
    stop = threading.Event()
    watcher: list[threading.Thread] = []

    def show(context: CrawlContext) -> None:
        if quiet:
            return

        def loop() -> None:
            with Live(console=console, refresh_per_second=4, transient=True) as live:
                while not stop.wait(REFRESH_SECONDS):
                    live.update(progress_line(context.progress))

        thread = threading.Thread(target=loop, daemon=True)
        thread.start()
        watcher.append(thread)

    try:
        if wants_distributed(distributed, group):
            with command_lock(database, "crawl", wait):
                distributed_crawl(group, sites, database, now or datetime.now(), full, quiet)
            return
        with command_lock(database, "crawl", wait):
            result = run_crawl(
                group, sites, database, now=now or datetime.now(), full=full, on_start=show
            )
    finally:
        stop.set()
        for thread in watcher:
            thread.join(timeout=2)
    names = {site.id: site.name for site in sites}
    if not quiet:
        console.print(summary_table(result.progress, names))
    click.echo(
        _("run {run} {status}: {progress} → {db}").format(
            run=result.run_id,
            status=status_name(result.status),
            progress=progress_line(result.progress),
            db=database,
        )
    )
    if result.status == "failed":
        if result.note:  # e.g. a full disk: one line naming the database and the reason
            raise click.ClickException(
                _("{db}: run {run} failed: {reason}").format(
                    db=database, run=result.run_id, reason=result.note
                )
            )
        raise SystemExit(1)
