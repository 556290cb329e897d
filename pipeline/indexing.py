"""Indexing judgments from the store: plain functions over a database and a search backend.

The store is the truth; the index is rebuilt from it. Nothing here reads or parses a file.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Iterator
from typing import Any

from sqlalchemy import delete, func, select

from core.db import Database
from core.models import IndexOutbox, Judgment
from search import SearchBackend, to_index_doc

log = logging.getLogger(__name__)


def iter_index_docs(db: Database, batch: int = 200) -> Iterator[dict[str, Any]]:
    """Every judgment of the store as an index document, read in batches (constant memory)."""
    last = 0
    while True:
        with db.session() as s:
            rows = s.scalars(
                select(Judgment).where(Judgment.id > last).order_by(Judgment.id).limit(batch)
            ).all()
            docs = [to_index_doc(j) for j in rows]
        if not docs:
            return
        yield from docs
        last = docs[-1]["id"]


def reindex_from_db(db: Database, backend: SearchBackend) -> int:
    """Rebuild the whole index from the store (new index, then an atomic swap). Returns the count."""
    return backend.rebuild(iter_index_docs(db))


def index_judgments(db: Database, backend: SearchBackend, judgment_ids: Iterable[int]) -> bool:
    """Index committed judgments and clear their outbox rows. On failure the judgment stays stored (the
    store is the truth) and so do its outbox rows: the next command that writes drains them."""
    ids = list(judgment_ids)
    try:
        _index_and_clear(db, backend, ids)
        return True
    except Exception:
        log.exception("indexing judgments %s failed; the outbox keeps them for the next run", ids)
        return False


def _index_and_clear(
    db: Database, backend: SearchBackend, ids: list[int], rows: list[int] | None = None
) -> None:
    """Index ``ids`` as the store has them now, then delete the outbox rows that were pending when they
    were read (a change committed meanwhile keeps its own row)."""
    with db.session() as s:
        if rows is None:
            rows = list(s.scalars(select(IndexOutbox.id).where(IndexOutbox.judgment_id.in_(ids))))
        docs = [to_index_doc(j) for j in s.scalars(select(Judgment).where(Judgment.id.in_(ids)))]
    backend.index(docs)
    gone = sorted(set(ids) - {d["id"] for d in docs})
    if gone:  # deleted from the store since: out of the index too
        backend.delete(gone)
    if rows:
        with db.session() as s:
            s.execute(delete(IndexOutbox).where(IndexOutbox.id.in_(rows)))


def pending_outbox(db: Database) -> int:
    """How many outbox rows wait for the indexer (a cheap count)."""
    with db.session() as s:
        return int(s.scalar(select(func.count()).select_from(IndexOutbox)) or 0)


def drain_outbox(db: Database, backend: SearchBackend, batch: int = 200) -> int:
    """Index every judgment with a pending outbox row, ``batch`` rows at a time; returns how many judgments.
    Raises when the index cannot be written (the rows stay for the next run)."""
    done = 0
    while True:
        with db.session() as s:
            rows = s.execute(
                select(IndexOutbox.id, IndexOutbox.judgment_id).order_by(IndexOutbox.id).limit(batch)
            ).all()
        if not rows:
            return done
        ids = sorted({jid for _, jid in rows})
        _index_and_clear(db, backend, ids, [rid for rid, _ in rows])
        done += len(ids)


def repair_gaps(db: Database, backend: SearchBackend) -> int:
    """The cheap count check: when the index holds another number of judgments than the store, index the
    missing and delete the extra. Returns how many were out of step (0: counts agree, nothing read)."""
    with db.session() as s:
        stored_n = int(s.scalar(select(func.count()).select_from(Judgment)) or 0)
    if backend.count() == stored_n:
        return 0
    with db.session() as s:
        stored = set(s.scalars(select(Judgment.id)))
    indexed = set(backend.ids())
    missing, extra = sorted(stored - indexed), sorted(indexed - stored)
    for i in range(0, len(missing), 200):
        _index_and_clear(db, backend, missing[i : i + 200], [])
    if extra:
        backend.delete(extra)
    return len(missing) + len(extra)


def catch_up(db: Database, backend: SearchBackend) -> tuple[int, int]:
    """What every command that writes to the store or the index runs first: drain the outbox, then the
    count check. Returns (judgments drained, gaps repaired)."""
    drained = drain_outbox(db, backend)
    return drained, repair_gaps(db, backend)
