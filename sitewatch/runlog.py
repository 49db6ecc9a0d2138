"""Recording a command's run in `crawl_runs`, so `sitewatch runs` shows every run.

`crawl` records its own run (crawler/runner.py). probe, check and report record theirs here —
unless the scheduler started them: it records the run itself (also when the job is skipped or
its process dies) and says so with SITEWATCH_RUN_RECORDED in the child's environment.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

RECORDED_ENV = "SITEWATCH_RUN_RECORDED"
NOTE_CHARS = 500


@dataclass
class RunRecord:
    """The figures a run fills in while it works; written when it ends."""

    run_id: int | None
    figures: dict[str, Any] = field(default_factory=dict)


def recorded_by_parent() -> bool:
    """True when the scheduler records this run."""
    return os.environ.get(RECORDED_ENV) == "1"


@contextmanager
def recorded_run(
    db: Path, kind: str, clock: datetime, sites: Iterable[str] = (), *, enabled: bool = True
) -> Iterator[RunRecord]:
    """Record a run of `kind` at `clock`: ok when the block ends, failed (with why) when it
    raises, interrupted on Ctrl-C. Not recorded when `enabled` is False (a read-only copy)
    or the scheduler records it."""
    if not enabled or recorded_by_parent():
        yield RunRecord(None)
        return
    from crawler.store import Store, open_db

    store = Store(open_db(db))
    record = RunRecord(store.start_run(kind=kind, clock=clock, sites=list(sites)))
    assert record.run_id is not None
    try:
        yield record
    except KeyboardInterrupt:
        store.finish_run(record.run_id, status="interrupted", **record.figures)
        raise
    except BaseException as exc:
        if isinstance(exc, SystemExit) and exc.code in (0, None):
            store.finish_run(record.run_id, status="ok", **record.figures)
        else:
            why = getattr(exc, "message", None) or str(exc) or type(exc).__name__
            note = str(why).splitlines()[0][:NOTE_CHARS] if str(why) else type(exc).__name__
            store.finish_run(record.run_id, status="failed", **{**record.figures, "note": note})
        raise
    else:
        store.finish_run(record.run_id, status="ok", **record.figures)
    finally:
        store.conn.close()
