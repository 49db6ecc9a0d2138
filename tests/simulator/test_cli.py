"""`python -m simulator` as a subprocess: ready line, serving, truth file, clean exit on SIGTERM."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import urllib.request
from pathlib import Path

from sim_helpers import port_for

PORT = port_for(18805)
ROOT = Path(__file__).resolve().parents[2]


def test_truth_only_writes_and_exits(tmp_path: Path) -> None:
    out = tmp_path / "truth.json"
    done = subprocess.run(
        [sys.executable, "-m", "simulator", "--truth", str(out), "--truth-only", "--sites", "3",
         "--today", "2012-06-30", "--faults", "none"],
        cwd=ROOT, capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    truth = json.loads(out.read_text(encoding="utf-8"))
    assert truth["today"] == "2012-06-30" and truth["faults"] == []
    assert [s["id"] for s in truth["sites"]] == ["portal", "jlc", "tzc"]


def test_bad_fault_name_is_a_usage_error() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "simulator", "--faults", "meteor", "--truth-only", "--truth", "x"],
        cwd=ROOT, capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert done.returncode == 2 and "meteor" in done.stderr


def test_subprocess_serves_until_sigterm(tmp_path: Path) -> None:
    proc = subprocess.Popen(
        [sys.executable, "-m", "simulator", "--port", str(PORT), "--sites", "2", "--quiet",
         "--truth", str(tmp_path / "t.json")],
        cwd=ROOT, stdout=subprocess.PIPE, text=True,
    )  # fmt: skip
    try:
        assert proc.stdout is not None
        line = proc.stdout.readline()
        assert line.startswith(f"ready http://127.0.0.2:{PORT}/"), line
        with urllib.request.urlopen(f"http://127.0.0.3:{PORT}/__sim__/clock", timeout=5) as r:
            assert json.load(r) == {"now": "2012-12-31T00:00:00"}
        with urllib.request.urlopen(f"http://127.0.0.2:{PORT}/", timeout=5) as r:
            assert "陕西省质量技术监督局" in r.read().decode("utf-8")
        assert (tmp_path / "t.json").exists()
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(timeout=10) == 0
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()


def test_a_busy_port_is_one_line() -> None:
    import socket

    with socket.socket() as holder:
        holder.bind(("127.0.0.2", 0))
        holder.listen()
        port = holder.getsockname()[1]
        done = subprocess.run(
            [sys.executable, "-m", "simulator", "--port", str(port), "--quiet"],
            cwd=ROOT, capture_output=True, text=True, timeout=60,
        )  # fmt: skip
    lines = done.stderr.strip().splitlines()
    assert done.returncode == 1 and len(lines) == 1, done.stderr
    assert str(port) in lines[0] and "address already in use" in lines[0]
