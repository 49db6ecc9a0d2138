"""The pydantic models of a site-group config file; every model forbids unknown keys.

Adding a top-level section (e.g. `schedule:` or `alerts:`) is one model plus one field on
`GroupConfig`; error messages are built generically from pydantic's error locations.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

from pydantic import (
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
    is_private_address,
    normalize_url,
    outside_domains_message,
    slug_from_url,
    url_host,
)
from crawler.config.errors import ConfigError, FieldProblem

DEFAULT_USER_AGENT = "sitewatch/0.1 (+website-group monitor)"

NonEmptyStr = Annotated[str, Field(min_length=1)]
# Strict: YAML already types numbers and booleans, so "2" or `yes`-as-1 are mistakes.
Delay = Annotated[float, Strict(), Field(ge=0, allow_inf_nan=False)]
Concurrency = Annotated[int, Strict(), Field(ge=1, le=32)]
Timeout = Annotated[float, Strict(), Field(gt=0, allow_inf_nan=False)]
PageLimit = Annotated[int, Strict(), Field(ge=1)]
HorizonDays = Annotated[int, Strict(), Field(ge=1)]
Flag = Annotated[bool, Strict()]
UrlLoc = tuple[tuple[str | int, ...], str]


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
    timeout: Timeout = 15.0
    max_pages_per_column: PageLimit = 20
    obey_robots: Flag = True
    user_agent: NonEmptyStr = DEFAULT_USER_AGENT
    horizon_days: HorizonDays = 400


class CrawlOverrides(StrictModel):
    """A site's `crawl:` section: any subset of `CrawlSettings`; null means "the default"."""

    delay: Delay | None = None
    concurrency: Concurrency | None = None
    timeout: Timeout | None = None
    max_pages_per_column: PageLimit | None = None
    obey_robots: Flag | None = None
    user_agent: NonEmptyStr | None = None
    horizon_days: HorizonDays | None = None

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

    def allows_url(self, url: str) -> bool:
        """True when url's host is inside this site's allowed domains."""
        return host_in_domains(url_host(url), self.allowed_domains)


class StorageConfig(StrictModel):
    """The `storage:` section."""

    db: NonEmptyStr | None = None


class GroupConfig(StrictModel):
    """A whole site-group config file."""

    group: GroupInfo
    defaults: CrawlSettings = Field(default_factory=CrawlSettings)
    standard: NonEmptyStr | None = None  # a path; see `standard_path()`
    storage: StorageConfig = Field(default_factory=StorageConfig)
    sites: list[SiteConfig] = Field(min_length=1)

    _config_file: Path | None = PrivateAttr(default=None)

    @model_validator(mode="after")
    def _check_group(self) -> GroupConfig:
        """Site ids unique, parents known and acyclic, private addresses only when allowed."""
        self._check_site_ids()
        self._check_parents()
        if not self.group.allow_private_addresses:
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
        """Refuse loopback/private hosts unless group.allow_private_addresses is true."""
        for index, site in enumerate(self.sites):
            for loc, url in site.all_urls():
                host = url_host(url)
                if is_private_address(host):
                    message = (
                        f"'{host}' is a private or loopback address "
                        "(set group.allow_private_addresses: true to allow it)"
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
