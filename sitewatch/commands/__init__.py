"""One module per command group; `register_all` adds them to the top-level group."""

from __future__ import annotations

import click


def register_all(group: click.Group) -> None:
    """Attach every implemented command to the `sitewatch` group."""
    from simulator.cli import simulate
    from sitewatch.commands.validate import validate

    group.add_command(simulate)
    group.add_command(validate)
