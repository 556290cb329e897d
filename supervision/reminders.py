"""Reminders of the register's obligations: the in-app list of each user (what is due, what is late, working
days left), and delivery by e-mail (SMTP) and webhook (JSON POST), each switched on per user.

Who is reminded of what: an agency user of its own agency's obligations; bureau staff (admin, analyst) of
every obligation; viewers of none. Delivery (``send_reminders``, run daily by ``anjian reminders send`` or
the scheduler) sends, per user and day, one reminder for each obligation due the next working day
(明日到期) and for each obligation missed today (今日逾期), plus a daily digest of everything open. Each
message is sent once (``reminders_sent``) and audited. Without SMTP settings no e-mail is sent; the
in-app list needs nothing.
"""

from __future__ import annotations

import datetime as dt
import json
import smtplib
import urllib.error
import urllib.request
from dataclasses import dataclass
from email.message import EmailMessage
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from core.models import AuditEntry, ReminderPrefs, ReminderSent, User
from core.settings import Settings
from supervision.obligations import Obligation, obligations
from supervision.suits import GoLive, SuitError
from supervision.workdays import WorkCalendar


@dataclass(frozen=True)
class SmtpConfig:
    host: str
    port: int = 25
    user: str | None = None
    password: str | None = None
    sender: str = "anjian@localhost"
    starttls: bool = False


@dataclass(frozen=True)
class Delivery:
    smtp: SmtpConfig | None = None  # None: no e-mail is sent
    webhook_timeout_s: float = 10.0


def delivery_for(settings: Settings) -> Delivery:
    """The settings' delivery channels as a typed record (no SMTP host: no e-mail is sent)."""
    smtp = (
        SmtpConfig(
            settings.smtp_host,
            settings.smtp_port,
            settings.smtp_user,
            settings.smtp_password,
            settings.smtp_from,
            settings.smtp_starttls,
        )
        if settings.smtp_host
        else None
    )
    return Delivery(smtp, settings.webhook_timeout_s)


def user_agencies(user: User) -> list[int] | None:
    """None: every agency (bureau staff); a list: an agency user's own (empty: reminded of nothing)."""
    if user.role in ("admin", "analyst"):
        return None
    if user.role == "agency" and (user.agency_id or "").isdigit():
        return [int(user.agency_id or "")]
    return []


def kind_of(o: Obligation, cal: WorkCalendar, today: dt.date) -> str | None:
    """ "due_tomorrow" one working day before the due date, "missed" on the first working day after it."""
    if o.done_on is not None:
        return None
    if today < o.due and cal.workdays_between(today, o.due) == 1:
        return "due_tomorrow"
    if today > o.due and cal.workdays_between(o.due, today) == 1 and cal.is_workday(today):
        return "missed"
    return None


KIND_ZH = {"due_tomorrow": "明日到期", "missed": "今日逾期"}


def in_app(
    session: Session, user: User, cal: WorkCalendar, today: dt.date, go_live: GoLive
) -> list[dict[str, Any]]:
    """What the user has to see: open and late obligations, most urgent first."""
    scope = user_agencies(user)
    if scope is False:
        return []
    items = [
        o for o in obligations(session, cal, today, go_live, agency_ids=scope or None) if o.done_on is None
    ]
    items.sort(key=lambda o: (o.state != "late", o.due, o.suit_id))
    out = []
    for o in items:
        d = o.as_json()
        kind = kind_of(o, cal, today)
        d["reminder"] = KIND_ZH.get(kind or "", "")
        d["text"] = _line(o)
        out.append(d)
    return out


def _line(o: Obligation) -> str:
    what = f"{o.agency}：案件 {o.case_no or f'登记编号 {o.suit_id}'} 的{o.what_zh}"
    if o.state == "late":
        return f"{what}应于 {o.due} 前报送，已逾期 {o.late_by} 个工作日"
    return f"{what}应于 {o.due} 前报送，还剩 {o.days_left} 个工作日"


def digest_text(user: User, items: list[dict[str, Any]], today: dt.date) -> str:
    late = [i for i in items if i["state"] == "late"]
    lines = [
        f"{user.username}，您好：",
        f"截至 {today.isoformat()}，待报送事项 {len(items)} 项，其中已逾期 {len(late)} 项。",
        "",
        *[f"- {i['text']}" for i in items],
        "",
        "请登录案鉴系统「应诉登记」页面报送。本邮件由系统自动发送。",
    ]
    return "\n".join(lines)


def send_email(cfg: SmtpConfig, to: str, subject: str, body: str) -> None:
    msg = EmailMessage()
    msg["From"], msg["To"], msg["Subject"] = cfg.sender, to, subject
    msg.set_content(body)
    with smtplib.SMTP(cfg.host, cfg.port, timeout=30) as smtp:
        if cfg.starttls:
            smtp.starttls()
        if cfg.user:
            smtp.login(cfg.user, cfg.password or "")
        smtp.send_message(msg)


def post_webhook(url: str, payload: dict[str, Any], timeout_s: float) -> None:
    data = json.dumps(payload, ensure_ascii=False).encode("utf-8")
    req = urllib.request.Request(
        url, data=data, method="POST", headers={"Content-Type": "application/json; charset=utf-8"}
    )
    with urllib.request.urlopen(req, timeout=timeout_s) as resp:  # noqa: S310 - the user's own URL
        if resp.status >= 300:
            raise OSError(f"HTTP {resp.status}")


def _messages(user: User, items: list[dict[str, Any]], today: dt.date) -> list[tuple[str, str, str, dict]]:
    """(dedup key, subject, body, JSON payload) of today's messages for one user."""
    out = []
    for i in items:
        if i["reminder"]:
            key = f"{i['suit_id']}:{i['agency_id']}:{i['what']}:{i['reminder']}:{i['due']}"
            subject = f"【案鉴提醒】{i['reminder']}：{i['what_zh']}"
            out.append((key, subject, i["text"], {"type": "reminder", "kind": i["reminder"], **i}))
    if items:
        key = f"digest:{user.username}:{today.isoformat()}"
        subject = f"【案鉴】{today.isoformat()} 待报送事项 {len(items)} 项"
        out.append((key, subject, digest_text(user, items, today), {"type": "digest", "items": items}))
    return out


def send_reminders(
    session: Session, cal: WorkCalendar, today: dt.date, go_live: GoLive, delivery: Delivery
) -> dict[str, int]:
    """Deliver today's reminders to every user who switched a channel on; returns counts."""
    counts = {"sent": 0, "failed": 0, "skipped": 0}
    for user, prefs in session.execute(
        select(User, ReminderPrefs).join(ReminderPrefs, ReminderPrefs.user_id == User.id).where(User.active)
    ):
        items = in_app(session, user, cal, today, go_live)
        channels = []
        if prefs.email_on and prefs.email and delivery.smtp is not None:
            channels.append("email")
        if prefs.webhook_on and prefs.webhook_url:
            channels.append("webhook")
        for key, subject, body, payload in _messages(user, items, today):
            for channel in channels:
                if session.scalar(
                    select(ReminderSent.id).where(
                        ReminderSent.key == f"{user.username}:{key}", ReminderSent.channel == channel
                    )
                ):
                    counts["skipped"] += 1
                    continue
                error = None
                try:
                    if channel == "email":
                        assert delivery.smtp is not None and prefs.email
                        send_email(delivery.smtp, prefs.email, subject, body)
                    else:
                        post_webhook(
                            prefs.webhook_url or "",
                            {"subject": subject, "text": body, **payload},
                            delivery.webhook_timeout_s,
                        )
                except (OSError, smtplib.SMTPException, urllib.error.URLError) as exc:
                    error = f"{exc.__class__.__name__}: {exc}"[:1000]
                _record(session, user.username, f"{user.username}:{key}", channel, subject, error)
                counts["failed" if error else "sent"] += 1
    return counts


def _record(session: Session, username: str, key: str, channel: str, subject: str, error: str | None) -> None:
    try:
        with session.begin_nested():
            session.add(
                ReminderSent(key=key[:300], channel=channel, username=username, ok=error is None, error=error)
            )
    except IntegrityError:
        return
    session.add(
        AuditEntry(
            username="system",
            action="reminder_sent",
            target=username,
            detail={"channel": channel, "subject": subject, "ok": error is None, "error": error},
        )
    )


def set_prefs(
    session: Session,
    user: User,
    *,
    email: str | None,
    email_on: bool,
    webhook_url: str | None,
    webhook_on: bool,
) -> ReminderPrefs:
    email = (email or "").strip() or None
    webhook_url = (webhook_url or "").strip() or None
    if email_on and (not email or "@" not in email):
        raise SuitError("开启邮件提醒需要填写有效的邮箱地址")
    if webhook_on and (not webhook_url or not webhook_url.startswith(("http://", "https://"))):
        raise SuitError("开启 Webhook 提醒需要填写以 http:// 或 https:// 开头的地址")
    prefs = session.get(ReminderPrefs, user.id)
    if prefs is None:
        prefs = ReminderPrefs(user_id=user.id)
        session.add(prefs)
    prefs.email, prefs.email_on, prefs.webhook_url, prefs.webhook_on = (
        email,
        email_on,
        webhook_url,
        webhook_on,
    )
    session.add(
        AuditEntry(
            username=user.username,
            action="reminder_settings",
            target=user.username,
            detail={"email_on": email_on, "webhook_on": webhook_on},
        )
    )
    session.flush()
    return prefs


def prefs_of(session: Session, user: User) -> dict[str, Any]:
    p = session.get(ReminderPrefs, user.id)
    return {
        "email": p.email if p else None,
        "email_on": bool(p and p.email_on),
        "webhook_url": p.webhook_url if p else None,
        "webhook_on": bool(p and p.webhook_on),
    }
