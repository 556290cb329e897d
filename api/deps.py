"""Annotated dependencies: settings, the database session, the signed-in user and their scope, CSRF."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated

from fastapi import Depends, Request
from sqlalchemy.orm import Session

from api.access import Scope, scope_for
from api.errors import CsrfError, Forbidden, Unauthorized
from api.security import csrf_matches, new_csrf_token
from api.services import accounts
from core.db import Database
from core.models import User
from core.settings import Settings

UNSAFE = {"POST", "PUT", "PATCH", "DELETE"}


def get_settings(request: Request) -> Settings:
    return request.app.state.settings


def get_db(request: Request) -> Database:
    return request.app.state.db


def get_session(db: Annotated[Database, Depends(get_db)]) -> Iterator[Session]:
    with db.session() as s:
        yield s


SettingsDep = Annotated[Settings, Depends(get_settings)]
DbDep = Annotated[Database, Depends(get_db)]
SessionDep = Annotated[Session, Depends(get_session)]


def bearer_token(request: Request) -> str | None:
    auth = request.headers.get("authorization", "")
    if auth.lower().startswith("bearer "):
        return auth[7:].strip() or None
    return None


def csrf_token(request: Request) -> str:
    """The session's CSRF token (created on first use); pages put it in forms and a meta tag."""
    token = request.session.get("csrf")
    if not token:
        token = new_csrf_token()
        request.session["csrf"] = token
    return token


async def check_csrf(request: Request) -> None:
    """Unsafe requests authenticated by the session cookie must echo the session's CSRF token."""
    if request.method not in UNSAFE or bearer_token(request):
        return
    given = request.headers.get("x-csrf-token")
    if not given and "form" in request.headers.get("content-type", ""):
        form = await request.form()
        value = form.get("csrf_token")
        given = value if isinstance(value, str) else None
    if not csrf_matches(request.session.get("csrf"), given):
        raise CsrfError("表单已过期或来源不明（CSRF 校验失败），请刷新页面后重试")


def current_user(request: Request, s: SessionDep) -> User:
    token = bearer_token(request)
    if token:
        user = accounts.user_for_token(s, token)
        if user is None:
            raise Unauthorized("API 令牌无效或已撤销")
        return user
    user = accounts.session_user(s, request.session)
    if user is None:
        raise Unauthorized("请先登录")
    return user


UserDep = Annotated[User, Depends(current_user)]


def current_scope(user: UserDep, s: SessionDep) -> Scope:
    return scope_for(s, user)


ScopeDep = Annotated[Scope, Depends(current_scope)]


def writer_scope(scope: ScopeDep) -> Scope:
    if not scope.can_write:
        raise Forbidden("您的账号为只读或单位账号，不能进行此操作")
    return scope


def admin_scope(scope: ScopeDep) -> Scope:
    if not scope.is_admin:
        raise Forbidden("仅管理员可以进行此操作")
    return scope


WriterDep = Annotated[Scope, Depends(writer_scope)]
AdminDep = Annotated[Scope, Depends(admin_scope)]
CsrfDep = Depends(check_csrf)


def client_ip(request: Request) -> str | None:
    return request.client.host if request.client else None
