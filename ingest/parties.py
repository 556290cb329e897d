"""Parties and their roles: plaintiffs, defendants, third parties, applicants, aliases, agency head.

Party lines (``上诉人（原审被告）盘山县自然资源局。``) are read first; where a document has none, the
opening sentence of the history names the parties (``ingest.openings``; what a name is: ``ingest.party_names``). Appeal and
retrial roles are mapped back to the original roles: ``上诉人（原审被告）`` is a defendant.
"""

from __future__ import annotations

import re

from core.taxonomy import Procedure, SectionName
from ingest.normalize import raw_span
from ingest.openings import (
    _agency_whose_act_is_challenged,
    _from_opening,
    _marked_elsewhere,
    _marked_in_orders,
    _opening_sentence,
    _section_norm,
)
from ingest.party_names import (
    _PERSON_RE,
    _ROLE_ALT,
    APPLICANT,
    DEFENDANT,
    PLAINTIFF,
    RESPONDENT,
    THIRD,
    _add,
    _is_short_form,
    looks_like_agency,
    original_role,
)
from ingest.record import FirstInstance, JudgmentRecord, Span

PARTY_LINE_RE = re.compile(
    rf"^(?P<role>{_ROLE_ALT})(?P<paren>[（(][^）)]{{1,30}}[）)])?[:：]?\s*(?P<rest>[^\n]+)$", re.M
)

_NAME_STOP_RE = re.compile(
    r"[，。,；;：:\n]|等\d+人|等[一二三四五六七八九十百]+人|法定代表人|负责人|经营者|委托|（以下简称|（简称|\(以下简称|（下称|（原名|（曾用名|（未到庭|（到庭|（反诉"
)

ALIAS_RE = re.compile(
    r"([^\s，。、；：（）“”\"]{2,60}?)[（(](?:以下|下)?简称[:：]?[“\"]?([^）)”\"，。]{1,20})[”\"]?[）)]"
)


def _clean_name(rest: str) -> str:
    m = _NAME_STOP_RE.search(rest)
    name = rest[: m.start()] if m else rest
    name = re.sub(r"[（(][^（）()]*[）)]$", "", name)
    return name.strip(" 。，.")


def find_aliases(norm: str) -> dict[str, str]:
    """``河北省国土资源厅（以下简称省国土厅）`` → {'省国土厅': '河北省国土资源厅'}."""
    aliases: dict[str, str] = {}
    if "简称" not in norm:  # every match holds it; the pattern itself is tried at every position
        return aliases
    for m in ALIAS_RE.finditer(norm):
        full, short = m.group(1), m.group(2).strip()
        if full.endswith("》") and "《" in full:
            full = full[full.rfind("《") :]
        else:
            full = (
                re.split(
                    r"(?:被告|原告|上诉人|被上诉人|第三人|申请人|被申请人|诉|、|对|向|因|不服|作出的|作出|根据|依照|"
                    r"\d+年\d+月\d+日|\d+月\d+日)",
                    full,
                )[-1]
                or full
            )
        if short and short not in aliases and len(full) > len(short) - 1:
            aliases[short] = full
    return aliases


def _from_party_lines(text: str, procedure: Procedure | None) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {PLAINTIFF: [], DEFENDANT: [], THIRD: [], APPLICANT: [], RESPONDENT: []}
    for m in PARTY_LINE_RE.finditer(text):
        rest = m.group("rest")
        if re.search(r"一案|不服|提起|向本院|申请强制执行|于\d{4}年", rest[:60]):
            continue
        names = _split_names(_clean_name(rest))
        names += [
            p
            for p in re.split(r"[，,]", rest)[1:]
            if re.fullmatch(r"[^\s。；]{4,30}", p.rstrip("。"))
            and looks_like_agency(p.rstrip("。"))
            and not re.match(r"(住|法定|负责|委托|系|现|原|曾)", p)
            and not re.search(r"[（）():：]", p)
        ]
        for name in [n.rstrip("。") for n in names]:
            role = original_role(m.group("role"), m.group("paren") or "", name, procedure)
            if role:
                _add(out[role], name)
    return out


def _split_names(name: str) -> list[str]:
    parts = [p for p in re.split(r"[、]", name) if p]
    return parts if len(parts) > 1 and all(len(p) <= 30 for p in parts) else ([name] if name else [])


def fill_parties(record: JudgmentRecord, norm: str, offsets: list[int]) -> None:
    """Set the party lists, aliases and agency_head_appeared on ``record``."""
    record.aliases = find_aliases(norm)
    parties_text = _section_norm(record, norm, offsets, SectionName.parties)
    found = _from_party_lines(parties_text, record.procedure) if parties_text else None
    opening = _from_opening(_opening_sentence(record, norm, offsets), record.procedure)
    if not found or not any(found.values()):
        found = opening
    else:
        for role in (PLAINTIFF, DEFENDANT, APPLICANT):
            if not found[role]:
                found[role] = opening[role]
    for name in _marked_elsewhere(norm):  # 被告Y的委托代理人… / 被告Y辩称
        name = record.aliases.get(name, name)
        known_names = [record.aliases.get(k, k) for k in found[DEFENDANT]]
        if not any(_is_short_form(name, known) for known in known_names):
            _add(found[DEFENDANT], name)
    if not found[DEFENDANT] and found[PLAINTIFF]:  # 起诉人X的起诉状，请求撤销Y作出的…
        found[DEFENDANT] = _agency_whose_act_is_challenged(_opening_sentence(record, norm, offsets))
    for role in (
        PLAINTIFF,
        DEFENDANT,
    ):  # a head of labelled fields (IP courts): the operative part names them
        if not found[role]:
            found[role] = _marked_in_orders(record.section(SectionName.operative), role)
    if not found[THIRD]:  # re-joined texts name a third party only where it states its view
        for m in re.finditer(
            r"^(?:原审|一审)?第三人([^，。；：\n（(]{2,40}?)(?:述称|辩称|陈述称|答辩称|陈述意见称)",
            norm,
            re.M,
        ):
            _add(found[THIRD], m.group(1))
    resolve = {**record.aliases}

    def full(name: str) -> str:
        return resolve.get(name, name)

    listed = {full(n) for names in found.values() for n in names}

    def voted(name: str, role: str) -> str:
        """The OCR vote, never turning one listed party into another (co-plaintiffs 张小明, 张小朋)."""
        best = consensus_name(name, norm, _ROLE_CONTEXT[role])
        return name if best != name and best in listed else best

    record.plaintiffs = _dedupe([voted(full(n), PLAINTIFF) for n in found[PLAINTIFF]])
    record.defendants = _administrative_bodies(_dedupe([voted(full(n), DEFENDANT) for n in found[DEFENDANT]]))
    record.third_parties = _dedupe([voted(full(n), THIRD) for n in found[THIRD]])
    record.applicants = _dedupe([full(n) for n in found[APPLICANT]])
    record.respondents = _dedupe([full(n) for n in found[RESPONDENT]])
    if record.procedure == Procedure.enforcement_review and record.defendants and not record.applicants:
        record.applicants, record.defendants = record.defendants, []
    record.defendant_roles = reconsideration_bodies(record, norm)
    record.agency_head_appeared, span = agency_head(norm, record)
    if span is not None:
        start, end = raw_span(offsets, span[0], span[1], len(record.text))
        record.agency_head_evidence = Span(start=start, end=end)


_NOT_A_BODY_RE = re.compile(r"(公司|厂|店|合作社|经营部|门市|个体)$")


def _administrative_bodies(defendants: list[str]) -> list[str]:
    """Defendants are administrative bodies: beside one, a person or a business named as a co-defendant
    is a reading error (an authorised organisation such as a 居民委员会 stays)."""
    bodies = [d for d in defendants if looks_like_agency(d)]
    if not bodies:
        return defendants
    return [d for d in defendants if d in bodies or not (_PERSON_RE.match(d) or _NOT_A_BODY_RE.search(d))]


_UPHELD_RE = re.compile(r"维持|驳回[^，。；]{0,12}复议申请|复议申请[^，。；]{0,8}驳回")


def reconsideration_bodies(record: JudgmentRecord, norm: str) -> dict[str, str]:
    """Co-defendants sued only because they upheld the act on reconsideration (复议维持, 行政诉讼法第二十六条
    第二款): the defendant the text says received the 复议 application or made a 复议决定 that 维持 the act
    or 驳回 the application — never the only defendant, and never every defendant."""
    if len(record.defendants) < 2:
        return {}
    roles: dict[str, str] = {}
    sentences = re.split(r"[。\n]", norm)
    for d in record.defendants:
        forms = {d} | {short for short, full in record.aliases.items() if full == d}
        for sentence in sentences:
            if "复议" not in sentence or not any(f in sentence for f in forms):
                continue
            applied = any(
                re.search(rf"向(?:被告)?{re.escape(f)}(?:提出|申请)(?:行政)?复议", sentence) for f in forms
            )
            decided = _UPHELD_RE.search(sentence) and any(
                re.search(rf"{re.escape(f)}[^，。；]{{0,30}}(?:作出|作)[^，。；]{{0,30}}复议决定", sentence)
                for f in forms
            )
            if applied or decided:
                roles[d] = "reconsideration_body"
                break
    return roles if len(roles) < len(record.defendants) else {}


def _section_norm_text(record: JudgmentRecord, name: SectionName) -> str:
    from ingest.normalize import normalize

    return normalize(record.section(name))[0]


_ROLE_CONTEXT = {
    PLAINTIFF: ("原告", "上诉人", "再审申请人", "申请人", "起诉人"),
    DEFENDANT: ("被告", "被上诉人", "被申请人", "上诉人"),
    THIRD: ("第三人",),
}


def consensus_name(name: str, norm: str, roles: tuple[str, ...]) -> str:
    """OCR misreads a name differently each time: take each character's majority over the places the
    text names the party in its role (原告周滋文 ×4 beats one 周浇文). Clean texts agree with themselves."""
    if len(name) < 3:
        return name
    max_diff = 1 if len(name) < 8 else 2
    variants: list[str] = []
    for role in roles:
        start = norm.find(role)
        while start != -1:
            cand = norm[start + len(role) : start + len(role) + len(name)]
            if len(cand) == len(name) and sum(a != b for a, b in zip(cand, name, strict=True)) <= max_diff:
                variants.append(cand)
            start = norm.find(role, start + 1)
    if len(variants) < 3:
        return name
    chars = []
    for i, ch in enumerate(name):
        votes: dict[str, int] = {}
        for v in variants:
            votes[v[i]] = votes.get(v[i], 0) + 1
        best = max(votes, key=lambda c: (votes[c], c == ch))
        majority = votes[best] >= 2 and 2 * votes[best] > len(variants) and votes[best] > votes.get(ch, 0)
        chars.append(best if majority else ch)  # a plurality of a few readings is not enough
    return "".join(chars)


def _dedupe(names: list[str]) -> list[str]:
    out: list[str] = []
    for n in names:
        if n and n not in out:
            out.append(n)
    return out


_HEAD_TITLES = (
    r"负责人|法定代表人|行政首长|局长|副局长|县长|副县长|市长|副市长|区长|副区长|镇长|副镇长|乡长|副乡长|"
    r"主任|副主任|厅长|副厅长|处长|副处长|大队长|副大队长|队长|副队长|所长|副所长|部长|副部长|主席|副主席|"
    r"院长|副院长|关长|书记|副书记|署长|副署长|总经理"
)

HEAD_RE = re.compile(rf"(负责人|法定代表人|(?<![委托代理])(?:{_HEAD_TITLES}))")

PARTY_MARK_RE = re.compile(
    r"^(法定代表人|负责人|主要负责人)[^\n]{0,40}?[（(](未到庭|到庭|出庭|未出庭)[）)]", re.M
)

HEAD_LINE_RE = re.compile(
    r"^(行政机关)?(出庭(应诉)?的?(行政机关)?负责人|出庭负责人|应诉负责人)[:：]?[^\n]{1,60}$", re.M
)

_DEFENDANT_ROLE_RE = re.compile(
    r"^(被告|被上诉人（原审被告）|上诉人（原审被告）|原审被告|一审被告|被申请人|再审被申请人|被上诉人)"
)


def agency_head(norm: str, record: JudgmentRecord) -> tuple[bool | None, tuple[int, int] | None]:
    """True when the text says the agency's head appeared, False when it says who appeared without them."""
    if record.procedure == Procedure.enforcement_review:
        return None, None
    # party lines marked （到庭）/（未到庭）, as some courts write them
    for m in PARTY_MARK_RE.finditer(norm):
        if _owner_is_defendant(norm, m.start(), record):
            return m.group(2) in ("到庭", "出庭"), (m.start(), m.end())
    # a party line naming the head who appears: 出庭负责人黄某，…副镇长。
    for m in HEAD_LINE_RE.finditer(norm):
        if _owner_is_defendant(norm, m.start(), record):
            return True, (m.start(), m.end())
    heads = _head_agents(norm, record)
    verdict: bool | None = None
    evidence: tuple[int, int] | None = None
    reasoning = norm.find("本院认为")
    for sentence_start, sentence in _appearance_sentences(norm):
        if verdict is not None and 0 <= reasoning < sentence_start:
            break  # the court's reasoning recites duties (负责人应当出庭应诉), it does not report attendance
        if re.search(r"(未|拒不|没有)(到庭|出庭)$", sentence) and not re.search(r"[，,]", sentence):
            continue
        side: bool | None = None  # a clause naming no party continues the previous party's clause
        for clause, offset in _clauses(sentence):
            said = _clause_is_defendant(clause, record)
            side = said if said is not None else side
            if not side:
                continue
            head = HEAD_RE.search(clause) or next((h for h in heads if h in clause), None)
            if head and not re.search(r"(未|没有|拒不)(到庭|出庭)", clause):
                return True, (sentence_start + offset, sentence_start + offset + len(clause))
            if head and re.search(r"(未|没有|拒不)(到庭|出庭)", clause):
                return False, (sentence_start + offset, sentence_start + offset + len(clause))
            if re.search(r"(未|没有|拒不|无正当理由不)(到庭|出庭|派员)", clause) and verdict is None:
                verdict, evidence = False, (sentence_start + offset, sentence_start + offset + len(clause))
            if re.search(r"(委托|诉讼)?代理人|工作人员", clause) and verdict is None:
                verdict, evidence = False, (sentence_start + offset, sentence_start + offset + len(clause))
    # a later sentence may still say the head appeared (…负责人钱七出庭应诉): only then is it False
    return (verdict, evidence) if verdict is not None else (None, None)


_AGENT_LINE_RE = re.compile(
    r"^(?:委托(?:诉讼)?代理人|诉讼代理人|出庭人员)[:：]?\s*([\u4e00-\u9fa5×某]{2,4})[，,]([^\n]{0,80})$", re.M
)

_AGENT_HEAD_TITLE_RE = re.compile(
    r"(?<![科股室办组])副?(?:局长|县长|区长|市长|镇长|乡长|厅长|处长|大队长|支队长|所长|部长|主席|院长|关长|署长|主任)"
    r"(?!科员|医师|助理)"
)


def _head_agents(norm: str, record: JudgmentRecord) -> list[str]:
    """Entrusted agents of a defendant whose title, written after the name in the party block, makes
    them a head or deputy head of it (委托代理人刘伟，该局副局长): by the taxonomy the head appeared."""
    out = []
    for m in _AGENT_LINE_RE.finditer(norm):
        title = m.group(2)
        if re.search(r"律师|法律顾问|办公室主任|科长|股长|科员", title):
            continue
        if _AGENT_HEAD_TITLE_RE.search(title) and _owner_is_defendant(norm, m.start(), record):
            out.append(m.group(1))
    return out


def _appearance_sentences(norm: str) -> list[tuple[int, str]]:
    """(offset, sentence) of every sentence saying who 到庭/出庭/应诉: the keyword found first, then its
    sentence's bounds (linear time, where a regex spanning the sentence backtracks at every start)."""
    out: list[tuple[int, str]] = []
    last_end = -1
    for m in re.finditer(r"到庭|出庭|应诉", norm):
        if m.start() < last_end:
            continue
        start = max(norm.rfind("。", 0, m.start()), norm.rfind("\n", 0, m.start())) + 1
        ends = [e for e in (norm.find("。", m.end()), norm.find("\n", m.end())) if e >= 0]
        end = min(ends) if ends else len(norm)
        out.append((start, norm[start:end]))
        last_end = end
    return out


def _clauses(sentence: str) -> list[tuple[str, int]]:
    out = []
    pos = 0
    for part in re.split(r"([，,；]|[、和及与](?=被告|被上诉人|第三人|原告|上诉人|原审))", sentence):
        if part and part not in ("，", ",", "；", "、", "和", "及", "与"):
            out.append((part, pos))
        pos += len(part)
    return out


def _clause_is_defendant(clause: str, record: JudgmentRecord) -> bool | None:
    """True/False when the clause is about the defendant side or another party, None when it names none."""
    clause = re.sub(r"^.*?(审理了本案|开庭审理|公开开庭|进行了审理)[^，]*", "", clause).lstrip("、和及")
    if re.match(r"^(原告|上诉人（原审原告）|第三人|原审第三人|申请人|再审申请人)", clause):
        return False
    if _DEFENDANT_ROLE_RE.match(clause):
        return True
    names = [f for d in record.defendants for f in _short_forms(d, record)]
    if any(n and n in clause for n in names):
        return True
    if _PARTY_START_RE.match(clause) or any(
        n and clause.startswith(n) for n in record.plaintiffs + record.third_parties
    ):
        return False
    return None


_PARTY_START_RE = re.compile(rf"^({_ROLE_ALT})")


def _owner_is_defendant(norm: str, pos: int, record: JudgmentRecord) -> bool:
    """Whether the party line at ``pos`` belongs to a defendant's block (the last role line above it)."""
    block = norm[max(0, pos - 400) : pos]
    roles = list(re.finditer(rf"(?:^|\n)({_ROLE_ALT})(?:[（(][^）)]{{1,30}}[）)])?[:：]?([^，。\n]*)", block))
    if not roles:
        return False
    last = roles[-1]
    return original_role(last.group(1), "", last.group(2), record.procedure) == DEFENDANT or (
        last.group(2) in record.defendants
    )


def _short_forms(name: str, record: JudgmentRecord) -> set[str]:
    forms = {name}
    forms |= {short for short, full in record.aliases.items() if full == name}
    return forms


# --- operative orders and the first instance ------------------------------------------------------

_ITEM_RE = re.compile(
    r"^\s*[一二三四五六七八九十]+[、.．]|^\s*\d+[、.．]|^\s*[（(][一二三四五六七八九十\d]+[）)]"
)

_FEE_RE = re.compile(r"(受理费|诉讼费|案件费用|申请费)")


def operative_orders(operative: str) -> list[str]:
    """The orders of the operative part: its numbered items, or its lines before the costs sentence."""
    lines = [ln.strip() for ln in operative.split("\n") if ln.strip()]
    items = [ln for ln in lines if _ITEM_RE.match(ln)]
    if items:
        return items
    return [ln for ln in lines if not _FEE_RE.search(ln)][:5]


_FIRST_RULING_RE = re.compile(
    r"(?P<court>[\u4e00-\u9fa5×]{2,40}?法院)(?:[（(](?:以下|下)?简称[^）)]{1,10}[）)])?(?:于[^，。]{4,14}日)?(?:作出(?:的)?)?(?P<case>[（(〔\[［]\s*(?:19|20)\d{2}[^，。；\n]{2,30}?号)"
)

_FIRST_CODE_RE = re.compile(r"行(?:赔)?初|初字")


def first_instance(record: JudgmentRecord, norm: str) -> FirstInstance | None:
    """For appeals and retrials: the first instance's court and case number (and, when the text quotes it,
    the lower decision's result). A retrial names the appeal it reviews too: only a number with a
    first-instance code (行初/初字) is the first instance, where the suit began."""
    if record.procedure not in (Procedure.appeal, Procedure.retrial, Procedure.retrial_review):
        return None
    from core.normalize import normalize_case_no
    from ingest.fields import repair_court_by_code
    from ingest.fields_places import repair_court

    court = case_no = result = None
    rulings = [
        m
        for m in _FIRST_RULING_RE.finditer(norm)
        if record.court and m.group("court") != record.court and m.group("case") not in (record.case_no or "")
    ]
    first = [m for m in rulings if _FIRST_CODE_RE.search(normalize_case_no(m.group("case")))]
    m = first[0] if first else (rulings[0] if rulings and record.procedure == Procedure.appeal else None)
    if m:
        court = re.sub(
            r"^.*(不服|撤销|维持|变更|向|经|由|对|和|及|与|、|判决|裁定|一审|二审|原审)(?=[^不撤维变向经由对和及与、]{4,}$)",
            "",
            m.group("court"),
        )
        case_no = normalize_case_no(m.group("case"))
    history = _section_norm_text(record, SectionName.history)
    results = list(
        re.finditer(
            r"(判决|裁定)(如下)?[:：]([^\n。]{2,600}?)(?=[；;]\s*(一审|原审)?(案件)?(受理费|诉讼费)|[。\n]|$)",
            history,
        )
    )
    if results:
        result = results[-1].group(3).strip("；;。 ")
    if case_no is None:  # 不服一审行政判决 names no court: the first-instance number cited elsewhere
        case_no = next((cn for cn in record.original_case_nos if _FIRST_CODE_RE.search(cn)), None)
    if court is None and record.procedure == Procedure.appeal:
        lower = re.search(
            r"不服([\u4e00-\u9fa5]{4,40}?(?:人民法院|法院))(?:[（(（]|作出|于\d|\d{4}|[（(]\s*(?:19|20))",
            norm,
        )
        court = lower.group(1) if lower and lower.group(1) != record.court else None
    if court in ("一审法院", "原审法院", "二审法院", "原一审法院"):
        court = None  # a role, not a name
    if court:
        court = repair_court_by_code(repair_court(court, norm), case_no)
    if not (court or case_no or result):
        return None
    return FirstInstance(court=court, case_no=case_no, result=result)
