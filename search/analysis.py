"""From a judgment row to the plain document an engine indexes.

:func:`to_index_doc` reads an already-loaded ``core.models.Judgment`` (no queries);
:func:`analyse` turns that dict into the engine-neutral field values of :mod:`search.schema`
(segmented words, character tokens, keywords). Both engines index the output of :func:`analyse`.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from core.normalize import normalize_case_no
from core.segment import fold, segment_folded
from core.taxonomy import Outcome, SectionName
from search.query import case_no_key
from search.segment import spaced_grams
from search.statutes import doc_keys


def _date_iso(value: Any) -> str | None:
    if value is None or value == "":
        return None
    if isinstance(value, dt.date):
        return value.isoformat()
    text = str(value)[:10]
    try:
        return dt.date.fromisoformat(text).isoformat()
    except ValueError:
        return None


def _list(value: Any) -> list[str]:
    if not value:
        return []
    if isinstance(value, str):
        return [value]
    return [str(v) for v in value if v]


def judgment_parties(judgment: Any) -> list[str]:
    """THE agency-scope rule, shared by the search engines and the web app (api.access): the names of every
    party in an agency role — defendants (as corrected), the applying agency of an enforcement review and
    third parties. An agency user sees a case when one of their agency's names is among them, exactly."""
    record: dict[str, Any] = judgment.record or {}
    return list(
        dict.fromkeys(
            [
                *_list(judgment.defendants or record.get("defendants")),
                *_list(record.get("applicants")),
                *_list(record.get("third_parties")),
            ]
        )
    )


def _evidence_spans(judgment: Any) -> dict[str, list[int]]:
    """Loss cause → (start, end) of the classifier's first evidence sentence (a filter-only snippet shows it)."""
    classification = getattr(judgment, "classification", None) or {}
    causes = set(_list(judgment.loss_causes))
    out: dict[str, list[int]] = {}
    for tag in classification.get("loss_causes") or []:
        cause, evidence = tag.get("cause"), tag.get("evidence") or []
        if cause in causes and evidence and cause not in out:
            out[cause] = [int(evidence[0]["start"]), int(evidence[0]["end"])]
    return out


def _action_probability(judgment: Any) -> float | None:
    """How sure the classifier was of the stored action type: the model's probability when the model decided
    it, None when its tables read it from the 案由 or the claims, or a reviewer set it (then it is a fact)."""
    classification = getattr(judgment, "classification", None) or {}
    p = classification.get("action_type_probability")
    if p is None or classification.get("action_type") != judgment.action_type:
        return None
    return round(float(p), 3)


def to_index_doc(judgment: Any) -> dict[str, Any]:
    """The document to index for one ``core.models.Judgment`` (or anything with the same attributes)."""
    record: dict[str, Any] = dict(judgment.record or {})
    text: str = record.get("text") or ""
    reasoning = [
        (s["start"], s["end"])
        for s in record.get("sections") or []
        if s.get("name") == SectionName.reasoning.value
    ]
    return {
        "id": int(judgment.id),
        "case_no": judgment.case_no or record.get("case_no"),
        "doc_kind": judgment.doc_kind or record.get("doc_kind"),
        "procedure": judgment.procedure or record.get("procedure"),
        "title": judgment.title or record.get("title"),
        "court": judgment.court or record.get("court"),
        "judgment_date": _date_iso(judgment.judgment_date or record.get("judgment_date")),
        "outcome": judgment.outcome,
        "action_type": judgment.action_type,
        "action_type_probability": _action_probability(judgment),
        "field": judgment.field,
        "loss_causes": _list(judgment.loss_causes),
        "defendants": _list(judgment.defendants or record.get("defendants")),
        "plaintiffs": _list(judgment.plaintiffs or record.get("plaintiffs")),
        "third_parties": _list(record.get("third_parties")),
        "applicants": _list(record.get("applicants")),
        "respondents": _list(record.get("respondents")),
        "parties": judgment_parties(judgment),
        "citations": [
            {k: c.get(k) for k in ("law", "article", "paragraph", "item")}
            for c in record.get("citations") or []
        ],
        "evidence": _evidence_spans(judgment),
        "sued_action": (record.get("sued_action") or {}).get("name"),
        "cause_of_action": record.get("cause_of_action"),
        "text": text,
        "reasoning_spans": reasoning,
        "gist_spans": [
            (s["start"], s["end"]) for s in record.get("sections") or [] if s.get("name") in GIST_SECTIONS
        ],
        "gist_sections": [
            (s["start"], s["end"], s["name"])
            for s in record.get("sections") or []
            if s.get("name") in GIST_SECTIONS
        ],
    }


GIST_SECTIONS = (SectionName.claims.value, SectionName.findings.value)


def _segment_sections(
    folded: str, spans: list[tuple[int, int, str]]
) -> tuple[list[str], list[str], list[str], list[str]]:
    """Words of the whole text, of its reasoning, and of its gist (claims, findings and reasoning: what 类案 are
    compared by), segmenting each character once. Sections end at line breaks, where segmentation is cut
    anyway, so the pieces give the same words as the whole."""
    body: list[str] = []
    reasoning: list[str] = []
    gist: list[str] = []
    claims: list[str] = []
    pos = 0
    for a, b, name in sorted(spans):
        if a < pos:
            continue
        body += segment_folded(folded[pos:a])
        words = segment_folded(folded[a:b])
        body += words
        gist += words
        if name == SectionName.reasoning.value:
            reasoning += words
        elif name == SectionName.claims.value:
            claims += words
        pos = b
    body += segment_folded(folded[pos:])
    return body, reasoning, gist, claims


def _spaced(tokens: list[str]) -> str:
    return " ".join(tokens)


def analyse(doc: dict[str, Any]) -> dict[str, Any]:
    """Engine-neutral field values for one document from :func:`to_index_doc`."""
    text = doc.get("text") or ""
    spans = sorted((int(a), int(b)) for a, b in doc.get("reasoning_spans") or [])
    gist_spans = sorted((int(a), int(b)) for a, b in doc.get("gist_spans") or [])
    folded = fold(text)
    body, reasoning, gist, claims = _segment_sections(
        folded,
        [(a, b, SectionName.reasoning.value) for a, b in spans]
        + [(a, b, n) for a, b, n in doc.get("gist_sections") or [(a, b, "gist") for a, b in gist_spans]],
    )
    # What 类案 are compared by besides the sections: the sued act and the cause of action, weighted twice.
    extra = segment_folded(
        fold(" ".join(x for x in (doc.get("sued_action"), doc.get("cause_of_action")) if x))
    )
    date = doc.get("judgment_date")
    case_no = doc.get("case_no") or ""
    court = doc.get("court") or ""
    # Parties: the agency may be sued (defendants) or apply for enforcement (applicants).
    agencies = list(dict.fromkeys(_list(doc.get("defendants")) + _list(doc.get("applicants"))))
    plaintiffs = _list(doc.get("plaintiffs"))
    cause_of_action = doc.get("cause_of_action") or doc.get("title") or ""
    outcome = doc.get("outcome")
    outcome_member = Outcome.parse(outcome) if outcome else None
    # 当事人: every party role, the 被执行人 of an enforcement review included.
    everyone = list(
        dict.fromkeys(plaintiffs + agencies + _list(doc.get("third_parties")) + _list(doc.get("respondents")))
    )
    case_key = case_no_key(case_no) if case_no else ""
    return {
        "id": int(doc["id"]),
        "body": _spaced(body),
        "reasoning": _spaced(reasoning),
        "gist": _spaced((gist or body) + extra + extra),
        "act": _spaced(claims + extra),
        "body_chars": spaced_grams(folded, folded=True),
        # The number as written and without 字第 (案号: matches either; the query side drops 字第).
        "case_no_chars": list(
            dict.fromkeys([spaced_grams(normalize_case_no(case_no)), spaced_grams(case_key)])
        )
        if case_no
        else [],
        "parties_chars": [spaced_grams(p) for p in everyone],
        "statutes": " ".join(doc_keys(doc.get("citations") or [])),
        "court_chars": spaced_grams(court),
        # Several names: a gap keeps a phrase from running from one name into the next.
        "defendants_chars": [spaced_grams(a) for a in agencies],
        "plaintiffs_chars": [spaced_grams(p) for p in plaintiffs],
        "cause_of_action_chars": spaced_grams(cause_of_action),
        "case_no": [normalize_case_no(case_no)] if case_no else [],
        "doc_kind": _kw(doc.get("doc_kind")),
        "procedure": _kw(doc.get("procedure")),
        "court": _kw(court),
        "outcome": _kw(outcome),
        "action_type": _kw(doc.get("action_type")),
        "field": _kw(doc.get("field")),
        "loss_causes": list(dict.fromkeys(_list(doc.get("loss_causes")))),
        "defendants": agencies,
        # Agency scope: every party in an agency role (defendant, applicant, third party).
        "parties": list(
            dict.fromkeys(_list(doc.get("parties")) or agencies + _list(doc.get("third_parties")))
        ),
        "year": int(date[:4]) if date else case_year(case_no),
        "judgment_date_sort": date,
        "stored": {
            "case_no": case_no or None,
            "title": doc.get("title") or None,
            "court": court or None,
            "judgment_date": date,
            "outcome": outcome_member.value if outcome_member else outcome,
            "action_type": doc.get("action_type"),
            "action_type_probability": doc.get("action_type_probability"),
            "field": doc.get("field"),
            "loss_causes": list(dict.fromkeys(_list(doc.get("loss_causes")))),
            "text": text,
            "reasoning": [spans[0][0], spans[-1][1]] if spans else None,
            "evidence": doc.get("evidence") or {},
            "gist": [[a, b] for a, b in sorted(spans + gist_spans)],
            "claims": [[a, b] for a, b, n in doc.get("gist_sections") or [] if n == SectionName.claims.value],
            "sued_action": doc.get("sued_action"),
            "cause_of_action": doc.get("cause_of_action"),
            "doc_kind": doc.get("doc_kind"),
            "procedure": doc.get("procedure"),
            # The articles it cites (law|article, once each): 类案 share norms.
            "statutes": [
                k
                for k in dict.fromkeys(doc_keys(doc.get("citations") or []))
                if k.count("|") == 1 and not k.startswith("~")
            ],
        },
    }


_CASE_YEAR = re.compile(r"^[（(](\d{4})[）)]")


def case_year(case_no: str | None) -> int | None:
    """The year in a case number, （2023）…: the year for 年份 when the text gives no judgment date
    (placeholder dates ××××年××月××日 in published copies)."""
    m = _CASE_YEAR.match(normalize_case_no(case_no or ""))
    return int(m.group(1)) if m and 1980 <= int(m.group(1)) <= 2100 else None


def _kw(value: Any) -> list[str]:
    return [str(value)] if value else []
