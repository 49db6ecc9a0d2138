"""`sitewatch validate`: check a site-group config and its standard profiles before a run."""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Any

import click

from sitewatch.commands.check import level_name
from sitewatch.i18n import _, ngettext
from sitewatch.options import config_option, load_group, load_standard, resolve_standard


def check_content_files(group: Any) -> None:
    """The content checks' files (leaders, word lists) read without a mistake."""
    from crawler.content.dictionaries import ContentFileError
    from crawler.content.rules import check_content_files as check

    try:
        check(group)
    except ContentFileError as exc:
        raise click.ClickException(str(exc)) from None


def standard_paths(group: Any, explicit: tuple[Path, ...]) -> list[str | Path]:
    """The profiles to check: --standard files, else the config's `standard:` entry."""
    if explicit:
        return list(explicit)
    return [resolve_standard(None, group)] if group.standard else []


def unit_type_name(unit_type: str) -> str:
    """A unit type in the user's language."""
    names = {
        "province": _("province"),
        "department": _("department"),
        "city": _("city"),
        "county": _("county"),
        "affiliated": _("affiliated"),
    }
    return names.get(unit_type, unit_type)


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
    group = load_group(config_path, every_problem=True)
    check_content_files(group)
    by_type = Counter(site.unit_type for site in group.sites)
    columns = sum(len(site.columns or []) for site in group.sites)
    discovered = sum(1 for site in group.sites if not site.columns)
    click.echo(_("{config}: ok — {name}").format(config=config_path, name=group.group.name))
    kinds = _(", ").join(
        f"{count} {unit_type_name(str(kind))}" for kind, count in sorted(by_type.items())
    )
    sites = ngettext("{count} site", "{count} sites", len(group.sites)).format(
        count=len(group.sites)
    )
    click.echo(
        "  "
        + _("{sites} ({kinds}); {columns} columns configured, {discovered} discover theirs").format(
            sites=sites, kinds=kinds, columns=columns, discovered=discovered
        )
    )
    for path in standard_paths(group, standards):
        profile = load_standard(path)
        levels = Counter(rule.level for rule in profile.rules)
        counts = _(", ").join(
            f"{count} {level_name(str(level))}" for level, count in sorted(levels.items())
        )
        rules = ngettext("{count} rule", "{count} rules", len(profile.rules)).format(
            count=len(profile.rules)
        )
        click.echo(
            _("{path}: ok — {name}: {rules} ({counts})").format(
                path=path, name=profile.name, rules=rules, counts=counts
            )
        )
