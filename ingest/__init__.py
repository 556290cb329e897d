"""Ingestion: read a file (``read_document``) and understand it (``parse_text``)."""

from __future__ import annotations

from pathlib import Path

from ingest.parse import is_judgment, parse_text
from ingest.read import ReadLimits, read_document
from ingest.record import JudgmentRecord

__all__ = ["ReadLimits", "is_judgment", "parse_judgment", "parse_text", "read_document"]


def parse_judgment(path: str | Path, limits: ReadLimits | None = None) -> JudgmentRecord:
    """Read a file and parse it: ``parse_text(read_document(path, limits).text, furniture)``."""
    document = read_document(Path(path), limits or ReadLimits())
    return parse_text(document.text, document.furniture)
