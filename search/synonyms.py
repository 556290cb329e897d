"""Legal synonyms and common abbreviations (强拆 = 强制拆除, 人社局 = 人力资源和社会保障局), kept as data in
``synonyms.txt`` and expanded at query time by the shared query builder (:mod:`search.query`), so both engines
search the same alternatives. Nothing is expanded at indexing time: editing the file needs no rebuild.

A plain word that *is* one of a group's terms becomes all of them; a word that *contains* a term of three or
more characters becomes the word with that term replaced by each of the others (承德市人社局 →
承德市人力资源和社会保障局 …). Quoted phrases are never expanded: they match verbatim.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from core.segment import fold

SYNONYMS_PATH = Path(__file__).with_name("synonyms.txt")
MIN_INNER = 3  # shorter terms (强拆, 社保) expand only as whole words: inside longer words they mislead
MAX_VARIANTS = 8


def parse_groups(text: str) -> list[tuple[str, ...]]:
    """Groups of one line each; ``#`` starts a comment; terms separated by spaces (or ASCII/Chinese commas)."""
    groups = []
    for line in text.splitlines():
        line = line.split("#", 1)[0].replace(",", " ").replace("，", " ").replace("、", " ")
        terms = tuple(dict.fromkeys(t for t in line.split() if t))
        if len(terms) >= 2:
            groups.append(terms)
    return groups


@lru_cache(maxsize=1)
def _groups() -> tuple[tuple[str, ...], ...]:
    return tuple(parse_groups(SYNONYMS_PATH.read_text("utf-8"))) if SYNONYMS_PATH.exists() else ()


@lru_cache(maxsize=1)
def _index() -> tuple[dict[str, tuple[str, ...]], list[tuple[str, tuple[str, ...]]]]:
    whole: dict[str, tuple[str, ...]] = {}
    inner: list[tuple[str, tuple[str, ...]]] = []
    for group in _groups():
        for term in group:
            whole.setdefault(fold(term), group)
            if len(term) >= MIN_INNER:
                inner.append((fold(term), group))
    inner.sort(
        key=lambda item: -len(item[0])
    )  # the longest term inside a word wins (政府信息公开 over 信息公开)
    return whole, inner


def variants(word: str) -> list[str]:
    """``word`` first, then its synonyms (at most :data:`MAX_VARIANTS` in all); ``[word]`` when it has none."""
    whole, inner = _index()
    key = fold(word)
    group = whole.get(key)
    if group is not None:
        out = [word, *(t for t in group if fold(t) != key)]
        return out[:MAX_VARIANTS]
    for term, group in inner:
        at = key.find(term)
        if at >= 0 and len(key) > len(term):
            out = [
                word,
                *(key[:at] + other + key[at + len(term) :] for other in group if fold(other) != term),
            ]
            return list(dict.fromkeys(out))[:MAX_VARIANTS]
    return [word]


def groups() -> list[tuple[str, ...]]:
    """Every synonym group of the data file (for the help text and the tests)."""
    return list(_groups())
