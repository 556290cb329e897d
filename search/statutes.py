"""Cited norms as search terms: the structured citations of :mod:`ingest.citations` (the one parser, used for
the judgments at ingest and for what a user types) become tokens of the ``statutes`` field.

A citation (law, article, paragraph, item) of a judgment gives every token a query might ask for::

    行政诉讼法                     the law
    行政诉讼法|70  ~|70            the article (of this law / of any law)
    行政诉讼法|70|p1  ~|70|p1      with its paragraph (款)
    行政诉讼法|70|i1  ~|70|i1      with its item (项), whatever the paragraph
    行政诉讼法|70|p1|i1 …          both

and a typed citation asks for exactly one of them, so 行政诉讼法第七十条第一项 finds 《中华人民共和国行政诉讼法》
第七十条第（一）项, and 第70条 every judgment citing an article 70. Law names are compared without 《》, spaces,
width and the prefix 中华人民共和国. Nothing here reads text: no statute pattern lives in ``search/``.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from core.segment import fold

ANY_LAW = "~"
_PREFIXES = ("中华人民共和国",)


def law_key(name: str | None) -> str:
    """中华人民共和国行政诉讼法 / 《行政诉讼法》 / 行政诉讼法 → 行政诉讼法; "" for no law."""
    key = "".join(fold(name or "").split()).strip("《》<>")
    for prefix in _PREFIXES:
        if key.startswith(prefix) and len(key) > len(prefix):
            key = key[len(prefix) :]
    return key.replace("|", "")


def _get(c: Any, name: str) -> Any:
    return c.get(name) if isinstance(c, dict) else getattr(c, name, None)


def doc_keys(citations: Iterable[Any]) -> list[str]:
    """Every token of a judgment's citations (dicts or ``ingest.record.Citation``), once per citation (so a
    norm cited three times weighs more than one cited once)."""
    out: list[str] = []
    for c in citations:
        law = law_key(_get(c, "law"))
        if not law:
            continue
        article = _get(c, "article")
        out.append(law)
        if article is None:
            continue
        para, item = _get(c, "paragraph"), _get(c, "item")
        tails = [f"|{article}"]
        if para is not None:
            tails.append(f"|{article}|p{para}")
        if item is not None:
            tails.append(f"|{article}|i{item}")
        if para is not None and item is not None:
            tails.append(f"|{article}|p{para}|i{item}")
        for tail in tails:
            out += [law + tail, ANY_LAW + tail]
    return out


def query_key(c: Any) -> str:
    """The one token a typed citation asks for (see the module docstring)."""
    law = law_key(_get(c, "law")) or ANY_LAW
    article = _get(c, "article")
    if article is None:
        return law
    para, item = _get(c, "paragraph"), _get(c, "item")
    key = f"{law}|{article}"
    if para is not None:
        key += f"|p{para}"
    if item is not None:
        key += f"|i{item}"
    return key


_DIGITS = "零一二三四五六七八九"


def cn_numeral(n: int) -> str:
    """70 → 七十, 12 → 十二, 105 → 一百零五 (how judgments write article numbers)."""
    if n <= 0 or n >= 10000:
        return str(n)
    out = ""
    zero = False
    for value, unit in ((1000, "千"), (100, "百"), (10, "十"), (1, "")):
        d = (n // value) % 10
        if d == 0:
            zero = bool(out)
            continue
        if zero:
            out += "零"
            zero = False
        out += ("" if (d == 1 and unit == "十" and not out) else _DIGITS[d]) + unit
    return out


def marks(c: Any) -> tuple[str, ...]:
    """Texts a snippet marks for a typed citation: the law's name and the article in both numeral styles."""
    law = law_key(_get(c, "law"))
    article = _get(c, "article")
    out = [law] if law else []
    if article is not None:
        out += [f"第{cn_numeral(int(article))}条", f"第{int(article)}条"]
    return tuple(out)
