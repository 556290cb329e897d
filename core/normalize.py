"""The canonical normalisers every layer shares: case numbers and names.

Exactly one definition of each lives here. Text normalisation with an offset map (for quoting verbatim)
stays in :mod:`ingest.normalize`; this module only says when two spellings are the same thing.
"""

from __future__ import annotations

import re
from functools import lru_cache

SPACES = frozenset(
    {" ", "\t", "\u3000", "\u00a0", "\u2002", "\u2003", "\u2009", "\u200b", "\ufeff", "\r", "\f", "\v"}
)
# Brackets folded to the Chinese full-width form used in judgments.
_BRACKETS = {"(": "（", ")": "）", "﹙": "（", "﹚": "）"}


def fold_char(ch: str) -> str:
    """Full-width ASCII → half-width (digits, Latin, most punctuation), brackets → （）."""
    code = ord(ch)
    if ch in _BRACKETS:
        return _BRACKETS[ch]
    if 0xFF10 <= code <= 0xFF19 or 0xFF21 <= code <= 0xFF3A or 0xFF41 <= code <= 0xFF5A:
        return chr(code - 0xFEE0)
    if ch == "．":
        return "."
    return ch


# fold_char over a whole string at once (``text.translate(FOLD_TABLE)``): every character it changes
FOLD_TABLE = str.maketrans(
    {c: fold_char(c) for c in (*_BRACKETS, "．", *map(chr, range(0xFF10, 0xFF5B))) if fold_char(c) != c}
)


_CASE_BRACKETS = str.maketrans(
    {
        "(": "（",
        ")": "）",
        "〔": "（",
        "〕": "）",
        "［": "（",
        "］": "）",
        "[": "（",
        "]": "）",
        "【": "（",
        "】": "）",
        "〈": "（",
        "〉": "）",
        "﹝": "（",
        "﹞": "）",
        "｛": "（",
        "｝": "）",
    }
)
# A year in the leading bracket with letters or 〇 that OCR and typists put for zeros: （2O19）, （二〇一九） stays.
_YEAR = re.compile(r"^（([0-9OoＯ〇]{4})）")
_ZEROS = str.maketrans({"O": "0", "o": "0", "Ｏ": "0", "〇": "0"})
_CANONICAL = re.compile(
    r"（[0-9]{4}）[^\s()\[\]〔〕［］【】﹝﹞｛｝\uff10-\uff19\uff21-\uff3a\uff41-\uff5a\u3000]*"
)


@lru_cache(maxsize=200_000)
def normalize_case_no(s: str) -> str:
    """Canonical case number: ``（2019）豫0721行初15号`` — full-width brackets, no spaces, ASCII digits,
    a year misread with O or 〇 for zero repaired."""
    if _CANONICAL.fullmatch(s):
        return s
    folded = "".join(fold_char(ch) for ch in s if ch not in SPACES and not ch.isspace()).translate(
        _CASE_BRACKETS
    )
    m = _YEAR.match(folded)
    if m and not m.group(1).isdigit():
        folded = f"（{m.group(1).translate(_ZEROS)}）{folded[m.end() :]}"
    return folded


def normalize_name(s: str) -> str:
    """A party or court name compared across sources: widths folded, spaces dropped, brackets （）."""
    folded = "".join(fold_char(ch) for ch in s if ch not in SPACES and not ch.isspace()).translate(
        _CASE_BRACKETS
    )
    return folded.strip("，。、；：,.;: ")
