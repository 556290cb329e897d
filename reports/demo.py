"""Judgment rows built from the labelled corpus (judgments.jsonl + labels.jsonl): realistic demo data and
test fixtures for statistics and documents without running the ingestion pipeline.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from core.models import Judgment
from ingest.errors import Rejected
from ingest.parse import parse_text


def record_for(text: str, label: dict) -> dict:
    """The parsed record of the text, with the labelled fields put over the parser's guesses."""
    try:
        record = parse_text(text).model_dump(mode="json")
    except (Rejected, Exception):  # noqa: BLE001  (a demo row must not fail on a parser gap)
        record = {
            "text": text,
            "sections": [],
            "citations": [],
            "operative_orders": [],
            "original_case_nos": [],
        }
    for key in (
        "case_no",
        "court",
        "procedure",
        "doc_kind",
        "judgment_date",
        "plaintiffs",
        "defendants",
        "third_parties",
        "agency_head_appeared",
    ):
        if label.get(key) is not None:
            record[key] = label[key]
    return record


def classification_for(text: str, label: dict) -> dict:
    tags = []
    for cause in label.get("loss_causes") or []:
        quote = (label.get("cause_evidence") or {}).get(cause) or ""
        start = text.find(quote) if quote else -1
        evidence = (
            [{"text": quote, "start": start, "end": start + len(quote), "section": "reasoning"}]
            if quote
            else []
        )
        tags.append(
            {
                "cause": cause,
                "evidence": evidence,
                "strength": 1.0,
                "probability": None,
                "source": "reviewer",
                "rules": [],
            }
        )
    return {
        "outcome": label["outcome"],
        "ruling_forms": label.get("ruling_forms") or [],
        "withdrawn_after_correction": label.get("withdrawn_after_correction"),
        "loss_causes": tags,
        "action_type": label.get("action_type"),
        "field": label.get("field"),
    }


def judgment_from_corpus(doc: dict, label: dict) -> Judgment:
    text = doc["document_text"]
    record = record_for(text, label)
    date = label.get("judgment_date")
    return Judgment(
        case_no=label.get("case_no") or record.get("case_no"),
        doc_kind=label.get("doc_kind"),
        procedure=label.get("procedure"),
        title=doc.get("title"),
        court=label.get("court"),
        judgment_date=dt.date.fromisoformat(date) if date else None,
        outcome=label["outcome"],
        action_type=label.get("action_type"),
        field=label.get("field"),
        loss_causes=list(label.get("loss_causes") or []) if label["outcome"] == "agency_lost" else [],
        defendants=list(label.get("defendants") or []),
        plaintiffs=list(label.get("plaintiffs") or []),
        agency_head_appeared=label.get("agency_head_appeared"),
        record=record,
        classification=classification_for(text, label),
    )


def load_corpus(session, corpus_dir: Path, ids: list[str] | None = None) -> int:  # type: ignore[no-untyped-def]
    """Store corpus judgments (all, or the given ids) as judgment rows; returns how many."""
    docs = {
        r["id"]: r for r in map(json.loads, (corpus_dir / "judgments.jsonl").read_text("utf-8").splitlines())
    }
    labels = {
        r["id"]: r for r in map(json.loads, (corpus_dir / "labels.jsonl").read_text("utf-8").splitlines())
    }
    seen: set[tuple[str | None, str | None]] = set()
    n = 0
    for jid in ids or list(labels):
        j = judgment_from_corpus(docs[jid], labels[jid])
        key = (j.case_no, j.doc_kind)
        if key in seen:
            continue
        seen.add(key)
        session.add(j)
        n += 1
    session.flush()
    return n
