"""The monthly report shows each counted finding's state and age and the month's filings."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import lxml.html
from sw_analysis_db import new_world

from analysis.findings.maintenance import add_filing, recurring
from analysis.findings.review import reviewed_verdicts
from analysis.findings.store import list_findings, set_state
from analysis.report.build import build_context
from analysis.report.render import render_report
from analysis.standards import load_profile

NATIONAL = Path("config/standards/national.yaml")
NOW = datetime(2012, 12, 20, 9, 0)


def test_report_lists_states_ages_and_filings(tmp_path: Path) -> None:
    world = new_world(tmp_path, "s1", "s2")
    for site in ("s1", "s2"):
        world.column(f"{site}-news", site=site)
        world.post(f"{site}-news", "2012-12-01", site=site)  # home page stale on 12-31: veto
        world.probe("2012-12-30T10:00:00", site=site)
    world.done()
    reviewed_verdicts(world.conn, load_profile(NATIONAL), date(2012, 12, 20), record_at=NOW)
    reviewed_verdicts(world.conn, load_profile(NATIONAL), date(2012, 12, 31), record_at=NOW)
    found = {(r["site_id"], r["rule_id"]): r for r in list_findings(world.conn)}
    set_state(world.conn, found[("s1", "site-not-updated")]["id"], "rectifying", "li", NOW, "")
    set_state(world.conn, found[("s2", "site-not-updated")]["id"], "误报", "li", NOW, "导航页")
    add_filing(world.conn, recurring("s1", date(2012, 12, 1), None, "02:00", "04:00",
                                     "例行维护", "王科长", 0), "li", NOW)  # fmt: skip
    ctx = build_context(world.path, "2012-12", NATIONAL)
    rows = {(f.site_id, f.rule_id): f for f in ctx.workflow}
    assert rows[("s1", "site-not-updated")].state == "整改中"
    assert rows[("s1", "site-not-updated")].age_days == 11  # first seen 12-20, check date 12-31
    assert ("s2", "site-not-updated") not in rows  # 误报: not counted
    html = render_report(ctx, tmp_path / "out", ["html"], "zh")["html"].read_text("utf-8")
    section = lxml.html.fromstring(html).get_element_by_id("workflow")
    texts = section.text_content()
    assert "问题整改与维护报备" in texts and "整改中" in texts
    assert "每周日 02:00–04:00（2012-12-01 起长期有效）" in texts and "王科长" in texts
