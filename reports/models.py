"""Tables of the reports area: agency registry, unmatched defendant names, ledger rows, follow-up reports.

They live on core.models.Base (migration branch 0003_reports off 0001).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import (
    Boolean,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    func,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from core.models import Base, JsonType


class Agency(Base):
    """An administrative body in the registry. ``ours`` marks the bodies the bureau supervises."""

    __tablename__ = "agencies"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    kind: Mapped[str] = mapped_column(String(20), default="department")  # AgencyKind code
    level: Mapped[str | None] = mapped_column(String(20))  # AgencyLevel code
    parent: Mapped[str | None] = mapped_column(String(200))  # the government it belongs to
    field: Mapped[str | None] = mapped_column(String(40))  # core.taxonomy.Field code
    ours: Mapped[bool] = mapped_column(Boolean, default=True)
    notes: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())

    aliases: Mapped[list[AgencyAlias]] = relationship(
        back_populates="agency", cascade="all, delete-orphan", order_by="AgencyAlias.id"
    )


class AgencyAlias(Base):
    """Another name of an agency: an abbreviation, a former name (机构改革) or anything else."""

    __tablename__ = "agency_aliases"
    __table_args__ = (UniqueConstraint("alias", "agency_id", name="uq_agency_aliases_alias_agency"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    agency_id: Mapped[int] = mapped_column(ForeignKey("agencies.id", ondelete="CASCADE"), index=True)
    alias: Mapped[str] = mapped_column(String(200), index=True)
    kind: Mapped[str] = mapped_column(String(20), default="abbreviation")  # AliasKind code
    valid_from: Mapped[dt.date | None] = mapped_column(Date)
    valid_to: Mapped[dt.date | None] = mapped_column(Date)

    agency: Mapped[Agency] = relationship(back_populates="aliases")


class UnmatchedDefendant(Base):
    """A defendant name that matched no agency well enough: waits for a reviewer."""

    __tablename__ = "agency_unmatched"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    candidate_id: Mapped[int | None] = mapped_column(ForeignKey("agencies.id", ondelete="SET NULL"))
    confidence: Mapped[float] = mapped_column(Float, default=0.0)
    seen: Mapped[int] = mapped_column(Integer, default=1)
    status: Mapped[str] = mapped_column(String(20), default="open", index=True)  # open / resolved / ignored
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())


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
    judgment_id: Mapped[int | None] = mapped_column(ForeignKey("judgments.id", ondelete="SET NULL"), index=True)
    source: Mapped[str | None] = mapped_column(String(300))
    extra: Mapped[dict[str, Any]] = mapped_column(JsonType, default=dict)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())


class FollowUp(Base):
    """The follow-up reports the plan requires for one case and one agency."""

    __tablename__ = "followups"
    __table_args__ = (UniqueConstraint("case_no_norm", "agency_id", name="uq_followups_case_agency"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    case_no: Mapped[str] = mapped_column(String(120))
    case_no_norm: Mapped[str] = mapped_column(String(120), index=True)
    judgment_id: Mapped[int | None] = mapped_column(ForeignKey("judgments.id", ondelete="SET NULL"), index=True)
    agency_id: Mapped[int | None] = mapped_column(ForeignKey("agencies.id", ondelete="SET NULL"), index=True)
    papers_received: Mapped[dt.date | None] = mapped_column(Date)  # 收到起诉状副本等应诉材料
    papers_reported: Mapped[dt.date | None] = mapped_column(Date)  # 报送司法局
    judgment_received: Mapped[dt.date | None] = mapped_column(Date)
    judgment_reported: Mapped[dt.date | None] = mapped_column(Date)
    analysis: Mapped[str | None] = mapped_column(Text)  # 败诉原因分析
    rectification: Mapped[str | None] = mapped_column(Text)  # 整改措施
    status: Mapped[str] = mapped_column(String(20), default="open", index=True)  # FollowUpStatus code
    updated_at: Mapped[dt.datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now(), onupdate=func.now()
    )


class CaseUnit(Base):
    """A case as the statistics count it (first instance + appeal/retrial linked, outcome in effect).

    Derived data, rebuilt by reports.caseindex when judgments, the registry or the ledger change, so that
    the statistics are SQL aggregates over one narrow table.
    """

    __tablename__ = "report_cases"
    __table_args__ = (Index("ix_report_cases_stats", "date", "outcome", "withdrawn_after_correction",
                            "agency_head_appeared"),)

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
