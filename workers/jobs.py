"""The jobs table as the truth of background work: create, claim under a lease, finish, sweep.

Every state change is one conditional UPDATE, so two workers (or a worker and the sweeper) can never both
believe they own a job: whoever's UPDATE matched the row wins, the other sees ``rowcount == 0``.
"""

from __future__ import annotations

import datetime as dt
import os
import socket
import uuid
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO

from sqlalchemy import CursorResult, Executable, and_, case, func, or_, select, update
from sqlalchemy.orm import Session

from core.db import Database
from core.models import Batch, Document, Job, JobKind, JobState, Queue
from core.settings import Settings
from pipeline.process import keep_original, keep_original_stream, sha256_of
from workers.routing import needs_ocr

_PROCESS_TOKEN = uuid.uuid4().hex[:8]


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def worker_identity(label: str = "") -> str:
    """``host:pid:token[:label]`` — the sweeper can tell a dead local process from a live one."""
    ident = f"{socket.gethostname()}:{os.getpid()}:{_PROCESS_TOKEN}"
    return f"{ident}:{label}" if label else ident


@dataclass(frozen=True)
class ClaimedJob:
    id: int
    filename: str
    stored_path: str
    queue: str
    attempts: int
    worker_id: str


def _updated(s: Session, stmt: Executable) -> int:
    """Execute a conditional UPDATE and say how many rows it changed."""
    res = s.execute(stmt.execution_options(synchronize_session=False))
    assert isinstance(res, CursorResult)
    return int(res.rowcount)


# -- creating work --------------------------------------------------------------------------------
def create_batch(
    db: Database, settings: Settings, files: list[tuple[str, bytes | BinaryIO]], user: str | None = None
) -> tuple[int, list[int]]:
    """Keep each original (content-addressed) and create one Batch with one Job per file, in ONE transaction.
    A file is bytes or a binary file object (an upload spooled to disk, copied in chunks)."""
    prepared = []
    for raw_name, content in files:
        filename = Path(raw_name.replace("\\", "/")).name or "upload"  # browsers may send a client path
        if isinstance(content, bytes):
            digest, size = sha256_of(content), len(content)
            stored = keep_original(settings, content, digest, filename)
        else:
            stored, digest, size = keep_original_stream(
                settings, content, filename, settings.max_file_mb << 20
            )
        path = settings.originals_dir / stored
        queue = Queue.ocr if needs_ocr(path, settings.max_memory_mb) else Queue.default
        prepared.append((filename, stored, digest, size, queue))
    with db.session() as s:
        batch = Batch(user=user)
        s.add(batch)
        s.flush()
        jobs = [
            Job(
                batch_id=batch.id,
                kind=JobKind.ingest.value,
                queue=q.value,
                filename=name[:500],
                stored_path=stored,
                sha256=digest,
                size=size,
                state=JobState.queued.value,
                attempts=0,
                progress=0.0,
                warnings=[],
            )
            for name, stored, digest, size, q in prepared
        ]
        s.add_all(jobs)
        s.flush()
        return batch.id, [j.id for j in jobs]


def mark_enqueued(db: Database, job_ids: list[int]) -> None:
    if not job_ids:
        return
    with db.session() as s:
        s.execute(update(Job).where(Job.id.in_(job_ids)).values(enqueued_at=utcnow()))


# -- reading ----------------------------------------------------------------------------------------
def _iso(t: dt.datetime | None) -> str | None:
    return t.isoformat() if t else None


def job_as_json(job: Job, file_kind: str | None = None) -> dict[str, Any]:
    """One file of a batch. ``file_kind``: what reading found (text_pdf, scan_pdf, docx …; None before)."""
    return {
        "job_id": job.id,
        "filename": job.filename,
        "size": job.size,
        "file_kind": file_kind,
        "created_at": _iso(job.created_at),
        "finished_at": _iso(job.finished_at),
        "queue": job.queue,
        "state": job.state,
        "status": job.status,
        "reason": job.reason,
        "message": job.message,
        "warnings": list(job.warnings or []),
        "judgment_id": job.judgment_id,
        "document_id": job.document_id,
        "attempts": job.attempts,
        "progress": job.progress,
    }


def batch_status(db: Database, batch_id: int) -> dict[str, Any]:
    """A batch and each of its files: state (queued/running/done/failed), outcome, progress."""
    with db.session() as s:
        batch = s.get(Batch, batch_id)
        if batch is None:
            raise KeyError(f"没有编号为 {batch_id} 的批次")
        jobs = s.scalars(select(Job).where(Job.batch_id == batch_id).order_by(Job.id)).all()
        counts = Counter(j.state for j in jobs)
        kinds = _file_kinds(s, jobs)
        files = [job_as_json(j, kinds.get(j.document_id or 0)) for j in jobs]
        return {
            "id": batch.id,
            "user": batch.user,
            "created_at": batch.created_at.isoformat() if batch.created_at else None,
            "total": len(jobs),
            "counts": {state.value: counts.get(state.value, 0) for state in JobState},
            "finished": all(j.state in (JobState.done, JobState.failed) for j in jobs),
            "files": files,
        }


def _file_kinds(s: Session, jobs: list[Job] | Any) -> dict[int, str]:
    """document id → file kind, for the jobs that produced a document (one query)."""
    ids = [j.document_id for j in jobs if j.document_id]
    if not ids:
        return {}
    rows = s.execute(select(Document.id, Document.file_kind).where(Document.id.in_(ids))).all()
    return {int(i): str(k) for i, k in rows if k}


def list_batches(
    db: Database, *, user: str | None = None, limit: int = 20, offset: int = 0
) -> tuple[list[dict[str, Any]], int]:
    """Earlier batches, newest first, each with every file (as in ``batch_status``), and how many batches
    there are in all. ``user``: only the batches that user uploaded."""
    with db.session() as s:
        q = select(Batch)
        total_q = select(func.count(Batch.id))
        if user is not None:
            q, total_q = q.where(Batch.user == user), total_q.where(Batch.user == user)
        total = int(s.scalar(total_q) or 0)
        batches = s.scalars(q.order_by(Batch.id.desc()).limit(limit).offset(offset)).all()
        ids = [b.id for b in batches]
        jobs = s.scalars(select(Job).where(Job.batch_id.in_(ids)).order_by(Job.id)).all() if ids else []
        kinds = _file_kinds(s, jobs)
        by_batch: dict[int, list[dict[str, Any]]] = {}
        for j in jobs:
            by_batch.setdefault(j.batch_id or 0, []).append(job_as_json(j, kinds.get(j.document_id or 0)))
        out = []
        for b in batches:
            files = by_batch.get(b.id, [])
            out.append(
                {
                    "id": b.id,
                    "user": b.user,
                    "created_at": _iso(b.created_at),
                    "total": len(files),
                    "finished": all(f["state"] in (JobState.done, JobState.failed) for f in files),
                    "files": files,
                }
            )
        return out, total


def recent_batches(db: Database, limit: int = 20) -> list[dict[str, Any]]:
    with db.session() as s:
        batches = s.scalars(select(Batch).order_by(Batch.id.desc()).limit(limit)).all()
        out = []
        for b in batches:
            counts = Counter(s.scalars(select(Job.state).where(Job.batch_id == b.id)).all())
            out.append(
                {
                    "id": b.id,
                    "user": b.user,
                    "created_at": b.created_at.isoformat() if b.created_at else None,
                    "total": sum(counts.values()),
                    "counts": {st.value: counts.get(st.value, 0) for st in JobState},
                }
            )
        return out


# -- claiming and finishing -------------------------------------------------------------------------
def _claimable(now: dt.datetime) -> Any:
    return or_(
        and_(Job.state == JobState.queued.value, or_(Job.not_before.is_(None), Job.not_before <= now)),
        and_(Job.state == JobState.running.value, Job.lease_expires < now),
    )


def claim(db: Database, job_id: int, worker_id: str, lease_s: float) -> ClaimedJob | None:
    """Take the job if it is queued (or held by a dead worker). None: someone else has it or it is finished."""
    now = utcnow()
    with db.session() as s:
        n = _updated(
            s,
            update(Job)
            .where(Job.id == job_id, _claimable(now))
            .values(
                state=JobState.running.value,
                worker_id=worker_id,
                attempts=Job.attempts + 1,
                heartbeat_at=now,
                lease_expires=now + dt.timedelta(seconds=lease_s),
                started_at=now,
                progress=0.1,
                not_before=None,
            ),
        )
        if n != 1:
            return None
        job = s.get(Job, job_id)
        assert job is not None
        return ClaimedJob(job.id, job.filename, job.stored_path, job.queue, job.attempts, worker_id)


def claimable_ids(db: Database, limit: int = 10, queues: list[str] | None = None) -> list[int]:
    """Jobs a runner may take now, quick ones first: a long scan does not hold up the text files."""
    now = utcnow()
    with db.session() as s:
        quick_first = case((Job.queue == Queue.default.value, 0), else_=1)
        q = select(Job.id).where(_claimable(now)).order_by(quick_first, Job.id).limit(limit)
        if queues:
            q = q.where(Job.queue.in_(queues))
        return list(s.scalars(q).all())


def renew_lease(db: Database, job_id: int, worker_id: str, lease_s: float) -> bool:
    now = utcnow()
    with db.session() as s:
        n = _updated(
            s,
            update(Job)
            .where(Job.id == job_id, Job.worker_id == worker_id, Job.state == JobState.running.value)
            .values(heartbeat_at=now, lease_expires=now + dt.timedelta(seconds=lease_s)),
        )
        return n == 1


def _owned(job_id: int, worker_id: str) -> Any:
    return and_(Job.id == job_id, Job.worker_id == worker_id, Job.state == JobState.running.value)


def set_progress(db: Database, job_id: int, worker_id: str | None, value: float) -> bool:
    """Raise a running job's progress (never lowers it: pages read after pages OCR'd in ranges).
    ``worker_id`` None: from a helper (an OCR range task) that does not hold the job's lease."""
    held = (
        _owned(job_id, worker_id)
        if worker_id
        else and_(Job.id == job_id, Job.state == JobState.running.value)
    )
    with db.session() as s:
        n = _updated(s, update(Job).where(held, Job.progress < value).values(progress=round(value, 4)))
        return n == 1


def finish(db: Database, job_id: int, worker_id: str, outcome: dict[str, Any]) -> bool:
    """Record the pipeline's result (stored/linked/duplicate/rejected). False: the job was taken from us."""
    with db.session() as s:
        n = _updated(
            s,
            update(Job)
            .where(_owned(job_id, worker_id))
            .values(
                state=JobState.done.value,
                finished_at=utcnow(),
                lease_expires=None,
                progress=1.0,
                status=outcome.get("status"),
                reason=outcome.get("reason"),
                message=outcome.get("message"),
                warnings=list(outcome.get("warnings") or []),
                judgment_id=outcome.get("judgment_id"),
                document_id=outcome.get("document_id"),
            ),
        )
        return n == 1


def fail(db: Database, job_id: int, worker_id: str | None, reason: str, message: str) -> bool:
    """A permanent failure, recorded with its reason. ``worker_id=None``: whoever holds it (the sweeper)."""
    cond = (
        _owned(job_id, worker_id) if worker_id else and_(Job.id == job_id, Job.state != JobState.done.value)
    )
    with db.session() as s:
        n = _updated(
            s,
            update(Job)
            .where(cond)
            .values(
                state=JobState.failed.value,
                finished_at=utcnow(),
                lease_expires=None,
                progress=1.0,
                status="failed",
                reason=reason[:40],
                message=message,
            ),
        )
        return n == 1


def release(db: Database, job_id: int, worker_id: str, delay_s: float, message: str) -> bool:
    """Give a job back after a transient error: queued again, not before ``delay_s`` from now."""
    now = utcnow()
    with db.session() as s:
        n = _updated(
            s,
            update(Job)
            .where(_owned(job_id, worker_id))
            .values(
                state=JobState.queued.value,
                worker_id=None,
                lease_expires=None,
                progress=0.0,
                not_before=now + dt.timedelta(seconds=delay_s),
                message=message,
            ),
        )
        return n == 1


# -- recovery ---------------------------------------------------------------------------------------
def _local_dead(worker_id: str | None) -> bool:
    """The holder ran on this host in a process that no longer exists."""
    if not worker_id:
        return False
    parts = worker_id.split(":")
    if len(parts) < 3 or parts[0] != socket.gethostname() or not parts[1].isdigit():
        return False
    pid = int(parts[1])
    if pid == os.getpid():
        return parts[2] != _PROCESS_TOKEN
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    except PermissionError:
        return False
    return False


def sweep(db: Database, *, local_dead: bool = True) -> list[int]:
    """Put jobs held by dead workers (lease expired, or a dead local process) back to ``queued``;
    returns their ids (they need a new broker message)."""
    now = utcnow()
    requeued: list[int] = []
    with db.session() as s:
        running = s.execute(select(Job.id, Job.worker_id).where(Job.state == JobState.running.value)).all()
        for job_id, holder in running:
            cond = and_(Job.id == job_id, Job.state == JobState.running.value, Job.worker_id == holder)
            where = cond if (local_dead and _local_dead(holder)) else and_(cond, Job.lease_expires < now)
            n = _updated(
                s,
                update(Job)
                .where(where)
                .values(
                    state=JobState.queued.value,
                    worker_id=None,
                    lease_expires=None,
                    progress=0.0,
                    message="处理进程中断，已重新排队",
                ),
            )
            if n == 1:
                requeued.append(job_id)
    return requeued


def stale_queued(db: Database, older_than_s: float) -> list[tuple[int, str]]:
    """Queued jobs whose message went out more than ``older_than_s`` ago (or never): (id, queue)."""
    now = utcnow()
    stale = now - dt.timedelta(seconds=older_than_s)
    with db.session() as s:
        rows = s.execute(
            select(Job.id, Job.queue)
            .where(
                Job.state == JobState.queued.value,
                or_(Job.enqueued_at.is_(None), Job.enqueued_at < stale),
                Job.created_at < now - dt.timedelta(seconds=min(older_than_s, 30.0)),
                or_(Job.not_before.is_(None), Job.not_before <= now),
            )
            .order_by(Job.id)
        ).all()
    return [(int(i), str(q)) for i, q in rows]


def original_path(settings: Settings, stored_path: str) -> Path:
    return settings.originals_dir / stored_path


def queues_of(s: Session, job_ids: list[int]) -> dict[int, str]:
    return dict(s.execute(select(Job.id, Job.queue).where(Job.id.in_(job_ids))).all())
