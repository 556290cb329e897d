"""“您是不是要找” on zero results: a typed word that occurs nowhere is compared with a vocabulary — the legal
dictionary of the one tokenizer, the synonyms, the Chinese names of the coded values, then jieba's general
dictionary — and the nearest words (one character substituted, added or dropped) that DO occur in the index
are offered as corrected queries: 违返法定程序 → 违反法定程序, 行政处伐 → 行政处罚.

Pure except for ``hits_of`` (how many judgments contain a word verbatim), which the engine supplies, so the
index decides which candidate is real.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterable, Iterator
from functools import lru_cache
from pathlib import Path

from core.segment import dictionary_words, fold
from search.query import And as AndNode
from search.query import Node, Not, SearchQuery, Text
from search.query import Or as OrNode

MAX_SUGGESTIONS = 3
MAX_CHECKS = 12  # candidate words looked up in the index per query
GENERAL_MIN_FREQ = 20  # jieba dictionary words rarer than this are noise for suggestions


@lru_cache(maxsize=1)
def _legal_vocabulary() -> tuple[str, ...]:
    from core.taxonomy import ActionType, LossCause, Outcome, Procedure
    from core.taxonomy import Field as EnforcementField
    from search.synonyms import groups

    words: list[str] = list(dictionary_words())
    for group in groups():
        words += list(group)
    for enum in (ActionType, LossCause, Outcome, Procedure, EnforcementField):
        words += [m.zh for m in enum]
    return tuple(dict.fromkeys(fold(w) for w in words if len(w) >= 2))


@lru_cache(maxsize=1)
def _general_vocabulary() -> dict[tuple[int, int, str], tuple[str, ...]]:
    """jieba's dictionary (2–8 Chinese characters, frequent words, most frequent first) bucketed by
    (length, 0, first character) and (length, -1, last character): a one-character typo keeps at least one of
    them, so a lookup reads two small buckets instead of the whole dictionary."""
    try:
        import jieba

        path = Path(jieba.__file__).with_name("dict.txt")
        lines = path.read_text("utf-8").splitlines()
    except (ImportError, OSError):  # pragma: no cover - depends on the environment
        return {}
    words: list[tuple[int, str]] = []
    for line in lines:
        parts = line.split()
        if len(parts) < 2 or not parts[1].isdigit() or int(parts[1]) < GENERAL_MIN_FREQ:
            continue
        word = parts[0]
        if 2 <= len(word) <= 8 and all("\u4e00" <= c <= "\u9fff" for c in word):
            words.append((int(parts[1]), word))
    words.sort(reverse=True)
    buckets: dict[tuple[int, int, str], list[str]] = {}
    for _, w in words:
        buckets.setdefault((len(w), 0, w[0]), []).append(w)
        buckets.setdefault((len(w), -1, w[-1]), []).append(w)
    return {k: tuple(v) for k, v in buckets.items()}


def within_one_edit(a: str, b: str) -> bool:
    """True when ``b`` is ``a`` with one character substituted, inserted or deleted (not equal)."""
    if a == b or abs(len(a) - len(b)) > 1:
        return False
    if len(a) == len(b):
        return sum(x != y for x, y in zip(a, b, strict=True)) == 1
    short, long = (a, b) if len(a) < len(b) else (b, a)
    for i in range(len(long)):
        if long[:i] + long[i + 1 :] == short:
            return True
    return False


def candidates(term: str) -> Iterator[str]:
    """Vocabulary words one edit away from ``term``, best first: legal words, then general ones by frequency
    (the general dictionary is read only when the legal words are exhausted)."""
    key = fold(term)
    if len(key) < 2:
        return
    seen: set[str] = set()
    for w in _legal_vocabulary():
        if within_one_edit(key, w):
            seen.add(w)
            yield w
    general = _general_vocabulary()
    for n in (len(key), len(key) - 1, len(key) + 1):
        if n < 2:
            continue
        for w in (*general.get((n, 0, key[0]), ()), *general.get((n, -1, key[-1]), ())):
            if w not in seen and within_one_edit(key, w):
                seen.add(w)
                yield w


def _text_terms(node: Node | None, negated: bool = False) -> Iterable[str]:
    match node:
        case Text(value=v) if not negated:
            yield v
        case Not(node=n):
            yield from _text_terms(n, not negated)
        case AndNode(nodes=ns) | OrNode(nodes=ns):
            for n in ns:
                yield from _text_terms(n, negated)


def suggest(query: SearchQuery, hits_of: Callable[[str], int]) -> list[str]:
    """Corrected query texts (at most :data:`MAX_SUGGESTIONS`) for a query that found nothing: each word that
    occurs nowhere replaced by the nearest vocabulary word that occurs somewhere."""
    fixes: dict[str, str] = {}
    checks = 0
    for term in dict.fromkeys(_text_terms(query.root)):
        if term in fixes or checks >= MAX_CHECKS * 2:
            continue
        checks += 1
        if hits_of(term) > 0:
            continue
        for cand in itertools.islice(candidates(term), MAX_CHECKS):
            checks += 1
            if hits_of(cand) > 0:  # candidates come best-first: the legal word, then the most frequent
                fixes[term] = cand
                break
    if not fixes:
        return []
    out = [_replace_all(query.text, fixes)]
    if len(fixes) > 1:  # also each fix alone
        out += [_replace_all(query.text, {k: v}) for k, v in fixes.items()]
    return list(dict.fromkeys(o for o in out if o != query.text))[:MAX_SUGGESTIONS]


def _replace_all(text: str, fixes: dict[str, str]) -> str:
    for wrong, right in sorted(fixes.items(), key=lambda kv: -len(kv[0])):
        text = text.replace(wrong, right)
    return text
