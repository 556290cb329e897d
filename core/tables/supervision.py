"""Tables of the supervision workflow: the bureau's ledger rows (the register of suits is core.tables.suits)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import (
    Date,
    DateTime,
    ForeignKey,
    Integer,
    String,
    UniqueConstraint,
    func,
)
from sqlalchemy.orm import Mapped, mapped_column

from core.tables.judgments import Base, JsonType


class LedgerEntry(Base):
    """One row of a bureau's existing case ledger (台账), matched to a judgment by case number."""

    __tablename__ = "ledger_entries"
    __table_args__ = (UniqueConstraint("case_no_norm", "agency_name", name="uq_ledger_case_agency"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    case_no: Mapped[str] = mapped_column(String(120))
    case_no_norm: Mapped[str] = mapped_column(String(120), index=True)
    agency_name: Mapped[str | None] = mapped_column(String(200))
    agency_id: Mapped[int | None] = mapped_column(ForeignKey("agencies.id", ondelete="SET NULL"), index=True)
    received_date: Mapped[dt.date | None] = mapped_column(Date)
    concluded_date: Mapped[dt.date | None] = mapped_column(Date)
    outcome_text: Mapped[str | None] = mapped_column(String(100))
    outcome: Mapped[str | None] = mapped_column(String(30))
    judgment_id: Mapped[int | None] = mapped_column(
        ForeignKey("judgments.id", ondelete="SET NULL"), index=True
    )
    source: Mapped[str | None] = mapped_column(String(300))
    extra: Mapped[dict[str, Any]] = mapped_column(JsonType, default=dict)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())


class KeyTargetChoice(Base):
    """重点监督对象 confirmed by bureau staff for one period (``period``: a Period code, 2024 / 2024Q2 /
    2022..2024) and one kind (township / department); who confirmed it and when (migration 0013_key_targets).
    ``proposed`` is what the dashboard proposed at that moment (names), so a changed choice can be read."""

    __tablename__ = "key_targets"
    __table_args__ = (UniqueConstraint("period", "kind", name="uq_key_targets_period_kind"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    period: Mapped[str] = mapped_column(String(40))
    kind: Mapped[str] = mapped_column(String(20))
    agency_id: Mapped[int | None] = mapped_column(
        Integer, ForeignKey("agencies.id", ondelete="SET NULL"), nullable=True
    )
    agency_name: Mapped[str] = mapped_column(String(200))
    proposed: Mapped[Any] = mapped_column(JsonType, default=list)
    note: Mapped[str] = mapped_column(String(500), default="")
    confirmed_by: Mapped[str] = mapped_column(String(100))
    confirmed_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
