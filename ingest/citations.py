"""Cited norms: 《中华人民共和国行政诉讼法》第七十条第（三）项 → law, article 70, item 3.

Handles Chinese numerals, 第X条第X款第（X）项, lists (第七十条第（一）、（二）项 → two citations,
第六十九条、第七十条), back-references (同法 / 该法 / 本法 → the previous law), and short names the text
defines (《中华人民共和国行政诉讼法》（以下简称行政诉讼法） → 行政诉讼法第七十条).
"""

from __future__ import annotations

import re

from ingest.dates import cn_number
from ingest.normalize import raw_span
from ingest.record import Citation

_NUM = r"[一二三四五六七八九十百千零〇两\d]+"
LAW_RE = re.compile(r"《([^《》\n]{2,80}?(?:[〈<＜﹤][^》\n]{1,40}[〉>＞﹥][^《》\n]{0,20})?)》")
LAW_ALIAS_RE = re.compile(
    r"《([^《》\n]{2,80})》[（(](?:以下|下)?简称[:：]?[“\"]?([^）)”\"，。]{2,20})[”\"]?[）)]"
)
BACKREF_RE = re.compile(r"(同法|该法|本法|上述法律|该条例|同条例|该规定|该解释)(?=第)")
_REF_CHARS = re.compile(rf"^(?:{_NUM}|第|条|款|项|之|[（()）]|、|，|,|和|及|以及|或者|或|与)+")
TOKEN_RE = re.compile(
    rf"第(?P<art>{_NUM})条(?:之(?P<sub>[一二三四五六七八九十]+))?|第(?P<para>{_NUM})款|第?[（(](?P<item>{_NUM})[）)]项?|第(?P<item2>{_NUM})项"
    # 第一、二项 / 第1、3项: the list's first number carries 第, the last 项
    rf"|第(?P<item3>{{n}})(?=(?:[、和及]{{n}})+项)|(?<=[、和及])(?P<item4>{{n}})(?=(?:[、和及]{{n}})*项)项?".replace(
        "{n}", r"[一二三四五六七八九十\d]+"
    )
)
# A law named without 《》 (依照行政诉讼法第七十条): only the procedure laws, whose names are unmistakable.
BARE_LAW_RE = re.compile(r"(?<![《〈<＜﹤])(?:中华人民共和国)?(?:行政|民事|刑事)诉讼法(?=第)")


def _refs(norm: str, pos: int) -> list[tuple[int | None, int | None, int | None, int]]:
    """The article references starting at ``pos``: (article, paragraph, item, end offset)."""
    tail = norm[pos : pos + 300]
    m = _REF_CHARS.match(tail)
    if not m or not tail.startswith("第"):
        return []
    window = m.group(0).rstrip("，,、和及或与")
    out: list[tuple[int | None, int | None, int | None, int]] = []
    article: int | None = None
    para: int | None = None
    pending = False  # an article/paragraph not yet emitted
    last_end = 0
    for t in TOKEN_RE.finditer(window):
        if t.group("art"):
            if pending:
                out.append((article, para, None, pos + last_end))
            article, para, pending = cn_number(t.group("art")), None, True
        elif t.group("para"):
            if pending and para is not None:
                out.append((article, para, None, pos + last_end))
            para, pending = cn_number(t.group("para")), True
        else:
            item = cn_number(t.group("item") or t.group("item2") or t.group("item3") or t.group("item4"))
            if article is not None:
                out.append((article, para, item, pos + t.end()))
                pending = False
        last_end = t.end()
    if pending:
        out.append((article, para, None, pos + last_end))
    return out


def find_citations(text: str, norm: str, offsets: list[int]) -> list[Citation]:
    """Every cited article, in order; offsets into the raw ``text``."""
    aliases = {m.group(2): m.group(1) for m in LAW_ALIAS_RE.finditer(norm)}
    anchors: list[tuple[int, int, str | None, str]] = []  # (start, end, law or None for back-ref, kind)
    for m in LAW_RE.finditer(norm):
        anchors.append((m.start(), m.end(), _clean_law(m.group(1)), "law"))
    for m in BARE_LAW_RE.finditer(norm):
        anchors.append((m.start(), m.end(), m.group(0), "law"))
    for m in BACKREF_RE.finditer(norm):
        anchors.append((m.start(), m.end(), None, "back"))
    if aliases:
        alias_re = re.compile(
            "|".join(re.escape(a) for a in sorted(aliases, key=len, reverse=True)) + r"(?=第)"
        )
        for m in alias_re.finditer(norm):
            anchors.append((m.start(), m.end(), _clean_law(aliases[m.group(0)]), "alias"))
    anchors.sort()
    # a bare 行政诉讼法 that is also a defined short name is one anchor
    anchors = [a for i, a in enumerate(anchors) if i == 0 or a[0] != anchors[i - 1][0]]
    citations: list[Citation] = []
    last_law: str | None = None
    for start, end, law, _kind in anchors:
        if law is None:
            law = last_law
        else:
            last_law = law
        if law is None:
            continue
        pos = end
        skip = re.match(r"[（(](?:以下|下)?简称[^）)]*[）)]", norm[pos : pos + 30])
        if skip:
            pos += skip.end()
        # 《…》的规定 / 《…》之规定 without articles, or 《…》第X条
        refs = _refs(norm, pos)
        if not refs:
            if re.match(r"(的|之)?(有关)?(相关)?规定", norm[pos : pos + 8]) and _is_norm(law):
                raw_start, raw_end = raw_span(offsets, start, end, len(text))
                citations.append(
                    Citation(law=law, text=text[raw_start:raw_end], start=raw_start, end=raw_end)
                )
            continue
        for article, para, item, ref_end in refs:
            raw_start, raw_end = raw_span(offsets, start, ref_end, len(text))
            citations.append(
                Citation(
                    law=law,
                    article=article,
                    paragraph=para,
                    item=item,
                    text=text[raw_start:raw_end],
                    start=raw_start,
                    end=raw_end,
                )
            )
    return citations


def _clean_law(name: str) -> str:
    return re.sub(r"[〈<＜﹤]", "《", re.sub(r"[〉>＞﹥]", "》", name)).replace("&", "").strip()


def _is_norm(name: str) -> bool:
    """A law, regulation, rule or judicial interpretation — not a decision or a letter quoted in 《》."""
    return bool(
        re.search(r"(法|条例|规定|办法|解释|规则|细则|决定|意见|通知|批复|答复|纪要|标准|规范)$", name)
    )


def parse_typed_citation(typed: str) -> list[Citation]:
    """A citation as a user types it in a search box: 行政诉讼法第七十条, 《中华人民共和国行政诉讼法》第70条第一款,
    第七十条第（一）项 (no law: ``law`` is ""), or a law name alone (行政诉讼法 → article None). The same
    reading as :func:`find_citations`; [] when the text is not wholly a citation."""
    from ingest.normalize import normalize

    s = typed.strip()
    if not s:
        return []
    if s.startswith("《"):
        law_end = s.find("》")
        if law_end < 0:
            return []
        law, rest = s[1:law_end], s[law_end + 1 :]
    else:
        cut = s.find("第")
        law, rest = (s, "") if cut < 0 else (s[:cut], s[cut:])
    law = law.strip()
    if not rest:
        return [Citation(law=_clean_law(law), text=s, start=0, end=len(s))] if _is_norm(law) else []
    placeholder = "某法" if not law else law
    wrapped = f"《{placeholder}》{rest}"
    norm, offsets = normalize(wrapped)
    found = find_citations(wrapped, norm, offsets)
    if not found or found[-1].end < len(wrapped.rstrip("的规定之")) or any(c.article is None for c in found):
        return []
    law_name = _clean_law(law) if law else ""
    return [c.model_copy(update={"law": law_name, "text": s}) for c in found]
