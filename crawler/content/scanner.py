"""Match one text against everything the content checks look for, in one Aho-Corasick pass.

A `ContentScanner` is built once per crawl from `ContentRules` (building the automaton of the
default confusion dictionary takes seconds; scanning a page takes well under a millisecond).
`scan(text, on)` returns the page's findings; `on` is the page's date, against which leader
titles are judged.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

import ahocorasick

from crawler.content.dictionaries import Leader, ShapeTable, WordEntry, name_variants
from crawler.content.personal import NumberMatch, personal_numbers

SNIPPET_CHARS = 20  # context kept on each side of a finding
# A title written right before or after a name belongs to it (局长张三, 张三副局长).
NAME_SUFFIX_TITLES_GAP = 0
# 密级 marking in the GB/T 9704 form: 秘密★1年, 机密★, 绝密★长期.
CLASSIFIED_MARK = re.compile(r"(绝密|机密|秘密)\s*★")
CJK_GAP = re.compile(r"(?<=[\u4e00-\u9fff])\s+(?=[\u4e00-\u9fff])")
CJK_RUN = re.compile(r"[\u4e00-\u9fff]{4,}")
# Every personal number has 11 digits in a row or 4-digit groups; pages without are skipped.
LONG_NUMBER = re.compile(r"\d{11}|\d{4}[ -]\d{4}[ -]\d{4}")
WHITESPACE = re.compile(r"\s+")
# A short leader name slip is only reported next to a title: 2-character variants are words.
MIN_BARE_NAME = 3
PERSONAL_SEVERITY = {"id_number": "serious", "bank_card": "serious", "mobile": "suspected"}
NOT_IN_OFFICE = "该日期无在任职务"
# "局长：何思源" in a leader table: the colon still ties the title to the name.
TITLE_SEPARATORS = "：: "
# add(check, term, suggestion, severity, start, end): record a finding once per (check, term).
Adder = Callable[[str, str, str, str, int, int], None]


@dataclass(frozen=True)
class ContentFinding:
    """One problem in a text: what check found it, the term, a suggestion, severity, context."""

    check: str  # leader_name | leader_title | confusion | sensitive | classified | id_number …
    term: str  # as found (personal numbers masked)
    suggestion: str
    severity: str  # serious | suspected
    snippet: str
    position: int


@dataclass
class ContentRules:
    """What to look for: built from the group's files and the default dictionary."""

    leaders: list[Leader] = field(default_factory=list)
    confusions: dict[str, WordEntry] = field(default_factory=dict)  # wrong -> entry (right)
    # The default dictionary (wrong -> right, 4 characters each, ~640,000 pairs): looked up by
    # the text's 4-character windows, which needs a fraction of an automaton's memory.
    four_char_slips: dict[str, str] = field(default_factory=dict)
    sensitive: list[WordEntry] = field(default_factory=list)
    markings: list[WordEntry] = field(default_factory=list)
    personal_data: bool = True
    # Similar-shaped characters (形近字) from the group's files: leader-name slips beside
    # the homophones.
    similar_shapes: ShapeTable = field(default_factory=dict)


def normalise(text: str) -> str:
    """No whitespace between two Chinese characters (王  伟 → 王伟); other runs stay as they are
    (snippets collapse theirs), so a page costs one substitution pass."""
    return CJK_GAP.sub("", text)


def snippet(text: str, start: int, end: int, numbers: list[NumberMatch]) -> str:
    """The finding with SNIPPET_CHARS of context, personal numbers in it masked."""
    lo, hi = max(0, start - SNIPPET_CHARS), min(len(text), end + SNIPPET_CHARS)
    for number in numbers:  # a number cut by the window is taken whole, so it can be masked
        if number.start < hi and lo < number.end:
            lo, hi = min(lo, number.start), max(hi, number.end)
    part = text[lo:hi]
    for number in sorted(numbers, key=lambda n: -n.start):
        if lo <= number.start and number.end <= hi:
            a, b = number.start - lo, number.end - lo
            part = part[:a] + number.masked + part[b:]
    return WHITESPACE.sub(" ", part).strip()


class ContentScanner:
    """An Aho-Corasick automaton over every term, plus the personal-data patterns."""

    def __init__(self, rules: ContentRules) -> None:
        self.rules = rules
        self.titles = sorted({leader.title for leader in rules.leaders}, key=len, reverse=True)
        self.by_name: dict[str, list[Leader]] = defaultdict(list)
        for leader in rules.leaders:
            self.by_name[leader.name].append(leader)
        self.automaton = self._build()

    def _build(self) -> ahocorasick.Automaton | None:
        patterns: dict[str, list[tuple[str, str, str]]] = defaultdict(list)
        for wrong, entry in self.rules.confusions.items():
            patterns[wrong].append(("confusion", entry.suggestion, entry.severity))
        for entry in self.rules.sensitive:
            patterns[entry.term].append(("sensitive", "", entry.severity))
        for entry in self.rules.markings:
            patterns[entry.term].append(("classified", "", entry.severity))
        for name in self.by_name:
            patterns[name].append(("leader", name, ""))
            for variant, right in name_variants(name, self.rules.similar_shapes).items():
                if variant not in self.by_name:
                    patterns[variant].append(("leader_name", right, ""))
        if not patterns:
            return None
        automaton = ahocorasick.Automaton()
        for term, payloads in patterns.items():
            automaton.add_word(term, (term, tuple(payloads)))
        automaton.make_automaton()
        return automaton

    def scan(self, raw_text: str, on: date) -> list[ContentFinding]:
        """The text's findings, one per (check, term), in order of appearance."""
        text = normalise(raw_text)
        wanted = self.rules.personal_data and LONG_NUMBER.search(text) is not None
        numbers = personal_numbers(text) if wanted else []
        found: dict[tuple[str, str], ContentFinding] = {}

        def add(
            check: str, term: str, suggestion: str, severity: str, start: int, end: int
        ) -> None:
            if (check, term) not in found:
                context = snippet(text, start, end, numbers)
                found[(check, term)] = ContentFinding(
                    check, term, suggestion, severity, context, start
                )

        if self.automaton is not None:
            for last, (term, payloads) in self.automaton.iter(text):
                start, end = last - len(term) + 1, last + 1
                for check, suggestion, severity in payloads:
                    self._term(text, check, term, suggestion, severity, start, end, on, add)
        for wrong, right, start in self.four_char_hits(text):
            add("confusion", wrong, right, "suspected", start, start + len(wrong))
        for match in CLASSIFIED_MARK.finditer(text):
            add("classified", match.group(), "", "serious", match.start(), match.end())
        for number in numbers:
            add(
                number.kind, number.masked, "", PERSONAL_SEVERITY[number.kind],
                number.start, number.end,
            )  # fmt: skip
        return sorted(found.values(), key=lambda f: f.position)

    def four_char_hits(self, text: str) -> list[tuple[str, str, int]]:
        """(wrong, right, position) of the default dictionary's words in the text."""
        slips = self.rules.four_char_slips
        if not slips:
            return []
        grams = {run[i : i + 4] for run in CJK_RUN.findall(text) for i in range(len(run) - 3)}
        hits = grams & slips.keys()
        return [(wrong, slips[wrong], text.find(wrong)) for wrong in hits]

    def _term(
        self,
        text: str,
        check: str,
        term: str,
        suggestion: str,
        severity: str,
        start: int,
        end: int,
        on: date,
        add: Adder,
    ) -> None:
        """Turn one dictionary hit into a finding, or none (leader names need their title)."""
        if check == "leader":
            self._leader_title(text, term, start, end, on, add)
        elif check == "leader_name":
            title = self.adjacent_title(text, start, end)
            held = {leader.title for leader in self.by_name[suggestion]}
            if title in held:
                add(check, term, suggestion, "serious", start, end)
            elif title is None and len(term) >= MIN_BARE_NAME:
                add(check, term, suggestion, "suspected", start, end)
        else:
            add(check, term, suggestion, severity, start, end)

    def _leader_title(
        self, text: str, name: str, start: int, end: int, on: date, add: Adder
    ) -> None:
        """A listed leader named with a title they do not hold on the page's date."""
        title = self.adjacent_title(text, start, end)
        if title is None or any(leader.holds(title, on) for leader in self.by_name[name]):
            return
        current = [leader.title for leader in self.by_name[name] if leader.holds(leader.title, on)]
        add(
            "leader_title",
            f"{name}（{title}）",
            "、".join(current) or NOT_IN_OFFICE,
            "serious",
            start,
            end,
        )

    def adjacent_title(self, text: str, start: int, end: int) -> str | None:
        """The longest listed title written right before or right after a name."""
        before = text[max(0, start - 12) : start].rstrip(TITLE_SEPARATORS)
        after = text[end : end + 12]
        for title in self.titles:
            if before.endswith(title) or after.startswith(title):
                return title
        return None
