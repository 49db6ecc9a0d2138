"""`sitewatch inspect` and `sitewatch discover`: what the extractor sees on one page."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import click
import yaml

from crawler.limits import FETCH_DEADLINE
from sitewatch.clock import DATE
from sitewatch.discovery import guess_unit_type, is_pagination, robots_url
from sitewatch.i18n import _

HTTP_OK = 200
HTTP_ERROR = 400


@dataclass(frozen=True)
class Page:
    """A page read for inspect/discover: body, URL, content type and HTTP status (None: file)."""

    body: bytes
    url: str
    content_type: str | None
    status: int | None = None

    @property
    def failed(self) -> bool:
        """The server answered with an error page (4xx/5xx)."""
        return self.status is not None and self.status >= HTTP_ERROR


def read_page(source: str, base_url: str | None, timeout: float) -> Page:
    """The page from a URL or a file; a fetch that fails outright stops in one line."""
    from crawler.fetch import FetchError, fetch

    if urlsplit(source).scheme in ("http", "https"):
        try:
            page = fetch(source, deadline=timeout)
        except FetchError as exc:
            raise click.ClickException(
                _("{url}: cannot fetch: {reason}").format(url=source, reason=exc)
            ) from None
        return Page(page.body, base_url or page.url, page.content_type, page.status)
    path = Path(source)
    if not path.is_file():
        raise click.ClickException(
            _("{source}: no such file (give a page URL or an HTML file)").format(source=source)
        )
    return Page(path.read_bytes(), base_url or path.resolve().as_uri(), None)


def error_page(source: str, page: Page) -> click.ClickException:
    """The one line for a URL that answered with an HTTP error."""
    return click.ClickException(
        _("{url}: HTTP {status}: the server answered with an error page, not the page").format(
            url=source, status=page.status
        )
    )


@click.command("inspect")
@click.argument("source")
@click.option("--url", "base_url", help="The page's real URL (base for relative links) for a FILE.")
@click.option("--encoding", help="Decode the page with this charset instead of detecting it.")
@click.option(
    "--today", type=DATE, default=None, help="Reject dates after this day (default: today)."
)
@click.option("--json", "as_json", is_flag=True, help="Print the stable JSON shape.")
@click.option(
    "--timeout", default=FETCH_DEADLINE, show_default=True, help="Seconds to wait for a URL."
)
@click.option(
    "--explain", is_flag=True, help="Also print the candidate lists and dates with their scores."
)
def inspect_command(
    source: str,
    base_url: str | None,
    encoding: str | None,
    today: date | None,
    as_json: bool,
    timeout: float,
    explain: bool,
) -> None:
    """Show what the extractor sees on one page (URL or saved HTML FILE).

    The tool to reach for when a site is not extracted right: page type, the main list's
    items with dates, pagination, a detail page's date and source, mailbox letters, and the
    columns of a home page.

    \b
    Examples:
        sitewatch inspect http://127.0.0.2:8800/gzdt/
        sitewatch inspect saved.html --url http://www.example.gov.cn/tzgg/ --json
        sitewatch inspect saved.html --url http://www.example.gov.cn/tzgg/ --explain
    """
    from crawler.extract.inspect import inspect_page

    page = read_page(source, base_url, timeout)
    if page.failed:
        raise error_page(source, page)
    url = page.url
    result = inspect_page(
        page.body,
        url,
        encoding=encoding,
        content_type=page.content_type,
        today=today or date.today(),
    )
    if explain:
        from crawler.extract.inspect import explain_page

        why = explain_page(page.body, url, encoding=encoding, today=today or date.today())
    if as_json:
        shown = {**result, "http_status": page.status, **({"explain": why} if explain else {})}
        click.echo(json.dumps(shown, ensure_ascii=False, indent=2))
        return
    status = "" if page.status is None else _("   HTTP status: {status}").format(status=page.status)
    click.echo(
        _("page type: {type}   url: {url}").format(
            type=page_type_name(result["page_type"]), url=url
        )
        + status
    )
    sections = ((_("items"), "items"), (_("letters"), "consultations"), (_("columns"), "columns"))
    for label, key in sections:
        rows = result[key]
        if rows:
            click.echo(f"{label} ({len(rows)}):")
            for row in rows:
                click.echo("  " + "  ".join(str(v) for v in row.values() if v is not None))
    pagination = result["pagination"]
    if pagination["next"] or pagination["total_pages"]:
        click.echo(
            _("pagination: next {next}  total {total}").format(
                next=pagination["next"], total=pagination["total_pages"]
            )
        )
    if result["detail"]:
        detail = result["detail"]
        click.echo(
            _("detail: {title}  date {date}  source {source}").format(
                title=detail["title"], date=detail["date"], source=detail["source"]
            )
        )
    if explain:
        echo_explanation(why)


def echo_explanation(why: dict[str, Any]) -> None:
    """Candidate lists and detail dates with their scores (crawler.extract.inspect)."""
    click.echo(_("candidate lists (best first):"))
    for row in why["lists"]:
        mark = "*" if row["chosen"] else " "
        counts = f"{row['items']}/{row['dated']}"
        click.echo(f" {mark} {row['score']:>7}  {row['where']}  {counts}  {row['first']}")
    if why["dates"]:
        click.echo(_("candidate dates (best first):"))
        for row in why["dates"]:
            reasons = _(", ").join(reason_name(r) for r in row["reasons"])
            click.echo(f"   {row['score']:>5}  {row['date']}  [{reasons}]  …{row['context']}…")
    click.echo(_("pager form: {form}").format(form=row_form(why)))


def reason_name(reason: str) -> str:
    """One piece of date evidence (crawler.extract.detail_dates.WEIGHTS) in the user's language."""
    names = {
        "publish label": _("publish label"),
        "date label": _("date label"),
        "document label": _("document date label"),
        "other label": _("label of another date"),
        "previous/next article": _("previous/next article"),
        "bracketed note": _("bracketed note"),
        "under headline": _("under the headline"),
        "near headline": _("near the headline"),
        "before headline": _("before the headline"),
        "first under headline": _("first under the headline"),
        "meta line": _("in the line with the source"),
        "in prose": _("in running text"),
        "list record": _("in a list entry"),
        "time of day": _("with a time of day"),
        "date element": _("in a date element"),
        "agrees with url": _("agrees with the address"),
        "agrees with meta": _("agrees with the page metadata"),
    }
    return names.get(reason, reason)


def row_form(why: dict[str, Any]) -> str:
    """The pager form, with the adapter or 'not followable' when that applies."""
    form = why["pagination_form"] or "-"
    if why["adapter"]:
        form += f" ({why['adapter']})"
    if not why["followable"]:
        form += " " + _("(cannot be followed by URL)")
    return form


def page_type_name(page_type: str) -> str:
    """A page type in the user's language."""
    names = {
        "home": _("home page"),
        "list": _("list page"),
        "detail": _("detail page"),
        "consultation_list": _("list of letters"),
        "consultation_detail": _("a letter and its reply"),
        "other": _("other"),
    }
    return names.get(page_type, page_type)


@click.command("discover")
@click.argument("url")
@click.option("--id", "site_id", default=None, help="Site id for the YAML block (default: host).")
@click.option("--name", default=None, help="Site name for the YAML block (default: page title).")
@click.option("--timeout", default=FETCH_DEADLINE, show_default=True, help="Seconds to wait.")
def discover(url: str, site_id: str | None, name: str | None, timeout: float) -> None:
    """Print a ready-to-edit YAML block for a site, with its discovered columns.

    Only columns that answer, that robots.txt allows, and that are not pages of a list are
    proposed (the others are listed in a comment); the unit type is guessed from the name
    (省/市/县/处/中心/院). Exit code 1 when the page itself is an error page.

    \b
    Example:
        sitewatch discover http://127.0.0.2:8800/ >> config/sites.yaml
    """
    from crawler.config.checks import url_host
    from crawler.extract.columns import discover_columns
    from crawler.extract.encoding import decode_html

    page = read_page(url, None, timeout)
    if page.failed:
        raise error_page(url, page)
    html, _codec = decode_html(page.body, page.content_type)
    title = name or page_title(html) or url_host(url)
    host = url_host(page.url)
    found = [c for c in discover_columns(html, page.url) if url_host(c.url) == host]
    robots = read_robots(page.url, timeout)
    columns, left_out = [], []
    for column in found:
        why = column_problem(column.name, column.url, robots, timeout)
        if why:
            left_out.append(f"#   {column.name}  {column.url}  ({why})")
        else:
            columns.append(column_entry(column))
    block = {
        "id": site_id or host.replace(".", "-")[:63],
        "name": title,
        "unit_type": guess_unit_type(title),
        "home_url": url,
        "columns": columns,
    }
    click.echo(_("# Check unit_type, name and each column's category before use."))
    if left_out:
        click.echo(_("# Links left out (not columns, or not reachable):"))
        click.echo("\n".join(left_out))
    click.echo(yaml.safe_dump([block], allow_unicode=True, sort_keys=False).rstrip())


def column_entry(column: Any) -> dict[str, str]:
    """A column's YAML entry."""
    from crawler.config import slug_from_url

    return {
        "name": column.name,
        "id": slug_from_url(column.url),
        "url": column.url,
        "category": str(column.category),
    }


def read_robots(url: str, timeout: float) -> Any | None:
    """The host's robots.txt rules (Protego), None when it has none or cannot be read."""
    from protego import Protego

    from crawler.fetch import FetchError, fetch

    try:
        answer = fetch(robots_url(url), deadline=timeout)
    except FetchError:
        return None
    if answer.status != HTTP_OK:
        return None
    return Protego.parse(answer.body.decode("utf-8", errors="replace"))


def column_problem(name: str, url: str, robots: Any | None, timeout: float) -> str | None:
    """Why a candidate is not proposed as a column (pager, robots.txt, HTTP error), or None."""
    from crawler.config.models import DEFAULT_USER_AGENT
    from crawler.fetch import FetchError, fetch

    if is_pagination(name, url):
        return _("a page of a list, not a column")
    if robots is not None and not robots.can_fetch(url, DEFAULT_USER_AGENT):
        return _("disallowed by robots.txt")
    try:
        answer = fetch(url, deadline=timeout)
    except FetchError as exc:
        return _("not reachable: {reason}").format(reason=exc)
    if answer.status >= HTTP_ERROR:
        return _("HTTP {status}").format(status=answer.status)
    return None


def page_title(html: str) -> str | None:
    """The <title> of a page, without the usual ' - site name' suffix."""
    import lxml.html

    try:
        titles = lxml.html.document_fromstring(html).xpath("//title/text()")
    except (ValueError, lxml.etree.ParserError):
        return None
    return str(titles[0]).strip() if titles else None
