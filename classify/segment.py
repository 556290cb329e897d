"""Chinese word segmentation for the classifier: jieba with the legal user dictionary shipped here.

One private ``jieba.Tokenizer`` (not the global one), loaded once, so other code's jieba use is
untouched. Tokens are words of two or more characters; numbers and punctuation are dropped.
"""

from __future__ import annotations

import logging
import re
import threading
from functools import lru_cache
from pathlib import Path

import jieba

USER_DICT = Path(__file__).with_name("legal_dict.txt")
_KEEP = re.compile(r"^[\u4e00-\u9fff]{2,}$|^[\u4e00-\u9fff][A-Za-z]+$")
_lock = threading.Lock()
_tokenizer: jieba.Tokenizer | None = None


def _get() -> jieba.Tokenizer:
    global _tokenizer
    with _lock:
        if _tokenizer is None:
            jieba.setLogLevel(logging.WARNING)
            tk = jieba.Tokenizer()
            tk.load_userdict(str(USER_DICT))
            _tokenizer = tk
        return _tokenizer


def tokens(text: str) -> list[str]:
    """Words of ``text`` (two or more Chinese characters), in order."""
    return list(_tokens(text))


@lru_cache(maxsize=8192)
def _tokens(text: str) -> tuple[str, ...]:
    return tuple(w for w in _get().lcut(text, HMM=False) if _KEEP.match(w))
