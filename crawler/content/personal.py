"""Personal data in text: ID numbers (GB 11643 check digit), mobile numbers, bank card numbers.

Pure functions; each returns the matches with their span so a finding can quote its context.
Numbers are only matched as whole runs of digits (a longer number is not an ID number).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

ID_NUMBER = re.compile(
    r"(?<![0-9A-Za-z])[1-8]\d{5}(?:18|19|20)\d{2}\d{2}\d{2}\d{3}[0-9Xx](?![0-9A-Za-z])"
)
MOBILE = re.compile(r"(?<![\d.])(?:\+?86[- ]?)?1[3-9]\d{9}(?![\d.])")
BANK_CARD = re.compile(r"(?<![\d-])(?:\d[ -]?){15,18}\d(?![\d-])")
# A card number is only reported next to a word that says it is one: a bare 16–19 digit
# number on a government page is far more often an order, case or document number.
CARD_CONTEXT = re.compile(r"卡号|银行卡|账号|帐号|开户|银行|储蓄卡|信用卡|借记卡|收款")
CARD_CONTEXT_CHARS = 20
ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
ID_CHECK = "10X98765432"


@dataclass(frozen=True)
class NumberMatch:
    """One personal number found in text: its kind, the digits, the span and a masked form."""

    kind: str  # id_number | mobile | bank_card
    value: str
    start: int
    end: int
    masked: str


def id_check_digit(first17: str) -> str:
    """The GB 11643-1999 check character of the first 17 digits of an ID number."""
    total = sum(int(d) * w for d, w in zip(first17, ID_WEIGHTS, strict=True))
    return ID_CHECK[total % 11]


def valid_id_number(number: str) -> bool:
    """18 characters, a real birth date and the right check character."""
    if len(number) != 18 or not number[:17].isdigit():
        return False
    try:
        date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        return False
    return id_check_digit(number[:17]) == number[17].upper()


def luhn_valid(digits: str) -> bool:
    """The Luhn (mod 10) check used by bank card numbers."""
    total = 0
    for index, char in enumerate(reversed(digits)):
        value = int(char)
        if index % 2 == 1:
            value = value * 2 - 9 if value > 4 else value * 2
        total += value
    return total % 10 == 0


def mask(value: str, keep_start: int, keep_end: int) -> str:
    """Hide the middle of a number so reports and the database do not leak it again."""
    hidden = len(value) - keep_start - keep_end
    return value[:keep_start] + "*" * max(hidden, 0) + value[len(value) - keep_end :]


def id_numbers(text: str) -> list[NumberMatch]:
    """18-digit resident ID numbers with a valid birth date and check digit."""
    return [
        NumberMatch("id_number", m.group(), m.start(), m.end(), mask(m.group().upper(), 6, 4))
        for m in ID_NUMBER.finditer(text)
        if valid_id_number(m.group())
    ]


def mobile_numbers(text: str) -> list[NumberMatch]:
    """Mainland mobile numbers (11 digits, 13x–19x), optionally with +86."""
    out = []
    for m in MOBILE.finditer(text):
        digits = re.sub(r"\D", "", m.group())[-11:]
        out.append(NumberMatch("mobile", digits, m.start(), m.end(), mask(digits, 3, 4)))
    return out


def bank_cards(text: str) -> list[NumberMatch]:
    """16–19 digit numbers with a valid Luhn digit and a card/account word close before them."""
    out = []
    for m in BANK_CARD.finditer(text):
        digits = re.sub(r"\D", "", m.group())
        if not 16 <= len(digits) <= 19 or not luhn_valid(digits) or valid_id_number(digits):
            continue
        before = text[max(0, m.start() - CARD_CONTEXT_CHARS) : m.start()]
        if CARD_CONTEXT.search(before):
            out.append(NumberMatch("bank_card", digits, m.start(), m.end(), mask(digits, 4, 4)))
    return out


def personal_numbers(text: str) -> list[NumberMatch]:
    """Every ID, bank card and mobile number in text (an ID is never also a card)."""
    return id_numbers(text) + bank_cards(text) + mobile_numbers(text)
