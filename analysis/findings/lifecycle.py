"""What a check does to the findings it judged: pure decisions, stored by `store.sync`.

For every (site, rule) a check judged, each finding of that pair either is still observed or is
not; together with its state and exemption date that decides its next state:

  observed and fixed (已整改)            → rectifying (整改中), "复查不通过", re-opened + 1
  observed and closed (已复查关闭)        → new, "问题再次出现", re-opened + 1
  observed and exempt past its end date  → new, "豁免已到期"
  not observed and open (new … fixed)    → closed, "复查通过"
  not observed and exempt past its end   → closed, "豁免已到期，问题已消失"
  anything else                          → unchanged (false positives stay false positives)
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from analysis.findings.states import OPEN_STATES, State

REOPEN_FIXED = "复查不通过"
REOPEN_CLOSED = "问题再次出现"
EXEMPTION_EXPIRED = "豁免已到期"
CHECK_PASSED = "复查通过"
EXPIRED_AND_GONE = "豁免已到期，问题已消失"


@dataclass(frozen=True)
class Move:
    """A state change a check makes: to where, why, and whether it re-opens the finding."""

    to: State
    note: str
    reopens: bool = False


def exemption_over(state: str, exempt_until: str | None, as_of: date) -> bool:
    """True when an exemption's last day is before the check date."""
    return state == State.EXEMPT and (exempt_until is None or exempt_until < as_of.isoformat())


def exemption_live(state: str, exempt_until: str | None, as_of: date) -> bool:
    """True when the finding is exempt on the as-of date."""
    return state == State.EXEMPT and not exemption_over(state, exempt_until, as_of)


def after_check(state: str, observed: bool, exempt_until: str | None, as_of: date) -> Move | None:
    """The move a check makes on one finding of a (site, rule) it judged, or None."""
    current = State(state)
    if observed:
        if current is State.FIXED:
            return Move(State.RECTIFYING, REOPEN_FIXED, reopens=True)
        if current is State.CLOSED:
            return Move(State.NEW, REOPEN_CLOSED, reopens=True)
        if exemption_over(current, exempt_until, as_of):
            return Move(State.NEW, EXEMPTION_EXPIRED)
        return None
    if current in OPEN_STATES:
        return Move(State.CLOSED, CHECK_PASSED)
    if exemption_over(current, exempt_until, as_of):
        return Move(State.CLOSED, EXPIRED_AND_GONE)
    return None


def dismissed(state: str, exempt_until: str | None, as_of: date) -> bool:
    """True when the finding stops counting: a false positive, or exempt on the as-of date."""
    return state == State.FALSE_POSITIVE or exemption_live(state, exempt_until, as_of)
