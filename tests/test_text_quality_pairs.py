"""The plausibility check's word pairs (``ingest.text_quality.common_bigrams``), read with two regular
expressions, are the pairs the dictionary's lines give when split one by one."""

from __future__ import annotations

import importlib.util
import os

from ingest.text_quality import _is_han, common_bigrams


def _pairs_line_by_line() -> frozenset[str]:
    spec = importlib.util.find_spec("jieba")
    assert spec is not None and spec.origin is not None
    pairs: set[str] = set()
    with open(os.path.join(os.path.dirname(spec.origin), "dict.txt"), encoding="utf-8") as fh:
        for line in fh:
            parts = line.split()
            if len(parts) < 2 or len(parts[0]) < 2 or not parts[1].isdigit() or int(parts[1]) < 20:
                continue
            word = parts[0]
            pairs.update(a + b for a, b in zip(word, word[1:], strict=False) if _is_han(a) and _is_han(b))
    return frozenset(pairs)


def test_the_word_pairs_are_those_of_the_dictionary_read_line_by_line() -> None:
    assert common_bigrams() == _pairs_line_by_line()
    assert 70_000 < len(common_bigrams()) < 80_000


def test_a_pages_pairs_are_its_adjacent_han_pairs() -> None:
    from ingest.text_quality import bigram_share

    text = "原告张三诉被告a县人民政府，请求撤销。\n本院认为"
    pairs = [text[i : i + 2] for i in range(len(text) - 1) if _is_han(text[i]) and _is_han(text[i + 1])]
    share, n = bigram_share(text)
    assert n == len(pairs) and share == sum(p in common_bigrams() for p in pairs) / len(pairs)
