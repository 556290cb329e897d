"""Tables of issue 17: the collection drafts an editor works on before export (cases chosen and ordered,
each case's edited text and the reviewer's answers to the last de-identification pass), and the 以案促改
loop — meetings held per department and year, and the fault-accountability register (执法过错责任追究)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import Date, DateTime, ForeignKey, Integer, String, Text, func
from sqlalchemy.orm import Mapped, mapped_column

from core.tables.judgments import Base, JsonType


class CollectionDraft(Base):
    """A typical-case collection being edited; kept until deleted (not in the login session)."""

    __tablename__ = "collection_drafts"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    title: Mapped[str] = mapped_column(String(200))
    subtitle: Mapped[str | None] = mapped_column(String(200))
    created_by: Mapped[str | None] = mapped_column(String(100))
    exported_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    updated_at: Mapped[dt.datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now(), onupdate=func.now()
    )


class DraftCase(Base):
    """One case of a draft: ``built`` is the entry as generated from the judgments, ``edits`` the fields an
    editor rewrote (title, summary, result, lesson, significance), ``resolved`` the reviewer's answer per
    name the last pass found ({name: "mask" | "keep"})."""

    __tablename__ = "collection_draft_cases"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    draft_id: Mapped[int] = mapped_column(ForeignKey("collection_drafts.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer, default=0)
    judgment_ids: Mapped[list[Any]] = mapped_column(JsonType, default=list)
    built: Mapped[dict[str, Any]] = mapped_column(JsonType, default=dict)
    edits: Mapped[dict[str, Any]] = mapped_column(JsonType, default=dict)
    resolved: Mapped[dict[str, Any]] = mapped_column(JsonType, default=dict)


class LessonMeeting(Base):
    """A 以案促改 meeting of one department: date, participants, the judge invited, the cases or collection
    used, the measures decided."""

    __tablename__ = "lesson_meetings"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    agency_id: Mapped[int] = mapped_column(ForeignKey("agencies.id", ondelete="CASCADE"), index=True)
    year: Mapped[int] = mapped_column(Integer, index=True)
    held_on: Mapped[dt.date] = mapped_column(Date)
    participants: Mapped[str | None] = mapped_column(Text)
    judge_invited: Mapped[str | None] = mapped_column(String(200))
    cases_used: Mapped[list[Any]] = mapped_column(JsonType, default=list)  # case numbers / judgment ids
    draft_id: Mapped[int | None] = mapped_column(
        ForeignKey("collection_drafts.id", ondelete="SET NULL"), nullable=True
    )
    measures: Mapped[str | None] = mapped_column(Text)
    minutes: Mapped[str | None] = mapped_column(Text)
    created_by: Mapped[str | None] = mapped_column(String(100))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())


class AccountabilityCase(Base):
    """执法过错责任追究: the case, the fault found, the unit, the measure taken, the date (quarterly reports)."""

    __tablename__ = "accountability_cases"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    agency_id: Mapped[int] = mapped_column(ForeignKey("agencies.id", ondelete="CASCADE"), index=True)
    suit_id: Mapped[int | None] = mapped_column(ForeignKey("suits.id", ondelete="SET NULL"), nullable=True)
    case_ref: Mapped[str] = mapped_column(String(300))
    fault: Mapped[str] = mapped_column(Text)
    measure: Mapped[str] = mapped_column(Text)
    decided_on: Mapped[dt.date] = mapped_column(Date, index=True)
    created_by: Mapped[str | None] = mapped_column(String(100))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
