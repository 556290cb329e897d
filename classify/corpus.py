"""A labelled corpus folder in the ``shared/corpus`` format: judgments.jsonl, labels.jsonl, pdf/text/.

I/O at the edge: this module reads files and turns each judgment into a :class:`JudgmentRecord`
the way a user's upload would be (text PDF → ``ingest.read.read_document`` → ``ingest.parse.parse_text``).
Where those stages are not installed, it falls back to the stored ``document_text`` and a
minimal record, so classification can still be measured.
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from ingest.record import JudgmentRecord

log = logging.getLogger(__name__)

_CASE_NO = re.compile(r"[（(〔\[]\s*\d{4}\s*[）)〕\]][^\n，。；、]{0,30}?号")


@dataclass(frozen=True)
class CorpusItem:
    id: str
    label: dict
    judgment: dict


def load_corpus(corpus_dir: Path, limit: int | None = None) -> list[CorpusItem]:
    labels = _read_jsonl(corpus_dir / "labels.jsonl")
    judgments = {j["id"]: j for j in _read_jsonl(corpus_dir / "judgments.jsonl")}
    items = [CorpusItem(lb["id"], lb, judgments.get(lb["id"], {})) for lb in labels]
    return items[:limit] if limit else items


def _read_jsonl(path: Path) -> Iterator[dict]:
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            if line.strip():
                yield json.loads(line)


def minimal_record(text: str) -> JudgmentRecord:
    """A record holding only the text and the case number (when no parser is available)."""
    m = _CASE_NO.search(text[:600])
    return JudgmentRecord(text=text, case_no=m.group() if m else None)


def parse(text: str) -> JudgmentRecord:
    """``ingest.parse.parse_text``; a text it cannot parse is measured on :func:`minimal_record`."""
    from ingest.parse import parse_text

    try:
        return parse_text(text)
    except Exception as exc:  # a parser failure must not hide the classifier's own measurement
        log.warning("parse_text failed (%s); using a minimal record", exc)
        return minimal_record(text)


def read_text(corpus_dir: Path, item: CorpusItem, from_pdf: bool = True) -> str:
    """The judgment's text as a user's upload yields it: from the text PDF when the reader exists."""
    if from_pdf:
        pdf = corpus_dir / "pdf" / "text" / f"{item.id}.pdf"
        from ingest.read import read_document

        if pdf.exists():
            try:
                return read_document(pdf).text
            except Exception as exc:
                log.warning("read_document(%s) failed (%s); using document_text", pdf.name, exc)
    return item.judgment.get("document_text", "")


def record_for(corpus_dir: Path, item: CorpusItem, from_pdf: bool = True) -> JudgmentRecord:
    return parse(read_text(corpus_dir, item, from_pdf))


def labelled_items(corpus_dir: Path, limit: int | None = None, from_pdf: bool = True):  # type: ignore[no-untyped-def]
    """(item, record) for every labelled judgment that parses (a parser rejection is skipped, logged)."""
    out = []
    for item in load_corpus(corpus_dir, limit):
        try:
            out.append((item, record_for(corpus_dir, item, from_pdf)))
        except Exception as exc:
            log.warning("skipping %s: %s", item.id, exc)
    return out
