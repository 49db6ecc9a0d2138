"""`sitewatch findings content|confirm|reject`: the human review of content-check findings.

Content checks (错敏信息) are machine judgements a person confirms (已确认) or rejects (误报);
until then a finding is 待确认 and, by the profile's `require_confirmation`, does not veto.
These subcommands join the `findings` group of sitewatch/commands/findings.py.
"""

from __future__ import annotations

import getpass
from datetime import datetime
from pathlib import Path

import click

from sitewatch.clock import DATETIME
from sitewatch.i18n import _
from sitewatch.options import config_option, db_option

REVIEW_NAMES = {"pending": "待确认", "confirmed": "已确认", "rejected": "误报"}
SEVERITY_NAMES = {"serious": "严重", "suspected": "疑似"}
REVIEW_CHOICES = ("pending", "confirmed", "rejected")


def _review(
    config_path: Path,
    db_path: Path | None,
    finding_ids: tuple[int, ...],
    review: str,
    note: str,
    actor: str | None,
    now: datetime | None,
) -> None:
    from crawler.content.store import UnknownFindingError, review_finding
    from sitewatch.commands.findings import findings_db

    conn = findings_db(config_path, db_path)
    moment = now or datetime.now()
    for finding_id in finding_ids:
        try:
            review_finding(
                conn, finding_id, review, by=actor or getpass.getuser(), note=note, now=moment
            )
        except UnknownFindingError:
            raise click.ClickException(
                _("no content finding has the ID {id}").format(id=finding_id)
            ) from None
        click.echo(_("content finding {id}: {state}").format(id=finding_id, state=_state(review)))


def _state(review: str) -> str:
    return REVIEW_NAMES.get(review, review)


def review_options(func: click.decorators.FC) -> click.decorators.FC:
    """Options shared by confirm and reject."""
    for option in reversed(
        [
            config_option,
            db_option,
            click.argument("finding_ids", type=int, nargs=-1, required=True),
            click.option("--by", "actor", default=None, help=_("Who reviews (default: $USER).")),
            click.option("--now", type=DATETIME, default=None, help=_("Time of the review.")),
        ]
    ):
        func = option(func)
    return func


@click.command("confirm")
@review_options
@click.option("--note", default="", help=_("What was checked."))
def confirm(
    config_path: Path,
    db_path: Path | None,
    finding_ids: tuple[int, ...],
    actor: str | None,
    now: datetime | None,
    note: str,
) -> None:
    """Confirm content findings (已确认): a confirmed serious finding vetoes.

    \b
    Example:
        sitewatch findings confirm 3 --note "已核实，领导姓名写错" --db data/demo.db
    """
    _review(config_path, db_path, finding_ids, "confirmed", note, actor, now)


@click.command("reject")
@review_options
@click.option("--note", required=True, help=_("Why it is a false alarm (required)."))
def reject(
    config_path: Path,
    db_path: Path | None,
    finding_ids: tuple[int, ...],
    actor: str | None,
    now: datetime | None,
    note: str,
) -> None:
    """Reject content findings as false alarms (误报): they never count again.

    \b
    Example:
        sitewatch findings reject 5 --note "同名人员，非本局领导" --db data/demo.db
    """
    _review(config_path, db_path, finding_ids, "rejected", note, actor, now)


@click.command("content")
@config_option
@db_option
@click.option(
    "--review",
    "reviews",
    multiple=True,
    type=click.Choice(REVIEW_CHOICES),
    help=_("Only findings in this review state (repeatable)."),
)
@click.option("--site", "site_id", default=None, help=_("Only this site id."))
def content(
    config_path: Path, db_path: Path | None, reviews: tuple[str, ...], site_id: str | None
) -> None:
    """List content findings (错敏信息) with their ID, severity and review state.

    \b
    Example:
        sitewatch findings content --review pending --db data/demo.db
    """
    from sitewatch.commands.findings import findings_db

    conn = findings_db(config_path, db_path)
    sql = (
        "SELECT id, site_id, severity, review, check_kind, term, suggestion, page_url"
        " FROM content_findings WHERE (? IS NULL OR site_id = ?) ORDER BY id"
    )
    rows = [
        row for row in conn.execute(sql, (site_id, site_id)) if not reviews or row[3] in reviews
    ]
    if not rows:
        click.echo(_("No content findings."))
        return
    for fid, site, severity, review, _kind, term, suggestion, url in rows:
        advice = f" → {suggestion}" if suggestion else ""
        click.echo(
            f"{fid}\t{site}\t{SEVERITY_NAMES.get(severity, severity)}\t{_state(review)}"
            f"\t{term}{advice}\t{url}"
        )


def add_content_commands(group: click.Group) -> None:
    """Attach the content-finding review commands to the `findings` group."""
    for command in (content, confirm, reject):
        group.add_command(command)
