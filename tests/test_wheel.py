"""The built wheel alone runs sitewatch from an empty folder outside the repository.

Builds the wheel from a copy of the checkout's files (the repository's own `build/` folder may
hold stale modules), installs it with its dependencies from the package index into a fresh
virtualenv, and runs `validate`, `demo --days 1`, `check --standard national` and `stats` in an
empty temporary folder: the standard profiles, the workday overrides, the demo config, the
report templates and the message catalogue must all come from the installed package.
Slow (minutes: the install fetches Scrapy, matplotlib, …): `pytest -m slow tests/test_wheel.py`.
"""

from __future__ import annotations

import json
import shutil
import socket
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CONFIG = """\
group: {name: 测试网站群}
standard: provincial-example
sites:
  - {id: s1, name: 站点一, unit_type: city, home_url: 'http://www.example.gov.cn/'}
"""

pytestmark = pytest.mark.slow


def run(*command: str | Path, cwd: Path, timeout: int = 900) -> str:
    """Run a command; its stdout, or fail the test with its stderr."""
    done = subprocess.run(
        [str(part) for part in command],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    assert done.returncode == 0, f"{command}: {done.stderr[-2000:] or done.stdout[-2000:]}"
    return done.stdout


def checkout_copy(target: Path) -> Path:
    """The checkout's files (tracked and new, not ignored) copied with their symlinks."""
    listed = subprocess.run(
        ["git", "ls-files", "-co", "--exclude-standard", "-z"],
        cwd=ROOT,
        capture_output=True,
        check=True,
    ).stdout.decode()
    for name in filter(None, listed.split("\0")):
        source = ROOT / name
        if not source.exists() and not source.is_symlink():
            continue  # deleted in the working tree
        destination = target / name
        destination.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(source, destination, follow_symlinks=False)
    return target


def free_port() -> int:
    """A port free on the simulated sites' loopback address."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.2", 0))
        return int(sock.getsockname()[1])


@pytest.fixture(scope="module")
def sitewatch(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The `sitewatch` script of a fresh virtualenv holding only the built wheel (and its deps)."""
    base = tmp_path_factory.mktemp("wheel")
    source = checkout_copy(base / "src")
    run(sys.executable, "-m", "pip", "wheel", ".", "--no-deps", "-w", base / "dist", cwd=source)
    (wheel,) = (base / "dist").glob("sitewatch-*.whl")
    run(sys.executable, "-m", "venv", base / "venv", cwd=base)
    run(base / "venv" / "bin" / "pip", "install", "-q", wheel, cwd=base)
    return base / "venv" / "bin" / "sitewatch"


def test_the_wheel_runs_from_an_empty_folder(sitewatch: Path, tmp_path: Path) -> None:
    (tmp_path / "mine.yaml").write_text(CONFIG, encoding="utf-8")
    validated = run(sitewatch, "validate", "--config", "mine.yaml", cwd=tmp_path)
    assert "provincial-example: ok" in validated
    listed = run(sitewatch, "validate", "--list-metrics", cwd=tmp_path)
    assert "stale_columns" in listed and "home_failure_rate" in listed

    run(sitewatch, "demo", "--days", "1", "--port", str(free_port()), cwd=tmp_path)
    assert (tmp_path / "reports" / "2012-12" / "report.html").is_file()

    db = ["--config", "mine.yaml", "--db", "data/demo.db"]
    checked = json.loads(
        run(sitewatch, "check", *db, "--standard", "national", "--format", "json", cwd=tmp_path)
    )
    assert checked["standard"] == "national" and len(checked["sites"]) == 12
    stats = json.loads(
        run(sitewatch, "stats", *db, "--month", "2012-12", "--format", "json", cwd=tmp_path)
    )
    assert len(stats["sites"]) == 12
