"""Tables of the register of suits (issue 15): one row per suit through first instance, appeal and retrial,
its defendant agencies with their reporting obligations, linked judgments, the loss report's measures and
attachments, the case discussions of pending suits, and the reminder settings and log of each user."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import Boolean, Date, DateTime, ForeignKey, Integer, String, Text, UniqueConstraint, func
from sqlalchemy.orm import Mapped, mapped_column

from core.tables.judgments import Base, JsonType


class Suit(Base):
    """One suit. ``key`` is court + canonical case number of the first instance (None while unknown)."""

    __tablename__ = "suits"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    key: Mapped[str | None] = mapped_column(String(340), unique=True)
    court: Mapped[str | None] = mapped_column(String(200), index=True)
    case_no: Mapped[str | None] = mapped_column(String(120))  # the first instance's, as written
    case_no_norm: Mapped[str | None] = mapped_column(String(120), index=True)
    plaintiffs: Mapped[list[Any]] = mapped_column(JsonType, default=list)
    sued_action: Mapped[str | None] = mapped_column(Text)
    action_type: Mapped[str | None] = mapped_column(String(40))
    field: Mapped[str | None] = mapped_column(String(40))
    status: Mapped[str] = mapped_column(String(20), default="pending", index=True)  # SuitStatus code
    outcome: Mapped[str | None] = mapped_column(String(30))  # of the latest decision (Outcome code)
    decided_on: Mapped[dt.date | None] = mapped_column(Date)  # date of the latest decision
    judgment_received: Mapped[dt.date | None] = mapped_column(Date)  # starts the 5-day clock
    judgment_received_estimated: Mapped[bool] = mapped_column(Boolean, default=False)  # upload date
    withdrawn_after_correction: Mapped[bool] = mapped_column(Boolean, default=False)
    history: Mapped[list[Any]] = mapped_column(JsonType, default=list)  # [{on, what, by}]
    created_by: Mapped[str | None] = mapped_column(String(100))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    updated_at: Mapped[dt.datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now(), onupdate=func.now()
    )


class SuitAgency(Base):
    """A defendant agency of a suit with its own obligations: the 3-day report of the suit and, after a
    loss, the 5-day loss report (analysis + rectification)."""

    __tablename__ = "suit_agencies"
    __table_args__ = (UniqueConstraint("suit_id", "agency_id", name="uq_suit_agencies_suit_agency"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    suit_id: Mapped[int] = mapped_column(ForeignKey("suits.id", ondelete="CASCADE"), index=True)
    agency_id: Mapped[int | None] = mapped_column(ForeignKey("agencies.id", ondelete="SET NULL"), index=True)
    papers_received: Mapped[dt.date | None] = mapped_column(Date)
    reported_on: Mapped[dt.date | None] = mapped_column(Date)
    loss_reported_on: Mapped[dt.date | None] = mapped_column(Date)
    causes: Mapped[list[Any]] = mapped_column(JsonType, default=list)  # LossCause codes
    analysis: Mapped[str | None] = mapped_column(Text)  # 败诉原因分析
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())


class SuitJudgment(Base):
    """A stored judgment that belongs to a suit (first instance, appeal, retrial)."""

    __tablename__ = "suit_judgments"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    suit_id: Mapped[int] = mapped_column(ForeignKey("suits.id", ondelete="CASCADE"), index=True)
    judgment_id: Mapped[int] = mapped_column(ForeignKey("judgments.id", ondelete="CASCADE"), unique=True)
    linked_by: Mapped[str | None] = mapped_column(String(100))
    linked_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())


class SuitMeasure(Base):
    """One rectification measure (整改措施) of a loss report: owner, due date, status."""

    __tablename__ = "suit_measures"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    suit_agency_id: Mapped[int] = mapped_column(
        ForeignKey("suit_agencies.id", ondelete="CASCADE"), index=True
    )
    text: Mapped[str] = mapped_column(Text)
    owner: Mapped[str | None] = mapped_column(String(100))
    due: Mapped[dt.date | None] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(20), default="planned")  # planned / doing / done
    # 回头看 (issue 17): when the rectification is checked again, and what the check found
    recheck_on: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
    recheck_result: Mapped[str | None] = mapped_column(Text, nullable=True)
    rechecked_by: Mapped[str | None] = mapped_column(String(100), nullable=True)


class SuitAttachment(Base):
    """A DOCX/PDF attached to a suit's report, kept like an original (content-addressed file)."""

    __tablename__ = "suit_attachments"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    suit_id: Mapped[int] = mapped_column(ForeignKey("suits.id", ondelete="CASCADE"), index=True)
    agency_id: Mapped[int | None] = mapped_column(Integer)
    filename: Mapped[str] = mapped_column(String(500))
    stored_path: Mapped[str] = mapped_column(String(500))
    sha256: Mapped[str] = mapped_column(String(64))
    size: Mapped[int] = mapped_column(Integer)
    uploaded_by: Mapped[str | None] = mapped_column(String(100))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())


class SuitDiscussion(Base):
    """A case discussion of a pending suit (诉中化解): date, participants, decision."""

    __tablename__ = "suit_discussions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    suit_id: Mapped[int] = mapped_column(ForeignKey("suits.id", ondelete="CASCADE"), index=True)
    agency_id: Mapped[int | None] = mapped_column(Integer)
    held_on: Mapped[dt.date] = mapped_column(Date)
    participants: Mapped[str | None] = mapped_column(Text)
    decision: Mapped[str] = mapped_column(String(20))  # correct / maintain / mediate
    note: Mapped[str | None] = mapped_column(Text)


class ReminderPrefs(Base):
    """Where a user's reminders go besides the in-app list (each channel switched on by the user)."""

    __tablename__ = "reminder_prefs"

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    email: Mapped[str | None] = mapped_column(String(300))
    email_on: Mapped[bool] = mapped_column(Boolean, default=False)
    webhook_url: Mapped[str | None] = mapped_column(String(1000))
    webhook_on: Mapped[bool] = mapped_column(Boolean, default=False)


class ReminderSent(Base):
    """One delivered (or failed) reminder; ``key`` makes a second run on the same day send nothing twice."""

    __tablename__ = "reminders_sent"
    __table_args__ = (UniqueConstraint("key", "channel", name="uq_reminders_sent_key_channel"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    key: Mapped[str] = mapped_column(String(300))
    channel: Mapped[str] = mapped_column(String(20))  # email / webhook
    username: Mapped[str] = mapped_column(String(100), index=True)
    ok: Mapped[bool] = mapped_column(Boolean)
    error: Mapped[str | None] = mapped_column(Text)
    sent_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
