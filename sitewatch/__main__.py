"""`python -m sitewatch` runs the CLI."""

from sitewatch.cli import main

main()
