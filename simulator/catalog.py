"""Which sites the group has and how each looks: unit, address, CMS family, charset, columns."""

from __future__ import annotations

import ipaddress
import random
from dataclasses import dataclass
from datetime import date, timedelta

from crawler.categories import Category, UnitType
from simulator import wordlists as words
from simulator.model import Column, DateStyle, Family, Rhythm, Site


@dataclass(frozen=True)
class SiteLook:
    """Presentation choices of one site."""

    family: Family
    encoding: str
    charset_in_header: bool
    date_style: DateStyle
    pubdate_meta: bool


@dataclass(frozen=True)
class Unit:
    """Identity of one site: id, names, unit type, parent."""

    site_id: str
    name: str
    short_name: str
    unit_type: UnitType
    parent: str | None


# The default world, in address order: 127.0.0.2 is the portal, xa-city lands on 127.0.0.7.
DEFAULT_LOOKS: list[SiteLook] = [
    SiteLook(Family.TRS, "utf-8", True, DateStyle.ISO, True),
    SiteLook(Family.HANWEB_LINKS, "utf-8", False, DateStyle.ISO, False),
    SiteLook(Family.HANDMADE, "gbk", True, DateStyle.SHORT, False),
    SiteLook(Family.TRS, "utf-8", True, DateStyle.ISO, False),
    SiteLook(Family.HANDMADE, "utf-8", False, DateStyle.URL_ONLY, False),
    SiteLook(Family.TRS, "utf-8", True, DateStyle.ISO, True),
    SiteLook(Family.HANWEB_QUERY, "utf-8", True, DateStyle.ISO, False),
    SiteLook(Family.HANDMADE, "gbk", False, DateStyle.CHINESE, False),
    SiteLook(Family.HANWEB_QUERY, "gbk", True, DateStyle.ISO, False),
    SiteLook(Family.TRS, "utf-8", False, DateStyle.ISO, False),
    SiteLook(Family.HANDMADE, "gbk", False, DateStyle.SLASH, False),
    SiteLook(Family.HANWEB_LINKS, "utf-8", True, DateStyle.ISO, False),
]

EXTRA_FAMILIES = [Family.TRS, Family.HANWEB_LINKS, Family.HANDMADE, Family.HANWEB_QUERY]
EXTRA_DATE_STYLES = [DateStyle.ISO, DateStyle.SHORT, DateStyle.CHINESE, DateStyle.SLASH]

BUSY_FACTOR: dict[UnitType, float] = {
    UnitType.PROVINCE: 1.0,
    UnitType.CITY: 0.7,
    UnitType.DEPARTMENT: 0.4,
    UnitType.COUNTY: 0.3,
    UnitType.AFFILIATED: 0.3,
}

YEAR_START = date(2012, 1, 1)


def _default_units() -> list[Unit]:
    """The twelve units of the default world, in address order."""
    portal = Unit("portal", words.PORTAL_NAME, words.PORTAL_NAME, UnitType.PROVINCE, None)
    units = [portal]
    for dept_id, dept in words.DEPARTMENT_UNITS[:3]:
        units.append(
            Unit(dept_id, f"{words.PORTAL_NAME}{dept}", dept, UnitType.DEPARTMENT, "portal")
        )
    aff_a, aff_b = words.AFFILIATED_UNITS[:2]
    units.append(Unit(aff_a[0], aff_a[1], aff_a[1], UnitType.AFFILIATED, "portal"))
    for prefix, city in words.CITIES[:6]:
        units.append(Unit(f"{prefix}-city", f"{city}{words.BUREAU}", city, UnitType.CITY, "portal"))
    units.append(Unit(aff_b[0], aff_b[1], aff_b[1], UnitType.AFFILIATED, "portal"))
    return units


def _extra_unit(k: int) -> Unit:
    """Unit number k (1-based, k > 12) of a scaled-up world; unit types cycle."""
    unit_type = words.UNIT_TYPE_CYCLE[(k - 13) % len(words.UNIT_TYPE_CYCLE)]
    round_no = (k - 13) // len(words.UNIT_TYPE_CYCLE)
    if unit_type is UnitType.DEPARTMENT:
        pool = words.DEPARTMENT_UNITS[3:]
        dept_id, dept = pool[round_no % len(pool)]
        site_id, short = f"{dept_id}-{k}", f"{dept}{_ordinal(round_no // len(pool))}"
        return Unit(site_id, f"{words.PORTAL_NAME}{short}", short, unit_type, "portal")
    if unit_type is UnitType.CITY:
        pool = words.CITIES[6:]
        prefix, city = pool[round_no % len(pool)]
        short = f"{city}{_ordinal(round_no // len(pool))}"
        return Unit(f"{prefix}-city-{k}", f"{short}{words.BUREAU}", short, unit_type, "portal")
    if unit_type is UnitType.COUNTY:
        county = words.COUNTIES[round_no % len(words.COUNTIES)]
        short = f"{county}{_ordinal(round_no // len(words.COUNTIES))}"
        return Unit(f"county-{k}", f"{short}{words.BUREAU}", short, unit_type, "portal")
    aff_id, aff = words.AFFILIATED_UNITS[2 + round_no % 2]
    short = f"{aff}{_ordinal(round_no // 2)}"
    return Unit(f"{aff_id}-{k}", short, short, unit_type, "portal")


def _ordinal(n: int) -> str:
    """A suffix that keeps generated names unique: '' for the first, '（二）' etc. after."""
    return "" if n == 0 else f"（{n + 1}）"


def units_for(n_sites: int) -> list[Unit]:
    """The first n_sites units: the default twelve, then generated ones."""
    units = _default_units()[:n_sites]
    units.extend(_extra_unit(k) for k in range(len(units) + 1, n_sites + 1))
    return units


def look_for(k: int) -> SiteLook:
    """Presentation of site k (1-based)."""
    if k <= len(DEFAULT_LOOKS):
        return DEFAULT_LOOKS[k - 1]
    family = EXTRA_FAMILIES[k % len(EXTRA_FAMILIES)]
    style = EXTRA_DATE_STYLES[k % len(EXTRA_DATE_STYLES)] if family is Family.HANDMADE else "iso"
    return SiteLook(
        family=family,
        encoding="gbk" if k % 3 == 0 else "utf-8",
        charset_in_header=k % 2 == 0,
        date_style=DateStyle(style),
        pubdate_meta=family is Family.TRS and k % 2 == 1,
    )


def host_for(host_base: str, k: int) -> str:
    """The k-th loopback address from the base (k is 1-based)."""
    return str(ipaddress.ip_address(host_base) + k - 1)


def departments_for(unit: Unit) -> list[str]:
    """The posting departments (来源) a site uses."""
    if unit.unit_type is UnitType.PROVINCE:
        return list(words.PORTAL_DEPARTMENTS)
    if unit.unit_type is UnitType.DEPARTMENT:
        return [unit.short_name, "办公室"]
    if unit.unit_type is UnitType.AFFILIATED:
        return list(words.AFFILIATED_DEPARTMENTS)
    return list(words.CITY_DEPARTMENTS)


def _column_rhythm(k: int, slug: str, base: Rhythm, unit_type: UnitType) -> Rhythm:
    """The rhythm of one column on site k: busy default, with stale and blank columns sprinkled."""
    if slug == "gzdt" and unit_type is not UnitType.PROVINCE:
        base = Rhythm.DAILY if unit_type is UnitType.CITY else Rhythm.WEEKLY
    if slug == "gzdt" and k % 6 == 3:
        return Rhythm.STALE
    if slug == "zcfg" and k % 5 == 2:
        return Rhythm.STALE
    if slug == "tjsj" and k % 3 == 0:
        return Rhythm.BLANK
    if slug == "ghjh" and k % 4 == 1 and k > 1:
        return Rhythm.BLANK
    return base


# The default world's December is planned so the national check shows every veto kind once
# while most sites pass (simulator/README.md, "The December picture"). Keyed by site id, so
# generated sites of a bigger world keep the sprinkled rhythms only.
#
# A unit that stopped publishing in December (渭南: nothing after 12-12, the 网站不更新 veto).
STOPPED_ON: dict[str, date] = {"wn-city": date(2012, 12, 12)}

# Columns some units opened besides the usual set: 标准化处 a 信息公开目录 of basic
# information, 特检院 the columns of its trade.
EXTRA_COLUMNS: dict[str, list[tuple[str, str, Category, Rhythm]]] = {
    "bzc": words.DISCLOSURE_CATALOGUE_COLUMNS,
    "tjy": words.TRADE_COLUMNS,
}
BASIC_INFO_CATEGORIES = frozenset(
    {Category.BASIC_INFO, Category.PERSONNEL, Category.PLANNING, Category.FINANCE}
    | {Category.STATISTICS}
)
# 标准化处 has not touched its basic information since 2011: all eleven such columns are more
# than a year stale (栏目不更新, basic information: veto from 10).
ARCHIVED_SITES = frozenset({"bzc"})
# 特检院 keeps its 通知公告 going but left its trade columns: three news columns stopped by
# 11-16, a notice column by 05-25 and a policy column by 04-27 are stale on 12-31 (栏目不更新,
# dynamic: veto from 5; its weekly 工作动态, last updated 12-11, makes six), and four trade
# columns are blank (空白栏目: veto from 5 with its blank 统计数据).
PLANNED_COLUMNS: dict[str, dict[str, tuple[Rhythm, date | None]]] = {
    "tjy": {
        "jydt": (Rhythm.STALE, date(2012, 10, 26)),
        "hyzx": (Rhythm.STALE, date(2012, 11, 16)),
        "aqdt": (Rhythm.STALE, date(2012, 9, 28)),
        "jygg": (Rhythm.STALE, date(2012, 5, 25)),
        "fgbz": (Rhythm.STALE, date(2012, 4, 27)),
        "jyzn": (Rhythm.BLANK, None),
        "xzzx": (Rhythm.BLANK, None),
    },
}


def _planned_rhythm(
    unit: Unit, slug: str, category: Category, default: Rhythm
) -> tuple[Rhythm, date | None]:
    """A column's rhythm and last day from the December plan, or the default (no date)."""
    if unit.site_id in ARCHIVED_SITES and category in BASIC_INFO_CATEGORIES:
        return Rhythm.ARCHIVED, None
    return PLANNED_COLUMNS.get(unit.site_id, {}).get(slug, (default, None))


def columns_for(k: int, unit: Unit, rng: random.Random) -> list[Column]:
    """The columns of site k with their rhythms (posts are added later)."""
    plan = words.PORTAL_COLUMNS if unit.unit_type is UnitType.PROVINCE else words.SMALL_SITE_COLUMNS
    plan = plan + EXTRA_COLUMNS.get(unit.site_id, [])
    columns = []
    for index, (name, slug, category, base) in enumerate(plan):
        default = _column_rhythm(k, slug, base, unit.unit_type)
        rhythm, stale_after = _planned_rhythm(unit, slug, category, default)
        if rhythm is Rhythm.STALE and stale_after is None:
            stale_after = YEAR_START + timedelta(days=rng.randint(120, 240))
        stopped = STOPPED_ON.get(unit.site_id)
        if stopped is not None:
            stale_after = min(stale_after or stopped, stopped)
        columns.append(
            Column(name, slug, category, rhythm, col_id=12 + index, stale_after=stale_after)
        )
    return columns


def build_bare_site(k: int, unit: Unit, host_base: str, port: int, rng: random.Random) -> Site:
    """Site k without posts or letters."""
    look = look_for(k)
    has_mailbox = k != 4 and not (k > 12 and k % 5 == 0)
    leader_box = unit.unit_type in (UnitType.PROVINCE, UnitType.CITY, UnitType.COUNTY)
    return Site(
        site_id=unit.site_id,
        name=unit.name,
        short_name=unit.short_name,
        unit_type=unit.unit_type,
        parent=unit.parent,
        host=host_for(host_base, k),
        port=port,
        family=look.family,
        encoding=look.encoding,
        charset_in_header=look.charset_in_header,
        date_style=look.date_style,
        page_size=rng.randint(15, 25),
        pubdate_meta=look.pubdate_meta,
        departments=departments_for(unit),
        columns=columns_for(k, unit, rng),
        mailbox_name=("局长信箱" if leader_box else "在线咨询") if has_mailbox else None,
        mailbox_slug=("jzxx" if leader_box else "zxzx") if has_mailbox else None,
        robots_disallow=["/private/"] if k == 1 else [],
    )
