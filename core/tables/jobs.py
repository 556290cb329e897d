"""Tables of background work: a batch (one upload) and one job per file. The jobs table is the truth.

A job moves queued → running → done | failed. ``running`` is held under a lease (``lease_expires``) that
the worker renews while it works; a job whose lease has expired belongs to a dead worker and the
sweeper puts it back to ``queued``. Recovery never depends on the broker's redelivery.
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import Any

from sqlalchemy import DateTime, Float, ForeignKey, Index, Integer, String, Text, UniqueConstraint, func
from sqlalchemy.orm import Mapped, mapped_column, relationship

from core.tables.judgments import Base, JsonType


class JobState(StrEnum):
    queued = "queued"
    running = "running"
    done = "done"
    failed = "failed"

    @property
    def zh(self) -> str:
        return {"queued": "排队中", "running": "处理中", "done": "已完成", "failed": "失败"}[self.value]


class JobKind(StrEnum):
    ingest = "ingest"


class Queue(StrEnum):
    default = "default"
    ocr = "ocr"


class Batch(Base):
    """One upload of one or more files."""

    __tablename__ = "batches"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user: Mapped[str | None] = mapped_column(String(100))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())

    jobs: Mapped[list[Job]] = relationship(back_populates="batch", order_by="Job.id")


class Job(Base):
    """One unit of background work on one stored upload."""

    __tablename__ = "jobs"
    __table_args__ = (Index("ix_jobs_state_lease", "state", "lease_expires"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    batch_id: Mapped[int | None] = mapped_column(ForeignKey("batches.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(20), default=JobKind.ingest.value)
    queue: Mapped[str] = mapped_column(String(20), default=Queue.default.value)
    filename: Mapped[str] = mapped_column(String(500))
    stored_path: Mapped[str] = mapped_column(String(500))  # relative to the originals directory
    sha256: Mapped[str] = mapped_column(String(64))
    size: Mapped[int] = mapped_column(Integer)
    state: Mapped[str] = mapped_column(String(20), default=JobState.queued.value, index=True)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    worker_id: Mapped[str | None] = mapped_column(String(200))
    heartbeat_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    lease_expires: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    not_before: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    enqueued_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    started_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    finished_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    progress: Mapped[float] = mapped_column(default=0.0)
    # The outcome: the document status (stored/linked/duplicate/rejected) or, when the job failed,
    # the failure reason and message.
    status: Mapped[str | None] = mapped_column(String(20))
    reason: Mapped[str | None] = mapped_column(String(40))
    message: Mapped[str | None] = mapped_column(Text)
    warnings: Mapped[list[Any]] = mapped_column(JsonType, default=list)
    judgment_id: Mapped[int | None] = mapped_column(Integer)
    document_id: Mapped[int | None] = mapped_column(Integer)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())

    batch: Mapped[Batch | None] = relationship(back_populates="jobs")


class MaintenanceRun(Base):
    """When scheduled work last ran and what it found (consistency check, retraining)."""

    __tablename__ = "maintenance_runs"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    task: Mapped[str] = mapped_column(String(40), index=True)
    ok: Mapped[bool] = mapped_column(default=True)
    details: Mapped[dict[str, Any]] = mapped_column(JsonType, default=dict)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())


class OcrPageRow(Base):
    """One recognised page of a stored original, so that a long scan can be OCR'd in page ranges by
    several workers and read once. Keyed by the original's sha256, the page number and the OCR settings
    (``fingerprint``): a page is stored once, whichever worker or re-delivered task recognised it."""

    __tablename__ = "ocr_pages"
    __table_args__ = (UniqueConstraint("sha256", "page", "fingerprint", name="uq_ocr_pages_key"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    page: Mapped[int] = mapped_column(Integer)  # 1-based
    fingerprint: Mapped[str] = mapped_column(String(64))
    quality: Mapped[float] = mapped_column(Float, default=0.0)
    result: Mapped[dict[str, Any]] = mapped_column(JsonType, default=dict)  # ingest.ocr.OcrPage as JSON
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
