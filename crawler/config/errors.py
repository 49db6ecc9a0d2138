"""The one error renderer: pydantic errors as one clear line, `<file>: [site 'x', ]field: message`.

Used for site configs, standard profiles and workday overrides alike (the hardened YAML loader
is `crawler/config/yamlio.py`). List entries are named by their id: `site 'xa-city'`,
`column 'tzgg'`, `rule 'site-unreachable'`; else by position (`site #2`).
"""

from __future__ import annotations

import difflib
import re
import typing
from collections.abc import Mapping
from typing import Any

import yaml
from pydantic import BaseModel, ValidationError

Loc = tuple[str | int, ...]

QUOTED_RE = re.compile(r"'([^']*)'")
TOP_LEVEL_HINT = "a mapping with group:, defaults: and sites:"
# pydantic error types that mean "the value has the wrong type"; None there means "left empty".
TYPE_MESSAGES: dict[str, str] = {
    "int_type": "must be an integer",
    "int_parsing": "must be an integer",
    "int_from_float": "must be an integer",
    "float_type": "must be a number",
    "float_parsing": "must be a number",
    "bool_type": "must be true or false",
    "bool_parsing": "must be true or false",
    "string_type": "must be a string",
    "list_type": "must be a list",
    "model_type": "must be a mapping",
    "model_attributes_type": "must be a mapping",
    "dict_type": "must be a mapping",
    "enum": "",  # filled in from the allowed values
}
OTHER_MESSAGES: dict[str, str] = {"finite_number": "must be a finite number"}
BOUND_MESSAGES: dict[str, tuple[str, str]] = {
    "greater_than_equal": ("ge", ">="),
    "greater_than": ("gt", ">"),
    "less_than_equal": ("le", "<="),
    "less_than": ("lt", "<"),
}


class ConfigError(Exception):
    """A config that cannot be used; `str()` is the one user-facing message."""

    def __init__(
        self, message: str, line: int | None = None, problems: list[str] | None = None
    ) -> None:
        super().__init__(message)
        self.message = message
        self.line = line  # 1-based line in the YAML file when known, for editors and the CLI
        self.problems = problems or [message]  # every problem, one line each (validate)

    def __str__(self) -> str:
        return self.message


class FieldProblem(ValueError):
    """A validator's complaint about a field below the model it runs on (loc is relative)."""

    def __init__(self, loc: Loc, message: str) -> None:
        super().__init__(message)
        self.loc = loc
        self.message = message


def format_number(value: object) -> str:
    """A bound as a person writes it: 0 rather than 0.0."""
    return f"{value:g}" if isinstance(value, float) else str(value)


def describe_type(value: object) -> str:
    """A short English name of a YAML value's type."""
    names = {list: "a list", str: "a string", int: "a number", float: "a number", bool: "a boolean"}
    return names.get(type(value), type(value).__name__)


def explain(error: Mapping[str, Any], root: type[BaseModel]) -> tuple[Loc, str]:
    """The full location and a short plain message for one pydantic error."""
    loc: Loc = tuple(error["loc"])
    kind: str = error["type"]
    ctx: dict[str, Any] = error.get("ctx") or {}
    cause = ctx.get("error")
    if isinstance(cause, FieldProblem):
        return loc + cause.loc, cause.message
    if kind in ("value_error", "assertion_error"):
        return loc, str(cause)
    if kind == "extra_forbidden":
        return loc, unknown_key_message(loc, root)
    if kind == "missing":
        return loc, "required"
    if kind in ("string_too_short", "too_short"):
        return loc, "must not be empty"
    if kind in BOUND_MESSAGES:
        key, sign = BOUND_MESSAGES[kind]
        return loc, f"must be {sign} {format_number(ctx[key])}"
    if kind in TYPE_MESSAGES and error.get("input") is None:
        return loc, "must not be empty"
    if kind == "enum":
        allowed = QUOTED_RE.findall(str(ctx.get("expected", "")))
        return loc, f"must be one of: {', '.join(allowed)}"
    return loc, TYPE_MESSAGES.get(kind) or OTHER_MESSAGES.get(kind) or str(error["msg"])


def unknown_key_message(loc: Loc, root: type[BaseModel]) -> str:
    """`unknown key`, with a suggestion when the key looks like a typo of a known one."""
    model = model_at(loc[:-1], root)
    if model is None or not isinstance(loc[-1], str):
        return "unknown key"
    close = difflib.get_close_matches(loc[-1], list(model.model_fields), n=1, cutoff=0.7)
    return f"unknown key (did you mean '{close[0]}'?)" if close else "unknown key"


def model_at(loc: Loc, root: type[BaseModel]) -> type[BaseModel] | None:
    """The model class that validates the mapping found at loc (list indexes skipped)."""
    model: type[BaseModel] | None = root
    for part in loc:
        if isinstance(part, int):
            continue
        field = model.model_fields.get(part) if model else None
        if field is None:
            return None
        model = model_in(field.annotation)
    return model


def model_in(annotation: Any) -> type[BaseModel] | None:
    """The BaseModel class inside an annotation like `list[X] | None`, if any."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in typing.get_args(annotation):
        found = model_in(arg)
        if found is not None:
            return found
    return None


def entry_label(kind: str, entry: object, index: int, keys: tuple[str, ...]) -> str:
    """`site 'xa-city'` from the first usable key of a raw entry, else `site #2`."""
    if isinstance(entry, dict):
        for key in keys:
            value = entry.get(key)
            if isinstance(value, str) and value.strip():
                return f"{kind} '{value}'"
    return f"{kind} #{index + 1}"


def raw_item(container: object, key: str, index: int) -> object:
    """container[key][index] of raw YAML data, or None when absent."""
    items = container.get(key) if isinstance(container, dict) else None
    return items[index] if isinstance(items, list) and index < len(items) else None


# List keys whose entries are named by an id: list key -> (label, keys tried for the id).
ENTRY_LABELS: dict[str, tuple[str, tuple[str, ...]]] = {
    "sites": ("site", ("id",)),
    "columns": ("column", ("id", "name")),
    "rules": ("rule", ("id",)),
}


def describe_location(loc: Loc, data: object) -> str:
    """`site 'x', column 'y', url` style text for a location in the raw data."""
    labels: list[str] = []
    rest = list(loc)
    container = data
    while len(rest) >= 2 and rest[0] in ENTRY_LABELS and isinstance(rest[1], int):
        kind, keys = ENTRY_LABELS[str(rest[0])]
        container = raw_item(container, str(rest[0]), rest[1])
        labels.append(entry_label(kind, container, rest[1], keys))
        rest = rest[2:]
    path = ": ".join(f"item {p + 1}" if isinstance(p, int) else str(p) for p in rest)
    head = ", ".join(labels)
    return ": ".join(part for part in (head, path) if part)


def line_of(text: str, loc: Loc) -> int | None:
    """The 1-based line of the YAML node at loc (the key's line for mapping entries)."""
    from crawler.config.yamlio import UniqueKeySafeLoader  # (yamlio imports this module)

    try:
        node = yaml.compose(text, Loader=UniqueKeySafeLoader)
    except yaml.YAMLError:
        return None
    line = None
    for part in loc:
        if isinstance(node, yaml.MappingNode) and isinstance(part, str):
            match = next(((k, v) for k, v in node.value if k.value == part), None)
            if match is None:
                break
            line, node = match[0].start_mark.line + 1, match[1]
        elif isinstance(node, yaml.SequenceNode) and isinstance(part, int):
            if part >= len(node.value):
                break
            node = node.value[part]
            line = node.start_mark.line + 1
        else:
            break
    return line


def format_validation_error(
    exc: ValidationError,
    data: object,
    source: str,
    text: str,
    root: type[BaseModel],
    error: type[ConfigError] = ConfigError,
) -> ConfigError:
    """One error (of class `error`) for the first problem pydantic found, counting the others."""
    problems = list(dict.fromkeys(explain(error, root) for error in exc.errors()))
    lines = []
    for loc, message in problems:
        where = describe_location(loc, data)
        lines.append(f"{source}: {where}: {message}" if where else f"{source}: {message}")
    more = f" (and {len(problems) - 1} more)"
    text_out = lines[0] + (more if len(problems) > 1 else "")
    return error(text_out, line=line_of(text, problems[0][0]), problems=lines)
