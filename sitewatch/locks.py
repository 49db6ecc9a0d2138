"""Job locks: no two runs of the same job at once, across processes, surviving crashes.

A lock is `fcntl.flock` on `<db dir>/locks/<job>.lock`. The operating system drops it when the
holding process dies, so a crashed run never leaves a stale lock behind. The file's content
(pid, start time) only serves the "busy" message. The scheduler takes the lock itself and
hands the open descriptor to the job's subprocess (`SITEWATCH_LOCK_FD_<JOB>`): both share one
lock, and the command in the child re-acquires it instantly instead of waiting for its parent.
"""

from __future__ import annotations

import fcntl
import os
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import click

from sitewatch.i18n import _

LOCK_DIR = "locks"
POLL_SECONDS = 0.2
FD_ENV_PREFIX = "SITEWATCH_LOCK_FD_"


class LockBusy(Exception):
    """The job's lock is held by another process."""

    def __init__(self, job: str, path: Path, holder: str) -> None:
        super().__init__(f"another {job} run is in progress ({holder}; lock {path})")
        self.job = job
        self.path = path
        self.holder = holder


@dataclass
class JobLock:
    """A held lock: its file and open descriptor."""

    job: str
    path: Path
    fd: int

    def env(self) -> dict[str, str]:
        """Environment entries that let a child process share this lock."""
        return {fd_env_name(self.job): str(self.fd)}


def lock_path(db_path: str | Path, job: str) -> Path:
    """`<db dir>/locks/<job>.lock`, the database's real folder (symlinks resolved), so every
    path that names the same database names the same lock."""
    return Path(db_path).resolve().parent / LOCK_DIR / f"{job}.lock"


def fd_env_name(job: str) -> str:
    """The environment variable naming an inherited lock descriptor for this job."""
    return FD_ENV_PREFIX + job.upper()


def try_flock(fd: int) -> bool:
    """Take an exclusive flock without blocking; False when another holder has it."""
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return False
    return True


def inherited_lock(job: str, path: Path) -> JobLock | None:
    """The lock descriptor a parent passed down, when it really is this job's lock file."""
    value = os.environ.get(fd_env_name(job), "")
    if not value.isdigit():
        return None
    fd = int(value)
    try:
        same_file = os.path.samestat(os.fstat(fd), os.stat(path))
    except OSError:
        return None
    # flock succeeds at once on the parent's shared open file description.
    return JobLock(job, path, fd) if same_file and try_flock(fd) else None


def read_holder(path: Path) -> str:
    """Who holds the lock, from the file's content (best effort)."""
    try:
        text = path.read_text(encoding="utf-8").strip()
    except OSError:
        return "holder unknown"
    return text or "holder unknown"


def write_holder(fd: int) -> None:
    """Write our pid and start time into the lock file, for the "busy" message."""
    text = f"pid {os.getpid()} since {datetime.now():%Y-%m-%d %H:%M:%S}\n".encode()
    os.ftruncate(fd, 0)
    os.pwrite(fd, text, 0)


def acquire(db_path: str | Path, job: str, *, wait: bool, timeout: float | None = None) -> JobLock:
    """Take the job's lock; LockBusy when held elsewhere and not waiting (or timed out)."""
    path = lock_path(db_path, job)
    path.parent.mkdir(parents=True, exist_ok=True)
    inherited = inherited_lock(job, path)
    if inherited is not None:
        return inherited
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    deadline = None if timeout is None else time.monotonic() + timeout
    while not try_flock(fd):
        if not wait or (deadline is not None and time.monotonic() >= deadline):
            holder = read_holder(path)
            os.close(fd)
            raise LockBusy(job, path, holder)
        time.sleep(POLL_SECONDS)
    write_holder(fd)
    return JobLock(job, path, fd)


def release(lock: JobLock) -> None:
    """Drop the lock (closing our descriptor; an inherited one stays with the parent)."""
    if os.environ.get(fd_env_name(lock.job)) == str(lock.fd):
        return  # the parent owns this descriptor and releases it when the child is done
    os.close(lock.fd)


@contextmanager
def job_lock(
    db_path: str | Path, job: str, *, wait: bool, timeout: float | None = None
) -> Iterator[JobLock]:
    """Hold the job's lock for the block."""
    lock = acquire(db_path, job, wait=wait, timeout=timeout)
    try:
        yield lock
    finally:
        release(lock)


@contextmanager
def command_lock(db_path: str | Path, job: str, wait: bool) -> Iterator[None]:
    """`job_lock` for a CLI command: waiting says so on stderr, refusing is a ClickException.

    A database in a folder nobody may write needs no lock (no run can write to it either):
    read-only copies are read unlocked."""
    try:
        lock = acquire(db_path, job, wait=False)
    except LockBusy as busy:
        if not wait:
            raise click.ClickException(
                _(
                    "another {job} run is in progress ({holder}; lock {path}); "
                    "retry later, or pass --wait"
                ).format(job=job, holder=busy.holder, path=busy.path)
            ) from None
        click.echo(
            _("waiting: another {job} run is in progress ({holder})").format(
                job=job, holder=busy.holder
            ),
            err=True,
        )
        lock = acquire(db_path, job, wait=True)
    except OSError as exc:
        folder = Path(db_path).resolve().parent
        if not os.access(folder, os.W_OK):
            yield  # read-only folder: nothing can write this database, no lock is needed
            return
        raise click.ClickException(
            _("{path}: cannot create the job's lock: {reason}").format(
                path=lock_path(db_path, job), reason=exc.strerror
            )
        ) from None
    try:
        yield
    finally:
        release(lock)


def wait_option(func: Callable[..., Any]) -> Callable[..., Any]:
    """`--wait/--no-wait`: what to do when the same job already runs (default: wait)."""
    return click.option(
        "--wait/--no-wait",
        "wait",
        default=True,
        show_default=True,
        help=_("When the same job already runs (e.g. the scheduler's): wait for it, or refuse."),
    )(func)
