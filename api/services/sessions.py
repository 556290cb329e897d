"""Server-side sessions and login throttling.

The signed cookie holds only a random session id; the ``web_sessions`` row says whether it is still
valid. Logout revokes that row, a password change and disabling the account revoke all of the user's
rows, so a cookie copied before is refused after. Failed logins (audited as ``login_failed``) are
counted per account and per address over a window: after ``MAX_FAILURES`` the next attempt is refused
with 429 until the window has passed, whether or not the password is right.
"""

from __future__ import annotations

import datetime as dt
import secrets
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from api.errors import ApiError
from core.models import AuditEntry, User, WebSession

SESSION_HOURS = 12
MAX_FAILURES = 10
WINDOW_MINUTES = 15


class TooManyAttempts(ApiError):
    status, code = 429, "too_many_attempts"


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def _aware(t: dt.datetime) -> dt.datetime:
    return t if t.tzinfo is not None else t.replace(tzinfo=dt.UTC)  # SQLite hands back naive UTC


def open_session(s: Session, user: User, ip: str | None = None) -> str:
    """A new session row, committed at once in its own transaction: the browser follows the login's
    redirect before the request's own transaction may have been committed."""
    sid = secrets.token_urlsafe(32)
    with Session(s.get_bind()) as own, own.begin():
        own.add(
            WebSession(id=sid, user_id=user.id, expires_at=_now() + dt.timedelta(hours=SESSION_HOURS), ip=ip)
        )
    return sid


def session_valid(s: Session, sid: Any, user_id: int) -> bool:
    if not isinstance(sid, str):
        return False
    row = s.get(WebSession, sid)
    return (
        row is not None
        and row.user_id == user_id
        and row.revoked_at is None
        and _aware(row.expires_at) > _now()
    )


def revoke_session(s: Session, sid: Any) -> None:
    """Logout: revoked at once (own transaction), before the response reaches the browser."""
    if isinstance(sid, str):
        with Session(s.get_bind()) as own, own.begin():
            own.execute(update(WebSession).where(WebSession.id == sid).values(revoked_at=_now()))


def revoke_user_sessions(s: Session, user_id: int) -> int:
    res = s.execute(
        update(WebSession)
        .where(WebSession.user_id == user_id, WebSession.revoked_at.is_(None))
        .values(revoked_at=_now())
        .execution_options(synchronize_session=False)
    )
    return int(getattr(res, "rowcount", 0) or 0)


def check_throttle(s: Session, username: str, ip: str | None) -> None:
    """Raise TooManyAttempts when the account or the address failed MAX_FAILURES times in the window
    (failures before the account's last successful login do not count for the account)."""
    since = _now() - dt.timedelta(minutes=WINDOW_MINUTES)
    last_ok = s.scalar(
        select(func.max(AuditEntry.at)).where(AuditEntry.action == "login", AuditEntry.username == username)
    )
    account_since = max(since, _aware(last_ok)) if last_ok is not None else since
    by_account = s.scalar(
        select(func.count())
        .select_from(AuditEntry)
        .where(
            AuditEntry.action == "login_failed",
            AuditEntry.username == username,
            AuditEntry.at > account_since,
        )
    )
    by_ip = (
        s.scalar(
            select(func.count())
            .select_from(AuditEntry)
            .where(AuditEntry.action == "login_failed", AuditEntry.ip == ip, AuditEntry.at > since)
        )
        if ip
        else 0
    )
    if (by_account or 0) >= MAX_FAILURES or (by_ip or 0) >= MAX_FAILURES:
        raise TooManyAttempts(
            f"登录失败次数过多，已暂停登录，请 {WINDOW_MINUTES} 分钟后再试；如忘记密码请联系管理员。"
        )
