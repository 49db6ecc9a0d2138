"""The metric registry: every figure a profile rule may test is one `Metric` subclass.

A metric class states, in one place, its name, scope, unit, typed parameters (a pydantic model
`Params`), the SQLite tables it reads, how it measures (`measure`), its Chinese title and
description and the report's recommendation when a rule on it fails. Defining the class
registers it (`__init_subclass__`); the catalogue, profile validation, the report's wording and
`sitewatch validate --list-metrics` all read `METRICS`. See docs/metrics.md.

Scopes — what one value of the metric belongs to:
  site          one value per site (counts and rates over the whole site)
  home_page     one value per site, computed from its home page and home-page columns only
  column        one value per column; a rule fails column by column
  consultation  one value per consultation message
  link          one value per checked link
  post          one value per post
"""

from __future__ import annotations

import math
import re
from abc import ABC, abstractmethod
from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING, Annotated, Any, ClassVar

from pydantic import BaseModel, ConfigDict, Field, GetCoreSchemaHandler, ValidationError
from pydantic_core import core_schema

from crawler.categories import CATEGORY_NAMES

if TYPE_CHECKING:
    from analysis.standards.evidence import Measurement, Snapshot

METRIC_NAME = re.compile(r"^[a-z][a-z0-9_]*$")
MAX_DAYS = 3660  # ten years: the largest day count any parameter takes


class Scope(StrEnum):
    """What one value of a metric belongs to."""

    SITE = "site"
    HOME_PAGE = "home_page"
    COLUMN = "column"
    CONSULTATION = "consultation"
    LINK = "link"
    POST = "post"


class Unit(StrEnum):
    """The unit of a metric value; it bounds the thresholds a rule may use."""

    RATIO = "ratio"  # 0..1, e.g. 0.05 for 5 %
    DAYS = "days"  # calendar days
    WORKDAYS = "workdays"  # working days (weekends/holidays out, 调休 make-up days in)
    COUNT = "count"  # a number of things
    FLAG = "flag"  # 1 = true, 0 = false


class ParamType(StrEnum):
    """The value type of a metric parameter."""

    INT = "int"
    FLOAT = "float"
    BOOL = "bool"
    CATEGORIES = "categories"  # non-empty list of column category names
    CATEGORY_DAYS = "category_days"  # mapping category name -> days (int >= 1)


class ParamProblem(ValueError):
    """A parameter value that cannot be used; `where` is `name` or `name.key`."""

    def __init__(self, where: str, message: str) -> None:
        super().__init__(f"params.{where}: {message}")
        self.where = where
        self.message = message


def _type_name(value: object) -> str:
    """Short name of a YAML value's type, for error messages."""
    return type(value).__name__


def _check_category(value: object) -> str:
    """One known category name."""
    if not isinstance(value, str) or value not in CATEGORY_NAMES:
        known = ", ".join(CATEGORY_NAMES)
        raise ValueError(f"unknown category {value!r} (known: {known})")
    return value


@dataclass(frozen=True)
class Param:
    """A parameter's type and bounds, in its `Annotated[...]`; it validates the raw YAML value.

    YAML is checked strictly: `yes` is never a number, `'7'` never an integer.
    """

    type: ParamType
    minimum: float | None = None
    maximum: float | None = None

    def __get_pydantic_core_schema__(
        self, source: Any, handler: GetCoreSchemaHandler
    ) -> core_schema.CoreSchema:
        """Run `check` before pydantic's own validation of the annotated type."""
        return core_schema.no_info_before_validator_function(self.check, handler(source))

    def check(self, value: object) -> Any:
        """The value normalised (floats as float, lists as tuples); ValueError explains."""
        if self.type in (ParamType.INT, ParamType.FLOAT):
            return self._number(value)
        if self.type is ParamType.BOOL:
            if not isinstance(value, bool):
                raise ValueError(f"must be true or false, got {value!r}")
            return value
        if self.type is ParamType.CATEGORIES:
            return self._categories(value)
        return self._category_days(value)

    def _number(self, value: object) -> int | float:
        whole = self.type is ParamType.INT
        # bool is an int subclass in Python, but `yes` in YAML is never meant as a number.
        if isinstance(value, bool) or not isinstance(value, int | float):
            kind = "an integer" if whole else "a number"
            raise ValueError(f"must be {kind}, got {_type_name(value)} {value!r}")
        if whole and not isinstance(value, int):
            raise ValueError(f"must be an integer, got {value!r}")
        if isinstance(value, float) and not math.isfinite(value):
            raise ValueError(f"must be a finite number, got {value!r}")
        if self.minimum is not None and value < self.minimum:
            raise ValueError(f"must be >= {self.minimum:g}, got {value!r}")
        if self.maximum is not None and value > self.maximum:
            raise ValueError(f"must be <= {self.maximum:g}, got {value!r}")
        return value if whole else float(value)

    @staticmethod
    def _categories(value: object) -> tuple[str, ...]:
        if isinstance(value, tuple):
            value = list(value)  # a default or an already validated value
        if not isinstance(value, list) or not value:
            raise ValueError(f"must be a non-empty list of categories, got {value!r}")
        names = tuple(_check_category(item) for item in value)
        if len(set(names)) != len(names):
            raise ValueError("lists a category twice")
        return names

    @staticmethod
    def _category_days(value: object) -> dict[str, int]:
        if not isinstance(value, dict):
            raise ValueError(f"must be a mapping category -> days, got {value!r}")
        days = Param(ParamType.INT, 1, MAX_DAYS)
        out: dict[str, int] = {}
        for key, limit in value.items():
            try:
                out[_check_category(key)] = int(days.check(limit))
            except ValueError as exc:
                raise ValueError(f"{key}: {exc}") from None
        return out


# Parameter types shared by the metrics: the same name always means the same thing.
Days = Annotated[int, Param(ParamType.INT, 1, MAX_DAYS)]
DayGap = Annotated[int, Param(ParamType.INT, 0, MAX_DAYS)]
WindowDays = Annotated[int, Param(ParamType.INT, 1, 366)]
Workdays = Annotated[int, Param(ParamType.INT, 1, 365)]
WorkdayCount = Annotated[int, Param(ParamType.INT, 0, 365)]
Seconds = Annotated[float, Param(ParamType.FLOAT, 0.1, 300)]
Flag = Annotated[bool, Param(ParamType.BOOL)]
Categories = Annotated[tuple[str, ...], Param(ParamType.CATEGORIES)]
CategoryDays = Annotated[dict[str, int], Param(ParamType.CATEGORY_DAYS)]


class MetricParams(BaseModel):
    """A metric's parameters: unknown keys refused, defaults filled in, values immutable."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class NoParams(MetricParams):
    """A metric without parameters."""


@dataclass(frozen=True)
class ParamInfo:
    """One parameter as the catalogue lists it."""

    name: str
    type: ParamType
    default: Any
    description: str
    minimum: float | None = None
    maximum: float | None = None


class Metric(ABC):
    """One figure a rule may test. Subclass it, fill in the class attributes, write `measure`.

    `measure` returns, for the snapshot's sites, site_id -> Measurement (a site left out means
    "not applicable"). Comparing with thresholds is the engine's job, never the metric's.
    """

    name: ClassVar[str]
    scope: ClassVar[Scope]
    unit: ClassVar[Unit]
    needs: ClassVar[tuple[str, ...]]  # SQLite tables the metric reads
    title: ClassVar[str]  # short Chinese name, e.g. 首页访问失败率
    description: ClassVar[str]  # Chinese: what one value means
    recommendation: ClassVar[tuple[str, str]]  # (zh, en): the report's advice when it fails
    # True when the value only grows while nothing new happens on the site (staleness, waiting
    # time): only such rules can carry an early warning `days_before: N`.
    projectable: ClassVar[bool] = False
    Params: ClassVar[type[MetricParams]] = NoParams

    REQUIRED: ClassVar[tuple[str, ...]] = (
        "scope",
        "unit",
        "needs",
        "title",
        "description",
        "recommendation",
    )

    def __init_subclass__(cls, **kwargs: Any) -> None:
        """Register every subclass that names itself (helper bases without `name` are not)."""
        super().__init_subclass__(**kwargs)
        if "name" in cls.__dict__:
            register(cls)

    @abstractmethod
    def measure(self, snap: Snapshot, params: Any) -> dict[str, Measurement]:
        """site_id -> measurement of this metric with the rule's (validated) params."""

    @classmethod
    def parse_params(cls, given: object) -> MetricParams:
        """The rule's params validated; ValueError `params.<name>: message` on the first problem."""
        if given is None:
            given = {}
        if not isinstance(given, dict):
            raise ValueError(f"params: must be a mapping of parameter: value, got {given!r}")
        try:
            return cls.Params.model_validate(given)
        except ValidationError as exc:
            raise ValueError(cls._param_message(exc.errors()[0])) from None

    @classmethod
    def _param_message(cls, error: Any) -> str:
        """One pydantic error of the params as `params.<name>: message`."""
        loc = ".".join(str(part) for part in error["loc"])
        cause = (error.get("ctx") or {}).get("error")
        if isinstance(cause, ParamProblem):
            return str(cause)
        if error["type"] == "extra_forbidden":
            allowed = ", ".join(sorted(cls.Params.model_fields)) or "none"
            return f"params.{loc}: unknown parameter for metric '{cls.name}' (allowed: {allowed})"
        message = str(cause) if cause is not None else error["msg"]
        return f"params.{loc}: {message}" if loc else f"params: {message}"

    @classmethod
    def params_info(cls) -> list[ParamInfo]:
        """The parameters with type, default, bounds and meaning, in declaration order."""
        out = []
        for name, field in cls.Params.model_fields.items():
            spec = next(m for m in field.metadata if isinstance(m, Param))
            out.append(
                ParamInfo(
                    name,
                    spec.type,
                    field.default,
                    field.description or "",
                    spec.minimum,
                    spec.maximum,
                )
            )
        return out


METRICS: dict[str, type[Metric]] = {}


class RegistryError(Exception):
    """A metric class that cannot be registered (a programming error, found at import)."""


def register(cls: type[Metric]) -> type[Metric]:
    """Add a metric class to METRICS, checking it states everything a metric must."""
    name = cls.__dict__.get("name")
    if not isinstance(name, str) or not METRIC_NAME.match(name):
        raise RegistryError(f"{cls.__qualname__}: name must be snake_case, got {name!r}")
    missing = [attr for attr in Metric.REQUIRED if not hasattr(cls, attr)]
    if missing:
        raise RegistryError(f"metric '{name}': missing {', '.join(missing)}")
    known = METRICS.get(name)
    if known is not None and known.__qualname__ != cls.__qualname__:
        raise RegistryError(f"metric '{name}': defined twice ({known.__qualname__})")
    for field_name, field in cls.Params.model_fields.items():
        if not any(isinstance(m, Param) for m in field.metadata):
            raise RegistryError(f"metric '{name}': param {field_name} needs a Param type")
    METRICS[name] = cls
    return cls


def param(default: Any, description: str) -> Any:
    """A parameter's default and its meaning (shown by `sitewatch validate --list-metrics`)."""
    return Field(default=default, description=description)
