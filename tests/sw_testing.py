"""Shared end-to-end helpers: the simulator as a real subprocess, configs for its port, the CLI."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parent.parent
DEMO_CONFIG = ROOT / "config" / "demo.yaml"
READY_TIMEOUT = 60.0


def worker_port(base: int) -> int:
    """A free port, near `base` for this xdist worker when that one is free.

    Simulated sites share one port over many 127.0.0.x addresses, so the port must be free on
    all of them: a port that binds on the first and the last address is taken.
    """
    worker = os.environ.get("PYTEST_XDIST_WORKER", "gw0")
    preferred = base + 1000 * int(worker.removeprefix("gw") or 0)
    for candidate in (preferred, 0):
        port = bindable(candidate)
        if port:
            return port
    raise RuntimeError("no free port on loopback")


def bindable(port: int, hosts: tuple[str, ...] = ("127.0.0.2", "127.0.0.63")) -> int | None:
    """The port (a fresh one for 0) when it can be bound on the hosts, else None."""
    with socket.socket() as first:
        try:
            first.bind((hosts[0], port))
        except OSError:
            return None
        port = first.getsockname()[1]
        for host in hosts[1:]:
            with socket.socket() as other:
                try:
                    other.bind((host, port))
                except OSError:
                    return None
    return port


@dataclass
class Simulation:
    """A running simulator subprocess."""

    process: subprocess.Popen[str]
    port: int
    host_base: str

    def control_url(self) -> str:
        """The clock endpoint on the first site's host."""
        return f"http://{self.host_base}:{self.port}/__sim__/clock"

    def set_clock(self, now: str) -> None:
        """Move the simulated clock (ISO date or datetime)."""
        key = "now" if "T" in now else "today"
        request = urllib.request.Request(f"{self.control_url()}?{key}={now}", method="POST")
        with urllib.request.urlopen(request, timeout=10) as response:
            response.read()

    def truth(self) -> dict[str, Any]:
        """The ground truth at the current clock."""
        url = f"http://{self.host_base}:{self.port}/__sim__/truth"
        with urllib.request.urlopen(url, timeout=30) as response:
            return json.loads(response.read())


@contextmanager
def simulator(
    port: int,
    *,
    today: str = "2012-12-31",
    faults: str = "broken_links,outage",
    sites: int = 12,
    host_base: str = "127.0.0.2",
    extra: tuple[str, ...] = (),
) -> Iterator[Simulation]:
    """Run `python -m simulator` until the block ends (`extra`: more CLI options)."""
    command = [
        sys.executable,
        "-m",
        "simulator",
        "--port",
        str(port),
        "--today",
        today,
        "--faults",
        faults,
        "--sites",
        str(sites),
        "--host-base",
        host_base,
        "--quiet",
        *extra,
    ]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, text=True, cwd=ROOT)
    try:
        assert process.stdout is not None
        line = process.stdout.readline()
        if not line.startswith("ready"):
            raise RuntimeError(f"simulator did not start: {line!r}")
        yield Simulation(process, port, host_base)
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()


def demo_config(tmp_path: Path, port: int, **changes: Any) -> Path:
    """config/demo.yaml moved to another port, with top-level or defaults changes."""
    text = DEMO_CONFIG.read_text(encoding="utf-8").replace(":8800/", f":{port}/")
    data = yaml.safe_load(text)
    data.pop("standard", None)
    for key, value in changes.items():
        if key == "defaults":
            data["defaults"].update(value)
        elif key == "sites":
            data["sites"] = [site for site in data["sites"] if site["id"] in value]
        else:
            data[key] = value
    path = tmp_path / "group.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def sitewatch(*args: str, timeout: float = 600) -> subprocess.CompletedProcess[str]:
    """Run the real `sitewatch` CLI in a subprocess (Scrapy's reactor runs once per process)."""
    return subprocess.run(
        [sys.executable, "-m", "sitewatch", *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        cwd=ROOT,
        check=False,
    )
