"""Who may do what: the session's user, CSRF tokens on every form, role checks, headers."""

from __future__ import annotations

import functools
import hmac
import secrets
from collections.abc import Awaitable, Callable
from typing import Any

from starlette.datastructures import FormData
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from sitewatch.web.auth import Role, User, load_user
from sitewatch.web.data import connect

CSRF_FIELD = "csrf_token"
# The console serves its own CSS and JS only; nothing crawled is ever run or framed.
HEADERS = {
    "content-security-policy": (
        "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self';"
        " frame-ancestors 'none'; base-uri 'none'; form-action 'self'"
    ),
    "x-content-type-options": "nosniff",
    "referrer-policy": "same-origin",
    "x-frame-options": "DENY",
}


def csrf_token(request: Request) -> str:
    """This session's CSRF token (created on first use)."""
    token = request.session.get(CSRF_FIELD)
    if not isinstance(token, str):
        token = secrets.token_urlsafe(32)
        request.session[CSRF_FIELD] = token
    return token


def csrf_ok(request: Request, form: FormData) -> bool:
    """True when the form carries this session's token."""
    sent, mine = form.get(CSRF_FIELD), request.session.get(CSRF_FIELD)
    return isinstance(sent, str) and isinstance(mine, str) and hmac.compare_digest(sent, mine)


def current_user(request: Request) -> User | None:
    """The logged-in account, re-read from the database (disabled → logged out)."""
    try:
        return request.state.user
    except AttributeError:
        pass
    conn = connect(request.app.state.db)
    try:
        request.state.user = load_user(conn, request.session.get("user_id"))
    finally:
        conn.close()
    return request.state.user


Handler = Callable[..., Awaitable[Response]]


def page(role: Role = Role.VIEWER) -> Callable[[Handler], Handler]:
    """A GET page: log in first; 403 below `role`."""

    def wrap(handler: Handler) -> Handler:
        @functools.wraps(handler)
        async def inner(request: Request) -> Response:
            user = current_user(request)
            if user is None:
                login = request.url_for("login").path
                return RedirectResponse(f"{login}?next={request.url.path}", 303)
            if user.role < role:
                raise HTTPException(403, "没有权限查看此页面")
            return await handler(request, user)

        return inner

    return wrap


def action(role: Role) -> Callable[[Handler], Handler]:
    """A form POST: 403 unless logged in, at least `role` and carrying the CSRF token."""

    def wrap(handler: Handler) -> Handler:
        @functools.wraps(handler)
        async def inner(request: Request) -> Response:
            form = await request.form()
            if not csrf_ok(request, form):
                raise HTTPException(403, "表单已过期或来源不明，请刷新页面后重试")
            user = current_user(request)
            if user is None or user.role < role:
                raise HTTPException(403, "没有权限执行此操作")
            return await handler(request, user, form)

        return inner

    return wrap


class SecurityHeaders:
    """Adds HEADERS to every response."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                headers += [(k.encode(), v.encode()) for k, v in HEADERS.items()]
                message["headers"] = headers
            await send(message)

        await self.app(scope, receive, send_with_headers)


def flash(request: Request, text: str, kind: str = "ok") -> None:
    """A message shown once on the next page."""
    request.session.setdefault("flash", []).append([kind, text])


def take_flashes(request: Request) -> list[Any]:
    """The pending messages (and forget them)."""
    return request.session.pop("flash", [])
