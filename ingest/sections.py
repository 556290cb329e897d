"""Split a judgment into its sections: 首部, 当事人, 审理经过, 诉称, 辩称, 经审理查明, 本院认为, 判决主文, 尾部.

The text is cut into *units* (paragraphs, and sentences where a court ran sections together), each
unit is recognised by the way courts open a section (``…诉称``, ``…辩称``, ``本院经审理查明``,
``本院经审查认为`` …); an unrecognised unit continues the section before it. The operative part starts
after the last ``判决如下`` / ``裁定如下`` (earlier ones quote a lower court) and the footer at the
appeal notice, finality sentence or signature block.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from core.taxonomy import SectionName
from ingest.normalize import normalize, raw_span
from ingest.record import Section

S = SectionName

CASE_NO_RE = re.compile(r"[（(〔\[［]\s*[12]\d{3}\s*[）)〕\]］][^\n。，；]{0,30}?号")
TITLE_RE = re.compile(r"(判决书|裁定书|调解书|决定书|通知书)$")

_ROLE = (
    r"(原告|被告|上诉人|被上诉人|第三人|原审|一审|二审|再审申请人|再审被申请人|被申请执行人|被申请人|申请人|申请执行人|"
    r"被执行人|申诉人|被申诉人|起诉人|赔偿请求人|赔偿义务机关)"
)
PARTY_RE = re.compile(
    _ROLE
    + r"|^(法定代表人|负责人|主要负责人|委托|诉讼代表人|住所|住|经营者|代表人|共同委托|指定代理人|法定代理人|"
    r"监护人|案由|被诉|本院受理时间|开庭审理时间|统一社会信用代码|组织机构代码|身份证|公民身份号码|联系地址|"
    r"送达地址|出庭|行政机关负责人|投资人|执行事务合伙人|现住)"
    r"|^[^，。\n]{0,20}?(共同)?((委托)?(诉讼)?代理人|法定代表人|诉讼代表人|负责人)"
)
HISTORY_HINT_RE = re.compile(
    r"一案|提起(行政)?诉讼|提出上诉|向本院|本院受理|本院于|审理终结|不服|依法组成|立案|"
    r"申请(强制)?执行(?!人)|进行了审查|审查终结|已审理|提出申请"
)

CLAIMS_RE = re.compile(
    r"^[^。；\n]{0,50}?(诉称|上诉称|上诉请求|申请再审称|再审申请称|申诉称|起诉称|请求称|申请称|诉请|诉讼请求[:：为是])"
    r"|^" + _ROLE + r"[^。；\n，,]{0,40}?称[:：，,]"
    r"|^(?![^\n]*一案)[^。\n]{0,30}?不服[^。\n]{0,30}?提起上诉[^。\n]{0,20}?(请求|理由)"
    r"|^[^。\n]{0,30}?(主要)?上诉理由[为是:：]"
    r"|^申请人[^。\n，,]{0,12}?(行政复议)?请求[:：]"
)
DEFENCE_RE = re.compile(
    r"^[^。；\n]{0,50}?(辩称|答辩称|答辩认为|答辩意见|述称|陈述意见称|提交意见称|意见称|未(作|提交|提出|进行)?答辩)"
    r"|^被申请人[^。；\n，,]{0,30}?(称|答复)[:：，,]"  # a reconsideration respondent's reply
)
FINDINGS_RE = re.compile(
    r"^(本院|二审|本庭|经)?(依法)?(经)?(二审|再审|审理|审查|庭审|复查|一并|经)*(审理|审查)?(查明|认定|确认)(如下)?[:：，,]?"
    r"|^经(审理|二审审理)[，,]"
    r"|^本院对[^。\n]{0,30}?(查明|认定)的(案件)?事实"
    r"|^(另|再|又|还|同时)查明?[，,:：]"
    r"|^[^。\n]{0,40}?本院(予以)?(依法)?(认定|确认|查明)(的)?(事实|如下)"
)
REASONING_RE = re.compile(
    r"^(经[^。，；\n]{0,15}[，,]?)?(本院|本庭|合议庭|本机关|本府|本委|本局|本厅)[^。，；\n]{0,12}?认为"
    r"|^经[^。；\n]{0,20}?(审查|审理|评议|复查)(后)?[，,]?认为"
)
LOWER_COURT_RE = re.compile(
    r"^(一审|原审|原一审|原二审|二审)(法院|判决|裁定)?[^。\n]{0,20}?(查明|认定|认为|判决|裁定|确认)"
    r"|^[^。\n，,：:；]{2,30}法院[^。\n]{0,40}?(认定|认为|查明|经审理)"
)
OPERATIVE_RE = re.compile(r"(判决|裁定|决定|调解|裁决)如下[:：]?|(达成|自愿达成)(如下|以下)(调解)?协议[:：]?")
OPERATIVE_FALLBACK_RE = re.compile(r"(依照|根据|依据)[^\n]{0,300}?(判决|裁定)[:：]\s*$", re.M)
FOOTER_RE = re.compile(
    r"^[^。\n]{0,20}?对本(判决|裁定|决定)不服|^[^。\n]{0,20}?如不服本(决定|判决|裁定)|^(如不服本|如不服|如对本|本判决为终|本裁定为终|本判决系终|本裁定系终|本判决为|本裁定为|本裁定送达|本判决送达|本裁定书送达|"
    r"本调解书|本决定|审判长|审判员|代理审判员|人民陪审员|书记员|代书记员|法官助理|速录员|执行员)"
)
SIGN_DATE_RE = re.compile(r"^[一二三四五六七八九十〇零○OoＯ0-9×xX]{2,4}年[^\n]{1,6}月[^\n]{1,6}日$")
# Where a court ran sections together: cut before these openings when they follow a sentence end.
_SPLIT_RE = re.compile(
    r"(?<=[。；])(?=(本院(经审理|经审查|二审|再审)?认为|经审查[，,]?本院认为|(本院)?经审理查明|(本院)?经审查查明|另查明|"
    r"(原告|被告|上诉人|被上诉人|第三人|再审申请人|被申请人)[^。，；\n]{0,30}?(诉称|辩称|述称|上诉称|答辩称)|"
    r"如不服本|本判决为终审|本裁定为终审))"
)


@dataclass
class Unit:
    start: int  # offsets in the normalised text
    end: int
    text: str


def split_units(norm: str) -> list[Unit]:
    """Paragraphs, cut further where a new section opens mid-paragraph or after 判决如下：."""
    units: list[Unit] = []
    pos = 0
    for line in norm.split("\n"):
        start, end = pos, pos + len(line)
        pos = end + 1
        if not line.strip():
            continue
        cuts = {m.start() for m in _SPLIT_RE.finditer(line)}
        cuts |= {m.end() for m in OPERATIVE_RE.finditer(line) if m.end() < len(line)}
        prev = 0
        for cut in sorted(cuts) + [len(line)]:
            if cut > prev:
                units.append(Unit(start + prev, start + cut, line[prev:cut]))
            prev = cut
    return units


def operative_start(norm: str) -> int | None:
    """Offset (normalised) where the operative orders begin: after the last 判决如下/裁定如下."""
    matches = list(OPERATIVE_RE.finditer(norm))
    if matches:
        return matches[-1].end()
    fallback = list(OPERATIVE_FALLBACK_RE.finditer(norm))
    if fallback:
        return fallback[-1].end()
    return None


def _header_end(units: list[Unit]) -> int:
    """Index of the first unit after the header (court, title, case number)."""
    for i, u in enumerate(units[:10]):
        if CASE_NO_RE.search(u.text) and len(u.text) < 60:
            return i + 1
    for i, u in enumerate(units[:10]):
        if TITLE_RE.search(u.text.replace(" ", "")):
            return i + 1
    return min(1, len(units))


def _classify(text: str) -> SectionName | None:
    if REASONING_RE.match(text):
        return S.reasoning
    if FINDINGS_RE.match(text):
        return S.findings
    if LOWER_COURT_RE.match(text):
        return S.history
    if DEFENCE_RE.match(text):
        return S.defence
    if CLAIMS_RE.match(text):
        return S.claims
    return None


def _is_party(text: str) -> bool:
    if not PARTY_RE.match(text):
        return False
    return len(text) < 250 and not HISTORY_HINT_RE.search(text)


def _is_party_gap(units: list[Unit], i: int) -> bool:
    """A short line OCR damaged inside the party block: the party lines go on right after it."""
    u = units[i]
    return (
        len(u.text) < 80
        and not HISTORY_HINT_RE.search(u.text)
        and _classify(u.text) is None
        and i + 1 < len(units)
        and _is_party(units[i + 1].text)
    )


def label_units(norm: str, units: list[Unit]) -> list[SectionName]:
    labels: list[SectionName] = []
    head = _header_end(units)
    op = operative_start(norm)
    current: SectionName = S.header
    in_parties = True
    for i, u in enumerate(units):
        if i < head:
            labels.append(S.header)
            continue
        if op is not None and u.start >= op:
            if current != S.footer and (FOOTER_RE.match(u.text) or SIGN_DATE_RE.match(u.text)):
                current = S.footer
            elif current != S.footer:
                current = S.operative
            labels.append(current)
            continue
        if op is None and (FOOTER_RE.match(u.text) or SIGN_DATE_RE.match(u.text)) and i > head + 1:
            current = S.footer
            labels.append(current)
            continue
        if in_parties and (_is_party(u.text) or _is_party_gap(units, i)):
            current = S.parties
            labels.append(current)
            continue
        in_parties = False
        found = _classify(u.text)
        if found is not None:
            current = found
        elif current in (S.header, S.parties):
            current = S.history
        labels.append(current)
    _short_ruling_reasoning(units, labels, op)
    return labels


def _short_ruling_reasoning(units: list[Unit], labels: list[SectionName], op: int | None) -> None:
    """Short rulings (撤诉, 补正) give their reasons in the paragraph that ends with 裁定如下: call it 本院认为."""
    if op is None or S.reasoning in labels:
        return
    for i in range(len(units) - 1, -1, -1):
        if units[i].start < op:
            if labels[i] == S.history and i > 0 and labels[i - 1] in (S.history, S.parties, S.header):
                labels[i] = S.reasoning
            return


def find_sections(text: str, norm: str | None = None, offsets: list[int] | None = None) -> list[Section]:
    """Sections of ``text`` as raw-offset spans, in document order (one span per run of a name)."""
    if norm is None or offsets is None:
        norm, offsets = normalize(text)
    units = split_units(norm)
    labels = label_units(norm, units)
    sections: list[Section] = []
    run_start: Unit | None = None
    run_end: Unit | None = None
    run_label: SectionName | None = None
    for unit, label in [*zip(units, labels, strict=True), (None, None)]:
        if label != run_label or unit is None:
            if run_label is not None and run_start is not None and run_end is not None:
                start, end = raw_span(offsets, run_start.start, run_end.end, len(text))
                sections.append(Section(name=run_label, start=start, end=end))
            run_start, run_label = unit, label
        run_end = unit
    return sections
