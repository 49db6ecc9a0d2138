"""The schedule for the operating system's scheduler: crontab lines, systemd units and timers.

Both run `sitewatch schedule --run-job JOB`, which does exactly what the long-running
scheduler does for one slot (lock, run record, alerts).
"""

from __future__ import annotations

import os
import pwd
import re
import shlex
import sys
from pathlib import Path

from crawler.config import GroupConfig
from sitewatch.schedule import ALERTS_JOB, FLUSH_MINUTES

WEEKDAY_NAMES = ("Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
CRON_DAY_NAMES = {"sun": 0, "mon": 1, "tue": 2, "wed": 3, "thu": 4, "fri": 5, "sat": 6}
NUMBER_RE = re.compile(r"^\d+$")
UNIT_PREFIX = "sitewatch"


def run_job_command(config_path: Path, db_path: Path, job: str, python: str | None = None) -> str:
    """The shell command that runs one job once."""
    argv = [python or sys.executable, "-m", "sitewatch", "schedule", "--run-job", job]
    argv += ["--config", str(config_path.absolute()), "--db", str(db_path.absolute())]
    return shlex.join(argv)


def crontab_lines(group: GroupConfig, config_path: Path, db_path: Path, log_file: Path) -> str:
    """A crontab fragment: one line per enabled job (plus the alert flush)."""
    lines = [
        f"# sitewatch — paste into `crontab -e` of {database_owner(db_path)}, the user that owns"
        " the database",
        f"# output goes to {log_file.absolute()} (its folder is created on the first run)",
    ]
    if group.schedule.timezone:
        lines.append(f"CRON_TZ={group.schedule.timezone}")
    workdir = shlex.quote(str(Path.cwd()))
    log = shlex.quote(str(log_file.absolute()))
    make_log_dir = f"mkdir -p {shlex.quote(str(log_file.absolute().parent))}"
    for job, expr in planned_with_alerts(group).items():
        command = run_job_command(config_path, db_path, job)
        line = f"{expr} cd {workdir} && {make_log_dir} && {command} >> {log} 2>&1"
        lines.append(cron_escape(line))
    return "\n".join(lines) + "\n"


def cron_escape(line: str) -> str:
    """cron turns an unescaped % into a newline: escape it (e.g. in a folder name)."""
    return line.replace("%", "\\%")


def planned_with_alerts(group: GroupConfig) -> dict[str, str]:
    """The enabled jobs and, when alerts are on, the alert flush."""
    planned = dict(group.schedule.jobs())
    if group.alerts.enabled:
        planned[ALERTS_JOB] = f"*/{FLUSH_MINUTES} * * * *"
    return planned


def database_owner(db_path: Path) -> str:
    """The user owning the database (or its nearest existing folder): who must run the jobs."""
    existing = next((p for p in (db_path, *db_path.absolute().parents) if p.exists()), None)
    uid = existing.stat().st_uid if existing is not None else os.getuid()
    try:
        return pwd.getpwuid(uid).pw_name
    except KeyError:
        return str(uid)


def weekday_token(token: str) -> str:
    """One crontab weekday (number or name) as systemd's Mon…Sun."""
    lowered = token.lower()
    number = CRON_DAY_NAMES.get(lowered[:3]) if not NUMBER_RE.match(lowered) else int(lowered)
    if number is None or not 0 <= number <= 7:
        raise ValueError(f"weekday '{token}'")
    return WEEKDAY_NAMES[number]


def calendar_field(value: str, *, first: int, pad: bool) -> str:
    """One crontab field as a systemd calendar component (`*/15` -> `0/15`, `1-5` -> `1..5`)."""
    if value == "*":
        return "*"
    parts = []
    for part in value.split(","):
        if part.startswith("*/"):
            parts.append(f"{first}/{part[2:]}")
        elif "/" in part:
            raise ValueError(f"step on a range '{part}'")
        elif "-" in part:
            low, high = part.split("-", 1)
            parts.append(f"{low}..{high}")
        else:
            parts.append(part.zfill(2) if pad and NUMBER_RE.match(part) else part)
    return ",".join(parts)


def weekday_field(value: str) -> str:
    """The crontab weekday field as systemd's weekday list ('' for every day)."""
    if value == "*":
        return ""
    parts = []
    for part in value.split(","):
        if "/" in part:
            raise ValueError(f"step on weekdays '{part}'")
        low, _, high = part.partition("-")
        parts.append(f"{weekday_token(low)}..{weekday_token(high)}" if high else weekday_token(low))
    return ",".join(parts)


def on_calendar(expr: str) -> str:
    """A 5-field crontab expression as a systemd OnCalendar= value; ValueError if it has none.

    cron ORs a restricted day-of-month with a restricted weekday; systemd ANDs them, so
    expressions restricting both are refused.
    """
    minute, hour, day, month, weekday = expr.split()
    if day != "*" and weekday != "*":
        raise ValueError("both day-of-month and weekday restricted")
    days = weekday_field(weekday)
    date_part = (
        f"*-{calendar_field(month, first=1, pad=True)}-{calendar_field(day, first=1, pad=True)}"
    )
    time_part = (
        f"{calendar_field(hour, first=0, pad=True)}:{calendar_field(minute, first=0, pad=True)}:00"
    )
    return " ".join(part for part in (days, date_part, time_part) if part)


def systemd_units(group: GroupConfig, config_path: Path, db_path: Path) -> str:
    """A templated oneshot service, one timer per job, and the long-running alternative."""
    workdir = Path.cwd()
    command = run_job_command(config_path, db_path, "%i")
    serve = shlex.join(
        [
            *(sys.executable, "-m", "sitewatch", "schedule"),
            *("--config", str(config_path.absolute()), "--db", str(db_path.absolute())),
        ]
    )
    user = database_owner(db_path)
    planned = planned_with_alerts(group)
    timers = " ".join(f"{UNIT_PREFIX}-{job}.timer" for job in planned)
    out = [
        "# Install: save each part below as the file it names, then run",
        "#   sudo systemctl daemon-reload",
        f"#   sudo systemctl enable --now {timers}",
        "# Logs go to the journal: journalctl -u 'sitewatch@*'",
        f"#   (the jobs run as {user}, the owner of the database; change User= if needed)",
        "",
        f"# --- /etc/systemd/system/{UNIT_PREFIX}@.service ---",
        "[Unit]",
        "Description=sitewatch job %i",
        "After=network-online.target",
        "",
        "[Service]",
        "Type=oneshot",
        f"User={user}",
        f"WorkingDirectory={workdir}",
        "# EnvironmentFile=/etc/sitewatch.env   (SITEWATCH_SMTP_PASSWORD=…)",
        f"ExecStart={command}",
        "",
    ]
    for job, expr in planned.items():
        try:
            calendar = on_calendar(expr)
        except ValueError as exc:
            out += [f"# {job}: '{expr}' has no systemd equivalent ({exc}); use --print-cron", ""]
            continue
        zone = f" {group.schedule.timezone}" if group.schedule.timezone else ""
        out += [
            f"# --- /etc/systemd/system/{UNIT_PREFIX}-{job}.timer ---",
            "[Unit]",
            f"Description=sitewatch {job} ({expr})",
            "",
            "[Timer]",
            f"OnCalendar={calendar}{zone}",
            "Persistent=true",  # a slot missed while the machine was off runs once at boot
            f"Unit={UNIT_PREFIX}@{job}.service",
            "",
            "[Install]",
            "WantedBy=timers.target",
            "",
        ]
    out += [
        "# Or, instead of the timers, the long-running scheduler",
        f"#   (sudo systemctl enable --now {UNIT_PREFIX}-scheduler.service):",
        f"# --- /etc/systemd/system/{UNIT_PREFIX}-scheduler.service ---",
        "[Unit]",
        "Description=sitewatch scheduler",
        "After=network-online.target",
        "",
        "[Service]",
        f"User={user}",
        f"WorkingDirectory={workdir}",
        f"ExecStart={serve}",
        "KillSignal=SIGTERM",
        "TimeoutStopSec=180",
        "Restart=on-failure",
        "",
        "[Install]",
        "WantedBy=multi-user.target",
    ]
    if group.cluster is not None:
        out += ["", *agent_unit(group, user)]
    return "\n".join(out) + "\n"


def agent_unit(group: GroupConfig, user: str) -> list[str]:
    """A service for an agent host (the config's broker; the password from the environment)."""
    assert group.cluster is not None
    broker = group.cluster.broker
    command = shlex.join(
        [*(sys.executable, "-m", "sitewatch", "agent", "--broker", broker), "--concurrency", "2"]
    )
    password = group.cluster.password_env
    return [
        "# On each agent host (one per network you probe from; add --vantage NAME there):",
        f"#   sudo systemctl enable --now {UNIT_PREFIX}-agent.service",
        f"# --- /etc/systemd/system/{UNIT_PREFIX}-agent.service ---",
        "[Unit]",
        "Description=sitewatch agent (crawl and probe jobs from the task queue)",
        "After=network-online.target",
        "",
        "[Service]",
        f"User={user}",
        f"# EnvironmentFile=/etc/sitewatch.env   ({password or 'SITEWATCH_BROKER'}=…)",
        f"ExecStart={command}",
        "KillSignal=SIGTERM",
        "TimeoutStopSec=60",
        "Restart=always",
        "",
        "[Install]",
        "WantedBy=multi-user.target",
    ]
