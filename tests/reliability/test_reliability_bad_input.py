"""Hostile input: fuzzed pages and dates never crash the extractors, never give a future or
pre-1990 date, never take long; hostile config files give one clear line, fast, no traceback."""

from __future__ import annotations

import time
from datetime import date
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sw_testing import sitewatch

from crawler.extract import extract_list, parse_date
from crawler.extract.dates import MIN_DATE

TODAY = date(2012, 12, 31)
PAGE_SECONDS = 2.0  # a page of a few KB: any longer is a pathological regex or walk
FRAGMENTS = [
    "<li>", "</li>", "<ul class='list'>", "</ul>", "<table>", "<tr><td>", "</td>", "<a href='",
    "/gzdt/201212/t20121205_1.html", "'>", "</a>", "<span>", "</span>", "<!--", "-->",
    "<script>", "</script>", "2012-12-05", "2099-01-01", "1989-12-31", "[12-05]", "2012年12月5日",
    "2012/13/45", "0000-00-00", "12-05", "今天是2012年12月31日 星期一", "发布日期：", "&#x0;",
    "\x00", "\ufffd", "下一页", "关于开展质量工作的通知", "href=javascript:alert(1)", ">", "<",
    "20121205", "9" * 30, "-" * 50, "<a href=", "<div class=nav>", "</div>",
]  # fmt: skip
PAGES = st.lists(st.sampled_from(FRAGMENTS) | st.text(max_size=20), max_size=300).map("".join)
DATE_TEXTS = st.lists(
    st.sampled_from(FRAGMENTS)
    | st.integers(0, 99999).map(str)
    | st.sampled_from(["-", "/", ".", "年", "月", "日", " ", "\t", "：", "T"]),
    max_size=40,
).map("".join)
FUZZ = settings(
    max_examples=150,
    deadline=int(PAGE_SECONDS * 1000),
    suppress_health_check=[HealthCheck.too_slow],
    derandomize=True,
)


def plausible(day: date | None) -> bool:
    """None, or a date between 1990-01-01 and the crawl's today."""
    return day is None or MIN_DATE <= day <= TODAY


@FUZZ
@given(text=DATE_TEXTS, default_year=st.none() | st.integers(1900, 2200))
def test_date_parser_never_gives_an_implausible_date(text: str, default_year: int | None) -> None:
    assert plausible(parse_date(text, default_year=default_year, today=TODAY))


@FUZZ
@given(page=PAGES)
def test_list_extractor_never_crashes_nor_invents_dates(page: str) -> None:
    started = time.monotonic()
    items = extract_list(page, "http://127.0.0.2:8800/gzdt/", today=TODAY)
    assert time.monotonic() - started < PAGE_SECONDS
    for item in items:
        assert plausible(item.date), item
        assert item.url.startswith("http"), item


def test_list_extractor_on_a_huge_flat_page_is_bounded() -> None:
    rows = "".join(
        f"<li><a href='/gzdt/p{n}.html'>质量工作通知第{n}号</a><span>2012-12-05</span></li>"
        for n in range(5000)
    )
    page = f"<ul>{rows}</ul>" + "<div>" * 3000 + "x" + "</div>" * 3000
    started = time.monotonic()
    items = extract_list(page, "http://127.0.0.2:8800/gzdt/", today=TODAY)
    assert time.monotonic() - started < 10
    assert len(items) == 5000


def billion_laughs() -> str:
    """Nine levels of nine aliases: 387 million strings once expanded."""
    lines = ['a0: &a0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    for level in range(1, 9):
        lines.append(f"a{level}: &a{level} [{', '.join([f'*a{level - 1}'] * 9)}]")
    site = "{id: s, name: 站, unit_type: city, home_url: 'http://s.gov.cn/', allowed_domains: *a8}"
    return "\n".join([*lines, "group: {name: x}", f"sites: [{site}]"]) + "\n"


HOSTILE_CONFIGS: dict[str, tuple[bytes, str]] = {
    "billion laughs": (billion_laughs().encode(), "aliases expand to more than"),
    "deep sequence": (b"group: {name: x}\nsites: " + b"[" * 20000 + b"]" * 20000, "nested more"),
    "deep mapping": (b"group: " + b"{a: " * 5000 + b"1" + b"}" * 5000, "nested more"),
    "python object tag": (
        b'group: !!python/object/apply:os.system ["echo pwned"]\nsites: []\n',
        "could not determine a constructor",
    ),
    "binary garbage": (bytes(range(256)) * 64, "not UTF-8"),
    "huge file": (b"# padding\n" * 1_000_000, "too large"),
}


@pytest.mark.parametrize("case", sorted(HOSTILE_CONFIGS))
def test_hostile_config_gives_one_clear_line(tmp_path: Path, case: str) -> None:
    content, expected = HOSTILE_CONFIGS[case]
    path = tmp_path / "hostile.yaml"
    path.write_bytes(content)
    started = time.monotonic()
    result = sitewatch("validate", "--config", str(path), timeout=60)
    elapsed = time.monotonic() - started
    assert result.returncode != 0
    message = result.stderr.strip()
    assert "Traceback" not in result.stderr + result.stdout
    assert len(message.splitlines()) == 1, message[:2000]
    assert expected in message and str(path) in message, message[:500]
    assert elapsed < 15
    assert not (tmp_path / "pwned").exists()


def test_secrets_come_only_from_the_environment() -> None:
    # No password or token literal in the shipped configs: credentials are read from os.environ.
    root = Path(__file__).resolve().parents[2]
    for path in (root / "config").rglob("*.yaml"):
        text = path.read_text(encoding="utf-8").lower()
        for line in text.splitlines():
            key, _, value = line.partition(":")
            if any(word in key for word in ("password", "secret", "token", "api_key")):
                value = value.split("#")[0].strip().strip("'\"")
                assert value == "" or value.startswith("${") or "env" in key, (path, line)
