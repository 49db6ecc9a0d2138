"""The HTTPS/IPv6 rules on stored checks: findings, the 30-day certificate warning, the
provincial example's tighter numbers, and 无法验证 (unverifiable) never judged a failure."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

from analysis.standards.engine import evaluate
from analysis.standards.profile import load_profile
from crawler.store import Store, open_db
from crawler.transport import InnerLink, Outcome, TransportResult
from crawler.transport_run import store_results

PROFILES = Path(__file__).parents[2] / "analysis" / "standards" / "profiles"
CHECKED = datetime(2012, 12, 30, 10, 0)
AS_OF = date(2012, 12, 31)
RULES = (
    "https-certificate",
    "https-certificate-expiring",
    "http-redirect-https",
    "ipv6-home",
    "ipv6-inner-links",
)
OK = Outcome("ok", "", "2014-06-30T00:00:00+00:00")
REDIRECTS = Outcome("redirects", "https://x/")
IPV6_OK = Outcome("ok", "100% alike", "2001:db8::1")
UNVERIFIABLE = Outcome("unverifiable", "no IPv6 route to 2001:db8::1 from this host")


def links(ok: int, failed: int, unverifiable: int = 0) -> list[InnerLink]:
    states = ["ok"] * ok + ["failed"] * failed + ["unverifiable"] * unverifiable
    return [InnerLink(f"http://x/{n}.html", state) for n, state in enumerate(states)]


def result(site: str, **parts: object) -> TransportResult:
    values: dict[str, object] = {
        "https": OK,
        "http": REDIRECTS,
        "ipv6": IPV6_OK,
        "inner": links(10, 0),
        **parts,
    }
    home = f"http://{site}.example/"
    return TransportResult(
        site,
        home,
        f"https://{site}.example/",
        values["https"],  # type: ignore[arg-type]
        home,
        values["http"],  # type: ignore[arg-type]
        values["ipv6"],  # type: ignore[arg-type]
        values["inner"],  # type: ignore[arg-type]
    )


CASES = [
    result("clean"),
    result("expiring", https=Outcome("ok", "", "2013-01-20T08:00:00+00:00")),  # 20 days left
    result("in-45-days", https=Outcome("ok", "", "2013-02-14T08:00:00+00:00")),
    result("expired", https=Outcome("expired", "certificate has expired")),
    result("plain", https=Outcome("missing", "refused"), http=Outcome("not_redirected", "200")),
    result("no-aaaa", ipv6=Outcome("no_aaaa", "no-aaaa.example"), inner=links(0, 10)),
    result("few-inner", inner=links(8, 2)),  # 80 %: under the national 90 %
    result("no-route", ipv6=UNVERIFIABLE, inner=links(0, 0, 10)),
    result("no-dns", https=UNVERIFIABLE, http=UNVERIFIABLE, ipv6=UNVERIFIABLE),
]


def judged(tmp_path: Path, profile: str) -> dict[str, dict[str, str]]:
    store = Store(open_db(tmp_path / "t.db"))
    for case in CASES:
        store.upsert_site(
            site_id=case.site_id, name=case.site_id, unit_type="city", parent=None,
            home_url=case.home_url, allowed_domains=[f"{case.site_id}.example"], now=CHECKED,
        )  # fmt: skip
    store_results(store.conn, CASES, CHECKED)
    verdicts = evaluate(store.conn, load_profile(PROFILES / profile), AS_OF)
    return {v.site_id: {r.id: r.outcome.value for r in v.rules if r.id in RULES} for v in verdicts}


def raised(outcomes: dict[str, dict[str, str]]) -> set[tuple[str, str, str]]:
    return {
        (site, rule, outcome)
        for site, rules in outcomes.items()
        for rule, outcome in rules.items()
        if outcome in ("fail", "warning")
    }


def test_national_findings_and_warnings(tmp_path: Path) -> None:
    outcomes = judged(tmp_path, "national.yaml")
    assert raised(outcomes) == {
        ("expiring", "https-certificate-expiring", "warning"),
        ("expired", "https-certificate", "fail"),
        ("plain", "https-certificate", "fail"),
        ("plain", "http-redirect-https", "fail"),
        ("no-aaaa", "ipv6-home", "fail"),
        ("no-aaaa", "ipv6-inner-links", "warning"),
        ("few-inner", "ipv6-inner-links", "warning"),
    }


def test_unverifiable_is_no_verdict_never_a_failure(tmp_path: Path) -> None:
    outcomes = judged(tmp_path, "national.yaml")
    assert outcomes["no-route"]["ipv6-home"] == "no_data"
    assert outcomes["no-route"]["ipv6-inner-links"] == "no_data"
    assert outcomes["no-route"]["https-certificate"] == "pass"
    assert {outcomes["no-dns"][rule] for rule in ("https-certificate", "ipv6-home")} == {"no_data"}


def test_provincial_example_is_stricter(tmp_path: Path) -> None:
    outcomes = judged(tmp_path, "provincial-example.yaml")
    assert outcomes["few-inner"]["ipv6-inner-links"] == "fail"  # 80 % < 95 %
    assert outcomes["clean"]["https-certificate-expiring"] == "pass"
    assert outcomes["in-45-days"]["https-certificate-expiring"] == "warning"  # within 60 days
    assert judged(tmp_path / "n", "national.yaml")["in-45-days"]["https-certificate-expiring"] == (
        "pass"
    )
