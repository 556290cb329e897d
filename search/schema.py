"""The index schema of both engines, in one place, with its version.

A change to anything here (fields, analysis, what goes into a field) means a rebuild: bump
:data:`SCHEMA_VERSION`. ``anjian reindex`` builds a new index (embedded: a new directory; Elasticsearch:
``<alias>-v<SCHEMA_VERSION>-<timestamp>``) and swaps it in atomically.

Analysis is done in Python for both engines (:mod:`search.analysis`), so both see the same tokens:
- ``body`` / ``reasoning``: jieba words (search.segment.segment) joined by spaces → whitespace analyser.
  Scored with BM25; the reasoning (本院认为) gets a boost.
- ``*_chars``: overlapping character bigrams of the text without spaces (punctuation kept; the last
  character alone) → whitespace analyser with positions. Plain words and quoted phrases must match
  here as a phrase of their bigrams, i.e. verbatim, whatever the segmenter did. Bigrams, not single
  characters: their postings are short, so phrases stay fast at 100,000 judgments. (Stock
  Elasticsearch has no Chinese analyser; this needs no plugin.)
- keyword fields (codes, names, case number) for filters and facets; ``parties`` (every defendant,
  applicant and third party, exact names) only restricts an agency user's results (:func:`search.analysis.judgment_parties`).
"""

from __future__ import annotations

from typing import Any

SCHEMA_VERSION = (
    4  # 3: keyword field ``parties`` (agency scope); 4: statutes, parties_chars, case numbers without 字第
)

# Keyword fields used for filters and facets: facet name → index field.
FACET_FIELDS: dict[str, str] = {
    "court": "court",
    "year": "year",
    "procedure": "procedure",
    "outcome": "outcome",
    "cause": "loss_causes",
    "action_type": "action_type",
    "field": "field",
    "defendant": "defendants",
}
KEYWORD_FIELDS = [
    "case_no",
    "doc_kind",
    "procedure",
    "court",
    "outcome",
    "action_type",
    "field",
    "loss_causes",
    "defendants",
    "parties",
]
CHAR_FIELDS = [
    "body_chars",
    "case_no_chars",
    "court_chars",
    "defendants_chars",
    "plaintiffs_chars",
    "cause_of_action_chars",
    "parties_chars",
]
TOKEN_FIELDS = ["body", "reasoning"]
# 类案: words of the claims, findings and reasoning, plus the sued act and cause of action (twice).
GIST_FIELD = "gist"
ACT_FIELD = "act"  # what is sued and asked for: the claims, the sued act, the cause of action
# Cited norms (search.statutes.doc_keys): whitespace-separated tokens with frequencies (cited thrice > once).
STATUTE_FIELD = "statutes"
# What a hit shows (and similar() needs) is kept, not searched, in one field ``stored``:
# {case_no, title, court, judgment_date, outcome, action_type, field, loss_causes, text, reasoning: [a, b]}.
BOOSTS = {"body": 1.0, "reasoning": 2.0}


# --- tantivy -------------------------------------------------------------------------------------


def tantivy_schema() -> Any:
    import tantivy

    sb = tantivy.SchemaBuilder()
    sb.add_integer_field("id", stored=True, indexed=True, fast=True)
    for name in [*TOKEN_FIELDS, GIST_FIELD, ACT_FIELD, STATUTE_FIELD]:
        sb.add_text_field(name, tokenizer_name="whitespace", index_option="freq")
    for name in CHAR_FIELDS:
        sb.add_text_field(name, tokenizer_name="whitespace", index_option="position")
    for name in KEYWORD_FIELDS:
        sb.add_text_field(name, tokenizer_name="raw", index_option="basic", fast=True)
    sb.add_integer_field("year", indexed=True, fast=True)
    sb.add_date_field("judgment_date_sort", indexed=True, fast=True)
    sb.add_bytes_field("stored", stored=True)  # JSON, UTF-8; not indexed
    return sb.build()


# --- Elasticsearch -----------------------------------------------------------------------------

ES_SETTINGS: dict[str, Any] = {
    "number_of_shards": 1,
    "number_of_replicas": 0,
    "analysis": {
        "analyzer": {
            # Tokens were made in Python (jieba / characters); the engine only splits on spaces.
            "pretokenized": {"type": "custom", "tokenizer": "whitespace", "filter": ["lowercase"]},
        }
    },
}


def es_mappings(segmenter: str) -> dict[str, Any]:
    props: dict[str, Any] = {"id": {"type": "long"}}
    for name in TOKEN_FIELDS:
        props[name] = {"type": "text", "analyzer": "pretokenized", "index_options": "freqs", "norms": True}
    for name in (GIST_FIELD, ACT_FIELD):
        props[name] = {"type": "text", "analyzer": "pretokenized", "index_options": "freqs", "norms": True}
    props[STATUTE_FIELD] = {
        "type": "text",
        "analyzer": "whitespace",
        "index_options": "freqs",
        "norms": False,
    }
    for name in CHAR_FIELDS:
        props[name] = {
            "type": "text",
            "analyzer": "pretokenized",
            "index_options": "positions",
            "position_increment_gap": 100,
        }
    for name in KEYWORD_FIELDS:
        props[name] = {"type": "keyword"}
    props["year"] = {"type": "integer"}
    props["judgment_date_sort"] = {"type": "date", "format": "strict_date"}
    props["stored"] = {"type": "object", "enabled": False}  # kept in _source, not indexed
    return {
        "dynamic": "strict",
        "_meta": {"schema_version": SCHEMA_VERSION, "segmenter": segmenter},
        # Only what a hit displays is kept: the analysed fields (bigrams, words) are indexed, not stored.
        "_source": {"includes": ["id", "stored"]},
        "properties": props,
    }


def es_index_body(segmenter: str) -> dict[str, Any]:
    return {"settings": ES_SETTINGS, "mappings": es_mappings(segmenter)}
