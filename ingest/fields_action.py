"""What the suit is about: 案由 (cause of action) and the sued administrative action (name and number)."""

from __future__ import annotations

import re

from ingest.record import SuedAction

_DOC_NAME = r"《[^《》\n]{2,40}?(?:决定书|告知书|通知书|答复书|认定书|决定|答复|批复|裁决书|复议决定书|处罚决定书|意见书|证书|裁定)》"
_NUMBER = (
    r"[^\s，。；：、《》“”]{0,16}?[〔\[［（(【]\s*(?:19|20)\d{2}\s*[〕\]］）)】][^\s，。；：、《》（）()]{0,10}?\d+\s*号"
    r"|[^\s，。；：、《》“”]{1,12}第[A-Za-z\d]{3,20}号|编号为[A-Za-z\d\-]{4,30}号?|N[Oo][:：]?\d{4,20}号?"
)
ACTION_RE = re.compile(
    rf"作出(?:了)?(?:的)?(?P<num1>[^，。；《》\n]{{0,30}}?)(?:的)?(?P<name>{_DOC_NAME})(?:[（(](?P<num2>{_NUMBER})|，?(?P<num3>{_NUMBER}))?"
)
CAUSE_LINE_RE = re.compile(r"^案由[:：]\s*([^\n。]{2,40})", re.M)


def find_cause_of_action(norm: str) -> str | None:
    """案由 as the document states it (``案由：…``) or as the opening sentence names the case (…行政处罚一案)."""
    m = CAUSE_LINE_RE.search(norm[:3000])
    if m:
        return m.group(1).strip()
    m = re.search(r"([^。\n]{2,120}?)一案", norm[:4000])
    if not m:
        return None
    before = m.group(1)
    aliases = list(re.finditer(r"[（(](?:以下|下)?简称[^）)]*[）)]", before))
    agencies = list(re.finditer(r"(局|政府|委员会|中心|公司|办公室|大队|支队|派出所|厅|办事处)", before))
    names_end = aliases[-1].end() if aliases else (agencies[-1].end() if agencies else 0)
    cause = re.sub(r"^(作出的|的|所作|作出|因|与|诉)", "", before[names_end:]).strip()
    return cause if 2 <= len(cause) <= 30 else None


def find_sued_action(norm: str) -> SuedAction | None:
    """The first administrative decision the text says was 作出: its 《name》 and document number."""
    matches = list(ACTION_RE.finditer(norm))
    if not matches:
        return None
    contested = {
        c.group(1) for c in re.finditer(rf"(?:撤销|不服|被诉|确认)[^。\n]{{0,60}}?({_DOC_NAME})", norm)
    }
    m = next((x for x in matches if x.group("name") in contested), matches[0])
    num1 = m.group("num1") if m.group("num1") and m.group("num1").endswith("号") else None
    if num1:
        num1 = re.sub(r"^.*?(日|对[^，。]{1,20}?|向[^，。]{1,20}?)(?=[^日]*号$)", "", num1).lstrip("了的")
    number = num1 or m.group("num2") or m.group("num3")
    sentence_start = max(norm.rfind("。", 0, m.start()), norm.rfind("\n", 0, m.start())) + 1
    sentence_end_candidates = [i for i in (norm.find("。", m.end()), norm.find("\n", m.end())) if i >= 0]
    sentence_end = min(sentence_end_candidates) if sentence_end_candidates else len(norm)
    return SuedAction(
        name=m.group("name"),
        number=number.strip() if number else None,
        text=norm[sentence_start : sentence_end + 1].strip(),
    )
