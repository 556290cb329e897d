"""Normalised text with an offset map back to the raw text.

PDF text layers, LibreOffice exports and OCR disagree on width and spacing: ``豫 0721 行初``,
``（２０１９）``, ``审　判　长``. Every matcher in ``ingest`` works on :func:`normalize`'s output and
maps what it finds back to raw offsets, so quotes stay verbatim.
"""

from __future__ import annotations

import re

from core.normalize import FOLD_TABLE as _FOLD_TABLE
from core.normalize import SPACES as _SPACES

# Characters that look like a zero in Chinese dates (OCR and typists mix them up); folded by dates.py.
_ASCII_ALNUM = re.compile(r"[0-9A-Za-z]")
_SPACE_RUN = re.compile("[" + re.escape("".join(sorted(_SPACES))) + "]+")


def _keeps_space(left: str, right: str) -> bool:
    """A space survives only between two Latin letters/digits ("Panasonic Corp", "No 5")."""
    return bool(_ASCII_ALNUM.match(left) and _ASCII_ALNUM.match(right))


def normalize(text: str) -> tuple[str, list[int]]:
    """Return the normalised text and, for each of its characters, the offset in ``text``.

    Width folding (full-width digits/Latin → ASCII, ( ) → （ ）), spaces removed between CJK
    characters and digits (kept, as one space, only between two Latin words), newlines kept.
    """
    folded = text.translate(_FOLD_TABLE)  # one character for one: offsets unchanged
    n = len(folded)
    parts: list[str] = []
    offsets: list[int] = []
    pos = 0
    for m in _SPACE_RUN.finditer(folded):
        i, j = m.span()
        parts.append(folded[pos:i])
        offsets.extend(range(pos, i))
        # the characters either side of the run (a run is maximal: neither is a space)
        if 0 < i and j < n and _keeps_space(folded[i - 1], folded[j]):
            parts.append(" ")
            offsets.append(i)
        pos = j
    parts.append(folded[pos:])
    offsets.extend(range(pos, n))
    return "".join(parts), offsets


def raw_span(offsets: list[int], start: int, end: int, raw_len: int) -> tuple[int, int]:
    """Map a half-open span of the normalised text to a span of the raw text."""
    if not offsets:
        return 0, 0
    if start >= len(offsets):
        return raw_len, raw_len
    raw_start = offsets[start]
    raw_end = offsets[end - 1] + 1 if end > start else raw_start
    return raw_start, raw_end


_SPECKS = set(".,·•'\"”“‘’、。:：;；*`~-_|")


def _is_cjk(ch: str) -> bool:
    return bool(ch) and "\u4e00" <= ch <= "\u9fff"


# a line that starts a party entry: the line before it ended even when OCR lost its 。
_NEW_PARTY_RE = re.compile(
    r"(原告|被告|第三人|上诉人|被上诉人|原审|再审申请人|被申请人|申请执行人|被执行人|法定代表人|委托|"
    r"负责人|审判长|审判员|书记员|人民陪审员)[^\n]{0,40}?[，。,]"
)
_TERMINAL = set('。：:；;！!？?」』”"）)')
_HEADER_END = ("法院", "书", "号", "法庭")


def reflow(norm: str, offsets: list[int], min_wrapped: int = 18) -> tuple[str, list[int]]:
    """Re-join lines a scan or a narrow layout wrapped inside a paragraph (offsets stay exact).

    A line break is dropped when the line before it is long (a full printed line) and does not end a
    sentence or a header line; OCR output keeps the printed line breaks, and a party line or a section
    opening split over two lines would otherwise not be recognised. Line by line: only a line's first
    character (OCR dust) and its line break can be dropped, the rest is copied as it stands.
    """
    parts: list[str] = []
    kept: list[int] = []
    n = len(norm)
    start = 0  # where the current line begins
    while True:
        line_start = start
        if start < n and norm[start] in _SPECKS and _is_cjk(norm[start + 1 : start + 2]):
            line_start = start + 1  # OCR dust before a line: ".委托代理人…", "”福建省高级人民法院"
        i = norm.find("\n", line_start)
        end = n if i < 0 else i
        parts.append(norm[line_start:end])
        kept.extend(offsets[line_start:end])
        if i < 0:
            return "".join(parts), kept
        line = norm[line_start:i].strip()
        nxt = norm[i + 1 : i + 2]
        wrapped = (
            len(line) >= min_wrapped
            and line[-1] not in _TERMINAL
            and not line.endswith(_HEADER_END)
            and nxt not in ("", "\n")
            and not _NEW_PARTY_RE.match(norm, i + 1)
            and not (_NEW_PARTY_RE.match(line) and _NEW_PARTY_RE.match(norm, i + 1))
        )
        if not wrapped:
            parts.append("\n")
            kept.append(offsets[i])
        start = i + 1
