"""The console application: routes, templates, sessions. `create_app` wires it to a database."""

from __future__ import annotations

import contextlib
import threading
from collections.abc import AsyncIterator, Callable
from datetime import date, datetime
from pathlib import Path
from typing import Any

import jinja2
from starlette.applications import Starlette
from starlette.datastructures import FormData
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.middleware.sessions import SessionMiddleware
from starlette.requests import Request
from starlette.responses import FileResponse, PlainTextResponse, RedirectResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles
from starlette.templating import Jinja2Templates

from analysis.findings import maintenance
from analysis.findings.states import LABELS, TransitionError, allowed_moves, label
from analysis.findings.store import events, get_finding, list_findings, set_state
from analysis.standards.profile import StandardProfile
from crawler.categories import CATEGORY_LABELS_ZH, UNIT_TYPE_LABELS_ZH
from crawler.store import open_db
from sitewatch.web import views
from sitewatch.web.auth import (
    AccountError,
    LoginLimiter,
    Role,
    add_user,
    authenticate,
    list_users,
    session_secret,
    set_disabled,
)
from sitewatch.web.data import ConsoleData, connect
from sitewatch.web.security import (
    SecurityHeaders,
    action,
    csrf_ok,
    csrf_token,
    current_user,
    flash,
    page,
    take_flashes,
)

HERE = Path(__file__).parent
SESSION_HOURS = 8
PAGE_SIZE = 100
REPORT_LOCK = threading.Lock()  # one report written at a time


def templates() -> Jinja2Templates:
    """Jinja with autoescaping on for every template: all crawled text is untrusted."""
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(HERE / "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
    )
    env.globals.update(
        state_labels=LABELS,
        unit_labels={str(k): v for k, v in UNIT_TYPE_LABELS_ZH.items()},
        category_labels={str(k): v for k, v in CATEGORY_LABELS_ZH.items()},
        outcome_labels=views.OUTCOME_LABELS,
        level_labels=views.LEVEL_LABELS,
        weekdays=maintenance.WEEKDAYS,
        Role=Role,
        moves_of=lambda state: [m.value for m in allowed_moves(state)],
    )
    env.filters["t"] = lambda v: "—" if not v else str(v).replace("T", " ")[:16]
    return Jinja2Templates(env=env)


def render(request: Request, name: str, code: int = 200, **context: Any) -> Response:
    """A page with the shared context (user, CSRF token, messages, as-of date)."""
    app = request.app.state
    return app.templates.TemplateResponse(
        request,
        name,
        {
            "user": current_user(request),
            "csrf": csrf_token(request),
            "flashes": take_flashes(request),
            "group_name": app.group_name,
            "now": app.clock(),
            **context,
        },
        status_code=code,
    )


def local_path(target: str) -> bool:
    """True for a path on this site (never `//host` or `/\\host`, which browsers send away)."""
    return target.startswith("/") and not target.startswith("//") and "\\" not in target


def back(request: Request, fallback: str) -> RedirectResponse:
    """Redirect (303) to the form's `back` path on this site, else the fallback."""
    target = request.query_params.get("back") or fallback
    if not local_path(target):
        target = fallback
    return RedirectResponse(target, 303)


# --- log in / out -------------------------------------------------------------------------


async def login(request: Request) -> Response:
    if request.method == "GET":
        return render(request, "login.html", next=request.query_params.get("next", "/"))
    form = await request.form()
    if not csrf_ok(request, form):
        raise HTTPException(403, "表单已过期或来源不明，请刷新页面后重试")
    name, password = str(form.get("name", "")).strip(), str(form.get("password", ""))
    address = request.client.host if request.client else "?"
    limiter: LoginLimiter = request.app.state.limiter
    wait = limiter.blocked_for(address, name)
    if wait:
        message = f"登录失败次数过多，请 {int(wait // 60) + 1} 分钟后再试。"
        return render(request, "login.html", 429, error=message, next="/")
    conn = connect(request.app.state.db)
    try:
        user = authenticate(conn, name, password, request.app.state.clock())
    finally:
        conn.close()
    if user is None:
        limiter.failed(address, name)
        return render(request, "login.html", 401, error="用户名或密码不正确。", next="/")
    limiter.succeeded(address, name)
    request.session.clear()  # a fresh session (and CSRF token) for the logged-in user
    request.session["user_id"] = user.id
    target = str(form.get("next") or "/")
    return RedirectResponse(target if local_path(target) else "/", 303)


@action(Role.VIEWER)
async def logout(request: Request, user: Any, form: FormData) -> Response:
    request.session.clear()
    return RedirectResponse(request.url_for("login").path, 303)


# --- pages --------------------------------------------------------------------------------


def with_view(request: Request, build: Callable[[Any, Any], dict[str, Any]]) -> dict[str, Any]:
    """Run `build(conn, view)` on a request connection."""
    conn = connect(request.app.state.db)
    try:
        return build(conn, request.app.state.data.view(conn))
    finally:
        conn.close()


@page()
async def overview(request: Request, user: Any) -> Response:
    def build(conn: Any, view: Any) -> dict[str, Any]:
        counts = views.open_counts(conn)
        sites = views.site_rows(view, counts)
        return {
            "view": view,
            "figures": views.overview(view, conn),
            "failing": [s for s in sites if not s.get("passed")],
            "trend": views.trend(view),
            "down": request.app.state.data.down_now(conn),
            "states": _state_counts(conn),
        }

    return render(request, "overview.html", **with_view(request, build))


def _state_counts(conn: Any) -> list[tuple[str, str, int]]:
    from analysis.findings.store import count_by_state

    counts = count_by_state(conn)
    return [(s.value, name, counts.get(s.value, 0)) for s, name in LABELS.items()]


@page()
async def sites(request: Request, user: Any) -> Response:
    def build(conn: Any, view: Any) -> dict[str, Any]:
        return {"view": view, "sites": views.site_rows(view, views.open_counts(conn))}

    return render(request, "sites.html", **with_view(request, build))


@page()
async def site(request: Request, user: Any) -> Response:
    site_id = request.path_params["site_id"]

    def build(conn: Any, view: Any) -> dict[str, Any]:
        rows = [s for s in view.computed.sites if s["id"] == site_id]
        if not rows:
            raise HTTPException(404, "没有这个站点")
        now = request.app.state.clock()
        month = view.site_month(site_id)
        metrics = view.metrics
        return {
            "view": view,
            "site": views.site_row(view, rows[0], views.open_counts(conn)),
            "verdict": view.verdict(site_id),
            "month": month,
            "columns": views.site_columns(view, site_id),
            "letters": [
                x for x in (metrics.open_letters if metrics else []) if x.site_id == site_id
            ],
            "links": [x for x in (metrics.broken_links if metrics else []) if x.site_id == site_id],
            "outages": views.outages(conn, view, site_id),
            "posts": views.latest_posts(conn, site_id),
            "findings": [
                views.finding_row(r, now) for r in list_findings(conn, site_id=site_id, limit=500)
            ],
            "filings": maintenance.list_filings(conn, site_id),
        }

    return render(request, "site.html", **with_view(request, build))


FILTERS = ("state", "rule", "unit_type", "site")


@page()
async def findings(request: Request, user: Any) -> Response:
    q = {k: request.query_params.get(k, "") for k in FILTERS}
    given = request.query_params.get("offset", "")
    offset = int(given) if given.isdigit() else 0

    def build(conn: Any, view: Any) -> dict[str, Any]:
        now = request.app.state.clock()
        found = list_findings(
            conn,
            states=[q["state"]] if q["state"] else [],
            rule_id=q["rule"] or None,
            unit_type=q["unit_type"] or None,
            site_id=q["site"] or None,
            limit=PAGE_SIZE + 1,
            offset=offset,
        )
        rules = [(r.id, r.title) for r in request.app.state.data.profile.rules]
        return {
            "view": view,
            "q": q,
            "offset": offset,
            "more": len(found) > PAGE_SIZE,
            "page_size": PAGE_SIZE,
            "findings": [views.finding_row(r, now) for r in found[:PAGE_SIZE]],
            "rules": rules,
            "sites": view.computed.sites,
            "moves": {s: [m.value for m in allowed_moves(s)] for s in (x.value for x in LABELS)},
            "query": str(request.url.query),
        }

    return render(request, "findings.html", **with_view(request, build))


@page()
async def finding(request: Request, user: Any) -> Response:
    conn = connect(request.app.state.db)
    try:
        row = get_finding(conn, int(request.path_params["finding_id"]))
        if row is None:
            raise HTTPException(404, "没有这个问题")
        trail = events(conn, row["id"])
    finally:
        conn.close()
    now = request.app.state.clock()
    return render(
        request,
        "finding.html",
        f=views.finding_row(row, now),
        events=trail,
        moves=[m.value for m in allowed_moves(row["state"])],
    )


@action(Role.REVIEWER)
async def finding_state(request: Request, user: Any, form: FormData) -> Response:
    finding_id = int(request.path_params["finding_id"])
    until_text = str(form.get("until") or "").strip()
    conn = connect(request.app.state.db)
    try:
        until = date.fromisoformat(until_text) if until_text else None
        row = set_state(
            conn,
            finding_id,
            str(form.get("state", "")),
            user.name,
            request.app.state.clock(),
            str(form.get("note", ""))[:1000],
            until,
        )
        flash(request, f"问题 {finding_id} 已改为“{label(row['state'])}”。")
    except ValueError as exc:  # TransitionError, or a malformed date
        flash(
            request,
            str(exc) if isinstance(exc, TransitionError) else "日期格式应为 YYYY-MM-DD",
            "error",
        )
    finally:
        conn.close()
    return back(request, f"/findings/{finding_id}")


@page()
async def filings(request: Request, user: Any) -> Response:
    conn = connect(request.app.state.db)
    try:
        found = maintenance.list_filings(conn)
        from analysis.queries import site_rows

        all_sites = site_rows(conn)
    finally:
        conn.close()
    return render(request, "filings.html", filings=found, sites=all_sites)


def filing_from(form: FormData) -> maintenance.Filing:
    """A filing from the form's fields (FilingError for a malformed value)."""
    kind = str(form.get("recurrence", "once"))
    site_id, reason, approver = (
        str(form.get(k, "")).strip() for k in ("site_id", "reason", "approved_by")
    )
    try:
        if kind == "once":
            start = datetime.fromisoformat(str(form.get("starts_at", "")))
            end = datetime.fromisoformat(str(form.get("ends_at", "")))
            return maintenance.Filing(site_id, start, end, reason, approver)
        first = date.fromisoformat(str(form.get("first_day", "")))
        last_text = str(form.get("last_day", "")).strip()
        last = date.fromisoformat(last_text) if last_text else None
    except ValueError:
        raise maintenance.FilingError("请填写正确的日期和时间") from None
    weekday_text = str(form.get("weekday", "")).strip()
    weekday = int(weekday_text) if kind == "weekly" and weekday_text.isdigit() else None
    if kind == "weekly" and weekday is None:
        raise maintenance.FilingError("每周报备须选择星期几")
    hours = str(form.get("day_start", "")), str(form.get("day_end", ""))
    filing = maintenance.recurring(site_id, first, last, *hours, reason, approver, weekday)
    return (
        filing
        if kind in ("daily", "weekly")
        else maintenance.Filing(site_id, filing.starts_at, None, reason, approver, kind)
    )


@action(Role.REVIEWER)
async def filing_add(request: Request, user: Any, form: FormData) -> Response:
    conn = connect(request.app.state.db)
    try:
        filing_id = maintenance.add_filing(
            conn, filing_from(form), user.name, request.app.state.clock()
        )
        flash(request, f"报备 {filing_id} 已登记，其时段不再计入可用率和宕机告警。")
    except maintenance.FilingError as exc:
        flash(request, str(exc), "error")
    finally:
        conn.close()
    return back(request, "/filings")


@action(Role.REVIEWER)
async def filing_withdraw(request: Request, user: Any, form: FormData) -> Response:
    conn = connect(request.app.state.db)
    try:
        maintenance.withdraw(
            conn, int(request.path_params["filing_id"]), user.name, request.app.state.clock()
        )
        flash(request, "报备已撤销。")
    except maintenance.FilingError as exc:
        flash(request, str(exc), "error")
    finally:
        conn.close()
    return back(request, "/filings")


@page()
async def reports(request: Request, user: Any) -> Response:
    state = request.app.state
    conn = connect(state.db)
    try:
        month = f"{state.data.as_of(conn):%Y-%m}"
    finally:
        conn.close()
    return render(request, "reports.html", reports=views.reports(state.reports_dir), month=month)


async def report_file(request: Request) -> Response:
    if current_user(request) is None:
        return RedirectResponse(request.url_for("login").path, 303)
    month, name = request.path_params["month"], request.path_params["name"]
    if not views.MONTH.match(month) or name not in views.REPORT_FILES:
        raise HTTPException(404, "没有这个文件")
    path = request.app.state.reports_dir / month / name
    if not path.is_file():
        raise HTTPException(404, "没有这个文件")
    return FileResponse(path, filename=f"{month}-{name}")


@action(Role.REVIEWER)
async def report_generate(request: Request, user: Any, form: FormData) -> Response:
    month = str(form.get("month", "")).strip()
    if not views.MONTH.match(month):
        flash(request, "月份格式应为 YYYY-MM", "error")
        return RedirectResponse("/reports", 303)
    from starlette.concurrency import run_in_threadpool

    try:
        await run_in_threadpool(write_report, request.app.state, month)
        flash(request, f"{month} 月报已生成。")
    except Exception as exc:  # EmptyReportError, OSError, a bad profile: say it, keep serving
        flash(request, f"生成失败：{exc}", "error")
    return RedirectResponse("/reports", 303)


def write_report(state: Any, month: str) -> None:
    """The month's report in every format, by the report's own functions (one at a time)."""
    from analysis.report.build import build_context
    from analysis.report.render import render_report

    with REPORT_LOCK:
        context = build_context(
            state.db, month, profile_path=state.standard_path, group_name=state.group_name
        )
        render_report(context, state.reports_dir, ["html", "docx", "xlsx"], "zh")


@page()
async def runs(request: Request, user: Any) -> Response:
    conn = connect(request.app.state.db)
    try:
        found = views.runs(conn)
    finally:
        conn.close()
    return render(request, "runs.html", runs=found)


@page()
async def run(request: Request, user: Any) -> Response:
    run_id = int(request.path_params["run_id"])
    conn = connect(request.app.state.db)
    try:
        found = views.run_row(conn, run_id)
        if found is None:
            raise HTTPException(404, "没有这次运行")
        log = views.run_log(conn, run_id)
    finally:
        conn.close()
    return render(request, "run.html", run=found, log=log)


@page(Role.ADMIN)
async def users(request: Request, user: Any) -> Response:
    conn = connect(request.app.state.db)
    try:
        found = list_users(conn)
    finally:
        conn.close()
    return render(request, "users.html", users=found)


@action(Role.ADMIN)
async def user_add(request: Request, user: Any, form: FormData) -> Response:
    conn = connect(request.app.state.db)
    try:
        add_user(conn, str(form.get("name", "")).strip(), str(form.get("role", "")),
                 str(form.get("password", "")), request.app.state.clock())  # fmt: skip
        flash(request, "用户已添加。")
    except AccountError as exc:
        flash(request, str(exc), "error")
    finally:
        conn.close()
    return RedirectResponse("/users", 303)


@action(Role.ADMIN)
async def user_disable(request: Request, user: Any, form: FormData) -> Response:
    target = int(request.path_params["user_id"])
    if target == user.id:
        flash(request, "不能停用自己的账号。", "error")
        return RedirectResponse("/users", 303)
    conn = connect(request.app.state.db)
    try:
        set_disabled(conn, target, form.get("enable") != "1", request.app.state.clock())
    finally:
        conn.close()
    flash(request, "账号状态已更新。")
    return RedirectResponse("/users", 303)


async def http_error(request: Request, exc: Exception) -> Response:
    """HTTP errors as a Chinese page with the right status."""
    status = getattr(exc, "status_code", 500)
    detail = getattr(exc, "detail", "") or "出错了"
    if status == 404 and detail == "Not Found":
        detail = "没有这个页面"
    if status == 405:
        detail = "不支持这种请求"
    return render(request, "error.html", status, status=status, detail=detail)


async def server_error(request: Request, exc: Exception) -> Response:
    """An unexpected error: one plain line (the session is not available out here)."""
    return PlainTextResponse("服务器内部错误，请查看控制台日志。", 500)


def create_app(
    db: Path,
    profile: StandardProfile,
    *,
    clock: Callable[[], datetime] = datetime.now,
    as_of: date | None = None,
    reports_dir: Path = Path("reports"),
    standard_path: str | Path | None = None,
    config_path: Path | None = None,
    group_name: str = "",
    secure_cookies: bool = False,
    login_attempts: int = 5,
) -> Starlette:
    """The console for one database and standard profile."""
    database = open_db(db)  # creates and migrates the schema once
    secret = session_secret(database.conn)
    database.conn.close()
    routes = [
        Route("/login", login, methods=["GET", "POST"], name="login"),
        Route("/logout", logout, methods=["POST"]),
        Route("/", overview, name="overview"),
        Route("/sites", sites),
        Route("/sites/{site_id}", site),
        Route("/findings", findings),
        Route("/findings/{finding_id:int}", finding),
        Route("/findings/{finding_id:int}/state", finding_state, methods=["POST"]),
        Route("/filings", filings),
        Route("/filings/new", filing_add, methods=["POST"]),
        Route("/filings/{filing_id:int}/withdraw", filing_withdraw, methods=["POST"]),
        Route("/reports", reports),
        Route("/reports/generate", report_generate, methods=["POST"]),
        Route("/reports/{month}/{name}", report_file),
        Route("/runs", runs),
        Route("/runs/{run_id:int}", run),
        Route("/users", users),
        Route("/users/new", user_add, methods=["POST"]),
        Route("/users/{user_id:int}/disable", user_disable, methods=["POST"]),
        Mount("/static", StaticFiles(directory=HERE / "static"), name="static"),
    ]
    middleware = [
        Middleware(SecurityHeaders),
        Middleware(
            SessionMiddleware,
            secret_key=secret,
            session_cookie="sitewatch_session",
            max_age=SESSION_HOURS * 3600,
            same_site="strict",
            https_only=secure_cookies,
        ),
    ]
    data = ConsoleData(db, profile, clock, as_of)

    @contextlib.asynccontextmanager
    async def lifespan(_app: Starlette) -> AsyncIterator[None]:
        data.warm_up()  # the month's figures are ready before the first visitor asks
        yield

    app = Starlette(
        lifespan=lifespan,
        routes=routes,
        middleware=middleware,
        exception_handlers={HTTPException: http_error, 500: server_error},
    )
    app.state.db = db
    app.state.clock = clock
    app.state.data = data
    app.state.templates = templates()
    app.state.limiter = LoginLimiter(attempts=login_attempts)
    app.state.reports_dir = reports_dir
    app.state.standard_path = standard_path
    app.state.config_path = config_path
    app.state.group_name = group_name
    return app
