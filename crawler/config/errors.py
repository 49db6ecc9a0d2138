"""Bad YAML and pydantic errors as one clear line: `<file>: [site 'x', ]field: message`."""

from __future__ import annotations

import difflib
import re
import typing
from typing import Any

import yaml
from pydantic import BaseModel, ValidationError

Loc = tuple[str | int, ...]

QUOTED_RE = re.compile(r"'([^']*)'")
MERGE_TAG = "tag:yaml.org,2002:merge"
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

    def __init__(self, message: str, line: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.line = line  # 1-based line in the YAML file when known, for editors and the CLI

    def __str__(self) -> str:
        return self.message


class FieldProblem(ValueError):
    """A validator's complaint about a field below the model it runs on (loc is relative)."""

    def __init__(self, loc: Loc, message: str) -> None:
        super().__init__(message)
        self.loc = loc
        self.message = message


#: Hostile-input bounds: a real config nests a handful of levels and uses a few anchors; the
#: limits stop billion-laughs alias expansion (cheap to parse, exponential to validate) and
#: recursion-depth crashes on deeply nested input.
MAX_YAML_DEPTH = 50
MAX_YAML_ALIASES = 200
MAX_YAML_EXPANDED_NODES = 500_000


class DuplicateKeyError(yaml.MarkedYAMLError):
    """The same key twice in one YAML mapping (plain safe_load silently keeps the last)."""


class YamlLimitError(yaml.MarkedYAMLError):
    """Input nested deeper, or using more aliases, than any real config does."""


class UniqueKeySafeLoader(yaml.SafeLoader):
    """yaml.SafeLoader that refuses duplicate mapping keys; constructs only plain data."""

    def compose_node(self, parent: yaml.Node | None, index: Any) -> yaml.Node | None:
        """Compose one node, refusing excessive nesting and alias counts (see the limits)."""
        depth = getattr(self, "sitewatch_depth", 0) + 1
        if depth > MAX_YAML_DEPTH:
            problem = f"nested more than {MAX_YAML_DEPTH} levels deep"
            raise YamlLimitError(None, None, problem, self.peek_event().start_mark)
        if self.check_event(yaml.AliasEvent):
            aliases = getattr(self, "sitewatch_aliases", 0) + 1
            self.sitewatch_aliases = aliases
            if aliases > MAX_YAML_ALIASES:
                problem = f"more than {MAX_YAML_ALIASES} aliases (*name); write the values out"
                raise YamlLimitError(None, None, problem, self.peek_event().start_mark)
        self.sitewatch_depth = depth
        try:
            return super().compose_node(parent, index)  # type: ignore[misc]
        finally:
            self.sitewatch_depth = depth - 1

    def get_single_node(self) -> yaml.Node | None:
        """The document's root node, refused when its aliases would expand it beyond reason."""
        node = super().get_single_node()
        if node is not None and expanded_size(node, {}) > MAX_YAML_EXPANDED_NODES:
            problem = f"aliases expand to more than {MAX_YAML_EXPANDED_NODES:,} values"
            raise YamlLimitError(None, None, problem, node.start_mark)
        return node

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        """Build the mapping after checking its keys are unique."""
        seen: set[Any] = set()
        for key_node, _ in node.value:
            if key_node.tag == MERGE_TAG:
                continue  # `<<:` merges are meant to be overridden
            key = self.construct_object(key_node, deep=deep)
            try:
                duplicate = key in seen
                seen.add(key)
            except TypeError:
                continue  # unhashable key: the base class reports it properly
            if duplicate:
                problem = f"duplicate key '{key}'"
                raise DuplicateKeyError(None, None, problem, key_node.start_mark)
        return super().construct_mapping(node, deep=deep)


def expanded_size(node: yaml.Node, sizes: dict[int, int]) -> int:
    """How many values the node stands for once every alias is copied out (memoised by id)."""
    known = sizes.get(id(node))
    if known is not None:
        return known
    total = 1
    if isinstance(node, yaml.SequenceNode):
        total += sum(expanded_size(child, sizes) for child in node.value)
    elif isinstance(node, yaml.MappingNode):
        total += sum(expanded_size(k, sizes) + expanded_size(v, sizes) for k, v in node.value)
    sizes[id(node)] = total
    return total


def format_number(value: object) -> str:
    """A bound as a person writes it: 0 rather than 0.0."""
    return f"{value:g}" if isinstance(value, float) else str(value)


def describe_type(value: object) -> str:
    """A short English name of a YAML value's type."""
    names = {list: "a list", str: "a string", int: "a number", float: "a number", bool: "a boolean"}
    return names.get(type(value), type(value).__name__)


def load_yaml(text: str, source: str) -> dict[str, Any]:
    """Safely parse YAML text into the top-level mapping; ConfigError on anything else."""
    try:
        data = yaml.load(text, Loader=UniqueKeySafeLoader)  # a SafeLoader subclass: safe
    except yaml.MarkedYAMLError as exc:
        raise yaml_error(exc, source) from None
    except yaml.YAMLError as exc:
        raise ConfigError(f"{source}: YAML syntax error: {exc}") from None
    if data is None:
        raise ConfigError(f"{source}: the file is empty; expected {TOP_LEVEL_HINT}")
    if not isinstance(data, dict):
        message = f"{source}: top level must be {TOP_LEVEL_HINT}, not {describe_type(data)}"
        raise ConfigError(message, line=1)
    return data


def yaml_error(exc: yaml.MarkedYAMLError, source: str) -> ConfigError:
    """A ConfigError pointing at the line and column of a YAML problem."""
    mark = exc.problem_mark or exc.context_mark
    where = f"line {mark.line + 1}, column {mark.column + 1}: " if mark else ""
    if isinstance(exc, DuplicateKeyError | YamlLimitError):
        return ConfigError(f"{source}: {where}{exc.problem}", line=mark.line + 1 if mark else None)
    problem = exc.problem or exc.context or "cannot parse"
    if exc.context and exc.problem:
        problem = f"{exc.problem} ({exc.context})"
    message = f"{source}: {where}YAML syntax error: {problem}"
    return ConfigError(message, line=mark.line + 1 if mark else None)


def explain(error: dict[str, Any], root: type[BaseModel]) -> tuple[Loc, str]:
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


def describe_location(loc: Loc, data: object) -> str:
    """`site 'x', column 'y', url` style text for a location in the raw data."""
    labels: list[str] = []
    rest = list(loc)
    if len(rest) >= 2 and rest[0] == "sites" and isinstance(rest[1], int):
        site = raw_item(data, "sites", rest[1])
        labels.append(entry_label("site", site, rest[1], ("id",)))
        rest = rest[2:]
        if len(rest) >= 2 and rest[0] == "columns" and isinstance(rest[1], int):
            column = raw_item(site, "columns", rest[1])
            labels.append(entry_label("column", column, rest[1], ("id", "name")))
            rest = rest[2:]
    path = ": ".join(f"item {p + 1}" if isinstance(p, int) else str(p) for p in rest)
    head = ", ".join(labels)
    return ": ".join(part for part in (head, path) if part)


def line_of(text: str, loc: Loc) -> int | None:
    """The 1-based line of the YAML node at loc (the key's line for mapping entries)."""
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
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
    exc: ValidationError, data: object, source: str, text: str, root: type[BaseModel]
) -> ConfigError:
    """One ConfigError for the first problem pydantic found, counting the others."""
    problems = list(dict.fromkeys(explain(error, root) for error in exc.errors()))
    loc, message = problems[0]
    where = describe_location(loc, data)
    more = f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""
    text_out = f"{source}: {where}: {message}{more}" if where else f"{source}: {message}{more}"
    return ConfigError(text_out, line=line_of(text, loc))
