"""What a warning case teaches, taken from the judgment itself (issue 17).

``court_lesson`` picks one or two sentences of the court's reasoning that say what the defendant agency did
wrong — never the bare "依照…判决如下" line, a recital of a statute, a sentence about the lower court's error
or a party's argument. ``first_instance_facts`` finds the first-instance findings an appeal refers to
("本院审理查明的事实与一审一致"). ``presiding_judges`` names the presiding judge unless the text masks him.
``repeated_paragraphs`` is the check that no paragraph of 30+ characters is printed for two cases.

Pure functions over a parsed record (dict) and plain strings.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

LESSON_CHARS = 220
REPEAT_MIN_CHARS = 30

_SENTENCE_RE = re.compile(r"[^。！？；\n]+(?:[。！？；][”’」』]?)?")
# "依照《…》第…条之规定，判决如下" and its kin: the operative citation line.
_CITATION_LINE = re.compile(
    r"(判决如下|裁定如下|决定如下|^(?:依照|依据|根据|据此|综上)[^。]{0,200}(?:之规定|的规定|规定)[，,。]?(?:判决|裁定)?$)"
)
# A recital of a statute: "《…》第X条规定：“…”" or "…第X条第X款规定，…" as the sentence's subject.
_STATUTE_RECITAL = re.compile(
    r"^[^，。]{0,40}《[^》]{2,40}》(?:第[一二三四五六七八九十百零〇\d]+条)(?:[^，。：:]{0,16})规定[：:，,]"
    r"|^[^，。]{0,10}第[一二三四五六七八九十百零〇\d]+条(?:[^，。：:]{0,16})规定[：:]"
)
# The court speaking about another court (the judgment under appeal), not about the agency.
_OTHER_COURT = re.compile(
    r"^[^，。]{0,6}(?:一审法院|原审法院|一审判决|原审判决|原判|一审|原审|再审申请人)"
    r"|(?:一审法院|原审法院|一审判决|原审判决|原判)[^。]{0,40}(?:错误|不当|有误|不妥|欠妥|予以纠正|应予纠正|应予撤销)"
)
# A party's argument, or the court only restating the issue.
_ARGUMENT = re.compile(
    r"(?:(?:上诉人|原告|被告|第三人|被上诉人|申请人)(?:认为|称)|请求撤销|本院认为，《|上诉称|诉称|辩称|述称|上诉理由|上诉请求|诉讼请求[为是：:]|诉请[为是：:]|请求判令|答辩意见|主张|抗辩|异议|无争议"
    r"|本案(?:的)?争议焦点|争议的焦点|焦点(?:问题)?(?:是|为|在于))"
)
_FAULT = re.compile(
    r"违法|违反|违约|未(?:依法|按照|按|履行|告知|送达|提供|提交|举证|作出|经|予|能|在|尽)|没有|不符合|错误|不足|不当|"
    r"超越|滥用|撤销|无效|不能成立|缺乏|无权|不履行|拖延|程序|瑕疵|明显|失当|怠于|逾期|超过|不予采信|"
    r"不具有|不充分|不清|举证不能|不利后果|视为没有|应(?:当)?(?:作出|履行|答复|予以|依法|重新)|无(?:证据|依据)|疏于"
)
_AGENCY_WORDS = ("被告", "被诉", "被上诉人", "该局", "该府", "该委", "该所", "该队")
# The court approving what the agency did, or an operative order ("二、…重新作出…").
_APPROVES = re.compile(
    r"并无不当|并无不妥|(?<!不)(?:事实清楚|适用法律正确|程序合法)|合法有效|应予维持|具有法律效力|予以支持|本院予以确认|"
    r"主体适格|具有[^。，]{0,12}(?:职权|主体资格)|有权(?:作出|对)"
)
_ORDER_ITEM = re.compile(
    r"^[一二三四五六七八九十]+、|^（[一二三四五六七八九十]+）|^\d+[.、．]|^(?:撤销|责令|驳回)"
)
_CITES_AND_DISPOSES = re.compile(
    r"(?:依照|依据|根据)《[^》]+》[^。]{0,40}规定[，,][^。]{0,40}(?:应予|予以|判决|撤销|确认)|”之规定"
)
_LEAD = re.compile(
    r"^(?:(?:之|的)?规定[，,]|(?:本院|合议庭|二审法院)(?:经审查)?认为[，,：:]|经审查[，,：:])\s*"
)
_QUOTED = re.compile(r"“[^”]*”")


def sentences(text: str) -> list[str]:
    out = (s.strip().lstrip("”’」』") for s in _SENTENCE_RE.findall(text or ""))
    return [s for s in out if len(s) >= 8 and s.count("“") <= s.count("”")]


def usable(sentence: str) -> bool:
    """A sentence that may stand as the court's word on the agency's fault."""
    s = _LEAD.sub("", sentence.strip())
    return not (
        _CITATION_LINE.search(s)
        or _STATUTE_RECITAL.search(s)
        or _OTHER_COURT.search(s)
        or _ARGUMENT.search(s)
        or _APPROVES.search(s)
        or _ORDER_ITEM.search(s)
        or _CITES_AND_DISPOSES.search(s)
        or s.startswith(("综上所述，原审", "依照", "据此"))
        or not _FAULT.search(_QUOTED.sub("", s))
    )


def _faults(s: str) -> int:
    return len(_FAULT.findall(_QUOTED.sub("", s)))


def _about_agency(sentence: str, aliases: Sequence[str]) -> bool:
    return any(a and a in sentence for a in aliases) or any(w in sentence for w in _AGENCY_WORDS)


def agency_aliases(record: dict, agencies: Iterable[str]) -> list[str]:
    """The agency's names as the judgment writes them: full names, 以下简称 short names and the role word
    (上诉人 when the agency appealed)."""
    names = [a for a in agencies if a]
    short = [k for k, v in (record.get("aliases") or {}).items() if any(n in v or v in n for n in names)]
    text = record.get("text") or ""
    roles = []
    for n in names:
        m = re.search(
            r"(?:^|\n)(上诉人|被上诉人|再审申请人|被申请人)(?:（[^）]{1,12}）)?" + re.escape(n), text
        )
        if m:
            roles.append(m.group(1))
    return names + short + roles


def _shingles(text: str, n: int = 10) -> set[str]:
    s = _squash(text).replace("的", "")
    return {s[i : i + n] for i in range(max(0, len(s) - n + 1))}


def recites(sentence: str, statutes: Iterable[str]) -> bool:
    """True when at least half the sentence is statute text (a recital without its citation)."""
    own = _shingles(sentence)
    if not own:
        return False
    known: set[str] = set()
    for s in statutes:
        known |= _shingles(s)
    return len(own & known) * 2 >= len(own)


_AFTER_CITATION = re.compile(r"^.*(?:之规定|的规定|规定)[，,]\s*")


def _own_part(sentence: str) -> str:
    """A sentence that opens with a statute ("…第八条：“…”之规定，本案中，被告…") keeps what follows it; one
    that approves part of the act and then finds fault ("…事实清楚，但…明显不当") keeps the fault."""
    approval = _APPROVES.search(sentence)
    turn = sentence.find("，但", approval.end()) if approval else -1
    if turn >= 0 and len(sentence) - turn > 15:
        sentence = sentence[turn + 2 :]
    if not (_STATUTE_RECITAL.search(sentence) or _CITES_AND_DISPOSES.search(sentence)):
        return sentence
    tail = _AFTER_CITATION.sub("", sentence)
    return tail if tail != sentence and len(tail) >= 15 else sentence


def court_lesson(
    reasoning: str,
    aliases: Sequence[str],
    preferred: Sequence[str] = (),
    limit: int = LESSON_CHARS,
    statutes: Sequence[str] = (),
) -> str:
    """One or two sentences of ``reasoning`` about the agency's fault. ``preferred`` (the classifier's
    evidence, from this judgment) is taken first when usable; sentences that recite ``statutes`` are not."""
    pool = [_own_part(_LEAD.sub("", s)) for s in sentences(reasoning) if not recites(s, statutes)]
    preferred = [p for p in preferred if not recites(p, statutes)]
    chosen: list[str] = []
    for p in preferred:
        for s in sentences(p):
            s = _LEAD.sub("", s)
            if usable(s) and _about_agency(s, aliases) and s not in chosen:
                chosen.append(s)
    scored = []
    for i, s in enumerate(pool):
        if s in chosen or not usable(s) or not _about_agency(s, aliases):
            continue
        score = _faults(s) * 2 + (3 if any(a in s for a in aliases[:1]) else 0) - max(0, len(s) - 150) / 30
        scored.append((score, i, s))
    ranked = [s for _, _, s in sorted(scored, key=lambda t: (-t[0], t[1]))]
    if not chosen and ranked:
        chosen.append(ranked.pop(0))
    if not chosen:  # the court names no party: its plainest sentence on a fault of this case
        loose = [s for s in pool if usable(s) and _faults(s) >= 2 and re.search(r"本案|被诉|案涉|涉案", s)]
        chosen = loose[:1]
    # a second sentence only when it adds a fault of its own (two fault words, not a repeat)
    extra = [s for s in ranked if _faults(s) >= 2]
    out = ""
    for s in chosen[:2] + extra[:1]:
        if out and (len(out) + len(s) > limit or s in out or _squash(out).find(_squash(s)[:20]) >= 0):
            continue
        out += _end(s)
        if len(out) >= limit // 2:
            break
    return out if len(out) <= limit + 40 else _cut_sentence(out, limit)


def _squash(s: str) -> str:
    return re.sub(r"\W", "", s)


def _end(s: str) -> str:
    s = s.rstrip("；;，,")
    return s if s.endswith(("。", "！", "？")) else s + "。"


def _cut_sentence(s: str, limit: int) -> str:
    head = s[:limit]
    end = max(head.rfind("，"), head.rfind("。"))
    return (head[:end] if end > limit // 2 else head) + "……"


_REFERS_RE = re.compile(
    r"(?:与一审|与原审|同一审|同原审)[^。]{0,10}(?:一致|相同)|(?:一审|原审)(?:法院|判决)?(?:查明|认定|确认)的?(?:案件)?"
    r"事实[^。]{0,20}(?:清楚|属实|予以确认|本院予以确认|无异议)"
)
_FIRST_FACTS_RE = re.compile(
    r"(?:^|\n)\s*(?:一审法院|原审法院|原审|一审)(?:判决)?(?:经审理)?(?:查明|认定的事实|认定事实|认定如下事实|认定)"
    r"[：:，,]\s*(.+?)"
    r"(?=\n\s*(?:一审法院|原审法院|原审|一审)(?:认为|据此|判决|遂)|\n[^\n]{0,60}(?:上诉称|上诉请求|不服一审|不服原审|提起上诉)"
    r"|本院认为|\n\s*(?:本院|二审)(?:经审理)?查明|$)",
    re.S,
)


def only_refers(summary: str) -> bool:
    """True when the appeal's findings only refer to the first instance's (nothing a reader can use)."""
    rest = _REFERS_RE.sub("", summary or "")
    return bool(_REFERS_RE.search(summary or "")) and len(re.sub(r"[^\u4e00-\u9fff]", "", rest)) < 60


def first_instance_facts(text: str) -> str:
    """The first-instance findings quoted inside an appeal (一审法院查明：…), or ''."""
    m = _FIRST_FACTS_RE.search(text or "")
    return re.sub(r"\s*\n\s*", "", m.group(1)).strip() if m else ""


_MASKED = re.compile(r"[×xX＊*某]|^\W*$")


def presiding_judges(record: dict) -> list[str]:
    """The presiding judge (审判长; else the sole judge 审判员) unless the published text masks the name."""
    judges = record.get("judges") or []
    names = [j.get("name") for j in judges if j.get("role") == "审判长"]
    if not names:
        names = [j.get("name") for j in judges if j.get("role") in ("审判员", "独任审判员")][:1]
    return [n for n in names if n and len(n) >= 2 and not _MASKED.search(n)]


def repeated_paragraphs(cases: Sequence[Sequence[str]], min_chars: int = REPEAT_MIN_CHARS) -> list[str]:
    """Paragraphs of ``min_chars``+ characters that appear in more than one case's printed paragraphs."""
    seen: dict[str, int] = {}
    out = []
    for i, paras in enumerate(cases):
        for p in dict.fromkeys(re.sub(r"\s+", "", x) for x in paras):
            if len(p) < min_chars:
                continue
            if p in seen and seen[p] != i and p not in out:
                out.append(p)
            seen.setdefault(p, i)
    return out


_FIRST_REASONS_RE = re.compile(
    r"(?:^|\n)\s*(?:一审法院|原审法院|原审|一审)认为[：:，,]\s*(.+?)"
    r"(?=\n\s*(?:一审法院|原审法院|原审|一审)(?:据此|判决|遂|依照)|\n[^\n]{0,60}(?:上诉称|上诉请求|不服一审|不服原审|提起上诉)"
    r"|本院认为|$)",
    re.S,
)


def first_instance_reasoning(text: str) -> str:
    """The first-instance reasoning an appeal quotes (一审法院认为：…), or ''."""
    m = _FIRST_REASONS_RE.search(text or "")
    return m.group(1) if m else ""


_FIRST_ORDERS_RE = re.compile(r"规定[，,]\s*判决(?:如下)?[：:]?\s*([^\n]+?)(?=案件受理费|诉讼费|\n|$)")
_APPEAL_STARTS = re.compile(r"上诉称|上诉请求|提起上诉称|本院认为|二审(?:经审理)?查明|本院(?:经审理)?查明")


def first_instance_result(text: str) -> str:
    """The first-instance orders an appeal quotes before the appeal's own part (…之规定，判决：一、…), or ''."""
    text = text or ""
    head_end = min((m.start() for m in _APPEAL_STARTS.finditer(text)), default=len(text))
    found = list(_FIRST_ORDERS_RE.finditer(text[:head_end]))
    if not found:
        return ""
    return re.sub(r"^判决", "", found[-1].group(1).strip()).rstrip("。；;") + "。"
