"""Operating it for a year (issue 14): one-line errors, commands that tell the truth, printed
set-ups that work as printed, and the users' language — each through the real CLI."""

from __future__ import annotations

import json
import os
import re
import shutil
import socket
import sqlite3
import subprocess
import sys
import tempfile
import threading
from collections.abc import Iterator
from datetime import date
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner
from sw_testing import ROOT, worker_port

from analysis.files import atomic_write
from crawler.store import open_db
from sitewatch import i18n
from sitewatch.cli import cli
from sitewatch.locks import LockBusy, job_lock, lock_path

NOBODY = 65534
CRAWL_CLOCK = "2012-12-31T09:00:00"
SITES = {"s1": "西安市质监局", "s2": "宝鸡市质监局"}
CONFIG = """group: {name: 测试站群, allow_private_addresses: true}
schedule: {crawl: null, check: null, report: null, probe: '0 * * * *'}
sites:
  - {id: s1, name: 西安市质监局, unit_type: city, home_url: 'http://127.0.0.1:1/'}
  - {id: s2, name: 宝鸡市质监局, unit_type: city, home_url: 'http://127.0.0.1:1/'}
"""
CJK = re.compile(r"[\u3400-\u9fff\u3000-\u303f\uff00-\uffef]")


# -- helpers -----------------------------------------------------------------------------
def build_db(path: Path) -> Path:
    """A monitored December 2012: two sites, one completed crawl, a day of probes."""
    db = open_db(path)
    conn = db.conn
    with conn:
        for site_id, name in SITES.items():
            conn.execute(
                "INSERT INTO sites (id, name, unit_type, home_url, updated_at)"
                " VALUES (?, ?, 'city', ?, ?)",
                (site_id, name, f"http://{site_id}.test/", CRAWL_CLOCK),
            )
            for hour in range(24):
                conn.execute(
                    "INSERT INTO probes (site_id, url, probed_at, ok, status, elapsed_ms)"
                    " VALUES (?, ?, ?, 1, 200, 80)",
                    (site_id, f"http://{site_id}.test/", f"2012-12-30T{hour:02d}:30:00"),
                )
        conn.execute(
            "INSERT INTO crawl_runs (kind, started_at, finished_at, clock, status)"
            " VALUES ('crawl', ?, ?, ?, 'ok')",
            ("2013-01-02T10:00:00", "2013-01-02T10:05:00", CRAWL_CLOCK),
        )
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    return path


def write_config(folder: Path) -> Path:
    path = folder / "group.yaml"
    path.write_text(CONFIG, encoding="utf-8")
    return path


def run_cli(
    *args: str, cwd: Path = ROOT, user: int | None = None, **env: str
) -> subprocess.CompletedProcess[str]:
    """`python -m sitewatch ARGS` in its own process, as `user` when we are root, output piped."""
    argv = [sys.executable, "-m", "sitewatch", *args]
    if user is not None and os.geteuid() == 0:
        argv = ["setpriv", f"--reuid={user}", f"--regid={user}", "--clear-groups", *argv]
    environment = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": tempfile.gettempdir(),
        "MPLCONFIGDIR": tempfile.gettempdir(),
        "LANG": "C.UTF-8",
        **env,
    }
    return subprocess.run(
        argv, cwd=cwd, env=environment, capture_output=True, text=True, timeout=300, check=False
    )


def assert_one_line_error(result: subprocess.CompletedProcess[str], *needles: str) -> str:
    """Non-zero exit, exactly one line on stderr, no traceback; returns that line."""
    assert result.returncode != 0, result.stdout
    assert "Traceback" not in result.stderr + result.stdout, result.stderr
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, result.stderr
    for needle in needles:
        assert needle in lines[0], lines[0]
    return lines[0]


def invoke(*args: str, cwd: Path | None = None) -> tuple[int, str]:
    """The CLI in this process (English)."""
    i18n.set_language("en")
    try:
        if cwd is None:
            result = CliRunner().invoke(cli, list(args), catch_exceptions=False)
        else:
            with pytest.MonkeyPatch.context() as patch:
                patch.chdir(cwd)
                result = CliRunner().invoke(cli, list(args), catch_exceptions=False)
    finally:
        i18n.set_language(None)
    return result.exit_code, result.output


@pytest.fixture
def shared_dir() -> Iterator[Path]:
    """A scratch folder another user can reach (pytest's own tmp folders are root-only)."""
    folder = Path(tempfile.mkdtemp(prefix="sitewatch-test-"))
    folder.chmod(0o777)
    yield folder
    for path in [folder, *folder.rglob("*")]:
        if path.is_dir() and not path.is_symlink():
            path.chmod(0o777)
    shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture
def monitored(tmp_path: Path) -> tuple[Path, Path]:
    """(config, database) of a monitored December 2012."""
    return write_config(tmp_path), build_db(tmp_path / "sw.db")


# -- 1. every failure in one line ---------------------------------------------------------
def test_a_read_only_database_folder_is_read_from_a_copy_and_refused_for_writing(
    shared_dir: Path,
) -> None:
    folder = shared_dir / "readonly"
    folder.mkdir()
    db = build_db(folder / "sw.db")
    config = write_config(shared_dir)
    out = shared_dir / "out"
    out.mkdir(mode=0o777)
    out.chmod(0o777)
    db.chmod(0o444)
    folder.chmod(0o555)
    before = sorted(p.name for p in folder.iterdir())
    as_nobody = {"user": NOBODY}

    check = run_cli("check", "--db", str(db), "--config", str(config), **as_nobody)
    assert check.returncode == 0, check.stderr
    assert "s1" in check.stdout and "s2" in check.stdout and str(date(2012, 12, 31)) in check.stdout
    runs = run_cli("runs", "--db", str(db), "--format", "json", **as_nobody)
    assert runs.returncode == 0, runs.stderr
    assert [run["kind"] for run in json.loads(runs.stdout)] == ["crawl"]
    stats = run_cli("stats", "--db", str(db), "--month", "2012-12", "--format", "json", **as_nobody)
    assert stats.returncode == 0, stats.stderr
    assert json.loads(stats.stdout)["month"] == "2012-12"

    report = run_cli(
        "report", "--config", str(config), "--db", str(db), "--month", "2012-12",
        "--out", str(out), "--format", "html", **as_nobody,
    )  # fmt: skip
    assert report.returncode == 0, report.stderr
    assert (out / "2012-12" / "report.html").is_file()
    out.chmod(0o555)  # now the output folder is read-only too: one line, nothing written
    again = run_cli(
        "report", "--config", str(config), "--db", str(db), "--month", "2012-12",
        "--out", str(out / "again"), "--format", "html", **as_nobody,
    )  # fmt: skip
    assert_one_line_error(again, str(out), "cannot write the report")

    crawl = run_cli("crawl", "--config", str(config), "--db", str(db), **as_nobody)
    assert_one_line_error(crawl, str(db), "read-only")
    probe = run_cli("probe", "--config", str(config), "--db", str(db), **as_nobody)
    assert_one_line_error(probe, str(db), "read-only")
    # SQLite never needed to create anything beside the database (no -wal, -shm, locks/)
    assert sorted(p.name for p in folder.iterdir()) == before


def test_a_read_only_database_file_in_a_writable_folder_is_one_line(shared_dir: Path) -> None:
    db = build_db(shared_dir / "sw.db")
    db.chmod(0o444)
    config = write_config(shared_dir)
    crawl = run_cli("crawl", "--config", str(config), "--db", str(db), user=NOBODY)
    assert_one_line_error(crawl, str(db), "read-only", "chmod")


def test_a_foreign_file_as_db_is_one_line_and_left_untouched(tmp_path: Path) -> None:
    config = write_config(tmp_path)
    text = tmp_path / "notes.txt"
    text.write_text("meeting notes, not a database\n" * 50, encoding="utf-8")
    other = tmp_path / "other.db"
    conn = sqlite3.connect(other)
    conn.execute("CREATE TABLE invoices (id INTEGER PRIMARY KEY, amount REAL)")
    conn.commit()
    conn.close()
    before = {path: path.read_bytes() for path in (text, other)}
    for command in (["check"], ["runs"], ["stats", "--month", "2012-12"]):
        code, out = invoke(*command, "--db", str(text), "--config", str(config))
        assert code == 1 and out.count("\n") == 1, out
        assert f"{text}: not a SQLite database" in out
    result = run_cli("crawl", "--config", str(config), "--db", str(text))
    assert_one_line_error(result, str(text), "not a SQLite database")
    result = run_cli("probe", "--config", str(config), "--db", str(other))
    assert_one_line_error(result, str(other), "not a sitewatch one")
    code, out = invoke("check", "--db", str(other))
    assert code == 1 and "not a sitewatch one" in out
    assert {path: path.read_bytes() for path in (text, other)} == before


def test_a_busy_port_names_the_port_and_the_way_out(tmp_path: Path) -> None:
    shutil.copytree(ROOT / "config", tmp_path / "config")
    previous = tmp_path / "data" / "demo.db"
    previous.parent.mkdir()
    previous.write_bytes(b"the previous demo's data")
    port = worker_port(18700)
    with socket.socket() as holder:
        holder.bind(("127.0.0.2", port))
        holder.listen()
        result = run_cli("demo", "--port", str(port), "--days", "1", cwd=tmp_path)
    assert_one_line_error(result, f"port {port}", "--port N", "make demo PORT=N")
    assert previous.read_bytes() == b"the previous demo's data"


def test_a_relative_standard_names_the_config_and_where_it_looked(tmp_path: Path) -> None:
    folder = tmp_path / "cfg"
    folder.mkdir()
    config = folder / "group.yaml"
    config.write_text(
        CONFIG.replace("sites:", "standard: standards/provincial.yaml\nsites:", 1),
        encoding="utf-8",
    )
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    code, out = invoke("validate", "--config", str(config), cwd=elsewhere)
    assert code == 1, out
    out = out.splitlines()[-1]  # after the config's own "ok" lines
    assert out.startswith("Error: ")
    assert str(config) in out and "standards/provincial.yaml" in out
    assert str(folder / "standards" / "provincial.yaml") in out
    assert str(elsewhere / "standards" / "provincial.yaml") in out


def test_report_output_problems_are_one_line(monitored: tuple[Path, Path], tmp_path: Path) -> None:
    config, db = monitored
    out = tmp_path / "reports"
    out.mkdir()
    (out / "2012-12").write_text("a file where the month's folder goes", encoding="utf-8")
    result = run_cli(
        "report", "--config", str(config), "--db", str(db), "--month", "2012-12",
        "--out", str(out), "--format", "html",
    )  # fmt: skip
    assert_one_line_error(result, str(out / "2012-12"), "not a folder")


def test_a_planted_symlink_in_the_report_folder_is_replaced_not_followed(
    monitored: tuple[Path, Path], tmp_path: Path
) -> None:
    config, db = monitored
    month_dir = tmp_path / "reports" / "2012-12"
    month_dir.mkdir(parents=True)
    victim = tmp_path / "victim.conf"
    victim.write_text("do not overwrite\n", encoding="utf-8")
    (month_dir / "report.html").symlink_to(victim)
    result = run_cli(
        "report", "--config", str(config), "--db", str(db), "--month", "2012-12",
        "--out", str(tmp_path / "reports"), "--format", "html",
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert victim.read_text(encoding="utf-8") == "do not overwrite\n"
    written = month_dir / "report.html"
    assert not written.is_symlink() and "<html" in written.read_text(encoding="utf-8").lower()
    assert sorted(p.name for p in month_dir.iterdir() if p.name.startswith(".")) == []


def test_atomic_write_leaves_the_old_file_when_writing_fails(tmp_path: Path) -> None:
    target = tmp_path / "report.html"
    target.write_text("last month's good report", encoding="utf-8")

    def fail_halfway(path: Path) -> None:
        path.write_text("half a rep", encoding="utf-8")
        raise OSError(28, "No space left on device")

    with pytest.raises(OSError, match="No space left"):
        atomic_write(target, fail_halfway)
    assert target.read_text(encoding="utf-8") == "last month's good report"
    assert [p.name for p in tmp_path.iterdir()] == ["report.html"]


def test_locks_follow_the_database_through_symlinks(tmp_path: Path) -> None:
    real = tmp_path / "data" / "sw.db"
    real.parent.mkdir()
    build_db(real)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    link = elsewhere / "sw.db"
    link.symlink_to(real)
    assert lock_path(link, "crawl") == lock_path(real, "crawl")
    with job_lock(real, "crawl", wait=False), pytest.raises(LockBusy):
        job_lock(link, "crawl", wait=False).__enter__()


# -- 2. commands tell the truth -------------------------------------------------------------
def test_check_after_a_probe_keeps_the_crawl_clock_and_runs_lists_every_run(
    monitored: tuple[Path, Path],
) -> None:
    config, db = monitored
    code, out = invoke("probe", "--config", str(config), "--db", str(db), "--timeout", "3")
    assert code == 0, out
    code, out = invoke("check", "--config", str(config), "--db", str(db), "--format", "json")
    assert code == 0, out
    assert json.loads(out)["as_of"] == "2012-12-31"  # the crawl's day, not the probe's
    code, out = invoke("runs", "--db", str(db), "--format", "json")
    history = json.loads(out)
    assert [(r["kind"], r["status"]) for r in history] == [
        ("check", "ok"),
        ("probe", "ok"),
        ("crawl", "ok"),
    ]
    check_run, probe_run, crawl_run = history
    assert probe_run["sites_down"] == 2  # both homes refuse: data, not a failure
    assert probe_run["clock"][:10] == date.today().isoformat()
    assert check_run["clock"] == CRAWL_CLOCK and crawl_run["clock"] == CRAWL_CLOCK


def test_check_without_any_crawl_says_so(tmp_path: Path) -> None:
    db = tmp_path / "fresh.db"
    open_db(db).conn.close()
    code, out = invoke("check", "--db", str(db))
    assert code == 1 and "no completed crawl yet" in out and "--as-of" in out


def test_report_for_a_month_without_data_names_the_months_with_data(
    monitored: tuple[Path, Path], tmp_path: Path
) -> None:
    config, db = monitored
    out = tmp_path / "reports"
    code, text = invoke(
        "report", "--config", str(config), "--db", str(db), "--month", "2011-06",
        "--out", str(out),
    )  # fmt: skip
    assert code == 1 and text.count("\n") == 1, text
    assert "2011-06: no monitoring data" in text and "months with data: 2012-12" in text
    assert not (out / "2011-06").exists()
    code, same = invoke("stats", "--db", str(db), "--month", "2011-06")
    assert code == 1 and same.strip() == text.strip()  # report and stats word it alike


class Pages(BaseHTTPRequestHandler):
    """A small site: a home page whose navigation holds columns, a pager link, a link
    robots.txt forbids and a dead column."""

    routes = {
        "/": (
            200,
            "<html><head><title>陕西省计量科学研究院</title></head><body>"
            "<div class='nav'><a href='/gzdt/'>工作动态</a> <a href='/tzgg/'>通知公告</a>"
            " <a href='/nbzl/'>内部资料</a> <a href='/jgsz/'>机构设置</a>"
            " <a href='/index_1.html'>下一页</a></div></body></html>",
        ),
        "/robots.txt": (200, "User-agent: *\nDisallow: /nbzl/\n"),
        "/gzdt/": (200, "<html><body><ul><li>x</li></ul></body></html>"),
        "/tzgg/": (200, "<html><body><ul><li>y</li></ul></body></html>"),
        "/nbzl/": (200, "<html><body>internal</body></html>"),
        "/index_1.html": (200, "<html><body>page 2</body></html>"),
    }
    requested: list[str] = []

    def do_GET(self) -> None:
        self.requested.append(self.path)
        status, body = self.routes.get(self.path, (404, "<html><body>Not Found</body></html>"))
        data = body.encode("utf-8")
        self.send_response(status)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *_args: object) -> None:
        pass


@pytest.fixture
def site() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), Pages)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    Pages.requested = []
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def test_inspect_of_a_404_shows_the_status_and_fails(site: str) -> None:
    code, out = invoke("inspect", f"{site}/gone/")
    assert code == 1 and out.count("\n") == 1, out
    assert "HTTP 404" in out and f"{site}/gone/" in out
    code, out = invoke("discover", f"{site}/gone/")
    assert code == 1 and "HTTP 404" in out


def test_discover_proposes_only_reachable_allowed_columns_and_guesses_the_unit(site: str) -> None:
    code, out = invoke("discover", f"{site}/")
    assert code == 0, out
    block = yaml.safe_load(out)[0]
    assert [column["url"] for column in block["columns"]] == [f"{site}/gzdt/", f"{site}/tzgg/"]
    assert block["unit_type"] == "affiliated"  # 研究院
    comments = "\n".join(line for line in out.splitlines() if line.startswith("#"))
    assert f"{site}/nbzl/  (disallowed by robots.txt)" in comments
    assert f"{site}/index_1.html  (a page of a list, not a column)" in comments
    assert f"{site}/jgsz/  (HTTP 404)" in comments
    assert "/nbzl/" not in Pages.requested  # robots.txt was obeyed, not just reported


# -- 3. printed set-ups work as printed -----------------------------------------------------
def test_the_printed_cron_line_runs_in_sh_on_a_fresh_host(tmp_path: Path) -> None:
    config = write_config(tmp_path)
    db = tmp_path / "state" / "sw.db"  # neither the database nor its log folder exists yet
    code, out = invoke("schedule", "--config", str(config), "--db", str(db), "--print-cron")
    assert code == 0, out
    line = next(line for line in out.splitlines() if "--run-job probe" in line)
    command = line.split(None, 5)[5].replace("\\%", "%")  # what cron hands to sh
    result = subprocess.run(
        ["sh", "-c", command],
        cwd="/",
        env={"PATH": "/usr/bin:/bin", "HOME": str(tmp_path), "SHELL": "/bin/sh"},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    log = tmp_path / "state" / "logs" / "cron.log"
    assert "probe: ok" in log.read_text(encoding="utf-8")
    conn = sqlite3.connect(db)
    rows = conn.execute("SELECT kind, status FROM crawl_runs").fetchall()
    conn.close()
    assert rows == [("probe", "ok")]  # recorded once, by the job runner


# -- 4. the users' language, tables never cut ----------------------------------------------
def rule_titles() -> list[str]:
    data = yaml.safe_load((ROOT / "config" / "standards" / "national.yaml").read_text("utf-8"))
    return [rule["title"] for rule in data["rules"]]


def test_check_off_a_terminal_shows_every_rule_column(monitored: tuple[Path, Path]) -> None:
    config, db = monitored
    result = run_cli("check", "--config", str(config), "--db", str(db), COLUMNS="80")
    assert result.returncode == 0, result.stderr
    header = next(line for line in result.stdout.splitlines() if "score" in line)
    numbers = [int(n) for n in re.findall(r"\b\d+\b", header)]
    assert numbers == list(range(1, len(rule_titles()) + 1))
    assert "…" not in result.stdout
    for title in rule_titles():
        assert title in result.stdout


def test_chinese_locale_prints_no_english_word(monitored: tuple[Path, Path]) -> None:
    config, db = monitored
    result = run_cli("check", "--config", str(config), "--db", str(db), LANG="zh_CN.UTF-8")
    assert result.returncode == 0, result.stderr
    assert "西安市质监局" in result.stdout and "合格" in result.stdout
    # Protocol names are written as such in Chinese official documents (IPv6 规模部署).
    latin = set(re.findall(r"[A-Za-z]{2,}", result.stdout)) - {"HTTP", "HTTPS", "IPv"}
    assert latin == set()


def test_c_locale_prints_no_chinese_but_data(monitored: tuple[Path, Path]) -> None:
    config, db = monitored
    result = run_cli("check", "--config", str(config), "--db", str(db), LANG="C")
    assert result.returncode == 0, result.stderr
    text = result.stdout
    for data in sorted(rule_titles(), key=len, reverse=True):
        text = text.replace(data, "")
    assert CJK.findall(text) == [], text
    assert "pass" in text or "fail" in text


def test_lang_option_overrides_the_locale(monitored: tuple[Path, Path]) -> None:
    config, db = monitored
    result = run_cli("--lang", "zh", "check", "--config", str(config), "--db", str(db))
    assert "得分" in result.stdout
    error = run_cli("--lang", "zh", "check", "--db", "/nonexistent/x.db", LANG="C")
    assert error.stderr.startswith("错误：") and "数据库不存在" in error.stderr


def test_an_unreadable_database_is_one_line(shared_dir: Path) -> None:
    db = build_db(shared_dir / "sw.db")
    db.chmod(0o000)
    result = run_cli("check", "--db", str(db), user=NOBODY)
    assert_one_line_error(result, str(db), "cannot read the database")


def test_a_full_disk_is_one_line_not_a_traceback(tmp_path: Path) -> None:
    import resource

    config = write_config(tmp_path)

    def small_files() -> None:  # the database cannot grow past 20 kB: writes fail with EFBIG
        resource.setrlimit(resource.RLIMIT_FSIZE, (20_000, 20_000))

    args = ["probe", "--config", str(config), "--db", str(tmp_path / "fresh.db"), "--timeout", "2"]
    result = subprocess.run(
        [sys.executable, "-m", "sitewatch", *args],
        preexec_fn=small_files,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert_one_line_error(result, "disk")


@pytest.mark.slow
def test_retries_are_not_pages(tmp_path: Path) -> None:
    config = write_config(tmp_path)  # both homes on a port that refuses every connection
    db = tmp_path / "crawl.db"
    result = run_cli("crawl", "--config", str(config), "--db", str(db), "-q")
    assert result.returncode == 0, result.stderr
    conn = sqlite3.connect(db)
    attempts = conn.execute("SELECT COUNT(*) FROM fetches").fetchone()[0]
    requests = conn.execute(
        "SELECT COUNT(*) FROM (SELECT DISTINCT site_id, url, kind FROM fetches)"
    ).fetchone()[0]
    pages, errors = conn.execute("SELECT pages, errors FROM crawl_runs").fetchone()
    conn.close()
    assert attempts > requests  # the requests were retried …
    assert pages == errors == requests  # … and each counts once
    assert f"pages {requests} " in result.stdout


def test_validate_lists_every_problem_at_once_and_other_commands_say_so(tmp_path: Path) -> None:
    config = tmp_path / "bad.yaml"
    config.write_text(
        "group: {name: g}\nsites:\n"
        "  - {id: a, name: A, unit_type: citty, home_url: 'http://a.example/'}\n"
        "  - {id: b, name: B, unit_type: city, home_url: 'ftp://b.example/'}\n"
        "  - {id: c, name: C, unit_type: city, home_url: 'http://c.example/', colums: []}\n",
        encoding="utf-8",
    )
    code, out = invoke("validate", "--config", str(config))
    assert code == 1
    lines = out.strip().splitlines()
    assert len(lines) == 3 and lines[0].startswith("Error: ")
    assert ["site 'a'" in lines[0], "site 'b'" in lines[1], "site 'c'" in lines[2]] == [True] * 3
    code, out = invoke("runs", "--config", str(config))
    assert code == 1 and out.count("\n") == 1
    assert "(and 2 more); `sitewatch validate` lists them all" in out


def test_schedule_lists_the_jobs_with_their_next_run(tmp_path: Path) -> None:
    config = tmp_path / "group.yaml"  # no timezone: the machine's, like the naive --now
    config.write_text(
        CONFIG.replace("report: null, ", "").replace("check: null", "check: '30 6 * * *'"),
        encoding="utf-8",
    )
    code, out = invoke("schedule", "--config", str(config), "--list", "--now", "2012-12-05T13:20")
    assert code == 0, out
    rows = [line for line in out.splitlines() if re.search(r"\d{4}-\d\d-\d\d \d\d:\d\d", line)]
    jobs = [re.search(r"(probe|check|report)", row)[1] for row in rows]  # type: ignore[index]
    assert jobs == ["probe", "check", "report"]  # soonest first
    assert "2012-12-05 14:00" in rows[0] and "0 * * * *" in rows[0]
    assert "2012-12-06 06:30" in rows[1] and "2013-01-01 08:00" in rows[2]


def test_stats_only_reads_the_database(monitored: tuple[Path, Path]) -> None:
    _config, db = monitored
    before = db.read_bytes()
    code, out = invoke("stats", "--db", str(db), "--month", "2012-12", "--format", "json")
    assert code == 0, out
    assert db.read_bytes() == before
    conn = sqlite3.connect(db)
    assert conn.execute("SELECT COUNT(*) FROM crawl_runs").fetchone()[0] == 1  # no run row
    conn.close()
