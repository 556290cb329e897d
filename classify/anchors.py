"""Causes anchored in the statute the court applies, read from the parser's structured citations.

Only ``record.citations`` is read (``ingest.citations`` is the one statute parser): a citation of the
Administrative Litigation Law in a sentence of the rule scope that is not a norm recital anchors the
cause its clause names. The table:

- §70 (一)–(六) → insufficient_evidence, law_application, procedure, ultra_vires, abuse_of_power,
  manifestly_improper;
- §72 → inaction; §74 ①(二) → procedure, §74 ②(三) → inaction (other clauses: the words decide);
- §77 → manifestly_improper only for a penalty (an amount wrongly determined: the words decide);
- §78 → other (an agreement to perform, compensate or remedy);
- §34 ② (逾期不提供证据，视为没有相应证据) → passive_defence;
- the 1989 law: §54 (二) 第N目 1–5 as §70 (一)–(五) (also written §54 第二款第N项), §54 (三) → inaction,
  §54 (四) → manifestly_improper.
"""

from __future__ import annotations

import re

from classify.rules import RuleHit
from classify.sentences import in_recital
from classify.text import Span, sentences
from ingest.dates import cn_number
from ingest.record import Citation, JudgmentRecord

ANCHOR_STRENGTH = 0.9
_LAW = re.compile(r"行政诉讼法(（[^）]*）)?$")
_MASKED = re.compile(r"[×Ｘ*＊□○]{2,}")
_SUBPOINTS = re.compile(r"^第?\s*([1-5一二三四五](?:[、和及][1-5一二三四五])*)\s*目")

_70 = {
    1: "insufficient_evidence",
    2: "law_application",
    3: "procedure",
    4: "ultra_vires",
    5: "abuse_of_power",
    6: "manifestly_improper",
}
_CN_ITEM = "一二三四五六七八九十"


def is_litigation_law(law: str) -> bool:
    """行政诉讼法 (any edition, abbreviated or with a year note); a masked name is allowed, its
    interpretations (…的解释, …若干问题的规定) are not."""
    return bool(_LAW.search(law)) and "解释" not in law or bool(_MASKED.search(law) and law.endswith("法"))


def clause_label(c: Citation) -> str:
    out = f"第{c.article}条"
    if c.paragraph:
        out += f"第{c.paragraph}款"
    if c.item:
        out += f"第（{_CN_ITEM[c.item - 1] if c.item <= 10 else c.item}）项"
    return out


def citation_causes(c: Citation, after: str = "", penalty: bool = False) -> list[str]:
    """The causes one citation of 行政诉讼法 names (``after``: the text right after it, for 第N目)."""
    a, p, i = c.article, c.paragraph, c.item
    if a == 70 and i in _70:
        return [_70[i]]
    if a == 72:
        return ["inaction"]
    if a == 74 and (p, i) == (1, 2):
        return ["procedure"]
    if a == 74 and (p, i) == (2, 3):
        return ["inaction"]
    if a == 77 and penalty:
        return ["manifestly_improper"]
    if a == 78:
        return ["other"]
    if a == 34 and p == 2:
        return ["passive_defence"]
    if a == 54:
        return _causes_1989_54(p, i, after)
    return []


def _causes_1989_54(p: int | None, i: int | None, after: str) -> list[str]:
    if p == 2 and i in _70 and i <= 5:  # 第五十四条第二款第N项: (二) written as a paragraph
        return [_70[i]]
    if i == 2 and p is None:
        m = _SUBPOINTS.match(after)
        if not m:
            return []  # (二) alone: revoked, the words say why
        nums = [cn_number(n) for n in re.split(r"[、和及]", m.group(1))]
        return [_70[n] for n in nums if n in _70 and n <= 5]
    if i == 3 and p is None:
        return ["inaction"]
    if i == 4 and p is None:
        return ["manifestly_improper"]
    return []


def anchor_hits(record: JudgmentRecord, spans: list[Span], penalty: bool = False) -> list[RuleHit]:
    """A hit per cause named by a citation of 行政诉讼法 inside ``spans``, recitals skipped."""
    text = record.text
    cites = [c for c in record.citations if c.article is not None and is_litigation_law(c.law)]
    hits: list[RuleHit] = []
    if not cites:
        return hits
    for span in spans:
        inside = [c for c in cites if span.start <= c.start < span.end]
        if not inside:
            continue
        for sent in sentences(text, span.start, span.end):
            s_text = text[sent.start : sent.end]
            mine = [
                c
                for c in inside
                if sent.start <= c.start < sent.end and not in_recital(s_text, c.start - sent.start)
            ]
            if not mine:
                continue
            for c in mine:
                for cause in citation_causes(c, text[c.end : c.end + 12], penalty):
                    hits.append(
                        RuleHit(
                            cause,
                            f"cite.{c.article}.{c.paragraph or ''}.{c.item or ''}".rstrip("."),
                            ANCHOR_STRENGTH,
                            Span(sent.start, sent.end, span.section),
                            c.start,
                        )
                    )
    return hits


def anchor_label(rule_id: str) -> str:
    """cite.70..3 → 行政诉讼法第70条第（三）项."""
    parts = (rule_id.split(".") + ["", "", ""])[1:4]
    a, p, i = (int(x) if x else None for x in parts)
    return "行政诉讼法" + clause_label(
        Citation(law="", article=a, paragraph=p, item=i, text="", start=0, end=0)
    )
