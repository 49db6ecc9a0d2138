"""`sitewatch simulate` / `python -m simulator`: serve the simulated website group on loopback."""

from __future__ import annotations

import asyncio
import json
import signal
import sys
from datetime import date, datetime
from pathlib import Path

import click

from simulator.faults import DEFAULT_FAULTS, parse_faults
from simulator.server import SimulatorServer
from simulator.world import World, build_world


def parse_today(text: str) -> datetime:
    """--today: a date (midnight) or an ISO datetime."""
    if "T" in text or " " in text.strip():
        return datetime.fromisoformat(text.strip())
    return datetime.combine(date.fromisoformat(text.strip()), datetime.min.time())


def write_truth(world: World, now: datetime, path: Path) -> None:
    """Write the truth JSON for `now` to path (UTF-8, Chinese kept readable)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(world.truth(now), ensure_ascii=False, indent=1), encoding="utf-8")


def _serve(server: SimulatorServer, quiet: bool) -> None:
    """Run in the foreground until SIGINT/SIGTERM; print the ready line once listening."""

    def ready() -> None:
        first = server.world.sites[0].home_url
        print(
            f"ready {first} sites={len(server.world.sites)} now={server.now.isoformat()}",
            flush=True,
        )
        if not quiet:
            for site in server.world.sites:
                print(f"  {site.home_url}  {site.site_id}  {site.name}", flush=True)

    async def main() -> None:
        loop = asyncio.get_running_loop()
        for signum in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(signum, server.request_stop)
        await server.serve(ready)

    asyncio.run(main())


@click.command("simulate")
@click.option(
    "--today",
    default="2012-12-31",
    show_default=True,
    help="Simulated clock: date or ISO datetime.",
)
@click.option(
    "--host-base",
    default="127.0.0.2",
    show_default=True,
    help="Address of site 1; site k on base+k-1.",
)
@click.option("--port", default=8800, show_default=True, type=int, help="Port shared by all sites.")
@click.option(
    "--sites", "n_sites", default=12, show_default=True, type=int, help="Number of sites."
)
@click.option("--seed", default=2012, show_default=True, type=int, help="Content seed.")
@click.option(
    "--faults",
    "faults_text",
    default=",".join(sorted(DEFAULT_FAULTS)),
    show_default=True,
    help="Comma list of broken_links,outage,slow,errors_5xx,redirects,trap,wrong_charset; "
    "or all / none.",
)
@click.option(
    "--truth",
    "truth_path",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write the ground truth JSON here.",
)
@click.option("--truth-only", is_flag=True, help="With --truth: write it and exit without serving.")
@click.option(
    "--shapes", is_flag=True, help="Add one site per list shape (split, pager6, jpage, …)."
)
@click.option(
    "--template-switch",
    "template_switch",
    help="Date (YYYY-MM-DD) from which one site's lists use a new, unreadable template.",
)
@click.option(
    "--transport",
    "transport_dir",
    type=click.Path(file_okay=False, path_type=Path),
    help="Also serve HTTPS (port+443), an HTTP entrance (port+80) and ::1; write the CA and "
    "the config's transport: block (transport.yaml) to this folder.",
)
@click.option("--quiet", is_flag=True, help="Print only the ready line.")
def simulate(
    today: str,
    host_base: str,
    port: int,
    n_sites: int,
    seed: int,
    faults_text: str,
    truth_path: Path | None,
    truth_only: bool,
    shapes: bool,
    template_switch: str | None,
    transport_dir: Path | None,
    quiet: bool,
) -> None:
    """Serve a simulated provincial website group on loopback, one address per site.

    \b
    Example:
      sitewatch simulate --today 2012-12-31 --faults broken_links,outage --truth truth.json
      (the same as: python -m simulator …)
    then open http://127.0.0.2:8800/ ; GET /__sim__/clock and /__sim__/truth on any site,
    POST /__sim__/clock?now=2012-12-05T13:00:00 to move the clock.
    """
    try:
        now = parse_today(today)
        faults = parse_faults(faults_text)
        switch_day = date.fromisoformat(template_switch) if template_switch else None
    except ValueError as exc:
        raise click.BadParameter(str(exc)) from exc
    if truth_only and truth_path is None:
        raise click.UsageError("--truth-only needs --truth FILE")
    world = build_world(
        seed=seed,
        n_sites=n_sites,
        faults=faults,
        host_base=host_base,
        port=port,
        shapes=shapes,
        template_switch=switch_day,
    )
    if truth_path is not None:
        write_truth(world, now, truth_path)
        if not quiet:
            click.echo(f"truth written to {truth_path}")
        if truth_only:
            return
    plan = None
    if transport_dir is not None:
        from simulator.transport import plan_transport

        plan = plan_transport(world, transport_dir)
        plan.write_config()
    try:
        _serve(SimulatorServer(world, now, plan), quiet)
    except OSError as exc:
        click.echo(f"cannot listen: {exc}", err=True)
        sys.exit(1)
