"""Tests for crawler.config: every bad config gives one exact message; good configs resolve."""

from __future__ import annotations

from pathlib import Path

import pytest

from crawler.categories import Category, UnitType
from crawler.config import (
    ConfigError,
    CrawlSettings,
    GroupConfig,
    is_private_address,
    is_xpath,
    load_config,
    parse_config,
    slug_from_url,
)

REPO = Path(__file__).resolve().parents[2]
CONFIG = "config/x.yaml"
HEAD = "group:\n  name: 测试网站群\n"
GOOD_SITE = """\
  - id: xa-city
    name: 西安市质量技术监督局
    unit_type: city
    home_url: http://www.xaqi.gov.cn/
"""


@pytest.fixture
def in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Run in an empty directory holding config/, so messages name `config/x.yaml`."""
    (tmp_path / "config").mkdir()
    monkeypatch.chdir(tmp_path)
    return tmp_path


def write(text: str) -> str:
    """Write the config text to config/x.yaml (relative to the CWD) and return that path."""
    Path(CONFIG).write_text(text, encoding="utf-8")
    return CONFIG


def error_of(text: str) -> ConfigError:
    """The ConfigError raised when loading this config text from config/x.yaml."""
    with pytest.raises(ConfigError) as excinfo:
        load_config(write(text))
    return excinfo.value


# ------------------------------------------------------------------ bad configs, exact messages

BAD_CONFIGS: dict[str, tuple[str, str]] = {
    "column url not http": (
        HEAD
        + """sites:
  - id: xa-city
    name: 西安
    unit_type: city
    home_url: http://www.xaqi.gov.cn/
    columns:
      - {name: 通知公告, id: tzgg, url: ftp://www.xaqi.gov.cn/tzgg/, category: notice}
""",
        "config/x.yaml: site 'xa-city', column 'tzgg': url: must be an http(s) URL",
    ),
    "column without id named by its name": (
        HEAD
        + """sites:
  - id: xa-city
    name: 西安
    unit_type: city
    home_url: http://www.xaqi.gov.cn/
    columns:
      - {name: 通知公告, url: "www.xaqi.gov.cn/tzgg/", category: notice}
""",
        "config/x.yaml: site 'xa-city', column '通知公告': url: must be an http(s) URL",
    ),
    "home_url without host": (
        HEAD + "sites:\n  - {id: a, name: A, unit_type: city, home_url: 'http:///x'}\n",
        "config/x.yaml: site 'a': home_url: must be an http(s) URL",
    ),
    "duplicate site ids": (
        HEAD + "sites:\n" + GOOD_SITE + GOOD_SITE,
        "config/x.yaml: site 'xa-city': id: duplicate site id 'xa-city' (entries 1 and 2 of sites)",
    ),
    "unknown category": (
        HEAD
        + """sites:
  - id: xa-city
    name: 西安
    unit_type: city
    home_url: http://www.xaqi.gov.cn/
    columns:
      - {name: 新闻, id: xw, url: "http://www.xaqi.gov.cn/xw/", category: headlines}
""",
        "config/x.yaml: site 'xa-city', column 'xw': category: must be one of: news, notice, "
        "policy, disclosure, basic_info, personnel, planning, finance, statistics, service, "
        "consultation, interview, survey, other",
    ),
    "unknown top-level key": (
        HEAD + "schedul: daily\nsites:\n" + GOOD_SITE,
        "config/x.yaml: schedul: unknown key (did you mean 'schedule'?)",
    ),
    "unknown site key with suggestion": (
        HEAD + "sites:\n" + GOOD_SITE + "    colums: []\n",
        "config/x.yaml: site 'xa-city': colums: unknown key (did you mean 'columns'?)",
    ),
    "unknown column key": (
        HEAD
        + """sites:
  - id: xa-city
    name: 西安
    unit_type: city
    home_url: http://www.xaqi.gov.cn/
    columns:
      - {name: 新闻, id: xw, url: "http://www.xaqi.gov.cn/xw/", category: news, colour: red}
""",
        "config/x.yaml: site 'xa-city', column 'xw': colour: unknown key",
    ),
    "unknown crawl key": (
        HEAD + "sites:\n" + GOOD_SITE + "    crawl: {delay: 1, retries: 3}\n",
        "config/x.yaml: site 'xa-city': crawl: retries: unknown key",
    ),
    "unknown group key": (
        "group: {name: G, private: true}\nsites:\n" + GOOD_SITE,
        "config/x.yaml: group: private: unknown key",
    ),
    "parent does not exist": (
        HEAD + "sites:\n" + GOOD_SITE + "    parent: portal\n",
        "config/x.yaml: site 'xa-city': parent: parent 'portal' is not a site in this file",
    ),
    "parent is itself": (
        HEAD + "sites:\n" + GOOD_SITE + "    parent: xa-city\n",
        "config/x.yaml: site 'xa-city': parent: a site cannot be its own parent",
    ),
    "parent cycle": (
        HEAD
        + """sites:
  - {id: a, name: A, unit_type: city, home_url: "http://a.example.gov.cn/", parent: c}
  - {id: b, name: B, unit_type: city, home_url: "http://b.example.gov.cn/", parent: a}
  - {id: c, name: C, unit_type: city, home_url: "http://c.example.gov.cn/", parent: b}
""",
        "config/x.yaml: site 'a': parent: parent chain loops: a -> c -> b -> a",
    ),
    "cycle above a site is reported inside the cycle": (
        HEAD
        + """sites:
  - {id: a, name: A, unit_type: city, home_url: "http://a.example.gov.cn/", parent: b}
  - {id: b, name: B, unit_type: city, home_url: "http://b.example.gov.cn/", parent: c}
  - {id: c, name: C, unit_type: city, home_url: "http://c.example.gov.cn/", parent: b}
""",
        "config/x.yaml: site 'b': parent: parent chain loops: b -> c -> b",
    ),
    "infinite timeout": (
        HEAD + "defaults: {timeout: .inf}\nsites:\n" + GOOD_SITE,
        "config/x.yaml: defaults: timeout: must be a finite number",
    ),
    "negative default delay": (
        HEAD + "defaults:\n  delay: -1\nsites:\n" + GOOD_SITE,
        "config/x.yaml: defaults: delay: must be >= 0",
    ),
    "negative site delay": (
        HEAD + "sites:\n" + GOOD_SITE + "    crawl: {delay: -0.5}\n",
        "config/x.yaml: site 'xa-city': crawl: delay: must be >= 0",
    ),
    "concurrency too high": (
        HEAD + "defaults: {concurrency: 33}\nsites:\n" + GOOD_SITE,
        "config/x.yaml: defaults: concurrency: must be <= 32",
    ),
    "zero timeout": (
        HEAD + "sites:\n" + GOOD_SITE + "    crawl: {timeout: 0}\n",
        "config/x.yaml: site 'xa-city': crawl: timeout: must be > 0",
    ),
    "concurrency as a word": (
        HEAD + "sites:\n" + GOOD_SITE + "    crawl: {concurrency: two}\n",
        "config/x.yaml: site 'xa-city': crawl: concurrency: must be an integer",
    ),
    "concurrency as a quoted number": (
        HEAD + "defaults: {concurrency: '2'}\nsites:\n" + GOOD_SITE,
        "config/x.yaml: defaults: concurrency: must be an integer",
    ),
    "obey_robots as a string": (
        HEAD + "defaults: {obey_robots: 'sure'}\nsites:\n" + GOOD_SITE,
        "config/x.yaml: defaults: obey_robots: must be true or false",
    ),
    "bad unit_type": (
        HEAD + "sites:\n  - {id: a, name: A, unit_type: town, home_url: 'http://a.gov.cn/'}\n",
        "config/x.yaml: site 'a': unit_type: must be one of: province, department, city, "
        "county, affiliated",
    ),
    "bad site slug": (
        HEAD + "sites:\n  - {id: Xa_City, name: A, unit_type: city, home_url: 'http://a.cn/'}\n",
        "config/x.yaml: site 'Xa_City': id: must be a slug: lowercase a-z, 0-9 and '-', "
        "starting with a letter or digit, max 63",
    ),
    "bad column slug": (
        HEAD
        + "sites:\n"
        + GOOD_SITE
        + "    columns:\n"
        + "      - {name: N, id: -n, url: 'http://www.xaqi.gov.cn/n/', category: news}\n",
        "config/x.yaml: site 'xa-city', column '-n': id: must be a slug: lowercase a-z, 0-9 "
        "and '-', starting with a letter or digit, max 63",
    ),
    "column outside allowed domains": (
        HEAD
        + "sites:\n"
        + GOOD_SITE
        + "    columns:\n"
        + "      - {name: N, id: n, url: 'http://www.other.gov.cn/n/', category: news}\n",
        "config/x.yaml: site 'xa-city', column 'n': url: host 'www.other.gov.cn' is not in "
        "allowed_domains (www.xaqi.gov.cn)",
    ),
    "lookalike domain is not a subdomain": (
        HEAD
        + "sites:\n"
        + GOOD_SITE
        + "    allowed_domains: [xaqi.gov.cn]\n"
        + "    columns:\n"
        + "      - {name: N, id: n, url: 'http://evilxaqi.gov.cn/n/', category: news}\n",
        "config/x.yaml: site 'xa-city', column 'n': url: host 'evilxaqi.gov.cn' is not in "
        "allowed_domains (xaqi.gov.cn)",
    ),
    "ip hosts match exactly, never by suffix": (
        "group: {name: G, allow_private_addresses: true}\nsites:\n"
        "  - {id: a, name: A, unit_type: city, home_url: 'http://127.0.0.2:8001/',"
        " allowed_domains: ['0.0.2']}\n",
        "config/x.yaml: site 'a': home_url: host '127.0.0.2' is not in allowed_domains (0.0.2)",
    ),
    "home_url outside allowed domains": (
        HEAD + "sites:\n" + GOOD_SITE + "    allowed_domains: [xaqts.gov.cn]\n",
        "config/x.yaml: site 'xa-city': home_url: host 'www.xaqi.gov.cn' is not in "
        "allowed_domains (xaqts.gov.cn)",
    ),
    "consultation url outside allowed domains": (
        HEAD + "sites:\n" + GOOD_SITE + "    consultation_urls: ['http://mail.gov.cn/x']\n",
        "config/x.yaml: site 'xa-city': consultation_urls: item 1: host 'mail.gov.cn' is not "
        "in allowed_domains (www.xaqi.gov.cn)",
    ),
    "consultation url not http": (
        HEAD + "sites:\n" + GOOD_SITE + "    consultation_urls: ['http://www.xaqi.gov.cn/', x]\n",
        "config/x.yaml: site 'xa-city': consultation_urls: item 2: must be an http(s) URL",
    ),
    "allowed domain with a scheme": (
        HEAD + "sites:\n" + GOOD_SITE + "    allowed_domains: ['http://www.xaqi.gov.cn']\n",
        "config/x.yaml: site 'xa-city': allowed_domains: item 1: must be a bare domain like "
        "'example.gov.cn' (no scheme, path or port)",
    ),
    "duplicate column id": (
        HEAD
        + "sites:\n"
        + GOOD_SITE
        + "    columns:\n"
        + "      - {name: A, id: n, url: 'http://www.xaqi.gov.cn/a/', category: news}\n"
        + "      - {name: B, id: n, url: 'http://www.xaqi.gov.cn/b/', category: news}\n",
        "config/x.yaml: site 'xa-city', column 'n': id: duplicate column id 'n'",
    ),
    "duplicate column url": (
        HEAD
        + "sites:\n"
        + GOOD_SITE
        + "    columns:\n"
        + "      - {name: A, id: a, url: 'http://www.xaqi.gov.cn/a/', category: news}\n"
        + "      - {name: B, id: b, url: 'HTTP://WWW.XAQI.GOV.CN:80/a/#top', category: news}\n",
        "config/x.yaml: site 'xa-city', column 'b': url: duplicate column url (same as column 'a')",
    ),
    "empty columns list": (
        HEAD + "sites:\n" + GOOD_SITE + "    columns: []\n",
        "config/x.yaml: site 'xa-city': columns: must not be empty "
        "(leave it out to discover columns)",
    ),
    "empty sites": (HEAD + "sites: []\n", "config/x.yaml: sites: must not be empty"),
    "missing sites": (HEAD, "config/x.yaml: sites: required"),
    "missing group": ("sites:\n" + GOOD_SITE, "config/x.yaml: group: required"),
    "missing site name": (
        HEAD + "sites:\n  - {id: a, unit_type: city, home_url: 'http://a.gov.cn/'}\n",
        "config/x.yaml: site 'a': name: required",
    ),
    "empty value": (
        "group:\n  name:\nsites:\n" + GOOD_SITE,
        "config/x.yaml: group: name: must not be empty",
    ),
    "site without a usable id": (
        HEAD + "sites:\n" + GOOD_SITE + "  - {id: 7, name: B, unit_type: city}\n",
        "config/x.yaml: site #2: id: must be a string (and 1 more)",
    ),
    "site is not a mapping": (
        HEAD + "sites:\n  - xa-city\n",
        "config/x.yaml: site #1: must be a mapping",
    ),
    "invalid css selector": (
        HEAD + "sites:\n" + GOOD_SITE + "    extract: {list_item: 'ul > > li'}\n",
        "config/x.yaml: site 'xa-city': extract: list_item: invalid CSS selector: "
        "Expected selector, got <DELIM '>' at 5>",
    ),
    "private address refused": (
        HEAD
        + "sites:\n  - {id: a, name: A, unit_type: city, home_url: 'http://127.0.0.2:8001/'}\n",
        "config/x.yaml: site 'a': home_url: '127.0.0.2' is a private or loopback address "
        "(set allow_private_addresses: true on the site, or list its network in the site's"
        " allowed_networks)",
    ),
    "several problems counted": (
        HEAD + "defaults: {delay: -1, concurrency: 0, timeout: 0}\nsites:\n" + GOOD_SITE,
        "config/x.yaml: defaults: delay: must be >= 0 (and 2 more)",
    ),
}


@pytest.mark.parametrize("case", list(BAD_CONFIGS))
def test_bad_config_message(in_tmp: Path, case: str) -> None:
    """Each kind of bad config fails with exactly its one-line message."""
    text, expected = BAD_CONFIGS[case]
    assert str(error_of(text)) == expected


def test_yaml_syntax_error_names_line_and_column(in_tmp: Path) -> None:
    """A YAML syntax error points at the offending line and column."""
    error = error_of("group:\n  name: a\n bad: x\n")
    assert str(error).startswith("config/x.yaml: line 3, column 2: YAML syntax error: ")
    assert error.line == 3


def test_duplicate_yaml_key_is_refused(in_tmp: Path) -> None:
    """A key given twice in one mapping is an error, not a silent last-one-wins."""
    error = error_of(HEAD + "sites:\n" + GOOD_SITE + "    name: again\n")
    assert str(error) == "config/x.yaml: line 8, column 5: duplicate key 'name'"


def test_python_tags_are_not_constructed(in_tmp: Path) -> None:
    """Unsafe YAML tags are refused (safe loading), so nothing gets executed."""
    marker = in_tmp / "pwned"
    error = error_of(f'group: !!python/object/apply:os.system ["touch {marker}"]\n')
    assert str(error).startswith(
        "config/x.yaml: line 1, column 8: YAML syntax error: could not determine a constructor"
    )
    assert not marker.exists()


def test_missing_file(in_tmp: Path) -> None:
    """A path that does not exist gives `<file>: no such file`."""
    with pytest.raises(ConfigError) as excinfo:
        load_config("config/missing.yaml")
    assert str(excinfo.value) == "config/missing.yaml: no such file"


def test_directory_instead_of_file(in_tmp: Path) -> None:
    """A directory is not a config file."""
    with pytest.raises(ConfigError) as excinfo:
        load_config("config")
    assert str(excinfo.value) == "config: is a directory, not a config file"


def test_empty_file(in_tmp: Path) -> None:
    """An empty (or comment-only) file says what is expected."""
    assert str(error_of("# nothing yet\n")) == (
        "config/x.yaml: the file is empty; expected a mapping with group:, defaults: and sites:"
    )


def test_top_level_list(in_tmp: Path) -> None:
    """A file whose top level is not a mapping says what it found."""
    assert str(error_of("- a\n- b\n")) == (
        "config/x.yaml: top level must be a mapping with group:, defaults: and sites:, not a list"
    )


def test_not_utf8(in_tmp: Path) -> None:
    """A GBK-encoded file is refused with advice rather than garbled names."""
    Path(CONFIG).write_bytes((HEAD + "sites:\n" + GOOD_SITE).encode("gbk"))
    with pytest.raises(ConfigError) as excinfo:
        load_config(CONFIG)
    assert str(excinfo.value).startswith("config/x.yaml: not UTF-8 text")


def test_semantic_error_knows_its_line(in_tmp: Path) -> None:
    """Validation errors carry the line of the offending key for editors."""
    error = error_of(HEAD + "sites:\n" + GOOD_SITE + "    crawl:\n      delay: -3\n")
    assert error.line == 9


def test_parse_config_uses_source_in_messages() -> None:
    """parse_config names whatever source it is given."""
    with pytest.raises(ConfigError) as excinfo:
        parse_config(HEAD + "sites: []\n", "<inline>")
    assert str(excinfo.value) == "<inline>: sites: must not be empty"


# ------------------------------------------------------------------ good configs

FULL = (
    HEAD
    + """defaults:
  delay: 0.5
  concurrency: 4
  timeout: 20
  max_pages_per_column: 7
  obey_robots: false
  user_agent: test-agent
  horizon_days: 100
sites:
  - id: portal
    name: 省局门户
    unit_type: province
    home_url: http://www.example-qts.gov.cn/
    allowed_domains: [Example-QTS.gov.cn.]
    columns:
      - {name: 通知公告, url: "http://www.example-qts.gov.cn/tzgg/", category: notice}
      - {name: 动态, url: "http://xxgk.example-qts.gov.cn/a/b/index.html", category: news}
    consultation_urls: ["http://www.example-qts.gov.cn/jzxx/"]
  - id: xa-city
    name: 西安
    unit_type: city
    parent: portal
    home_url: https://www.xaqi.gov.cn:8443/
    crawl: {delay: 3, concurrency: 1, user_agent: null}
    extract: {list_item: "ul.list > li", next_page: "//a[text()='下一页']/@href"}
"""
)


def test_full_config_values(in_tmp: Path) -> None:
    """Values come through typed; allowed_domains defaulted; ids derived from URLs."""
    config = load_config(write(FULL))
    portal, xa = config.sites
    assert config.group.name == "测试网站群"
    assert config.group.allow_private_addresses is False
    assert portal.unit_type is UnitType.PROVINCE
    assert portal.allowed_domains == ["example-qts.gov.cn"]
    assert [c.id for c in portal.columns or []] == ["tzgg", "a-b"]
    assert portal.columns is not None and portal.columns[0].category is Category.NOTICE
    assert xa.allowed_domains == ["www.xaqi.gov.cn"]
    assert xa.columns is None  # discovery
    assert xa.parent == "portal"
    assert xa.extract is not None and xa.extract.title is None
    assert config.standard is None and config.storage.db is None


def test_crawl_overrides_merge_with_defaults(in_tmp: Path) -> None:
    """A site's crawl settings are the defaults with only its own keys replaced."""
    config = load_config(write(FULL))
    assert config.site("xa-city").effective_crawl(config.defaults) == CrawlSettings(
        delay=3.0,
        concurrency=1,
        timeout=20.0,
        max_pages_per_column=7,
        obey_robots=False,
        user_agent="test-agent",
        horizon_days=100,
    )
    assert config.effective_crawl("portal") == config.defaults


def test_builtin_defaults(in_tmp: Path) -> None:
    """Without a defaults section the documented defaults apply."""
    config = load_config(write(HEAD + "sites:\n" + GOOD_SITE))
    assert config.effective_crawl("xa-city") == CrawlSettings(
        delay=1.0,
        concurrency=2,
        timeout=15.0,
        max_pages_per_column=20,
        obey_robots=True,
        user_agent="sitewatch/0.1 (+website-group monitor)",
        horizon_days=400,
    )


def test_private_addresses_allowed_when_enabled(in_tmp: Path) -> None:
    """Loopback sites load when the group allows private addresses (the simulator's case)."""
    text = (
        "group: {name: G, allow_private_addresses: true}\nsites:\n"
        "  - {id: a, name: A, unit_type: city, home_url: 'http://127.0.0.2:8001/'}\n"
    )
    assert load_config(write(text)).site("a").allowed_domains == ["127.0.0.2"]


def test_site_and_select(in_tmp: Path) -> None:
    """site() finds by id; select() keeps the requested order; unknown ids are named."""
    config = load_config(write(FULL))
    assert config.site("portal").name == "省局门户"
    assert [s.id for s in config.select(["xa-city", "portal", "xa-city"])] == ["xa-city", "portal"]
    assert [s.id for s in config.select([])] == ["portal", "xa-city"]
    with pytest.raises(ConfigError) as excinfo:
        config.select(["portal", "nope"])
    assert str(excinfo.value) == "unknown site id 'nope'; known sites: portal, xa-city"
    with pytest.raises(ConfigError) as excinfo:
        config.site("x")
    assert str(excinfo.value) == "unknown site id 'x'; known sites: portal, xa-city"


def test_standard_path_resolves_next_to_config(tmp_path: Path) -> None:
    """A relative standard path missing from the CWD is found beside the config file."""
    (tmp_path / "cfg" / "standards").mkdir(parents=True)
    profile = tmp_path / "cfg" / "standards" / "p.yaml"
    profile.write_text("x: 1\n", encoding="utf-8")
    config_file = tmp_path / "cfg" / "sites.yaml"
    config_file.write_text(
        HEAD + "standard: standards/p.yaml\nsites:\n" + GOOD_SITE, encoding="utf-8"
    )
    config = load_config(config_file)
    assert config.standard == "standards/p.yaml"
    assert config.standard_path() == profile
    assert config.db_path() is None


def test_standard_path_prefers_cwd(in_tmp: Path) -> None:
    """A relative standard path that exists under the CWD resolves there first."""
    (in_tmp / "config" / "standards").mkdir()
    (in_tmp / "config" / "standards" / "n.yaml").write_text("x: 1\n", encoding="utf-8")
    config = load_config(write(HEAD + "standard: config/standards/n.yaml\nsites:\n" + GOOD_SITE))
    assert config.standard_path() == Path("config/standards/n.yaml")


def test_example_config_loads() -> None:
    """The documented example loads and covers every unit type and feature it advertises."""
    config = load_config(REPO / "config" / "sites.example.yaml")
    assert config.group.allow_private_addresses is False
    assert {s.unit_type for s in config.sites} == set(UnitType)
    assert any(s.columns is None for s in config.sites)
    assert any(s.columns for s in config.sites)
    assert any(s.extract is not None for s in config.sites)
    assert any(s.effective_crawl(config.defaults) != config.defaults for s in config.sites)
    hosts = {d for s in config.sites for d in s.allowed_domains}
    assert all("example" in host for host in hosts)


def test_demo_config_loads() -> None:
    """The simulator's demo config loads: loopback sites, no politeness delay."""
    config = load_config(REPO / "config" / "demo.yaml")
    assert config.group.allow_private_addresses is True
    assert config.defaults.delay == 0
    assert all(is_private_address(s.allowed_domains[0]) for s in config.sites)
    assert len({s.id for s in config.sites}) == len(config.sites) >= 2


# ------------------------------------------------------------------ helpers


@pytest.mark.parametrize(
    ("url", "slug"),
    [
        ("http://a.gov.cn/tzgg/", "tzgg"),
        ("http://a.gov.cn/xxgk/tzgg/index.html", "xxgk-tzgg"),
        ("http://a.gov.cn/News/List_12.htm", "news-list-12-htm"),
        ("http://a.gov.cn/list.jsp?catid=12", "list-jsp-catid-12"),
        ("http://a.gov.cn/", "home"),
    ],
)
def test_slug_from_url(url: str, slug: str) -> None:
    """Derived column ids are readable slugs of the URL path."""
    assert slug_from_url(url) == slug


def test_slug_from_non_ascii_url_is_stable_and_distinct() -> None:
    """Chinese paths still give valid, stable, distinct slugs."""
    first = slug_from_url("http://a.gov.cn/栏目/通知/")
    second = slug_from_url("http://a.gov.cn/栏目/公告/")
    assert first == slug_from_url("http://a.gov.cn/栏目/通知/")
    assert first != second
    assert all(len(s) <= 63 and s[0].isalnum() for s in (first, second))


@pytest.mark.parametrize(
    ("host", "private"),
    [
        ("127.0.0.2", True),
        ("10.1.2.3", True),
        ("192.168.0.1", True),
        ("169.254.169.254", True),
        ("::1", True),
        ("localhost", True),
        ("8.8.8.8", False),
        ("www.example.gov.cn", False),
    ],
)
def test_is_private_address(host: str, private: bool) -> None:
    """Private, loopback and link-local literals are recognised without DNS."""
    assert is_private_address(host) is private


def test_is_xpath() -> None:
    """Selectors starting with / ./ or ( are XPath; others CSS."""
    assert is_xpath("//a/@href") and is_xpath("./span") and is_xpath("(//a)[1]")
    assert not is_xpath("ul.list > li")


def test_models_validate_without_yaml() -> None:
    """The models can be built from plain data too (e.g. by the simulator)."""
    config = GroupConfig.model_validate(
        {
            "group": {"name": "G"},
            "sites": [{"id": "a", "name": "A", "unit_type": "city", "home_url": "http://a.cn/"}],
        }
    )
    assert config.config_file is None
    assert config.site("a").allowed_domains == ["a.cn"]
