"""Redis for the distributed tests: the machine's own (a database of its own, flushed), or a
private `redis-server` a test can stop and start again; agents as real subprocesses."""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml
from sw_testing import ROOT

REDIS_HOST, REDIS_PORT = "127.0.0.1", 6379
REQUIRE_ENV = "SITEWATCH_REQUIRE_REDIS"
#: Databases 10-13 of the machine's Redis belong to these tests (one per xdist worker).
FIRST_DB = 10


def redis_answers(host: str, port: int) -> bool:
    """Whether a Redis server answers PING there."""
    try:
        import redis

        return bool(redis.Redis(host=host, port=port, socket_timeout=2).ping())
    except Exception:
        return False


def require_redis() -> None:
    """Skip with the reason where no Redis answers, unless CI demands one."""
    if redis_answers(REDIS_HOST, REDIS_PORT):
        return
    reason = f"no Redis answers at {REDIS_HOST}:{REDIS_PORT}"
    if os.environ.get(REQUIRE_ENV) == "1":
        pytest.fail(f"{reason}, and {REQUIRE_ENV}=1")
    pytest.skip(reason)


def test_db_number() -> int:
    """This xdist worker's Redis database."""
    worker = os.environ.get("PYTEST_XDIST_WORKER", "gw0")
    return FIRST_DB + int(worker.removeprefix("gw") or 0) % 4


@contextmanager
def machine_redis() -> Iterator[str]:
    """The machine's Redis, on a database of this test's own, empty before and after."""
    import redis

    require_redis()
    number = test_db_number()
    client = redis.Redis(host=REDIS_HOST, port=REDIS_PORT, db=number)
    client.flushdb()
    try:
        yield f"redis://{REDIS_HOST}:{REDIS_PORT}/{number}"
    finally:
        client.flushdb()


def free_port() -> int:
    """A free TCP port on loopback."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class PrivateRedis:
    """A redis-server of the test's own, persisted to its folder, that can be stopped."""

    port: int
    folder: Path
    process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        """Its URL."""
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        """Start it (again), with the data it saved when stopped."""
        binary = shutil.which("redis-server")
        assert binary is not None
        self.process = subprocess.Popen(
            [
                binary,
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--dir",
                str(self.folder),
                "--appendonly",
                "yes",
                "--save",
                "",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 10
        while not redis_answers("127.0.0.1", self.port):
            assert time.monotonic() < deadline, "private redis-server did not start"
            time.sleep(0.1)

    def stop(self) -> None:
        """Stop it cleanly (it writes its append-only file)."""
        if self.process is not None:
            self.process.send_signal(signal.SIGTERM)
            self.process.wait(timeout=10)
            self.process = None


@contextmanager
def private_redis(folder: Path) -> Iterator[PrivateRedis]:
    """A private Redis for tests that stop the broker; skipped where redis-server is missing."""
    if shutil.which("redis-server") is None:
        if os.environ.get(REQUIRE_ENV) == "1":
            pytest.fail(f"redis-server is not installed, and {REQUIRE_ENV}=1")
        pytest.skip("redis-server is not installed")
    server = PrivateRedis(free_port(), folder)
    server.start()
    try:
        yield server
    finally:
        server.stop()


@contextmanager
def agent(
    broker: str, *args: str, log: Path, env: dict[str, str] | None = None
) -> Iterator[subprocess.Popen[bytes]]:
    """`sitewatch agent` as a subprocess in a process group of its own (killed at the end)."""
    with log.open("ab") as out:
        process = subprocess.Popen(
            [sys.executable, "-m", "sitewatch", "agent", "--broker", broker, *args],
            stdout=out,
            stderr=subprocess.STDOUT,
            cwd=ROOT,
            env={**os.environ, **(env or {})},
            start_new_session=True,
        )
    try:
        yield process
    finally:
        kill_group(process)


def kill_group(process: subprocess.Popen[bytes], sig: int = signal.SIGKILL) -> None:
    """Signal an agent and every child it started (crawls run in child processes)."""
    if process.poll() is None:
        try:
            os.killpg(process.pid, sig)
        except ProcessLookupError:
            return
        process.wait(timeout=15)


def cluster_config(config: Path, broker: str, **cluster: object) -> Path:
    """The test's group config with a `cluster:` section."""
    data = yaml.safe_load(config.read_text(encoding="utf-8"))
    data["cluster"] = {"broker": broker, **cluster}
    kept = {site["id"] for site in data["sites"]}
    for site in data["sites"]:  # a subset of the group: parents left out are not referred to
        if site.get("parent") not in kept:
            site.pop("parent", None)
    config.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), "utf-8")
    return config
