"""Search's own token forms over the one tokenizer of :mod:`core.segment`: the character bigrams of the
verbatim fields and the bigrams a quoted phrase must show.
"""

from __future__ import annotations

import operator
import re

from core.segment import fold

_SPACE = re.compile(r"\s+")


def chars(text: str) -> list[str]:
    """Every non-space character of ``text``, folded."""
    return list(_SPACE.sub("", fold(text)))


def grams(text: str, folded: bool = False) -> list[str]:
    """Tokens of the verbatim field: overlapping character bigrams of the text without spaces, and the
    last character alone (so that every character starts a token). "强制拆除" → 强制 制拆 拆除 除."""
    s = _SPACE.sub("", text if folded else fold(text))
    if not s:
        return []
    return [*map(operator.add, s, s[1:]), s[-1]]


def spaced_grams(text: str, folded: bool = False) -> str:
    """:func:`grams` joined by spaces (what the whitespace analyser of a ``*_chars`` field receives)."""
    return " ".join(grams(text, folded))


def query_grams(text: str) -> list[str]:
    """The bigrams a phrase must show at consecutive positions ("强制拆除" → 强制 制拆 拆除); a single
    character gives [c], to be matched as a prefix."""
    cs = chars(text)
    if len(cs) <= 1:
        return cs
    return ["".join(cs[i : i + 2]) for i in range(len(cs) - 1)]
