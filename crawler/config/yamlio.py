"""The one hardened YAML loader of sitewatch: site configs, standard profiles, workday overrides.

`read_yaml_file(path)` / `load_yaml(text, source)` give the top-level mapping or raise a
`ConfigError` with one clear line (file, line, column, problem). The loader builds plain data
only (a SafeLoader), refuses a key given twice, and bounds hostile input: nesting depth (a
RecursionError otherwise), the number of aliases, and the values aliases add once expanded
(billion laughs: cheap to parse, exponential to validate). The file's own values are bounded by
the file size, not counted against the alias limit: a 100,000-site config is big, not hostile.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from crawler.config.errors import TOP_LEVEL_HINT, ConfigError, describe_type

MERGE_TAG = "tag:yaml.org,2002:merge"

#: Hostile-input bounds: a real config nests a handful of levels and uses a few anchors.
MAX_YAML_DEPTH = 50
MAX_YAML_ALIASES = 200
MAX_ALIAS_EXPANSION = 500_000  # values aliases may add beyond those written in the file
#: A config of 1,000 sites with 20 columns each is about 2 MB; more is a mistake or an attack.
MAX_YAML_BYTES = 8 * 1024 * 1024


class DuplicateKeyError(yaml.MarkedYAMLError):
    """The same key twice in one YAML mapping (plain safe_load silently keeps the last)."""


class YamlLimitError(yaml.MarkedYAMLError):
    """Input nested deeper, or using more aliases, than any real config does."""


class UniqueKeySafeLoader(yaml.SafeLoader):
    """yaml.SafeLoader that refuses duplicate mapping keys and hostile nesting and aliases."""

    sitewatch_depth = 0
    sitewatch_nodes = 0  # nodes written in the file (aliases not expanded)
    sitewatch_aliases = 0

    def compose_node(self, parent: yaml.Node | None, index: Any) -> yaml.Node | None:
        """Compose one node, refusing excessive nesting and alias counts (see the limits)."""
        depth = self.sitewatch_depth + 1
        if depth > MAX_YAML_DEPTH:
            problem = f"nested more than {MAX_YAML_DEPTH} levels deep"
            raise YamlLimitError(None, None, problem, self.peek_event().start_mark)
        if self.check_event(yaml.AliasEvent):
            self.sitewatch_aliases += 1
            if self.sitewatch_aliases > MAX_YAML_ALIASES:
                problem = f"more than {MAX_YAML_ALIASES} aliases (*name); write the values out"
                raise YamlLimitError(None, None, problem, self.peek_event().start_mark)
        else:
            self.sitewatch_nodes += 1
        self.sitewatch_depth = depth
        try:
            return super().compose_node(parent, index)  # type: ignore[no-any-return]
        finally:
            self.sitewatch_depth = depth - 1

    def get_single_node(self) -> yaml.Node | None:
        """The document's root node, refused when its aliases would expand it beyond reason."""
        node = super().get_single_node()
        if node is None or not self.sitewatch_aliases:
            return node
        added = expanded_size(node, {}) - self.sitewatch_nodes
        if added > MAX_ALIAS_EXPANSION:
            problem = (
                f"aliases expand to more than {MAX_ALIAS_EXPANSION:,} values beyond the "
                f"{self.sitewatch_nodes:,} written in the file; write the values out"
            )
            raise YamlLimitError(None, None, problem, node.start_mark)
        return node

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        """Build the mapping after checking its keys are unique."""
        seen: set[Any] = set()
        for key_node, _ in node.value:
            if key_node.tag == MERGE_TAG:
                continue  # `<<:` merges are meant to be overridden
            key = self.construct_object(key_node, deep=deep)  # type: ignore[no-untyped-call]
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
    """How many values the node stands for once every alias is copied out (memoised by id).

    Iterative (children before parents), so a deep document cannot exhaust the stack.
    """
    stack: list[tuple[yaml.Node, bool]] = [(node, False)]
    while stack:
        current, children_done = stack.pop()
        if id(current) in sizes:
            continue
        children = _children(current)
        if children_done or not children:
            sizes[id(current)] = 1 + sum(sizes[id(child)] for child in children)
            continue
        stack.append((current, True))
        stack.extend((child, False) for child in children if id(child) not in sizes)
    return sizes[id(node)]


def _children(node: yaml.Node) -> list[yaml.Node]:
    """The direct children of a node (keys and values of a mapping)."""
    if isinstance(node, yaml.SequenceNode):
        return list(node.value)
    if isinstance(node, yaml.MappingNode):
        return [part for pair in node.value for part in pair]
    return []


def load_yaml(text: str, source: str, top: str = "") -> dict[str, Any]:
    """Safely parse YAML text into its top-level mapping; ConfigError on anything else.

    `top` says what the top level should be, e.g. "a mapping with id:, name: and rules:".
    """
    top = top or TOP_LEVEL_HINT
    try:
        data = yaml.load(text, Loader=UniqueKeySafeLoader)  # a SafeLoader subclass: safe
    except yaml.MarkedYAMLError as exc:
        raise yaml_error(exc, source) from None
    except yaml.YAMLError as exc:
        raise ConfigError(f"{source}: YAML syntax error: {exc}") from None
    except RecursionError:
        # The depth limit stops nesting while composing; this is a last guard for anything
        # PyYAML does recursively before that (it has not been seen, but costs nothing).
        raise ConfigError(f"{source}: nested too deeply") from None
    if data is None:
        raise ConfigError(f"{source}: the file is empty; expected {top}")
    if not isinstance(data, dict):
        message = f"{source}: top level must be {top}, not {describe_type(data)}"
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


def read_yaml_text(path: str | Path, source: str | None = None) -> str:
    """A YAML file's text (UTF-8, a BOM allowed), bounded in size; ConfigError in one line."""
    source = source or str(path)
    file = Path(path)
    try:
        size = file.stat().st_size if file.is_file() else 0
        if size > MAX_YAML_BYTES:
            limit_mb = MAX_YAML_BYTES // (1024 * 1024)
            message = f"{source}: too large ({size / 1024 / 1024:.0f} MB; at most {limit_mb} MB)"
            raise ConfigError(message)
        raw = file.read_bytes()
    except FileNotFoundError:
        raise ConfigError(f"{source}: no such file") from None
    except IsADirectoryError:
        raise ConfigError(f"{source}: is a directory, not a config file") from None
    except OSError as exc:
        raise ConfigError(f"{source}: cannot read: {exc.strerror or exc}") from None
    try:
        return raw.decode("utf-8-sig")  # editors on Windows like to add a BOM
    except UnicodeDecodeError as exc:
        message = f"{source}: not UTF-8 text (bad byte at offset {exc.start}); save it as UTF-8"
        raise ConfigError(message) from None


def read_yaml_file(path: str | Path, top: str = "", source: str | None = None) -> dict[str, Any]:
    """Read, bound and parse a YAML file into its top-level mapping (see `load_yaml`)."""
    source = source or str(path)
    return load_yaml(read_yaml_text(path, source), source, top)
