"""Tests of the standard profiles: shipped YAML files, the validated model and its error messages.

Expected numbers come from the reference notes (monitoring-rules.md), not from the code:
  veto: home page failures >= 5 % over 1 week, 15 s timeout (warning > 3 %); home page not updated
  2 weeks (warning > 10 days); >= 5 stale news (2 weeks) / notice+policy (6 months) columns;
  >= 10 basic-info columns stale 1 year (warning > 6); >= 5 blank columns (warning > 2); a message
  unanswered > 3 months within the year; 2019: no consultation channel. 2021 deductions: policy
  column 6 months -5, service statistics 3 months -2, replies 2 months -3. Scoring: 100, pass 60,
  bonus up to 20.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
import yaml

from analysis.standards import (
    METRICS,
    Level,
    ProfileError,
    Scope,
    StandardProfile,
    load_profile,
    parse_profile,
)
from crawler.categories import CATEGORY_NAMES
from crawler.store import open_db

STANDARDS_DIR = Path(__file__).resolve().parents[2] / "config" / "standards"
NATIONAL = STANDARDS_DIR / "national.yaml"
PROVINCIAL = STANDARDS_DIR / "provincial-example.yaml"
SHIPPED = [NATIONAL, PROVINCIAL]
CJK = re.compile(r"[\u4e00-\u9fff]")
SOURCE = "config/standards/x.yaml"


def migrated_tables() -> set[str]:
    """The tables of a freshly migrated database (what a metric may read)."""
    store = open_db(":memory:")
    rows = store.conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
    return {row[0] for row in rows}


TABLES = migrated_tables()

# "months" written as days: the reference says 2, 3 and 6 months.
TWO_MONTHS = range(59, 63)
THREE_MONTHS = range(89, 93)
SIX_MONTHS = range(181, 185)


@pytest.fixture(scope="module", params=SHIPPED, ids=lambda p: p.name)
def shipped(request: pytest.FixtureRequest) -> StandardProfile:
    """Each shipped profile, loaded from its file."""
    return load_profile(request.param)


@pytest.fixture(scope="module")
def national() -> StandardProfile:
    """The national profile."""
    return load_profile(NATIONAL)


@pytest.fixture(scope="module")
def provincial() -> StandardProfile:
    """The example provincial profile."""
    return load_profile(PROVINCIAL)


def stale_limit(params: dict[str, Any], category: str) -> int:
    """Staleness limit in days a stale_columns rule applies to one category."""
    return params["stale_days_by_category"].get(category, params["stale_days"])


# --- the shipped profiles carry the national numbers --------------------------------------------


def test_scoring_matches_2019_rules(shipped: StandardProfile) -> None:
    assert shipped.full_score == 100
    assert shipped.bonus_max == 20
    assert shipped.pass_score >= 60  # national 60; a local profile may only be stricter


def test_national_pass_score_is_60(national: StandardProfile) -> None:
    assert national.pass_score == 60


def test_site_unreachable_veto(shipped: StandardProfile) -> None:
    rule = shipped.rule("site-unreachable")
    assert (rule.level, rule.metric, rule.scope) == (Level.VETO, "home_failure_rate", "home_page")
    assert (rule.operator, rule.threshold) == (">=", 0.05)
    assert rule.params == {"window_days": 7, "timeout_seconds": 15.0}
    assert rule.warning is not None
    assert (rule.warning.operator, rule.warning.threshold) == (">", 0.03)
    # Boundaries: 5 % exactly fails, 4.9 % does not; 3 % exactly is not yet a warning.
    assert rule.triggered_by(0.05) and not rule.triggered_by(0.049)
    assert rule.warned_by(0.031) and not rule.warned_by(0.03) and not rule.warned_by(0.06)


def test_site_not_updated_veto(shipped: StandardProfile) -> None:
    rule = shipped.rule("site-not-updated")
    assert (rule.level, rule.metric) == (Level.VETO, "days_since_home_update")
    assert (rule.operator, rule.threshold) == (">", 14)
    assert rule.triggered_by(15) and not rule.triggered_by(14)
    assert rule.warned_by(11) and not rule.warned_by(10)


def test_dynamic_columns_veto(shipped: StandardProfile) -> None:
    rule = shipped.rule("columns-not-updated-dynamic")
    assert (rule.level, rule.metric, rule.operator, rule.threshold) == (
        Level.VETO,
        "stale_columns",
        ">=",
        5,
    )
    assert set(rule.params["categories"]) == {"news", "notice", "policy"}
    assert stale_limit(rule.params, "news") == 14
    assert stale_limit(rule.params, "notice") in SIX_MONTHS
    assert stale_limit(rule.params, "policy") in SIX_MONTHS
    assert rule.params["include_blank"] is False


def test_basic_info_columns_veto(shipped: StandardProfile) -> None:
    rule = shipped.rule("columns-not-updated-basic-info")
    assert (rule.level, rule.metric, rule.operator, rule.threshold) == (
        Level.VETO,
        "stale_columns",
        ">=",
        10,
    )
    expected = {"basic_info", "personnel", "planning", "finance", "statistics"}
    assert set(rule.params["categories"]) == expected
    assert all(stale_limit(rule.params, c) == 365 for c in expected)
    assert rule.warning is not None
    assert (rule.warning.operator, rule.warning.threshold) == (">", 6)


def test_blank_columns_veto(shipped: StandardProfile) -> None:
    rule = shipped.rule("blank-columns")
    assert (rule.level, rule.metric, rule.operator, rule.threshold) == (
        Level.VETO,
        "blank_columns",
        ">=",
        5,
    )
    assert rule.warned_by(3) and not rule.warned_by(2) and rule.triggered_by(5)


def test_interaction_vetoes(shipped: StandardProfile) -> None:
    unanswered = shipped.rule("consultation-unanswered")
    assert (unanswered.level, unanswered.metric) == (
        Level.VETO,
        "consultations_unanswered_over_days",
    )
    assert unanswered.params["over_days"] in THREE_MONTHS
    assert unanswered.params["lookback_days"] == 365
    assert unanswered.triggered_by(1) and not unanswered.triggered_by(0)
    channel = shipped.rule("consultation-channel-missing")
    assert channel.level is Level.VETO and channel.metric == "consultation_channel_missing"
    assert channel.triggered_by(1) and not channel.triggered_by(0)


def test_2021_confirmed_deductions(shipped: StandardProfile) -> None:
    policy = shipped.rule("policy-column-stale")
    assert (policy.level, policy.points, policy.params["categories"]) == (
        Level.DEDUCTION,
        5,
        ("policy",),
    )
    assert policy.params["stale_days"] in SIX_MONTHS and policy.triggered_by(1)
    statistics = shipped.rule("service-statistics-stale")
    assert (statistics.level, statistics.points) == (Level.DEDUCTION, 2)
    assert statistics.params["stale_days"] in THREE_MONTHS
    replies = shipped.rule("consultation-replies-stale")
    assert (replies.level, replies.points, replies.metric) == (
        Level.DEDUCTION,
        3,
        "days_since_last_reply",
    )
    assert int(replies.threshold) in TWO_MONTHS
    assert all(r.confirmed for r in (policy, statistics, replies))


def test_unconfirmed_link_and_availability_deductions(shipped: StandardProfile) -> None:
    for rule_id in ("broken-links-home", "broken-links-inner", "home-page-availability"):
        rule = shipped.rule(rule_id)
        assert rule.level is Level.DEDUCTION and rule.points and rule.points > 0
        assert rule.confirmed is False
    assert shipped.rule("broken-links-home").scope is Scope.HOME_PAGE
    assert shipped.rule("broken-links-inner").scope is Scope.SITE


def test_early_warnings(shipped: StandardProfile) -> None:
    streak = shipped.rule("home-consecutive-failures")
    assert (streak.level, streak.operator, streak.threshold) == (Level.WARNING, ">=", 2)
    dates = shipped.rule("suspicious-dates")
    assert dates.level is Level.WARNING and dates.metric == "suspicious_dates"


def test_every_rule_is_documented(shipped: StandardProfile) -> None:
    for rule in shipped.rules:
        assert CJK.search(rule.title), rule.id
        assert rule.citation, rule.id
        assert rule.scope is METRICS[rule.metric].scope
        assert set(rule.params) == set(METRICS[rule.metric].Params.model_fields), rule.id


def test_provincial_adds_stricter_local_rules(provincial: StandardProfile) -> None:
    assert provincial.extends == "national.yaml"
    late = provincial.rule("reply-within-5-workdays")
    assert (late.metric, late.params["workdays"], late.operator, late.threshold) == (
        "replies_over_workdays",
        5,
        ">=",
        1,
    )
    rate = provincial.rule("reply-rate-complete")
    assert rate.triggered_by(0.99) and not rate.triggered_by(1.0)
    news = provincial.rule("news-column-monthly-volume")
    assert news.scope is Scope.COLUMN and news.params["categories"] == ("news",)
    assert news.triggered_by(3) and not news.triggered_by(4)
    weekly = provincial.rule("home-columns-weekly")
    assert weekly.params["home_page_only"] is True
    assert weekly.triggered_by(8) and not weekly.triggered_by(7)
    bonus = [r.id for r in provincial.rules_at(Level.BONUS)]
    assert bonus == ["fast-replies-bonus"]


def test_provincial_keeps_every_national_rule(
    national: StandardProfile, provincial: StandardProfile
) -> None:
    local = {rule.id: rule for rule in provincial.rules}
    # A rule the provincial file writes out itself replaces the national one on purpose.
    own = {rule["id"] for rule in yaml.safe_load(PROVINCIAL.read_text(encoding="utf-8"))["rules"]}
    for rule in national.rules:
        assert rule.id in local
        assert local[rule.id] == rule or rule.id in own


# --- the catalogue -------------------------------------------------------------------------------


def test_catalogue_entries_are_usable() -> None:
    assert {"home_failure_rate", "stale_columns", "column_days_since_update"} <= set(METRICS)
    for name, metric in METRICS.items():
        assert metric.name == name and re.fullmatch(r"[a-z][a-z0-9_]*", name)
        assert set(metric.needs) <= TABLES, name
        defaults = {info.name: info.default for info in metric.params_info()}
        assert metric.parse_params(defaults) == metric.parse_params({})  # defaults are valid


def test_every_scope_has_a_metric() -> None:
    assert {spec.scope for spec in METRICS.values()} == set(Scope)


def test_category_param_default_is_every_category() -> None:
    params = METRICS["blank_columns"].parse_params({})
    assert params.model_dump()["categories"] == CATEGORY_NAMES


# --- malformed profiles: one clear message each ---------------------------------------------------

VALID_RULE: dict[str, Any] = {
    "id": "site-unreachable",
    "title": "站点无法访问",
    "citation": "2015 普查",
    "level": "veto",
    "metric": "home_failure_rate",
    "scope": "home_page",
    "operator": ">=",
    "threshold": 0.05,
}


def profile_text(*rules: dict[str, Any], **top: Any) -> str:
    """YAML text of a small profile holding the given rules."""
    data = {"id": "x", "name": "测试规范", **top, "rules": list(rules)}
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False)


def rule_with(**changes: Any) -> dict[str, Any]:
    """VALID_RULE with some fields changed; a value of None removes the field."""
    rule = {**VALID_RULE, **changes}
    return {key: value for key, value in rule.items() if value is not None}


def error_of(text: str) -> str:
    """The ProfileError message parsing `text` raises."""
    with pytest.raises(ProfileError) as caught:
        parse_profile(text, SOURCE)
    return str(caught.value)


def test_valid_minimal_profile_parses() -> None:
    profile = parse_profile(profile_text(VALID_RULE), SOURCE)
    assert profile.pass_score == 60 and profile.rules[0].params["window_days"] == 7


MALFORMED_RULES = {
    "unknown metric": (
        rule_with(metric="foo"),
        "metric: unknown metric 'foo' (known: blank_columns, broken_links_home, ",
    ),
    "scope mismatch": (
        rule_with(scope="site"),
        "scope: metric 'home_failure_rate' is computed per home_page, not per site",
    ),
    "unknown scope": (
        rule_with(scope="page"),
        "scope: unknown scope 'page' (allowed: site, home_page, column, consultation, link, post)",
    ),
    "bad operator": (
        rule_with(operator="=>"),
        "operator: unknown operator '=>' (allowed: <, <=, >, >=, ==, !=)",
    ),
    "deduction without points": (
        rule_with(level="deduction"),
        "points: required for a deduction rule (a number > 0)",
    ),
    "zero points": (rule_with(level="deduction", points=0), "points: must be > 0, got 0"),
    "points on a veto": (
        rule_with(points=3),
        "points: not allowed on a veto rule (only deduction and bonus)",
    ),
    "unknown key": (rule_with(colour="red"), "colour: unknown key"),
    "misspelt key": (rule_with(metrc="x"), "metrc: unknown key (did you mean 'metric'?)"),
    "unknown param": (
        rule_with(params={"window": 7}),
        "params.window: unknown parameter for metric 'home_failure_rate' "
        "(allowed: timeout_seconds, window_days)",
    ),
    "param as text": (
        rule_with(params={"window_days": "seven"}),
        "params.window_days: must be an integer, got str 'seven'",
    ),
    "param as yes": (
        rule_with(params={"window_days": True}),
        "params.window_days: must be an integer, got bool True",
    ),
    "param below minimum": (
        rule_with(params={"window_days": 0}),
        "params.window_days: must be >= 1, got 0",
    ),
    "unknown category": (
        rule_with(
            metric="blank_columns", scope="site", threshold=5, params={"categories": ["gossip"]}
        ),
        "params.categories: unknown category 'gossip' (known: " + ", ".join(CATEGORY_NAMES) + ")",
    ),
    "override outside categories": (
        rule_with(
            metric="stale_columns",
            scope="site",
            threshold=5,
            params={"categories": ["news"], "stale_days_by_category": {"policy": 183}},
        ),
        "params.stale_days_by_category: category 'policy' is not in params.categories",
    ),
    "negative threshold": (
        rule_with(metric="blank_columns", scope="site", threshold=-1),
        "threshold: must be >= 0 (metric unit: count), got -1",
    ),
    "percent instead of ratio": (
        rule_with(threshold=5),
        "threshold: must be between 0 and 1 for a ratio (5 % is 0.05), got 5",
    ),
    "quoted threshold": (
        rule_with(threshold="0.05"),
        "threshold: must be a number, got str '0.05'",
    ),
    "missing citation": (rule_with(citation=None), "citation: required"),
    "bad id": (
        rule_with(id="Site Unreachable"),
        "id: must be a slug of a-z, 0-9 and single dashes, got 'Site Unreachable'",
    ),
    "unknown level": (
        rule_with(level="fatal"),
        "level: unknown level 'fatal' (allowed: veto, deduction, warning, bonus)",
    ),
    "warning after failure": (
        rule_with(warning={"threshold": 0.08}),
        "warning.threshold: must warn before the rule triggers: with operator '>=' it must be "
        "below 0.05, got 0.08",
    ),
    "warning equal threshold": (
        rule_with(warning={"threshold": 0.05}),
        "warning.threshold: must warn before the rule triggers: with operator '>=' it must be "
        "below 0.05, got 0.05",
    ),
    "warning opposite direction": (
        rule_with(warning={"operator": "<", "threshold": 0.03}),
        "warning.operator: '<' points the other way than the rule's '>='",
    ),
    "days_before on a rate": (
        rule_with(warning={"days_before": 3}),
        "warning.days_before: metric 'home_failure_rate' does not grow with time, "
        "so it cannot warn days ahead (use threshold)",
    ),
    "days_before past the limit": (
        rule_with(metric="days_since_home_update", operator=">", threshold=14)
        | {"warning": {"days_before": 14}},
        "warning.days_before: must be below the 14-day limit it warns about, got 14",
    ),
    "empty warning": (rule_with(warning={}), "warning: give threshold and/or days_before"),
    "unknown warning key": (
        rule_with(warning={"days": 3}),
        "warning: days: unknown key",
    ),
    "warning on a warning rule": (
        rule_with(level="warning", warning={"threshold": 0.03}),
        "warning: not allowed on a warning rule",
    ),
}


@pytest.mark.parametrize("rule, expected", MALFORMED_RULES.values(), ids=MALFORMED_RULES.keys())
def test_malformed_rule_message(rule: dict[str, Any], expected: str) -> None:
    message = error_of(profile_text(rule))
    label = f"rule '{rule['id']}'"
    assert message.startswith(f"{SOURCE}: {label}: {expected}")
    assert "\n" not in message  # one problem, one line


MALFORMED_PROFILES = {
    "duplicate rule id": (
        profile_text(VALID_RULE, rule_with(title="又一条")),
        "rule 'site-unreachable': id: used by more than one rule (#1 and #2)",
    ),
    "unknown top-level key": (
        profile_text(VALID_RULE, nmae="x"),
        "nmae: unknown key (did you mean 'name'?)",
    ),
    "no rules": (profile_text(), "rules: the profile has no rules"),
    "rules not a list": ("id: x\nname: 测试\nrules: 3\n", "rules: must be a list"),
    "rule not a mapping": (
        "id: x\nname: 测试\nrules: [3]\n",
        "rule #1: must be a mapping",
    ),
    "pass score above full": (
        profile_text(VALID_RULE, pass_score=120),
        "pass_score: 120 is above full_score 100",
    ),
    "negative bonus_max": (
        profile_text(VALID_RULE, bonus_max=-5),
        "bonus_max: must be >= 0, got -5",
    ),
    "bonus without bonus_max": (
        profile_text(rule_with(level="bonus", points=2, operator="<=", threshold=0.01)),
        "bonus_max: is 0 but rule 'site-unreachable' awards bonus points",
    ),
    "list instead of mapping": (
        "- a\n- b\n",
        "top level must be a mapping with id:, name: and rules:, not a list",
    ),
    "empty file": ("", "the file is empty; expected a mapping with id:, name: and rules:"),
}


@pytest.mark.parametrize(
    "text, expected", MALFORMED_PROFILES.values(), ids=MALFORMED_PROFILES.keys()
)
def test_malformed_profile_message(text: str, expected: str) -> None:
    assert error_of(text) == f"{SOURCE}: {expected}"


def test_yaml_syntax_error_names_the_line() -> None:
    lines = profile_text(VALID_RULE).splitlines()
    bad_line = lines.index("  scope: home_page")
    lines[bad_line] = " scope: home_page"  # indentation one less than its siblings
    message = error_of("\n".join(lines) + "\n")
    assert message.startswith(f"{SOURCE}: line {bad_line + 1}, column 2: YAML syntax error: ")


def test_unclosed_bracket_names_its_line() -> None:
    text = "id: x\nname: 测试\nrules: [\n"
    assert error_of(text).startswith(f"{SOURCE}: line 4, column 1: YAML syntax error: ")


def test_key_given_twice_is_an_error_not_a_silent_override() -> None:
    text = profile_text(VALID_RULE).replace(
        "  threshold: 0.05\n", "  threshold: 0.05\n  threshold: 0.5\n"
    )
    line = text.splitlines().index("  threshold: 0.5") + 1
    assert error_of(text) == f"{SOURCE}: line {line}, column 3: duplicate key 'threshold'"


def test_unhashable_key_is_a_yaml_error() -> None:
    assert "YAML syntax error: found unhashable key" in error_of("? [a, b]\n: 1\n")


def test_several_problems_give_the_first_and_a_count_on_one_line() -> None:
    text = profile_text(rule_with(level="fatal"), rule_with(id="second", operator="=>"))
    assert error_of(text) == (
        f"{SOURCE}: rule 'site-unreachable': level: unknown level 'fatal' "
        "(allowed: veto, deduction, warning, bonus) (and 1 more)"
    )


def test_profile_nested_20000_levels_is_one_clean_line(tmp_path: Path) -> None:
    path = tmp_path / "deep.yaml"
    path.write_text("id: x\nname: n\nrules: " + "[" * 20000 + "]" * 20000 + "\n")
    with pytest.raises(ProfileError) as caught:
        load_profile(path)
    assert str(caught.value) == f"{path}: line 3, column 57: nested more than 50 levels deep"


def test_billion_laughs_profile_is_refused() -> None:
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x]"]
    lines += [f"a{n}: &a{n} [{', '.join([f'*a{n - 1}'] * 9)}]" for n in range(1, 9)]
    assert "aliases expand to more than 500,000 values" in error_of("\n".join(lines) + "\n")


def test_shipped_profiles_load_by_name_from_package_data() -> None:
    assert load_profile("national") == load_profile(NATIONAL)
    provincial = load_profile("provincial-example")
    assert provincial.id == "provincial-example" and len(provincial.rules) > 15


def test_unknown_profile_name_lists_the_shipped_ones() -> None:
    with pytest.raises(ProfileError) as caught:
        load_profile("nationl")
    assert str(caught.value) == (
        "unknown standard 'nationl' (built in: national, provincial-example; or give a file path)"
    )


def test_a_profile_may_extend_a_shipped_one_by_name(tmp_path: Path) -> None:
    child = write_profile(tmp_path / "local.yaml", rule_with(id="extra"), id="local")
    child.write_text(child.read_text(encoding="utf-8") + "extends: national\n", encoding="utf-8")
    profile = load_profile(child)
    assert profile.rule("extra") and profile.rule("site-not-updated")


def test_missing_file_is_a_profile_error(tmp_path: Path) -> None:
    path = tmp_path / "nope.yaml"
    with pytest.raises(ProfileError) as caught:
        load_profile(path)
    assert str(caught.value) == f"{path}: no such file"


def test_load_profile_names_the_file(tmp_path: Path) -> None:
    path = tmp_path / "mine.yaml"
    path.write_text(profile_text(rule_with(metric="foo")), encoding="utf-8")
    with pytest.raises(ProfileError, match=re.escape(f"{path}: rule 'site-unreachable': metric: ")):
        load_profile(path)


# --- extends ------------------------------------------------------------------------------


def write_profile(path: Path, *rules: dict[str, Any], **top: Any) -> Path:
    """Write a small profile file and return its path."""
    path.write_text(profile_text(*rules, **top), encoding="utf-8")
    return path


def test_extends_replaces_by_id_and_adds(tmp_path: Path) -> None:
    (tmp_path / "base").mkdir()
    write_profile(
        tmp_path / "base" / "base.yaml",
        VALID_RULE,
        rule_with(id="second", threshold=0.5),
        id="base",
    )
    child = write_profile(
        tmp_path / "child.yaml",
        rule_with(id="second", threshold=0.2),
        rule_with(id="third"),
        id="child",
        extends="base/base.yaml",
    )
    profile = load_profile(child)
    assert [r.id for r in profile.rules] == ["site-unreachable", "second", "third"]
    assert profile.rule("second").threshold == 0.2
    assert (profile.id, profile.extends) == ("child", "base/base.yaml")


def test_extends_child_using_an_id_twice_is_reported(tmp_path: Path) -> None:
    write_profile(tmp_path / "base.yaml", VALID_RULE, id="base")
    child = write_profile(
        tmp_path / "child.yaml", VALID_RULE, rule_with(threshold=0.2), id="c", extends="base.yaml"
    )
    with pytest.raises(ProfileError) as caught:
        load_profile(child)
    assert str(caught.value) == (
        f"{child}: rule 'site-unreachable': id: used by more than one rule (#1 and #2)"
    )


def test_extends_needs_own_id(tmp_path: Path) -> None:
    write_profile(tmp_path / "base.yaml", VALID_RULE, id="base")
    child = write_profile(tmp_path / "child.yaml", VALID_RULE, id="base", extends="base.yaml")
    with pytest.raises(ProfileError) as caught:
        load_profile(child)
    assert str(caught.value) == (
        f"{child}: id: must differ from the id 'base' of the extended profile"
    )


def test_extends_loop_is_reported(tmp_path: Path) -> None:
    a = write_profile(tmp_path / "a.yaml", VALID_RULE, id="a", extends="b.yaml")
    write_profile(tmp_path / "b.yaml", VALID_RULE, id="b", extends="a.yaml")
    with pytest.raises(ProfileError, match=r"extends: profiles extend each other in a loop "):
        load_profile(a)


def test_error_in_base_names_the_base_file(tmp_path: Path) -> None:
    write_profile(tmp_path / "base.yaml", rule_with(operator="=>"), id="base")
    child = write_profile(tmp_path / "child.yaml", VALID_RULE, id="child", extends="base.yaml")
    with pytest.raises(ProfileError) as caught:
        load_profile(child)
    assert str(caught.value).startswith(f"{tmp_path / 'base.yaml'}: rule 'site-unreachable': ")


def test_validate_list_metrics_prints_every_registered_metric() -> None:
    from click.testing import CliRunner

    from sitewatch.cli import cli

    result = CliRunner().invoke(cli, ["validate", "--list-metrics"])
    assert result.exit_code == 0, result.output
    heads = {line.split()[0] for line in result.output.splitlines() if line[:1].isalpha()}
    assert heads == set(METRICS)
    assert "stale_days_by_category (category_days" in result.output  # parameters with types


def test_a_config_names_a_shipped_profile_by_name(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from sitewatch.cli import cli

    config = tmp_path / "group.yaml"
    config.write_text(
        "group: {name: 测试}\nstandard: provincial-example\nsites:\n"
        "  - {id: s1, name: 站, unit_type: city, home_url: 'http://s1.gov.cn/'}\n",
        encoding="utf-8",
    )
    result = CliRunner().invoke(cli, ["validate", "--config", str(config)])
    assert result.exit_code == 0, result.output
    assert "provincial-example: ok" in result.output
