"""`sitewatch validate`: check a site-group config and its standard profiles before a run."""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Any

import click

from sitewatch.options import config_option, load_group, load_standard


def standard_paths(group: Any, explicit: tuple[Path, ...]) -> list[Path]:
    """The profiles to check: --standard files, else the config's `standard:` entry."""
    if explicit:
        return list(explicit)
    configured = group.standard_path()
    return [configured] if configured else []


def list_metrics(ctx: click.Context, _param: click.Parameter, value: bool) -> None:
    """`--list-metrics`: print the metric catalogue (from the registry) and stop."""
    if not value or ctx.resilient_parsing:
        return
    from analysis.standards.catalog import catalogue_lines

    click.echo("\n".join(catalogue_lines()))
    ctx.exit()


@click.command("validate")
@click.option(
    "--list-metrics",
    is_flag=True,
    is_eager=True,
    expose_value=False,
    callback=list_metrics,
    help="Print every metric a profile rule may test (name, scope, parameters) and exit.",
)
@config_option
@click.option(
    "--standard",
    "standards",
    multiple=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="Standard profile(s) to check too (default: the config's `standard:`).",
)
def validate(config_path: Path, standards: tuple[Path, ...]) -> None:
    """Validate a site-group config and standard profiles; exit 1 with one clear message if bad.

    \b
    Example:
        sitewatch validate --config config/demo.yaml --standard config/standards/national.yaml
        sitewatch validate --list-metrics
    """
    group = load_group(config_path)
    by_type = Counter(site.unit_type for site in group.sites)
    columns = sum(len(site.columns or []) for site in group.sites)
    discovered = sum(1 for site in group.sites if not site.columns)
    click.echo(f"{config_path}: ok — {group.group.name}")
    click.echo(
        f"  {len(group.sites)} sites ("
        + ", ".join(f"{count} {kind}" for kind, count in sorted(by_type.items()))
        + f"); {columns} columns configured, {discovered} sites discover their columns"
    )
    for path in standard_paths(group, standards):
        profile = load_standard(path)
        levels = Counter(rule.level for rule in profile.rules)
        click.echo(
            f"{path}: ok — {profile.name}: {len(profile.rules)} rules ("
            + ", ".join(f"{count} {level}" for level, count in sorted(levels.items()))
            + ")"
        )
