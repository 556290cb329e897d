"""类案 (similar cases), the same for both engines: what a judgment is compared by, and how candidates are
ranked.

1. **Text**: the judgment's most telling words (tf·idf, :func:`key_terms`) of its claims, findings and reasoning,
   plus the sued act and the cause of action (they say what the case is about: 《不予认定工伤决定书》, 行政处罚),
   searched in the others' ``gist`` field (the same sections), and the norms it cites (``statutes``:
   工伤保险条例第十四条 says "工伤认定" better than any label). The engine returns the best
   :data:`CANDIDATES`.
2. **Rerank** (:func:`rerank`): the text score, normalised to the best candidate, plus bonuses for the same
   action type (weighed by how sure the classifier is of both, see :func:`action_belief`), field and outcome and
   each shared loss cause. A procedural ruling (dismissed, withdrawn, enforcement review) is never offered for
   a merits judgment; cases marked "not similar" (``exclude``) are never offered.

The classifier's action type is its one label that decides whether a 类案 is of any use, and it is wrong on one
judgment in five it has not seen (more where its tables find no 案由 and the model guesses). So the label is used
as evidence, not as a fact: ``other`` is the classifier abstaining and matches nothing; a type the model guessed
with probability *p* counts *p*, the rest of the belief going to the types of the query's closest texts; a type
its tables read from the 案由 or the claims (or a reviewer set) counts fully.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Callable
from typing import Any

from core.segment import segment

CANDIDATES = 60
KEY_TERMS = 40
ACT_TERMS = 15
ACT_WEIGHT = 2.0  # the act's words relative to the gist's (what is sued says the kind of case)
STATUTE_WEIGHT = 0.6  # per shared cited article, relative to the best word (1.0)
MERITS = frozenset({"agency_lost", "agency_won"})
# ``other`` is what the classifier says when it cannot tell (action_min_probability): no evidence of a type
UNKNOWN_ACTION = frozenset({"", "other"})
NEIGHBOURS = 5  # the closest texts whose types share the belief the classifier leaves open
BONUS = {
    "action_type": 1.0,  # a sure match of the act counts as much as the best text score
    "field": 0.2,
    "outcome": 0.1,
    "cause": 0.1,
    "doc_kind": 0.05,
    "procedure": 0.1,
}


def basis_text(stored: dict[str, Any]) -> str:
    """The text a judgment is compared by: its claims, findings and reasoning (else its whole text), the sued
    act and the cause of action."""
    text = stored.get("text") or ""
    spans = stored.get("gist") or ([stored["reasoning"]] if stored.get("reasoning") else [])
    pieces = [text[a:b] for a, b in spans if 0 <= a < b] or [text]
    for extra in (stored.get("sued_action"), stored.get("cause_of_action")):
        if extra:
            pieces += [extra, extra]
    return "\n".join(pieces)


def basis_words(stored: dict[str, Any]) -> Counter[str]:
    return Counter(segment(basis_text(stored)))


def act_words(stored: dict[str, Any]) -> Counter[str]:
    """Words of what is sued and asked for: the claims, the sued act, the cause of action."""
    text = stored.get("text") or ""
    pieces = [text[a:b] for a, b in stored.get("claims") or [] if 0 <= a < b]
    pieces += [x for x in (stored.get("sued_action"), stored.get("cause_of_action")) if x]
    return Counter(segment("\n".join(pieces)))


def key_terms(
    tf: Counter[str], doc_freq: Callable[[str], int], n_docs: int, limit: int = 25
) -> list[tuple[str, float]]:
    """The most telling words (both engines): tf·idf over words of ≥ 2 characters seen in ≥ 2 judgments;
    weights scaled so that the best word has 1."""
    scored = []
    for term, freq in tf.items():
        if len(term) < 2 or term.isdigit():
            continue
        df = doc_freq(term)
        if df < 2:
            continue
        idf = math.log(1 + (n_docs - df + 0.5) / (df + 0.5))
        scored.append((term, (1 + math.log(freq)) * idf))
    scored.sort(key=lambda x: (-x[1], x[0]))
    top = scored[:limit]
    if not top:
        return []
    best = top[0][1]
    return [(t, round(max(0.1, w / best), 3)) for t, w in top]


def statute_articles(stored: dict[str, Any]) -> list[str]:
    """The law|article tokens the judgment cites (stored at indexing)."""
    return list(stored.get("statutes") or [])


def is_procedural(stored: dict[str, Any]) -> bool:
    return (stored.get("outcome") or "") not in MERITS


def action_of(stored: dict[str, Any]) -> tuple[str | None, float]:
    """(action type, how sure): 1.0 when the classifier's tables read it or a reviewer set it, the model's
    probability when the model guessed it; (None, 0) when the classifier abstained."""
    action = stored.get("action_type") or ""
    if action in UNKNOWN_ACTION:
        return None, 0.0
    p = stored.get("action_type_probability")
    return action, 1.0 if p is None else max(0.0, min(1.0, float(p)))


def action_belief(query: dict[str, Any], neighbours: list[tuple[float, dict[str, Any]]]) -> dict[str, float]:
    """What the query's action type probably is: its own type as far as the classifier is sure of it, the rest
    shared among the known types of its closest texts (``neighbours``: (normalised text score, stored)),
    in proportion to their text scores and how sure the classifier is of them."""
    own, sure = action_of(query)
    votes: dict[str, float] = {}
    for score, stored in neighbours[:NEIGHBOURS]:
        action, p = action_of(stored)
        if action:
            votes[action] = votes.get(action, 0.0) + score * p
    total = sum(votes.values())
    belief = {a: (1.0 - sure) * v / total for a, v in votes.items()} if total else {}
    if own:
        belief[own] = belief.get(own, 0.0) + sure
    return belief


def rerank(
    query: dict[str, Any],
    candidates: list[tuple[int, float, dict[str, Any]]],
    size: int,
    exclude: set[int] | frozenset[int] = frozenset(),
) -> list[tuple[int, float, dict[str, Any]]]:
    """``candidates``: (id, text score, stored) from the engine → the best ``size``, ranked."""
    merits = not is_procedural(query)
    kept = [c for c in candidates if c[0] not in exclude and not (merits and c[2] and is_procedural(c[2]))]
    if not kept:
        return []
    best = max(score for _, score, _ in kept) or 1.0
    by_text = sorted(kept, key=lambda c: (-c[1], c[0]))
    belief = action_belief(query, [(score / best, stored) for _, score, stored in by_text])
    causes = set(query.get("loss_causes") or [])
    ranked = []
    for jid, score, stored in kept:
        total = score / best
        action, sure = action_of(stored)
        if action:
            total += BONUS["action_type"] * belief.get(action, 0.0) * sure
        for name in ("field", "outcome", "doc_kind", "procedure"):
            if query.get(name) and stored.get(name) == query.get(name):
                total += BONUS[name]
        total += BONUS["cause"] * len(causes & set(stored.get("loss_causes") or []))
        ranked.append((jid, round(total, 4), stored))
    ranked.sort(key=lambda r: (-r[1], r[0]))
    return ranked[:size]
