"""Feedback on 类案: a user marked a suggested case "not similar" (migration 0010_feedback)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import DateTime, ForeignKey, Integer, String, UniqueConstraint, func
from sqlalchemy.orm import Mapped, mapped_column

from core.tables.judgments import Base


class SimilarFeedback(Base):
    """One "not similar" mark: ``other_id`` was offered as a 类案 of ``judgment_id`` and is not one. The pair
    is never offered again (either way round); see pipeline.feedback."""

    __tablename__ = "similar_feedback"
    __table_args__ = (UniqueConstraint("judgment_id", "other_id", "username", name="uq_similar_feedback"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    judgment_id: Mapped[int] = mapped_column(
        Integer, ForeignKey("judgments.id", ondelete="CASCADE"), index=True
    )
    other_id: Mapped[int] = mapped_column(Integer, ForeignKey("judgments.id", ondelete="CASCADE"), index=True)
    verdict: Mapped[str] = mapped_column(String(20), default="not_similar")
    username: Mapped[str] = mapped_column(String(100), default="")
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
