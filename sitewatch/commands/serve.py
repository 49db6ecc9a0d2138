"""`sitewatch serve`: the monitoring console (web) on one database."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import click

from sitewatch.clock import DATE, DATETIME
from sitewatch.options import (
    config_option,
    db_option,
    load_standard,
    resolve_db,
    resolve_standard,
    standard_option,
)

DEFAULT_HOST = "127.0.0.1"  # never listen beyond this machine unless told to
DEFAULT_PORT = 8080


@click.command("serve")
@config_option
@db_option
@standard_option
@click.option("--host", default=DEFAULT_HOST, show_default=True, help="Address to listen on.")
@click.option("--port", default=DEFAULT_PORT, show_default=True, type=click.IntRange(1, 65535))
@click.option(
    "--reports",
    "reports_dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("reports"),
    show_default=True,
    help="Folder of the monthly reports.",
)
@click.option(
    "--as-of",
    "as_of",
    type=DATE,
    default=None,
    help="Check date (default: the date of the latest crawl).",
)
@click.option(
    "--now",
    type=DATETIME,
    default=None,
    help="Fixed clock for ages and audit records (default: the machine clock).",
)
@click.option(
    "--behind-proxy",
    is_flag=True,
    help="Trust X-Forwarded-* from 127.0.0.1 and mark cookies Secure (HTTPS proxy).",
)
def serve(
    config_path: Path,
    db_path: Path | None,
    standard: Path | None,
    host: str,
    port: int,
    reports_dir: Path,
    as_of: date | None,
    now: datetime | None,
    behind_proxy: bool,
) -> None:
    """Serve the monitoring console: 总览, 站点, 问题, 报备, 报告, 运行.

    Listens on 127.0.0.1 unless --host says otherwise; put it behind the bureau's reverse
    proxy for other machines (docs/operating.md). Create accounts first with `sitewatch users`.

    \b
    Example:
        sitewatch users add admin --role admin --db data/demo.db
        sitewatch serve --config config/demo.yaml --db data/demo.db --port 8080
    """
    import uvicorn

    from sitewatch.commands.check import optional_group
    from sitewatch.web.app import create_app

    group = optional_group(config_path, db_path)
    db = resolve_db(db_path, group)
    if not db.exists():
        raise click.ClickException(f"{db}: no such database (run `sitewatch crawl` first)")
    standard_path = resolve_standard(standard, group)
    profile = load_standard(standard_path)
    app = create_app(
        db,
        profile,
        clock=(lambda: now) if now else datetime.now,
        as_of=as_of,
        reports_dir=reports_dir,
        standard_path=standard_path,
        config_path=config_path if group is not None else None,
        group_name=getattr(getattr(group, "group", None), "name", "") or "",
        secure_cookies=behind_proxy,
    )
    click.echo(f"console: http://{host}:{port}/  (Ctrl-C stops it)")
    uvicorn.run(
        app,
        host=host,
        port=port,
        proxy_headers=behind_proxy,
        forwarded_allow_ips="127.0.0.1" if behind_proxy else None,
        log_level="warning",
        server_header=False,
    )
