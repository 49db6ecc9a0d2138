"""`sitewatch inspect` and `sitewatch discover`: what the extractor sees on one page."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from urllib.parse import urlsplit

import click
import yaml

from crawler.limits import FETCH_DEADLINE
from sitewatch.clock import DATE


def read_page(source: str, base_url: str | None, timeout: float) -> tuple[bytes, str, str | None]:
    """The page's bytes, its base URL and content type, from a URL or a file."""
    from crawler.fetch import FetchError, fetch

    if urlsplit(source).scheme in ("http", "https"):
        try:
            page = fetch(source, deadline=timeout)
        except FetchError as exc:
            raise click.ClickException(f"{source}: cannot fetch: {exc}") from None
        return page.body, base_url or page.url, page.content_type
    path = Path(source)
    if not path.is_file():
        raise click.ClickException(f"{source}: no such file (give a page URL or an HTML file)")
    return path.read_bytes(), base_url or path.resolve().as_uri(), None


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
def inspect_command(
    source: str,
    base_url: str | None,
    encoding: str | None,
    today: date | None,
    as_json: bool,
    timeout: float,
) -> None:
    """Show what the extractor sees on one page (URL or saved HTML FILE).

    The tool to reach for when a site is not extracted right: page type, the main list's
    items with dates, pagination, a detail page's date and source, mailbox letters, and the
    columns of a home page.

    \b
    Examples:
        sitewatch inspect http://127.0.0.2:8800/gzdt/
        sitewatch inspect saved.html --url http://www.example.gov.cn/tzgg/ --json
    """
    from crawler.extract.inspect import inspect_page

    body, url, content_type = read_page(source, base_url, timeout)
    result = inspect_page(
        body, url, encoding=encoding, content_type=content_type, today=today or date.today()
    )
    if as_json:
        click.echo(json.dumps(result, ensure_ascii=False, indent=2))
        return
    click.echo(f"page type: {result['page_type']}   url: {url}")
    for label, key in (("items", "items"), ("letters", "consultations"), ("columns", "columns")):
        rows = result[key]
        if rows:
            click.echo(f"{label} ({len(rows)}):")
            for row in rows:
                click.echo("  " + "  ".join(str(v) for v in row.values() if v is not None))
    pagination = result["pagination"]
    if pagination["next"] or pagination["total_pages"]:
        click.echo(f"pagination: next {pagination['next']}  total {pagination['total_pages']}")
    if result["detail"]:
        detail = result["detail"]
        click.echo(f"detail: {detail['title']}  date {detail['date']}  source {detail['source']}")


@click.command("discover")
@click.argument("url")
@click.option("--id", "site_id", default=None, help="Site id for the YAML block (default: host).")
@click.option("--name", default=None, help="Site name for the YAML block (default: page title).")
@click.option("--timeout", default=FETCH_DEADLINE, show_default=True, help="Seconds to wait.")
def discover(url: str, site_id: str | None, name: str | None, timeout: float) -> None:
    """Print a ready-to-edit YAML block for a site, with its discovered columns.

    \b
    Example:
        sitewatch discover http://127.0.0.2:8800/ >> config/sites.yaml
    """
    from crawler.config import slug_from_url
    from crawler.config.checks import url_host
    from crawler.extract.columns import discover_columns
    from crawler.extract.encoding import decode_html

    body, base, content_type = read_page(url, None, timeout)
    html, _codec = decode_html(body, content_type)
    title = name or page_title(html) or url_host(url)
    host = url_host(base)
    columns = [
        {"name": c.name, "id": slug_from_url(c.url), "url": c.url, "category": str(c.category)}
        for c in discover_columns(html, base)
        if url_host(c.url) == host
    ]
    block = {
        "id": site_id or host.replace(".", "-")[:63],
        "name": title,
        "unit_type": "department",
        "home_url": url,
        "columns": columns,
    }
    click.echo("# Check unit_type, name and each column's category before use.")
    click.echo(yaml.safe_dump([block], allow_unicode=True, sort_keys=False).rstrip())


def page_title(html: str) -> str | None:
    """The <title> of a page, without the usual ' - site name' suffix."""
    import lxml.html

    try:
        titles = lxml.html.document_fromstring(html).xpath("//title/text()")
    except (ValueError, lxml.etree.ParserError):
        return None
    return str(titles[0]).strip() if titles else None
