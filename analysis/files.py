"""Writing output files safely: never half-written, never through a planted symlink."""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Callable
from pathlib import Path

FILE_MODE = 0o644


def atomic_write(path: Path, write: Callable[[Path], object]) -> Path:
    """Let `write(tmp)` fill a temporary file beside `path`, then rename it onto `path`.

    The rename is atomic: readers see the old file or the new one, never a partial one, and a
    crash leaves only a hidden temporary file. A symlink planted at `path` is replaced by the
    new file; its target is never opened. Errors (read-only folder, full disk) propagate as
    OSError after the temporary file is removed.
    """
    fd, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=path.suffix, dir=path.parent)
    os.close(fd)
    tmp = Path(name)
    try:
        write(tmp)
        os.chmod(tmp, FILE_MODE)  # mkstemp creates 0600; reports are meant to be shared
        with open(tmp, "rb") as handle:
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise
    return path
