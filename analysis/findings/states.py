"""The states of a finding and the moves a person may make between them."""

from __future__ import annotations

from enum import StrEnum


class State(StrEnum):
    """Where a finding stands in the rectification workflow."""

    NEW = "new"
    NOTIFIED = "notified"
    RECTIFYING = "rectifying"
    FIXED = "fixed"
    CLOSED = "closed"
    FALSE_POSITIVE = "false_positive"
    EXEMPT = "exempt"


LABELS: dict[State, str] = {
    State.NEW: "新发现",
    State.NOTIFIED: "已通知",
    State.RECTIFYING: "整改中",
    State.FIXED: "已整改（待复查）",
    State.CLOSED: "已复查关闭",
    State.FALSE_POSITIVE: "误报",
    State.EXEMPT: "豁免",
}

# States in which a finding is an open problem of its site.
OPEN_STATES = frozenset({State.NEW, State.NOTIFIED, State.RECTIFYING, State.FIXED})

# What a reviewer may do from each state. `closed` is reached only by a check that finds the
# problem gone; a re-check that still fails re-opens a `fixed` finding (see lifecycle).
MOVES: dict[State, frozenset[State]] = {
    State.NEW: frozenset(
        {State.NOTIFIED, State.RECTIFYING, State.FIXED, State.FALSE_POSITIVE, State.EXEMPT}
    ),
    State.NOTIFIED: frozenset({State.RECTIFYING, State.FIXED, State.FALSE_POSITIVE, State.EXEMPT}),
    State.RECTIFYING: frozenset({State.NOTIFIED, State.FIXED, State.FALSE_POSITIVE, State.EXEMPT}),
    State.FIXED: frozenset({State.RECTIFYING, State.FALSE_POSITIVE, State.EXEMPT}),
    State.CLOSED: frozenset(),
    State.FALSE_POSITIVE: frozenset({State.NEW}),  # 撤销误报
    State.EXEMPT: frozenset({State.NEW, State.RECTIFYING, State.EXEMPT}),  # end or extend
}


class TransitionError(ValueError):
    """A move the workflow does not allow, or one missing its reason or date (user message)."""


def label(state: str) -> str:
    """The Chinese name of a state (the key itself when unknown)."""
    try:
        return LABELS[State(state)]
    except ValueError:
        return state


def parse_state(value: str) -> State:
    """A state from its key or its Chinese name; TransitionError when neither."""
    for state, name in LABELS.items():
        if value in (state.value, name):
            return state
    known = "、".join(f"{s.value}（{n}）" for s, n in LABELS.items())
    raise TransitionError(f"未知状态“{value}”，可用：{known}")


def allowed_moves(state: str) -> list[State]:
    """The states a reviewer may move a finding in `state` to, in workflow order."""
    targets = MOVES.get(State(state), frozenset())
    return [s for s in State if s in targets]


def check_move(current: str, target: State, note: str, has_until: bool) -> None:
    """Raise TransitionError unless a reviewer may move `current` to `target` like this."""
    if target not in MOVES.get(State(current), frozenset()):
        raise TransitionError(f"不能从“{label(current)}”改为“{LABELS[target]}”")
    if target is State.FALSE_POSITIVE and not note.strip():
        raise TransitionError("标记误报须写明理由")
    if target is State.EXEMPT and not has_until:
        raise TransitionError("豁免须给出截止日期")
