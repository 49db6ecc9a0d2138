"""The `sitewatch` command: a thin click layer over crawler/, analysis/ and simulator/."""

from __future__ import annotations

import sys

import click

from sitewatch import __version__, i18n
from sitewatch.i18n import _

# The language is chosen before the commands are built, so their --help speaks it too.
i18n.set_language(i18n.language_from_argv(sys.argv[1:]))
i18n.install_click()

from sitewatch.commands import register_all  # noqa: E402 - after the language is set


def choose_language(_ctx: click.Context, _param: click.Parameter, value: str | None) -> None:
    """`--lang` given after import time (e.g. by a test runner) still switches the messages."""
    if value is not None:
        i18n.set_language(value)


@click.group(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
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


def main() -> None:
    """Console-script entry point."""
    cli()


if __name__ == "__main__":  # pragma: no cover
    main()
