"""Options and loaders shared by several commands, with user errors as ClickException."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import click

from sitewatch.i18n import _

DEFAULT_CONFIG = "config/sites.yaml"
DEFAULT_DB = "data/sitewatch.db"
DEFAULT_STANDARD = "national"  # a shipped profile, by name (analysis/standards/profiles)
CONFIG_ENV = "SITEWATCH_CONFIG"


def config_option(func: Any) -> Any:
    """`--config FILE`: the site-group YAML (default $SITEWATCH_CONFIG or config/sites.yaml)."""
    return click.option(
        "--config",
        "config_path",
        type=click.Path(dir_okay=False, path_type=Path),
        default=lambda: os.environ.get(CONFIG_ENV, DEFAULT_CONFIG),
        show_default=f"${CONFIG_ENV} or {DEFAULT_CONFIG}",
        help="Site-group config file (YAML).",
    )(func)


def db_option(func: Any) -> Any:
    """`--db FILE`: the SQLite database (default: the config's storage.db)."""
    return click.option(
        "--db",
        "db_path",
        # readable=False: an unreadable database gets our one-line message, not a usage error
        type=click.Path(dir_okay=False, readable=False, path_type=Path),
        default=None,
        help=f"SQLite database file (default: the config's storage.db, else {DEFAULT_DB}).",
    )(func)


def site_option(func: Any) -> Any:
    """`--site ID` (repeatable): only these sites of the group."""
    return click.option(
        "--site", "site_ids", multiple=True, help="Only this site id (repeatable)."
    )(func)


def standard_option(func: Any) -> Any:
    """`--standard FILE`: the standard profile (default: the config's `standard:`)."""
    return click.option(
        "--standard",
        "standard",
        type=click.Path(dir_okay=False, path_type=Path),
        default=None,
        help=(
            "Standard profile: a shipped one by name (national, provincial-example) or a file "
            "(default: the config's `standard:`, else national)."
        ),
    )(func)


def resolve_standard(given: Path | None, group: Any | None) -> str | Path:
    """--standard, else the config's `standard:` (resolved beside the config), else national.

    A configured profile that is nowhere to be found stops here, naming the config file and
    every place looked in."""
    from analysis.standards.profile import is_profile_name

    if given is not None:
        return given
    if group is not None and group.standard and is_profile_name(group.standard):
        return str(group.standard)  # a shipped profile by name: `standard: provincial-example`
    configured = group.standard_path() if group is not None else None
    if configured is None:
        return DEFAULT_STANDARD
    if not configured.exists():
        raise click.ClickException(missing_standard(group))
    return configured


def missing_standard(group: Any) -> str:
    """`<config>: standard: <value>: no such file (looked in …)`."""
    value = Path(group.standard).expanduser()
    places = [Path.cwd() / value]
    if group.config_file is not None:
        config_dir = Path(group.config_file).absolute().parent
        places += [config_dir / value, config_dir.parent / value]
    return _(
        "{config}: standard: {value}: no such file (looked for {places}); give a path relative "
        "to the config file or an absolute one"
    ).format(
        config=group.config_file or "config",
        value=group.standard,
        places=", ".join(str(p) for p in dict.fromkeys(places)),
    )


def load_group(config_path: Path, *, every_problem: bool = False) -> Any:
    """Load and validate the site-group config, or stop with its one clear message (with
    `every_problem`, one line per problem: `validate` shows them all at once)."""
    from crawler.config import ConfigError, load_config

    if not config_path.exists() and str(config_path) == DEFAULT_CONFIG:
        raise click.ClickException(
            f"{config_path}: no such file (pass --config FILE, set ${CONFIG_ENV}, or copy "
            "config/sites.example.yaml to config/sites.yaml)"
        )
    try:
        return load_config(config_path)
    except ConfigError as exc:
        if every_problem:
            raise click.ClickException("\n".join(exc.problems)) from None
        hint = _("; `sitewatch validate` lists them all") if len(exc.problems) > 1 else ""
        raise click.ClickException(str(exc) + hint) from None


def select_sites(group: Any, site_ids: tuple[str, ...]) -> list[Any]:
    """The --site sites (all when none given), or stop naming the unknown id."""
    from crawler.config import ConfigError

    try:
        return group.select(list(site_ids)) if site_ids else list(group.sites)
    except ConfigError as exc:
        raise click.ClickException(str(exc)) from None


def resolve_db(db_path: Path | None, group: Any | None) -> Path:
    """The database path: --db, else the config's storage.db, else the default."""
    if db_path is not None:
        return db_path
    storage = getattr(group, "storage", None)
    configured = getattr(storage, "db", None) if storage is not None else None
    return Path(configured) if configured else Path(DEFAULT_DB)


def load_standard(path: str | Path) -> Any:
    """Load and validate a standard profile, or stop with its one clear message."""
    from analysis.standards.profile import ProfileError, load_profile

    try:
        return load_profile(path)
    except ProfileError as exc:
        raise click.ClickException(str(exc)) from None
