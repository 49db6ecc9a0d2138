"""Terminal output: rich consoles that never cut a table when the output is not a terminal."""

from __future__ import annotations

import sys

from rich.console import Console

# Off a terminal (a pipe, a log file, cron) there is no width to respect: a table is printed
# at its natural width instead of being squeezed into COLUMNS (or 80) and cut.
UNBOUNDED_WIDTH = 10_000


def console(*, stderr: bool = False) -> Console:
    """A console for stdout (or stderr): the terminal's width, else unbounded."""
    stream = sys.stderr if stderr else sys.stdout
    if stream.isatty():
        return Console(stderr=stderr)
    return Console(file=stream, width=UNBOUNDED_WIDTH, soft_wrap=True, color_system=None)
