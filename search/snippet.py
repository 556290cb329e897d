"""Snippets: a window of the ORIGINAL text with the query's words marked ``<mark>…</mark>``.

Both engines use this function, so highlights look the same whatever the engine. Matching follows
the search rule: a term matches verbatim, ignoring spaces and letter width/case (see segment.fold),
searched in the original text itself (no folded copy: offsets are the original's).
"""

from __future__ import annotations

import html
import re
from functools import lru_cache

from search.segment import chars

WIDTH = 140
MAX_MATCHES_PER_TERM = 200


def _variants(c: str) -> str:
    """A regex class of the forms :func:`search.segment.fold` maps to ``c`` (width and case)."""
    forms = {c, c.upper()}
    for f in list(forms):
        if "!" <= f <= "~":
            forms.add(chr(ord(f) + 0xFEE0))
    return "[" + "".join(re.escape(f) for f in sorted(forms)) + "]" if len(forms) > 1 else re.escape(c)


@lru_cache(maxsize=512)
def _pattern(term: str) -> re.Pattern[str] | None:
    """Matches ``term`` in the ORIGINAL text the way the index does: any width or case, spaces ignored."""
    cs = chars(term)
    if not cs:
        return None
    return re.compile(r"\s*".join(_variants(c) for c in cs))


def _spans(text: str, terms: list[str]) -> list[tuple[int, int, int]]:
    """(start, end, term index) of every match."""
    out: list[tuple[int, int, int]] = []
    for k, term in enumerate(terms):
        pat = _pattern(term)
        if pat is None:
            continue
        for n, m in enumerate(pat.finditer(text)):
            if n >= MAX_MATCHES_PER_TERM:
                break
            out.append((m.start(), m.end(), k))
    out.sort()
    return out


def _best_window(spans: list[tuple[int, int, int]], text_len: int, prefer: tuple[int, int]) -> int:
    best, best_score = 0, -1.0
    lead = WIDTH // 6
    for start, _end, _k in spans:
        w0 = max(0, start - lead)
        w1 = w0 + WIDTH
        inside = [s for s in spans if s[0] >= w0 and s[1] <= w1]
        score = len({s[2] for s in inside}) * 10 + len(inside)
        if prefer[0] <= start < prefer[1]:
            score += 5  # the court's reasoning says more than the parties' claims
        if score > best_score:
            best, best_score = w0, score
    return min(best, max(0, text_len - WIDTH))


def make_snippet(
    text: str,
    terms: list[str],
    reasoning: tuple[int, int] = (-1, -1),
    focus: tuple[int, int] | None = None,
) -> str:
    """HTML: a window of ``text`` around the best cluster of ``terms``, hits in <mark>. ``focus`` (the
    evidence sentence of a loss cause asked for by a filter-only query) wins over the clusters."""
    if not text:
        return ""
    spans = _spans(text, [t for t in terms if t])
    if focus is not None and 0 <= focus[0] < len(text):
        # The evidence sentence, from its start (a little context before it when it is short).
        length = focus[1] - focus[0]
        w0 = max(0, focus[0] - max(0, (WIDTH - length) // 4)) if length < WIDTH else focus[0]
        w0 = min(w0, max(0, len(text) - WIDTH)) if length < WIDTH else w0
    elif spans:
        w0 = _best_window(spans, len(text), reasoning)
    elif reasoning[0] >= 0:
        w0 = reasoning[0]
    else:
        w0 = 0
    w1 = min(len(text), w0 + WIDTH)
    if focus is not None and 0 <= focus[0] < len(text):
        # The evidence sentence is what the filter asked about: marked like a hit (terms inside it merge).
        spans = sorted([s for s in spans if not (focus[0] <= s[0] < focus[1])] + [(focus[0], focus[1], -1)])
    parts: list[str] = []
    pos = w0
    for start, end, _k in spans:
        if start < pos or start >= w1:
            continue
        end = min(end, w1)
        parts.append(html.escape(text[pos:start]))
        parts.append("<mark>" + html.escape(text[start:end]) + "</mark>")
        pos = end
    parts.append(html.escape(text[pos:w1]))
    body = re.sub(r"\s+", " ", "".join(parts)).strip()
    return ("…" if w0 > 0 else "") + body + ("…" if w1 < len(text) else "")


def evidence_focus(stored: dict, causes: list[str]) -> tuple[int, int] | None:
    """The stored evidence span of the first asked-for cause the judgment has (else of any cause asked)."""
    evidence = stored.get("evidence") or {}
    for cause in causes:
        span = evidence.get(cause)
        if span:
            return int(span[0]), int(span[1])
    return None


def hit_from_stored(  # type: ignore[no-untyped-def]
    judgment_id: int, stored: dict, score: float, terms: list[str], causes: list[str] | None = None
):
    """A search hit from the ``stored`` field of the index (see search.schema). ``causes``: the loss causes a
    query without words filters by — the snippet is then the classifier's evidence sentence."""
    from search.types import Hit

    span = tuple(stored.get("reasoning") or (-1, -1))
    focus = evidence_focus(stored, causes) if causes else None
    return Hit(
        id=int(judgment_id),
        case_no=stored.get("case_no"),
        title=stored.get("title"),
        court=stored.get("court"),
        judgment_date=stored.get("judgment_date"),
        outcome=stored.get("outcome"),
        score=round(float(score), 4),
        snippet=make_snippet(stored.get("text") or "", terms, span, focus),  # type: ignore[arg-type]
    )
