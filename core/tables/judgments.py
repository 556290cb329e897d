"""Database tables of the store (SQLAlchemy 2). Schema changes go through Alembic (core/migrations)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import JSON, Date, DateTime, ForeignKey, Index, Integer, String, Text, UniqueConstraint, func
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

JsonType = JSON().with_variant(JSONB(), "postgresql")


class Base(DeclarativeBase):
    type_annotation_map = {dict[str, Any]: JsonType, list[Any]: JsonType}


class Judgment(Base):
    """One court decision: one case number, document kind and court, possibly read from several documents."""

    __tablename__ = "judgments"
    __table_args__ = (UniqueConstraint("link_key", name="uq_judgments_link_key"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    case_no: Mapped[str | None] = mapped_column(String(120), index=True)
    doc_kind: Mapped[str | None] = mapped_column(String(40))  # reconsideration_decision: 24
    procedure: Mapped[str | None] = mapped_column(String(30), index=True)
    title: Mapped[str | None] = mapped_column(String(500))
    court: Mapped[str | None] = mapped_column(String(200), index=True)
    judgment_date: Mapped[dt.date | None] = mapped_column(Date, index=True)
    # Denormalised from the effective classification (machine tags with reviewer corrections applied),
    # so that statistics and filters need no JSON queries. Refreshed by core.store on every change.
    outcome: Mapped[str | None] = mapped_column(String(30), index=True)
    action_type: Mapped[str | None] = mapped_column(String(40), index=True)
    field: Mapped[str | None] = mapped_column(String(40), index=True)
    loss_causes: Mapped[list[Any]] = mapped_column(JsonType, default=list)
    defendants: Mapped[list[Any]] = mapped_column(JsonType, default=list)
    plaintiffs: Mapped[list[Any]] = mapped_column(JsonType, default=list)
    agency_head_appeared: Mapped[bool | None] = mapped_column()
    # The full record (ingest.record.JudgmentRecord) and the machine's classification
    # (classify.types.Classification), as JSON.
    record: Mapped[dict[str, Any]] = mapped_column(JsonType)
    classification: Mapped[dict[str, Any] | None] = mapped_column(JsonType)
    primary_document_id: Mapped[int | None] = mapped_column(Integer)
    # case number | kind | court: documents with the same key are one judgment (pipeline.linking);
    # a newcomer colliding with another court's or other parties' judgment gets a key of its own
    link_key: Mapped[str | None] = mapped_column(String(400))
    review_note: Mapped[str | None] = mapped_column(Text)  # why a reviewer should look (Chinese)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    updated_at: Mapped[dt.datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now(), onupdate=func.now(), index=True
    )  # indexed (0009_figures): the statistics' freshness check reads max(updated_at)

    documents: Mapped[list[Document]] = relationship(back_populates="judgment", order_by="Document.id")
    corrections: Mapped[list[Correction]] = relationship(
        back_populates="judgment", order_by="Correction.id", cascade="all, delete-orphan"
    )


class Document(Base):
    """One input file, whatever became of it. The original bytes are always kept."""

    __tablename__ = "documents"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    filename: Mapped[str] = mapped_column(String(500))
    stored_path: Mapped[str] = mapped_column(String(500))  # relative to the originals directory
    size: Mapped[int] = mapped_column(Integer)
    file_kind: Mapped[str | None] = mapped_column(String(20))
    status: Mapped[str] = mapped_column(String(20), index=True)
    reason: Mapped[str | None] = mapped_column(String(30))
    message: Mapped[str | None] = mapped_column(Text)
    warnings: Mapped[list[Any]] = mapped_column(JsonType, default=list)
    pages: Mapped[list[Any]] = mapped_column(JsonType, default=list)
    text: Mapped[str | None] = mapped_column(Text)
    judgment_id: Mapped[int | None] = mapped_column(
        ForeignKey("judgments.id", ondelete="SET NULL"), index=True
    )
    duplicate_of_id: Mapped[int | None] = mapped_column(Integer)
    # Set by whoever queued the file (an upload job): a re-delivered task finds its earlier result.
    ingest_key: Mapped[str | None] = mapped_column(String(100), unique=True)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())

    judgment: Mapped[Judgment | None] = relationship(back_populates="documents")


class Correction(Base):
    """A reviewer's correction of a tag or field. It always wins over the machine."""

    __tablename__ = "corrections"
    __table_args__ = (Index("ix_corrections_judgment_field", "judgment_id", "field"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    judgment_id: Mapped[int] = mapped_column(ForeignKey("judgments.id", ondelete="CASCADE"))
    field: Mapped[str] = mapped_column(
        String(40)
    )  # outcome, loss_causes, action_type, field, defendants, ...
    value: Mapped[Any] = mapped_column(JsonType)
    previous: Mapped[Any] = mapped_column(JsonType, nullable=True)
    user: Mapped[str] = mapped_column(String(100))
    reason: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())

    judgment: Mapped[Judgment] = relationship(back_populates="corrections")


class IndexOutbox(Base):
    """A judgment whose search document must be (re)written: added in the transaction that stores or
    changes the judgment, deleted by the indexer once the index has it (pipeline.outbox)."""

    __tablename__ = "index_outbox"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    judgment_id: Mapped[int] = mapped_column(Integer, index=True)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
