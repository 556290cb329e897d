"""Accounts, API tokens and the audit log: the use cases behind login, `anjian user …` and `anjian token`."""

from __future__ import annotations

import datetime as dt
import logging
import re
import secrets
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from api.errors import ApiError, Conflict, NotFound, Unauthorized
from api.models import ApiToken, AuditEntry, Role, User
from api.security import MIN_PASSWORD_LEN, hash_password, new_api_token, token_digest, verify_password
from core.db import Database
from core.settings import Settings

log = logging.getLogger(__name__)
_NAME_RE = re.compile(r"^[\w.@-]{2,100}$")
DEMO_USERNAME = "demo"


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def audit(s: Session, action: str, *, user: str | None, target: str | None = None,
          detail: dict[str, Any] | None = None, ip: str | None = None) -> None:
    s.add(AuditEntry(action=action, username=user, target=(target or "")[:300] or None, detail=detail or {}, ip=ip))


def create_user(s: Session, username: str, password: str, role: str, agency_id: str | None = None) -> User:
    parsed = Role.parse(role)
    if parsed is None:
        raise ApiError(f"未知角色“{role}”；可选：{'、'.join(f'{r.value}（{r.zh}）' for r in Role)}", code="invalid_role")
    if not _NAME_RE.match(username):
        raise ApiError("用户名须为 2–100 个字母、数字或 . _ - @", code="invalid_username")
    if len(password) < MIN_PASSWORD_LEN:
        raise ApiError(f"密码至少 {MIN_PASSWORD_LEN} 个字符", code="weak_password")
    if parsed == Role.agency and not agency_id:
        raise ApiError("单位用户必须指定所属单位（--agency）", code="agency_required")
    if parsed == Role.agency and not _agency_known(s, agency_id or ""):
        raise ApiError(f"单位名录中没有编号为“{agency_id}”的单位（anjian agencies list 可查看编号）", code="unknown_agency")
    if s.scalar(select(User).where(User.username == username)) is not None:
        raise Conflict(f"用户“{username}”已存在")
    user = User(username=username, password_hash=hash_password(password), role=parsed.value,
                agency_id=agency_id if parsed == Role.agency else None, active=True)
    s.add(user)
    s.flush()
    audit(s, "user_add", user=None, target=username, detail={"role": parsed.value, "agency_id": user.agency_id})
    return user


def _agency_known(s: Session, agency_id: str) -> bool:
    try:
        from reports.agencies import agency_names
    except ImportError:
        return True  # no registry installed: the id is taken as the agency's name
    return agency_id.isdigit() and bool(agency_names(s, int(agency_id)))


def set_password(s: Session, username: str, password: str) -> None:
    user = s.scalar(select(User).where(User.username == username))
    if user is None:
        raise NotFound(f"找不到用户“{username}”")
    if len(password) < MIN_PASSWORD_LEN:
        raise ApiError(f"密码至少 {MIN_PASSWORD_LEN} 个字符", code="weak_password")
    user.password_hash = hash_password(password)
    audit(s, "user_passwd", user=None, target=username)


def list_users(s: Session) -> list[User]:
    return list(s.scalars(select(User).order_by(User.username)))


def authenticate(s: Session, username: str, password: str, ip: str | None = None) -> User:
    user = s.scalar(select(User).where(User.username == username))
    if user is None or not user.active or not verify_password(user.password_hash, password):
        audit(s, "login_failed", user=username[:100], ip=ip)
        raise Unauthorized("用户名或密码不正确")
    user.last_login_at = _now()
    audit(s, "login", user=user.username, ip=ip)
    return user


def create_token(s: Session, username: str, name: str = "script") -> str:
    """A new API token for the user; returns the token (shown once; only its hash is stored)."""
    user = s.scalar(select(User).where(User.username == username))
    if user is None:
        raise NotFound(f"找不到用户“{username}”")
    token = new_api_token()
    s.add(ApiToken(user_id=user.id, name=name[:100], token_hash=token_digest(token)))
    audit(s, "token_create", user=username, target=name)
    return token


def user_for_token(s: Session, token: str) -> User | None:
    row = s.scalar(select(ApiToken).where(ApiToken.token_hash == token_digest(token), ApiToken.revoked.is_(False)))
    if row is None:
        return None
    user = s.get(User, row.user_id)
    if user is None or not user.active:
        return None
    row.last_used_at = _now()
    return user


def recent_audit(s: Session, limit: int = 100) -> list[AuditEntry]:
    return list(s.scalars(select(AuditEntry).order_by(AuditEntry.id.desc()).limit(limit)))


def ensure_initial_accounts(db: Database, settings: Settings) -> str | None:
    """At first start: 'admin' from ANJIAN_ADMIN_PASSWORD; with ANJIAN_DEMO=1 a demo account.

    Returns a line to print (the demo account's credentials), or None. There is no default password.
    """
    message = None
    with db.session() as s:
        if settings.admin_password and s.scalar(select(func.count()).select_from(User)) == 0:
            create_user(s, "admin", settings.admin_password, Role.admin.value)
            log.info("created the admin account from ANJIAN_ADMIN_PASSWORD")
        if settings.demo:
            # a fresh random password at every start of the demo, printed: nothing to remember, nothing default
            password = secrets.token_urlsafe(9)
            if s.scalar(select(User).where(User.username == DEMO_USERNAME)) is None:
                create_user(s, DEMO_USERNAME, password, Role.analyst.value)
            else:
                set_password(s, DEMO_USERNAME, password)
            message = (
                "==================== 演示账号 / DEMO ACCOUNT ====================\n"
                f"  用户名 username: {DEMO_USERNAME}\n  密码 password:   {password}\n"
                "  仅供演示，请勿用于正式数据 (demo only)\n"
                "================================================================="
            )
    return message
