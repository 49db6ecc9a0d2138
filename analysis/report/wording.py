"""Evidence and link states as plain sentences, one function for every output format.

The rule engine records evidence as small dicts of figures; the adapter (`build.py`) keeps them
as `Evidence(kind, facts, url)` with today's values. Here they become sentences a reader of the
report understands: no field names, no `None`, no English error codes. Chinese sentences use
full-width punctuation.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from analysis.report.context import Evidence
from analysis.report.fmt import clean_text
from analysis.report.i18n import Lang

# The `error` names the crawler and the prober record (crawler/faults.py, crawler/probe.py).
ERROR_TEXT: dict[str, tuple[str, str]] = {
    "connection_refused": ("连接被拒绝", "connection refused"),
    "timeout": ("超时", "timed out"),
    "dns": ("域名无法解析", "host name not found"),
    "connection_lost": ("连接中断", "connection lost"),
    "no_response": ("服务器无响应", "no response"),
    "connect_error": ("无法建立连接", "could not connect"),
    "no_route": ("网络不可达", "no route to host"),
    "too_large": ("页面过大", "page too large"),
    "robots": ("robots.txt 禁止访问", "disallowed by robots.txt"),
    "redirect_loop": ("重定向循环", "redirect loop"),
    "private_address": ("指向内部网络地址", "points at a private address"),
    "offsite": ("不在监测范围内", "outside the monitored sites"),
    "trap": ("疑似无限生成的页面", "looks like an endless page trap"),
    "skipped": ("按配置不检查", "not checked by configuration"),
    "unverifiable": ("无法验证", "not verifiable"),
    "ignored": ("未访问", "not visited"),
    "http_4xx": ("页面请求错误", "client error"),
    "http_5xx": ("服务器错误", "server error"),
}
HTTP_STATUS_TEXT: dict[int, tuple[str, str]] = {
    400: ("请求错误", "bad request"),
    401: ("需要登录", "login required"),
    403: ("禁止访问", "forbidden"),
    404: ("页面不存在", "not found"),
    410: ("页面已删除", "gone"),
    429: ("请求过多被拒绝", "too many requests"),
    500: ("服务器内部错误", "internal server error"),
    502: ("网关错误", "bad gateway"),
    503: ("服务暂不可用", "service unavailable"),
    504: ("网关超时", "gateway timeout"),
}
UNKNOWN_ERROR = ("无法访问", "unreachable")


def seen_from_text(vantages: tuple[str, ...] | list[str], lang: Lang) -> str:
    """Where an outage was seen from: "自监测点 A、B 均无法访问"; empty with one vantage point
    (single-vantage operation shows nothing new). Vantage names are the operator's, cleaned."""
    names = [clean_text(v) for v in vantages]
    if not names:
        return ""
    if lang == "en":
        return "unreachable from " + ", ".join(names)
    if len(names) == 1:
        return f"自监测点 {names[0]} 无法访问"
    return f"自监测点 {'、'.join(names)} 均无法访问"


# Why a link could not be checked (links.detail of an 'unverifiable' link).
UNVERIFIABLE_TEXT: dict[str, tuple[str, str]] = {
    "dns": ("域名无法解析", "host name not found"),
    "no_route": ("网络不可达", "no route to host"),
    "skip_host": ("按配置不检查该域名", "host skipped by configuration"),
    "connect_error": ("无法建立连接", "could not connect"),
}


def pick(pair: tuple[str, str], lang: Lang) -> str:
    """The text of a (zh, en) pair."""
    return pair[0] if lang == "zh" else pair[1]


def link_state(status: int | None, error: str | None, lang: Lang = "zh") -> str:
    """Why a link or a visit failed: `HTTP 404 页面不存在`, `连接被拒绝`, ..."""
    if status is not None and status >= 400:
        meaning = HTTP_STATUS_TEXT.get(status) or (
            ("服务器错误", "server error") if status >= 500 else ("请求错误", "client error")
        )
        return f"HTTP {status} {pick(meaning, lang)}"
    if error:
        return pick(ERROR_TEXT.get(error, UNKNOWN_ERROR), lang)
    return pick(UNKNOWN_ERROR, lang)


def unverifiable_state(detail: str | None, lang: Lang = "zh") -> str:
    """`无法验证（域名无法解析）`: a link the monitoring network could not check, and why."""
    why = UNVERIFIABLE_TEXT.get(detail or "") or ERROR_TEXT.get(detail or "")
    if lang == "zh":
        return f"无法验证（{why[0]}）" if why else "无法验证"
    return f"not verifiable ({why[1]})" if why else "not verifiable"


def md(value: Any) -> str:
    """A date (or datetime) as MM-DD."""
    return str(value)[5:10]


def day(value: Any) -> str:
    """A date (or datetime) as YYYY-MM-DD."""
    return str(value)[:10]


def percent(value: float) -> str:
    """A 0..1 ratio as a percentage."""
    return f"{value * 100:.1f}%"


def until(facts: dict[str, Any], lang: Lang) -> str:
    """The distance to the line of an early warning, when the adapter computed it."""
    left = facts.get("remaining_days")
    if left is None:
        return ""
    if lang == "zh":
        return f"，再过 {left} 天将触发" if left > 0 else "，今天起将触发"
    return f"; triggers in {left} days" if left > 0 else "; triggers from today"


def letter(f: dict[str, Any], lang: Lang) -> str:
    """A letter: waiting without reply, or replied after some time."""
    title, asked = clean_text(str(f.get("title") or "")), day(f["asked_on"])
    days, workdays = f.get("days"), f.get("workdays")
    span_zh = f"{days} 天" + (f"（{workdays} 个工作日）" if workdays is not None else "")
    span_en = f"{days} days" + (f" ({workdays} working days)" if workdays is not None else "")
    if f.get("replied_on"):
        if lang == "zh":
            return f"留言《{title}》于 {asked} 提交，{day(f['replied_on'])} 答复，用时 {span_zh}"
        return f"Letter “{title}” asked {asked}, answered {day(f['replied_on'])} after {span_en}"
    at = md(f["at"])
    if lang == "zh":
        return f"留言《{title}》于 {asked} 提交，截至 {at} 已 {span_zh}未答复{until(f, lang)}"
    return f"Letter “{title}” asked {asked}, unanswered for {span_en} by {at}{until(f, lang)}"


def column_name(f: dict[str, Any]) -> str:
    """A column's name, cleaned."""
    return clean_text(str(f.get("column") or ""))


def stale_column(f: dict[str, Any], lang: Lang) -> str:
    """A column not updated within its limit."""
    name, last, days = column_name(f), f.get("last_post_on"), f.get("days")
    limit = f.get("limit")
    if last is None:
        if lang == "zh":
            return f"栏目“{name}”没有带发布日期的信息"
        return f"Column “{name}” has no dated post"
    if lang == "zh":
        tail = f"（时限 {limit} 天）" if limit is not None else ""
        return f"栏目“{name}”最近更新于 {day(last)}，已 {days} 天未更新{tail}{until(f, lang)}"
    tail = f" (limit {limit} days)" if limit is not None else ""
    return f"Column “{name}” last updated {day(last)}, {days} days ago{tail}{until(f, lang)}"


def home_update(f: dict[str, Any], lang: Lang) -> str:
    """The newest post of the home page's columns."""
    name, last = column_name(f), f.get("last_post_on")
    if last is None:
        return "首页栏目没有带发布日期的信息" if lang == "zh" else "No dated post on the home page"
    days = f.get("days")
    if lang == "zh":
        ago = f"，截至 {md(f['at'])} 已 {days} 天未更新" if days is not None else ""
        return f"首页栏目最近一次更新为“{name}”{day(last)}{ago}{until(f, lang)}"
    ago = f", {days} days before {md(f['at'])}" if days is not None else ""
    return f"Newest home-page post in “{name}” on {day(last)}{ago}{until(f, lang)}"


def blank_column(f: dict[str, Any], lang: Lang) -> str:
    """A column with no content at all."""
    return (
        f"栏目“{column_name(f)}”无任何内容"
        if lang == "zh"
        else f"Column “{column_name(f)}” is empty"
    )


def unextracted_column(f: dict[str, Any], lang: Lang) -> str:
    """A column from which no post was extracted (no data)."""
    if lang == "zh":
        return f"栏目“{column_name(f)}”未提取到任何信息，请核查该页面"
    return f"No post extracted from column “{column_name(f)}”: check the page"


def column_posts(f: dict[str, Any], lang: Lang) -> str:
    """Posts of a column in a window."""
    if lang == "zh":
        return f"栏目“{column_name(f)}”自 {day(f['since'])} 起发布 {f['posts']} 条"
    return f"Column “{column_name(f)}”: {f['posts']} posts since {day(f['since'])}"


def link(f: dict[str, Any], lang: Lang) -> str:
    """A broken link and where it was found."""
    state = link_state(f.get("status"), f.get("error"), lang)
    url = clean_text(str(f.get("url") or ""))
    if f.get("on_home_page"):
        return (
            f"首页链接 {url} 无法访问（{state}）"
            if lang == "zh"
            else f"Home-page link {url}: {state}"
        )
    page = clean_text(str(f.get("found_on") or ""))
    if lang == "zh":
        return f"页面 {page} 上的链接 {url} 无法访问（{state}）"
    return f"Link {url} on {page}: {state}"


def probe_rate(f: dict[str, Any], lang: Lang) -> str:
    """Visits and failures of the home page in a window."""
    visits, failures = f["visits"], f["failures"] or 0
    rate = percent(failures / visits) if visits else "—"
    line = f.get("warning_line")
    if lang == "zh":
        text = f"自 {day(f['since'])} 起访问首页 {visits} 次，失败 {failures} 次，失败率 {rate}"
        if line is not None:
            text += f"，已超过预警线 {percent(line)}，达到 {percent(f['threshold'])} 将触发"
        return text
    text = f"{failures} of {visits} home-page visits since {day(f['since'])} failed ({rate})"
    if line is not None:
        text += f"; past the warning line {percent(line)}, triggers at {percent(f['threshold'])}"
    return text


def probe_run(f: dict[str, Any], lang: Lang) -> str:
    """Failed visits in a row."""
    since = str(f.get("since") or "")[:16].replace("T", " ")
    if lang == "zh":
        return f"自 {since} 起首页连续 {f['failed_visits']} 次访问失败"
    return f"{f['failed_visits']} failed visits in a row since {since}"


def channel(f: dict[str, Any], lang: Lang) -> str:
    """Whether a consultation channel was found."""
    columns, letters = f.get("consultation_columns") or 0, f.get("letters") or 0
    if not columns and not letters:
        return "未发现政务咨询栏目" if lang == "zh" else "No consultation column found"
    if lang == "zh":
        return f"发现政务咨询栏目 {columns} 个、留言 {letters} 件"
    return f"{columns} consultation columns and {letters} letters found"


def reply_rate(f: dict[str, Any], lang: Lang) -> str:
    """Letters judged for the reply rate."""
    if lang == "zh":
        return f"应答复留言 {f['letters']} 件，已答复 {f['replied']} 件，未答复 {f['pending']} 件"
    return f"{f['replied']} of {f['letters']} letters answered, {f['pending']} pending"


def latency(f: dict[str, Any], lang: Lang) -> str:
    """Reply times of the replied letters."""
    worst = f.get("max_workdays", f.get("p90_workdays"))
    which = ("最长", "longest") if "max_workdays" in f else ("90% 分位", "90th percentile")
    if lang == "zh":
        return f"已答复留言 {f['replied_letters']} 件，{which[0]}用时 {worst} 个工作日"
    return f"{f['replied_letters']} letters answered, {which[1]} {worst} working days"


def last_reply(f: dict[str, Any], lang: Lang) -> str:
    """The newest reply of a site."""
    if not f.get("last_reply_on"):
        if lang == "zh":
            return f"共收到留言 {f['letters']} 件，从未答复"
        return f"{f['letters']} letters, none ever answered"
    if lang == "zh":
        return f"最近一次答复于 {day(f['last_reply_on'])}"
    return f"Last answer on {day(f['last_reply_on'])}"


def date_gap(f: dict[str, Any], lang: Lang) -> str:
    """A post whose date sources disagree."""
    sources = [
        (("列表日期", "list date"), f.get("list_date")),
        (("页面标注日期", "meta date"), f.get("meta_date")),
        (("正文日期", "text date"), f.get("text_date")),
        (("网址日期", "URL date"), f.get("url_date")),
        (("首次发现", "first seen"), f.get("first_seen_on")),
    ]
    known = [f"{pick(name, lang)} {day(value)}" for name, value in sources if value]
    url = clean_text(str(f.get("url") or ""))
    if lang == "zh":
        return (
            f"信息 {url} 标注发布日期 {day(f['published_on'])}，"
            f"与{'、'.join(known)}相差 {f['gap_days']} 天"
        )
    return (
        f"Post {url} dated {day(f['published_on'])}: {', '.join(known)}; {f['gap_days']} days apart"
    )


def yearly_report(f: dict[str, Any], lang: Lang) -> str:
    """The year's website annual report (工作年度报表): missing, late or undated."""
    due = day(f["due_on"])
    if not f.get("url"):
        if lang == "zh":
            return f"未发现 {f['year']} 年度网站工作年度报表（应于 {due} 前公开）"
        return f"No {f['year']} annual website report found (due {due})"
    title = clean_text(str(f.get("title") or ""))
    if not f.get("published_on"):
        return (
            f"《{title}》未标注发布日期（应于 {due} 前公开）"
            if lang == "zh"
            else (f"“{title}” has no publication date (due {due})")
        )
    if lang == "zh":
        return f"《{title}》于 {day(f['published_on'])} 公开（应于 {due} 前公开）"
    return f"“{title}” published {day(f['published_on'])} (due {due})"


def uninterpreted_policy(f: dict[str, Any], lang: Lang) -> str:
    """A policy document published without its interpretation (解读)."""
    title, published = clean_text(str(f.get("title") or "")), day(f.get("published_on") or "")
    if lang == "zh":
        return f"政策文件《{title}》于 {published} 发布，未见相应解读"
    return f"Policy “{title}” published {published} without an interpretation"


def page_check(f: dict[str, Any], lang: Lang) -> str:
    """A page whose identity or meta tags are wrong: what was found and what it should be."""
    page, check = clean_text(str(f.get("url") or "")), clean_text(str(f.get("check") or ""))
    found = clean_text(str(f.get("found") or ""))
    if lang == "zh":
        text = f"页面 {page}：{check}" + (f"，发现“{found}”" if found else "")
        return text + (f"，应为“{clean_text(str(f['expected']))}”" if f.get("expected") else "")
    text = f"{page}: {check}" + (f", found “{found}”" if found else "")
    return text + (f", expected “{clean_text(str(f['expected']))}”" if f.get("expected") else "")


def search_check(f: dict[str, Any], lang: Lang) -> str:
    """A site search that did not work."""
    page, check = clean_text(str(f.get("url") or "")), clean_text(str(f.get("check") or ""))
    searched = clean_text(str(f.get("searched") or ""))
    if lang == "zh":
        return f"{check}：在 {page} 搜索 {searched}" if searched else f"{check}：{page}"
    return f"{check}: searched “{searched}” on {page}" if searched else f"{check}: {page}"


def content_finding(f: dict[str, Any], lang: Lang) -> str:
    """A content-check finding (错敏信息): the page, the term, the suggestion, its review."""
    title = clean_text(str(f.get("title") or f.get("url") or ""))
    dated = f"（{day(f['page_date'])}）" if f.get("page_date") else ""
    check, term = clean_text(str(f.get("check") or "")), clean_text(str(f.get("term") or ""))
    extra = [clean_text(str(f[k])) for k in ("severity", "review") if f.get(k)]
    if lang == "zh":
        text = f"《{title}》{dated}{check}：“{term}”"
        if f.get("suggestion"):
            text += f"，建议改为“{clean_text(str(f['suggestion']))}”"
        return text + (f"（{'，'.join(extra)}）" if extra else "")
    text = f"“{title}”{dated} {check}: “{term}”"
    if f.get("suggestion"):
        text += f", suggested “{clean_text(str(f['suggestion']))}”"
    return text + (f" ({', '.join(extra)})" if extra else "")


def more(f: dict[str, Any], lang: Lang) -> str:
    """How many entries were left out."""
    return f"另有 {f['more']} 条未列出" if lang == "zh" else f"{f['more']} more not listed"


def plain(f: dict[str, Any], lang: Lang) -> str:
    """Evidence of a shape no sentence is written for: its values, without their keys."""
    values = [clean_text(str(v)) for k, v in f.items() if v is not None and k != "url"]
    return ("，" if lang == "zh" else ", ").join(values)


SENTENCES: dict[str, Callable[[dict[str, Any], Lang], str]] = {
    "letter": letter,
    "stale_column": stale_column,
    "home_update": home_update,
    "blank_column": blank_column,
    "unextracted_column": unextracted_column,
    "column_posts": column_posts,
    "link": link,
    "probe_rate": probe_rate,
    "probe_run": probe_run,
    "channel": channel,
    "reply_rate": reply_rate,
    "latency": latency,
    "last_reply": last_reply,
    "date_gap": date_gap,
    "yearly_report": yearly_report,
    "uninterpreted_policy": uninterpreted_policy,
    "page_check": page_check,
    "search_check": search_check,
    "content_finding": content_finding,
    "more": more,
}


def evidence_text(evidence: Evidence, lang: Lang = "zh") -> str:
    """One evidence entry as a sentence."""
    return SENTENCES.get(evidence.kind, plain)(evidence.facts, lang)


# Why a rule has no data, by the engine's note.
NO_DATA_NOTES: dict[str, tuple[str, str]] = {
    "no probe visit in the window": (
        "监测期内没有首页访问记录，无法判断可用性（请确认可用性监测已按时运行）",
        "No home-page visit in the window: availability cannot be judged (is probing running?)",
    ),
    "no post extracted from the site's columns": (
        "未从该网站各栏目提取到任何信息，可能是页面结构变化导致提取失败，请核查所列栏目页面",
        "No post was extracted from any column: possibly an extraction failure; "
        "check the column pages listed",
    ),
}
NO_DATA_DEFAULT = ("该项没有可用的监测数据", "No data for this rule")


def no_data_reason(note: str, lang: Lang = "zh") -> str:
    """Why a rule has no data, from the engine's note."""
    return pick(NO_DATA_NOTES.get(note, NO_DATA_DEFAULT), lang)
