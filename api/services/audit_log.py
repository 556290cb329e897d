"""The 审计 page: the audit log filtered by user, action and date, a page at a time, each entry's object
said in words and names (a case by its number, an account by its name and unit) rather than codes and ids."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from api.errors import ApiError
from core.models import AuditEntry, Judgment, Role
from core.tables.suits import Suit

PER_PAGE = 100


@dataclass(frozen=True)
class AuditFilter:
    user: str = ""
    action: str = ""
    since: dt.date | None = None
    until: dt.date | None = None


def parse_day(text: str, label: str) -> dt.date | None:
    text = (text or "").strip()
    if not text:
        return None
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise ApiError(f"{label}应为日期，例如 2026-01-31", code="invalid_date") from None


def _query(f: AuditFilter) -> Any:
    q = select(AuditEntry)
    if f.user:
        q = q.where(AuditEntry.username == f.user)
    if f.action:
        q = q.where(AuditEntry.action == f.action)
    if f.since:
        q = q.where(AuditEntry.at >= dt.datetime.combine(f.since, dt.time.min, dt.UTC))
    if f.until:
        q = q.where(AuditEntry.at < dt.datetime.combine(f.until + dt.timedelta(days=1), dt.time.min, dt.UTC))
    return q


def audit_page(s: Session, f: AuditFilter, page_no: int = 1, per_page: int = PER_PAGE) -> dict[str, Any]:
    """One page of matching entries, newest first, with the total and the number of pages."""
    total = s.scalar(select(func.count()).select_from(_query(f).subquery())) or 0
    pages = max(1, -(-total // per_page))
    page_no = min(max(1, page_no), pages)
    rows = list(
        s.scalars(_query(f).order_by(AuditEntry.id.desc()).offset((page_no - 1) * per_page).limit(per_page))
    )
    return {"entries": describe(s, rows), "total": total, "page": page_no, "pages": pages}


def audit_users(s: Session) -> list[str]:
    """Everyone who appears in the log (the user filter's choices)."""
    return [u for u in s.scalars(select(AuditEntry.username).distinct().order_by(AuditEntry.username)) if u]


def _case_label(s: Session, jid: Any) -> tuple[str, str | None]:
    from api.services.cases import display_title

    j = s.get(Judgment, int(jid)) if str(jid).isdigit() else None
    if j is None:
        return "已删除的案件", None
    return f"案件 {j.case_no or display_title(j)}", f"/cases/{j.id}"


def _suit_label(s: Session, sid: Any) -> tuple[str, str | None]:
    suit = s.get(Suit, int(sid)) if str(sid).isdigit() else None
    if suit is None:
        return "已删除的应诉案件", None
    plaintiffs = "、".join((suit.plaintiffs or [])[:1])
    name = suit.case_no or (f"{plaintiffs}诉（{suit.court or ''}）" if plaintiffs else "未编号")
    return f"应诉案件 {name}", f"/suits/{suit.id}"


def _agency_name(s: Session, agency_id: Any) -> str:
    from registry.agencies import agency_names

    if agency_id is None or not str(agency_id).isdigit():
        return ""
    names = agency_names(s, int(agency_id))
    return names[0] if names else "已删除的单位"


def _export_words(target: str | None, d: dict[str, Any]) -> str:
    fmt = str(d.get("format") or "").upper()
    if target == "search":
        rows = d.get("rows")
        query = d.get("query") or "全部案件"
        return f"检索结果“{query}”（{fmt}{f'，{rows} 行' if rows is not None else ''}）"
    if target == "collection":
        return f"汇编《{d.get('title') or '典型案例汇编'}》（{fmt}，{len(d.get('ids') or [])} 件案件）"
    if target == "bulletin":
        return f"{d.get('period') or ''}通报（{fmt}）"
    return f"{target or ''}（{fmt}）".strip()


def _words(s: Session, e: AuditEntry) -> tuple[str, str | None, str]:
    """(object, link or None, detail) of one entry, in words."""
    from api.services.cases import FIELD_ZH, value_zh

    d = e.detail or {}
    target = e.target or ""
    if e.action == "correction":
        obj, href = _case_label(s, target)
        field = str(d.get("field") or "")
        verb = "确认" if d.get("value") == d.get("previous") else "改为"
        return obj, href, f"{FIELD_ZH.get(field, '标注')}{verb}：{value_zh(field, d.get('value'))}"
    if e.action == "not_similar":
        obj, href = _case_label(s, target.removeprefix("case:"))
        other, _ = _case_label(s, d.get("other_id"))
        return obj, href, f"与{other}不相似"
    if e.action.startswith("suit_"):
        obj, href = _suit_label(s, target)
        extra = d.get("file") or ""
        if d.get("judgment_id"):
            extra = (_case_label(s, d["judgment_id"])[0] + " " + str(extra)).strip()
        return obj, href, str(extra)
    if e.action == "upload":
        files = list(d.get("files") or [])
        shown = "、".join(files[:3]) + ("等" if len(files) > 3 else "")
        return f"一批 {len(files)} 个文件", "/upload", shown
    if e.action == "export":
        return _export_words(target, d), None, ""
    if e.action == "user_add":
        role = Role.parse(str(d.get("role") or ""))
        unit = _agency_name(s, d.get("agency_id"))
        return f"账号 {target}", None, "，".join(x for x in ((role.zh if role else ""), unit) if x)
    if e.action in ("user_passwd", "user_enable", "user_disable", "reminder_settings"):
        return f"账号 {target}", None, ""
    if e.action == "reminder_sent":
        ok = "已送达" if d.get("ok") else f"未送达：{d.get('error') or ''}"
        return f"账号 {target}", None, f"{d.get('subject') or ''}（{ok}）"
    if e.action == "token_create":
        return f"API 令牌“{target}”", None, ""
    if e.action in ("login", "login_failed"):
        return "—", None, ""
    return target or "—", None, ""


def describe(s: Session, entries: list[AuditEntry]) -> list[dict[str, Any]]:
    from api.services.accounts import AUDIT_ACTIONS_ZH

    out = []
    for e in entries:
        obj, href, detail = _words(s, e)
        out.append(
            {
                "at": e.at,
                "username": e.username or "系统（命令行或首次启动）",
                "action_zh": AUDIT_ACTIONS_ZH.get(e.action, e.action),
                "object": obj,
                "href": href,
                "detail": detail,
                "ip": e.ip or "",
            }
        )
    return out
