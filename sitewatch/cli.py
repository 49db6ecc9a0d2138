"""The `sitewatch` command: a thin click layer over crawler/, analysis/ and simulator/."""

from __future__ import annotations

import errno
import os
import sqlite3
import sys

import click

from sitewatch import __version__, i18n
from sitewatch.i18n import _

# The language is chosen before the commands are built, so their --help speaks it too.
i18n.set_language(i18n.language_from_argv(sys.argv[1:]))
i18n.install_click()

from sitewatch.commands import register_all  # noqa: E402 - after the language is set

DEBUG_ENV = "SITEWATCH_DEBUG"
OS_HINTS = {
    errno.EACCES: _("check the permissions"),
    errno.EPERM: _("check the permissions"),
    errno.EROFS: _("the file system is read-only"),
    errno.ENOSPC: _("the disk is full: free some space and run again"),
    errno.EDQUOT: _("the disk quota is used up: free some space and run again"),
    errno.EFBIG: _("the file is larger than allowed: free some space or raise the limit"),
    errno.EADDRINUSE: _("the port is taken: pass --port N"),
}


class SitewatchGroup(click.Group):
    """The top-level group: what the system refuses (permissions, a full disk, a read-only or
    broken database) ends in one line, not a traceback. SITEWATCH_DEBUG=1 shows the traceback."""

    def invoke(self, ctx: click.Context) -> object:
        try:
            return super().invoke(ctx)
        except (OSError, sqlite3.Error) as exc:
            if os.environ.get(DEBUG_ENV):
                raise
            raise click.ClickException(system_error(exc)) from None


def system_error(exc: OSError | sqlite3.Error) -> str:
    """One line for an error the operating system or SQLite raised."""
    if isinstance(exc, OSError):
        where = exc.filename or ""
        reason = exc.strerror or str(exc)
        hint = OS_HINTS.get(exc.errno or 0, "")
        text = f"{where}: {reason}" if where else reason
    else:
        reason = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        text = _("the database reported: {reason}").format(reason=reason)
        if "locked" in reason or "busy" in reason:
            hint = _("another program holds the database; retry when it is done")
        else:
            hint = _("check the disk space and the permissions of the database and its folder")
    return f"{text} ({hint})" if hint else text


def choose_language(_ctx: click.Context, _param: click.Parameter, value: str | None) -> None:
    """`--lang` given after import time (e.g. by a test runner) still switches the messages."""
    if value is not None:
        i18n.set_language(value)


@click.group(
    cls=SitewatchGroup,
    context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100},
)
@click.version_option(__version__, prog_name="sitewatch")
@click.option(
    "--lang",
    type=click.Choice(i18n.LANGUAGES),
    default=None,
    is_eager=True,
    expose_value=False,
    callback=choose_language,
    help=_("Language of the messages: zh or en (default: from LANG / LC_ALL)."),
)
def cli() -> None:
    """Monitor a government website group: crawl, measure, check against a standard, report.

    \b
    Quick start on the built-in simulated group:
        sitewatch simulate &                       # serve the simulated group on 127.0.0.x
        sitewatch validate --config config/demo.yaml
    """


register_all(cli)
i18n.localize_help(cli)


def main() -> None:
    """Console-script entry point."""
    cli()


if __name__ == "__main__":  # pragma: no cover
    main()
