"""Reminders: the in-app list per user (scoped), and delivery to a real local SMTP server (aiosmtpd) and a
real local HTTP receiver — one working day before the due date and on the day it is missed, once each."""

from __future__ import annotations

import datetime as dt
import json
import socket
import threading
from collections.abc import Iterator
from email import message_from_bytes
from email.header import decode_header, make_header
from http.server import BaseHTTPRequestHandler, HTTPServer
from typing import Any

import pytest
from sqlalchemy import select

from api.services.accounts import create_user
from core.models import AuditEntry, User
from registry.agencies import add_agency
from supervision.reminders import Delivery, SmtpConfig, in_app, send_reminders, set_prefs
from supervision.suits import GoLive, SuitError, register_suit
from supervision.workdays import WorkCalendar

D = dt.date


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def smtp_server() -> Iterator[tuple[int, list[Any]]]:
    from aiosmtpd.controller import Controller

    received: list[Any] = []

    class Handler:
        async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802
            received.append(envelope)
            return "250 OK"

    port = _free_port()
    controller = Controller(Handler(), hostname="127.0.0.1", port=port)
    controller.start()
    yield port, received
    controller.stop()


@pytest.fixture
def receiver() -> Iterator[tuple[str, list[dict[str, Any]]]]:
    got: list[dict[str, Any]] = []

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:  # noqa: N802
            n = int(self.headers.get("Content-Length", "0"))
            got.append(json.loads(self.rfile.read(n).decode("utf-8")))
            self.send_response(204)
            self.end_headers()

        def log_message(self, *args: Any) -> None:
            pass

    server = HTTPServer(("127.0.0.1", 0), Handler)
    t = threading.Thread(target=server.serve_forever, daemon=True)
    t.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/hook", got
    server.shutdown()
    server.server_close()


def _subject(envelope: Any) -> str:
    return str(make_header(decode_header(message_from_bytes(envelope.content)["Subject"])))


def _setup(s: Any) -> tuple[User, User, User]:
    town = add_agency(s, "甲县城关镇人民政府").id
    other = add_agency(s, "甲县自然资源局").id
    # papers received Wed 2024-10-09 → due Sat 2024-10-12 (an adjusted working day); not reported yet
    r = register_suit(
        s,
        papers_received="2024-10-09",
        plaintiffs=["王某"],
        court="甲县人民法院",
        sued_action="限期拆除",
        agency_id=town,
        case_no="（2024）甲0101行初5号",
        today=D(2024, 10, 9),
    )
    r.defendant.reported_on = None
    mine = create_user(s, "town", "town-password-1", "agency", str(town))
    stranger = create_user(s, "res", "res-password-1", "agency", str(other))
    bureau = create_user(s, "staff", "staff-password-1", "analyst")
    return mine, stranger, bureau


def test_in_app_list_is_scoped_and_counts_working_days(db) -> None:
    cal = WorkCalendar.load()
    with db.session() as s:
        mine, stranger, bureau = _setup(s)
        items = in_app(s, mine, cal, D(2024, 10, 10), GoLive())
        assert [(i["due"], i["days_left"], i["state"]) for i in items] == [("2024-10-12", 2, "open")]
        assert "还剩 2 个工作日" in items[0]["text"]
        assert in_app(s, stranger, cal, D(2024, 10, 10), GoLive()) == []
        assert len(in_app(s, bureau, cal, D(2024, 10, 10), GoLive())) == 1
        late = in_app(s, mine, cal, D(2024, 10, 14), GoLive())
        assert late[0]["state"] == "late" and late[0]["reminder"] == "今日逾期"
        assert "已逾期 1 个工作日" in late[0]["text"]


def test_mail_and_webhook_one_working_day_before_and_on_the_missed_day(
    db, smtp_server: tuple[int, list[Any]], receiver: tuple[str, list[dict[str, Any]]]
) -> None:
    port, mails = smtp_server
    url, posts = receiver
    cal = WorkCalendar.load()
    delivery = Delivery(SmtpConfig("127.0.0.1", port, sender="anjian@county.example"), webhook_timeout_s=5)
    with db.session() as s:
        mine, stranger, _ = _setup(s)
        set_prefs(s, mine, email="town@county.example", email_on=True, webhook_url=url, webhook_on=True)
        set_prefs(s, stranger, email="res@county.example", email_on=True, webhook_url=None, webhook_on=False)
        with pytest.raises(SuitError, match="邮箱"):
            set_prefs(s, stranger, email="nope", email_on=True, webhook_url=None, webhook_on=False)
        # Friday 10-11: due on the adjusted Saturday 10-12, one working day left → reminder + digest
        first = send_reminders(s, cal, D(2024, 10, 11), GoLive(), delivery)
        again = send_reminders(s, cal, D(2024, 10, 11), GoLive(), delivery)
        subjects = sorted(_subject(m) for m in mails)
        assert [m.rcpt_tos for m in mails] == [["town@county.example"]] * 2  # the stranger has nothing due
        assert subjects == sorted(["【案鉴提醒】明日到期：应诉报备", "【案鉴】2024-10-11 待报送事项 1 项"])
        assert sorted(p["type"] for p in posts) == ["digest", "reminder"]
        reminder = next(p for p in posts if p["type"] == "reminder")
        assert reminder["due"] == "2024-10-12" and reminder["days_left"] == 1
        assert first == {"sent": 4, "failed": 0, "skipped": 0} and again["sent"] == 0
        # Monday 10-14: missed on Saturday → 今日逾期
        send_reminders(s, cal, D(2024, 10, 14), GoLive(), delivery)
        assert "【案鉴提醒】今日逾期：应诉报备" in {_subject(m) for m in mails}
        audited = s.scalars(select(AuditEntry).where(AuditEntry.action == "reminder_sent")).all()
    assert len(audited) == 8 and all(a.detail["ok"] for a in audited)


def test_nothing_is_sent_without_smtp_settings_and_a_dead_webhook_is_recorded_as_failed(db) -> None:
    cal = WorkCalendar.load()
    with db.session() as s:
        mine, _, _ = _setup(s)
        dead = f"http://127.0.0.1:{_free_port()}/hook"
        set_prefs(s, mine, email="town@county.example", email_on=True, webhook_url=dead, webhook_on=True)
        counts = send_reminders(s, cal, D(2024, 10, 11), GoLive(), Delivery(None, webhook_timeout_s=2))
        audited = s.scalars(select(AuditEntry).where(AuditEntry.action == "reminder_sent")).all()
    assert counts == {"sent": 0, "failed": 2, "skipped": 0}  # two webhook messages, no e-mail at all
    assert {a.detail["channel"] for a in audited} == {"webhook"}
