"""`sitewatch schedule`: the long-running scheduler, one job run, or cron/systemd set-ups."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import click

from sitewatch.clock import DATETIME
from sitewatch.commands.runs import kind_name, status_name
from sitewatch.i18n import _
from sitewatch.options import config_option, db_option, load_group, resolve_db
from sitewatch.output import console

RUNNABLE = ("crawl", "probe", "check", "report", "alerts")


@click.command("schedule")
@config_option
@db_option
@click.option(
    "--list", "list_jobs", is_flag=True, help=_("List the jobs with their next run times.")
)
@click.option("--print-cron", is_flag=True, help=_("Print crontab lines instead of running."))
@click.option("--print-systemd", is_flag=True, help=_("Print systemd units and timers instead."))
@click.option(
    "--run-job",
    type=click.Choice(RUNNABLE),
    default=None,
    help="Run one job once, as the scheduler would (what cron/systemd call); "
    "`alerts` sends queued alerts and the digest.",
)
@click.option(
    "--now", type=DATETIME, default=None, help="Clock of the --run-job run (default: now)."
)
def schedule(
    config_path: Path,
    db_path: Path | None,
    list_jobs: bool,
    print_cron: bool,
    print_systemd: bool,
    run_job: str | None,
    now: datetime | None,
) -> None:
    """Run the `schedule:` jobs of the config until stopped (SIGTERM lets a run commit first).

    Runs missed while it was down are caught up once at start. Logs go to the console and
    to logs/sitewatch.log next to the database (or `schedule.log_file`).

    \b
    Example:
        sitewatch schedule --config config/sites.yaml
        sitewatch schedule --config config/sites.yaml --list
        sitewatch schedule --config config/sites.yaml --print-cron
        sitewatch schedule --config config/sites.yaml --run-job probe
    """
    from sitewatch import schedule as scheduling
    from sitewatch.schedule_export import crontab_lines, systemd_units

    group = load_group(config_path)
    database = resolve_db(db_path, group).absolute()
    context = scheduling.JobContext(config_path.absolute(), database, group)
    if list_jobs:
        print_jobs(scheduling.planned_jobs(group, now or datetime.now()))
        return
    if print_cron:
        log_file = scheduling.log_path(context).with_name("cron.log")
        click.echo(crontab_lines(group, config_path, database, log_file), nl=False)
        return
    if print_systemd:
        click.echo(systemd_units(group, config_path, database), nl=False)
        return
    if run_job == scheduling.ALERTS_JOB:
        click.echo(_("alerts sent: {count}").format(count=scheduling.flush_alerts(context, now)))
        return
    if run_job is not None:
        outcome = scheduling.run_job(context, run_job, now)
        click.echo(
            _("{job}: {status} (run {run})").format(
                job=kind_name(run_job), status=status_name(outcome.status), run=outcome.run_id
            )
        )
        if outcome.output.strip():
            click.echo(scheduling.tail(outcome.output), err=True)
        if outcome.status in ("failed", "interrupted"):
            raise SystemExit(1)
        return
    scheduling.serve(context)


def print_jobs(planned: list[tuple[str, str, datetime]]) -> None:
    """The jobs, soonest first: name, cron expression, next run."""
    from rich.table import Table

    table = Table(title=_("scheduled jobs"))
    for header in (_("job"), _("when (cron)"), _("next run")):
        table.add_column(header, no_wrap=True)
    for job, expr, upcoming in planned:
        table.add_row(kind_name(job), expr, upcoming.strftime("%Y-%m-%d %H:%M %Z"))
    console().print(table)
