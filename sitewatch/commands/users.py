"""`sitewatch users`: console accounts (admin, reviewer, viewer)."""

from __future__ import annotations

import os
from datetime import datetime
from pathlib import Path

import click

from sitewatch.options import config_option, db_option

PASSWORD_ENV = "SITEWATCH_PASSWORD"


def users_db(config_path: Path, db_path: Path | None):
    """The database's connection (created and migrated when missing)."""
    from crawler.store import open_db
    from sitewatch.commands.check import optional_group
    from sitewatch.options import resolve_db

    return open_db(resolve_db(db_path, optional_group(config_path, db_path))).conn


def ask_password(name: str) -> str:
    """The password from $SITEWATCH_PASSWORD, else asked twice without echo."""
    given = os.environ.get(PASSWORD_ENV)
    if given:
        return given
    return click.prompt(f"password for {name}", hide_input=True, confirmation_prompt=True)


@click.group("users")
def users() -> None:
    """Console accounts: admins manage users, reviewers change findings and filings, viewers read.

    \b
    Example:
        sitewatch users add li --role reviewer --db data/demo.db
        sitewatch users list --db data/demo.db
    """


@users.command("add")
@config_option
@db_option
@click.argument("name")
@click.option("--role", type=click.Choice(["admin", "reviewer", "viewer"]), required=True)
def users_add(config_path: Path, db_path: Path | None, name: str, role: str) -> None:
    """Add an account; the password is read from $SITEWATCH_PASSWORD or asked for.

    \b
    Example:
        sitewatch users add li --role reviewer --db data/demo.db
        SITEWATCH_PASSWORD=... sitewatch users add ops --role viewer --db data/sitewatch.db
    """
    from sitewatch.web.auth import AccountError, add_user

    conn = users_db(config_path, db_path)
    try:
        add_user(conn, name, role, ask_password(name), datetime.now())
    except AccountError as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(f"用户 {name}（{role}）已添加")


@users.command("password")
@config_option
@db_option
@click.argument("name")
def users_password(config_path: Path, db_path: Path | None, name: str) -> None:
    """Set a new password for an account.

    \b
    Example:
        sitewatch users password li --db data/demo.db
    """
    from sitewatch.web.auth import AccountError, set_password

    conn = users_db(config_path, db_path)
    try:
        set_password(conn, name, ask_password(name))
    except AccountError as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(f"用户 {name} 的密码已更新")


@users.command("list")
@config_option
@db_option
def users_list(config_path: Path, db_path: Path | None) -> None:
    """List the accounts.

    \b
    Example:
        sitewatch users list --db data/demo.db
    """
    from sitewatch.web.auth import list_users

    for row in list_users(users_db(config_path, db_path)):
        state = "已停用" if row["disabled_at"] else "正常"
        click.echo(f"{row['name']}\t{row['role']}\t{state}\t{row['last_login_at'] or ''}")
