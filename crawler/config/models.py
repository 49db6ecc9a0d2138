"""The pydantic models of a site-group config file; every model forbids unknown keys.

Adding a top-level section (e.g. `schedule:` or `alerts:`) is one model plus one field on
`GroupConfig`; error messages are built generically from pydantic's error locations.
"""

from __future__ import annotations

import ipaddress
import re
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    PrivateAttr,
    Strict,
    field_validator,
    model_validator,
)

from crawler.categories import Category, UnitType
from crawler.config.checks import (
    check_http_url,
    check_selector,
    check_slug,
    clean_domain,
    host_in_domains,
    is_link_local_literal,
    is_private_address,
    normalize_url,
    outside_domains_message,
    slug_from_url,
    url_host,
)
from crawler.config.errors import ConfigError, FieldProblem
from crawler.content.config import ContentConfig
from crawler.limits import (
    FETCH_DEADLINE,
    MAX_COLUMNS_PER_SITE,
    MAX_ITEMS_PER_PAGE,
    MAX_LINKS_PER_PAGE,
    MAX_LINKS_PER_SITE,
)
from crawler.transport_config import TransportConfig

DEFAULT_USER_AGENT = "sitewatch/0.1 (+website-group monitor)"

NonEmptyStr = Annotated[str, Field(min_length=1)]
# Strict: YAML already types numbers and booleans, so "2" or `yes`-as-1 are mistakes.
Delay = Annotated[float, Strict(), Field(ge=0, allow_inf_nan=False)]
Concurrency = Annotated[int, Strict(), Field(ge=1, le=32)]
Timeout = Annotated[float, Strict(), Field(gt=0, allow_inf_nan=False)]
PageLimit = Annotated[int, Strict(), Field(ge=1)]
HorizonDays = Annotated[int, Strict(), Field(ge=1)]
Cap = Annotated[int, Strict(), Field(ge=1)]
Flag = Annotated[bool, Strict()]
UrlLoc = tuple[tuple[str | int, ...], str]


# Script-rendered lists: `auto` renders a column whose list only scripts draw; `off` never.
RenderMode = Literal["auto", "off"]


class StrictModel(BaseModel):
    """Base of every config model: unknown keys are errors."""

    model_config = ConfigDict(extra="forbid")


class GroupInfo(StrictModel):
    """The `group:` section: the group's name and network policy."""

    name: NonEmptyStr
    allow_private_addresses: Flag = False


class CrawlSettings(StrictModel):
    """Complete crawl settings (the `defaults:` section, or a site's merged result)."""

    delay: Delay = 1.0
    concurrency: Concurrency = 2
    timeout: Timeout = FETCH_DEADLINE
    max_pages_per_column: PageLimit = 20
    obey_robots: Flag = True
    user_agent: NonEmptyStr = DEFAULT_USER_AGENT
    horizon_days: HorizonDays = 400
    max_links_per_page: Cap = MAX_LINKS_PER_PAGE
    max_links_per_site: Cap = MAX_LINKS_PER_SITE
    max_items_per_page: Cap = MAX_ITEMS_PER_PAGE
    max_columns: Cap = MAX_COLUMNS_PER_SITE
    render: RenderMode = "off"  # auto: script-rendered lists through a headless browser


class CrawlOverrides(StrictModel):
    """A site's `crawl:` section: any subset of `CrawlSettings`; null means "the default"."""

    delay: Delay | None = None
    concurrency: Concurrency | None = None
    timeout: Timeout | None = None
    max_pages_per_column: PageLimit | None = None
    obey_robots: Flag | None = None
    user_agent: NonEmptyStr | None = None
    horizon_days: HorizonDays | None = None
    max_links_per_page: Cap | None = None
    max_links_per_site: Cap | None = None
    max_items_per_page: Cap | None = None
    max_columns: Cap | None = None
    render: RenderMode | None = None

    def apply_to(self, defaults: CrawlSettings) -> CrawlSettings:
        """The defaults with every value set here replacing the default's."""
        return defaults.model_copy(update=self.model_dump(exclude_none=True))


class ExtractOverrides(StrictModel):
    """Per-site selectors for when the heuristics fail: CSS, or XPath if it starts / ./ or (."""

    list_item: str | None = None
    title: str | None = None
    date: str | None = None
    next_page: str | None = None

    @field_validator("*")
    @classmethod
    def _valid_selector(cls, value: str | None) -> str | None:
        """Reject selectors that would otherwise only fail later, inside the spider."""
        return None if value is None else check_selector(value)


class ColumnConfig(StrictModel):
    """One explicitly configured column (栏目) of a site."""

    name: NonEmptyStr
    id: str = ""  # absent means "derive from the URL"; always a slug after validation
    url: str
    category: Category
    render: RenderMode | None = None  # None: the site's crawl.render

    @field_validator("url")
    @classmethod
    def _valid_url(cls, value: str) -> str:
        """Column pages are fetched over http(s)."""
        return check_http_url(value)

    @field_validator("id")
    @classmethod
    def _valid_id(cls, value: str) -> str:
        """An explicit id must be a slug."""
        return value if value == "" else check_slug(value)

    @model_validator(mode="after")
    def _default_id(self) -> ColumnConfig:
        """Derive a stable id from the URL when none was given."""
        if not self.id:
            self.id = slug_from_url(self.url)
        return self


class LinkCheckConfig(StrictModel):
    """`link_check:` (group-wide, or a site's own): which links are checked at all.

    `external: skip` leaves links outside the group's sites unchecked; hosts in `skip_hosts`
    (and their subdomains) are recorded as 无法验证 (unverifiable) without any request, for
    hosts the monitoring network cannot reach. A site's `skip_hosts` add to the group's.
    """

    external: Literal["check", "skip"] | None = None
    skip_hosts: list[str] = Field(default_factory=list)

    @field_validator("skip_hosts")
    @classmethod
    def _valid_hosts(cls, hosts: list[str]) -> list[str]:
        """Bare host names or IP literals, compared in lower case."""
        cleaned: list[str] = []
        for index, host in enumerate(hosts):
            try:
                cleaned.append(clean_domain(host))
            except ValueError as exc:
                raise FieldProblem((index,), str(exc)) from None
        return cleaned


def check_network(value: str) -> str:
    """A CIDR network a site may reach; link-local ones (metadata) are never allowed."""
    try:
        network = ipaddress.ip_network(value, strict=False)
    except ValueError:
        raise ValueError(f"'{value}' is not a network like 10.1.0.0/16 or 192.0.2.7") from None
    if network.is_link_local or network.overlaps(LINK_LOCAL_V4):
        raise ValueError(f"'{value}' is link-local (cloud metadata lives there): never allowed")
    return str(network)


LINK_LOCAL_V4 = ipaddress.ip_network("169.254.0.0/16")
Network = Annotated[str, AfterValidator(check_network)]


class SiteConfig(StrictModel):
    """One site of the group."""

    id: str
    name: NonEmptyStr
    unit_type: UnitType
    parent: str | None = None
    home_url: str
    allowed_domains: list[str] = Field(default_factory=list)  # empty: [host of home_url]
    columns: list[ColumnConfig] | None = None  # None: discover columns from the home page
    consultation_urls: list[str] = Field(default_factory=list)
    crawl: CrawlOverrides = Field(default_factory=CrawlOverrides)
    extract: ExtractOverrides | None = None
    # Intranet sites: null means the group's `allow_private_addresses`; `allowed_networks`
    # names the private networks the site's own hosts may be on without allowing all of them.
    allow_private_addresses: Flag | None = None
    allowed_networks: list[Network] = Field(default_factory=list)
    link_check: LinkCheckConfig = Field(default_factory=LinkCheckConfig)

    @field_validator("id")
    @classmethod
    def _valid_id(cls, value: str) -> str:
        """Site ids go into file names and URLs, so they are slugs."""
        return check_slug(value)

    @field_validator("home_url")
    @classmethod
    def _valid_home_url(cls, value: str) -> str:
        """The home page is fetched over http(s)."""
        return check_http_url(value)

    @field_validator("consultation_urls")
    @classmethod
    def _valid_consultation_urls(cls, urls: list[str]) -> list[str]:
        """Every consultation URL must be http(s)."""
        for index, url in enumerate(urls):
            try:
                check_http_url(url)
            except ValueError as exc:
                raise FieldProblem((index,), str(exc)) from None
        return urls

    @field_validator("allowed_domains")
    @classmethod
    def _valid_domains(cls, domains: list[str]) -> list[str]:
        """Domains are bare host names, compared in lower case."""
        cleaned: list[str] = []
        for index, domain in enumerate(domains):
            try:
                cleaned.append(clean_domain(domain))
            except ValueError as exc:
                raise FieldProblem((index,), str(exc)) from None
        return cleaned

    @field_validator("columns")
    @classmethod
    def _columns_not_empty(cls, columns: list[ColumnConfig] | None) -> list[ColumnConfig] | None:
        """An empty list is almost surely a mistake; leaving the key out means discovery."""
        if columns is not None and not columns:
            raise ValueError("must not be empty (leave it out to discover columns)")
        return columns

    @model_validator(mode="after")
    def _check_site(self) -> SiteConfig:
        """Default allowed_domains; every URL inside them; column ids and URLs unique."""
        if not self.allowed_domains:
            self.allowed_domains = [url_host(self.home_url)]
        if self.parent == self.id:
            raise FieldProblem(("parent",), "a site cannot be its own parent")
        for loc, url in self.all_urls():
            if not host_in_domains(url_host(url), self.allowed_domains):
                raise FieldProblem(loc, outside_domains_message(url, self.allowed_domains))
        self._check_columns_unique()
        return self

    def _check_columns_unique(self) -> None:
        """Column ids and (normalized) URLs are unique within the site."""
        columns = self.columns or []
        first_by_id: dict[str, int] = {}
        first_by_url: dict[str, int] = {}
        for index, column in enumerate(columns):
            if column.id in first_by_id:
                message = f"duplicate column id '{column.id}'"
                if column.id == slug_from_url(column.url):
                    message += " (derived from the url; give the column an explicit id)"
                raise FieldProblem(("columns", index, "id"), message)
            url_key = normalize_url(column.url)
            if url_key in first_by_url:
                other = columns[first_by_url[url_key]]
                message = f"duplicate column url (same as column '{other.id}')"
                raise FieldProblem(("columns", index, "url"), message)
            first_by_id[column.id] = index
            first_by_url[url_key] = index

    def all_urls(self) -> list[UrlLoc]:
        """Every configured URL of the site with its location inside the site's mapping."""
        found: list[UrlLoc] = [(("home_url",), self.home_url)]
        found += [(("columns", i, "url"), c.url) for i, c in enumerate(self.columns or [])]
        found += [(("consultation_urls", i), u) for i, u in enumerate(self.consultation_urls)]
        return found

    def effective_crawl(self, defaults: CrawlSettings) -> CrawlSettings:
        """This site's crawl settings: the group defaults merged with its `crawl:`."""
        return self.crawl.apply_to(defaults)

    def allows_private_host(self, host: str) -> bool:
        """True when a private literal (or localhost) host is allowed for this site."""
        if self.allow_private_addresses:
            return not is_link_local_literal(host)
        try:
            address = ipaddress.ip_address(host.strip("[]"))
        except ValueError:
            return False
        return any(address in ipaddress.ip_network(n) for n in self.allowed_networks)

    def link_check_for(self, group: LinkCheckConfig) -> tuple[str, list[str]]:
        """(external: check|skip, skip hosts) for this site: its own over the group's."""
        external = self.link_check.external or group.external or "check"
        return external, [*group.skip_hosts, *self.link_check.skip_hosts]

    def allows_url(self, url: str) -> bool:
        """True when url's host is inside this site's allowed domains."""
        return host_in_domains(url_host(url), self.allowed_domains)


class StorageConfig(StrictModel):
    """The `storage:` section."""

    db: NonEmptyStr | None = None


# -- schedule: and alerts: ------------------------------------------------------------------

CRON_FIELDS = ("minute", "hour", "day", "month", "day_of_week")
# crontab counts weekdays from Sunday (0 and 7); APScheduler 3 counts from Monday, so
# numbers are turned into names before APScheduler sees them.
CRON_WEEKDAYS = ("sun", "mon", "tue", "wed", "thu", "fri", "sat", "sun")
CRON_WEEKDAY_NUMBER_RE = re.compile(r"(?<![/\w])([0-7])(?!\w)")
CLOCK_TIME_RE = re.compile(r"^([01]?\d|2[0-3]):([0-5]\d)$")
ENV_NAME_RE = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


def cron_fields(expr: str) -> dict[str, str]:
    """A 5-field crontab line as APScheduler CronTrigger keyword arguments (weekdays by name)."""
    values = expr.split()
    if len(values) != len(CRON_FIELDS):
        raise ValueError(
            f"'{expr}' is not a cron expression: expected 5 fields "
            "(minute hour day-of-month month day-of-week), e.g. '0 2 * * *'"
        )
    weekday = CRON_WEEKDAY_NUMBER_RE.sub(lambda m: CRON_WEEKDAYS[int(m.group(1))], values[4])
    return dict(zip(CRON_FIELDS, [*values[:4], weekday], strict=True))


def check_cron(expr: str) -> str:
    """Return the expression with single spaces when APScheduler accepts it; ValueError if not."""
    from apscheduler.triggers.cron import CronTrigger  # heavy import, only when a config has one

    fields = cron_fields(expr)
    try:
        CronTrigger(**fields, timezone="UTC")
    except ValueError as exc:
        raise ValueError(f"'{expr}' is not a valid cron expression: {exc}") from None
    return " ".join(expr.split())


def parse_clock_time(value: str) -> tuple[int, int]:
    """`HH:MM` as (hour, minute); ValueError otherwise."""
    match = CLOCK_TIME_RE.match(value.strip())
    if match is None:
        raise ValueError(f"'{value}' is not a time like 07:30")
    return int(match.group(1)), int(match.group(2))


CronExpr = Annotated[str, AfterValidator(check_cron)]


class ScheduleConfig(StrictModel):
    """The `schedule:` section: one cron expression per job (null switches a job off)."""

    crawl: CronExpr | None = "0 2 * * *"  # daily 02:00
    probe: CronExpr | None = "0 * * * *"  # hourly: 24 visits a day, the rules assume 20+
    check: CronExpr | None = "30 6 * * *"  # daily, after the night's crawl
    report: CronExpr | None = "0 8 1 * *"  # 08:00 on the 1st, for the previous month
    timezone: NonEmptyStr | None = None  # e.g. Asia/Shanghai; default: the machine's zone
    misfire_grace_minutes: Annotated[int, Strict(), Field(ge=1)] = 60
    log_file: NonEmptyStr | None = None  # default: logs/sitewatch.log next to the database
    report_dir: NonEmptyStr = "reports"

    @field_validator("timezone")
    @classmethod
    def _valid_timezone(cls, value: str | None) -> str | None:
        """An IANA zone name the machine knows."""
        if value is None:
            return None
        from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(f"unknown time zone '{value}' (e.g. Asia/Shanghai)") from None
        return value

    def jobs(self) -> dict[str, str]:
        """The enabled jobs and their cron expressions, in run order."""
        planned = {"crawl": self.crawl, "probe": self.probe, "check": self.check}
        planned["report"] = self.report
        return {job: expr for job, expr in planned.items() if expr is not None}


class SmtpChannelConfig(StrictModel):
    """`alerts.email`: SMTP with STARTTLS; the password only ever comes from the environment."""

    host: NonEmptyStr
    port: Annotated[int, Strict(), Field(ge=1, le=65535)] = 587
    starttls: Flag = True
    username: NonEmptyStr | None = None
    password_env: NonEmptyStr | None = None  # name of the environment variable
    ca_file: NonEmptyStr | None = None  # a private CA for an intranet mail server
    sender: NonEmptyStr
    to: list[NonEmptyStr] = Field(min_length=1)
    timeout: Timeout = 30.0

    @model_validator(mode="before")
    @classmethod
    def _no_literal_password(cls, data: object) -> object:
        """A password in the YAML ends up in backups and version control: refuse it."""
        if isinstance(data, dict) and "password" in data:
            raise FieldProblem(
                ("password",),
                "do not put the password in the file; set an environment variable and name "
                "it in password_env (e.g. password_env: SITEWATCH_SMTP_PASSWORD)",
            )
        return data

    @field_validator("password_env")
    @classmethod
    def _valid_env_name(cls, value: str | None) -> str | None:
        """An environment variable name, not the secret itself."""
        if value is not None and not ENV_NAME_RE.match(value):
            raise ValueError(f"'{value}' is not an environment variable name")
        return value

    @model_validator(mode="after")
    def _password_with_user(self) -> SmtpChannelConfig:
        """A password without a user name cannot log in."""
        if self.password_env and not self.username:
            raise FieldProblem(("username",), "required when password_env is set")
        return self


class WebhookKind(StrEnum):
    """Payload shapes: WeCom (企业微信) robot, DingTalk (钉钉) robot, plain JSON."""

    WECOM = "wecom"
    DINGTALK = "dingtalk"
    JSON = "json"


class WebhookChannelConfig(StrictModel):
    """One entry of `alerts.webhooks`: a JSON POST."""

    name: NonEmptyStr | None = None
    kind: WebhookKind = WebhookKind.JSON
    url: str
    secret_env: NonEmptyStr | None = None  # DingTalk signing secret, from the environment
    timeout: Timeout = 10.0

    @field_validator("url")
    @classmethod
    def _valid_url(cls, value: str) -> str:
        """Webhooks are posted over http(s)."""
        return check_http_url(value)

    @field_validator("secret_env")
    @classmethod
    def _valid_env_name(cls, value: str | None) -> str | None:
        """An environment variable name, not the secret itself."""
        if value is not None and not ENV_NAME_RE.match(value):
            raise ValueError(f"'{value}' is not an environment variable name")
        return value

    def label(self) -> str:
        """The channel's name in the alerts table: `webhook:<name or kind>`."""
        return f"webhook:{self.name or self.kind.value}"


class AlertsConfig(StrictModel):
    """The `alerts:` section: where alerts go, quiet hours and the daily digest."""

    enabled: Flag = True
    email: SmtpChannelConfig | None = None
    webhooks: list[WebhookChannelConfig] = Field(default_factory=list)
    warnings: Flag = True  # also alert when an early warning first appears
    quiet_hours: NonEmptyStr | None = None  # "22:00-07:00": queued, sent when they end
    digest: Flag = False  # warnings go into one daily message instead of one each
    digest_at: NonEmptyStr = "08:00"

    @field_validator("quiet_hours")
    @classmethod
    def _valid_quiet_hours(cls, value: str | None) -> str | None:
        """`HH:MM-HH:MM`; may wrap past midnight."""
        if value is None:
            return None
        start, sep, end = value.partition("-")
        if not sep:
            raise ValueError(f"'{value}' is not a range like 22:00-07:00")
        if parse_clock_time(start) == parse_clock_time(end):
            raise ValueError("start and end are equal")
        return value

    @field_validator("digest_at")
    @classmethod
    def _valid_digest_at(cls, value: str) -> str:
        """`HH:MM`."""
        parse_clock_time(value)
        return value

    def quiet_window(self) -> tuple[tuple[int, int], tuple[int, int]] | None:
        """Quiet hours as ((hour, minute), (hour, minute)), or None."""
        if self.quiet_hours is None:
            return None
        start, _, end = self.quiet_hours.partition("-")
        return parse_clock_time(start), parse_clock_time(end)


class VantageQuorum(StrEnum):
    """When a probe round counts as failed with several vantage points probing."""

    ALL = "all"  # failed only when every vantage that probed failed
    MAJORITY = "majority"  # failed when more than half failed


class ClusterConfig(StrictModel):
    """The `cluster:` section: agents on a task queue (see docs/operating.md)."""

    broker: NonEmptyStr = "redis://127.0.0.1:6379/0"
    password_env: NonEmptyStr | None = None  # the broker password, from the environment
    vantages: list[NonEmptyStr] = Field(default_factory=list)  # probe from each of these
    vantage_quorum: VantageQuorum = VantageQuorum.ALL  # when a round counts as failed
    job_timeout_minutes: Annotated[int, Strict(), Field(ge=1, le=24 * 60)] = 120

    @field_validator("password_env")
    @classmethod
    def _valid_env_name(cls, value: str | None) -> str | None:
        """An environment variable name, not the password itself."""
        if value is not None and not ENV_NAME_RE.match(value):
            raise ValueError(f"'{value}' is not an environment variable name")
        return value


class GroupConfig(StrictModel):
    """A whole site-group config file."""

    group: GroupInfo
    defaults: CrawlSettings = Field(default_factory=CrawlSettings)
    standard: NonEmptyStr | None = None  # a path; see `standard_path()`
    storage: StorageConfig = Field(default_factory=StorageConfig)
    schedule: ScheduleConfig = Field(default_factory=ScheduleConfig)
    alerts: AlertsConfig = Field(default_factory=AlertsConfig)
    cluster: ClusterConfig | None = None  # None: everything runs in this process
    link_check: LinkCheckConfig = Field(default_factory=LinkCheckConfig)
    content: ContentConfig = Field(default_factory=ContentConfig)
    transport: TransportConfig = Field(default_factory=TransportConfig)  # HTTPS and IPv6 checks
    sites: list[SiteConfig] = Field(min_length=1)

    _config_file: Path | None = PrivateAttr(default=None)

    @model_validator(mode="after")
    def _check_group(self) -> GroupConfig:
        """Site ids unique, parents known and acyclic, private addresses only when allowed."""
        self._check_site_ids()
        self._check_parents()
        for site in self.sites:
            if site.allow_private_addresses is None:
                site.allow_private_addresses = self.group.allow_private_addresses
        self._check_no_private_addresses()
        return self

    def _check_site_ids(self) -> None:
        """No two sites share an id."""
        first_index: dict[str, int] = {}
        for index, site in enumerate(self.sites):
            if site.id in first_index:
                entries = f"entries {first_index[site.id] + 1} and {index + 1} of sites"
                message = f"duplicate site id '{site.id}' ({entries})"
                raise FieldProblem(("sites", index, "id"), message)
            first_index[site.id] = index

    def _check_parents(self) -> None:
        """Every parent names another site, and following parents never loops."""
        by_id = {site.id: site for site in self.sites}
        for index, site in enumerate(self.sites):
            if site.parent is not None and site.parent not in by_id:
                message = f"parent '{site.parent}' is not a site in this file"
                raise FieldProblem(("sites", index, "parent"), message)
        for index, site in enumerate(self.sites):
            chain = [site.id]
            while (parent := by_id[chain[-1]].parent) is not None:
                if parent == site.id:
                    message = f"parent chain loops: {' -> '.join([*chain, parent])}"
                    raise FieldProblem(("sites", index, "parent"), message)
                if parent in chain:
                    break  # a loop above this site; reported at the first site inside it
                chain.append(parent)

    def _check_no_private_addresses(self) -> None:
        """Refuse loopback/private hosts unless the site (or group) allows them."""
        for index, site in enumerate(self.sites):
            for loc, url in site.all_urls():
                host = url_host(url)
                if is_private_address(host) and not site.allows_private_host(host):
                    message = (
                        f"'{host}' is a private or loopback address "
                        "(set allow_private_addresses: true on the site, or list its network "
                        "in the site's allowed_networks)"
                    )
                    raise FieldProblem(("sites", index, *loc), message)

    @property
    def config_file(self) -> Path | None:
        """The file this config was loaded from, if any."""
        return self._config_file

    def site(self, site_id: str) -> SiteConfig:
        """The site with this id; ConfigError listing the known ids otherwise."""
        for site in self.sites:
            if site.id == site_id:
                return site
        raise ConfigError(f"unknown site id '{site_id}'; known sites: {self.known_ids()}")

    def select(self, ids: list[str]) -> list[SiteConfig]:
        """The sites with these ids, in the order given; all sites when ids is empty."""
        if not ids:
            return list(self.sites)
        wanted = list(dict.fromkeys(ids))
        known = {site.id for site in self.sites}
        unknown = [site_id for site_id in wanted if site_id not in known]
        if unknown:
            noun = "id" if len(unknown) == 1 else "ids"
            names = ", ".join(f"'{site_id}'" for site_id in unknown)
            raise ConfigError(f"unknown site {noun} {names}; known sites: {self.known_ids()}")
        return [self.site(site_id) for site_id in wanted]

    def known_ids(self) -> str:
        """The site ids in file order, comma-separated, for messages."""
        return ", ".join(site.id for site in self.sites)

    def effective_crawl(self, site_id: str) -> CrawlSettings:
        """The merged crawl settings of one site."""
        return self.site(site_id).effective_crawl(self.defaults)

    def standard_path(self) -> Path | None:
        """The `standard:` profile path, resolved with `resolve_config_path`."""
        return None if self.standard is None else resolve_config_path(self.standard, self)

    def db_path(self) -> Path | None:
        """The `storage.db` path, resolved with `resolve_config_path`."""
        return None if self.storage.db is None else resolve_config_path(self.storage.db, self)


def resolve_config_path(value: str, config: GroupConfig) -> Path:
    """Absolute paths as is; else the first that exists of CWD/value, <config dir>/value,
    <config dir's parent>/value (config/x.yaml naming config/standards/…); else CWD/value."""
    path = Path(value).expanduser()
    if path.is_absolute() or path.exists() or config.config_file is None:
        return path
    config_dir = config.config_file.absolute().parent
    for base in (config_dir, config_dir.parent):
        if (base / path).exists():
            return base / path
    return path
