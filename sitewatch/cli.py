"""The `sitewatch` command: a thin click layer over crawler/, analysis/ and simulator/."""

from __future__ import annotations

import click

from sitewatch import __version__
from sitewatch.commands import register_all


@click.group(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(__version__, prog_name="sitewatch")
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
