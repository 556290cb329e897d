"""Ingestion: read a file (``read_document``) and understand it (``parse_text``).

The names below are imported on first use, so importing one stage (``ingest.citations`` for a search
query, ``ingest.record`` for a type) does not load the whole parser.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ingest.parse import is_judgment, parse_text
    from ingest.read import ReadLimits, read_document
    from ingest.record import JudgmentRecord

__all__ = ["ReadLimits", "is_judgment", "parse_judgment", "parse_text", "read_document"]

_LAZY = {
    "is_judgment": "ingest.parse",
    "parse_text": "ingest.parse",
    "ReadLimits": "ingest.record",
    "read_document": "ingest.read",
}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        import importlib

        return getattr(importlib.import_module(_LAZY[name]), name)
    raise AttributeError(f"module 'ingest' has no attribute {name!r}")


def parse_judgment(path: str | Path, limits: ReadLimits | None = None) -> JudgmentRecord:
    """Read a file and parse it: ``parse_text(read_document(path, limits).text, furniture)``."""
    from ingest.parse import parse_text
    from ingest.read import ReadLimits, read_document

    document = read_document(Path(path), limits or ReadLimits())
    return parse_text(document.text, document.furniture)
