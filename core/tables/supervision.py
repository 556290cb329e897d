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
