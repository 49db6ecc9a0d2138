"""`sitewatch demo`: the whole monthly job on the built-in simulated group, as a time-lapse.

The simulator's clock walks through December 2012 day by day: every simulated day gets 24
hourly probe rounds and an incremental crawl with `--now` set to the simulated time, so
first-seen times, outages and availability are real data of that month. Then the month's
check (and, once available, the report) runs on what was collected.
"""

from __future__ import annotations

import json
import subprocess
import sys
import urllib.request
from datetime import date, datetime, timedelta
from importlib import resources
from pathlib import Path

import click
from rich.console import Console
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

from sitewatch.i18n import _

DEMO_CONFIG = Path("config/demo.yaml")
DEMO_FILES = ("demo.yaml", "leaders.yaml")  # package data of sitewatch.demo (config/ copies)
DEMO_DB = Path("data/demo.db")
DEMO_TRUTH = Path("data/demo-truth.json")
BASELINE_DAY = date(2012, 11, 30)
# HTTPS/IPv6 face of the simulated group (simulator/transport.py): its CA and config block.
DEMO_TLS = Path("data/demo-tls")
DEMO_TRANSPORT_EVERY_H = 168  # weekly in the time-lapse: the cases do not change in December
READY_PREFIX = "ready"


class Simulator:
    """The simulated group as a subprocess, with its clock under our control."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.process: subprocess.Popen[str] | None = None

    def start(self, today: date) -> None:
        command = [sys.executable, "-m", "simulator", "--today", today.isoformat()]
        command += ["--port", str(self.port), "--quiet", "--transport", str(DEMO_TLS)]
        self.process = subprocess.Popen(
            command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
        )
        assert self.process.stdout is not None
        line = self.process.stdout.readline()
        if not line.startswith(READY_PREFIX):
            self.stop()
            raise click.ClickException(self.failure())

    def failure(self) -> str:
        """One line on why the simulator did not start: a busy port, or its last error line."""
        assert self.process is not None
        try:
            _out, err = self.process.communicate(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            _out, err = self.process.communicate()
        if "Errno 98" in err or "address already in use" in err.lower():
            return _(
                "port {port} is already in use on the simulated sites' addresses (127.0.0.x): "
                "pass --port N (make demo PORT=N)"
            ).format(port=self.port)
        lines = [text for text in err.strip().splitlines() if text.strip()]
        reason = lines[-1].strip() if lines else _("it exited without a word")
        return _("the simulator did not start on port {port}: {reason}").format(
            port=self.port, reason=reason
        )

    def set_clock(self, now: datetime) -> None:
        url = f"http://127.0.0.2:{self.port}/__sim__/clock?now={now.isoformat()}"
        request = urllib.request.Request(url, method="POST")
        with urllib.request.urlopen(request, timeout=10) as response:
            response.read()

    def truth(self) -> dict[str, object]:
        url = f"http://127.0.0.2:{self.port}/__sim__/truth"
        with urllib.request.urlopen(url, timeout=60) as response:
            return json.loads(response.read())

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()


def run_cli(*args: str) -> subprocess.CompletedProcess[str]:
    """Run one `sitewatch` command as its own process (Scrapy's reactor starts once per process)."""
    return subprocess.run(
        [sys.executable, "-m", "sitewatch", *args], capture_output=True, text=True, check=False
    )


def must(result: subprocess.CompletedProcess[str], what: str) -> str:
    """The command's output, or stop the demo with its error."""
    if result.returncode != 0:
        details = result.stderr[-3000:] or result.stdout
        raise click.ClickException(_("{what} failed:").format(what=what) + "\n" + details)
    return result.stdout


def crawl_day(config: Path, db: Path, now: datetime) -> str:
    """One incremental crawl on the simulated clock; returns its summary line."""
    out = must(
        run_cli("crawl", "--config", str(config), "--db", str(db), "--now", now.isoformat(), "-q"),
        f"crawl at {now:%Y-%m-%d %H:%M}",
    )
    return out.strip().splitlines()[-1] if out.strip() else ""


def probe_day(sim: Simulator, config: Path, db: Path, day: date) -> int:
    """24 hourly probe rounds of one simulated day; returns how many visits failed."""
    from crawler.config import load_config
    from sitewatch.commands.probe import recorded_round

    group = load_config(config)
    failures = 0
    for hour in range(24):
        clock = datetime.combine(day, datetime.min.time()) + timedelta(hours=hour, minutes=30)
        sim.set_clock(clock)
        results = recorded_round(db, group, group.sites, clock)
        failures += sum(1 for r in results if not r.ok)
    return failures


def demo_config(port: int) -> Path:
    """config/demo.yaml of a checkout; elsewhere the copy shipped in the package, written with
    its leader list to data/demo/config/ (its relative paths resolve there). Moved to `port`."""
    source = DEMO_CONFIG
    if not source.exists():
        folder = Path("data/demo/config")
        folder.mkdir(parents=True, exist_ok=True)
        for name in DEMO_FILES:
            (folder / name).write_bytes(
                resources.files("sitewatch.demo").joinpath(name).read_bytes()
            )
        source = folder / "demo.yaml"
    if port == 8800:
        return source
    config = Path("data/demo-port.yaml") if source == DEMO_CONFIG else source.parent / "port.yaml"
    config.parent.mkdir(parents=True, exist_ok=True)
    text = source.read_text(encoding="utf-8").replace(":8800/", f":{port}/")
    config.write_text(text, encoding="utf-8")
    return config


def with_transport(config: Path) -> Path:
    """The demo config plus the running simulator's `transport:` block (its CA, ports and
    simulated AAAA records), so the probe checks HTTPS and IPv6 too; written next to it."""
    import yaml

    data = yaml.safe_load(config.read_text(encoding="utf-8"))
    block = yaml.safe_load((DEMO_TLS / "transport.yaml").read_text(encoding="utf-8"))
    data["transport"] = {**block["transport"], "every_hours": DEMO_TRANSPORT_EVERY_H}
    merged = Path("data/demo-transport.yaml") if config.parent == DEMO_CONFIG.parent else None
    merged = merged or config.parent / "transport.yaml"
    merged.parent.mkdir(parents=True, exist_ok=True)
    text = yaml.safe_dump(data, allow_unicode=True, sort_keys=False)
    merged.write_text(text, encoding="utf-8")
    return merged


@click.command("demo")
@click.option(
    "--port",
    default=8800,
    show_default=True,
    type=click.IntRange(1, 65535),
    help=_("Port of the simulated group (make demo PORT=N)."),
)
@click.option(
    "--days", default=31, show_default=True, type=click.IntRange(1, 31), help="Days of December."
)
@click.option(
    "--keep", is_flag=True, help="Keep an existing demo database instead of starting over."
)
def demo(port: int, days: int, keep: bool) -> None:
    """Run the monthly job on the built-in simulated website group (December 2012 time-lapse).

    Starts the simulator, validates config/demo.yaml, crawls the group's history once, then
    walks the simulated clock through December: 24 probe rounds and one incremental crawl a
    day. Everything lands in data/demo.db; the simulator's ground truth in data/demo-truth.json.

    \b
    Example:
        sitewatch demo            # what `make demo` runs
        sitewatch demo --days 3   # a quick look
    """
    console = Console()
    config = demo_config(port)
    console.print(must(run_cli("validate", "--config", str(config)), "validate").strip())
    sim = Simulator(port)
    sim.start(BASELINE_DAY)  # first: a busy port must not cost the previous demo's database
    config = with_transport(config)
    try:
        DEMO_DB.parent.mkdir(parents=True, exist_ok=True)
        if not keep:
            for suffix in ("", "-wal", "-shm"):
                Path(f"{DEMO_DB}{suffix}").unlink(missing_ok=True)
        baseline = datetime.combine(BASELINE_DAY, datetime.min.time()) + timedelta(hours=22)
        sim.set_clock(baseline)
        console.print(
            _("baseline crawl of the group's history at {clock} …").format(
                clock=f"{baseline:%Y-%m-%d %H:%M}"
            )
        )
        console.print("  " + crawl_day(config, DEMO_DB, baseline))
        columns = [
            TextColumn("{task.description}"),
            BarColumn(),
            TextColumn(
                _("{done}/{total} days").format(done="{task.completed}", total="{task.total}")
            ),
            TimeElapsedColumn(),
        ]
        with Progress(*columns, console=console) as progress:
            task = progress.add_task(_("December 2012"), total=days)
            for offset in range(days):
                day = date(2012, 12, 1) + timedelta(days=offset)
                failures = probe_day(sim, config, DEMO_DB, day)
                crawl_at = datetime.combine(day, datetime.min.time()) + timedelta(hours=23)
                sim.set_clock(crawl_at)
                line = crawl_day(config, DEMO_DB, crawl_at)
                progress.console.print(
                    f"{day}: {line.split(': ', 1)[-1].split(' → ')[0]}"
                    + (_("  (failed visits: {count})").format(count=failures) if failures else "")
                )
                progress.advance(task)
        DEMO_TRUTH.write_text(json.dumps(sim.truth(), ensure_ascii=False), encoding="utf-8")
    finally:
        sim.stop()
    common = ["--config", str(config), "--db", str(DEMO_DB)]
    last_day = (date(2012, 12, 1) + timedelta(days=days - 1)).isoformat()
    console.print(must(run_cli("check", *common, "--as-of", last_day), "check").rstrip())
    written = must(run_cli("report", *common, "--month", "2012-12", "--out", "reports"), "report")
    console.print(_("database:     {path}").format(path=DEMO_DB.resolve()))
    console.print(_("ground truth: {path}").format(path=DEMO_TRUTH.resolve()))
    console.print(_("report:"))
    for line in written.strip().splitlines():
        console.print(f"  {line}")
    from sitewatch.web.demo_account import console_hint

    console.print(console_hint(DEMO_DB, config), highlight=False)
