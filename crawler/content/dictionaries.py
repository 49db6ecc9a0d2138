"""The word lists the content checks match: leaders, confusion pairs, sensitive words, markings.

The default confusion dictionary and the homophones of leader names come from the data files of
pypinyin (MIT), read at run time as plain JSON through the installed distribution (nothing is
imported from it, nothing is downloaded). The leader list, the group's own confusion pairs,
sensitive words and classified markings are local files the group maintains.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from functools import cache
from importlib import metadata
from pathlib import Path
from typing import Any

from crawler.config.errors import ConfigError
from crawler.config.yamlio import read_yaml_file

PINYIN_DISTRIBUTION = "pypinyin"
PINYIN_CHARS_FILE = "pypinyin/pinyin_dict.json"
PINYIN_PHRASES_FILE = "pypinyin/phrases_dict.json"
# Set phrases of this length are the default confusion dictionary's targets: a homophone typo in
# a four-character phrase (迫不急待) is rarely another word, shorter ones often are.
PHRASE_LENGTH = 4
SEVERITIES = ("serious", "suspected")


# Character → the characters that look like it (形近字), from the group's files.
ShapeTable = dict[str, frozenset[str]]
CJK = re.compile(r"^[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+$")


class ContentFileError(ValueError):
    """A content-check file the group provides cannot be read; the message names file and line."""


@dataclass(frozen=True)
class Leader:
    """One post a leader held: name, title (职务), unit, from/to dates (to None: still holds)."""

    name: str
    title: str
    unit: str = ""
    start: date | None = None
    end: date | None = None

    def holds(self, title: str, on: date) -> bool:
        """Whether this entry gives the person `title` on day `on`."""
        return (
            self.title == title
            and (self.start is None or self.start <= on)
            and (self.end is None or on <= self.end)
        )


@dataclass(frozen=True)
class WordEntry:
    """A word of a group list with the severity of finding it (and a suggestion, if any)."""

    term: str
    severity: str
    suggestion: str = ""


# --- pypinyin's data ---------------------------------------------------------------------------


def pinyin_data_file(name: str) -> Path:
    """A data file of the installed pypinyin distribution (located, never imported)."""
    path = Path(str(metadata.distribution(PINYIN_DISTRIBUTION).locate_file(name)))
    if not path.is_file():
        raise ContentFileError(f"{path}: pypinyin data file missing (reinstall pypinyin)")
    return path


def common_char(char: str) -> bool:
    """A level-1 character of GB 2312 (the 3,755 most common): the only typo candidates."""
    try:
        encoded = char.encode("gb2312")
    except UnicodeEncodeError:
        return False
    return len(encoded) == 2 and 0xB0 <= encoded[0] <= 0xD7


def toneless(syllable: str) -> str:
    """'zhāng' → 'zhang' (ü kept as ü)."""
    decomposed = unicodedata.normalize("NFD", syllable)
    kept = "".join(c for c in decomposed if unicodedata.category(c) != "Mn" or c == "\u0308")
    return unicodedata.normalize("NFC", kept)


@cache
def char_readings() -> dict[str, tuple[str, ...]]:
    """Every common character's readings with tones (pypinyin's pinyin_dict.json)."""
    raw = json.loads(pinyin_data_file(PINYIN_CHARS_FILE).read_text(encoding="utf-8"))
    readings: dict[str, tuple[str, ...]] = {}
    for code, value in raw.items():
        char = chr(int(code))
        if common_char(char):
            readings[char] = tuple(value.split(","))
    return readings


@cache
def homophone_table(with_tone: bool) -> dict[str, tuple[str, ...]]:
    """Reading → the common characters that have it (toned or toneless)."""
    table: dict[str, list[str]] = defaultdict(list)
    for char, readings in char_readings().items():
        for reading in dict.fromkeys(r if with_tone else toneless(r) for r in readings):
            table[reading].append(char)
    return {reading: tuple(chars) for reading, chars in table.items()}


def homophones(char: str, *, with_tone: bool, reading: str | None = None) -> set[str]:
    """Common characters sounding like `char` (in `reading`, else in any of its readings)."""
    table = homophone_table(with_tone)
    readings = [reading] if reading else list(char_readings().get(char, ()))
    keys = {r if with_tone else toneless(r) for r in readings}
    return {alt for key in keys for alt in table.get(key, ()) if alt != char}


def name_variants(name: str, shapes: ShapeTable | None = None) -> dict[str, str]:
    """Variant → name for every one-character slip in a leader's name: a homophone (toneless)
    or, with the group's table, a similar-shaped character (形近字)."""
    variants = {}
    for index, char in enumerate(name):
        alts = homophones(char, with_tone=False) | set((shapes or {}).get(char, ()))
        for alt in sorted(alts - {char}):
            variants[name[:index] + alt + name[index + 1 :]] = name
    return variants


@cache
def default_confusions() -> dict[str, str]:
    """Wrong → right: one-character same-tone homophone slips in pypinyin's 4-character phrases
    whose result is not itself a phrase (迫不急待 → 迫不及待)."""
    raw = json.loads(pinyin_data_file(PINYIN_PHRASES_FILE).read_text(encoding="utf-8"))
    phrases = set(raw)
    table = homophone_table(True)
    wrong: dict[str, str] = {}
    for phrase, readings in raw.items():
        if len(phrase) != PHRASE_LENGTH or any(len(r) != 1 for r in readings):
            continue
        for index, char in enumerate(phrase):
            for alt in table.get(readings[index][0], ()):
                variant = phrase[:index] + alt + phrase[index + 1 :]
                if alt != char and variant not in phrases:
                    wrong.setdefault(variant, phrase)
    return wrong


# --- the group's files -------------------------------------------------------------------------


def _day(value: Any, where: str) -> date | None:
    if value in (None, ""):
        return None
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        raise ContentFileError(f"{where}: '{value}' is not a date (YYYY-MM-DD)") from None


def load_leaders(path: Path) -> list[Leader]:
    """`leaders:` entries of a leaders YAML file (name, title, unit, from, to)."""
    try:  # the one hardened YAML loader (crawler/config/yamlio.py): depth, aliases, size
        raw = read_yaml_file(path, "a mapping with leaders:")
    except (ConfigError, ValueError) as exc:  # ValueError: a date like 2012-13-01
        problem = str(exc).removeprefix(f"{path}: ")
        raise ContentFileError(f"{path}: cannot read the leader list ({problem})") from None
    entries = raw.get("leaders") if isinstance(raw, dict) else None
    if not isinstance(entries, list):
        raise ContentFileError(f"{path}: expected a list under 'leaders:'")
    leaders = []
    for index, entry in enumerate(entries, start=1):
        where = f"{path}: leaders entry {index}"
        if not isinstance(entry, dict) or not entry.get("name") or not entry.get("title"):
            raise ContentFileError(f"{where}: 'name' and 'title' are required")
        leader = Leader(
            name=str(entry["name"]).strip(),
            title=str(entry["title"]).strip(),
            unit=str(entry.get("unit") or "").strip(),
            start=_day(entry.get("from"), f"{where}, field 'from'"),
            end=_day(entry.get("to"), f"{where}, field 'to'"),
        )
        if leader.start and leader.end and leader.end < leader.start:
            raise ContentFileError(f"{where}: 'to' is before 'from'")
        leaders.append(leader)
    return leaders


def load_word_file(path: Path, *, default_severity: str, pairs: bool = False) -> list[WordEntry]:
    """One entry a line: `word [severity]` or, with pairs, `wrong right [severity]`.

    Blank lines and lines starting with # are skipped; severity is 严重/疑似 (or serious/suspected).
    """
    try:
        lines = path.read_text(encoding="utf-8-sig").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise ContentFileError(f"{path}: cannot read ({exc})") from None
    entries = []
    for number, line in enumerate(lines, start=1):
        fields = line.split()
        if not fields or fields[0].startswith("#"):
            continue
        wanted = 2 if pairs else 1
        if len(fields) < wanted or len(fields) > wanted + 1:
            shape = "wrong right [严重|疑似]" if pairs else "word [严重|疑似]"
            raise ContentFileError(f"{path}, line {number}: expected '{shape}'")
        severity = default_severity
        if len(fields) == wanted + 1:
            severity = {"严重": "serious", "疑似": "suspected"}.get(fields[-1], fields[-1])
            if severity not in SEVERITIES:
                raise ContentFileError(
                    f"{path}, line {number}: severity must be 严重 or 疑似, got '{fields[-1]}'"
                )
        entries.append(WordEntry(fields[0], severity, fields[1] if pairs else ""))
    return entries


def shape_groups(groups: list[tuple[str, str]]) -> ShapeTable:
    """(where, group) pairs → the table: each character of a group looks like the others.

    A group is written as characters with or without spaces between them (`己 已 巳`, `思恩`).
    """
    table: dict[str, set[str]] = defaultdict(set)
    for where, group in groups:
        chars = "".join(group.split())
        if len(set(chars)) < 2 or not CJK.match(chars):
            raise ContentFileError(
                f"{where}: expected two or more Chinese characters, got '{group}'"
            )
        for char in chars:
            table[char].update(c for c in chars if c != char)
    return {char: frozenset(alts) for char, alts in table.items()}


def load_shape_file(path: Path) -> ShapeTable:
    """A similar-shape file: one group of look-alike characters a line; # starts a comment."""
    try:
        lines = path.read_text(encoding="utf-8-sig").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise ContentFileError(f"{path}: cannot read ({exc})") from None
    groups = [
        (f"{path}, line {number}", line.split("#", 1)[0])
        for number, line in enumerate(lines, start=1)
        if line.split("#", 1)[0].strip()
    ]
    return shape_groups(groups)


def leader_shapes(path: Path) -> ShapeTable:
    """The `similar_shapes:` list a leaders file may carry next to `leaders:` (the look-alikes
    of its names' characters, kept with the names)."""
    raw = read_yaml_file(path, "a mapping with leaders:")
    entries = raw.get("similar_shapes") if isinstance(raw, dict) else None
    if entries is None:
        return {}
    if not isinstance(entries, list):
        raise ContentFileError(
            f"{path}: expected a list of character groups under 'similar_shapes:'"
        )
    return shape_groups(
        [(f"{path}: similar_shapes entry {i}", str(e)) for i, e in enumerate(entries, start=1)]
    )


def merged_shapes(*tables: ShapeTable) -> ShapeTable:
    """Several shape tables as one."""
    out: dict[str, set[str]] = defaultdict(set)
    for table in tables:
        for char, alts in table.items():
            out[char].update(alts)
    return {char: frozenset(alts) for char, alts in out.items()}
