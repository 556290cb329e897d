"""SearchQuery → Elasticsearch query DSL (plain dicts), by pure functions. Mirrors compile_tantivy."""

from __future__ import annotations

from typing import Any

from core.segment import segment
from search.compile_tantivy import (
    CASE_NO_WEIGHT,
    CHAR_FIELD,
    CITE_WEIGHT,
    KEYWORD_FIELD,
    PHRASE_WEIGHT,
    VERBATIM_WEIGHT,
    case_no_value,
)
from search.query import And, CaseNo, Cite, Match, Node, Not, Or, QueryField, Range, SearchQuery, Text
from search.schema import BOOSTS, FACET_FIELDS, STATUTE_FIELD
from search.segment import query_grams

MATCH_ALL: dict[str, Any] = {"match_all": {}}


def verbatim(field: str, text: str, boost: float = 1.0) -> dict[str, Any]:
    gs = query_grams(text)
    if not gs:
        return MATCH_ALL
    if len(gs[0]) == 1:
        return {"prefix": {field: {"value": gs[0], "boost": boost}}}
    return {"match_phrase": {field: {"query": " ".join(gs), "slop": 0, "boost": boost}}}


def _filter(q: dict[str, Any]) -> dict[str, Any]:
    """Matches like ``q`` but adds nothing to the score."""
    return {"bool": {"filter": [q]}}


def _text(node: Text) -> dict[str, Any]:
    if node.quoted:  # scored by the phrase itself
        return verbatim("body_chars", node.value, PHRASE_WEIGHT)
    words = " ".join(dict.fromkeys(segment(node.value)))
    should = [{"match": {f: {"query": words, "boost": b}}} for f, b in BOOSTS.items()] if words else []
    return {"bool": {"must": [verbatim("body_chars", node.value, VERBATIM_WEIGHT)], "should": should}}


def _match(node: Match) -> dict[str, Any]:
    if node.field in KEYWORD_FIELD:
        return _filter({"term": {KEYWORD_FIELD[node.field]: node.value}})
    value = case_no_value(node.value) if node.field is QueryField.case_no else node.value
    return _filter(verbatim(CHAR_FIELD[node.field], value))


def _cite(node: Cite) -> dict[str, Any]:
    return {"term": {STATUTE_FIELD: {"value": node.key, "boost": CITE_WEIGHT}}}


def _case_no(node: CaseNo) -> dict[str, Any]:
    return {
        "constant_score": {
            "filter": verbatim(CHAR_FIELD[QueryField.case_no], node.value),
            "boost": CASE_NO_WEIGHT,
        }
    }


def _range(node: Range) -> dict[str, Any]:
    bounds: dict[str, Any] = {}
    if node.lower is not None:
        bounds["gte"] = node.lower
    if node.upper is not None:
        bounds["lte"] = node.upper
    if node.field is QueryField.year:
        return _filter({"range": {"year": bounds}})
    return _filter({"range": {"judgment_date_sort": {**bounds, "format": "strict_date"}}})


def compile_node(node: Node) -> dict[str, Any]:
    match node:
        case Text():
            return _text(node)
        case Cite():
            return _cite(node)
        case CaseNo():
            return _case_no(node)
        case Match():
            return _match(node)
        case Range():
            return _range(node)
        case Not(node=inner):
            return {"bool": {"must": [MATCH_ALL], "must_not": [compile_node(inner)]}}
        case And(nodes=nodes):
            must = [compile_node(n) for n in nodes if not isinstance(n, Not)]
            must_not = [compile_node(n.node) for n in nodes if isinstance(n, Not)]
            return {"bool": {"must": must or [MATCH_ALL], "must_not": must_not}}
        case Or(nodes=nodes):
            return {"bool": {"should": [compile_node(n) for n in nodes], "minimum_should_match": 1}}
    raise TypeError(f"unknown query node {node!r}")  # pragma: no cover


def compile_query(query: SearchQuery, restrict_parties: list[str] | None = None) -> dict[str, Any]:
    q = MATCH_ALL if query.root is None else compile_node(query.root)
    if restrict_parties is None:
        return q
    allowed = {"terms": {"parties": list(restrict_parties)}} if restrict_parties else {"match_none": {}}
    return {"bool": {"must": [q], "filter": [allowed]}}


def facet_aggs(sizes: dict[str, int]) -> dict[str, Any]:
    return {
        name: {"terms": {"field": field, "size": sizes.get(name, 20)}} for name, field in FACET_FIELDS.items()
    }
