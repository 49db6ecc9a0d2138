"""Outages probed from several vantage points (issue 17): the report's outage list (HTML and
Excel; the Word 通报 carries only the annexes) says from where each was seen; a group probed from
one vantage point gets no new column. Real SQLite
rows as the cluster writer stores them (`probes.failed_from`, m010)."""

from __future__ import annotations

import sys
from pathlib import Path

import openpyxl

from analysis.report.build import build_context
from analysis.report.render import render_report

NATIONAL = Path(__file__).resolve().parents[3] / "config" / "standards" / "national.yaml"
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # tests/analysis: the db builder
from sw_analysis_db import new_world  # noqa: E402

SEEN = "自监测点 电信、联通 均无法访问"


def probe(world, at: str, ok: bool, failed_from: str | None) -> None:  # type: ignore[no-untyped-def]
    """One round's verdict row in `probes`, as the writer stores it."""
    world.conn.execute(
        "INSERT INTO probes (site_id, url, probed_at, ok, status, elapsed_ms, error, failed_from)"
        " VALUES ('s1', 'http://s1.test/', ?, ?, ?, 120, ?, ?)",
        (at, int(ok), 200 if ok else None, None if ok else "timeout", failed_from),
    )


def world_with_probes(tmp_path: Path, *, several: bool):  # type: ignore[no-untyped-def]
    world = new_world(tmp_path)
    world.column("news")
    world.post("news", "2012-12-20")
    both, one = ("联通,电信", "联通") if several else (None, None)
    probe(world, "2012-12-05T08:00:00", True, None)
    probe(world, "2012-12-05T09:00:00", False, both)
    probe(world, "2012-12-05T10:00:00", False, "电信,联通" if several else None)
    probe(world, "2012-12-05T11:00:00", True, one)  # down from one network only: no outage
    probe(world, "2012-12-05T12:00:00", True, None)
    world.done()
    return world


def test_an_outage_seen_from_two_vantages_says_so_in_html_and_excel(tmp_path: Path) -> None:
    world = world_with_probes(tmp_path, several=True)
    ctx = build_context(world.path, "2012-12", NATIONAL)
    assert [(o.began.hour, o.ended and o.ended.hour, o.seen_from) for o in ctx.outages] == [
        (9, 11, ("电信", "联通"))
    ]
    written = render_report(ctx, tmp_path / "out", ("html", "xlsx"), "zh")
    html = written["html"].read_text(encoding="utf-8")
    assert "从何处监测到" in html and SEEN in html
    book = openpyxl.load_workbook(written["xlsx"], read_only=True)
    values = {v for ws in book.worksheets for row in ws.iter_rows(values_only=True) for v in row}
    assert {"从何处监测到", SEEN} <= values


def test_one_vantage_shows_nothing_new(tmp_path: Path) -> None:
    world = world_with_probes(tmp_path, several=False)
    ctx = build_context(world.path, "2012-12", NATIONAL)
    assert [(o.began.hour, o.seen_from) for o in ctx.outages] == [(9, ())]
    written = render_report(ctx, tmp_path / "out", ("html",), "zh")
    html = written["html"].read_text(encoding="utf-8")
    assert "首页访问中断记录" in html
    assert "从何处监测到" not in html and "监测点 " not in html
