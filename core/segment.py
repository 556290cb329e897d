"""Chinese segmentation: ONE tokenizer and ONE legal dictionary for search and classification.

jieba's dictionary and algorithm with the legal user dictionary ``legal_dict.txt`` (agency names,
行政诉讼法 vocabulary). rjieba (jieba-rs, the Rust port: the same dictionary and algorithm, ~20×
faster) is used when installed, else jieba itself. Both give the same tokens for Chinese text; they
may differ on runs of digits and hyphens, so the name of the segmenter is recorded with each index
(:func:`segmenter_id`) and a mismatch asks for a rebuild.

Text is first folded character by character (full-width ASCII to half-width, lower case) by
:func:`fold`, which never changes the length, so offsets found in folded text are offsets in the
original: highlights always show the original text.
"""

from __future__ import annotations

import hashlib
import logging
import re
import threading
from collections.abc import Callable
from functools import lru_cache
from pathlib import Path

DICT_PATH = Path(__file__).with_name("legal_dict.txt")

_WIDE = re.compile("[\uff01-\uff5e\u3000\u200b]")


def _narrow(m: re.Match[str]) -> str:
    c = m.group()
    return chr(ord(c) - 0xFEE0) if c >= "\uff01" else " "


def fold(text: str) -> str:
    """Full-width ASCII → half-width, ideographic/zero-width space → space, lower case; same length."""
    folded = _WIDE.sub(_narrow, text)  # a regex beats str.translate ~3× on CJK text
    lowered = folded.lower()
    # str.lower() can change length for a few characters (e.g. 'İ'); keep length by falling back.
    return (
        lowered
        if len(lowered) == len(folded)
        else "".join(c.lower() if len(c.lower()) == 1 else c for c in folded)
    )


_WORDLIKE = re.compile(r"[^\W_]")


def _is_wordlike(token: str) -> bool:
    return token.isalnum() or _WORDLIKE.search(token) is not None


def dictionary_words() -> list[str]:
    words = []
    for line in DICT_PATH.read_text("utf-8").splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            words.append(line.split()[0])
    return words


def _build_cutter() -> tuple[Callable[[str], list[str]], str]:
    words = dictionary_words()
    digest = hashlib.sha256("\n".join(words).encode()).hexdigest()[:12]
    try:
        import rjieba

        jieba_rs = rjieba.Jieba()
        for w in words:
            jieba_rs.add_word(w, None, None)
        return jieba_rs.cut, f"rjieba+legal:{digest}"
    except ImportError:  # pragma: no cover - depends on the environment
        import jieba

        jieba.setLogLevel(logging.WARNING)
        tokenizer = jieba.Tokenizer()
        for w in words:
            tokenizer.add_word(w)

        def cut(text: str) -> list[str]:
            return list(tokenizer.cut(text))

        return cut, f"jieba+legal:{digest}"


_cutter_lock = threading.Lock()
_cutter_built: tuple[Callable[[str], list[str]], str] | None = None


def _cutter() -> tuple[Callable[[str], list[str]], str]:
    """The tokenizer, built once per process (a lock, so a warm-up thread and a caller never both build it)."""
    global _cutter_built
    if _cutter_built is None:
        with _cutter_lock:
            if _cutter_built is None:
                _cutter_built = _build_cutter()
    return _cutter_built


def warm_up() -> None:
    """Build the tokenizer in a background thread (its dictionary takes ~0.1 s) while the caller goes on
    importing: ``anjian search`` has it ready by the time the query is parsed."""
    if _cutter_built is None:
        threading.Thread(target=_cutter, name="segmenter-warm-up", daemon=True).start()


def segmenter_id() -> str:
    """Which segmenter and dictionary produce the tokens (stored with an index and a model)."""
    return _cutter()[1]


def segment(text: str) -> list[str]:
    """Words of ``text`` (folded), in order; punctuation and whitespace dropped.

    >>> segment("被告未履行催告程序即强制拆除")
    ['被告', '未', '履行', '催告程序', '即', '强制拆除']
    """
    return segment_folded(fold(text)) if text else []


def segment_folded(folded: str) -> list[str]:
    """:func:`segment` of text already passed through :func:`fold`."""
    # jieba cuts at every non-Han character anyway, so whitespace needs no splitting first.
    return [t for t in _cutter()[0](folded) if t.isalnum() or _is_wordlike(t)]


_CONTENT_WORD = re.compile(r"^[\u4e00-\u9fff]{2,}$|^[\u4e00-\u9fff][a-z]+$")


def words(text: str) -> list[str]:
    """Content words of ``text`` for a classifier: tokens of two or more Chinese characters, in order."""
    return list(_words(text))


@lru_cache(maxsize=8192)
def _words(text: str) -> tuple[str, ...]:
    return tuple(w for w in segment(text) if _CONTENT_WORD.match(w))
