"""SearchQuery → tantivy Query, by pure functions (the schema is the only input besides the query)."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import tantivy
from tantivy import Occur
from tantivy import Query as Q

from core.segment import segment
from search.query import (
    And,
    CaseNo,
    Cite,
    Match,
    Node,
    Not,
    Or,
    QueryField,
    Range,
    SearchQuery,
    Text,
    canonical_case_no,
    case_no_key,
)
from search.schema import BOOSTS, STATUTE_FIELD
from search.segment import query_grams

CHAR_FIELD = {
    QueryField.case_no: "case_no_chars",
    QueryField.court: "court_chars",
    QueryField.defendant: "defendants_chars",
    QueryField.plaintiff: "plaintiffs_chars",
    QueryField.cause_of_action: "cause_of_action_chars",
    QueryField.party: "parties_chars",
}
KEYWORD_FIELD = {
    QueryField.procedure: "procedure",
    QueryField.doc_kind: "doc_kind",
    QueryField.outcome: "outcome",
    QueryField.cause: "loss_causes",
    QueryField.action_type: "action_type",
    QueryField.field: "field",
}
VERBATIM_WEIGHT = 0.2  # unquoted: the character phrase decides what matches; jieba words decide the order
PHRASE_WEIGHT = 3.0  # quoted: the phrase itself is the score (BM25 of its occurrences)
CASE_NO_WEIGHT = 20.0  # a case number typed in free text: its own judgment before those citing it
CITE_WEIGHT = 2.0  # a cited norm: judgments citing it more often first


def case_no_value(value: str) -> str:
    """The case-number key a ``案号:`` value is compared by (any bracket or none, 字第 optional)."""
    return canonical_case_no(value) or case_no_key(value)


def verbatim(schema: Any, field: str, text: str) -> Any:
    """``text`` must occur in ``field`` as consecutive characters (punctuation included, spaces ignored):
    its bigrams at consecutive positions; one character: any token starting with it."""
    gs = query_grams(text)
    if not gs:
        return Q.all_query()
    if len(gs[0]) == 1:
        return Q.regex_query(schema, field, re.escape(gs[0]) + ".?")
    if len(gs) == 1:
        return Q.term_query(schema, field, gs[0], index_option="freq")
    words: list[str | tuple[int, str]] = list(gs)
    return Q.phrase_query(schema, field, words)


def _scored_words(schema: Any, text: str) -> list[tuple[Any, Any]]:
    out = []
    for word in dict.fromkeys(segment(text)):
        for field, boost in BOOSTS.items():
            out.append(
                (Occur.Should, Q.boost_query(Q.term_query(schema, field, word, index_option="freq"), boost))
            )
    return out


def _text(schema: Any, node: Text) -> Any:
    if node.quoted:  # scored by the phrase, not by the words a fragment cut mid-word would produce
        return Q.boost_query(verbatim(schema, "body_chars", node.value), PHRASE_WEIGHT)
    must = Q.boost_query(verbatim(schema, "body_chars", node.value), VERBATIM_WEIGHT)
    return Q.boolean_query([(Occur.Must, must), *_scored_words(schema, node.value)])


def _cite(schema: Any, node: Cite) -> Any:
    return Q.boost_query(Q.term_query(schema, STATUTE_FIELD, node.key, index_option="freq"), CITE_WEIGHT)


def _case_no(schema: Any, node: CaseNo) -> Any:
    return Q.boost_query(
        Q.const_score_query(verbatim(schema, CHAR_FIELD[QueryField.case_no], node.value), 1.0), CASE_NO_WEIGHT
    )


def _match(schema: Any, node: Match) -> Any:
    if node.field in KEYWORD_FIELD:
        q = Q.term_query(schema, KEYWORD_FIELD[node.field], node.value, index_option="basic")
    elif node.field is QueryField.case_no:
        q = verbatim(schema, CHAR_FIELD[node.field], case_no_value(node.value))
    else:
        q = verbatim(schema, CHAR_FIELD[node.field], node.value)
    return Q.const_score_query(q, 0.0)


def _as_datetime(iso: str) -> dt.datetime:
    return dt.datetime.combine(dt.date.fromisoformat(iso), dt.time())


def _range(schema: Any, node: Range) -> Any:
    if node.field is QueryField.year:
        q = Q.range_query(schema, "year", tantivy.FieldType.Integer, node.lower, node.upper)
    else:
        lo = _as_datetime(str(node.lower)) if node.lower else None
        hi = _as_datetime(str(node.upper)) if node.upper else None
        q = Q.range_query(schema, "judgment_date_sort", tantivy.FieldType.Date, lo, hi)
    return Q.const_score_query(q, 0.0)


def compile_node(schema: Any, node: Node) -> Any:
    match node:
        case Text():
            return _text(schema, node)
        case Cite():
            return _cite(schema, node)
        case CaseNo():
            return _case_no(schema, node)
        case Match():
            return _match(schema, node)
        case Range():
            return _range(schema, node)
        case Not(node=inner):
            return Q.boolean_query(
                [(Occur.Must, Q.all_query()), (Occur.MustNot, compile_node(schema, inner))]
            )
        case And(nodes=nodes):
            clauses = [
                (Occur.MustNot, compile_node(schema, n.node))
                if isinstance(n, Not)
                else (Occur.Must, compile_node(schema, n))
                for n in nodes
            ]
            if all(occ == Occur.MustNot for occ, _ in clauses):
                clauses.append((Occur.Must, Q.all_query()))
            return Q.boolean_query(clauses)
        case Or(nodes=nodes):
            return Q.boolean_query([(Occur.Should, compile_node(schema, n)) for n in nodes])
    raise TypeError(f"unknown query node {node!r}")  # pragma: no cover


def compile_query(schema: Any, query: SearchQuery, restrict_parties: list[str] | None = None) -> Any:
    q = Q.all_query() if query.root is None else compile_node(schema, query.root)
    if restrict_parties is None:
        return q
    allowed = (
        Q.term_set_query(schema, "parties", list(restrict_parties)) if restrict_parties else Q.empty_query()
    )
    return Q.boolean_query([(Occur.Must, q), (Occur.Must, Q.const_score_query(allowed, 0.0))])
