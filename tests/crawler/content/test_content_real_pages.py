"""Content checks on real government pages: nothing reported on pages that hold nothing.

The expected findings were read off the pages by hand: 008 (a procurement notice) lists two
contact persons' mobile numbers; no other page holds a leader of config/leaders.yaml, a wrong
word of the dictionary, a marking or personal data.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from crawler.content.config import ContentConfig
from crawler.content.rules import rules_from_files
from crawler.content.scanner import ContentScanner
from crawler.content.text import page_text
from crawler.extract.encoding import decode_html
from crawler.extract.tree import parse_html

ROOT = Path(__file__).parents[3]
PAGES = ROOT.parent / "shared" / "fixtures" / "real-pages"
EXPECTED = {"008.html": {("mobile", "189****9580"), ("mobile", "186****5418")}}


@pytest.fixture(scope="module")
def scanner() -> ContentScanner:
    rules = rules_from_files(
        ContentConfig(),
        leaders=ROOT / "config" / "leaders.yaml",
        confusion=None,
        sensitive=None,
        markings=None,
    )
    return ContentScanner(rules)


def test_real_pages_give_only_the_findings_they_hold(scanner: ContentScanner) -> None:
    pages = sorted(PAGES.glob("*.html"))
    if not pages:
        pytest.skip(f"{PAGES}: the shared real pages are not here")
    false_positives = 0
    missed = 0
    for page in pages:
        html, _codec = decode_html(page.read_bytes(), None)
        found = {(f.check, f.term) for f in scanner.scan(page_text(parse_html(html)), date.today())}
        expected = EXPECTED.get(page.name, set())
        false_positives += len(found - expected)
        missed += len(expected - found)
    clean = len(pages) - len(EXPECTED)
    rate = 1000 * false_positives / len(pages)
    print(f"real pages: {len(pages)} ({clean} clean), false positives {false_positives}")
    print(f"false-positive rate: {rate:.1f} per 1,000 pages; missed {missed}")
    assert len(pages) >= 30
    assert false_positives == 0
    assert missed == 0
