"""Tables of the agency registry: agencies, their aliases, defendant names no agency matched yet."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import (
    Boolean,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
    func,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from core.tables.judgments import Base


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
