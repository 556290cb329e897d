"""Accounts, API tokens and the audit log: the use cases behind login, `anjian user …` and `anjian token`."""

from __future__ import annotations

import datetime as dt
import logging
import re
import secrets
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from api.errors import ApiError, Conflict, NotFound, Unauthorized
from api.security import MIN_PASSWORD_LEN, hash_password, new_api_token, token_digest, verify_password
from api.services import sessions
from core.db import Database
from core.models import ApiToken, AuditEntry, Role, User
from core.settings import Settings

log = logging.getLogger(__name__)
_NAME_RE = re.compile(r"^[\w.@-]{2,100}$")
DEMO_USERNAME = "demo"


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def audit(
    s: Session,
    action: str,
    *,
    user: str | None,
    target: str | None = None,
    detail: dict[str, Any] | None = None,
    ip: str | None = None,
) -> None:
    s.add(
        AuditEntry(
            action=action, username=user, target=(target or "")[:300] or None, detail=detail or {}, ip=ip
        )
    )


def create_user(
    s: Session,
    username: str,
    password: str,
    role: str,
    agency_id: str | None = None,
    *,
    by: str | None = None,
    ip: str | None = None,
) -> User:
    """A new account; ``by`` is the administrator who created it (None: the command line or first start)."""
    parsed = Role.parse(role)
    if parsed is None:
        raise ApiError(
            f"未知角色“{role}”；可选：{'、'.join(f'{r.value}（{r.zh}）' for r in Role)}", code="invalid_role"
        )
    if not _NAME_RE.match(username):
        raise ApiError("用户名须为 2–100 个字母、数字或 . _ - @", code="invalid_username")
    if len(password) < MIN_PASSWORD_LEN:
        raise ApiError(f"密码至少 {MIN_PASSWORD_LEN} 个字符", code="weak_password")
    if parsed == Role.agency and not agency_id:
        raise ApiError("单位用户必须指定所属单位：请选择所属单位", code="agency_required")
    if parsed == Role.agency and not _agency_known(s, agency_id or ""):
        raise ApiError(
            f"单位名录中没有编号为“{agency_id}”的单位，请先在“单位”页新增该单位", code="unknown_agency"
        )
    if s.scalar(select(User).where(User.username == username)) is not None:
        raise Conflict(f"用户“{username}”已存在")
    user = User(
        username=username,
        password_hash=hash_password(password),
        role=parsed.value,
        agency_id=agency_id if parsed == Role.agency else None,
        active=True,
    )
    s.add(user)
    s.flush()
    audit(
        s,
        "user_add",
        user=by,
        target=username,
        detail={"role": parsed.value, "agency_id": user.agency_id},
        ip=ip,
    )
    return user


def _agency_known(s: Session, agency_id: str) -> bool:
    from registry.agencies import agency_names

    return agency_id.isdigit() and bool(agency_names(s, int(agency_id)))


def set_password(
    s: Session, username: str, password: str, *, by: str | None = None, ip: str | None = None
) -> None:
    user = s.scalar(select(User).where(User.username == username))
    if user is None:
        raise NotFound(f"找不到用户“{username}”")
    if len(password) < MIN_PASSWORD_LEN:
        raise ApiError(f"密码至少 {MIN_PASSWORD_LEN} 个字符", code="weak_password")
    user.password_hash = hash_password(password)
    sessions.revoke_user_sessions(s, user.id)  # a copied cookie or a leaked token ends with the old password
    revoked = revoke_user_tokens(s, user.id)
    audit(s, "user_passwd", user=by, target=username, ip=ip, detail={"tokens_revoked": revoked})


def set_active(s: Session, username: str, active: bool, *, by: str | None, ip: str | None = None) -> User:
    """Disable (or re-enable) an account: a disabled user cannot sign in, their open sessions and API tokens
    stop working at the next request. An administrator cannot disable themselves or the last active administrator."""
    user = s.scalar(select(User).where(User.username == username))
    if user is None:
        raise NotFound(f"找不到用户“{username}”")
    if not active and by is not None and username == by:
        raise ApiError("不能停用自己正在使用的账号", code="self_disable")
    if not active and user.role == Role.admin.value and user.active:
        admins = s.scalar(
            select(func.count()).select_from(User).where(User.role == Role.admin.value, User.active.is_(True))
        )
        if (admins or 0) <= 1:
            raise ApiError("这是唯一启用的管理员账号，不能停用", code="last_admin")
    if user.active != active:
        user.active = active
        if not active:
            sessions.revoke_user_sessions(s, user.id)
        audit(s, "user_enable" if active else "user_disable", user=by, target=username, ip=ip)
    return user


def users_overview(s: Session) -> list[dict[str, Any]]:
    """Accounts for the 用户 page: role and agency in Chinese, state, last login."""
    from registry.agencies import list_agencies

    names = {str(a["id"]): a["name"] for a in list_agencies(s)}
    out = []
    for u in list_users(s):
        role = Role.parse(u.role)
        out.append(
            {
                "username": u.username,
                "role": u.role,
                "role_zh": role.zh if role else u.role,
                "agency_id": u.agency_id,
                "agency_name": names.get(u.agency_id, "（名录中已无此单位）") if u.agency_id else "",
                "active": u.active,
                "last_login_at": u.last_login_at,
                "created_at": u.created_at,
            }
        )
    return out


def list_users(s: Session) -> list[User]:
    return list(s.scalars(select(User).order_by(User.username)))


def password_stamp(user: User) -> str:
    """A short fingerprint of the stored hash, kept in the session: resetting a password ends older sessions."""
    import hashlib

    return hashlib.sha256(user.password_hash.encode()).hexdigest()[:16]


def start_session(s: Session, session: dict[str, Any], user: User, ip: str | None = None) -> None:
    session.clear()
    session["uid"] = user.id
    session["pw"] = password_stamp(user)
    session["sid"] = sessions.open_session(s, user, ip)


def end_session(s: Session, session: dict[str, Any]) -> None:
    """Logout: the server-side session is revoked (a copy of the cookie no longer works), then cleared."""
    sessions.revoke_session(s, session.get("sid"))
    session.clear()


def session_user(s: Session, session: dict[str, Any]) -> User | None:
    """The signed-in user of a session: a live server-side session, active, with the password they signed in with."""
    uid = session.get("uid")
    user = s.get(User, uid) if isinstance(uid, int) else None
    if user is None or not user.active or session.get("pw") != password_stamp(user):
        return None
    if not sessions.session_valid(s, session.get("sid"), user.id):
        return None
    return user


_DUMMY_HASH: list[str] = []


def _dummy_hash() -> str:
    """A hash to verify against for unknown users, so that they cost the same time as known ones."""
    if not _DUMMY_HASH:
        _DUMMY_HASH.append(hash_password(secrets.token_urlsafe(16)))
    return _DUMMY_HASH[0]


def _audit_now(s: Session, action: str, username: str, ip: str | None) -> None:
    """An audit row committed at once in its own transaction (the request's may be rolled back)."""
    with Session(s.get_bind()) as other, other.begin():
        audit(other, action, user=username[:100], ip=ip)


def authenticate(s: Session, username: str, password: str, ip: str | None = None) -> User:
    """The user, or Unauthorized (same answer and about the same time for unknown users and wrong
    passwords); TooManyAttempts (429) after too many failures for the account or the address."""
    try:
        sessions.check_throttle(s, username[:100], ip)
    except sessions.TooManyAttempts:
        _audit_now(s, "login_throttled", username, ip)
        raise
    user = s.scalar(select(User).where(User.username == username))
    ok = verify_password(user.password_hash if user is not None else _dummy_hash(), password)
    if user is None or not user.active or not ok:
        _audit_now(s, "login_failed", username, ip)
        raise Unauthorized("用户名或密码不正确")
    user.last_login_at = _now()
    audit(s, "login", user=user.username, ip=ip)
    return user


def create_token(s: Session, username: str, name: str = "script", expires_days: int | None = None) -> str:
    """A new API token for the user; returns the token (shown once; only its hash is stored).
    ``expires_days``: the token stops working after so many days (None: until revoked)."""
    user = s.scalar(select(User).where(User.username == username))
    if user is None:
        raise NotFound(f"找不到用户“{username}”")
    if expires_days is not None and expires_days < 1:
        raise ApiError("有效期至少 1 天", code="invalid_expiry")
    token = new_api_token()
    expires = _now() + dt.timedelta(days=expires_days) if expires_days else None
    s.add(ApiToken(user_id=user.id, name=name[:100], token_hash=token_digest(token), expires_at=expires))
    audit(s, "token_create", user=username, target=name, detail={"expires_days": expires_days})
    return token


def list_tokens(s: Session, username: str | None = None) -> list[dict[str, Any]]:
    """Tokens (never the token itself): id, owner, name, created, last used, expiry, state."""
    q = select(ApiToken, User.username).join(User, User.id == ApiToken.user_id).order_by(ApiToken.id)
    if username is not None:
        q = q.where(User.username == username)
    out = []
    for t, owner in s.execute(q).all():
        expired = t.expires_at is not None and sessions._aware(t.expires_at) <= _now()
        out.append(
            {
                "id": t.id,
                "username": owner,
                "name": t.name,
                "created_at": t.created_at,
                "last_used_at": t.last_used_at,
                "expires_at": t.expires_at,
                "state": "revoked" if t.revoked else "expired" if expired else "active",
            }
        )
    return out


def revoke_token(s: Session, token_id: int, *, by: str | None, owner: str | None = None) -> None:
    """Revoke one token; ``owner``: only if it belongs to this user (a user revoking their own)."""
    row = s.get(ApiToken, token_id)
    user = s.get(User, row.user_id) if row is not None else None
    if row is None or user is None or (owner is not None and user.username != owner):
        raise NotFound(f"找不到编号为 {token_id} 的 API 令牌")
    row.revoked = True
    audit(s, "token_revoke", user=by, target=f"{user.username}:{row.name}", detail={"token_id": token_id})


def revoke_user_tokens(s: Session, user_id: int) -> int:
    res = s.execute(
        update(ApiToken)
        .where(ApiToken.user_id == user_id, ApiToken.revoked.is_(False))
        .values(revoked=True)
        .execution_options(synchronize_session=False)
    )
    return int(getattr(res, "rowcount", 0) or 0)


def user_for_token(s: Session, token: str) -> User | None:
    row = s.scalar(
        select(ApiToken).where(ApiToken.token_hash == token_digest(token), ApiToken.revoked.is_(False))
    )
    if row is None or (row.expires_at is not None and sessions._aware(row.expires_at) <= _now()):
        return None
    user = s.get(User, row.user_id)
    if user is None or not user.active:
        return None
    row.last_used_at = _now()
    return user


# The audit log's actions in Chinese (the 审计 page).
AUDIT_ACTIONS_ZH = {
    "login": "登录",
    "login_failed": "登录失败",
    "upload": "上传",
    "correction": "更正标注",
    "export": "导出",
    "token_create": "创建 API 令牌",
    "token_revoke": "撤销 API 令牌",
    "login_throttled": "登录被暂停（失败过多）",
    "user_add": "新增账号",
    "user_passwd": "重置密码",
    "user_disable": "停用账号",
    "user_enable": "启用账号",
    "suit_register": "登记应诉案件",
    "suit_loss_report": "报送败诉分析和整改",
    "suit_discussion": "案件研判",
    "suit_withdrawn": "登记撤诉",
    "suit_attachment": "上传报备附件",
    "suit_judgment": "上传案件裁判文书",
    "suit_confirm": "确认文书关联",
    "reminder_settings": "修改提醒设置",
    "reminder_sent": "发送提醒",
    "not_similar": "标记不是类案",
    "key_target_confirm": "确认重点监督对象",
    "key_target_withdraw": "撤销重点监督对象的确认",
}


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
