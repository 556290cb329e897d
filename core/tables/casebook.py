"""Tables the statistics keep: cases as counted (first instance and appeal linked), their agencies and causes."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import (
    Boolean,
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
)
from sqlalchemy.orm import Mapped, mapped_column

from core.tables.judgments import Base, JsonType


class CaseUnit(Base):
    """A case as the statistics count it (first instance + appeal/retrial linked, outcome in effect).

    Derived data, rebuilt by reports.caseindex when judgments, the registry or the ledger change, so that
    the statistics are SQL aggregates over one narrow table.
    """

    __tablename__ = "report_cases"
    __table_args__ = (
        Index(
            "ix_report_cases_stats", "date", "outcome", "withdrawn_after_correction", "agency_head_appeared"
        ),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    key: Mapped[str] = mapped_column(String(120))
    effective_judgment_id: Mapped[int | None] = mapped_column(Integer)
    judgment_ids: Mapped[list[Any]] = mapped_column(JsonType, default=list)
    case_nos: Mapped[list[Any]] = mapped_column(JsonType, default=list)
    date: Mapped[dt.date | None] = mapped_column(Date, index=True)
    outcome: Mapped[str | None] = mapped_column(String(30))
    court: Mapped[str | None] = mapped_column(String(200))
    action_type: Mapped[str | None] = mapped_column(String(40))
    field: Mapped[str | None] = mapped_column(String(40))
    withdrawn_after_correction: Mapped[bool] = mapped_column(Boolean, default=False)
    agency_head_appeared: Mapped[bool | None] = mapped_column(Boolean)
    loss_causes: Mapped[list[Any]] = mapped_column(JsonType, default=list)
    defendants: Mapped[list[Any]] = mapped_column(JsonType, default=list)


class CaseUnitAgency(Base):
    __tablename__ = "report_case_agencies"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("report_cases.id", ondelete="CASCADE"), index=True)
    key: Mapped[str] = mapped_column(String(220), index=True)  # a:<id> / n:<name>
    name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(20))
    level: Mapped[str | None] = mapped_column(String(20))
    ours: Mapped[bool] = mapped_column(Boolean, default=False)
    agency_id: Mapped[int | None] = mapped_column(Integer, index=True)


class CaseUnitCause(Base):
    __tablename__ = "report_case_causes"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("report_cases.id", ondelete="CASCADE"), index=True)
    cause: Mapped[str] = mapped_column(String(40), index=True)


class ReportState(Base):
    """Key/value bookkeeping of the reports area (the fingerprint the case table was built from)."""

    __tablename__ = "report_state"

    key: Mapped[str] = mapped_column(String(60), primary_key=True)
    value: Mapped[str] = mapped_column(Text)
