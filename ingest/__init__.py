"""Ingestion: read a file (``read_document``) and understand it (``parse_text``)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ingest.parse import is_judgment, parse_text
from ingest.record import JudgmentRecord

__all__ = ["is_judgment", "parse_judgment", "parse_text"]


def parse_judgment(path: str | Path, limits: Any = None) -> JudgmentRecord:
    """Read a file and parse it: ``parse_text(read_document(path, limits).text, furniture)``."""
    from ingest import read  # written by the reading area; imported lazily so parsing works without it

    document = read.read_document(Path(path), limits) if limits is not None else read.read_document(Path(path))
    return parse_text(document.text, document.furniture)
