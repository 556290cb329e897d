"""Cited norms: 《中华人民共和国行政诉讼法》第七十条第（三）项 → law, article 70, item 3."""

from __future__ import annotations

from ingest.record import Citation


def find_citations(text: str, norm: str, offsets: list[int]) -> list[Citation]:
    return []
