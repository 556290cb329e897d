"""Indexing judgments from the store: plain functions over a database and a search backend.

The store is the truth; the index is rebuilt from it. Nothing here reads or parses a file.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Iterator
from typing import Any

from sqlalchemy import select

from core.db import Database
from core.models import Judgment
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
    """Index committed judgments. On failure the judgment stays stored (the store is the truth): the
    caller reports ``not_indexed`` and the nightly check or ``anjian reindex`` repairs it."""
    ids = list(judgment_ids)
    try:
        with db.session() as s:
            docs = [to_index_doc(j) for j in s.scalars(select(Judgment).where(Judgment.id.in_(ids)))]
        backend.index(docs)
        return True
    except Exception:
        log.exception("indexing judgments %s failed; run `anjian reindex`", ids)
        return False
