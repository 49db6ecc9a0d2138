"""One module per command group; `register_all` adds them to the top-level group."""

from __future__ import annotations

import click


def register_all(group: click.Group) -> None:
    """Attach every implemented command to the `sitewatch` group."""
    from simulator.cli import simulate
    from sitewatch.commands.agent import agent
    from sitewatch.commands.check import check
    from sitewatch.commands.columns import columns
    from sitewatch.commands.content_findings import add_content_commands
    from sitewatch.commands.crawl import crawl
    from sitewatch.commands.demo import demo
    from sitewatch.commands.findings import findings
    from sitewatch.commands.inspect_cmd import discover, inspect_command
    from sitewatch.commands.probe import probe
    from sitewatch.commands.report import report
    from sitewatch.commands.runs import runs
    from sitewatch.commands.schedule import schedule
    from sitewatch.commands.serve import serve
    from sitewatch.commands.stats import stats
    from sitewatch.commands.users import users
    from sitewatch.commands.validate import validate

    for command in (
        simulate,
        validate,
        crawl,
        probe,
        check,
        findings,
        stats,
        report,
        schedule,
        runs,
        columns,
        serve,
        users,
        inspect_command,
        discover,
        demo,
        agent,
    ):
        group.add_command(command)
    add_content_commands(findings)
