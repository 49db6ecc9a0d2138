"""Content findings in the rules: 待确认 findings are listed but do not veto until confirmed."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from datetime import date, datetime
from pathlib import Path

from analysis.standards.engine import evaluate
from analysis.standards.profile import load_profile
from crawler.content.scanner import ContentFinding
from crawler.content.store import PageRef, record_findings
from crawler.store import Store, open_db

ROOT = Path(__file__).parents[2]
NOW = datetime(2012, 12, 1, 9, 0)
AS_OF = date(2012, 12, 31)


def make_db(tmp_path: Path) -> Path:
    path = tmp_path / "content.db"
    db = open_db(path)
    Store(db).upsert_site(
        site_id="portal",
        name="省质量技术监督局",
        unit_type="province",
        parent=None,
        home_url="http://127.0.0.2:8800/",
        allowed_domains=["127.0.0.2"],
        now=NOW,
    )
    page = PageRef("portal", "http://127.0.0.2:8800/a.html", "会议", date(2012, 11, 29))
    findings = [
        ContentFinding("leader_name", "何思远", "何思源", "serious", "局长何思远出席", 0),
        ContentFinding("confusion", "迫不急待", "迫不及待", "suspected", "迫不急待地", 9),
        ContentFinding("id_number", "110105********123X", "", "serious", "号码", 20),
    ]
    assert record_findings(db.conn, page, findings, now=NOW, run_id=None) == 3
    assert record_findings(db.conn, page, findings, now=NOW, run_id=None) in (0, 3)
    db.conn.close()
    return path


def outcomes(db: Path, profile: str = "national.yaml") -> dict[str, tuple[str, float | None]]:
    rules = load_profile(ROOT / "config" / "standards" / profile)
    (verdict,) = evaluate(db, rules, AS_OF)
    wanted = (
        "content-serious-errors",
        "content-suspected-errors",
        "personal-data-exposed",
        "content-pending-review",
    )
    return {r.id: (r.outcome.value, r.value) for r in verdict.rules if r.id in wanted}


def review(db: Path, command: str, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "sitewatch", "--lang", "zh", "findings", command, *args,
         "--db", str(db), "--by", "审核员", "--now", "2012-12-02T10:00"],
        capture_output=True, text=True, cwd=ROOT, check=False,
    )  # fmt: skip


def test_pending_serious_findings_do_not_veto_until_confirmed(tmp_path: Path) -> None:
    db = make_db(tmp_path)
    before = outcomes(db)
    assert before["content-serious-errors"] == ("pass", 0)
    assert before["personal-data-exposed"] == ("pass", 0)
    assert before["content-suspected-errors"] == ("warning", 1)
    assert before["content-pending-review"] == ("warning", 2)

    done = review(db, "confirm", "1", "3", "--note", "已核实")
    assert done.returncode == 0, done.stderr
    assert "已确认" in done.stdout
    after = outcomes(db)
    assert after["content-serious-errors"] == ("fail", 1)
    assert after["personal-data-exposed"] == ("fail", 1)
    assert after["content-pending-review"] == ("pass", 0)

    rejected = review(db, "reject", "2", "--note", "正确写法")
    assert rejected.returncode == 0, rejected.stderr
    assert outcomes(db)["content-suspected-errors"] == ("pass", 0)
    row = (
        sqlite3.connect(db)
        .execute(
            "SELECT review, reviewed_by, reviewed_at, review_note FROM content_findings"
            " WHERE id = 2"
        )
        .fetchone()
    )
    assert row == ("rejected", "审核员", "2012-12-02T10:00:00", "正确写法")


def test_provincial_profile_makes_personal_data_a_veto(tmp_path: Path) -> None:
    db = make_db(tmp_path)
    assert review(db, "confirm", "3").returncode == 0
    rules = load_profile(ROOT / "config" / "standards" / "provincial-example.yaml")
    assert rules.rule("personal-data-exposed").level == "veto"
    (verdict,) = evaluate(db, rules, AS_OF)
    assert verdict.veto


def test_unknown_id_and_missing_note_are_one_clear_line(tmp_path: Path) -> None:
    db = make_db(tmp_path)
    unknown = review(db, "confirm", "99")
    assert unknown.returncode != 0
    assert "没有编号为 99 的内容检查发现" in unknown.stderr
    assert "Traceback" not in unknown.stderr
    assert review(db, "reject", "1").returncode != 0  # --note is required


def test_validate_names_the_broken_leader_file(tmp_path: Path) -> None:
    leaders = tmp_path / "leaders.yaml"
    leaders.write_text("leaders:\n  - {name: 张三}\n", encoding="utf-8")
    demo = (ROOT / "config" / "demo.yaml").read_text(encoding="utf-8")
    config = tmp_path / "group.yaml"
    config.write_text(demo.replace("leaders: config/leaders.yaml", f"leaders: {leaders}"))
    done = subprocess.run(
        [sys.executable, "-m", "sitewatch", "validate", "--config", str(config)],
        capture_output=True, text=True, cwd=ROOT, check=False,
    )  # fmt: skip
    assert done.returncode == 1
    assert f"{leaders}: leaders entry 1: 'name' and 'title' are required" in done.stderr
    assert "Traceback" not in done.stderr
