"""HTTPS and IPv6 end to end: the simulator serves HTTPS (a CA made at run time), a plain-HTTP
entrance and ::1; `sitewatch crawl` then `sitewatch probe` check the sites, `sitewatch check`
judges them with the national profile. Every seeded case of the simulator's truth is found and
no OK site is flagged (precision and recall printed)."""

from __future__ import annotations

import json
import socket
import sqlite3
from collections.abc import Iterator
from typing import Any

import pytest
import yaml
from sw_testing import bindable, demo_config, simulator, sitewatch, worker_port

pytestmark = pytest.mark.slow

# Which national rules each seeded case must trigger (and no other transport rule).
EXPECTED_RULES = {
    "http_only": {"https-certificate", "http-redirect-https"},
    "expired_certificate": {"https-certificate"},
    "no_ipv6": {"ipv6-home", "ipv6-inner-links"},
}
TRANSPORT_RULES = {
    "https-certificate",
    "https-certificate-expiring",
    "http-redirect-https",
    "ipv6-home",
    "ipv6-inner-links",
}
EXPECTED_STATES = {
    "http_only": ("missing", "not_redirected", "ok"),
    "expired_certificate": ("expired", "redirects", "ok"),
    "no_ipv6": ("ok", "redirects", "no_aaaa"),
    None: ("ok", "redirects", "ok"),
}


def ipv6_loopback() -> bool:
    try:
        with socket.socket(socket.AF_INET6) as probe:
            probe.bind(("::1", 0))
    except OSError:
        return False
    return True


def transport_port() -> int:
    """A site port whose HTTPS (+443) and HTTP-entrance (+80) twins are free as well."""
    for base in (19700, 0):
        port = worker_port(base) if base else (bindable(0) or 0)
        if bindable(port + 443) and bindable(port + 80) and port + 443 < 65536:
            return port
    raise RuntimeError("no free ports")


@pytest.fixture(scope="module")
def checked(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    if not ipv6_loopback():
        pytest.skip("no ::1 on this machine")
    tmp = tmp_path_factory.mktemp("transport")
    port = transport_port()
    tls = tmp / "tls"
    with simulator(port, faults="none", extra=("--transport", str(tls))) as sim:
        truth = sim.truth()
        cases = {site: case for case in EXPECTED_RULES for site in truth["transport"][case]}
        others = [s["id"] for s in truth["sites"] if s["id"] not in cases][:3]
        block = yaml.safe_load((tls / "transport.yaml").read_text(encoding="utf-8"))
        config = demo_config(tmp, port, transport=block["transport"], sites=[*cases, *others])
        db = tmp / "t.db"
        for command in (
            ("crawl", "--now", "2012-12-31T09:00", "-q"),
            ("probe", "--now", "2012-12-31T10:00"),
        ):
            result = sitewatch(*command, "--config", str(config), "--db", str(db))
            assert result.returncode == 0, result.stderr[-3000:]
        result = sitewatch(
            "check", "--config", str(config), "--db", str(db), "--as-of", "2012-12-31",
            "--format", "json",
        )  # fmt: skip
        assert result.returncode == 0, result.stderr[-3000:]
        yield {
            "db": db,
            "cases": cases,
            "others": others,
            "check": json.loads(result.stdout),
            "config": config,
        }


def triggered(check: dict[str, Any]) -> set[tuple[str, str]]:
    """(site, rule) of every transport rule that failed or warned."""
    return {
        (site["site_id"], rule["id"])
        for site in check["sites"]
        for rule in site["rules"]
        if rule["id"] in TRANSPORT_RULES and rule["outcome"] in ("fail", "warning")
    }


def test_every_seeded_case_found_and_nothing_on_ok_sites(checked: dict[str, Any]) -> None:
    cases = checked["cases"]
    assert set(cases.values()) == set(EXPECTED_RULES), "the truth seeds every case"
    truth = {(site, rule) for site, case in cases.items() for rule in EXPECTED_RULES[case]}
    found = triggered(checked["check"])
    right = found & truth
    precision = len(right) / len(found) if found else 1.0
    recall = len(right) / len(truth)
    print(f"HTTPS/IPv6: precision {precision:.0%}, recall {recall:.0%} ({len(truth)} findings)")
    assert truth - found == set(), "missed"
    assert found - truth == set(), "not in the truth"
    assert {site for site, _rule in found}.isdisjoint(checked["others"])


def test_stored_states_match_the_truth(checked: dict[str, Any]) -> None:
    conn = sqlite3.connect(checked["db"])
    rows = conn.execute(
        "SELECT site_id, https_state, http_state, ipv6_state, inner_ok, inner_failed"
        " FROM transport_checks"
    ).fetchall()
    assert {row[0] for row in rows} == {*checked["cases"], *checked["others"]}
    for site, https, http, ipv6, inner_ok, inner_failed in rows:
        case = checked["cases"].get(site)
        assert (https, http, ipv6) == EXPECTED_STATES[case], site
        if case == "no_ipv6":
            assert inner_ok == 0 and inner_failed > 0
        else:
            assert inner_ok > 0 and inner_failed == 0, site


def test_evidence_reads_as_chinese_sentences(checked: dict[str, Any]) -> None:
    for site in checked["check"]["sites"]:
        for rule in site["rules"]:
            if rule["id"] in TRANSPORT_RULES and rule["outcome"] == "fail":
                assert rule["evidence"], rule["id"]
                for item in rule["evidence"]:
                    assert item["url"].startswith(("http://", "https://"))
                    assert any("\u4e00" <= ch <= "\u9fff" for ch in item["check"])


def test_checks_run_once_per_every_hours(checked: dict[str, Any]) -> None:
    """Run last: later probe rounds of the same day add no check, the next day's round does."""
    conn = sqlite3.connect(checked["db"])
    sites = len(checked["cases"]) + len(checked["others"])

    def rows_after(now: str) -> int:
        args = ("--config", str(checked["config"]), "--db", str(checked["db"]), "--now", now)
        result = sitewatch("probe", *args)
        assert result.returncode == 0, result.stderr[-3000:]
        return int(conn.execute("SELECT COUNT(*) FROM transport_checks").fetchone()[0])

    assert rows_after("2012-12-31T11:00") == sites
    assert rows_after("2013-01-01T10:00") == 2 * sites
