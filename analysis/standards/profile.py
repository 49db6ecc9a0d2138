"""Standard profiles: the validated model of `config/standards/*.yaml` and its loader.

A profile is a list of rules. Each rule tests one metric of the catalogue (`catalog.py`):

    the rule is TRIGGERED when   value <operator> threshold   is true.

The operator describes the failing condition, e.g. `metric: home_failure_rate, operator: ">=",
threshold: 0.05` fails a site whose home page failed on 5 % of visits or more. What a triggered
rule does depends on its level: `veto` fails the site outright, `deduction` takes `points` off
the full score, `warning` raises an early warning, `bonus` adds `points` (capped at `bonus_max`).
A site passes when no veto is triggered and its score reaches `pass_score`.

A rule may carry an early warning (`warning:`) that is raised while the rule is not yet
triggered: `threshold` (same operator unless `operator` is given) and/or `days_before: N` (the
rule will be triggered within N days if nothing new happens; staleness metrics only).

A profile may `extends: other.yaml` (a path relative to its own file): it starts from the other
profile's rules; a rule with the same id replaces the inherited one, new ids are added.
"""

from __future__ import annotations

import math
import operator as op
import re
from collections.abc import Callable, Mapping
from enum import StrEnum
from importlib import resources
from pathlib import Path
from typing import Any

from pydantic import (
    BaseModel,
    ConfigDict,
    PrivateAttr,
    ValidationError,
    field_validator,
    model_validator,
)

from analysis.standards.catalog import (
    METRICS,
    Metric,
    MetricParams,
    Scope,
    Unit,
    known_metric_names,
    shortest_staleness,
    threshold_problem,
)
from crawler.config.errors import ConfigError, format_validation_error
from crawler.config.yamlio import load_yaml, read_yaml_text

SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
OPERATORS: dict[str, Callable[[float, float], bool]] = {
    "<": op.lt,
    "<=": op.le,
    ">": op.gt,
    ">=": op.ge,
    "==": op.eq,
    "!=": op.ne,
}
RISING_OPERATORS = frozenset({">", ">="})  # triggered by large values
FALLING_OPERATORS = frozenset({"<", "<="})  # triggered by small values
MAX_DAYS_BEFORE = 365
MAX_EXTENDS_DEPTH = 8


class ProfileError(ConfigError):
    """A standard profile cannot be read or is invalid; the message names file, rule and field."""


class Level(StrEnum):
    """What a triggered rule does to the site's result."""

    VETO = "veto"  # 单项否决: fails the site outright
    DEDUCTION = "deduction"  # takes `points` off the full score
    WARNING = "warning"  # early warning only
    BONUS = "bonus"  # adds `points`, capped at bonus_max


def compare(value: float, operator: str, threshold: float) -> bool:
    """True when `value <operator> threshold` holds."""
    return OPERATORS[operator](value, threshold)


def _choice(value: object, allowed: list[str], what: str) -> str:
    """Return value when it is one of `allowed`, else raise a ValueError listing them."""
    if isinstance(value, str) and value in allowed:
        return value
    raise ValueError(f"unknown {what} {value!r} (allowed: {', '.join(allowed)})")


def _number(value: object) -> float:
    """Accept an int or float from YAML (not a bool or a quoted string) as a finite float."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ValueError(f"must be a number, got {type(value).__name__} {value!r}")
    if not math.isfinite(value):
        raise ValueError(f"must be a finite number, got {value!r}")
    return float(value)


def _text(value: object) -> str:
    """Accept a non-blank string."""
    if not isinstance(value, str) or not value.strip():
        raise ValueError(f"must be a non-empty text, got {value!r}")
    return value.strip()


def _slug(value: object) -> str:
    """Accept a lowercase slug like `site-unreachable`."""
    if not isinstance(value, str) or not SLUG.match(value):
        raise ValueError(f"must be a slug of a-z, 0-9 and single dashes, got {value!r}")
    return value


def _flag(value: object) -> bool:
    """Accept a YAML true/false only."""
    if not isinstance(value, bool):
        raise ValueError(f"must be true or false, got {value!r}")
    return value


class EarlyWarning(BaseModel):
    """The early-warning line of a rule: a less strict threshold and/or days before it fails."""

    model_config = ConfigDict(extra="forbid")

    threshold: float | None = None
    operator: str | None = None  # defaults to the rule's operator
    days_before: int | None = None

    @field_validator("threshold", mode="before")
    @classmethod
    def _threshold_is_number(cls, value: object) -> float | None:
        """Threshold must be a real number."""
        return None if value is None else _number(value)

    @field_validator("operator", mode="before")
    @classmethod
    def _operator_is_known(cls, value: object) -> str | None:
        """Operator must be one of OPERATORS."""
        return None if value is None else _choice(value, list(OPERATORS), "operator")

    @field_validator("days_before", mode="before")
    @classmethod
    def _days_before_in_range(cls, value: object) -> int | None:
        """days_before must be a whole number of days in 1..MAX_DAYS_BEFORE."""
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, int):
            raise ValueError(f"must be a whole number of days, got {value!r}")
        if not 1 <= value <= MAX_DAYS_BEFORE:
            raise ValueError(f"must be between 1 and {MAX_DAYS_BEFORE}, got {value}")
        return value

    @model_validator(mode="after")
    def _says_something(self) -> EarlyWarning:
        """An early warning needs a threshold or days_before."""
        if self.threshold is None and self.days_before is None:
            raise ValueError("give threshold and/or days_before")
        if self.operator is not None and self.threshold is None:
            raise ValueError("operator: only allowed together with threshold")
        return self


def _warning_threshold_problem(rule: Rule, warning: EarlyWarning) -> str | None:
    """Why the warning threshold would not warn before the rule triggers, or None."""
    assert warning.threshold is not None
    warn_op = warning.operator or rule.operator
    if rule.operator not in RISING_OPERATORS | FALLING_OPERATORS:
        return f"operator: a rule with operator '{rule.operator}' cannot have a warning threshold"
    rising = rule.operator in RISING_OPERATORS
    if warn_op not in (RISING_OPERATORS if rising else FALLING_OPERATORS):
        return f"operator: '{warn_op}' points the other way than the rule's '{rule.operator}'"
    earlier = warning.threshold < rule.threshold if rising else warning.threshold > rule.threshold
    # Same number still warns earlier when only the warning includes the boundary (>= vs >).
    same_but_inclusive = warning.threshold == rule.threshold and len(warn_op) > len(rule.operator)
    if earlier or same_but_inclusive:
        return None
    side = "below" if rising else "above"
    return (
        f"threshold: must warn before the rule triggers: with operator '{rule.operator}' it must "
        f"be {side} {rule.threshold:g}, got {warning.threshold:g}"
    )


def _days_before_problem(rule: Rule, metric: type[Metric], days_before: int) -> str | None:
    """Why `days_before` makes no sense for this rule, or None."""
    if not metric.projectable:
        return (
            f"days_before: metric '{metric.name}' does not grow with time, "
            "so it cannot warn days ahead (use threshold)"
        )
    if rule.operator not in RISING_OPERATORS:
        return f"days_before: needs operator '>' or '>=', the rule has '{rule.operator}'"
    # A day-valued metric warns against its threshold; a count of stale things against the
    # staleness limit in its params (the count only moves when a column crosses that limit).
    in_days = metric.unit in (Unit.DAYS, Unit.WORKDAYS)
    limit = rule.threshold if in_days else shortest_staleness(rule.params)
    if limit is not None and days_before >= limit:
        return (
            f"days_before: must be below the {limit:g}-day limit it warns about, got {days_before}"
        )
    return None


class Rule(BaseModel):
    """One check of a standard profile: triggered when `metric <operator> threshold` is true.

    `params` are validated against the metric catalogue and come back complete, defaults filled.
    `points` is required (> 0) for deduction and bonus rules and not allowed otherwise.
    `confirmed: false` marks numbers that could not be confirmed from a published source.
    """

    model_config = ConfigDict(extra="forbid")

    id: str
    title: str
    citation: str
    level: Level
    points: float | None = None
    metric: str
    scope: Scope
    operator: str
    threshold: float
    params: dict[str, Any] = {}
    warning: EarlyWarning | None = None
    confirmed: bool = True
    description: str = ""
    _settings: MetricParams | None = PrivateAttr(default=None)

    @field_validator("id", mode="before")
    @classmethod
    def _id_is_slug(cls, value: object) -> str:
        """Rule ids are slugs."""
        return _slug(value)

    @field_validator("title", "citation", mode="before")
    @classmethod
    def _texts_given(cls, value: object) -> str:
        """Title and citation are non-blank texts."""
        return _text(value)

    @field_validator("threshold", mode="before")
    @classmethod
    def _threshold_is_number(cls, value: object) -> float:
        """Threshold is a real number."""
        return _number(value)

    @field_validator("confirmed", mode="before")
    @classmethod
    def _confirmed_is_flag(cls, value: object) -> bool:
        """Confirmed is true or false."""
        return _flag(value)

    @field_validator("level", mode="before")
    @classmethod
    def _level_is_known(cls, value: object) -> str:
        """Level must be one of Level."""
        return _choice(value, [lv.value for lv in Level], "level")

    @field_validator("scope", mode="before")
    @classmethod
    def _scope_is_known(cls, value: object) -> str:
        """Scope must be one of Scope."""
        return _choice(value, [s.value for s in Scope], "scope")

    @field_validator("operator", mode="before")
    @classmethod
    def _operator_is_known(cls, value: object) -> str:
        """Operator must be one of OPERATORS."""
        return _choice(value, list(OPERATORS), "operator")

    @field_validator("points", mode="before")
    @classmethod
    def _points_positive(cls, value: object) -> float | None:
        """Points, when given, are a number > 0."""
        if value is None:
            return None
        points = _number(value)
        if points <= 0:
            raise ValueError(f"must be > 0, got {points:g}")
        return points

    @field_validator("params", mode="before")
    @classmethod
    def _params_mapping(cls, value: object) -> object:
        """Params must be a mapping (an empty `params:` line counts as none)."""
        if value is None:
            return {}
        if not isinstance(value, dict):
            raise ValueError(f"must be a mapping of parameter: value, got {value!r}")
        return value

    @model_validator(mode="after")
    def _fits_catalogue(self) -> Rule:
        """Check metric, scope, params, threshold, points and warning against each other."""
        problem = self._catalogue_problem()
        if problem:
            raise ValueError(problem)
        return self

    def _catalogue_problem(self) -> str | None:
        """The first inconsistency of this rule with the catalogue, as `field: message`."""
        metric = METRICS.get(self.metric)
        if metric is None:
            return f"metric: unknown metric '{self.metric}' (known: {known_metric_names()})"
        if self.scope is not metric.scope:
            return (
                f"scope: metric '{metric.name}' is computed per {metric.scope.value}, "
                f"not per {self.scope.value}"
            )
        self._settings = metric.parse_params(self.params)  # raises "params.<name>: ..."
        self.params = self._settings.model_dump()
        problem = threshold_problem(metric.unit, self.threshold)
        if problem:
            return f"threshold: {problem}"
        problem = self._points_problem()
        if problem:
            return problem
        return self._warning_problem(metric)

    def _points_problem(self) -> str | None:
        """Points are required for deduction/bonus and meaningless for veto/warning."""
        takes_points = self.level in (Level.DEDUCTION, Level.BONUS)
        if takes_points and self.points is None:
            return f"points: required for a {self.level.value} rule (a number > 0)"
        if not takes_points and self.points is not None:
            return f"points: not allowed on a {self.level.value} rule (only deduction and bonus)"
        return None

    def _warning_problem(self, metric: type[Metric]) -> str | None:
        """The early warning must fit the rule's level, metric and direction."""
        warning = self.warning
        if warning is None:
            return None
        if self.level in (Level.WARNING, Level.BONUS):
            return f"warning: not allowed on a {self.level.value} rule"
        if warning.threshold is not None:
            problem = threshold_problem(metric.unit, warning.threshold)
            problem = f"threshold: {problem}" if problem else None
            problem = problem or _warning_threshold_problem(self, warning)
            if problem:
                return f"warning.{problem}"
        if warning.days_before is not None:
            problem = _days_before_problem(self, metric, warning.days_before)
            if problem:
                return f"warning.{problem}"
        return None

    @property
    def spec(self) -> type[Metric]:
        """The registered class of this rule's metric."""
        return METRICS[self.metric]

    @property
    def settings(self) -> MetricParams:
        """The rule's params as the metric's typed parameter model, defaults filled in."""
        if self._settings is None:
            self._settings = self.spec.parse_params(self.params)
        return self._settings

    def triggered_by(self, value: float) -> bool:
        """True when the value triggers the rule (fails it, or earns a bonus)."""
        return compare(value, self.operator, self.threshold)

    def warned_by(self, value: float) -> bool:
        """True when the value crosses the warning threshold but does not trigger the rule."""
        if self.warning is None or self.warning.threshold is None or self.triggered_by(value):
            return False
        return compare(value, self.warning.operator or self.operator, self.warning.threshold)


class StandardProfile(BaseModel):
    """A named set of rules a site is checked against, with its scoring settings."""

    model_config = ConfigDict(extra="forbid")

    id: str
    name: str
    description: str = ""
    extends: str | None = None
    full_score: float = 100.0
    pass_score: float = 60.0
    bonus_max: float = 0.0
    rules: list[Rule]

    @field_validator("id", mode="before")
    @classmethod
    def _id_is_slug(cls, value: object) -> str:
        """Profile ids are slugs."""
        return _slug(value)

    @field_validator("name", mode="before")
    @classmethod
    def _name_given(cls, value: object) -> str:
        """The name is a non-blank text."""
        return _text(value)

    @field_validator("full_score", "pass_score", "bonus_max", mode="before")
    @classmethod
    def _score_non_negative(cls, value: object) -> float:
        """Scores are numbers >= 0."""
        number = _number(value)
        if number < 0:
            raise ValueError(f"must be >= 0, got {number:g}")
        return number

    @model_validator(mode="after")
    def _consistent(self) -> StandardProfile:
        """Rule ids are unique; pass score and bonus fit the scoring."""
        if not self.rules:
            raise ValueError("rules: the profile has no rules")
        seen: dict[str, int] = {}
        for number, rule in enumerate(self.rules, start=1):
            if rule.id in seen:
                raise ValueError(
                    f"rule '{rule.id}': id: used by more than one rule (#{seen[rule.id]} and "
                    f"#{number})"
                )
            seen[rule.id] = number
        if self.pass_score > self.full_score:
            raise ValueError(
                f"pass_score: {self.pass_score:g} is above full_score {self.full_score:g}"
            )
        bonus_rule = next((r for r in self.rules if r.level is Level.BONUS), None)
        if bonus_rule and self.bonus_max == 0:
            raise ValueError(f"bonus_max: is 0 but rule '{bonus_rule.id}' awards bonus points")
        return self

    def rule(self, rule_id: str) -> Rule:
        """The rule with this id (KeyError when absent)."""
        for rule in self.rules:
            if rule.id == rule_id:
                return rule
        raise KeyError(rule_id)

    def rules_at(self, level: Level) -> list[Rule]:
        """The rules of one level, in file order."""
        return [rule for rule in self.rules if rule.level is level]


# --- reading files -------------------------------------------------------------------------

PROFILE_TOP = "a mapping with id:, name: and rules:"
BUILT_IN = "analysis.standards.profiles"  # the package holding the shipped profiles


def builtin_names() -> list[str]:
    """Names of the profiles shipped with the package (`national`, `provincial-example`)."""
    folder = resources.files(BUILT_IN)
    return sorted(
        entry.name.removesuffix(".yaml")
        for entry in folder.iterdir()
        if entry.name.endswith(".yaml")
    )


def builtin_path(name: str) -> Path:
    """The file of a shipped profile; ProfileError naming the known ones for another name."""
    if name not in builtin_names():
        known = ", ".join(builtin_names())
        raise ProfileError(f"unknown standard '{name}' (built in: {known}; or give a file path)")
    return Path(str(resources.files(BUILT_IN) / f"{name}.yaml"))


def is_profile_name(reference: str | Path) -> bool:
    """True for a bare name like `national` (not an existing file): a shipped profile."""
    text = str(reference)
    return bool(SLUG.match(text)) and not Path(text).exists()


def _validate(raw: Mapping[str, Any], source: str, text: str) -> StandardProfile:
    """Build the model or raise ProfileError: the first problem (rule and field), and how many
    more there are — the one error renderer of configs, profiles and overrides."""
    try:
        return StandardProfile.model_validate(raw)
    except ValidationError as exc:
        raise format_validation_error(
            exc, raw, source, text, StandardProfile, error=ProfileError
        ) from None


def _read_yaml(text: str, source: str) -> dict[str, Any]:
    """Parse the YAML text with the hardened loader (depth, aliases, duplicate keys)."""
    try:
        return load_yaml(text, source, PROFILE_TOP)
    except ProfileError:
        raise
    except ConfigError as exc:
        raise ProfileError(str(exc), line=exc.line) from None


def _merge(base: Mapping[str, Any], child: Mapping[str, Any]) -> dict[str, Any]:
    """The child profile over its base: child fields win, rules replace by id or are added."""
    merged = {**base, **child}
    rules = list(base.get("rules") or [])
    positions = {r.get("id"): i for i, r in enumerate(rules) if isinstance(r, dict)}
    child_rules = child.get("rules") or []
    if not isinstance(child_rules, list):
        return merged  # validation reports the wrong type
    replaced: set[str] = set()
    for rule in child_rules:
        rule_id = rule.get("id") if isinstance(rule, dict) else None
        # An id the child uses twice is appended, so validation reports the duplicate.
        if isinstance(rule_id, str) and rule_id in positions and rule_id not in replaced:
            rules[positions[rule_id]] = rule
            replaced.add(rule_id)
        else:
            rules.append(rule)
    merged["rules"] = rules
    return merged


def _base_file(extends: str, base_dir: Path) -> Path:
    """The profile `extends:` names: a file beside the child, else a shipped profile by name."""
    beside = base_dir / extends
    name = extends.removesuffix(".yaml")
    if not beside.exists() and SLUG.match(name) and name in builtin_names():
        return builtin_path(name)
    return beside


def _resolved_raw(
    text: str, source: str, base_dir: Path, chain: tuple[Path, ...]
) -> dict[str, Any]:
    """The raw profile with its `extends` chain merged in; each base is validated on its own."""
    raw = _read_yaml(text, source)
    extends = raw.get("extends")
    if extends is None:
        return raw
    if not isinstance(extends, str) or not extends.strip():
        raise ProfileError(f"{source}: extends: must be a file name, got {extends!r}")
    base_file = _base_file(extends, base_dir)
    base_path = base_file.resolve()
    if base_path in chain or len(chain) >= MAX_EXTENDS_DEPTH:
        names = " -> ".join(p.name for p in (*chain, base_path))
        raise ProfileError(f"{source}: extends: profiles extend each other in a loop ({names})")
    base_source = str(base_file)
    try:
        base_text = read_yaml_text(base_file, base_source)
    except ConfigError as exc:
        raise ProfileError(f"{source}: extends: cannot read {extends!r}: {exc}") from None
    base_raw = _resolved_raw(base_text, base_source, base_path.parent, (*chain, base_path))
    base_profile = _validate(base_raw, base_source, base_text)
    if raw.get("id", base_profile.id) == base_profile.id:
        raise ProfileError(
            f"{source}: id: must differ from the id '{base_profile.id}' of the extended profile"
        )
    return _merge(base_raw, raw)


def parse_profile(text: str, source: str, *, base_dir: Path | None = None) -> StandardProfile:
    """Parse and validate profile YAML; `extends` resolves from base_dir or source's folder."""
    folder = Path(source).parent if base_dir is None else base_dir
    chain = (Path(source).resolve(),)
    raw = _resolved_raw(text, source, folder, chain)
    # Line numbers only make sense for a profile that extends nothing (else rules are merged).
    return _validate(raw, source, text if "extends" not in raw else "")


def load_profile(reference: str | Path) -> StandardProfile:
    """Read and validate a standard profile: a shipped one by name (`national`) or a file."""
    path = builtin_path(str(reference)) if is_profile_name(reference) else Path(reference)
    source = str(reference) if is_profile_name(reference) else str(path)
    try:
        text = read_yaml_text(path, source)
    except ConfigError as exc:
        raise ProfileError(str(exc)) from None
    return parse_profile(text, source, base_dir=path.parent)
