"""A labelled corpus stored as judgments (the rows search evaluation and the engine conformance tests use)."""

from __future__ import annotations

from core.db import Database
from core.models import Judgment
from search.evaluation import judgment_rows


def store_corpus(db: Database, judgments: dict[str, dict], labels: dict[str, dict]) -> dict[int, str]:
    """Insert one ``Judgment`` row per corpus document into ``db``; return judgment id → corpus id."""
    corpus_of = {}
    with db.session() as s:
        for row in judgment_rows(judgments, labels):
            cid = row.pop("corpus_id")
            j = Judgment(**row)
            s.add(j)
            s.flush()
            corpus_of[j.id] = cid
    return corpus_of
