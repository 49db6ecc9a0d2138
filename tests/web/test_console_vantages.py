"""The console's site page says from where an outage was seen when probes come from several
vantage points (issue 17), and nothing new with one. Real SQLite rows (`probes.failed_from`)."""

from __future__ import annotations

from sw_console import World
from test_console_http import client


def outage_block(html: str) -> str:
    start = html.index("<h2>首页中断</h2>")
    return html[start : html.index("<h2>维护报备</h2>", start)]


def test_single_vantage_outage_shows_no_vantage_column(app) -> None:
    block = outage_block(client(app, "viewer").get("/sites/flaky").text)
    assert "尚未恢复" not in block and '<td class="num">3</td>' in block
    assert "从何处监测到" not in block and "监测点" not in block


def test_outage_seen_from_two_vantages_names_them_escaped(app, world: World) -> None:
    # The night of 12-29: the cluster writer's verdict rows, down from both networks.
    world.conn.execute(
        "UPDATE probes SET failed_from = '电信,<i>联通</i>' WHERE site_id = 'flaky' AND ok = 0"
    )
    world.conn.commit()
    block = outage_block(client(app, "viewer").get("/sites/flaky").text)
    assert "<th>从何处监测到</th>" in block
    assert "自监测点 &lt;i&gt;联通&lt;/i&gt;、电信 均无法访问" in block
    assert "<i>" not in block
